import CobroCore
import Testing

// Payment plans (reference §2.8): validation and evaluation. Every expected value is worked out by hand in the
// comments. Amounts are EUR minor units unless said otherwise (250.00 EUR = 25_000). 2024 is a leap year:
// 2024-01-01 + 30 = 01-31, + 60 = 03-01, + 90 = 03-31.

private let EUR = Currency(code: "EUR")!
private let USD = Currency(code: "USD")!

private func day(_ iso: String) -> LocalDate {
    guard let d = LocalDate(iso: iso) else { fatalError("bad test date \(iso)") }
    return d
}

/// `major` whole euros.
private func eur(_ major: Int64) -> Money { Money(minor: major * 100, EUR) }

private func pay(_ iso: String, _ major: Int64) -> PlanPayment { PlanPayment(day: day(iso), amount: eur(major)) }

/// The §2.8 plan: 1,000 in 4 × 250 due 2024-01-01, 01-31, 03-01, 03-31 (days 0, 30, 60, 90), grace 7.
private func workedPlan(k: Int, downPayment: Money? = nil) -> PaymentPlan {
    PaymentPlan(
        currency: EUR, total: eur(1_000), downPayment: downPayment,
        installments: ["2024-01-01", "2024-01-31", "2024-03-01", "2024-03-31"].map {
            PaymentPlan.Installment(dueDate: day($0), amount: eur(250))
        },
        graceDays: 7, missesToDefault: k, startDate: day("2024-01-01"))
}

/// The §2.8 payments: 250 on day 0, 250 on day 35 (2024-02-05), 100 on day 60 (2024-03-01).
private let workedPayments = [pay("2024-01-01", 250), pay("2024-02-05", 250), pay("2024-03-01", 100)]

private func evaluate(_ plan: PaymentPlan, _ payments: [PlanPayment], on iso: String) throws -> PlanStatusReport {
    try PaymentPlanEvaluation.evaluate(plan, payments: payments, on: day(iso)).get()
}

private func states(_ r: PlanStatusReport) -> [InstallmentState] { r.installments.map(\.state) }

private func evaluationIssue(_ plan: PaymentPlan, _ payments: [PlanPayment], on iso: String) -> PlanIssue? {
    if case .failure(let issue) = PaymentPlanEvaluation.evaluate(plan, payments: payments, on: day(iso)) { return issue }
    return nil
}

@Suite("Payment plan evaluation")
struct PaymentPlanEvaluationTests {
    // Day 98 = 2024-04-08, the day after the 4th installment's last grace day (03-31 + 7 = 04-07).
    // Installment 0: 250 on 01-01 ≤ 01-08 → kept. Installment 1: 250 on 02-05 ≤ 02-07 → kept.
    // Installment 2: 100 of 250 by 03-08 → missed. Installment 3: nothing by 04-07 → missed.
    // Kept rate 2 / 4 = 5000 bp; coverage (all four due) 600 / 1,000 = 6000 bp.
    // k = 2: the run of misses reaches 2 at installment 3 → defaulted on 04-07 + 1 = 04-08.
    @Test func workedExampleDefaultsWithTwoConsecutiveMisses() throws {
        let r = try evaluate(workedPlan(k: 2), workedPayments, on: "2024-04-08")
        #expect(states(r) == [.kept, .kept, .missed, .missed])
        #expect(r.installments.map(\.paid) == [eur(250), eur(250), eur(100), eur(0)])
        #expect(r.installments.map(\.paidOn) == [day("2024-01-01"), day("2024-02-05"), nil, nil])
        #expect(r.installments.map(\.lastGraceDay) == [day("2024-01-08"), day("2024-02-07"), day("2024-03-08"), day("2024-04-07")])
        #expect(r.installments.map(\.index) == [0, 1, 2, 3])
        #expect(r.downPayment == nil)
        #expect(r.keptCount == 2 && r.missedCount == 2 && r.pendingCount == 0)
        #expect(r.keptRateBasisPoints == 5_000)
        #expect(r.coverageBasisPoints == 6_000)
        #expect(r.status == .defaulted)
        #expect(r.defaultedOn == day("2024-04-08"))
        #expect(r.completedOn == nil)
        #expect(r.paidTotal == eur(600))
        #expect(r.remaining == eur(400))
        #expect(r.unapplied == eur(0))
        // The oldest unpaid installment is the 3rd: 250 − 100 = 150 still owed.
        #expect(r.nextDue == PlanNextDue(slot: .installment(index: 2), dueDate: day("2024-03-01"), amount: eur(150)))
    }

