import Testing
@testable import CobroCore

// KPI formulas against the worked examples of reference §2.1–§2.6 (amounts in minor units: × 100).

private func day(_ iso: String) -> LocalDate {
    guard let d = LocalDate(iso: iso) else { fatalError("bad test date \(iso)") }
    return d
}

/// `value` equals `expected` when both are rounded to `places` decimals (the precision the reference prints).
private func close(_ value: Double?, _ expected: Double, places: Int = 2) -> Bool {
    guard let value else { return false }
    var scale = 1.0
    for _ in 0..<places { scale *= 10 }
    return abs(value - expected) <= 0.5 / scale + 1e-9
}

private func months(_ pairs: [(Int64, Int)]) -> [KPI.MonthSales] {
    pairs.map { KPI.MonthSales(sales: $0.0 * 100, days: $0.1) }
}

private let USD = Currency(code: "USD")!

@Suite("Core: KPI formulas")
struct CoreKPITests {
    // MARK: §2.1 DSO simple

    @Test func dsoSimpleS1() {
        let v = KPI.dsoSimple(ar: 200_000_00, creditSales: 2_000_000_00, days: 365)
        #expect(close(v, 36.5), "\(String(describing: v))")
    }

    @Test func dsoSimpleS2() {
        let v = KPI.dsoSimple(ar: 20_200_00, creditSales: 30_000_00, days: 90)
        #expect(close(v, 60.6), "\(String(describing: v))")
    }

    @Test func dsoSimpleWithoutSalesIsNil() {
        #expect(KPI.dsoSimple(ar: 100, creditSales: 0, days: 90) == nil)
        #expect(KPI.dsoSimple(ar: 100, creditSales: -50, days: 90) == nil)
        #expect(KPI.dsoSimple(ar: 0, creditSales: 50, days: 90) == 0)
    }

    // MARK: §2.2 count-back

    @Test func countbackC1() {
        let r = KPI.dsoCountback(ar: 212_000_00, months: months([(100_000, 30), (80_000, 30), (70_000, 30)]))
        #expect(close(r.days, 73.714, places: 3), "\(r.days)")
        #expect(!r.exhausted)
    }

    @Test func countbackC2() {
        let r = KPI.dsoCountback(ar: 2_100_000_00, months: months([(900_000, 31), (800_000, 28), (700_000, 31)]))
        #expect(close(r.days, 76.714, places: 3), "\(r.days)")
        #expect(!r.exhausted)
    }

    @Test func countbackC3() {
        let r = KPI.dsoCountback(ar: 20_200_00, months: months([(12_000, 30), (10_000, 31), (8_000, 30)]))
        #expect(close(r.days, 55.42), "\(r.days)")
        #expect(!r.exhausted)
    }

    @Test func countbackC4IsNotOraclesMisprint() {
        let r = KPI.dsoCountback(
            ar: 12_000_00,
            months: months([(2_500, 30), (1_750, 31), (2_250, 31), (2_500, 30), (2_000, 31), (2_250, 30)]))
        #expect(close(r.days, 166.33), "\(r.days)")
        #expect(!close(r.days, 179.7, places: 1))
        #expect(!r.exhausted)
    }

    @Test func countbackC5ExhaustsHistory() {
        let r = KPI.dsoCountback(ar: 300_000_00, months: months([(100_000, 30), (80_000, 30), (70_000, 30)]))
        #expect(r.days == 90)
        #expect(r.exhausted)
    }

    @Test func countbackC6ZeroAR() {
        let r = KPI.dsoCountback(ar: 0, months: months([(100_000, 30)]))
        #expect(r.days == 0)
        #expect(!r.exhausted)
        #expect(KPI.dsoCountback(ar: 0, months: []).days == 0)
        #expect(KPI.dsoCountback(ar: -500, months: months([(100_000, 30)])) == KPI.Countback(days: 0, exhausted: false))
    }

    @Test func countbackStopsAtAZeroSalesMonth() {
        // 150 AR; June sold 100 (30 d), May sold nothing: the walk stops after June.
        let r = KPI.dsoCountback(ar: 150_00, months: months([(100, 30), (0, 31), (1_000, 30)]))
        #expect(r.days == 30)
        #expect(r.exhausted)
        let neg = KPI.dsoCountback(ar: 150_00, months: months([(-20, 30), (1_000, 31)]))
        #expect(neg.days == 0)
        #expect(neg.exhausted)
    }

    @Test func countbackExactlyConsumedMonthIsNotExhausted() {
        let r = KPI.dsoCountback(ar: 180_000_00, months: months([(100_000, 30), (80_000, 31)]))
        #expect(r.days == 61)
        #expect(!r.exhausted)
        #expect(KPI.dsoCountback(ar: 1, months: []) == KPI.Countback(days: 0, exhausted: true))
    }

    // MARK: §2.3 BPDSO and ADD

    @Test func bpdsoB1() {
        let dso = KPI.dsoSimple(ar: 150_000_00, creditSales: 450_000_00, days: 90)
        let bp = KPI.dsoSimple(ar: 100_000_00, creditSales: 450_000_00, days: 90)
        #expect(close(dso, 30.0))
        #expect(close(bp, 20.0))
        #expect(close(dso.flatMap { d in bp.map { d - $0 } }, 10.0))
    }

