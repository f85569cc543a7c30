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
    @Sendable func report(_ req: Request, ctx: AppRequestContext) async throws -> Response {
        let co = try ctx.requireCompany()
        var q = QueryInput(req)
        let to = q.date("to") ?? clock.today(in: co.timezone)
        let from = q.date("from") ?? to.adding(days: -89)
        if from > to { q.errors.append(.init(field: "from", message: "\(from.iso) is after to (\(to.iso))")) }
        try q.check()
        let today = clock.today(in: co.timezone)
        _ = try await db.transaction { c in try await PromiseStore.evaluateDue(c, company: co.id, today: today, now: clock.nowMillis()) }
        let all = try await db.read { c -> [PromiseRecord] in
            var out: [PromiseRecord] = []
            var after: Int64 = 0
            while true {
                let page = try await PromiseStore.list(c, company: co.id, status: nil, customerRef: nil, after: after, limit: 500)
                out += page.filter { $0.promise.promiseDate >= from && $0.promise.promiseDate <= to }
                guard let last = page.last, page.count == 500 else { break }
                after = last.id
            }
            return out
        }
        return .json(.object([
            ("from", .string(from.iso)), ("to", .string(to.iso)), ("total", Self.rates(all)),
            ("by_collector", .array(Dictionary(grouping: all, by: { $0.collector ?? "" }).sorted { $0.key < $1.key }.map { key, ps in
                guard case .object(let fields) = Self.rates(ps) else { return .null }
                return .object([("collector", key.isEmpty ? .null : .string(key))] + fields)
            })),
        ]))
    }

    static func rates(_ ps: [PromiseRecord]) -> JSONValue {
        let results: [(promisedMinor: Int64, result: PromiseEvaluation.Result)] = ps.map { p in
            (promisedMinor: p.promise.amount.minor, result: PromiseEvaluation.Result(status: p.status, paidInWindowMinor: p.paidInWindowMinor))
        }
        let r = PromiseEvaluation.keptRates(results)
        func count(_ s: PromiseStatus) -> JSONValue { .int(ps.filter { $0.status == s }.count) }
        return .object([
            ("promises", .int(ps.count)), ("resolved", .int(r.resolved)), ("kept", count(.kept)), ("partially_kept", count(.partiallyKept)),
            ("broken", count(.broken)), ("open", count(.open)), ("cancelled", count(.cancelled)),
            ("kept_rate_count_pct", .hundredths(r.byCount)), ("kept_rate_amount_pct", .hundredths(r.byAmount)),
            ("kept_rate_strict_amount_pct", .hundredths(r.strictByAmount)), ("kept_rate_partial_fraction_pct", .hundredths(r.partialAsFraction)),
        ])
    }
}
