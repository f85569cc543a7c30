import CobroCore
import CobroStore
import Hummingbird

/// `GET /api/v1/customers/{ref}/risk`: the customer's risk score under the latest payment model (issue 6).
struct RiskController {
    let db: any Database
    let clock: Clock

    func addRoutes(to api: RouterGroup<AppRequestContext>) {
        api.get("customers/:ref/risk", use: risk)
        api.get("reports/cash-forecast", use: cashForecast)
        api.get("reports/forecast-accuracy", use: forecastAccuracy)
    }

    /// `made_on` (a day a forecast was kept; default the latest made at least a week ago), `format=json|csv`.
    /// 404 when no forecast was kept (each training keeps one).
    @Sendable func forecastAccuracy(_ req: Request, ctx: AppRequestContext) async throws -> Response {
        let co = try ctx.requireCompany()
        var q = QueryInput(req)
        let madeOn = q.date("made_on")
        let format = q.oneOf("format", [WireFormat.json, .csv]) ?? .json
        try q.check()
        let today = clock.today(in: co.timezone)
        guard let r = try await db.read({ c in try await ModelStore.forecastAccuracy(c, company: co.id, madeOn: madeOn, today: today) }) else {
            throw Problem.notFound(
                madeOn.map { "no cash forecast was kept on \($0.iso); each training of the payment model keeps one" }
                    ?? "no cash forecast has been kept yet: each training of the payment model (cobro model train) keeps one")
        }
        if format == .csv { return .text(ModelRendering.accuracyCSV(r), contentType: "text/csv; charset=utf-8") }
        return .json(ModelRendering.accuracyJSON(r, today: today))
    }

    /// `weeks` (1–52, default 13), `format=json|csv`. 404 before the first training.
    @Sendable func cashForecast(_ req: Request, ctx: AppRequestContext) async throws -> Response {
        let co = try ctx.requireCompany()
        var q = QueryInput(req)
        let weeks = q.int("weeks", range: 1...52) ?? 13
        let format = q.oneOf("format", [WireFormat.json, .csv]) ?? .json
        try q.check()
        let today = clock.today(in: co.timezone)
        guard let (version, f) = try await db.read({ c in try await ModelStore.cashForecast(c, company: co.id, today: today, weeks: weeks) }) else {
            throw Problem.notFound("no payment model has been trained yet (cobro model train); the forecast needs its expected payment dates")
        }
        if format == .csv { return .text(ModelRendering.forecastCSV(f), contentType: "text/csv; charset=utf-8") }
        return .json(ModelRendering.forecastJSON(f, today: today, version: version))
    }

    @Sendable func risk(_ req: Request, ctx: AppRequestContext) async throws -> Response {
        let co = try ctx.requireCompany()
        let ref = try ctx.parameters.require("ref")
        let (exists, risk) = try await db.read { c in
            (try await LedgerQueries.customerID(c, company: co.id, ref: ref) != nil, try await ModelStore.risk(c, company: co.id, customerRef: ref))
        }
        guard exists else { throw Problem.notFound("customer \(ref) does not exist") }
        guard let risk else {
            throw Problem.notFound("customer \(ref) has no risk score: no payment model has been trained since it had an open invoice (cobro model train)")
        }
        return .json(.object([
            ("customer_ref", .string(ref)), ("score", .int(Int64(risk.score))), ("reasons", .array(risk.reasons.compactMap { $0.words() }.map { .string($0) })),
            ("expected_days_late", .hundredths(Int((risk.expectedDaysLate * 100).rounded()))), ("model_version", .int(risk.modelVersion)),
            ("trained_at", .string(DunningRendering.instant(risk.trainedAt))),
        ]))
    }
}
