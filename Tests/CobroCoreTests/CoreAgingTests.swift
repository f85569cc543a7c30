import Foundation
import Testing
@testable import CobroCore

// Aging (reference §2.4 worked dataset; DESIGN §5 defaults and §6 column names).

private func day(_ iso: String) -> LocalDate {
    guard let d = LocalDate(iso: iso) else { fatalError("bad test date \(iso)") }
    return d
}

private let USD = Currency(code: "USD")!
private let EUR = Currency(code: "EUR")!
private let JPY = Currency(code: "JPY")!
private let asOf = day("2024-06-30")

private func item(_ customer: String = "C1", _ currency: Currency = USD, issue: String, due: String, open: Int64) -> AgingItem {
    AgingItem(customerRef: customer, currency: currency, issueDate: day(issue), dueDate: day(due), openMinor: open)
}

/// Reference §2.4: INV-1 … INV-8, amounts in cents.
private let referenceItems: [AgingItem] = [
    item(issue: "2024-06-20", due: "2024-07-20", open: 500_000),  // INV-1 DPD −20, age 10
    item(issue: "2024-05-31", due: "2024-06-30", open: 400_000),  // INV-2 due today, age 30
    item(issue: "2024-05-20", due: "2024-06-19", open: 120_000),  // INV-3 DPD 11, age 41
    item(issue: "2024-04-01", due: "2024-05-31", open: 250_000),  // INV-4 DPD 30, age 90
    item(issue: "2024-04-25", due: "2024-05-25", open: 300_000),  // INV-5 DPD 36, age 66
    item(issue: "2024-03-20", due: "2024-04-19", open: 200_000),  // INV-6 DPD 72, age 102
    item(issue: "2024-03-01", due: "2024-03-31", open: 150_000),  // INV-7 DPD 91, age 121
    item(issue: "2024-01-15", due: "2024-02-14", open: 100_000),  // INV-8 DPD 137, age 167
]

private func buckets(_ text: String) -> AgingBuckets? {
    if case .success(let b) = AgingBuckets.parse(text) { return b }
    return nil
}

@Suite("Core: aging buckets")
struct CoreAgingBucketsTests {
    @Test func standardLabels() {
        #expect(AgingBuckets.standard.bounds == [30, 60, 90])
        #expect(AgingBuckets.standard.labels(.dueDate) == ["current", "d1_30", "d31_60", "d61_90", "d91_plus"])
        #expect(AgingBuckets.standard.labels(.issueDate) == ["d0_30", "d31_60", "d61_90", "d91_plus"])
        #expect(AgingBuckets.standard.count(.dueDate) == 5)
        #expect(AgingBuckets.standard.count(.issueDate) == 4)
    }

    @Test(arguments: [
        (-20, 0), (0, 0), (1, 1), (11, 1), (30, 1), (31, 2), (60, 2), (61, 3), (90, 3), (91, 4), (137, 4), (10_000, 4),
    ])
    func dueDateIndex(days: Int, index: Int) {
        #expect(AgingBuckets.standard.index(days: days, basis: .dueDate) == index)
    }

    @Test(arguments: [(0, 0), (10, 0), (30, 0), (31, 1), (60, 1), (61, 2), (90, 2), (91, 3), (167, 3)])
    func issueDateIndex(days: Int, index: Int) {
        #expect(AgingBuckets.standard.index(days: days, basis: .issueDate) == index)
    }

    @Test func customBucketsParse() throws {
        let b = try #require(buckets("15,45"))
        #expect(b.bounds == [15, 45])
        #expect(b.labels(.dueDate) == ["current", "d1_15", "d16_45", "d46_plus"])
        #expect(b.labels(.issueDate) == ["d0_15", "d16_45", "d46_plus"])
        #expect(b.index(days: 15, basis: .dueDate) == 1)
        #expect(b.index(days: 16, basis: .dueDate) == 2)
        #expect(b.index(days: 45, basis: .dueDate) == 2)
        #expect(b.index(days: 46, basis: .dueDate) == 3)
        #expect(try #require(buckets(" 30 , 60,90 ")).bounds == [30, 60, 90])
        #expect(try #require(buckets("7")).labels(.dueDate) == ["current", "d1_7", "d8_plus"])
        #expect(try #require(buckets("30,60,90,120")).labels(.issueDate) == ["d0_30", "d31_60", "d61_90", "d91_120", "d121_plus"])
    }

