import CobroCore
import CobroStore
import Foundation
import Hummingbird

/// `/api/v1` routes for disputes.
struct DisputesController {
    let db: any Database
    let clock: Clock

    func addRoutes(to api: RouterGroup<AppRequestContext>) {
        api.post("disputes", use: open)
        api.get("disputes", use: list)
        api.get("disputes/:id", use: get)
        api.post("disputes/:id/status", use: status)
        api.post("disputes/:id/resolve", use: resolve)
        api.post("disputes/:id/comments", use: comment)
    }

    static func render(_ d: DisputeRecord) -> JSONValue {
        .object([
            ("id", .int(d.id)), ("case_id", .int(d.caseID)), ("invoice_ref", .string(d.invoiceRef)), ("customer_ref", .string(d.customerRef)),
            ("currency", .string(d.currency.code)), ("amount", .number(Money(minor: d.amountMinor, d.currency).decimalString)), ("reason", .string(d.reason)),
            ("status", .string(d.status)), ("owner", .optional(d.owner)), ("due_date", d.dueDate.map { .string($0.iso) } ?? .null),
            ("credit_note_ref", .optional(d.creditNoteRef)), ("resolution_note", .optional(d.resolutionNote)), ("opened_by", .string(d.openedBy)),
            ("opened_at", .string(DunningRendering.instant(d.openedAt))), ("closed_at", d.closedAt.map { .string(DunningRendering.instant($0)) } ?? .null),
            ("closed_by", .optional(d.closedBy)),
            ("comments", .array(d.comments.map { .object([("at", .string(DunningRendering.instant($0.at))), ("by", .string($0.by)), ("body", .string($0.body))]) })),
        ])
    }

    func id(_ ctx: AppRequestContext) throws -> Int64 {
        let text = try ctx.parameters.require("id")
        guard let id = Int64(text) else { throw Problem.invalid("id", "\"\(text)\" is not a dispute id") }
        return id
    }

