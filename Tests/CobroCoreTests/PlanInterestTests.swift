import CobroCore
import Testing

// Plan interest: simple, actual/365, on the principal outstanding since the previous due date, half up per
// installment. 2024 is a leap year: 01-01 → 01-31 is 30 days, 01-31 → 03-01 30, 03-01 → 03-31 30, 03-31 → 04-30 30.

private let EUR = Currency(code: "EUR")!
private func day(_ iso: String) -> LocalDate { LocalDate(iso: iso)! }
private func cents(_ minor: Int64) -> Money { Money(minor: minor, EUR) }

private func plan(down: Int64? = nil, _ schedule: [(String, Int64)], start: String = "2024-01-01") -> PaymentPlan {
    PaymentPlan(
        currency: EUR, total: cents((down ?? 0) + schedule.reduce(0) { $0 + $1.1 }), downPayment: down.map(cents),
        installments: schedule.map { PaymentPlan.Installment(dueDate: day($0.0), amount: cents($0.1)) }, graceDays: 7, missesToDefault: 2,
        startDate: day(start))
}

@Suite("Payment plan interest")
struct PlanInterestTests {
    // 1,000.00 in 4 × 250.00 at 12 %:
    // 1,000 × 0.12 × 30/365 = 9.863 → 9.86; 750 × … = 7.397 → 7.40; 500 × … = 4.932 → 4.93; 250 × … = 2.466 → 2.47.
    // Total 24.66; the customer pays 259.86, 257.40, 254.93, 252.47 = 1,024.66.
    let fourQuarters = plan([("2024-01-31", 25_000), ("2024-03-01", 25_000), ("2024-03-31", 25_000), ("2024-04-30", 25_000)])

    @Test func decliningPrincipalWorkedExample() throws {
        let interest = PlanInterest.perInstallment(fourQuarters, annualRate: .percent(12))
        #expect(interest == [cents(986), cents(740), cents(493), cents(247)])
        let withInterest = PlanInterest.applying(interest, to: fourQuarters)
        #expect(withInterest.installments.map(\.amount) == [cents(25_986), cents(25_740), cents(25_493), cents(25_247)])
        #expect(withInterest.total == cents(102_466))
        #expect(withInterest.validate().isEmpty)
    }

    // A down payment of 400.00 is paid on the start date and bears none: 600 × 0.10 × 30/365 = 4.932 → 4.93,
    // 400 × … = 3.288 → 3.29, 200 × … = 1.644 → 1.64.
    @Test func downPaymentBearsNoInterest() {
        let p = plan(down: 40_000, [("2024-01-31", 20_000), ("2024-03-01", 20_000), ("2024-03-31", 20_000)])
        #expect(PlanInterest.perInstallment(p, annualRate: .percent(10)) == [cents(493), cents(329), cents(164)])
    }

    // 36.50 at 1 % for 5 days is exactly 0.5 cent → 1 cent (half up); for 4 days 0.4 cent → 0.
    @Test(arguments: [("2024-01-06", Int64(1)), ("2024-01-05", 0)])
    func halfUpPerInstallment(due: String, expected: Int64) {
        #expect(PlanInterest.perInstallment(plan([(due, 3_650)]), annualRate: .percent(1)) == [cents(expected)])
    }

    // Ended on 03-09 (a default the day after the grace of the 03-01 installment): the 03-31 and 04-30
    // installments' interest, 4.93 + 2.47 = 7.40, was not earned. Ended on their due date, it was.
    @Test func unearnedInterestAfterAnEarlyEnd() {
        let interest = PlanInterest.perInstallment(fourQuarters, annualRate: .percent(12))
        #expect(PlanInterest.unearned(interest, plan: fourQuarters, endedOn: day("2024-03-09")) == cents(740))
        #expect(PlanInterest.unearned(interest, plan: fourQuarters, endedOn: day("2024-04-30")) == cents(0))
        #expect(PlanInterest.unearned(interest, plan: fourQuarters, endedOn: day("2023-12-31")) == cents(2_466))
    }

    @Test(arguments: ["0", "-1", "100.0001"])
    func unusableRates(text: String) throws {
        let rate = try Percentage.parse(text).get()
        #expect(PlanInterest.problem(rate)?.contains("at most 100%") == true)
    }

    @Test func usableRates() throws {
        #expect(PlanInterest.problem(try Percentage.parse("0.01").get()) == nil)
        #expect(PlanInterest.problem(.percent(100)) == nil)
    }
}
