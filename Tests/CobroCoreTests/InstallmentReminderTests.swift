import CobroCore
import Testing

// Installment reminders (issue 4, point 5) on the §2.8 plan: 1,000 EUR in 4 × 250 due 2024-01-01, 01-31, 03-01,
// 03-31, grace 7, default after 2 consecutive misses. Upcoming reminders go out from due − 3 days to the due date;
// late ones from due + 1 to due + 7 (the last grace day). Expected values are worked out in the comments.

private let EUR = Currency(code: "EUR")!

private func day(_ iso: String) -> LocalDate {
    guard let d = LocalDate(iso: iso) else { fatalError("bad test date \(iso)") }
    return d
}

private func eur(_ major: Int64) -> Money { Money(minor: major * 100, EUR) }
private func pay(_ iso: String, _ major: Int64) -> PlanPayment { PlanPayment(day: day(iso), amount: eur(major)) }

private let workedPlan = PaymentPlan(
    currency: EUR, total: eur(1_000), downPayment: nil,
    installments: ["2024-01-01", "2024-01-31", "2024-03-01", "2024-03-31"].map { PaymentPlan.Installment(dueDate: day($0), amount: eur(250)) },
    graceDays: 7, missesToDefault: 2, startDate: day("2024-01-01"))

private func reminder(
    _ plan: PaymentPlan = workedPlan, paid payments: [PlanPayment], on iso: String, recorded: Set<String> = []
) throws -> InstallmentReminders.Reminder? {
    let report = try PaymentPlanEvaluation.evaluate(plan, payments: payments, on: day(iso)).get()
    return InstallmentReminders.due(planID: 9, report: report, asOf: day(iso), recorded: recorded)
}

@Suite("Installment reminders")
struct InstallmentReminderTests {
    // The first installment was paid on time; the second (index 1, due 01-31) is the earliest unpaid.
    // 01-27 is due − 4: too early. 01-28 (due − 3) through 01-31: the upcoming reminder for 250.
    @Test(arguments: [("2024-01-27", false), ("2024-01-28", true), ("2024-01-31", true)])
    func upcomingFromThreeDaysBefore(on iso: String, expected: Bool) throws {
        let r = try reminder(paid: [pay("2024-01-01", 250)], on: iso)
        #expect((r != nil) == expected)
        if let r {
            #expect(r.slot == .installment(index: 1))
            #expect(r.kind == .upcoming)
            #expect(r.stepID == "plan_9_2_due")
            #expect(r.templateKey == .planInstallmentDue)
            #expect(r.dueDate == day("2024-01-31"))
            #expect(r.owed == eur(250))
        }
    }

    // Once the upcoming reminder is recorded nothing more goes out until the due date has passed.
    @Test func sentUpcomingIsNotRepeated() throws {
        #expect(try reminder(paid: [pay("2024-01-01", 250)], on: "2024-01-31", recorded: ["plan_9_2_due"]) == nil)
    }

    // 02-01 (due + 1) through 02-07 (due + grace): the late reminder; 02-08 the installment is missed, and the next
    // one (due 03-01, upcoming from 02-27) is not near yet.
    @Test(arguments: [("2024-02-01", true), ("2024-02-07", true), ("2024-02-08", false)])
    func lateWithinGrace(on iso: String, expected: Bool) throws {
        let r = try reminder(paid: [pay("2024-01-01", 250)], on: iso, recorded: ["plan_9_2_due"])
        #expect((r != nil) == expected)
        if let r {
            #expect(r.kind == .late)
            #expect(r.stepID == "plan_9_2_late")
            #expect(r.templateKey == .planInstallmentLate)
        }
    }

    // A run that catches up after days off sends only what is still useful: the late reminder, not the upcoming one.
    @Test func catchUpSendsOnlyTheLateReminder() throws {
        let r = try #require(try reminder(paid: [pay("2024-01-01", 250)], on: "2024-02-03"))
        #expect(r.stepID == "plan_9_2_late")
        #expect(try reminder(paid: [pay("2024-01-01", 250)], on: "2024-02-04", recorded: ["plan_9_2_late"]) == nil)
    }

    // §2.8 payments: 250 on 01-01, 250 on 02-05, 100 on 03-01. On 03-02 installment 3 (due 03-01) has 150 of 250
    // still owed: the late reminder asks for 150.
    @Test func partlyPaidInstallmentAsksForTheRest() throws {
        let r = try #require(try reminder(paid: [pay("2024-01-01", 250), pay("2024-02-05", 250), pay("2024-03-01", 100)], on: "2024-03-02"))
        #expect(r.slot == .installment(index: 2))
        #expect(r.stepID == "plan_9_3_late")
        #expect(r.owed == eur(150))
    }

    // 500 paid by 01-20 covers installments 1 and 2: on 01-28 nothing is owed soon (installment 3 is due 03-01).
    @Test func paidInAdvanceNeedsNoReminder() throws {
        #expect(try reminder(paid: [pay("2024-01-01", 250), pay("2024-01-20", 250)], on: "2024-01-28") == nil)
    }

    // A late installment and the next one coming up: one reminder per run, the earlier slot's first.
    // Installments due 01-31 and 02-03 (grace 7): on 02-01 installment 2 is late and 3 is upcoming.
    @Test func oneReminderPerRunEarliestSlotFirst() throws {
        let plan = PaymentPlan(
            currency: EUR, total: eur(500), downPayment: nil,
            installments: ["2024-01-31", "2024-02-03"].map { PaymentPlan.Installment(dueDate: day($0), amount: eur(250)) },
            graceDays: 7, missesToDefault: 2, startDate: day("2024-01-01"))
        #expect(try reminder(plan, paid: [], on: "2024-02-01")?.stepID == "plan_9_1_late")
        #expect(try reminder(plan, paid: [], on: "2024-02-01", recorded: ["plan_9_1_late"])?.stepID == "plan_9_2_due")
    }

