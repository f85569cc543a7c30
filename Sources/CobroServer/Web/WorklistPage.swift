import CobroCore
import CobroStore
import Foundation
import Hummingbird

/// A labelled choice of a `<select>`.
struct Option: Sendable {
    var value: String
    var label: String
    var selected = false
}

/// The collector's home: their customers past due, best first, with the score explained and the quick actions
/// (call, promise, note, dispute, snooze) on the same page.
struct WorklistPage: Sendable {
    struct Factor: Sendable {
        var detail: String
        var points: String
    }
    struct Entry: Sendable {
        var position: Int
        var ref: String
        var name: String
        var collector: String
        var overdue: String
        var score: String
        var factors: [Factor]
        var action: String
        var tasks: [String]
        var mayWork: Bool
        var invoices: [Option]
        var defaultPromiseDate: String
    }
    var entries: [Entry]
    var empty: Bool
    var outcomes: [Option]
    var reasons: [Option]
    var today: String
    var tomorrow: String
}

extension WebApp {
    @Sendable func worklist(_ req: Request, ctx: AppRequestContext) async throws -> Response {
        let w = try WebRequest(req, ctx)
        let co = w.company, f = w.format
        let today = clock.today(in: co.timezone)
        let scope: WorklistScope = w.user.role == .collector ? .collector(w.user.collector ?? "") : .all
        let (entries, openInvoices) = try await db.read { c -> ([WorklistEntry], [String: [String]]) in
            let list = try await WorklistStore.worklist(c, company: co.id, base: co.baseCurrency, scope: scope, today: today, limit: 25)
            var invoices: [String: [String]] = [:]
            if !list.isEmpty {
                let refs = list.map(\.customerRef)
                let marks = refs.indices.map { "$\($0 + 2)" }.joined(separator: ", ")
                for r in try await c.query(
                    """
                    SELECT cu.customer_ref, i.ref FROM invoice i JOIN customer cu ON cu.company_id = i.company_id AND cu.id = i.customer_id
                    WHERE i.company_id = $1 AND cu.customer_ref IN (\(marks)) AND i.open_amount > 0 AND i.kind <> 'credit_note' ORDER BY i.due_day, i.ref
                    """, [.int(co.id)] + refs.map { .text($0) })
                {
                    invoices[r.text(0), default: []].append(r.text(1))
                }
            }
            return (list, invoices)
        }
        let page = WorklistPage(
            entries: entries.enumerated().map { i, e in
                WorklistPage.Entry(
                    position: i + 1, ref: e.customerRef, name: e.name, collector: e.collector ?? w.t("unassigned"),
                    overdue: e.overdue.map { f.money($0) }.joined(separator: " · "), score: f.number(Double(e.score) / 100),
                    factors: e.factors.map { .init(detail: $0.detail, points: f.number(Double($0.points) / 100)) }, action: e.action.reason,
                    tasks: e.facts.dueTasks.map(\.title),
                    mayWork: w.user.role.mayWork(customerCollector: e.collector, ownHandle: w.user.collector),
                    invoices: (openInvoices[e.customerRef] ?? []).map { Option(value: $0, label: $0) }, defaultPromiseDate: today.adding(days: 7).iso)
            },
            empty: entries.isEmpty,
            outcomes: CallOutcome.allCases.map { Option(value: $0.rawValue, label: w.t("outcome_\($0.rawValue)")) },
            reasons: DisputeReason.allCases.map { Option(value: $0.rawValue, label: w.t("reason_\($0.rawValue)")) },
            today: today.iso, tomorrow: today.adding(days: 1).iso)
        return WebRenderer.shared.html("worklist", w.model("worklist_title", current: "/app/worklist", page))
    }

