import CobroCore
import Testing

// Reference §4.2: a 10,000 invoice dated 2024-06-01 on 2/10 net 30 is settled with 9,800 by 2024-06-11.
private let USD = Currency(code: "USD")!
private let EUR = Currency(code: "EUR")!
private func day(_ iso: String) -> LocalDate { LocalDate(iso: iso)! }

@Suite("Discount policy effectiveness") struct DiscountEffectivenessTests {
    let terms = try! DiscountTerms.parse("2/10 net 30").get()

    func inv(_ issue: String, settled: String?, discount: Int64, amount: Int64 = 1_000_000, _ cur: Currency = USD) -> DiscountEffectiveness.Invoice {
        .init(terms: terms, currency: cur, amountMinor: amount, issueDate: day(issue), settledOn: settled.map(day), discountMinor: discount)
    }

    @Test("take rate over decided invoices, days saved against those who paid in full, annualised cost vs the terms")
    func example() throws {
        let invoices = [
            inv("2024-06-01", settled: "2024-06-11", discount: 20_000),  // the §4.2 example: 9,800 on day 10
            inv("2024-06-01", settled: "2024-07-11", discount: 0),       // paid in full on day 40
            inv("2024-06-01", settled: nil, discount: 0),                // window closed on 06-11, still open
            inv("2024-06-25", settled: nil, discount: 0),                // window open until 07-05: not decided
        ]
        let g = try #require(DiscountEffectiveness.groups(invoices, asOf: day("2024-07-01")).first)
        #expect(g.invoices == 4 && g.decided == 3 && g.taken == 1 && g.takeRateBasisPoints == 3_333)
        #expect(g.discountMinor == 20_000 && g.takenNetMinor == 980_000 && g.amountMinor == 4_000_000)
        #expect(g.averageDaysToPayTaken == 10 && g.averageDaysToPayOthers == 40 && g.daysSaved == 30)
        // 200 / 9,800 × 365 / 30 = 24.83 % a year, against the terms' 37.24 % (which assume payment on day 30).
        #expect(abs(try #require(g.annualisedCost) - 0.248299) < 0.000001)
        #expect(abs(g.termsNominalCost - 0.372449) < 0.000001)
    }

    @Test("the window closes after the last discount day; groups split by currency; no saving, no cost")
    func edges() throws {
        // On 06-11 (the last discount day) the open invoice is not decided yet; on 06-12 it is.
        #expect(DiscountEffectiveness.groups([inv("2024-06-01", settled: nil, discount: 0)], asOf: day("2024-06-11")).first?.decided == 0)
        #expect(DiscountEffectiveness.groups([inv("2024-06-01", settled: nil, discount: 0)], asOf: day("2024-06-12")).first?.decided == 1)
        let gs = DiscountEffectiveness.groups([inv("2024-06-01", settled: "2024-06-05", discount: 20_000), inv("2024-06-01", settled: "2024-06-05", discount: 0, EUR)], asOf: day("2024-07-01"))
        #expect(gs.map(\.currency) == [EUR, USD])
        #expect(gs[1].daysSaved == nil && gs[1].annualisedCost == nil, "nobody paid without the discount: nothing to compare")
        #expect(gs[0].takeRateBasisPoints == 0 && gs[0].taken == 0)
        // Takers slower than the others: days saved negative, cost not meaningful.
        let slow = DiscountEffectiveness.groups([inv("2024-06-01", settled: "2024-06-11", discount: 20_000), inv("2024-06-01", settled: "2024-06-03", discount: 0)], asOf: day("2024-07-01"))
        #expect(slow.first?.daysSaved == -8 && slow.first?.annualisedCost == nil)
    }
}