    @Test(arguments: [
        ("30,30", "increase strictly"),
        ("60,30", "increase strictly"),
        ("0,10", "≥ 1"),
        ("-5,10", "≥ 1"),
        ("", "is not a whole number"),
        ("a", "is not a whole number"),
        ("30,,60", "is not a whole number"),
        ("30,60,", "is not a whole number"),
        ("30;60", "is not a whole number"),
        ("1.5", "is not a whole number"),
    ])
    func invalidBucketsFail(text: String, fragment: String) {
        switch AgingBuckets.parse(text) {
        case .success(let b): Issue.record("\"\(text)\" parsed as \(b.bounds)")
        case .failure(let e): #expect(e.message.contains(fragment), "\(e.message)")
        }
    }

    @Test func codableRoundTrip() throws {
        let b = try #require(buckets("15,45,120"))
        let decoded = try JSONDecoder().decode(AgingBuckets.self, from: JSONEncoder().encode(b))
        #expect(decoded == b)
    }

    @Test func decodingValidatesBounds() {
        // AgingBuckets keeps its init private so that bounds are always valid; decoding must not bypass that.
        for json in [#"{"bounds":[60,30,0]}"#, #"{"bounds":[]}"#, #"{"bounds":[30,30]}"#] {
            #expect(throws: (any Error).self, "\(json)") { try JSONDecoder().decode(AgingBuckets.self, from: Data(json.utf8)) }
        }
    }

    @Test func makeValidates() {
        #expect(throws: Invalid.self) { try AgingBuckets.make([]).get() }
        #expect(throws: Invalid.self) { try AgingBuckets.make([10, 5]).get() }
        #expect((try? AgingBuckets.make([30, 60, 90]).get()) == .standard)
    }
}

@Suite("Core: AgingReport")
struct CoreAgingReportTests {
    @Test func referenceDatasetByDueDate() throws {
        let report = AgingReport.build(asOf: asOf, items: referenceItems, credits: [])
        #expect(report.labels == ["current", "d1_30", "d31_60", "d61_90", "d91_plus"])
        #expect(report.basis == .dueDate)
        #expect(report.asOf == asOf)
        #expect(report.rows.count == 1)
        let total = try #require(report.total(for: USD))
        #expect(total.customerRef == "TOTAL")
        #expect(total.buckets == [900_000, 370_000, 300_000, 200_000, 250_000])
        #expect(total.totalMinor == 2_020_000)
        #expect(total.openItemsMinor == 2_020_000)
        #expect(total.unappliedMinor == 0)
        #expect(report.rows[0].buckets == total.buckets)
        #expect(report.converted == nil)
    }

    @Test func referenceDatasetByIssueDate() throws {
        let report = AgingReport.build(asOf: asOf, basis: .issueDate, items: referenceItems, credits: [])
        #expect(report.labels == ["d0_30", "d31_60", "d61_90", "d91_plus"])
        let total = try #require(report.total(for: USD))
        #expect(total.buckets == [900_000, 120_000, 550_000, 450_000])
        #expect(total.totalMinor == 2_020_000)
    }

    @Test(arguments: [
        ("2024-06-30", 0),  // due today: current
        ("2024-07-01", 0),  // not yet due
        ("2024-06-29", 1),  // DPD 1
        ("2024-05-31", 1),  // DPD 30
        ("2024-05-30", 2),  // DPD 31
        ("2024-05-01", 2),  // DPD 60
        ("2024-04-30", 3),  // DPD 61
        ("2024-04-01", 3),  // DPD 90
        ("2024-03-31", 4),  // DPD 91
    ])
    func boundaryItems(due: String, bucket: Int) {
        let report = AgingReport.build(asOf: asOf, items: [item(issue: "2024-01-01", due: due, open: 777)], credits: [])
        var expected = [Int64](repeating: 0, count: 5)
        expected[bucket] = 777
        #expect(report.totals.first?.buckets == expected)
    }

    @Test func customBucketsInTheReport() throws {
        let b = try #require(buckets("15,45"))
        let report = AgingReport.build(asOf: asOf, buckets: b, items: referenceItems, credits: [])
        #expect(report.labels == ["current", "d1_15", "d16_45", "d46_plus"])
        // DPD: −20, 0 → current; 11 → 1–15; 30, 36 → 16–45; 72, 91, 137 → 46+
        #expect(report.totals.first?.buckets == [900_000, 120_000, 550_000, 450_000])
    }

