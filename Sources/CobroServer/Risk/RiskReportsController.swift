import CobroCore
import CobroStore
import Hummingbird

/// `/api/v1` routes for the roll-rate (migration) and provision-matrix reports (issue 6, point 5).
struct RiskReportsController {
    let db: any Database
    let clock: Clock

    func addRoutes(to api: RouterGroup<AppRequestContext>) {
        api.get("reports/roll-rates", use: rollRates)
        api.get("reports/provision", use: provision)
        api.get("reports/payment-trends", use: paymentTrends)
    }

    /// `from`, `to` (`YYYY-MM`; default the 12 months up to this one), `by` (company, segment, customer; default
    /// segment), `format=json|csv`.
    @Sendable func paymentTrends(_ req: Request, ctx: AppRequestContext) async throws -> Response {
        let co = try ctx.requireCompany()
        var q = QueryInput(req)
        let from = q.month("from"), to = q.month("to")
        let by = q.oneOf("by", RiskReportStore.TrendGrouping.allCases) ?? .segment
        let format = q.oneOf("format", [WireFormat.json, .csv]) ?? .json
        try q.check()
        let (start, end): (YearMonth, YearMonth)
        switch RiskReportStore.trendRange(from: from, to: to, today: clock.today(in: co.timezone)) {
        case .success(let r): (start, end) = r
        case .failure(let e): throw Problem.invalid("from", e.message)
        }
        let series = try await db.read { c in try await RiskReportStore.paymentTrends(c, company: co.id, by: by, from: start, to: end) }
        if format == .csv { return .text(RiskReportRendering.trendsCSV(series), contentType: "text/csv; charset=utf-8") }
        return .json(RiskReportRendering.trendsJSON(from: start, to: end, by: by, series))
    }

    /// `from`, `to` (`YYYY-MM`; default the 6 months up to the last complete one), `format=json|csv`.
    @Sendable func rollRates(_ req: Request, ctx: AppRequestContext) async throws -> Response {
        let co = try ctx.requireCompany()
        var q = QueryInput(req)
        let from = q.month("from"), to = q.month("to")
        let format = q.oneOf("format", [WireFormat.json, .csv]) ?? .json
        try q.check()
        let (start, end): (YearMonth, YearMonth)
        switch RiskReportStore.rollRateRange(from: from, to: to, today: clock.today(in: co.timezone)) {
        case .success(let r): (start, end) = r
        case .failure(let e): throw Problem.invalid(from == nil ? "to" : "from", e.message)
        }
        let r = try await db.read { c in try await RiskReportStore.rollRates(c, company: co.id, buckets: co.agingBuckets, from: start, to: end) }
        let labels = co.agingBuckets.labels(.dueDate)
        if format == .csv {
            return .text(RiskReportRendering.rollRatesCSV(from: start, to: end, labels: labels, months: r.months, overall: r.overall), contentType: "text/csv; charset=utf-8")
        }
        return .json(RiskReportRendering.rollRatesJSON(from: start, to: end, labels: labels, months: r.months, overall: r.overall))
    }

    /// `as_of` (default today), `loss_rates` (percent per bucket; default: chained roll rates of the last 12 months),
    /// `format=json|csv`.
    @Sendable func provision(_ req: Request, ctx: AppRequestContext) async throws -> Response {
        let co = try ctx.requireCompany()
        var q = QueryInput(req)
        let asOf = q.date("as_of") ?? clock.today(in: co.timezone)
        var rates: [LossRate]?
        if let text = q.string("loss_rates") {
            switch LossRate.parseList(text) {
            case .success(let r): rates = r
            case .failure(let e): q.errors.append(.init(field: "loss_rates", message: e.message))
            }
        }
        let format = q.oneOf("format", [WireFormat.json, .csv]) ?? .json
        try q.check()
        let given = rates
        let r = try await db.read { c in try await RiskReportStore.provision(c, company: co.id, buckets: co.agingBuckets, asOf: asOf, lossRates: given) }
        let labels = co.agingBuckets.labels(.dueDate)
        if format == .csv { return .text(RiskReportRendering.provisionCSV(r, labels: labels), contentType: "text/csv; charset=utf-8") }
        return .json(RiskReportRendering.provisionJSON(r, labels: labels))
    }
}
