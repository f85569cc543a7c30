import CobroCore
import CobroStore
import Foundation
import Hummingbird

/// `/api/v1` routes for credit control: positions and automatic holds, open orders, four-eyes credit-limit changes and
/// the company's past-due rule.
struct CreditController {
    let db: any Database
    let clock: Clock

    func addRoutes(to api: RouterGroup<AppRequestContext>) {
        api.get("customers/:ref/credit", use: position)
        api.put("customers/:ref/open-orders", use: openOrders)
        api.post("customers/:ref/credit-limit-requests", use: request)
        api.get("credit-limit-requests", use: requests)
        api.post("credit-limit-requests/:id/approve", use: approve)
        api.post("credit-limit-requests/:id/reject", use: reject)
        api.get("settings/credit", use: getSettings)
        api.put("settings/credit", use: putSettings)
    }

    static func render(_ p: CreditPosition) -> JSONValue {
        func money(_ m: Int64?) -> JSONValue {
            guard let m else { return .null }
            guard let c = p.currency else { return .int(m) }
            return .number(Money(minor: m, c).decimalString)
        }
        return .object([
            ("customer_ref", .string(p.customerRef)), ("currency", .optional(p.currency?.code)), ("credit_limit", money(p.limitMinor)),
            ("exposure", money(p.exposureMinor)), ("open_orders", money(p.openOrdersMinor)),
            ("oldest_days_past_due", p.oldestDaysPastDue.map { .int($0) } ?? .null), ("credit_hold", .bool(p.hold)), ("hold_reason", .optional(p.holdReason)),
        ])
    }

    static func render(_ r: CreditLimitRequest) -> JSONValue {
        .object([
            ("id", .int(r.id)), ("customer_ref", .string(r.customerRef)), ("currency", .string(r.currency.code)),
            ("current_limit", r.currentMinor.map { .number(Money(minor: $0, r.currency).decimalString) } ?? .null),
            ("requested_limit", .number(Money(minor: r.requestedMinor, r.currency).decimalString)), ("reason", .string(r.reason)), ("status", .string(r.status)),
            ("requested_by", .string(r.requestedBy)), ("decided_by", .optional(r.decidedBy)), ("decision_note", .optional(r.decisionNote)),
        ])
    }

    /// The customer's position, after applying the hold rule to it.
    @Sendable func position(_ req: Request, ctx: AppRequestContext) async throws -> Response {
        let co = try ctx.requireCompany()
        let ref = try ctx.parameters.require("ref")
        let today = clock.today(in: co.timezone)
        let positions = try await db.transaction { c in
            try await CreditStore.apply(c, company: co.id, customerRef: ref, today: today, actor: "credit_control", now: clock.nowMillis())
        }
        guard let p = positions.first else { throw Problem.notFound("customer \(ref) does not exist") }
        return .json(Self.render(p))
    }

    /// Body: `amount` — the customer's open orders in its currency, reported by the ERP.
    @Sendable func openOrders(_ req: Request, ctx: AppRequestContext) async throws -> Response {
        let co = try ctx.requireCompany()
        let ref = try ctx.parameters.require("ref")
        var j = try await JSONInput.parse(req)
        let currency = try await db.read { c in
            try await c.first("SELECT currency FROM customer WHERE company_id = $1 AND customer_ref = $2", [.int(co.id), .text(ref)])
        }
        guard let currency else { throw Problem.notFound("customer \(ref) does not exist") }
        guard let cur = currency.textOrNil(0).flatMap(Currency.init(code:)) else {
            throw Problem.invalid("customer", "\(ref) has no currency; set it first (open orders are in the customer's currency)")
        }
        let amount = j.amount("amount", currency: cur, required: true, allowZero: true)
        try j.check()
        let today = clock.today(in: co.timezone)
        let positions = try await db.transaction { c in
            try await CreditStore.setOpenOrders(c, company: co.id, customerRef: ref, amountMinor: amount!, actor: ctx.actor, now: clock.nowMillis())
            return try await CreditStore.apply(c, company: co.id, customerRef: ref, today: today, actor: "credit_control", now: clock.nowMillis())
        }
        return .json(Self.render(positions[0]))
    }