    @Test func bpdsoB2SimpleOnReferenceDataset() {
        let dso = KPI.dsoSimple(ar: 20_200_00, creditSales: 30_000_00, days: 90)
        let bp = KPI.dsoSimple(ar: 9_000_00, creditSales: 30_000_00, days: 90)
        #expect(close(bp, 27.0))
        #expect(close(dso.flatMap { d in bp.map { d - $0 } }, 33.6))
    }

    @Test func bpdsoB3Countback() {
        let m = months([(12_000, 30), (10_000, 31), (8_000, 30)])
        let bp = KPI.dsoCountback(ar: 9_000_00, months: m)
        #expect(close(bp.days, 22.5))
        #expect(close(KPI.dsoCountback(ar: 20_200_00, months: m).days - bp.days, 32.92))
    }

    @Test func bpdsoB4Countback() {
        let m = months([(100_000, 30), (80_000, 30), (70_000, 30)])
        let bp = KPI.dsoCountback(ar: 80_000_00, months: m)
        #expect(close(bp.days, 24.0))
        #expect(close(KPI.dsoCountback(ar: 212_000_00, months: m).days - bp.days, 49.714, places: 3))
    }

    // MARK: §2.5 CEI

    @Test(arguments: [
        // begin, sales, end total, end current, CEI %
        ("E1 creditguru variant b (sales 10,890/3)", Int64(6_200), Int64(3_630), Int64(6_340), Int64(3_590), 55.93),
        ("E2 variant a", 6_200, 10_890, 6_340, 3_590, 79.63),
        ("E3 March", 6_000, 3_890, 6_340, 3_590, 56.35),
        ("E4 February", 6_200, 3_610, 6_000, 3_560, 60.96),
        ("E5 Gaviti", 100_000, 1_000_000, 120_000, 100_000, 98.0),
    ])
    func cei(name: String, begin: Int64, sales: Int64, endTotal: Int64, endCurrent: Int64, expected: Double) {
        let v = KPI.cei(beginAR: begin * 100, creditSales: sales * 100, endTotalAR: endTotal * 100, endCurrentAR: endCurrent * 100)
        #expect(close(v, expected), "\(name): \(String(describing: v))")
    }

    @Test func ceiIsHundredWhenEverythingDueWasCollected() {
        #expect(KPI.cei(beginAR: 5_000, creditSales: 10_000, endTotalAR: 4_000, endCurrentAR: 4_000) == 100)
    }

    @Test func ceiWithoutDenominatorIsNil() {
        #expect(KPI.cei(beginAR: 0, creditSales: 0, endTotalAR: 0, endCurrentAR: 0) == nil)
        #expect(KPI.cei(beginAR: 100, creditSales: 0, endTotalAR: 100, endCurrentAR: 100) == nil)
    }

    // MARK: §2.6 timeliness

    /// Dataset P: A 1,000 terms 30 paid in 40; B 3,000 terms 30 paid in 30; C 6,000 terms 45 paid in 60.
    static let datasetP: [KPI.PaidItem] = [
        KPI.PaidItem(amountMinor: 1_000_00, issueDate: day("2024-01-01"), dueDate: day("2024-01-31"), paidDate: day("2024-02-10")),
        KPI.PaidItem(amountMinor: 3_000_00, issueDate: day("2024-02-01"), dueDate: day("2024-03-02"), paidDate: day("2024-03-02")),
        KPI.PaidItem(amountMinor: 6_000_00, issueDate: day("2024-03-01"), dueDate: day("2024-04-15"), paidDate: day("2024-04-30")),
    ]

    @Test func timelinessDatasetP() throws {
        let t = try #require(KPI.timeliness(Self.datasetP))
        #expect(t.count == 3)
        #expect(close(t.adpSimple, 43.33), "\(t.adpSimple)")
        #expect(close(t.adpWeighted, 49.0), "\(t.adpWeighted)")
        #expect(close(t.wat, 39.0), "\(t.wat)")
        #expect(close(t.adlWeighted, 10.0), "\(t.adlWeighted)")
        #expect(close(t.adlSimple, 8.33), "\(t.adlSimple)")
        // WAP = WAT + WADL (days allowed + days late = days taken) equals the weighted ADP.
        #expect(close(t.wat + t.adlWeighted, 49.0))
        #expect(abs(t.wat + t.adlWeighted - t.adpWeighted) < 1e-9)
    }

    @Test func timelinessSoftrakSecondOracle() throws {
        let items = [
            KPI.PaidItem(amountMinor: 100_00, issueDate: day("2024-06-01"), dueDate: day("2024-06-01"), paidDate: day("2024-06-11")),
            KPI.PaidItem(amountMinor: 1_000_00, issueDate: day("2024-06-01"), dueDate: day("2024-06-01"), paidDate: day("2024-06-21")),
        ]
        let t = try #require(KPI.timeliness(items))
        #expect(close(t.adpWeighted, 19.09), "\(t.adpWeighted)")
        #expect(close(t.adpSimple, 15.0))
    }