    @Test func unappliedCreditReducesTotalAndShowsPerCustomer() throws {
        let items = [
            item("ACME", issue: "2024-06-01", due: "2024-07-01", open: 10_000),
            item("ACME", issue: "2024-04-01", due: "2024-05-01", open: 5_000),
            item("BETA", issue: "2024-06-10", due: "2024-07-10", open: 2_000),
        ]
        let credits = [
            AgingCredit(customerRef: "ACME", currency: USD, unappliedMinor: 1_500),
            AgingCredit(customerRef: "ACME", currency: USD, unappliedMinor: 500),
            AgingCredit(customerRef: "ZED", currency: USD, unappliedMinor: 700),  // credit only, no open items
            AgingCredit(customerRef: "BETA", currency: USD, unappliedMinor: 0),  // ignored
        ]
        let report = AgingReport.build(asOf: asOf, items: items, credits: credits)
        #expect(report.rows.map(\.customerRef) == ["ACME", "BETA", "ZED"])
        let acme = report.rows[0], beta = report.rows[1], zed = report.rows[2]
        #expect(acme.buckets == [10_000, 0, 5_000, 0, 0])
        #expect(acme.unappliedMinor == 2_000)
        #expect(acme.totalMinor == 13_000)
        #expect(acme.openItemsMinor == 15_000)
        #expect(beta.unappliedMinor == 0)
        #expect(beta.totalMinor == 2_000)
        #expect(zed.buckets == [0, 0, 0, 0, 0])
        #expect(zed.unappliedMinor == 700)
        #expect(zed.totalMinor == -700)
        let total = try #require(report.total(for: USD))
        #expect(total.buckets == [12_000, 0, 5_000, 0, 0])
        #expect(total.unappliedMinor == 2_700)
        #expect(total.totalMinor == 14_300)
    }

    @Test func itemsWithoutOpenBalanceAreIgnored() {
        let items = [item("A", issue: "2024-06-01", due: "2024-06-15", open: 0), item("B", issue: "2024-06-01", due: "2024-06-15", open: -10)]
        let report = AgingReport.build(asOf: asOf, items: items, credits: [AgingCredit(customerRef: "C", currency: USD, unappliedMinor: -5)])
        #expect(report.rows.isEmpty)
        #expect(report.totals.isEmpty)
        // The smallest positive amounts still count.
        let tiny = AgingReport.build(
            asOf: asOf, items: [item("A", issue: "2024-06-01", due: "2024-06-15", open: 1)],
            credits: [AgingCredit(customerRef: "A", currency: USD, unappliedMinor: 1)])
        #expect(tiny.rows.first?.buckets == [0, 1, 0, 0, 0])
        #expect(tiny.rows.first?.unappliedMinor == 1)
        #expect(tiny.total(for: USD)?.totalMinor == 0)
    }

    @Test func rowsPerCustomerAndCurrencyWithTotalPerCurrency() throws {
        let items = [
            item("B", USD, issue: "2024-06-01", due: "2024-07-01", open: 1_000),
            item("A", EUR, issue: "2024-05-01", due: "2024-05-31", open: 2_000),
            item("A", USD, issue: "2024-03-01", due: "2024-03-31", open: 4_000),
            item("B", USD, issue: "2024-06-02", due: "2024-06-20", open: 8_000),
            item("A", JPY, issue: "2024-06-01", due: "2024-06-30", open: 50_000),
        ]
        let report = AgingReport.build(asOf: asOf, items: items, credits: [AgingCredit(customerRef: "B", currency: EUR, unappliedMinor: 300)])
        // Sorted by currency, then customer.
        #expect(report.rows.map { "\($0.currency.code)/\($0.customerRef)" } == ["EUR/A", "EUR/B", "JPY/A", "USD/A", "USD/B"])
        #expect(report.totals.map(\.currency.code) == ["EUR", "JPY", "USD"])
        #expect(report.totals.allSatisfy { $0.customerRef == "TOTAL" })
        #expect(try #require(report.total(for: EUR)).buckets == [0, 2_000, 0, 0, 0])
        #expect(try #require(report.total(for: EUR)).totalMinor == 1_700)
        #expect(try #require(report.total(for: JPY)).buckets == [50_000, 0, 0, 0, 0])
        #expect(try #require(report.total(for: USD)).buckets == [1_000, 8_000, 0, 0, 4_000])
        #expect(try #require(report.total(for: USD)).totalMinor == 13_000)
        #expect(report.total(for: Currency(code: "GBP")!) == nil)
    }

