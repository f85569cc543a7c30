import CobroCore
import CobroStore
import Foundation
import Hummingbird

/// `/api/v1` routes for write-offs and agency/legal placements.
struct HandOverController {
    let db: any Database
    let clock: Clock

    func addRoutes(to api: RouterGroup<AppRequestContext>) {
        api.post("invoices/:ref/write-offs", use: requestWriteOff)
        api.get("write-offs", use: listWriteOffs)
        api.post("write-offs/:id/approve", use: approveWriteOff)
        api.post("write-offs/:id/reject", use: rejectWriteOff)
        api.post("customers/:ref/placements", use: place)
        api.get("placements", use: listPlacements)
        api.get("placements/:id", use: getPlacement)
        api.get("placements/:id/export", use: export)
        api.post("placements/:id/collections", use: collect)
        api.post("placements/:id/recall", use: recall)
    }

    static func render(_ w: WriteOffRecord) -> JSONValue {
        .object([
            ("id", .int(w.id)), ("customer_ref", .string(w.customerRef)), ("invoice_ref", .string(w.invoiceRef)), ("currency", .string(w.currency.code)),
            ("amount", .number(Money(minor: w.amountMinor, w.currency).decimalString)), ("reason", .string(w.reason)), ("note", .optional(w.note)),
            ("status", .string(w.status)), ("requested_by", .string(w.requestedBy)), ("requested_at", .string(DunningRendering.instant(w.requestedAt))),
            ("decided_by", .optional(w.decidedBy)), ("decided_at", w.decidedAt.map { .string(DunningRendering.instant($0)) } ?? .null),
            ("decision_note", .optional(w.decisionNote)), ("credit_note_ref", .optional(w.creditNoteRef)),
        ])
    }

    static func render(_ p: PlacementRecord) -> JSONValue {
        let money = { (m: Int64) in JSONValue.number(Money(minor: m, p.currency).decimalString) }
        return .object([
            ("id", .int(p.id)), ("customer_ref", .string(p.customerRef)), ("agency", .string(p.agency)), ("kind", .string(p.kind)),
            ("currency", .string(p.currency.code)), ("placed_date", .string(p.placedOn.iso)), ("placed_amount", money(p.placedMinor)),
            ("commission_rate", .number(AgencyCommission.rateText(p.commissionBasisPoints).replacingOccurrences(of: " %", with: ""))),
            ("status", .string(p.status)), ("collected", money(p.collectedMinor)), ("commission", money(p.commissionMinor)),
            ("outstanding", money(p.outstandingMinor)), ("ended_date", p.endedOn.map { .string($0.iso) } ?? .null), ("recall_reason", .optional(p.recallReason)),
            ("items", .array(p.items.map { .object([("invoice_ref", .string($0.invoiceRef)), ("placed_amount", money($0.placedMinor))]) })),
        ])
    }

    func id(_ ctx: AppRequestContext, _ what: String) throws -> Int64 {
        let text = try ctx.parameters.require("id")
        guard let id = Int64(text) else { throw Problem.invalid("id", "\"\(text)\" is not a \(what) id") }
        return id
    }

    /// An optional JSON body (empty is `{}`).
    static func optionalBody(_ req: Request) async throws -> JSONInput? {
        var r = req
        let body = try await r.collectBody(upTo: JSONInput.maxBody)
        return body.readableBytes > 0 ? try JSONInput.parse(body) : nil
    }

    /// Body: `reason` (uncollectible, small_balance, bankruptcy, settlement, other), optional `amount` (default: all
    /// that is open) and `note`.
    @Sendable func requestWriteOff(_ req: Request, ctx: AppRequestContext) async throws -> Response {
        let co = try ctx.requireCompany()
        let ref = try ctx.parameters.require("ref")
        var j = try await JSONInput.parse(req)
        let reasonText = j.string("reason", required: true)
        let reason = reasonText.flatMap(WriteOffReason.init(rawValue:))
        if let reasonText, reason == nil { j.fail("reason", "\"\(reasonText)\" is not one of \(WriteOffReason.allCases.map(\.rawValue).joined(separator: ", "))") }
        let amount = j.decimalText("amount"), note = j.string("note")
        try j.check()
        let w = try await db.transaction { c in
            try await WriteOffStore.request(c, company: co.id, invoiceRef: ref, amountText: amount, reason: reason!, note: note, actor: ctx.actor, now: clock.nowMillis())
        }
        return .json(Self.render(w), status: .created)
    }

    @Sendable func listWriteOffs(_ req: Request, ctx: AppRequestContext) async throws -> Response {
        let co = try ctx.requireCompany()
        var q = QueryInput(req)
        let status = q.string("status")
        if let status, !["pending", "approved", "rejected"].contains(status) { q.errors.append(.init(field: "status", message: "\"\(status)\" is not pending, approved or rejected")) }
        try q.check()
        let all = try await db.read { c in try await WriteOffStore.list(c, company: co.id, status: status) }
        return .json(.object([("data", .array(all.map(Self.render)))]))
    }

    @Sendable func approveWriteOff(_ req: Request, ctx: AppRequestContext) async throws -> Response { try await decide(req, ctx, approve: true) }
    @Sendable func rejectWriteOff(_ req: Request, ctx: AppRequestContext) async throws -> Response { try await decide(req, ctx, approve: false) }