    // Same facts, k = 3: the longest run is 2 misses → still active.
    @Test func workedExampleStaysActiveWithThreeMissesNeeded() throws {
        let r = try evaluate(workedPlan(k: 3), workedPayments, on: "2024-04-08")
        #expect(states(r) == [.kept, .kept, .missed, .missed])
        #expect(r.keptRateBasisPoints == 5_000)
        #expect(r.coverageBasisPoints == 6_000)
        #expect(r.status == .active)
        #expect(r.defaultedOn == nil)
    }

    // On 04-07 (day 97, the 4th installment's last grace day) the 4th is still pending; only the 3rd is missed.
    // Kept rate 2 / 3 = 6666.67 → 6667 bp (half up). Coverage: all four due by 04-07 → 600 / 1,000 = 6000 bp.
    // k = 2: a run of 1 → active.
    @Test func workedExampleOnLastGraceDayLeavesTheFourthPending() throws {
        let r = try evaluate(workedPlan(k: 2), workedPayments, on: "2024-04-07")
        #expect(states(r) == [.kept, .kept, .missed, .pending])
        #expect(r.keptCount == 2 && r.missedCount == 1 && r.pendingCount == 1)
        #expect(r.keptRateBasisPoints == 6_667)
        #expect(r.coverageBasisPoints == 6_000)
        #expect(r.status == .active)
        #expect(r.defaultedOn == nil)
    }

    // Installment 1 is due 01-31, last grace day 02-07. Installment 0 is paid on 01-01 in every case.
    // Paid on 02-07 → kept. Paid on 02-08 → missed (paid late; it keeps its paidOn) and, with k = 1, the plan
    // defaulted on 02-08. Evaluated on 02-10: installment 2 (due 03-01) is pending.
    @Test(arguments: [("2024-02-07", InstallmentState.kept), ("2024-02-08", .missed)])
    func graceBoundaryIsInclusive(paidOn: String, expected: InstallmentState) throws {
        let r = try evaluate(workedPlan(k: 1), [pay("2024-01-01", 250), pay(paidOn, 250)], on: "2024-02-10")
        #expect(states(r) == [.kept, expected, .pending, .pending])
        #expect(r.installments[1].paidOn == day(paidOn))
        #expect(r.installments[1].paid == eur(250))
        if expected == .kept {
            #expect(r.status == .active)
            #expect(r.defaultedOn == nil)
            #expect(r.keptRateBasisPoints == 10_000)
        } else {
            #expect(r.status == .defaulted)
            #expect(r.defaultedOn == day("2024-02-08"))
            #expect(r.keptRateBasisPoints == 5_000)
        }
    }

    // Unpaid installment 1 (last grace day 02-07): pending when evaluated on 02-07, missed on 02-08.
    @Test func unpaidInstallmentIsJudgedTheDayAfterGrace() throws {
        let payments = [pay("2024-01-01", 250)]
        let onLastGraceDay = try evaluate(workedPlan(k: 1), payments, on: "2024-02-07")
        #expect(states(onLastGraceDay) == [.kept, .pending, .pending, .pending])
        #expect(onLastGraceDay.status == .active)
        let dayAfter = try evaluate(workedPlan(k: 1), payments, on: "2024-02-08")
        #expect(states(dayAfter) == [.kept, .missed, .pending, .pending])
        #expect(dayAfter.status == .defaulted)
        #expect(dayAfter.defaultedOn == day("2024-02-08"))
    }