    /// Where a quick action returns: the page it came from (worklist or customer page), never another site.
    func back(_ ctx: AppRequestContext, ref: String) -> String {
        let b = ctx.form?.string("back") ?? ""
        return b == "/app/worklist" ? b : "/app/customers/" + (ref.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed) ?? ref)
    }

    /// Runs a quick action on a customer the user may work; store errors go back to the page as a notice.
    func quickAction(
        _ req: Request, _ ctx: AppRequestContext, done: String, _ body: @escaping @Sendable (any Connection, WebRequest, String, WebForm) async throws -> String?
    ) async throws -> Response {
        let w = try WebRequest(req, ctx)
        let ref = try ctx.parameters.require("ref")
        try await requireWork(w, customerRef: ref)
        let submitted = ctx.form ?? WebForm(body: "")
        var form = submitted
        do {
            let detail = try await db.transaction { c in try await body(c, w, ref, submitted) }
            return WebResponse.redirect(back(ctx, ref: ref), notice: w.t(done) + (detail.map { ": " + $0 } ?? ""))
        } catch {
            guard form.absorb(error) else { throw error }
            let text = form.errors.sorted { $0.key < $1.key }.map { "\($0.key): \($0.value)" }.joined(separator: "; ")
            return WebResponse.redirect(back(ctx, ref: ref), notice: text)
        }
    }

    @Sendable func logCall(_ req: Request, ctx: AppRequestContext) async throws -> Response {
        try await quickAction(req, ctx, done: "call_logged") { c, w, ref, form in
            let outcome = form.string("outcome").flatMap(CallOutcome.init(rawValue:))
            guard outcome != nil else { throw StoreError.invalid(field: "outcome", "choose one of \(CallOutcome.allCases.map(\.rawValue).joined(separator: ", "))") }
            let now = clock.nowMillis()
            _ = try await InteractionStore.record(
                c, company: w.company.id, customerRef: ref, kind: .call, outcome: outcome, atMillis: now, summary: form.string("summary"), contactName: nil,
                invoiceRefs: [], actor: "user:\(w.user.email)", now: now)
            return w.t("outcome_\(outcome!.rawValue)")
        }
    }

    @Sendable func addNote(_ req: Request, ctx: AppRequestContext) async throws -> Response {
        try await quickAction(req, ctx, done: "note_added") { c, w, ref, form in
            guard let text = form.string("summary") else { throw StoreError.invalid(field: "summary", "write the note") }
            let now = clock.nowMillis()
            _ = try await InteractionStore.record(
                c, company: w.company.id, customerRef: ref, kind: .note, outcome: nil, atMillis: now, summary: text, contactName: nil, invoiceRefs: [],
                actor: "user:\(w.user.email)", now: now)
            return nil
        }
    }

    @Sendable func recordPromise(_ req: Request, ctx: AppRequestContext) async throws -> Response {
        try await quickAction(req, ctx, done: "promise_recorded") { c, w, ref, form in
            guard let amount = form.string("amount") else { throw StoreError.invalid(field: "amount", "give the promised amount, e.g. 5000.00") }
            guard let day = form.string("promise_date").flatMap(LocalDate.init(iso:)) else {
                throw StoreError.invalid(field: "promise_date", "give the promised date as YYYY-MM-DD")
            }
            let today = clock.today(in: w.company.timezone)
            let p = try await PromiseStore.create(
                c, company: w.company.id, customerRef: ref, amountText: amount, currency: nil, promiseDate: day, toleranceDays: 3, invoiceRefs: form.all("invoices"),
                channel: "call", note: form.string("note"), today: today, actor: "user:\(w.user.email)", now: clock.nowMillis())
            return w.format.money(p.promise.amount) + " " + w.t("on") + " " + w.format.date(day)
        }
    }

    @Sendable func openDispute(_ req: Request, ctx: AppRequestContext) async throws -> Response {
        try await quickAction(req, ctx, done: "dispute_opened") { c, w, ref, form in
            guard let invoice = form.string("invoice") else { throw StoreError.invalid(field: "invoice", "choose the disputed invoice") }
            guard let reason = form.string("reason").flatMap(DisputeReason.init(rawValue:)) else {
                throw StoreError.invalid(field: "reason", "choose one of \(DisputeReason.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            try await Self.requireInvoice(c, company: w.company.id, customerRef: ref, invoice: invoice)
            let today = clock.today(in: w.company.timezone)
            _ = try await DisputeStore.open(
                c, company: w.company.id, invoices: [(ref: invoice, amount: nil)], reason: reason, owner: w.user.collector, dueDate: nil, comment: form.string("comment"),
                today: today, actor: "user:\(w.user.email)", now: clock.nowMillis())
            return invoice
        }
    }

    @Sendable func snooze(_ req: Request, ctx: AppRequestContext) async throws -> Response {
        try await quickAction(req, ctx, done: "snoozed") { c, w, ref, form in
            guard let day = form.string("until").flatMap(LocalDate.init(iso:)) else { throw StoreError.invalid(field: "until", "give the day as YYYY-MM-DD") }
            let today = clock.today(in: w.company.timezone)
            try await WorklistStore.snooze(c, company: w.company.id, customerRef: ref, until: day, today: today, actor: "user:\(w.user.email)", now: clock.nowMillis())
            return w.format.date(day)
        }
    }

    @Sendable func requestLimit(_ req: Request, ctx: AppRequestContext) async throws -> Response {
        try await quickAction(req, ctx, done: "requested") { c, w, ref, form in
            guard let amount = form.string("limit") else { throw StoreError.invalid(field: "limit", "give the new limit, e.g. 50000.00") }
            _ = try await CreditStore.requestLimit(
                c, company: w.company.id, customerRef: ref, amountText: amount, reason: form.string("reason") ?? "—", actor: "user:\(w.user.email)", now: clock.nowMillis())
            return nil
        }
    }

    /// A disputed invoice must be the customer's own: the form names a customer and an invoice, and a forged pair
    /// must not reach another customer's invoice.
    static func requireInvoice(_ c: any Connection, company: Int64, customerRef: String, invoice: String) async throws {
        guard try await c.first(
            "SELECT 1 FROM invoice i JOIN customer cu ON cu.company_id = i.company_id AND cu.id = i.customer_id WHERE i.company_id = $1 AND cu.customer_ref = $2 AND i.ref = $3",
            [.int(company), .text(customerRef), .text(invoice)]) != nil
        else { throw StoreError.invalid(field: "invoice", "\(invoice) is not an invoice of \(customerRef)") }
    }
}
