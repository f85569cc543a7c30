import CobroCore
import Testing

// Roll rates (reference §2.11) and the provision matrix (§2.12), with the reference's worked examples as oracles.
// Buckets: current, 1–30, 31–60, 61–90, 91+ (indices 0…4). Amounts are whole units (minor = major here).

private let EUR = Currency(code: "EUR")!

@Suite("Roll rates and migration matrix")
struct RollRateTests {
    /// The §2.11 cohort, end-May → end-June, as one item per movement.
    static let mayToJune: [RollTransition] = [
        // Current 1,000,000: 880,000 paid, 70,000 still current, 50,000 → 1–30.
        .init(currency: EUR, from: 0, balance: 880_000, to: 0, remaining: 0),
        .init(currency: EUR, from: 0, balance: 70_000, to: 0, remaining: 70_000),
        .init(currency: EUR, from: 0, balance: 50_000, to: 1, remaining: 50_000),
        // 1–30 200,000: 160,000 paid, 40,000 → 31–60.
        .init(currency: EUR, from: 1, balance: 160_000, to: 2, remaining: 0),
        .init(currency: EUR, from: 1, balance: 40_000, to: 2, remaining: 40_000),
        // 31–60 80,000: 48,000 paid, 32,000 → 61–90 (one item partly paid: 50,000 of which 18,000 paid).
        .init(currency: EUR, from: 2, balance: 30_000, to: 3, remaining: 0),
        .init(currency: EUR, from: 2, balance: 50_000, to: 3, remaining: 32_000),
        // 61–90 40,000: 12,000 paid, 28,000 → 90+.
        .init(currency: EUR, from: 3, balance: 12_000, to: 4, remaining: 0),
        .init(currency: EUR, from: 3, balance: 28_000, to: 4, remaining: 28_000),
        // 90+ 10,000: 7,000 written off (the illustration's 70 %), 3,000 still 90+.
        .init(currency: EUR, from: 4, balance: 7_000, to: 4, remaining: 0, writtenOff: 7_000),
        .init(currency: EUR, from: 4, balance: 3_000, to: 4, remaining: 3_000),
    ]

    @Test func workedExampleRollRatesAndContainment() throws {
        let m = try #require(RollRates.matrices(Self.mayToJune, bucketCount: 5).first)
        #expect(m.currency == EUR)
        #expect(m.rows.map(\.balance) == [1_000_000, 200_000, 80_000, 40_000, 10_000])
        #expect(m.rows.map(\.paid) == [880_000, 160_000, 48_000, 12_000, 0])
        #expect(m.rows[0].toBucket == [70_000, 50_000, 0, 0, 0])
        #expect(m.rows.map(\.rollRateBasisPoints) == [500, 2_000, 4_000, 7_000, 7_000])
        #expect(m.rows.map(\.containmentBasisPoints) == [9_500, 8_000, 6_000, 3_000, 3_000])
        #expect(m.rows[4].writtenOff == 7_000)
        // Chained to the last bucket: 0.05 × 0.20 × 0.40 × 0.70 = 0.28 % from current, 5.6 % from 1–30, 28 % from
        // 31–60, 70 % from 61–90; 100 % in 90+.
        #expect(m.chainedLossPartsPerMillion == [2_800, 56_000, 280_000, 700_000, 1_000_000])
    }

    // The balance moves at most once: an item whose balance grew (an allocation un-applied) carries only its starting
    // balance; a write-off larger than what was settled counts only what was settled.
    @Test func balanceIsConservedPerRow() throws {
        let m = try #require(RollRates.matrices([
            .init(currency: EUR, from: 1, balance: 100, to: 2, remaining: 150),
            .init(currency: EUR, from: 1, balance: 100, to: 2, remaining: 40, writtenOff: 90),
        ], bucketCount: 5).first)
        let row = m.rows[1]
        #expect(row.toBucket[2] == 140 && row.writtenOff == 60 && row.paid == 0)
        #expect(row.toBucket.reduce(0, +) + row.paid + row.writtenOff == row.balance)
        #expect(m.rows[0].rollRateBasisPoints == nil && m.chainedLossPartsPerMillion[0] == nil)
    }

    @Test func oneMatrixPerCurrency() {
        let usd = Currency(code: "USD")!
        let ms = RollRates.matrices([
            .init(currency: usd, from: 0, balance: 10, to: 1, remaining: 10), .init(currency: EUR, from: 0, balance: 10, to: 0, remaining: 0),
        ], bucketCount: 3)
        #expect(ms.map(\.currency) == [EUR, usd])
        #expect(ms.map { $0.rows[0].rollRateBasisPoints } == [0, 10_000])
    }
}

