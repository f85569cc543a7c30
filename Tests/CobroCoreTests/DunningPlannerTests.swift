import Foundation
import Testing

@testable import CobroCore

// The daily dunning planner. Every expected value is worked out by hand from the rules in DunningPlanner's
// documentation and the cobroDefault ladder (−5, 0, +7, +15, +30, +45).

private func day(_ iso: String) -> LocalDate {
    guard let d = LocalDate(iso: iso) else { fatalError("bad test date \(iso)") }
    return d
}

private let EUR = Currency(code: "EUR")!
private let USD = Currency(code: "USD")!
private let GBP = Currency(code: "GBP")!
private let gbpToEUR = ExchangeRate(from: GBP, to: EUR, rateNanos: 1_170_000_000)  // 1 GBP = 1.17 EUR

private func inv(
    _ id: Int64, due: String, open: Int64, _ currency: Currency = EUR, disputed: Int64 = 0, covered: Bool = false,
    kind: DocumentKind = .invoice, issue: String? = nil
) -> DunningOpenItem {
    DunningOpenItem(
        id: InvoiceID(id), ref: "INV-\(id)", kind: kind, issueDate: issue.map(day) ?? day(due).adding(days: -30), dueDate: day(due),
        currency: currency, openMinor: open, disputedMinor: disputed, coveredByPromiseOrPlan: covered)
}

private func cust(
    _ id: Int64, _ items: [DunningOpenItem], strategic: Bool = false, segment: String? = nil, override: String? = nil,
    handedOver: Bool = false, optedOut: Set<DunningChannel> = [], reach: DunningReachability = .all, lastDunnedOn: String? = nil
) -> DunningCustomerInput {
    DunningCustomerInput(
        id: CustomerID(id), ref: "C-\(id)", language: "es", strategic: strategic, segment: segment, policyOverride: override,
        handedOver: handedOver, optedOut: optedOut, reachability: reach, lastDunnedOn: lastDunnedOn.map(day), items: items)
}

private func run(
    _ asOf: String, _ customers: [DunningCustomerInput], recorded: Set<DunningLedgerKey> = [], rates: [ExchangeRate] = [],
    policies: DunningPolicyAssignment = .standard
) -> DunningPlan {
    DunningPlanner.plan(
        asOf: day(asOf),
        input: DunningPlanInput(baseCurrency: EUR, rates: rates, policies: policies, customers: customers, recorded: recorded))
}

/// Entries as "invoice step outcome".
private func entries(_ plan: DunningPlan) -> [String] { plan.entries.map { "\($0.key.invoiceID) \($0.key.stepID) \($0.outcome.rawValue)" } }
private func skips(_ plan: DunningPlan) -> [String] {
    plan.skips.map { s in
        ([s.customerRef, s.reason.rawValue] + (s.stepID.map { [$0] } ?? []) + (s.currency.map { [$0.code] } ?? [])
            + s.invoiceIDs.map { "\($0)" }).joined(separator: " ")
    }
}
private func ids(_ m: DunningMessage) -> [Int64] { m.items.map(\.invoiceID.rawValue) }
private func recorded(_ plans: DunningPlan...) -> Set<DunningLedgerKey> { Set(plans.flatMap { $0.entries.map(\.key) }) }

/// A policy with a free first step and a second step that needs 100.00 EUR.
private let minimumPolicy = DunningPolicy(
    id: "with_minimum",
    steps: [
        DunningStep(id: "gentle", offsetDays: 0, channels: [.init(.email)]),
        DunningStep(id: "firm", offsetDays: 10, channels: [.init(.email)], conditions: DunningStepConditions(minOverdueBaseMinor: 10_000)),
    ])
private let minimumAssignment = DunningPolicyAssignment(policies: [minimumPolicy], defaultPolicyID: "with_minimum")

@Suite("Dunning: planner")
struct DunningPlannerTests {
    // MARK: grouping and levels

