import CobroCore
import Testing

// Payment plan performance (reference §2.8). The worked example: 1,000 EUR in 4 × 250 due on days 0, 30, 60, 90
// (2024-01-01, 01-31, 03-01, 03-31), grace 7; paid 250 on day 0, 250 on day 35, 100 on day 60, nothing for day 90.
// Expected: installment kept rate 2/4 = 50 %, coverage 600/1,000 = 60 %, broken with k = 2 after day 97.

private let EUR = Currency(code: "EUR")!
private let USD = Currency(code: "USD")!

private func day(_ iso: String) -> LocalDate { LocalDate(iso: iso)! }

private func plan(_ cur: Currency, _ dues: [String], each major: Int64, k: Int = 2) -> PaymentPlan {
    PaymentPlan(
        currency: cur, total: Money(minor: major * 100 * Int64(dues.count), cur),
        installments: dues.map { PaymentPlan.Installment(dueDate: day($0), amount: Money(minor: major * 100, cur)) },
        graceDays: 7, missesToDefault: k, startDate: day(dues[0]))
}

private func evaluated(_ p: PaymentPlan, _ pays: [(String, Int64)], on iso: String, collector: String? = "ana") throws -> PlanPerformance.Plan {
    let payments = pays.map { PlanPayment(day: day($0.0), amount: Money(minor: $0.1 * 100, p.currency)) }
    return PlanPerformance.Plan(collector: collector, currency: p.currency, report: try PaymentPlanEvaluation.evaluate(p, payments: payments, on: day(iso)).get())
}

private let workedDues = ["2024-01-01", "2024-01-31", "2024-03-01", "2024-03-31"]
private let workedPays: [(String, Int64)] = [("2024-01-01", 250), ("2024-02-05", 250), ("2024-03-01", 100)]

@Suite("Payment plan performance (reference §2.8)") struct PlanPerformanceTests {
    @Test("the worked example: kept 50 %, coverage 60 %, broken, matured and not completed")
    func workedExample() throws {
        let f = PlanPerformance.figures([try evaluated(plan(EUR, workedDues, each: 250), workedPays, on: "2024-04-08")])
        #expect(f.installmentsKept == 2 && f.installmentsMissed == 2 && f.installmentsPending == 0)
        #expect(f.installmentKeptRate == 5_000)
        #expect(f.coverage == [PlanPerformance.Coverage(currency: EUR, dueMinor: 100_000, paidMinor: 60_000)])
        #expect(f.coverage.first?.rateBasisPoints == 6_000)
        #expect(f.started == 1 && f.defaulted == 1 && f.defaultRate == 10_000)
        #expect(f.matured == 1 && f.completed == 0 && f.completionRate == 0)
    }

    @Test("before the last day of grace the last installment is pending and the plan has not matured")
    func midway() throws {
        // As of 2024-03-05: days 0 and 30 kept, day 60 still in grace (partial 100 paid), day 90 not due.
        let f = PlanPerformance.figures([try evaluated(plan(EUR, workedDues, each: 250), workedPays, on: "2024-03-05")])
        #expect(f.installmentsKept == 2 && f.installmentsMissed == 0 && f.installmentsPending == 2)
        #expect(f.installmentKeptRate == 10_000)
        // Due by 03-05: three slots, 750 asked, 600 paid → 80 %.
        #expect(f.coverage.first?.rateBasisPoints == 8_000)
        #expect(f.matured == 0 && f.completionRate == nil && f.defaulted == 0 && f.defaultRate == 0 && f.active == 1)
    }

    @Test("a plan paid in full is completed and matured, even before its last due date")
    func completedEarly() throws {
        let p = plan(EUR, workedDues, each: 250)
        let f = PlanPerformance.figures([try evaluated(p, [("2024-01-01", 1_000)], on: "2024-01-10")])
        #expect(f.completed == 1 && f.matured == 1 && f.completionRate == 10_000 && f.defaultRate == 0)
    }

    @Test("cancelled plans are counted but left out of the rates; coverage stays per currency")
    func cancelledAndCurrencies() throws {
        let eurPlan = try evaluated(plan(EUR, workedDues, each: 250), workedPays, on: "2024-04-08", collector: "ana")
        let usdPlan = try evaluated(plan(USD, ["2024-01-10", "2024-02-10"], each: 300), [("2024-01-10", 300), ("2024-02-12", 300)], on: "2024-04-08", collector: nil)
        let cancelled = PlanPerformance.Plan(collector: "beto", currency: EUR, report: nil)
        let (total, byCollector) = PlanPerformance.report([eurPlan, usdPlan, cancelled])
        #expect(total.plans == 3 && total.cancelled == 1 && total.started == 2)
        // EUR: 2 kept + 2 missed; USD: 2 kept → 4 of 6.
        #expect(total.installmentKeptRate == 6_667)
        #expect(total.coverage.map(\.currency) == [EUR, USD])
        #expect(total.coverage.map(\.rateBasisPoints) == [6_000, 10_000])
        // One of two started plans broke; one of two matured completed.
        #expect(total.defaultRate == 5_000 && total.completionRate == 5_000)
        #expect(byCollector.map(\.collector) == ["ana", "beto", nil])
        #expect(byCollector[1].figures.started == 0 && byCollector[1].figures.defaultRate == nil)
    }
}
