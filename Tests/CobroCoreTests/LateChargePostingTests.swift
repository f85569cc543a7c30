import Testing

@testable import CobroCore

/// Late charges as a dunning run posts them (issue 3, point 15), with the reference §4.1 worked examples as oracles.
@Suite("Late charges: posting with dunning messages")
struct LateChargePostingTests {
    let eur = Currency(code: "EUR")!, usd = Currency(code: "USD")!, gbp = Currency(code: "GBP")!
    func date(_ s: String) -> LocalDate { LocalDate(iso: s)! }

    var eu: LatePaymentPolicy {
        .euDirective(referenceRates: [ReferenceRate(effectiveFrom: date("2026-01-01"), rate: try! Percentage.parse("2.15").get())])
    }

    func item(
        _ minor: Int64, _ currency: Currency, due: String, through: String? = nil, charged: Int64 = 0, compensated: Bool = false
    ) -> LateChargePosting.Item {
        LateChargePosting.Item(
            invoiceID: InvoiceID(7), ref: "INV-7", amount: Money(minor: minor, currency), dueDate: date(due),
            interestChargedThrough: through.map(date), interestChargedMinor: charged, compensationCharged: compensated)
    }

    @Test("EU: €10,000, 2.15 % + 8 pp, 45 days late → €125.14 interest and €40 compensation, €165.14 in all")
    func euWorkedExample() throws {
        let lines = try LateChargePosting.charges(eu, item: item(10_000_00, eur, due: "2026-02-01"), asOf: date("2026-03-18")).get()
        #expect(lines.map(\.kind) == [.interest, .compensation])
        #expect(lines[0].amount == Money(minor: 125_14, eur) && lines[0].from == date("2026-02-02") && lines[0].through == date("2026-03-18"))
        #expect(lines[1].amount == Money(minor: 40_00, eur))
        #expect(lines.reduce(0) { $0 + $1.amount.minor } == 165_14)
        #expect(lines.map(\.sourceKey) == ["interest:7:2026-03-18", "compensation:7"])
    }