    @Test func invoicesAtTheSameStepGoInOneMessage() throws {
        // Due 06-23 (+7) and 06-20 (+10): both have −5, 0 and +7 due → level overdue_7.
        let plan = run("2024-06-30", [cust(1, [inv(1, due: "2024-06-23", open: 10_000), inv(2, due: "2024-06-20", open: 25_050)])])
        #expect(plan.messages.count == 1)
        let m = try #require(plan.messages.first)
        #expect(m.stepID == "overdue_7")
        #expect(m.levelIndex == 2)
        #expect(m.policyID == "cobro_default")
        #expect(m.templateKey == "overdue_7")
        #expect(m.currency == EUR)
        #expect(m.language == "es")
        #expect(m.customerRef == "C-1")
        #expect(ids(m) == [2, 1])  // older due date first
        #expect(m.items.map(\.daysPastDue) == [10, 7])
        #expect(m.total == Money(minor: 35_050, EUR))
        #expect(m.channels == [.email])
        #expect(m.escalations.isEmpty)
        #expect(m.dedupeKey == "dunning:1:overdue_7:EUR:2024-06-30")
        #expect(m.items.allSatisfy { $0.sentStepID == "overdue_7" && $0.supersededStepIDs == ["reminder_before_due", "due_today"] })
        #expect(
            entries(plan) == [
                "2 reminder_before_due superseded", "2 due_today superseded", "2 overdue_7 sent",
                "1 reminder_before_due superseded", "1 due_today superseded", "1 overdue_7 sent",
            ])
        #expect(plan.entries.allSatisfy { $0.messageKey == m.dedupeKey && $0.date == day("2024-06-30") && $0.customerID == CustomerID(1) })
        #expect(plan.skips.isEmpty)
    }

    @Test func twoCurrenciesGiveTwoMessages() {
        let plan = run(
            "2024-06-30",
            [cust(1, [inv(1, due: "2024-06-23", open: 10_000), inv(2, due: "2024-06-23", open: 4_000, USD), inv(3, due: "2024-06-22", open: 500)])])
        #expect(plan.messages.map(\.currency) == [EUR, USD])
        #expect(plan.messages.map(\.stepID) == ["overdue_7", "overdue_7"])
        #expect(plan.messages.map(ids) == [[3, 1], [2]])
        #expect(plan.messages.map(\.total) == [Money(minor: 10_500, EUR), Money(minor: 4_000, USD)])
        #expect(plan.messages.map(\.dedupeKey) == ["dunning:1:overdue_7:EUR:2024-06-30", "dunning:1:overdue_7:USD:2024-06-30"])
        #expect(plan.entries.filter { $0.outcome == .sent }.map(\.key.invoiceID.rawValue) == [3, 1, 2])
    }

    @Test func highestLevelWinsAndLowerStepsAreSuperseded() throws {
        // 1: due 05-31 (+30). 2: due 06-23 (+7). 3: due 07-20 (its −5 falls on 07-15: nothing due).
        let plan = run(
            "2024-06-30",
            [cust(1, [inv(1, due: "2024-05-31", open: 1_000), inv(2, due: "2024-06-23", open: 2_000), inv(3, due: "2024-07-20", open: 3_000)])])
        let m = try #require(plan.messages.first)
        #expect(plan.messages.count == 1)
        #expect(m.stepID == "overdue_30")
        #expect(m.levelIndex == 4)
        #expect(ids(m) == [1, 2])
        #expect(m.total == Money(minor: 3_000, EUR))
        #expect(m.channels == [.email, .call])
        #expect(m.items.map(\.sentStepID) == ["overdue_30", "overdue_7"])
        #expect(
            entries(plan) == [
                "1 reminder_before_due superseded", "1 due_today superseded", "1 overdue_7 superseded", "1 overdue_15 superseded",
                "1 overdue_30 sent",
                "2 reminder_before_due superseded", "2 due_today superseded", "2 overdue_7 sent",
            ])
    }

    @Test func finalNoticeCarriesEscalations() throws {
        // Due 05-16: +45 falls on 06-30.
        let plan = run("2024-06-30", [cust(4, [inv(1, due: "2024-05-16", open: 1_000)])])
        let m = try #require(plan.messages.first)
        #expect(m.stepID == "final_notice_45")
        #expect(m.levelIndex == 5)
        #expect(m.channels == [.letter, .email])
        #expect(m.escalations == [.creditHold, .handOverToAgency])
        #expect(entries(plan).last == "1 final_notice_45 sent")
        #expect(plan.entries.count == 6)
    }

    @Test func catchUpAfterATwentyDayOutageSendsOnceAtTheHighestDueStep() throws {
        let customers = [cust(1, [inv(1, due: "2024-03-01", open: 50_000)])]
        let before = run("2024-02-25", customers)
        #expect(before.messages.map(\.stepID) == ["reminder_before_due"])
        #expect(entries(before) == ["1 reminder_before_due sent"])

        // Outage 02-26 … 03-16 (20 days): due_today (03-01), overdue_7 (03-08) and overdue_15 (03-16) are all due.
        let after = run("2024-03-17", customers, recorded: recorded(before))
        #expect(after.messages.map(\.stepID) == ["overdue_15"])
        #expect(entries(after) == ["1 due_today superseded", "1 overdue_7 superseded", "1 overdue_15 sent"])

        #expect(run("2024-03-18", customers, recorded: recorded(before, after)).isEmpty)
        #expect(run("2024-03-30", customers, recorded: recorded(before, after)).isEmpty)
        let next = run("2024-03-31", customers, recorded: recorded(before, after))  // 03-01 + 30
        #expect(next.messages.map(\.stepID) == ["overdue_30"])
        #expect(entries(next) == ["1 overdue_30 sent"])
    }

    @Test func rerunningTheSameDayAfterRecordingPlansNothing() {
        let customers = [
            cust(1, [inv(1, due: "2024-06-23", open: 10_000), inv(2, due: "2024-05-31", open: 1_000, USD)]),
            cust(2, [inv(3, due: "2024-07-05", open: 10_000)]),
        ]
        let first = run("2024-06-30", customers)
        #expect(first.messages.count == 3)
        let again = run("2024-06-30", customers, recorded: recorded(first))
        #expect(again.isEmpty)
        #expect(again.skips.isEmpty)
    }

    @Test func lastDunnedOnStopsASecondLevelOnTheSameDay() {
        // firm (+10) needs 100.00 EUR: EUR 200.00 passes, GBP 10.00 = 11.70 EUR does not.
        let items = [inv(1, due: "2024-06-18", open: 20_000), inv(2, due: "2024-06-18", open: 1_000, GBP)]
        let first = run("2024-06-30", [cust(1, items)], rates: [gbpToEUR], policies: minimumAssignment)
        #expect(first.messages.map(\.stepID) == ["firm"])
        #expect(first.messages.map(\.currency) == [EUR])
        #expect(entries(first) == ["1 gentle superseded", "1 firm sent"])
        #expect(skips(first) == ["C-1 below_minimum firm GBP 2"])
        #expect(first.skips.first?.detail == "total 10.00 GBP = 11.70 EUR is below the minimum of 100.00 EUR for step firm")

        // With the date of the last dunning the second run of the day sends nothing …
        let guarded = run(
            "2024-06-30", [cust(1, items, lastDunnedOn: "2024-06-30")], recorded: recorded(first), rates: [gbpToEUR],
            policies: minimumAssignment)
        #expect(guarded.isEmpty)
        #expect(skips(guarded) == ["C-1 already_dunned"])
        // … without it the GBP item would get the lower level on the same day.
        let unguarded = run("2024-06-30", [cust(1, items)], recorded: recorded(first), rates: [gbpToEUR], policies: minimumAssignment)
        #expect(unguarded.messages.map(\.stepID) == ["gentle"])
        // The next day it does get it (firm is still below the minimum and stays unrecorded).
        let nextDay = run(
            "2024-07-01", [cust(1, items, lastDunnedOn: "2024-06-30")], recorded: recorded(first), rates: [gbpToEUR],
            policies: minimumAssignment)
        #expect(nextDay.messages.map(\.stepID) == ["gentle"])
        #expect(entries(nextDay) == ["2 gentle sent"])
        #expect(skips(nextDay) == ["C-1 below_minimum firm GBP 2"])
    }

    @Test func preDueStepOnlyForItemsNotYetDue() throws {
        let plan = run(
            "2024-06-30",
            [
                cust(1, [inv(1, due: "2024-07-05", open: 100), inv(2, due: "2024-07-06", open: 100)]),  // −5 on 06-30 / 07-01
                cust(2, [inv(3, due: "2024-06-30", open: 100)]),  // due today
                cust(3, [inv(4, due: "2024-06-20", open: 100)]),  // already overdue when first seen
            ])
        #expect(plan.messages.map(\.stepID) == ["reminder_before_due", "due_today", "overdue_7"])
        #expect(plan.messages.map(ids) == [[1], [3], [4]])
        #expect(plan.messages.first?.items.first?.daysPastDue == -5)
        #expect(
            entries(plan) == [
                "1 reminder_before_due sent",
                "3 reminder_before_due superseded", "3 due_today sent",
                "4 reminder_before_due superseded", "4 due_today superseded", "4 overdue_7 sent",
            ])
    }

    // MARK: skips

    @Test func disputedPartIsNotDunnedAndFullyDisputedIsSkipped() throws {
        let plan = run(
            "2024-06-30",
            [
                cust(
                    1,
                    [
                        inv(1, due: "2024-06-23", open: 100_000, disputed: 30_000),
                        inv(2, due: "2024-06-23", open: 50_000, disputed: 50_000),
                        inv(3, due: "2024-06-23", open: 10_000, disputed: 20_000),
                        inv(4, due: "2024-06-23", open: 5_000, disputed: -7),
                    ])
            ])
        let m = try #require(plan.messages.first)
        #expect(ids(m) == [1, 4])
        #expect(m.items.map(\.amount) == [Money(minor: 70_000, EUR), Money(minor: 5_000, EUR)])
        #expect(m.items.map(\.open) == [Money(minor: 100_000, EUR), Money(minor: 5_000, EUR)])
        #expect(m.items.map(\.disputed) == [Money(minor: 30_000, EUR), Money(minor: 0, EUR)])
        #expect(m.total == Money(minor: 75_000, EUR))
        #expect(skips(plan) == ["C-1 disputed 2", "C-1 disputed 3"])
        #expect(!plan.entries.contains { [2, 3].contains($0.key.invoiceID.rawValue) })
    }

    @Test func promiseOrPlanCoveredItemsAreLeftOut() throws {
        let items = [inv(1, due: "2024-06-23", open: 1_000, covered: true), inv(2, due: "2024-06-23", open: 2_000)]
        let plan = run("2024-06-30", [cust(1, items)])
        #expect(plan.messages.map(ids) == [[2]])
        #expect(skips(plan) == ["C-1 promise_or_plan 1"])
        #expect(!plan.entries.contains { $0.key.invoiceID == InvoiceID(1) })

        // Everything covered: nothing sent, nothing recorded.
        let allCovered = run("2024-06-30", [cust(1, [items[0]])])
        #expect(allCovered.isEmpty)
        #expect(skips(allCovered) == ["C-1 promise_or_plan 1"])

        // A step may include covered items.
        var lenient = DunningPolicy.cobroDefault
        lenient.id = "lenient"
        for i in lenient.steps.indices { lenient.steps[i].conditions.skipIfPromiseOrPlan = false }
        let withCovered = run("2024-06-30", [cust(1, items)], policies: DunningPolicyAssignment(policies: [lenient], defaultPolicyID: "lenient"))
        #expect(withCovered.messages.map(ids) == [[1, 2]])
        #expect(withCovered.skips.isEmpty)
    }

    @Test func paidCreditNotesAndFutureItemsAreSkipped() {
        let plan = run(
            "2024-06-30",
            [
                cust(
                    1,
                    [
                        inv(1, due: "2024-06-23", open: 0),
                        inv(2, due: "2024-06-23", open: 30_000),
                        inv(3, due: "2024-06-23", open: -500),
                        inv(4, due: "2024-06-23", open: 9_000, kind: .creditNote),
                        inv(5, due: "2024-07-03", open: 100, issue: "2024-07-01"),  // −5 on 06-28, but issued after the run date
                        inv(6, due: "2024-06-23", open: 700, kind: .debitNote),
                    ]),
                cust(2, [inv(7, due: "2024-06-23", open: 0)]),
            ])
        #expect(plan.messages.map(ids) == [[2, 6]])
        #expect(skips(plan) == ["C-1 paid 1", "C-1 paid 3", "C-1 credit_note 4", "C-1 not_yet_issued 5", "C-2 paid 7"])
        #expect(Set(plan.entries.map(\.key.invoiceID.rawValue)) == [2, 6])
    }

    @Test func noRemindersAndHandedOverCustomersAreSkipped() {
        let item = { (id: Int64) in inv(id, due: "2024-06-23", open: 1_000) }
        var policies = DunningPolicyAssignment.standard
        policies.segmentPolicyIDs = ["internal": "no_reminders"]
        let plan = run(
            "2024-06-30",
            [
                cust(1, [item(1)], override: "no_reminders"),
                cust(2, [item(2)], handedOver: true),
                cust(3, [inv(3, due: "2024-06-23", open: 1_000, kind: .creditNote)], handedOver: true),  // owes nothing: silent
                cust(4, [item(4)], segment: "internal"),
                cust(5, [item(5)]),
            ], policies: policies)
        #expect(plan.messages.map(\.customerID) == [CustomerID(5)])
        #expect(skips(plan) == ["C-1 no_reminders", "C-2 handed_over", "C-4 no_reminders"])
        #expect(plan.skips.allSatisfy { $0.invoiceIDs.isEmpty && $0.stepID == nil })
        #expect(Set(plan.entries.map(\.customerID)) == [CustomerID(5)])
    }

    @Test func inputErrorsAreSkippedNotGuessed() {
        let bad = DunningPolicy(
            id: "bad",
            steps: [DunningStep(id: "a", offsetDays: 5, channels: [.init(.email)]), DunningStep(id: "b", offsetDays: 5, channels: [.init(.email)])])
        let policies = DunningPolicyAssignment(policies: DunningPolicy.builtIn + [bad], defaultPolicyID: "cobro_default")
        let plan = run(
            "2024-06-30",
            [
                cust(1, [inv(1, due: "2024-06-23", open: 1)], override: "gone"),
                cust(2, [inv(2, due: "2024-06-23", open: 1)], override: "bad"),
                cust(3, [inv(7, due: "2024-06-23", open: 1), inv(3, due: "2024-06-23", open: 1)]),
                cust(4, [inv(7, due: "2024-06-23", open: 1)]),
                cust(9, [inv(9, due: "2024-06-23", open: 1)]),
                cust(9, [inv(10, due: "2024-06-23", open: 1)]),
            ], policies: policies)
        #expect(plan.messages.map(ids) == [[3]])
        #expect(
            skips(plan) == [
                "C-1 unknown_policy", "C-2 invalid_policy", "C-3 duplicate_invoice 7", "C-4 duplicate_invoice 7",
                "C-9 duplicate_customer", "C-9 duplicate_customer",
            ])
        #expect(plan.skips[0].detail.contains("\"gone\""))
        #expect(plan.skips[1].detail.contains("steps[1].offset_days"))
    }

    // MARK: channels

    @Test func optedOutOfEmailFallsBackToLetter() throws {
        let plan = run("2024-06-30", [cust(1, [inv(1, due: "2024-06-23", open: 1_000)], optedOut: [.email])])
        let m = try #require(plan.messages.first)
        #expect(m.stepID == "overdue_7")
        #expect(m.channels == [.letter])
        #expect(m.channelSelection.choices == [DunningChannelChoice(requested: .email, chosen: .letter, passedOver: [.init(.email, .optedOut)])])
    }

    @Test func noEmailAddressFallsBackToLetter() throws {
        let reach = DunningReachability(hasEmail: false, hasPhone: true, hasPostalAddress: true)
        let plan = run("2024-06-30", [cust(1, [inv(1, due: "2024-06-23", open: 1_000)], reach: reach)])
        let m = try #require(plan.messages.first)
        #expect(m.channels == [.letter])
        #expect(m.channelSelection.choices.first?.passedOver == [.init(.email, .noEmailAddress)])
    }

    @Test func nothingDeliverableIsSkippedAndNothingRecorded() {
        // overdue_7 (email → letter), due_today and reminder_before_due (email): none can be delivered; each is reported.
        let reach = DunningReachability(hasEmail: false, hasPhone: true, hasPostalAddress: false)
        let plan = run("2024-06-30", [cust(1, [inv(1, due: "2024-06-23", open: 1_000)], reach: reach)])
        #expect(plan.isEmpty)
        #expect(
            skips(plan) == [
                "C-1 no_deliverable_channel overdue_7 1", "C-1 no_deliverable_channel due_today 1",
                "C-1 no_deliverable_channel reminder_before_due 1",
            ])
        #expect(plan.skips.first?.detail == "no channel of step overdue_7 can be delivered (email: no email address; letter: no postal address)")
    }

    @Test func emailPlusSMSKeepsSMSWhenEmailIsRefused() throws {
        // Due 06-15: +15 on 06-30.
        let plan = run("2024-06-30", [cust(1, [inv(1, due: "2024-06-15", open: 1_000)], optedOut: [.email])])
        let m = try #require(plan.messages.first)
        #expect(m.stepID == "overdue_15")
        #expect(m.channels == [.sms])
        #expect(
            m.channelSelection.choices == [
                DunningChannelChoice(requested: .email, chosen: nil, passedOver: [.init(.email, .optedOut)]),
                DunningChannelChoice(requested: .sms, chosen: .sms, passedOver: []),
            ])
        #expect(m.channelSelection.undeliverable.map(\.requested) == [.email])
    }

    @Test func aCallTaskIsAlwaysPossibleUnlessRefused() throws {
        let nothing = DunningReachability(hasEmail: false, hasPhone: false, hasPostalAddress: false)
        let plan = run("2024-06-30", [cust(1, [inv(1, due: "2024-05-31", open: 1_000)], reach: nothing)])
        let m = try #require(plan.messages.first)
        #expect(m.stepID == "overdue_30")
        #expect(m.channels == [.call])
        #expect(m.channelSelection.choices.first?.passedOver == [.init(.email, .noEmailAddress), .init(.letter, .noPostalAddress)])

        let refused = run("2024-06-30", [cust(1, [inv(1, due: "2024-05-31", open: 1_000)], optedOut: [.call], reach: nothing)])
        #expect(refused.isEmpty)
        #expect(refused.skips.map(\.stepID) == ["overdue_30", "overdue_15", "overdue_7", "due_today", "reminder_before_due"])
        #expect(refused.skips.allSatisfy { $0.reason == .noDeliverableChannel })
    }

    @Test func channelSelectionRules() {
        let all = DunningReachability.all
        func chosen(_ rules: [DunningStepChannel], _ optedOut: Set<DunningChannel>, _ reach: DunningReachability = .all) -> [DunningChannel] {
            DunningChannelSelection.select(rules, optedOut: optedOut, reachability: reach).channels
        }
        // A statement goes by email: refusing email refuses the statement too.
        #expect(chosen([.init(.statement, fallback: [.letter])], []) == [.statement])
        #expect(chosen([.init(.statement, fallback: [.letter])], [.email]) == [.letter])
        #expect(chosen([.init(.statement, fallback: [.letter])], [.statement]) == [.letter])
        #expect(
            chosen([.init(.statement, fallback: [.letter])], [], DunningReachability(hasEmail: false, hasPhone: true, hasPostalAddress: true))
                == [.letter])
        // Two entries ending on the same channel use it once, in step order.
        let noEmail = DunningReachability(hasEmail: false, hasPhone: true, hasPostalAddress: true)
        #expect(chosen([.init(.email, fallback: [.letter]), .init(.letter)], [], noEmail) == [.letter])
        #expect(chosen([.init(.sms), .init(.email, fallback: [.sms])], [], noEmail) == [.sms])
        #expect(chosen([.init(.letter), .init(.email)], [], all) == [.letter, .email])
        // Fallback chains are walked in order.
        #expect(chosen([.init(.email, fallback: [.sms, .letter])], [.email, .sms]) == [.letter])
        let none = DunningChannelSelection.select([.init(.sms)], optedOut: [], reachability: noEmail.with(phone: false))
        #expect(!none.isDeliverable)
        #expect(none.choices == [DunningChannelChoice(requested: .sms, chosen: nil, passedOver: [.init(.sms, .noPhoneNumber)])])
    }

    // MARK: conditions

    @Test(
        arguments: [
            // currency, amount, rates → sent, or the skip reason
            (EUR, 10_000, [], nil),  // exactly the minimum
            (EUR, 9_999, [], DunningSkip.Reason.belowMinimum),
            (GBP, 9_000, [gbpToEUR], nil),  // 90.00 GBP = 105.30 EUR
            (GBP, 8_500, [gbpToEUR], .belowMinimum),  // 85.00 GBP = 99.45 EUR
            (USD, 1_000_000, [], .noRate),
            (USD, 1_000_000, [ExchangeRate(from: USD, to: GBP, rateNanos: 800_000_000)], .noRate),  // a rate into another currency
        ] as [(Currency, Int64, [ExchangeRate], DunningSkip.Reason?)])
    func minimumInBaseCurrency(currency: Currency, amount: Int64, rates: [ExchangeRate], reason: DunningSkip.Reason?) {
        let only = DunningPolicy(
            id: "only",
            steps: [DunningStep(id: "only", offsetDays: 0, channels: [.init(.email)], conditions: DunningStepConditions(minOverdueBaseMinor: 10_000))]
        )
        let plan = run(
            "2024-06-30", [cust(1, [inv(1, due: "2024-06-30", open: amount, currency)])], rates: rates,
            policies: DunningPolicyAssignment(policies: [only], defaultPolicyID: "only"))
        if let reason {
            #expect(plan.isEmpty)
            #expect(plan.skips.map(\.reason) == [reason])
            #expect(plan.skips.first?.currency == currency)
            #expect(plan.skips.first?.stepID == "only")
        } else {
            #expect(plan.messages.map(\.total) == [Money(minor: amount, currency)])
            #expect(plan.skips.isEmpty)
        }
    }

    @Test func missingRateSaysWhichCurrency() {
        let plan = run("2024-06-30", [cust(1, [inv(1, due: "2024-06-18", open: 50_000, USD)])], policies: minimumAssignment)
        #expect(plan.skips.first?.detail == "no rate for USD into EUR (needed to compare with the minimum of 100.00 EUR)")
        // firm cannot be checked, so the lower step without a minimum goes out; firm stays unrecorded.
        #expect(plan.messages.map(\.stepID) == ["gentle"])
        #expect(entries(plan) == ["1 gentle sent"])
    }

    @Test func minimumIsOnTheWholeMessage() {
        // Two EUR items of 60.00: each is below 100.00, together they are not.
        let plan = run(
            "2024-06-30", [cust(1, [inv(1, due: "2024-06-18", open: 6_000), inv(2, due: "2024-06-19", open: 6_000)])],
            policies: minimumAssignment)
        #expect(plan.messages.map(\.stepID) == ["firm"])
        #expect(plan.messages.map(ids) == [[1, 2]])
    }

    @Test func totalOverflowIsSkipped() {
        let half = Int64.max / 2 + 1
        let plan = run("2024-06-30", [cust(1, [inv(1, due: "2024-06-30", open: half), inv(2, due: "2024-06-30", open: half)])])
        #expect(plan.isEmpty)
        #expect(skips(plan) == ["C-1 amount_overflow due_today EUR 1 2", "C-1 amount_overflow reminder_before_due EUR 1 2"])
    }

    // MARK: policies

    @Test func strategicCustomersGetTheStatementPolicy() throws {
        var policies = DunningPolicyAssignment.standard
        policies.strategicPolicyID = "strategic_statement"
        let plan = run(
            "2024-06-30",
            [
                cust(1, [inv(1, due: "2024-06-30", open: 1_000)], strategic: true),
                cust(2, [inv(2, due: "2024-06-30", open: 1_000)]),
                cust(3, [inv(3, due: "2024-05-26", open: 1_000)], strategic: true),  // +35
            ], policies: policies)
        #expect(plan.messages.map(\.stepID) == ["statement_due", "due_today", "statement_30"])
        #expect(plan.messages.map(\.policyID) == ["strategic_statement", "cobro_default", "strategic_statement"])
        #expect(plan.messages.map(\.templateKey) == ["account_statement", "due_today", "account_statement"])
        #expect(plan.messages.map(\.channels) == [[.statement], [.email], [.statement]])
        #expect(
            entries(plan) == [
                "1 statement_due sent", "2 reminder_before_due superseded", "2 due_today sent", "3 statement_due superseded", "3 statement_30 sent",
            ])
    }

    @Test func customerOverrideWinsOverStrategicAndSegment() {
        let retail = DunningPolicy(id: "retail", steps: [DunningStep(id: "retail_0", offsetDays: 0, channels: [.init(.sms)])])
        let policies = DunningPolicyAssignment(
            policies: DunningPolicy.builtIn + [retail], defaultPolicyID: "cobro_default", strategicPolicyID: "strategic_statement",
            segmentPolicyIDs: ["retail": "retail"])
        let item = { (id: Int64) in inv(id, due: "2024-06-30", open: 1_000) }
        let plan = run(
            "2024-06-30",
            [
                cust(1, [item(1)], strategic: true, segment: "retail", override: "cobro_default"),
                cust(2, [item(2)], strategic: true, segment: "retail"),
                cust(3, [item(3)], segment: "retail"),
                cust(4, [item(4)], segment: "other"),
            ], policies: policies)
        #expect(plan.messages.map(\.stepID) == ["due_today", "statement_due", "retail_0", "due_today"])
    }

    @Test func lateFeeIsCopiedOntoTheMessage() {
        var p = DunningPolicy.cobroDefault
        p.steps[2].lateFee = .fixed([.init(EUR, minor: 4_000)])
        let plan = run(
            "2024-06-30", [cust(1, [inv(1, due: "2024-06-23", open: 1_000)])],
            policies: DunningPolicyAssignment(policies: [p], defaultPolicyID: "cobro_default"))
        #expect(plan.messages.map(\.lateFee) == [.fixed([.init(EUR, minor: 4_000)])])
    }

    // MARK: determinism

    @Test func outputDoesNotDependOnInputOrder() {
        let customers = [
            cust(3, [inv(31, due: "2024-06-23", open: 1_000), inv(32, due: "2024-06-01", open: 2_000, USD)]),
            cust(1, [inv(11, due: "2024-06-25", open: 1_000), inv(12, due: "2024-06-25", open: 500, covered: true)]),
            cust(2, [inv(21, due: "2024-07-01", open: 1_000), inv(22, due: "2024-06-29", open: 0)]),
        ]
        let a = run("2024-06-30", customers)
        let b = run(
            "2024-06-30",
            customers.reversed().map { c in
                var c = c
                c.items.reverse()
                return c
            })
        #expect(a == b)
        #expect(a.messages.map(\.customerID.rawValue) == [1, 2, 3, 3])
    }

    @Test func dedupeKeyShape() {
        #expect(
            DunningPlanner.dedupeKey(customerID: CustomerID(42), stepID: "overdue_30", currency: EUR, asOf: day("2024-06-30"))
                == "dunning:42:overdue_30:EUR:2024-06-30")
    }
}