    @Test func earlyPaymentCountsNegativeDaysLate() throws {
        // Paid 5 days before due: days late −5, not floored (WAP = WAT + WADL must hold).
        let t = try #require(KPI.timeliness([
            KPI.PaidItem(amountMinor: 500, issueDate: day("2024-06-01"), dueDate: day("2024-07-01"), paidDate: day("2024-06-26")),
        ]))
        #expect(t.adlSimple == -5)
        #expect(t.adlWeighted == -5)
        #expect(t.adpSimple == 25)
        #expect(t.wat == 30)
    }

    @Test func timelinessOfNothingIsNil() {
        #expect(KPI.timeliness([]) == nil)
    }

    // MARK: count-back months

    @Test func countbackMonthsAtMonthEnd() {
        let m = KPI.countbackMonths(asOf: day("2024-06-30"), count: 3)
        #expect(m.map(\.from) == [day("2024-06-01"), day("2024-05-01"), day("2024-04-01")])
        #expect(m.map(\.to) == [day("2024-06-30"), day("2024-05-31"), day("2024-04-30")])
    }

    @Test func countbackMonthsMidMonthStartsWithAPartialMonth() {
        let m = KPI.countbackMonths(asOf: day("2024-06-15"), count: 3)
        #expect(m.map(\.from) == [day("2024-06-01"), day("2024-05-01"), day("2024-04-01")])
        #expect(m.map(\.to) == [day("2024-06-15"), day("2024-05-31"), day("2024-04-30")])
    }

    @Test func countbackMonthsAcrossYearAndLeapFebruary() {
        let m = KPI.countbackMonths(asOf: day("2024-03-01"), count: 4)
        #expect(m.map(\.from) == [day("2024-03-01"), day("2024-02-01"), day("2024-01-01"), day("2023-12-01")])
        #expect(m.map(\.to) == [day("2024-03-01"), day("2024-02-29"), day("2024-01-31"), day("2023-12-31")])
        #expect(KPI.countbackMonths(asOf: day("2024-03-01"), count: 0).isEmpty)
    }

    // MARK: KPISet on the §2.4 dataset

    @Test func kpiSetOnReferenceDataset() throws {
        let k = KPISet.compute(
            currency: USD, asOf: day("2024-06-30"), window: 90, endOpenItems: 20_200_00, endUnapplied: 0,
            endCurrent: 9_000_00, beginAR: 15_000_00, creditSales: 30_000_00,
            months: months([(12_000, 30), (10_000, 31), (8_000, 30)]), paid: CoreKPITests.datasetP)
        #expect(k.currency == USD)
        #expect(k.window == 90)
        #expect(k.arOpenMinor == 20_200_00)
        #expect(k.arCurrentMinor == 9_000_00)
        #expect(k.arPastDueMinor == 11_200_00)
        #expect(k.creditSalesMinor == 30_000_00)
        #expect(close(k.dsoSimple, 60.6), "\(String(describing: k.dsoSimple))")
        #expect(close(k.bpdso, 27.0))
        #expect(close(k.add, 33.6))
        #expect(close(k.arPastDuePct, 55.45))
        #expect(close(k.dsoCountback.days, 55.42))
        #expect(!k.dsoCountback.exhausted)
        #expect(close(k.bpdsoCountback, 22.5))
        #expect(close(k.addCountback, 32.92))
        // CEI (a): (15,000 + 30,000 − 20,200) / (15,000 + 30,000 − 9,000) = 24,800 / 36,000 = 68.89 %
        #expect(close(k.cei, 68.89), "\(String(describing: k.cei))")
        #expect(close(k.timeliness?.adpWeighted, 49.0))
    }

    @Test func kpiSetNetsUnappliedCreditButNotPastDueShare() {
        let k = KPISet.compute(
            currency: USD, asOf: day("2024-06-30"), window: 90, endOpenItems: 20_200_00, endUnapplied: 2_200_00,
            endCurrent: 9_000_00, beginAR: 0, creditSales: 30_000_00, months: [], paid: [])
        #expect(k.arOpenMinor == 18_000_00)
        #expect(close(k.dsoSimple, 54.0))  // 18,000 / 30,000 × 90
        #expect(close(k.add, 27.0))
        #expect(close(k.arPastDuePct, 55.45))  // gross open items
        #expect(k.dsoCountback.exhausted)
        #expect(k.timeliness == nil)
    }

    @Test func kpiSetWithoutSalesOrOpenItems() {
        let k = KPISet.compute(
            currency: USD, asOf: day("2024-06-30"), window: 90, endOpenItems: 0, endUnapplied: 0,
            endCurrent: 0, beginAR: 0, creditSales: 0, months: [], paid: [])
        #expect(k.dsoSimple == nil)
        #expect(k.bpdso == nil)
        #expect(k.add == nil)
        #expect(k.cei == nil)
        #expect(k.arPastDuePct == nil)
        #expect(k.dsoCountback == KPI.Countback(days: 0, exhausted: false))
    }
}