    // 600 on 01-01 pays installment 0 (250), installment 1 in advance (250) and 100 of installment 2.
    // Evaluated on 02-15: installments 0 and 1 kept (paid 01-01, before their grace ends); 2 and 3 pending.
    // Kept rate 2 / 2 = 10000 bp. Coverage counts only what is due by 02-15 (installments 0, 1):
    // 500 / 500 = 10000 bp — the advance 100 on installment 2 is not counted. Next due: 03-01, 150.
    @Test func paymentInAdvancePaysTheNextInstallments() throws {
        let r = try evaluate(workedPlan(k: 2), [pay("2024-01-01", 600)], on: "2024-02-15")
        #expect(states(r) == [.kept, .kept, .pending, .pending])
        #expect(r.installments.map(\.paid) == [eur(250), eur(250), eur(100), eur(0)])
        #expect(r.installments.map(\.paidOn) == [day("2024-01-01"), day("2024-01-01"), nil, nil])
        #expect(r.keptRateBasisPoints == 10_000)
        #expect(r.coverageBasisPoints == 10_000)
        #expect(r.paidTotal == eur(600))
        #expect(r.remaining == eur(400))
        #expect(r.nextDue == PlanNextDue(slot: .installment(index: 2), dueDate: day("2024-03-01"), amount: eur(150)))
        #expect(r.status == .active)
    }

    // 700 on 01-01 and 500 on 02-01: 1,200 received for a 1,000 plan. The second payment completes the plan
    // (300 still owed after the first) and leaves 200 unapplied. Completed on 02-01; nothing next.
    @Test func overpaymentIsReportedAsUnapplied() throws {
        let r = try evaluate(workedPlan(k: 2), [pay("2024-02-01", 500), pay("2024-01-01", 700)], on: "2024-02-15")
        #expect(states(r) == [.kept, .kept, .kept, .kept])
        #expect(r.installments.map(\.paidOn) == [day("2024-01-01"), day("2024-01-01"), day("2024-02-01"), day("2024-02-01")])
        #expect(r.status == .completed)
        #expect(r.completedOn == day("2024-02-01"))
        #expect(r.paidTotal == eur(1_000))
        #expect(r.remaining == eur(0))
        #expect(r.unapplied == eur(200))
        #expect(r.nextDue == nil)
        // Due by 02-15: installments 0, 1 → 500 / 500.
        #expect(r.coverageBasisPoints == 10_000)
    }

    // Paying each installment on its due date: all kept, completed on the last due date.
    @Test func completedPlan() throws {
        let payments = [pay("2024-03-31", 250), pay("2024-01-01", 250), pay("2024-03-01", 250), pay("2024-01-31", 250)]
        let r = try evaluate(workedPlan(k: 1), payments, on: "2024-06-30")
        #expect(states(r) == [.kept, .kept, .kept, .kept])
        #expect(r.status == .completed)
        #expect(r.completedOn == day("2024-03-31"))
        #expect(r.defaultedOn == nil)
        #expect(r.keptRateBasisPoints == 10_000)
        #expect(r.coverageBasisPoints == 10_000)
        #expect(r.remaining == eur(0))
        #expect(r.unapplied == eur(0))
        #expect(r.nextDue == nil)
    }

    // k = 1; installment 0 paid on 01-10 (last grace day 01-08) → missed, defaulted on 01-09. The rest is paid
    // on time, so the plan ends completed but still reports when it defaulted.
    @Test func completedAfterDefaultKeepsTheDefaultDate() throws {
        let payments = [pay("2024-01-10", 250), pay("2024-01-31", 250), pay("2024-03-01", 250), pay("2024-03-31", 250)]
        let r = try evaluate(workedPlan(k: 1), payments, on: "2024-04-30")
        #expect(states(r) == [.missed, .kept, .kept, .kept])
        #expect(r.installments[0].paidOn == day("2024-01-10"))
        #expect(r.status == .completed)
        #expect(r.defaultedOn == day("2024-01-09"))
        #expect(r.keptRateBasisPoints == 7_500)
        // Between the default and the last payment, the same facts give "defaulted".
        let midway = try evaluate(workedPlan(k: 1), payments, on: "2024-03-15")
        #expect(midway.status == .defaulted)
        #expect(midway.defaultedOn == day("2024-01-09"))
    }

    // A kept installment resets the run. Installment 0 paid late (01-10 > 01-08) → missed; 1 kept (250 on 01-31);
    // 2 and 3 unpaid → missed on 04-08. Runs: 1, reset, then 1, 2.
    // k = 2 → defaulted on 04-08 (at installment 3), not 03-09 (which a run ignoring the reset would give).
    // k = 3 → active.
    @Test func keptInstallmentResetsTheRunOfMisses() throws {
        let payments = [pay("2024-01-10", 250), pay("2024-01-31", 250)]
        let k2 = try evaluate(workedPlan(k: 2), payments, on: "2024-04-08")
        #expect(states(k2) == [.missed, .kept, .missed, .missed])
        #expect(k2.status == .defaulted)
        #expect(k2.defaultedOn == day("2024-04-08"))
        let k3 = try evaluate(workedPlan(k: 3), payments, on: "2024-04-08")
        #expect(k3.status == .active)
        #expect(k3.defaultedOn == nil)
    }