    @Test func convertedToBaseWithRates() throws {
        let items = [
            item("A", USD, issue: "2024-06-01", due: "2024-07-01", open: 10_000),  // current
            item("A", EUR, issue: "2024-05-01", due: "2024-05-31", open: 20_000),  // 1–30
            item("B", JPY, issue: "2024-03-01", due: "2024-03-31", open: 15_000),  // 91+
        ]
        let credits = [AgingCredit(customerRef: "A", currency: EUR, unappliedMinor: 1_000)]
        let rates = [
            ExchangeRate(from: EUR, to: USD, rateNanos: 1_085_000_000),  // 1 EUR = 1.085 USD
            ExchangeRate(from: JPY, to: USD, rateNanos: 6_700_000),  // 1 JPY = 0.0067 USD
        ]
        let report = AgingReport.build(asOf: asOf, items: items, credits: credits, base: USD, rates: rates)
        let c = try #require(report.converted)
        #expect(c.customerRef == "TOTAL_BASE")
        #expect(c.currency == USD)
        // 200.00 EUR → 217.00 USD; 15,000 JPY → 100.50 USD; 10.00 EUR unapplied → 10.85 USD.
        #expect(c.buckets == [10_000, 21_700, 0, 0, 10_050])
        #expect(c.unappliedMinor == 1_085)
        #expect(c.totalMinor == 40_665)
        // Per-currency totals are unchanged by conversion.
        #expect(try #require(report.total(for: EUR)).buckets == [0, 20_000, 0, 0, 0])
    }

    @Test func convertedAbsentWhenARateIsMissing() {
        let items = [
            item("A", USD, issue: "2024-06-01", due: "2024-07-01", open: 10_000),
            item("A", EUR, issue: "2024-05-01", due: "2024-05-31", open: 20_000),
            item("B", JPY, issue: "2024-03-01", due: "2024-03-31", open: 15_000),
        ]
        let rates = [ExchangeRate(from: EUR, to: USD, rateNanos: 1_085_000_000)]
        #expect(AgingReport.build(asOf: asOf, items: items, credits: [], base: USD, rates: rates).converted == nil)
        #expect(AgingReport.build(asOf: asOf, items: items, credits: [], base: nil, rates: rates).converted == nil)
    }

    @Test func noConvertedRowWhenEverythingIsAlreadyInBase() {
        // Documented: TOTAL_BASE is present only when some total is in another currency.
        let report = AgingReport.build(
            asOf: asOf, items: referenceItems, credits: [AgingCredit(customerRef: "C1", currency: USD, unappliedMinor: 20_000)], base: USD,
            rates: [ExchangeRate(from: EUR, to: USD, rateNanos: 1_085_000_000)])
        #expect(report.converted == nil)
        #expect(report.total(for: USD)?.totalMinor == 2_000_000)
    }

    @Test func convertedIncludesBaseTotalsUnchanged() throws {
        let items = referenceItems + [item("EU", EUR, issue: "2024-06-01", due: "2024-06-30", open: 10_000)]
        let report = AgingReport.build(
            asOf: asOf, items: items, credits: [AgingCredit(customerRef: "C1", currency: USD, unappliedMinor: 20_000)], base: USD,
            rates: [ExchangeRate(from: EUR, to: USD, rateNanos: 1_100_000_000)])
        let c = try #require(report.converted)
        // USD buckets as is; 100.00 EUR current (due today) → 110.00 USD.
        #expect(c.buckets == [911_000, 370_000, 300_000, 200_000, 250_000])
        #expect(c.unappliedMinor == 20_000)
        #expect(c.totalMinor == 2_011_000)
    }

    @Test func partialPaymentAgesOnTheResidual() throws {
        // INV-4 (2,500.00, DPD 30) with 1,800.00 paid: only the 700.00 residual is aged, still in 1–30.
        var items = referenceItems
        items[3].openMinor = 250_000 - 180_000
        let report = AgingReport.build(asOf: asOf, items: items, credits: [])
        let total = try #require(report.total(for: USD))
        #expect(total.buckets == [900_000, 190_000, 300_000, 200_000, 250_000])
        #expect(total.totalMinor == 1_840_000)
    }

    @Test func pastDueShareOfTheReferenceDataset() throws {
        let total = try #require(AgingReport.build(asOf: asOf, items: referenceItems, credits: []).total(for: USD))
        let pastDue = total.buckets.dropFirst().reduce(0, +)
        #expect(pastDue == 1_120_000)
        // 11,200 / 20,200 = 55.45 %
        #expect(abs(Double(pastDue) / Double(total.openItemsMinor) * 100 - 55.45) < 0.005)
    }
}

@Suite("Aging bucket thresholds") struct AgingThresholdTests {
    @Test("the thresholds give the same bucket as index(days:basis:) for every day count", arguments: [[30, 60, 90], [15], [7, 14, 21, 28, 60, 120]])
    func sameRule(bounds: [Int]) throws {
        let b = try AgingBuckets.make(bounds).get()
        for basis in [AgingBasis.dueDate, .issueDate] {
            let t = b.thresholds(basis)
            #expect(t == t.sorted())
            for days in -400...800 {
                #expect(b.index(days: days, basis: basis) == t.filter { $0 <= days }.count, "\(basis) \(days)")
            }
        }
    }
}