    /// Body: `invoices` ([{`ref`, `amount`?}] or refs), `reason` (pricing, quantity, quality, not_received,
    /// duplicate_billing, other), optional `owner`, `due_date`, `comment`.
    @Sendable func open(_ req: Request, ctx: AppRequestContext) async throws -> Response {
        let co = try ctx.requireCompany()
        var j = try await JSONInput.parse(req)
        var items: [(ref: String, amount: String?)] = []
        if case .array(let list)? = j.value("invoices") {
            for (i, v) in list.enumerated() {
                switch v {
                case .string(let ref): items.append((ref, nil))
                case .object(let o):
                    guard case .string(let ref)? = o["ref"] else {
                        j.fail("invoices[\(i)].ref", "ref is required")
                        continue
                    }
                    switch o["amount"] {
                    case .string(let s)?: items.append((ref, s))
                    case .number(let n)?: items.append((ref, "\(n)"))
                    case nil, .null?: items.append((ref, nil))
                    default: j.fail("invoices[\(i)].amount", "expected a decimal amount, e.g. \"250.00\"")
                    }
                default: j.fail("invoices[\(i)]", "expected an invoice ref or {\"ref\", \"amount\"}")
                }
            }
        } else {
            j.fail("invoices", "invoices is required: refs, or {\"ref\", \"amount\"} for part of an invoice")
        }
        let reasonText = j.string("reason", required: true)
        let reason = reasonText.flatMap(DisputeReason.init(rawValue:))
        if let reasonText, reason == nil {
            j.fail("reason", "\"\(reasonText)\" is not one of \(DisputeReason.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        let owner = j.string("owner"), due = j.date("due_date"), comment = j.string("comment")
        try j.check()
        let today = clock.today(in: co.timezone)
        let list = items
        let opened = try await db.transaction { c in
            try await DisputeStore.open(
                c, company: co.id, invoices: list, reason: reason!, owner: owner, dueDate: due, comment: comment, today: today, actor: ctx.actor,
                now: clock.nowMillis())
        }
        return .json(.object([("data", .array(opened.map(Self.render)))]), status: .created)
    }

    @Sendable func list(_ req: Request, ctx: AppRequestContext) async throws -> Response {
        let co = try ctx.requireCompany()
        var q = QueryInput(req)
        let page = q.page()
        let status = q.oneOf("status", DisputeStatus.allCases)
        let owner = q.string("owner"), customer = q.string("customer")
        try q.check()
        let today = clock.today(in: co.timezone)
        _ = try await db.transaction { c in try await DisputeStore.escalateOverdue(c, company: co.id, today: today, now: clock.nowMillis()) }
        let rows = try await db.read { c in
            try await DisputeStore.list(c, company: co.id, status: status, owner: owner, customerRef: customer, after: page.after, limit: page.limit)
        }
        return .json(Cursor.page(rows, limit: page.limit, id: \.id, render: Self.render))
    }

    @Sendable func get(_ req: Request, ctx: AppRequestContext) async throws -> Response {
        let co = try ctx.requireCompany()
        let id = try id(ctx)
        guard let d = try await db.read({ c in try await DisputeStore.get(c, company: co.id, id: id) }) else {
            throw Problem.notFound("dispute \(id) does not exist")
        }
        return .json(Self.render(d))
    }

    /// Body: `status` (in_review, rejected, withdrawn), optional `note`.
    @Sendable func status(_ req: Request, ctx: AppRequestContext) async throws -> Response {
        let co = try ctx.requireCompany()
        let id = try id(ctx)
        var j = try await JSONInput.parse(req)
        let text = j.string("status", required: true)
        let next = text.flatMap(DisputeStatus.init(rawValue:))
        if let text, next == nil { j.fail("status", "\"\(text)\" is not in_review, rejected or withdrawn") }
        let note = j.string("note")
        try j.check()
        let d = try await db.transaction { c in
            try await DisputeStore.setStatus(c, company: co.id, id: id, to: next!, note: note, actor: ctx.actor, now: clock.nowMillis())
        }
        return .json(Self.render(d))
    }

    /// Body (all optional): `amount` (default the disputed amount), `credit_note_ref`, `note`.
    @Sendable func resolve(_ req: Request, ctx: AppRequestContext) async throws -> Response {
        let co = try ctx.requireCompany()
        let id = try id(ctx)
        var r = req
        let body = try await r.collectBody(upTo: JSONInput.maxBody)
        var amount: String?, ref: String?, note: String?
        if body.readableBytes > 0 {
            var j = try JSONInput.parse(body)
            amount = j.decimalText("amount")
            ref = j.string("credit_note_ref")
            note = j.string("note")
            try j.check()
        }
        let today = clock.today(in: co.timezone)
        let (a, cn, n) = (amount, ref, note)
        let d = try await db.transaction { c in
            try await DisputeStore.resolve(
                c, company: co.id, id: id, amountText: a, creditNoteRef: cn, note: n, today: today, actor: ctx.actor, now: clock.nowMillis())
        }
        return .json(Self.render(d))
    }

    /// Body: `body` (the comment).
    @Sendable func comment(_ req: Request, ctx: AppRequestContext) async throws -> Response {
        let co = try ctx.requireCompany()
        let id = try id(ctx)
        var j = try await JSONInput.parse(req)
        let body = j.string("body", required: true)
        try j.check()
        let d = try await db.transaction { c -> DisputeRecord in
            guard try await DisputeStore.get(c, company: co.id, id: id) != nil else { throw Problem.notFound("dispute \(id) does not exist") }
            try await DisputeStore.addComment(c, company: co.id, id: id, body: body!, actor: ctx.actor, now: clock.nowMillis())
            return try await DisputeStore.get(c, company: co.id, id: id)!
        }
        return .json(Self.render(d), status: .created)
    }
}