    // Plan 1,000 = down payment 400 (due on start 2024-01-01) + 3 × 200 due 01-31, 03-01, 03-31; grace 7.
    // 300 on 01-01 (partial down payment), 300 on 01-31: 100 completes the down payment on 01-31 (> 01-08 →
    // missed), 200 pays installment 0 on its due date → kept. 200 on 03-20 pays installment 1 late (> 03-08) →
    // missed. Evaluated on 03-25: installment 2 (due 03-31) pending.
    // Kept 1 / judged 3 = 3333.33 → 3333 bp. Due by 03-25: 400 + 200 + 200 = 800, all paid → 10000 bp.
    // k = 2: runs 1 (down), reset (inst 0), 1 (inst 1) → active.
    // k = 1: the missed down payment defaults the plan on 01-09.
    @Test func downPaymentIsTheFirstSlot() throws {
        let plan = PaymentPlan(
            currency: EUR, total: eur(1_000), downPayment: eur(400),
            installments: ["2024-01-31", "2024-03-01", "2024-03-31"].map {
                PaymentPlan.Installment(dueDate: day($0), amount: eur(200))
            },
            graceDays: 7, missesToDefault: 2, startDate: day("2024-01-01"))
        #expect(plan.validate().isEmpty)
        let payments = [pay("2024-01-01", 300), pay("2024-01-31", 300), pay("2024-03-20", 200)]
        let r = try evaluate(plan, payments, on: "2024-03-25")
        let down = try #require(r.downPayment)
        #expect(down.slot == .downPayment)
        #expect(down.index == nil)
        #expect(down.dueDate == day("2024-01-01"))
        #expect(down.paid == eur(400))
        #expect(down.paidOn == day("2024-01-31"))
        #expect(down.state == .missed)
        #expect(states(r) == [.kept, .missed, .pending])
        #expect(r.schedule.map(\.slot) == [.downPayment, .installment(index: 0), .installment(index: 1), .installment(index: 2)])
        #expect(r.keptRateBasisPoints == 3_333)
        #expect(r.coverageBasisPoints == 10_000)
        #expect(r.paidTotal == eur(800))
        #expect(r.remaining == eur(200))
        #expect(r.status == .active)
        #expect(r.nextDue == PlanNextDue(slot: .installment(index: 2), dueDate: day("2024-03-31"), amount: eur(200)))

        var strict = plan
        strict.missesToDefault = 1
        let r1 = try evaluate(strict, payments, on: "2024-03-25")
        #expect(r1.status == .defaulted)
        #expect(r1.defaultedOn == day("2024-01-09"))
    }

    // Nothing due yet (evaluated the day before the first due date, no payments): no rate has a denominator.
    @Test func nothingDueYetGivesNoRates() throws {
        let r = try evaluate(workedPlan(k: 2), [], on: "2023-12-31")
        #expect(states(r) == [.pending, .pending, .pending, .pending])
        #expect(r.keptRateBasisPoints == nil)
        #expect(r.coverageBasisPoints == nil)
        #expect(r.nextDue == PlanNextDue(slot: .installment(index: 0), dueDate: day("2024-01-01"), amount: eur(250)))
        #expect(r.remaining == eur(1_000))
    }

    // Coverage counts an installment from its due date (inclusive). 250 paid on 01-01. On 01-31 installments 0 and 1
    // are due: 250 / 500 = 5000 bp (installment 1 pending). On 01-30 only installment 0: 250 / 250 = 10000 bp.
    @Test func coverageIncludesInstallmentsDueOnTheEvaluationDate() throws {
        let onDueDate = try evaluate(workedPlan(k: 2), [pay("2024-01-01", 250)], on: "2024-01-31")
        #expect(states(onDueDate) == [.kept, .pending, .pending, .pending])
        #expect(onDueDate.coverageBasisPoints == 5_000)
        #expect(onDueDate.keptRateBasisPoints == 10_000)
        let dayBefore = try evaluate(workedPlan(k: 2), [pay("2024-01-01", 250)], on: "2024-01-30")
        #expect(dayBefore.coverageBasisPoints == 10_000)
    }