@Suite("Provision matrix")
struct ProvisionMatrixTests {
    func money(_ v: [Int64]) -> [Money] { v.map { Money(minor: $0 * 100, EUR) } }
    func rates(_ percents: [String]) throws -> [LossRate] { try percents.map { try #require(LossRate(try Percentage.parse($0).get())) } }

    // M1, IFRS 9 "Company M": 45,000 + 120,000 + 144,000 + 165,000 + 106,000 = 580,000.
    @Test func ifrs9CompanyM() throws {
        let lines = ProvisionMatrix.lines(
            balances: money([15_000_000, 7_500_000, 4_000_000, 2_500_000, 1_000_000]), rates: try rates(["0.3", "1.6", "3.6", "6.6", "10.6"]))
        #expect(lines.map(\.allowance) == money([45_000, 120_000, 144_000, 165_000, 106_000]))
        #expect(lines.reduce(0) { $0 + $1.allowance.minor } == 58_000_000)
    }

    // M3, CECL: 1,800 + 16,000 + 20,800 + 23,200 + 24,600 = 86,400.
    @Test func ceclRates() throws {
        let lines = ProvisionMatrix.lines(balances: money([600_000, 200_000, 80_000, 40_000, 30_000]), rates: try rates(["0.3", "8", "26", "58", "82"]))
        #expect(lines.reduce(0) { $0 + $1.allowance.minor } == 8_640_000)
    }

    // M2: rates from the January cohort (100,000 sold; 50,000 paid on time, 27,000 in 1–30, 15,000 in 31–60, 6,000
    // in 61–90, 2,000 never): 2 %, 4 %, 2,000/23,000 = 8.6957 %, 25 %, 100 %. On 300,000; 140,000; 60,000; 23,000;
    // 5,000: 6,000 + 5,600 + 5,217.39 (the unrounded rate) + 5,750 + 5,000 = 27,567.39.
    @Test func cohortDerivedRates() throws {
        let derived = ProvisionMatrix.cohortRates(sales: 100_000, paidInBucket: [50_000, 27_000, 15_000, 6_000, 0], neverPaid: 2_000)
        let r = derived.compactMap { $0 }
        #expect(r.count == 5)
        #expect(r.map(\.partsPerMillion) == [20_000, 40_000, 86_957, 250_000, 1_000_000])
        #expect(r[2].description == "8.6957%")
        let lines = ProvisionMatrix.lines(balances: money([300_000, 140_000, 60_000, 23_000, 5_000]), rates: r)
        #expect(lines.map(\.allowance.minor) == [600_000, 560_000, 521_739, 575_000, 500_000])
        #expect(lines.reduce(0) { $0 + $1.allowance.minor } == 2_756_739)
    }

    @Test func cohortThatNeverReachedABucket() {
        #expect(ProvisionMatrix.cohortRates(sales: 100, paidInBucket: [100, 0], neverPaid: 0) == [LossRate(0, over: 100), nil])
        #expect(LossRate(3, over: 2) == nil && LossRate(1, over: 0) == nil)
    }
}

@Suite("Payment trends")
struct PaymentTrendTests {
    func item(due: String, paid: String) -> KPI.PaidItem {
        KPI.PaidItem(amountMinor: 100, issueDate: LocalDate(iso: due)!.adding(days: -30), dueDate: LocalDate(iso: due)!, paidDate: LocalDate(iso: paid)!)
    }

    // Dataset P of reference §2.6 (days late 10, 0, 15), all settled in March: ADL simple 25 / 3 = 8.33, 2 of 3 late
    // = 66.67 %. Another customer paid 5 days early in April: −5.00, 0 % late. February is empty but listed.
    @Test func monthlySeriesPerGroup() {
        let items: [(group: String, item: KPI.PaidItem)] = [
            ("X", item(due: "2024-03-01", paid: "2024-03-11")), ("X", item(due: "2024-03-05", paid: "2024-03-05")),
            ("X", item(due: "2024-03-10", paid: "2024-03-25")), ("Y", item(due: "2024-04-20", paid: "2024-04-15")),
            ("Y", item(due: "2024-06-20", paid: "2024-06-15")),  // outside the months asked: ignored
        ]
        let s = PaymentTrends.series(items, from: YearMonth(iso: "2024-02")!, to: YearMonth(iso: "2024-04")!)
        #expect(s.map(\.group) == ["X", "Y"])
        #expect(s[0].points.map(\.month.iso) == ["2024-02", "2024-03", "2024-04"])
        #expect(s[0].points.map(\.settled) == [0, 3, 0])
        #expect(s[0].points.map(\.averageDaysLateHundredths) == [nil, 833, nil])
        #expect(s[0].points.map(\.latePercentBasisPoints) == [nil, 6_667, nil])
        #expect(s[1].points.map(\.averageDaysLateHundredths) == [nil, nil, -500])
        #expect(s[1].points[2].latePercentBasisPoints == 0)
    }
}
