import CobroCore
import CobroStore
import Hummingbird

/// `GET /api/v1/customers/{ref}/risk`: the customer's risk score under the latest payment model (issue 6).
struct RiskController {
    let db: any Database

    func addRoutes(to api: RouterGroup<AppRequestContext>) {
        api.get("customers/:ref/risk", use: risk)
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
            ("customer_ref", .string(ref)), ("score", .int(Int64(risk.score))), ("reasons", .array(risk.reasons.map { .string($0) })),
            ("expected_days_late", .hundredths(Int((risk.expectedDaysLate * 100).rounded()))), ("model_version", .int(risk.modelVersion)),
            ("trained_at", .string(DunningRendering.instant(risk.trainedAt))),
        ]))
    }
}
