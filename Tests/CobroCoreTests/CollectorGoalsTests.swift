import CobroCore
import Testing

private let USD = Currency(code: "USD")!
private let EUR = Currency(code: "EUR")!
private let JPY = Currency(code: "JPY")!
private func day(_ iso: String) -> LocalDate { LocalDate(iso: iso)! }

@Suite("Collector goals vs actual") struct CollectorGoalsTests {
    @Test("months are YYYY-MM with real months; first and last days follow the calendar")
    func months() throws {
        let feb = try #require(YearMonth(iso: "2024-02"))
        #expect(feb.firstDay == day("2024-02-01") && feb.lastDay == day("2024-02-29"), "2024 is a leap year")
        #expect(YearMonth(iso: "2023-02")?.lastDay == day("2023-02-28"))
        #expect(YearMonth(day("2024-12-31")).iso == "2024-12")
        for bad in ["2024-13", "2024-00", "2024-6", "24-06", "2024/06", "2024-06-01", "", "abcd-ef", "２０２４-06"] { #expect(YearMonth(iso: bad) == nil, "\(bad)") }
        #expect(YearMonth(iso: "2024-01")! < YearMonth(iso: "2024-02")!)
    }

    @Test("a payment counts for whoever held the customer at the end of its day")
    func holder() {
        let history = [CollectorGoals.Assignment(day: day("2024-07-01"), collector: "ana"), .init(day: day("2024-07-10"), collector: "beto"),
                       .init(day: day("2024-07-10"), collector: "carla"), .init(day: day("2024-07-20"), collector: nil)]
        #expect(CollectorGoals.holder(history, endOf: day("2024-06-30")) == nil, "before the first assignment: nobody")
        #expect(CollectorGoals.holder(history, endOf: day("2024-07-09")) == "ana")
        #expect(CollectorGoals.holder(history, endOf: day("2024-07-10")) == "carla", "the day's last change wins")
        #expect(CollectorGoals.holder(history, endOf: day("2024-07-25")) == nil, "unassigned again")
        #expect(CollectorGoals.holder([], endOf: day("2024-07-25")) == nil)
    }

    @Test("attainment converts other currencies per payment, keeps those without a rate apart, and totals the rows")
    func attainment() throws {
        // 1 EUR = 1.10 USD; JPY has no rate.
        let rates = [ExchangeRate(from: EUR, to: USD, rateNanos: 1_100_000_000)]
        let payments = [
            CollectorGoals.Payment(collector: "ana", currency: USD, amountMinor: 50_000),   // 500.00
            .init(collector: "ana", currency: EUR, amountMinor: 10_000),                    // 100.00 EUR = 110.00 USD
            .init(collector: "beto", currency: JPY, amountMinor: 5_000),                    // ¥5,000, no rate
            .init(collector: nil, currency: USD, amountMinor: 2_500),                       // a customer nobody held
            .init(collector: "carla", currency: USD, amountMinor: 10_000),                  // 100.00, Carla has no goal
        ]
        let (rows, total) = CollectorGoals.attainment(goals: ["ana": 90_000, "dora": 10_000], collectors: ["ana", "beto", "carla", "eva"], payments: payments, base: USD, rates: rates)
        #expect(rows.map(\.collector) == ["ana", "beto", "carla", "dora", "eva", nil])
        #expect(rows[4].payments == 0 && rows[4].collectedMinor == 0, "an active collector without payments still shows")
        let ana = rows[0]
        #expect(ana.collectedMinor == 61_000 && ana.payments == 2)
        // 610 / 900 = 67.777… % → 6,778 bp; 290.00 to go.
        #expect(ana.attainmentBasisPoints == 6_778 && ana.remainingMinor == 29_000)
        #expect(rows[1].collectedMinor == 0 && rows[1].unconvertedMinor == ["JPY": 5_000] && rows[1].goalMinor == nil && rows[1].attainmentBasisPoints == nil)
        #expect(rows[2].collectedMinor == 10_000 && rows[2].attainmentBasisPoints == nil && rows[2].collectedTowardGoalMinor == 0)
        #expect(rows[3].attainmentBasisPoints == 0 && rows[3].remainingMinor == 10_000)
        #expect(rows[5].collectedMinor == 2_500)
        // The total is the collectors' (not the unassigned 25.00); its attainment counts only Ana and Dora, who have goals
        // (Carla's 100.00 does not lift it): 610 of 1,000 → 61 %.
        #expect(total.goalMinor == 100_000 && total.collectedMinor == 71_000 && total.payments == 4)
        #expect(total.collectedTowardGoalMinor == 61_000 && total.attainmentBasisPoints == 6_100 && total.remainingMinor == 39_000)
        #expect(total.unconvertedMinor == ["JPY": 5_000])
    }

    @Test("over the goal: attainment above 100 %, nothing to go; conversion rounds half to even per payment")
    func overGoal() {
        // 1 EUR = 1.000000005 USD: 0.01 EUR is 0.01000000005 USD → 1 cent each.
        let rates = [ExchangeRate(from: EUR, to: USD, rateNanos: 1_000_000_005)]
        let payments = (0..<3).map { _ in CollectorGoals.Payment(collector: "ana", currency: EUR, amountMinor: 1) } + [.init(collector: "ana", currency: USD, amountMinor: 12_000)]
        let (rows, total) = CollectorGoals.attainment(goals: ["ana": 10_000], collectors: [], payments: payments, base: USD, rates: rates)
        #expect(rows.first?.collectedMinor == 12_003 && rows.first?.attainmentBasisPoints == 12_003 && rows.first?.remainingMinor == 0)
        #expect(total.collectedMinor == 12_003)
    }
}