    // Coverage rounds half up: one installment of 200.00 (20,000 minor), 0.01 paid → 1 × 10,000 / 20,000 = 0.5 bp
    // → 1 bp (half to even would give 0). 0.03 paid → 1.5 bp → 2 bp.
    @Test(arguments: [(Int64(1), 1), (Int64(3), 2)])
    func coverageRoundsHalfUp(paidMinor: Int64, expectedBasisPoints: Int) throws {
        let plan = PaymentPlan(
            currency: EUR, total: eur(200), installments: [.init(dueDate: day("2024-01-01"), amount: eur(200))],
            graceDays: 0, missesToDefault: 1, startDate: day("2024-01-01"))
        let r = try evaluate(plan, [PlanPayment(day: day("2024-01-01"), amount: Money(minor: paidMinor, EUR))], on: "2024-01-05")
        #expect(r.coverageBasisPoints == expectedBasisPoints)
        #expect(r.installments[0].state == .missed)
        #expect(r.keptRateBasisPoints == 0)
    }

    // A payment dated after the evaluation date is not applied: on 2024-02-10 only the first 250 counts.
    @Test func paymentsAfterTheEvaluationDateAreNotApplied() throws {
        let r = try evaluate(workedPlan(k: 2), [pay("2024-01-01", 250), pay("2024-02-11", 250)], on: "2024-02-10")
        #expect(states(r) == [.kept, .missed, .pending, .pending])
        #expect(r.paidTotal == eur(250))
        #expect(r.paidAfterEvaluation == eur(250))
        #expect(r.unapplied == eur(0))
    }

    @Test func paymentInAnotherCurrencyIsRejected() {
        let payments = [pay("2024-01-01", 250), PlanPayment(day: day("2024-01-31"), amount: Money(minor: 25_000, USD))]
        let issue = evaluationIssue(workedPlan(k: 2), payments, on: "2024-04-08")
        #expect(issue?.field == "payments[1].amount")
        #expect(issue?.message == "currency USD must be the plan's currency EUR")
    }

    @Test func nonPositivePaymentIsRejected() {
        let issue = evaluationIssue(workedPlan(k: 2), [pay("2024-01-01", 0)], on: "2024-04-08")
        #expect(issue?.field == "payments[0].amount")
        #expect(issue?.message == "0.00 must be greater than 0")
    }

    @Test func invalidPlanIsNotEvaluated() {
        var plan = workedPlan(k: 2)
        plan.graceDays = 91
        let issue = evaluationIssue(plan, workedPayments, on: "2024-04-08")
        #expect(issue?.field == "graceDays")
    }
}

@Suite("Payment plan validation")
struct PaymentPlanValidationTests {
    @Test func workedPlanIsValid() {
        #expect(workedPlan(k: 2).validate() == [])
        #expect(workedPlan(k: 12).validate() == [])
    }