    @Test func downPaymentStep() throws {
        let plan = PaymentPlan(
            currency: EUR, total: eur(1_000), downPayment: eur(400),
            installments: ["2024-01-31", "2024-03-01", "2024-03-31"].map { PaymentPlan.Installment(dueDate: day($0), amount: eur(200)) },
            graceDays: 7, missesToDefault: 2, startDate: day("2024-01-10"))
        let r = try #require(try reminder(plan, paid: [], on: "2024-01-08"))
        #expect(r.slot == .downPayment)
        #expect(r.stepID == "plan_9_down_due")
        #expect(r.owed == eur(400))
    }

    // Two consecutive misses by 03-09 default the plan (k = 2): a defaulted plan gets no installment reminder (its
    // invoices go back to ordinary dunning); a completed one neither.
    @Test func onlyActivePlansAreReminded() throws {
        #expect(try reminder(paid: [pay("2024-01-01", 250)], on: "2024-03-09") == nil)
        #expect(try reminder(paid: [pay("2024-01-01", 1_000)], on: "2024-01-28") == nil)
    }
}

@Suite("Installment reminders in the dunning run")
struct InstallmentReminderPlanningTests {
    let customer = CustomerID(4)
    let invoice = InvoiceID(31)

    func plan(_ c: DunningCustomerInput?, on iso: String = "2024-02-01", recorded: Set<String> = []) throws -> InstallmentReminders.Planned {
        let report = try PaymentPlanEvaluation.evaluate(workedPlan, payments: [pay("2024-01-01", 250)], on: day(iso)).get()
        let input = InstallmentReminders.PlanInput(planID: 9, customerID: customer, invoiceID: invoice, plan: workedPlan, report: report)
        return InstallmentReminders.plan(asOf: day(iso), plans: [input], customers: c.map { [$0.id: $0] } ?? [:], recorded: recorded)
    }

    func input(handedOver: Bool = false, optedOut: Set<DunningChannel> = [], reachability: DunningReachability = .all) -> DunningCustomerInput {
        DunningCustomerInput(id: customer, ref: "K2", language: "es", handedOver: handedOver, optedOut: optedOut, reachability: reachability, items: [])
    }

    // 02-01 is one day after installment 2 was due: one late message for 250 EUR by email, and its ledger entry on
    // the plan's invoice.
    @Test func messageAndLedgerEntry() throws {
        let p = try plan(input())
        #expect(p.skips.isEmpty)
        let m = try #require(p.messages.first)
        #expect(p.messages.count == 1)
        #expect(m.customerRef == "K2")
        #expect(m.language == "es")
        #expect(m.policyID == "payment_plan")
        #expect(m.stepID == "plan_9_2_late")
        #expect(m.templateKey == "plan_installment_late")
        #expect(m.channels == [.email])
        #expect(m.total == eur(250))
        #expect(m.items.map(\.ref) == ["PLAN-9 2/4"])
        #expect(m.items.map(\.invoiceID) == [invoice])
        #expect(m.items.map(\.dueDate) == [day("2024-01-31")])
        #expect(m.items.map(\.daysPastDue) == [1])
        #expect(m.escalations.isEmpty && m.lateFee == nil)
        #expect(p.entries == [
            DunningLedgerEntry(key: DunningLedgerKey(invoiceID: invoice, stepID: "plan_9_2_late"), customerID: customer, outcome: .sent, messageKey: m.dedupeKey, date: day("2024-02-01"))
        ])
    }

    @Test func smsWhenEmailIsRefused() throws {
        #expect(try plan(input(optedOut: [.email])).messages.first?.channels == [.sms])
        #expect(try plan(input(reachability: DunningReachability(hasEmail: false, hasPhone: true, hasPostalAddress: true))).messages.first?.channels == [.sms])
    }

    @Test func unreachableCustomerIsReported() throws {
        let p = try plan(input(reachability: DunningReachability(hasEmail: false, hasPhone: false, hasPostalAddress: true)))
        #expect(p.messages.isEmpty && p.entries.isEmpty)
        #expect(p.skips.map(\.reason) == [.noDeliverableChannel])
        #expect(p.skips.first?.stepID == "plan_9_2_late")
    }

    @Test func handedOverCustomerIsNotReminded() throws {
        let p = try plan(input(handedOver: true))
        #expect(p.messages.isEmpty)
        #expect(p.skips.map(\.reason) == [.handedOver])
    }

    @Test func recordedOrUnknownGivesNothing() throws {
        #expect(try plan(input(), recorded: ["plan_9_2_late"]).messages.isEmpty)
        #expect(try plan(nil).messages.isEmpty)
    }

    // The shipped copy composes in the customer's language with the amount and due date.
    @Test func composesWithShippedTemplates() throws {
        let p = try plan(input())
        let m = try #require(p.messages.first)
        let composed = try DunningComposer.compose(
            m, to: DunningRecipient(customerName: "Kappa", email: "k@example.com", language: "en"), companyName: "Acme", companyLanguage: "es",
            templates: DefaultTemplates.templateSet(), portalLink: "https://pay.example/k2", collectorName: "Acme", asOf: day("2024-02-01")
        ).get()
        let email = try #require(composed.first)
        #expect(email.channel == .email)
        #expect(email.language == "en")
        #expect(email.subject.contains("Payment plan"))
        #expect(email.subject.contains("250.00"))
        #expect(email.text.contains("PLAN-9 2/4"))
    }
}