extension DunningReachability {
    fileprivate func with(phone: Bool) -> DunningReachability {
        DunningReachability(hasEmail: hasEmail, hasPhone: phone, hasPostalAddress: hasPostalAddress)
    }
}

@Suite("Daily run schedule") struct DailyRunScheduleTests {
    let bogota = TimeZone(identifier: "America/Bogota")!  // UTC−5, no daylight saving

    func at(_ iso: String) -> Date { ISO8601DateFormatter().date(from: iso)! }

    @Test("due from 10:00 on the company's clock, once per local day; after an outage one run dated today")
    func due() {
        let june30 = LocalDate(year: 2024, month: 6, day: 30)!, july1 = LocalDate(year: 2024, month: 7, day: 1)!
        // 14:59 UTC is 09:59 in Bogotá: not yet.
        #expect(DailyRunSchedule.due(now: at("2024-07-01T14:59:00Z"), timeZone: bogota, lastScheduled: june30) == nil)
        #expect(DailyRunSchedule.due(now: at("2024-07-01T15:00:00Z"), timeZone: bogota, lastScheduled: june30) == july1)
        // Already run today: nothing more until tomorrow 10:00.
        #expect(DailyRunSchedule.due(now: at("2024-07-01T23:00:00Z"), timeZone: bogota, lastScheduled: july1) == nil)
        // 03:00 UTC on 07-02 is still 22:00 on 07-01 in Bogotá.
        #expect(DailyRunSchedule.due(now: at("2024-07-02T03:00:00Z"), timeZone: bogota, lastScheduled: july1) == nil)
        // Down from 06-25 to 07-01: one run, dated 07-01.
        #expect(DailyRunSchedule.due(now: at("2024-07-01T16:00:00Z"), timeZone: bogota, lastScheduled: LocalDate(year: 2024, month: 6, day: 25)!) == july1)
        #expect(DailyRunSchedule.due(now: at("2024-07-01T16:00:00Z"), timeZone: bogota, lastScheduled: nil) == july1)
        // Another minute of day.
        #expect(DailyRunSchedule.due(now: at("2024-07-01T13:30:00Z"), timeZone: bogota, minuteOfDay: 8 * 60 + 30, lastScheduled: june30) == july1)
    }

    @Test("HH:MM parsing")
    func parsing() {
        #expect(DailyRunSchedule.minuteOfDay("10:00") == 600)
        #expect(DailyRunSchedule.minuteOfDay("00:05") == 5)
        #expect(DailyRunSchedule.minuteOfDay("23:59") == 1439)
        for bad in ["24:00", "9:00", "10:60", "10", "", "aa:bb", "10:00:00"] { #expect(DailyRunSchedule.minuteOfDay(bad) == nil, "\(bad)") }
    }
}