    // 1,000.00 total but installments 250 + 250 + 250 + 249.99 = 999.99.
    @Test func sumMismatchShowsBothSums() {
        var plan = workedPlan(k: 2)
        plan.installments[3].amount = Money(minor: 24_999, EUR)
        #expect(
            plan.validate() == [
                PlanIssue(
                    field: "total",
                    message: "1000.00 must equal the down payment plus the installments exactly, which sum to 999.99 EUR")
            ])
        // A down payment counts in the sum: 400 + 4 × 250 = 1,400.
        var withDown = workedPlan(k: 2, downPayment: eur(400))
        #expect(withDown.validate().map(\.message) == [
            "1000.00 must equal the down payment plus the installments exactly, which sum to 1400.00 EUR"
        ])
        withDown.total = eur(1_400)
        #expect(withDown.validate() == [])
    }

    // Installment 2 due 2024-01-15, before installment 1 (01-31); installment 3 due the same day as installment 2.
    @Test func decreasingOrRepeatedDueDates() {
        var plan = workedPlan(k: 2)
        plan.installments[2].dueDate = day("2024-01-15")
        plan.installments[3].dueDate = day("2024-01-15")
        #expect(
            plan.validate() == [
                PlanIssue(
                    field: "installments[2].dueDate",
                    message: "2024-01-15 must be after installments[1].dueDate (2024-01-31): due dates increase strictly"),
                PlanIssue(
                    field: "installments[3].dueDate",
                    message: "2024-01-15 must be after installments[2].dueDate (2024-01-15): due dates increase strictly"),
            ])
    }

    @Test func firstDueDateBeforeStart() {
        var plan = workedPlan(k: 2)
        plan.installments[0].dueDate = day("2023-12-31")
        #expect(
            plan.validate() == [
                PlanIssue(field: "installments[0].dueDate", message: "2023-12-31 must be on or after startDate (2024-01-01)")
            ])
    }

    // A USD installment: reported on its field, and the sum is not checked (currencies are never added).
    @Test func wrongCurrency() {
        var plan = workedPlan(k: 2)
        plan.installments[1].amount = Money(minor: 25_000, USD)
        #expect(
            plan.validate() == [
                PlanIssue(field: "installments[1].amount", message: "currency USD must be the plan's currency EUR")
            ])
        var down = workedPlan(k: 2, downPayment: Money(minor: 100, USD))
        down.total = eur(1_001)
        #expect(down.validate().map(\.field) == ["downPayment"])
    }

    // Installment 3 of 0.00 (total lowered to 750 so the sum still matches): only the amount is reported.
    @Test func zeroAmount() {
        var plan = workedPlan(k: 2)
        plan.total = eur(750)
        plan.installments[3].amount = eur(0)
        #expect(plan.validate() == [PlanIssue(field: "installments[3].amount", message: "0.00 must be greater than 0")])
    }

    @Test(arguments: [-1, 91])
    func graceOutOfRange(grace: Int) {
        var plan = workedPlan(k: 2)
        plan.graceDays = grace
        #expect(
            plan.validate() == [
                PlanIssue(
                    field: "graceDays",
                    message: "\(grace) must be between 0 and 90 (days after a due date that still count as on time)")
            ])
    }

    @Test func graceBoundsAreAccepted() {
        var plan = workedPlan(k: 2)
        plan.graceDays = 0
        #expect(plan.validate() == [])
        plan.graceDays = 90
        #expect(plan.validate() == [])
    }

    @Test(arguments: [0, 13])
    func missesToDefaultOutOfRange(k: Int) {
        #expect(
            workedPlan(k: k).validate() == [
                PlanIssue(
                    field: "missesToDefault",
                    message: "\(k) must be between 1 and 12 (consecutive missed installments that default the plan)")
            ])
    }

    // No installments: reported, and the sum (0) no longer matches the total either.
    @Test func noInstallments() {
        var plan = workedPlan(k: 2)
        plan.installments = []
        #expect(plan.validate().map(\.field) == ["installments", "total"])
        #expect(plan.validate().first?.message == "must list at least one installment")
    }
}

@Suite("Payment plan tracking")
struct PaymentPlanTrackingTests {
    // §2.8 payments (250 on 01-01, 250 on 02-05, 100 on 03-01):
    // on 02-03 installment 1 (due 01-31) is unpaid within grace → late; installment 2 (due 03-01) → due;
    // on 02-05 installment 1 is paid after its due date, in grace → paid_late;
    // on 03-09 installment 2 (150 still owed after grace 03-08) → missed; installment 0, paid on its due date → paid.
    @Test func paidLateAndMissed() throws {
        let plan = workedPlan(k: 3)
        let feb3 = try evaluate(plan, workedPayments, on: "2024-02-03")
        #expect(feb3.installments.map { $0.tracking(on: day("2024-02-03")) } == [.paid, .late, .due, .due])
        let feb5 = try evaluate(plan, workedPayments, on: "2024-02-05")
        #expect(feb5.installments.map { $0.tracking(on: day("2024-02-05")) } == [.paid, .paidLate, .due, .due])
        let mar9 = try evaluate(plan, workedPayments, on: "2024-03-09")
        #expect(mar9.installments.map { $0.tracking(on: day("2024-03-09")) } == [.paid, .paidLate, .missed, .due])
        // On its due date an unpaid installment is still just due.
        #expect(try evaluate(plan, workedPayments, on: "2024-03-01").installments[2].tracking(on: day("2024-03-01")) == .due)
    }
}