    /// Body (optional): `note`. 403 for the requester (four eyes) and for a collector's token (a manager decides).
    func decide(_ req: Request, _ ctx: AppRequestContext, approve: Bool) async throws -> Response {
        let co = try ctx.requireCompany()
        let id = try id(ctx, "write-off")
        if let k = ctx.collector { throw Problem(.forbidden, "Forbidden", detail: "this token acts for collector \(k); a manager approves or rejects write-offs") }
        var note: String?
        if var j = try await Self.optionalBody(req) {
            note = j.string("note")
            try j.check()
        }
        let n = note
        do {
            let w = try await db.transaction { c in
                try await WriteOffStore.decide(c, company: co.id, id: id, approve: approve, note: n, today: clock.today(in: co.timezone), actor: ctx.actor, now: clock.nowMillis())
            }
            return .json(Self.render(w))
        } catch let e as FourEyesViolation {
            throw Problem(.forbidden, "Forbidden", detail: e.message)
        }
    }

    /// Body: `agency`, `commission_rate` (percent, e.g. "25" or 12.5), optional `kind` (agency, legal), `currency`,
    /// `invoices` (refs; default: everything open in that currency) and `date` (default today).
    @Sendable func place(_ req: Request, ctx: AppRequestContext) async throws -> Response {
        let co = try ctx.requireCompany()
        let ref = try ctx.parameters.require("ref")
        var j = try await JSONInput.parse(req)
        let agency = j.string("agency", required: true)
        let rate = j.decimalText("commission_rate", required: true)
        let kindText = j.string("kind")
        let kind = kindText.map { PlacementKind(rawValue: $0) } ?? .agency
        if let kindText, kind == nil { j.fail("kind", "\"\(kindText)\" is not agency or legal") }
        let currency = j.currency("currency"), invoices = j.stringArray("invoices"), date = j.date("date")
        try j.check()
        let today = clock.today(in: co.timezone)
        let p = try await db.transaction { c in
            try await AgencyStore.place(
                c, company: co.id, customerRef: ref, agency: agency!, kind: kind!, rateText: rate!, currency: currency, invoiceRefs: invoices, on: date ?? today,
                today: today, actor: ctx.actor, now: clock.nowMillis())
        }
        return .json(Self.render(p), status: .created)
    }

    @Sendable func listPlacements(_ req: Request, ctx: AppRequestContext) async throws -> Response {
        let co = try ctx.requireCompany()
        var q = QueryInput(req)
        let status = q.string("status"), agency = q.string("agency")
        if let status, !["active", "recalled", "closed"].contains(status) { q.errors.append(.init(field: "status", message: "\"\(status)\" is not active, recalled or closed")) }
        try q.check()
        let all = try await db.read { c in try await AgencyStore.list(c, company: co.id, status: status, agency: agency) }
        return .json(.object([("data", .array(all.map(Self.render)))]))
    }

    @Sendable func getPlacement(_ req: Request, ctx: AppRequestContext) async throws -> Response {
        let co = try ctx.requireCompany()
        let id = try id(ctx, "placement")
        guard let p = try await db.read({ c in try await AgencyStore.get(c, company: co.id, id: id) }) else { throw Problem.notFound("placement \(id) does not exist") }
        return .json(Self.render(p))
    }

    /// The hand-over file (CSV) for the agency.
    @Sendable func export(_ req: Request, ctx: AppRequestContext) async throws -> Response {
        let co = try ctx.requireCompany()
        let id = try id(ctx, "placement")
        let csv = try await db.read { c in try await AgencyStore.exportCSV(c, company: co.id, id: id, today: clock.today(in: co.timezone)) }
        var r = Response.text(csv, contentType: "text/csv; charset=utf-8")
        r.headers[.contentDisposition] = "attachment; filename=\"placement-\(id).csv\""
        return r
    }

    /// Body: `amount`, optional `date` (default today) and `payment_ref`.
    @Sendable func collect(_ req: Request, ctx: AppRequestContext) async throws -> Response {
        let co = try ctx.requireCompany()
        let id = try id(ctx, "placement")
        var j = try await JSONInput.parse(req)
        let amount = j.decimalText("amount", required: true), date = j.date("date"), ref = j.string("payment_ref")
        try j.check()
        let today = clock.today(in: co.timezone)
        let (p, got) = try await db.transaction { c in
            try await AgencyStore.collect(c, company: co.id, id: id, amountText: amount!, on: date ?? today, today: today, paymentRef: ref, actor: ctx.actor, now: clock.nowMillis())
        }
        let money = { (m: Int64) in JSONValue.number(Money(minor: m, p.currency).decimalString) }
        return .json(.object([
            ("placement", Self.render(p)),
            ("collection", .object([("payment_ref", .string(got.paymentRef)), ("amount", money(got.amountMinor)), ("commission", money(got.commissionMinor)),
                                    ("remitted", money(got.remittedMinor))])),
        ]), status: .created)
    }

    /// Body (optional): `reason`, `date` (default today).
    @Sendable func recall(_ req: Request, ctx: AppRequestContext) async throws -> Response {
        let co = try ctx.requireCompany()
        let id = try id(ctx, "placement")
        var reason: String?, date: LocalDate?
        if var j = try await Self.optionalBody(req) {
            reason = j.string("reason")
            date = j.date("date")
            try j.check()
        }
        let today = clock.today(in: co.timezone)
        let (why, day) = (reason, date ?? today)
        if day > today { throw Problem.invalid("date", "\(day.iso) is in the future") }
        let p = try await db.transaction { c in try await AgencyStore.recall(c, company: co.id, id: id, reason: why, on: day, actor: ctx.actor, now: clock.nowMillis()) }
        return .json(Self.render(p))
    }
}
