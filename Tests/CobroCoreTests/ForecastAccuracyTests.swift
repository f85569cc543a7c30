import CobroCore
import Testing

@Suite("Cash forecast vs actual")
struct ForecastAccuracyTests {
    // Weeks of Monday 2024-07-01 and 2024-07-08, as of Wednesday 2024-07-10 (the first week is over, the second not).
    // USD: forecast 1,000.00 then 500.00; received 800.00 (07-03) + 100.00 (Sunday 07-07) = 900.00, then 700.00 (07-09);
    // 999.00 on 07-20 lies outside the weeks. EUR: nothing forecast, 50.00 received on 07-02.
    // Errors: USD week 1 |900 − 1000| / 1000 = 10 %, week 2 |700 − 500| / 500 = 40 %. Complete weeks only in the
    // summary: USD WAPE 100 / 900 = 11.11 %, EUR 50 / 50 = 100 %.
    @Test func weeksAndSummary() {
        let usd = Currency(code: "USD")!, eur = Currency(code: "EUR")!
        let d = { (s: String) in LocalDate(iso: s)! }
        let (rows, summary) = ForecastAccuracy.compare(
            weeks: [d("2024-07-01"), d("2024-07-08")],
            forecast: [(d("2024-07-01"), usd, 100_000), (d("2024-07-08"), usd, 50_000)],
            payments: [(d("2024-07-03"), usd, 80_000), (d("2024-07-07"), usd, 10_000), (d("2024-07-09"), usd, 70_000), (d("2024-07-20"), usd, 99_900),
                       (d("2024-07-02"), eur, 5_000)],
            today: d("2024-07-10"))
        #expect(rows.map { "\($0.weekStart.iso) \($0.currency.code) \($0.forecastMinor) \($0.actualMinor) \($0.complete)" } == [
            "2024-07-01 EUR 0 5000 true", "2024-07-01 USD 100000 90000 true", "2024-07-08 USD 50000 70000 false",
        ])
        #expect(rows[0].errorPct == nil && rows[1].errorPct == 10 && rows[2].errorPct == 40 && rows[1].differenceMinor == -10_000)
        #expect(summary.map(\.currency.code) == ["EUR", "USD"])
        #expect(summary[0].wapePct == 100 && summary[1].weeks == 1 && summary[1].forecastMinor == 100_000 && summary[1].actualMinor == 90_000)
        #expect(abs(summary[1].wapePct! - 100.0 / 9) < 1e-9)
    }
}
