import CobroCore
import CobroStore
import Foundation
import Hummingbird

/// `/api/v1` routes for monthly collector goals and the goals-vs-actual report. Goals are set with a manager's
/// (company-wide) token; everyone in the company may read them and the report.
struct GoalsController {
    let db: any Database
    let clock: Clock

    func addRoutes(to api: RouterGroup<AppRequestContext>) {
        api.get("collectors/:key/goals", use: list)
        api.put("collectors/:key/goals/:month", use: put)
        api.delete("collectors/:key/goals/:month", use: remove)
        api.get("reports/goals", use: report)
    }

    static func month(_ ctx: AppRequestContext) throws -> YearMonth {
        let text = try ctx.parameters.require("month")
        guard let m = YearMonth(iso: text) else { throw Problem.invalid("month", "\"\(text)\" is not a month; use YYYY-MM, e.g. 2024-06") }
        return m
    }

    @Sendable func list(_ req: Request, ctx: AppRequestContext) async throws -> Response {
        let co = try ctx.requireCompany()
        let key = try ctx.parameters.require("key")
        let goals = try await db.read { c -> [GoalRecord] in
            guard try await PortfolioStore.collectors(c, company: co.id).contains(where: { $0.key == key }) else { throw StoreError.notFound("collector \(key) does not exist") }
            return try await GoalStore.goals(c, company: co.id, collector: key)
        }
        return .json(.object([("data", .array(goals.map(GoalsRendering.goal))), ("next_cursor", .null)]))
    }

    /// Body: `amount` (decimal, in the company's base currency, more than 0).
    @Sendable func put(_ req: Request, ctx: AppRequestContext) async throws -> Response {
        let co = try ctx.requireCompany()
        if let k = ctx.collector { throw Problem(.forbidden, "Forbidden", detail: "this token acts for collector \(k); a manager sets goals") }
        let key = try ctx.parameters.require("key")
        let month = try Self.month(ctx)
        var j = try await JSONInput.parse(req)
        let amount = j.decimalText("amount", required: true)
        try j.check()
        let g = try await db.transaction { c in
            try await GoalStore.set(c, company: co.id, base: co.baseCurrency, collector: key, month: month, amountText: amount ?? "", actor: ctx.actor, now: clock.nowMillis())
        }
        return .json(GoalsRendering.goal(g))
    }

    @Sendable func remove(_ req: Request, ctx: AppRequestContext) async throws -> Response {
        let co = try ctx.requireCompany()
        if let k = ctx.collector { throw Problem(.forbidden, "Forbidden", detail: "this token acts for collector \(k); a manager sets goals") }
        let key = try ctx.parameters.require("key")
        let month = try Self.month(ctx)
        let removed = try await db.transaction { c in try await GoalStore.remove(c, company: co.id, collector: key, month: month, actor: ctx.actor, now: clock.nowMillis()) }
        guard removed else { throw Problem.notFound("collector \(key) has no goal for \(month.iso)") }
        return Response(status: .noContent)
    }

    /// `month` (YYYY-MM, default this month), `format=json|csv`.
    @Sendable func report(_ req: Request, ctx: AppRequestContext) async throws -> Response {
        let co = try ctx.requireCompany()
        var q = QueryInput(req)
        let chosen = q.month("month") ?? YearMonth(clock.today(in: co.timezone))
        let format = q.oneOf("format", [WireFormat.json, .csv]) ?? .json
        try q.check()
        let month = chosen
        let tz = TimeZone(identifier: co.timezone) ?? .gmt
        let r = try await db.read { c in try await GoalStore.report(c, company: co.id, base: co.baseCurrency, timeZone: tz, month: month) }
        if format == .csv { return .text(GoalsRendering.reportCSV(r), contentType: "text/csv; charset=utf-8") }
        return .json(GoalsRendering.reportJSON(r))
    }
}