    /// Body: `limit` (in the customer's currency), `reason`.
    @Sendable func request(_ req: Request, ctx: AppRequestContext) async throws -> Response {
        let co = try ctx.requireCompany()
        let ref = try ctx.parameters.require("ref")
        var j = try await JSONInput.parse(req)
        let limit = j.decimalText("limit", required: true)
        let reason = j.string("reason", required: true)
        try j.check()
        let amountText = limit!
        let r = try await db.transaction { c in
            try await CreditStore.requestLimit(c, company: co.id, customerRef: ref, amountText: amountText, reason: reason!, actor: ctx.actor, now: clock.nowMillis())
        }
        return .json(Self.render(r), status: .created)
    }

    @Sendable func requests(_ req: Request, ctx: AppRequestContext) async throws -> Response {
        let co = try ctx.requireCompany()
        var q = QueryInput(req)
        let page = q.page()
        let status = q.string("status")
        if let status, !["pending", "approved", "rejected"].contains(status) {
            q.errors.append(.init(field: "status", message: "\"\(status)\" is not pending, approved or rejected"))
        }
        try q.check()
        let rows = try await db.read { c in try await CreditStore.requests(c, company: co.id, status: status, after: page.after, limit: page.limit) }
        return .json(Cursor.page(rows, limit: page.limit, id: \.id, render: Self.render))
    }

    @Sendable func approve(_ req: Request, ctx: AppRequestContext) async throws -> Response { try await decide(req, ctx, approve: true) }
    @Sendable func reject(_ req: Request, ctx: AppRequestContext) async throws -> Response { try await decide(req, ctx, approve: false) }

    /// Body (optional): `note`. 403 when the requester decides.
    func decide(_ req: Request, _ ctx: AppRequestContext, approve: Bool) async throws -> Response {
        let co = try ctx.requireCompany()
        let text = try ctx.parameters.require("id")
        guard let id = Int64(text) else { throw Problem.invalid("id", "\"\(text)\" is not a request id") }
        if let k = ctx.collector {
            throw Problem(.forbidden, "Forbidden", detail: "this token acts for collector \(k); a manager approves or rejects credit-limit changes")
        }
        var r = req
        let body = try await r.collectBody(upTo: JSONInput.maxBody)
        var note: String?
        if body.readableBytes > 0 {
            var j = try JSONInput.parse(body)
            note = j.string("note")
            try j.check()
        }
        let n = note
        do {
            let decided = try await db.transaction { c in
                try await CreditStore.decide(c, company: co.id, id: id, approve: approve, note: n, actor: ctx.actor, now: clock.nowMillis())
            }
            return .json(Self.render(decided))
        } catch let e as FourEyesViolation {
            throw Problem(.forbidden, "Forbidden", detail: e.message)
        }
    }

    @Sendable func getSettings(_ req: Request, ctx: AppRequestContext) async throws -> Response {
        let co = try ctx.requireCompany()
        let days = try await db.read { c in try await c.first("SELECT credit_hold_days FROM company WHERE id = $1", [.int(co.id)])?.intOrNil(0) }
        return .json(.object([("hold_days_past_due", days.map { .int($0) } ?? .null)]))
    }

    /// Body: `hold_days_past_due` (1–3650, or null for no past-due rule).
    @Sendable func putSettings(_ req: Request, ctx: AppRequestContext) async throws -> Response {
        let co = try ctx.requireCompany()
        var j = try await JSONInput.parse(req)
        var days: Int?
        if j.object["hold_days_past_due"] == nil {
            j.fail("hold_days_past_due", "hold_days_past_due is required (a number of days 1–3650, or null)")
        } else {
            days = j.int("hold_days_past_due", range: 1...3650)
        }
        try j.check()
        let d = days
        try await db.transaction { c in try await CreditStore.setHoldDays(c, company: co.id, days: d, actor: ctx.actor, now: clock.nowMillis()) }
        return .json(.object([("hold_days_past_due", d.map { .int($0) } ?? .null)]))
    }
}