    @Test("charged in two runs, the interest adds up to the whole period's and the compensation comes once")
    func twoRuns() throws {
        // Day 20: 10,000 × 0.1015 × 20 / 365 = 55.616… → 55.62; day 45 in all: 125.14, so the second run charges 69.52.
        let first = try LateChargePosting.charges(eu, item: item(10_000_00, eur, due: "2026-02-01"), asOf: date("2026-02-21")).get()
        #expect(first.map(\.amount.minor) == [55_62, 40_00])
        let second = try LateChargePosting.charges(
            eu, item: item(10_000_00, eur, due: "2026-02-01", through: "2026-02-21", charged: 55_62, compensated: true), asOf: date("2026-03-18")).get()
        #expect(second.map(\.kind) == [.interest])
        #expect(second[0].amount == Money(minor: 69_52, eur) && second[0].from == date("2026-02-22"))
        #expect(first[0].amount.minor + second[0].amount.minor == 125_14)
        // Running again through the same day charges nothing.
        #expect(try LateChargePosting.charges(
            eu, item: item(10_000_00, eur, due: "2026-02-01", through: "2026-03-18", charged: 125_14, compensated: true), asOf: date("2026-03-18")).get().isEmpty)
    }

    @Test("a payment recorded after a charge with an earlier date: the next charge tops up to the true total, never more")
    func backdatedPayment() throws {
        // 55.62 was charged through 02-21 on 10,000.00. Then 5,000.00 paid on 02-05 is recorded. The true interest to
        // 03-18: 10,000 × 0.1015 × 4 / 365 = 11.123… → 11.12 (02-02…02-05) plus 5,000 × 0.1015 × 41 / 365 = 57.006… →
        // 57.01 (02-06…03-18) = 68.13, so this run charges 68.13 − 55.62 = 12.51.
        var i = item(10_000_00, eur, due: "2026-02-01", through: "2026-02-21", charged: 55_62, compensated: true)
        i.balanceChanges = [BalanceChange(date: date("2026-02-05"), openMinor: 5_000_00)]
        let lines = try LateChargePosting.charges(eu, item: i, asOf: date("2026-03-18")).get()
        #expect(lines.map(\.amount) == [Money(minor: 12_51, eur)])
        // Had more been charged than is now owed, nothing is charged (the excess is not credited automatically).
        i.interestChargedMinor = 80_00
        #expect(try LateChargePosting.charges(eu, item: i, asOf: date("2026-03-18")).get().isEmpty)
    }

    @Test("UK: £5,000 at 12 % for 30 days → £49.32 and the £70 tier")
    func ukWorkedExample() throws {
        let uk = LatePaymentPolicy.unitedKingdom(referenceRates: [ReferenceRate(effectiveFrom: date("2025-01-01"), rate: .percent(4))])
        let lines = try LateChargePosting.charges(uk, item: item(5_000_00, gbp, due: "2025-03-01"), asOf: date("2025-03-31")).get()
        #expect(lines.map(\.amount) == [Money(minor: 49_32, gbp), Money(minor: 70_00, gbp)])
    }

    @Test("nothing before or on the due date, nothing on debit notes, no compensation in another currency")
    func nothingToCharge() throws {
        #expect(try LateChargePosting.charges(eu, item: item(10_000_00, eur, due: "2026-02-01"), asOf: date("2026-02-01")).get().isEmpty)
        var note = item(10_000_00, eur, due: "2026-02-01")
        note.kind = .debitNote
        #expect(try LateChargePosting.charges(eu, item: note, asOf: date("2026-03-18")).get().isEmpty)
        // A USD invoice under the EU policy: interest yes, the €40 no (never converted).
        let usdLines = try LateChargePosting.charges(eu, item: item(10_000_00, usd, due: "2026-02-01"), asOf: date("2026-03-18")).get()
        #expect(usdLines.map(\.kind) == [.interest] && usdLines[0].amount == Money(minor: 125_14, usd))
    }

    @Test("interest follows the open amount: a payment on day D stops accrual on what it paid from D + 1")
    func partialPayment() throws {
        // 10,000 due 2026-02-01 at 10.15 %; 6,000 paid on 02-21 leaves 4,000 from 02-22.
        // 20 days on 10,000 = 55.62; 25 days on 4,000 = 4,000 × 0.1015 × 25 / 365 = 27.808… → 27.81; total 83.43.
        var i = item(10_000_00, eur, due: "2026-02-01")
        i.balanceChanges = [BalanceChange(date: date("2026-02-21"), openMinor: 4_000_00)]
        let lines = try LateChargePosting.charges(eu, item: i, asOf: date("2026-03-18")).get()
        #expect(lines.first?.amount == Money(minor: 83_43, eur))
    }

    @Test("fees: fixed in the message's currency only; a percentage of the total rounded half to even")
    func fees() {
        let fixed = DunningLateFee.fixed([.init(usd, minor: 25_00)])
        #expect(LateChargePosting.fee(fixed, total: Money(minor: 6_700_00, usd), messageKey: "m")?.amount == Money(minor: 25_00, usd))
        #expect(LateChargePosting.fee(fixed, total: Money(minor: 6_700_00, eur), messageKey: "m") == nil)
        // 1.50 % of 6,700.00 = 100.50.
        #expect(LateChargePosting.fee(.percent(basisPoints: 150), total: Money(minor: 6_700_00, usd), messageKey: "m")?.amount == Money(minor: 100_50, usd))
        // 1 bp of 50.00 = 0.005 → 0.00 (a tie, to even): no fee line.
        #expect(LateChargePosting.fee(.percent(basisPoints: 1), total: Money(minor: 50_00, usd), messageKey: "m") == nil)
        // 1 bp of 150.00 = 0.015 → 0.02 (a tie, to even).
        #expect(LateChargePosting.fee(.percent(basisPoints: 1), total: Money(minor: 150_00, usd), messageKey: "m")?.amount.minor == 2)
        #expect(LateChargePosting.fee(fixed, total: Money(minor: 1, usd), messageKey: "k1")?.sourceKey == "fee:k1")
    }
}
