import CobroCore
import CobroStore
import Foundation
import Hummingbird

/// `/api/v1` routes for interactions and the customer timeline.
struct InteractionsController {
    let db: any Database
    let clock: Clock

    func addRoutes(to api: RouterGroup<AppRequestContext>) {
        api.post("customers/:ref/interactions", use: create)
        api.get("customers/:ref/timeline", use: timeline)
    }

    /// Body: `kind` (call, email_in, email_out, note, visit), `outcome` (calls only), `summary`, optional `at` (ISO 8601
    /// instant, default now), `contact_name`, `invoices` (refs).
    @Sendable func create(_ req: Request, ctx: AppRequestContext) async throws -> Response {
        let co = try ctx.requireCompany()
        let ref = try ctx.parameters.require("ref")
        var j = try await JSONInput.parse(req)
        let kindText = j.string("kind", required: true)
        let kind = kindText.flatMap(InteractionKind.init(rawValue:))
        if let kindText, kind == nil { j.fail("kind", "\"\(kindText)\" is not one of \(InteractionKind.allCases.map(\.rawValue).joined(separator: ", "))") }
        let outcomeText = j.string("outcome")
        let outcome = outcomeText.flatMap(CallOutcome.init(rawValue:))
        if let outcomeText, outcome == nil {
            j.fail("outcome", "\"\(outcomeText)\" is not one of \(CallOutcome.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        var at = clock.nowMillis()
        if let text = j.string("at") {
            if let date = ISO8601DateFormatter().date(from: text) { at = Int64(date.timeIntervalSince1970 * 1000) } else {
                j.fail("at", "\"\(text)\" is not an ISO 8601 instant, e.g. 2026-11-23T09:30:00Z")
            }
        }
        let summary = j.string("summary"), contact = j.string("contact_name")
        let invoices = j.stringArray("invoices") ?? []
        try j.check()
        let when = at
        let id = try await db.transaction { c in
            try await InteractionStore.record(
                c, company: co.id, customerRef: ref, kind: kind!, outcome: outcomeText == nil ? nil : outcome, atMillis: when, summary: summary,
                contactName: contact, invoiceRefs: invoices, actor: ctx.actor, now: clock.nowMillis())
        }
        return .json(.object([("id", .int(id)), ("customer_ref", .string(ref)), ("kind", .string(kind!.rawValue)), ("outcome", .optional(outcome?.rawValue)),
                              ("at", .string(DunningRendering.instant(when))), ("summary", .optional(summary)),
                              ("invoices", .array(invoices.map { .string($0) }))]), status: .created)
    }

    static let eventTypes: Set<String> = ["interaction", "message", "payment", "invoice", "credit_note", "debit_note", "promise", "plan", "dispute", "change"]

    /// `limit` (1–500, default 100) and `type` (comma-separated event types; `type=interaction` lists the interactions).
    @Sendable func timeline(_ req: Request, ctx: AppRequestContext) async throws -> Response {
        let co = try ctx.requireCompany()
        let ref = try ctx.parameters.require("ref")
        var q = QueryInput(req)
        let limit = q.int("limit", range: 1...500) ?? 100
        var types: Set<String>?
        if let text = q.string("type") {
            let asked = Set(text.split(separator: ",").map(String.init))
            if let bad = asked.subtracting(Self.eventTypes).sorted().first {
                q.errors.append(.init(field: "type", message: "\"\(bad)\" is not an event type; use one or more of \(Self.eventTypes.sorted().joined(separator: ", "))"))
            }
            types = asked
        }
        try q.check()
        let only = types
        guard let events = try await db.read({ c in try await InteractionStore.timeline(c, company: co.id, customerRef: ref, limit: limit, types: only) }) else {
            throw Problem.notFound("customer \(ref) does not exist")
        }
        return .json(.object([("data", .array(events.map { e in
            .object([("at", .string(DunningRendering.instant(e.at))), ("type", .string(e.type)), ("ref", .optional(e.ref)), ("summary", .string(e.summary)),
                      ("by", .optional(e.by)), ("invoices", .array(e.invoices.map { .string($0) }))])
        })), ("next_cursor", .null)]))
    }
}
