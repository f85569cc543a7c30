import CobroCore
import CobroStore
import Foundation
import Hummingbird

/// `/api/v1` routes for promises to pay and their kept-rate report.
struct PromisesController {
    let db: any Database
    let clock: Clock

    func addRoutes(to api: RouterGroup<AppRequestContext>) {
        api.post("customers/:ref/promises", use: create)
        api.get("promises", use: list)
        api.post("promises/:id/cancel", use: cancel)
        api.get("reports/promises", use: report)
    }

    static func render(_ p: PromiseRecord) -> JSONValue {
        .object([
            ("id", .int(p.id)), ("customer_ref", .string(p.customerRef)), ("currency", .string(p.promise.amount.currency.code)),
            ("amount", .number(p.promise.amount.decimalString)), ("promise_date", .string(p.promise.promiseDate.iso)),
            ("tolerance_days", .int(p.promise.toleranceDays)), ("made_on", .string(p.promise.madeOn.iso)),
            ("invoices", .array(p.invoiceRefs.map { .string($0) })), ("channel", .optional(p.channel)), ("note", .optional(p.note)),
            ("status", .string(p.status.rawValue)),
            ("paid_in_window", .number(Money(minor: p.paidInWindowMinor, p.promise.amount.currency).decimalString)),
            ("evaluated_on", p.evaluatedOn.map { .string($0.iso) } ?? .null), ("created_by", .string(p.createdBy)),
        ])
    }

    /// Body: `amount` (decimal string or number), `promise_date`, optional `invoices` (refs; none = on account),
    /// `currency` (needed on account when the customer has none), `tolerance_days` (default 3), `channel`, `note`.
    @Sendable func create(_ req: Request, ctx: AppRequestContext) async throws -> Response {
        let co = try ctx.requireCompany()
        let ref = try ctx.parameters.require("ref")
        var j = try await JSONInput.parse(req)
        let amount = j.decimalText("amount", required: true)
        let date = j.date("promise_date", required: true)
        let currency = j.currency("currency")
        let invoices = j.stringArray("invoices") ?? []
        let tolerance = j.int("tolerance_days", range: 0...30) ?? 3
        let channel = j.string("channel")
        let note = j.string("note")
        try j.check()
        let today = clock.today(in: co.timezone)
        let toleranceDays = tolerance
        let p = try await db.transaction { c in
            try await PromiseStore.create(
                c, company: co.id, customerRef: ref, amountText: amount!, currency: currency, promiseDate: date!, toleranceDays: toleranceDays,
                invoiceRefs: invoices, channel: channel, note: note, today: today, actor: ctx.actor, now: clock.nowMillis())
        }
        return .json(Self.render(p), status: .created)
    }

    @Sendable func list(_ req: Request, ctx: AppRequestContext) async throws -> Response {
        let co = try ctx.requireCompany()
        var q = QueryInput(req)
        let page = q.page()
        let status = q.oneOf("status", PromiseStatus.allCases)
        let customer = q.string("customer")
        try q.check()
        // Promises whose window has ended are judged before they are listed.
        let today = clock.today(in: co.timezone)
        _ = try await db.transaction { c in try await PromiseStore.evaluateDue(c, company: co.id, today: today, now: clock.nowMillis()) }
        let rows = try await db.read { c in
            try await PromiseStore.list(c, company: co.id, status: status, customerRef: customer, after: page.after, limit: page.limit)
        }
        return .json(Cursor.page(rows, limit: page.limit, id: \.id, render: Self.render))
    }

    /// Body: `reason`.
    @Sendable func cancel(_ req: Request, ctx: AppRequestContext) async throws -> Response {
        let co = try ctx.requireCompany()
        let text = try ctx.parameters.require("id")
        guard let id = Int64(text) else { throw Problem.invalid("id", "\"\(text)\" is not a promise id") }
        var j = try await JSONInput.parse(req)
        let reason = j.string("reason", required: true)
        try j.check()
        let p = try await db.transaction { c in
            try await PromiseStore.cancel(c, company: co.id, id: id, reason: reason!, actor: ctx.actor, now: clock.nowMillis())
        }
        return .json(Self.render(p))
    }

    /// Kept rates of the promises dated `from`…`to` (default: the last 90 days), overall and per collector.
    /// `from`…`to` (default: the 90 days ending today) selects promises by promised date; `format=json|csv`.
    @Sendable func report(_ req: Request, ctx: AppRequestContext) async throws -> Response {
        let co = try ctx.requireCompany()
        var q = QueryInput(req)
        let to = q.date("to") ?? clock.today(in: co.timezone)
        let from = q.date("from") ?? to.adding(days: -89)
        let csv = q.oneOf("format", [WireFormat.json, .csv]) == .csv
        if from > to { q.errors.append(.init(field: "from", message: "\(from.iso) is after to (\(to.iso))")) }
        try q.check()
        let today = clock.today(in: co.timezone)
        _ = try await db.transaction { c in try await PromiseStore.evaluateDue(c, company: co.id, today: today, now: clock.nowMillis()) }
        let all = try await db.read { c in try await CollectionsReportStore.promises(c, company: co.id, from: from, to: to) }
        let r = PlanPromiseReportRendering.groupPromises(all)
        if csv { return .text(PlanPromiseReportRendering.promisesCSV(r), contentType: "text/csv; charset=utf-8") }
        return .json(PlanPromiseReportRendering.promisesJSON(from: from, to: to, r))
    }
}
