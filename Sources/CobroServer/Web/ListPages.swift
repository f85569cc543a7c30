import CobroCore
import CobroDelivery
import CobroStore
import Foundation
import Hummingbird

/// The lists of the web app: invoices (filters, bulk actions), the disputes board, promises and plans, the outbox,
/// and tasks. Each is filtered above, paged with "load more", and exportable where the API has a CSV.
struct InvoicesPage: Sendable {
    struct Row: Sendable {
        var ref: String
        var customer: String
        var kind: String
        var issued: String
        var due: String
        var amount: String
        var open: String
        var pill: Pill
        var paused: Bool
    }
    var rows: [Row]
    var empty: Bool
    var count: Int
    var customer: String
    var statuses: [Option]
    var overdue: Bool
    var more: String?
    /// The sortable column headers, in table order after the checkbox column.
    var headers: [SortHeader]
    var sort: String
    var dir: String
}

/// A column header that sorts the list: a link to the list in this column's order (ascending first, then toggling),
/// with `aria-sort` on the current one.
struct SortHeader: Sendable {
    var label: String
    var href: String
    var ariaSort: String
    var arrow: String
    var numeric: Bool

    /// The headers of `columns` (sort key, label, numeric) for a list at `base` (a URL with its filters) sorted by
    /// `sort`: clicking the current column flips the direction, another column sorts ascending.
    static func row(_ columns: [(key: String, label: String, numeric: Bool)], base: String, sort: String, descending: Bool) -> [SortHeader] {
        columns.map { c in
            let current = c.key == sort
            return SortHeader(
                label: c.label, href: base + "&sort=\(c.key)&dir=\(current && !descending ? "desc" : "asc")",
                ariaSort: current ? (descending ? "descending" : "ascending") : "none", arrow: current ? (descending ? "▼" : "▲") : "", numeric: c.numeric)
        }
    }
}

struct BoardPage: Sendable {
    struct Card: Sendable {
        var id: Int64
        var ref: String
        var customer: String
        var amount: String
        var reason: String
        var owner: String
        var due: String
    }
    struct Column: Sendable {
        var title: String
        var cards: [Card]
        var count: Int
    }
    var columns: [Column]
}

struct PromisesPage: Sendable {
    struct Row: Sendable {
        var customer: String
        var amount: String
        var date: String
        var status: String
        var by: String
    }
    var promises: [Row]
    var plans: [Row]
    var noPromises: Bool
    var noPlans: Bool
}

struct MessagesPage: Sendable {
    struct Row: Sendable {
        var id: Int64
        var customer: String
        var channel: String
        var status: String
        var recipient: String
        var subject: String
        var day: String
        var error: String
    }
    var rows: [Row]
    var empty: Bool
    var statuses: [Option]
    var status: String
    var more: String?
}

struct TasksPage: Sendable {
    struct Row: Sendable {
        var id: Int64
        var kind: String
        var customer: String
        var name: String
        var due: String
        var title: String
        var mayWork: Bool
    }
    var rows: [Row]
    var empty: Bool
}

extension WebApp {
    static let pageSize = 100

    @Sendable func invoices(_ req: Request, ctx: AppRequestContext) async throws -> Response {
        let w = try WebRequest(req, ctx)
        let q = req.uri.queryParameters
        let co = w.company, f = w.format
        let today = clock.today(in: co.timezone)
        var filter = DocumentFilter()
        let customer = q["customer"].map(String.init)?.trimmingCharacters(in: .whitespaces) ?? ""
        if !customer.isEmpty { filter.customerRef = customer }
        let status = q["status"].map(String.init).flatMap { ["open", "paid", "all"].contains($0) ? $0 : nil } ?? "open"
        filter.status = DocumentFilter.Status(rawValue: status)
        let overdue = q["overdue"] == "1"
        if overdue { filter.overdueOn = today }
        let after = q["after"].flatMap { Int64($0) } ?? 0
        let sort = q["sort"].flatMap { DocumentFilter.Sort(rawValue: String($0)) } ?? .id
        let descending = q["dir"] == "desc"
        filter.sort = sort
        filter.descending = descending
        let chosen = filter
        let (docs, paused) = try await db.read { c -> ([DocumentView], Set<Int64>) in
            let docs = try await LedgerQueries(c, company: co.id).documents(chosen, after: after, limit: Self.pageSize + 1)
            let ids = docs.map(\.id)
            guard !ids.isEmpty else { return (docs, []) }
            let paused = try await c.query(
                "SELECT id FROM invoice WHERE company_id = $1 AND reminders_paused = 1 AND id IN (\(ids.map(String.init).joined(separator: ", ")))", [.int(co.id)])
            return (docs, Set(paused.map { $0.int(0) }))
        }
        let page = Array(docs.prefix(Self.pageSize))
        let rows = page.map { v in
            let d = v.document
            return InvoicesPage.Row(
                ref: d.ref, customer: d.customerRef, kind: w.t(d.kind.rawValue), issued: f.date(d.issueDate), due: f.date(d.dueDate),
                amount: f.money(d.amountMinor, d.currency), open: f.money(v.openMinor, d.currency),
                pill: v.openMinor > 0 ? f.pill(daysPastDue: today.days(since: d.dueDate)) : Pill(cls: "current", text: w.t("paid")), paused: paused.contains(v.id))
        }
        let base = "/app/invoices?customer=\(customer.addingPercentEncoding(withAllowedCharacters: .unreservedURL) ?? "")&status=\(status)\(overdue ? "&overdue=1" : "")"
        var more: String?
        if docs.count > Self.pageSize, let last = page.last {
            more = base + "&sort=\(sort.rawValue)&dir=\(descending ? "desc" : "asc")&after=\(last.id)"
        }
        let headers = SortHeader.row(
            [("ref", w.t("invoice"), false), ("customer", w.t("customer"), false), ("issued", w.t("issue_date"), false), ("due", w.t("due_date"), false),
             ("amount", w.t("amount"), true), ("open", w.t("open_amount"), true)],
            base: base, sort: sort.rawValue, descending: descending)
        let model = InvoicesPage(
            rows: rows, empty: rows.isEmpty, count: rows.count, customer: customer,
            statuses: ["open", "paid", "all"].map { Option(value: $0, label: w.t("status_\($0)"), selected: $0 == status) }, overdue: overdue, more: more,
            headers: headers, sort: sort.rawValue, dir: descending ? "desc" : "asc")
        return WebRenderer.shared.html("invoices", w.model("nav_invoices", current: "/app/invoices", model))
    }

    /// Bulk actions on the selected invoices: `send_statement` (emails each customer's statement PDF to its primary
    /// contact, logged on the timeline), `pause_reminders`, `resume_reminders`. Customers the user may not work are
    /// skipped and counted.
    @Sendable func invoicesBulk(_ req: Request, ctx: AppRequestContext) async throws -> Response {
        let w = try WebRequest(req, ctx)
        let form = ctx.form ?? WebForm(body: "")
        let refs = form.all("invoices")
        let action = form.string("action") ?? ""
        let co = w.company
        guard !refs.isEmpty else { return WebResponse.redirect("/app/invoices", notice: w.t("select_invoices")) }
        // Which of the chosen invoices the user may act on, by their customer's collector.
        let owners = try await db.read { c in
            try await c.query(
                """
                SELECT i.ref, cu.customer_ref, cu.collector FROM invoice i JOIN customer cu ON cu.company_id = i.company_id AND cu.id = i.customer_id
                WHERE i.company_id = $1 AND i.ref IN (\(refs.indices.map { "$\($0 + 2)" }.joined(separator: ", ")))
                """, [.int(co.id)] + refs.map { .text($0) }
            ).map { (ref: $0.text(0), customer: $0.text(1), collector: $0.textOrNil(2)) }
        }
        let allowed = owners.filter { w.user.role.mayWork(customerCollector: $0.collector, ownHandle: w.user.collector) }
        let skipped = refs.count - allowed.count
        let now = clock.nowMillis(), actor = "user:\(w.user.email)"
        let done: Int
        switch action {
        case "pause_reminders", "resume_reminders":
            let paused = action == "pause_reminders"
            done = try await db.transaction { c in
                try await DunningStore.setRemindersPaused(c, company: co.id, invoiceRefs: allowed.map(\.ref), paused: paused, actor: actor, now: now).count
            }
        case "send_statement":
            var sent = 0
            for customer in Set(allowed.map(\.customer)).sorted() where try await sendStatement(w, customerRef: customer) { sent += 1 }
            done = sent
        default:
            return WebResponse.redirect("/app/invoices", notice: w.t("choose_action"))
        }
        var notice = "\(w.t("bulk_done")): \(done)"
        if skipped > 0 { notice += " · \(w.t("bulk_skipped")): \(skipped)" }
        return WebResponse.redirect("/app/invoices", notice: notice)
    }

    /// Emails the statement PDF to the customer's primary contact (or the customer's own address) and logs it as
    /// an outgoing email on the timeline. False when there is no address.
    func sendStatement(_ w: WebRequest, customerRef: String) async throws -> Bool {
        let co = w.company
        let today = clock.today(in: co.timezone)
        guard let email = try await db.read({ c in try await LedgerQueries(c, company: co.id).billingEmail(customerRef: customerRef) }), let pdf = try await StatementFile.pdf(db, company: co, customerRef: customerRef, language: w.lang, today: today) else { return false }
        let es = w.lang == "es"
        let subject = es ? "Estado de cuenta de \(co.name)" : "Account statement from \(co.name)"
        let text = es ? "Adjuntamos su estado de cuenta al \(w.format.date(today)).\n\n\(co.name)\n" : "Please find attached your account statement as of \(w.format.date(today)).\n\n\(co.name)\n"
        try await deps.mailer.send(email, subject, text, attachments: [try EmailAttachment(filename: StatementFile.fileName(ref: customerRef, today: today), contentType: "application/pdf", data: pdf)])
        let now = clock.nowMillis()
        _ = try await db.transaction { c in
            try await InteractionStore.record(
                c, company: co.id, customerRef: customerRef, kind: .emailOut, outcome: nil, atMillis: now, summary: "Statement sent to \(email)", contactName: nil,
                invoiceRefs: [], actor: "user:\(w.user.email)", now: now)
        }
        return true
    }

    @Sendable func disputesBoard(_ req: Request, ctx: AppRequestContext) async throws -> Response {
        let w = try WebRequest(req, ctx)
        let co = w.company.id, f = w.format
        let columns: [(DisputeStatus, String)] = [(.open, "status_open"), (.inReview, "status_in_review"), (.resolved, "status_resolved"), (.rejected, "status_rejected")]
        let board = try await db.read { c in
            var out: [BoardPage.Column] = []
            for (status, key) in columns {
                let list = try await DisputeStore.list(c, company: co, status: status, owner: nil, customerRef: nil, after: 0, limit: 200)
                out.append(BoardPage.Column(
                    title: w.t(key), cards: list.map { d in
                        BoardPage.Card(
                            id: d.id, ref: d.invoiceRef, customer: d.customerRef, amount: f.money(d.amountMinor, d.currency), reason: w.t("reason_\(d.reason)"),
                            owner: d.owner ?? w.t("unassigned"), due: d.dueDate.map(f.date) ?? "")
                    }, count: list.count))
            }
            return out
        }
        return WebRenderer.shared.html("disputes", w.model("nav_disputes", current: "/app/disputes", BoardPage(columns: board)))
    }

    @Sendable func promisesPage(_ req: Request, ctx: AppRequestContext) async throws -> Response {
        let w = try WebRequest(req, ctx)
        let co = w.company, f = w.format
        let today = clock.today(in: co.timezone)
        let (promises, plans) = try await db.read { c in
            (try await PromiseStore.list(c, company: co.id, status: nil, customerRef: nil, after: 0, limit: 200),
             try await PlanStore.list(c, company: co.id, status: nil, customerRef: nil, after: 0, limit: 200, asOf: today))
        }
        let p = promises.reversed().map { r in
            PromisesPage.Row(customer: r.customerRef, amount: f.money(r.promise.amount), date: f.date(r.promise.promiseDate), status: w.t("promise_\(r.status.rawValue)"), by: r.createdBy)
        }
        let pl = plans.reversed().map { r in
            PromisesPage.Row(
                customer: r.customerRef, amount: f.money(r.plan.total), date: r.plan.installments.first.map { f.date($0.dueDate) } ?? "", status: r.status, by: r.createdBy)
        }
        return WebRenderer.shared.html(
            "promises", w.model("nav_promises", current: "/app/promises", PromisesPage(promises: p, plans: pl, noPromises: p.isEmpty, noPlans: pl.isEmpty)))
    }

    @Sendable func messagesPage(_ req: Request, ctx: AppRequestContext) async throws -> Response {
        let w = try WebRequest(req, ctx)
        let co = w.company
        let status = req.uri.queryParameters["status"].map(String.init).flatMap { MessageQueries.statuses.contains($0) ? $0 : nil }
        let after = req.uri.queryParameters["after"].flatMap { Int64($0) } ?? 0
        let list = try await db.read { c in
            try await MessageQueries.list(c, company: co.id, status: status, channel: nil, customerRef: nil, after: after, limit: Self.pageSize + 1)
        }
        let page = Array(list.prefix(Self.pageSize))
        let rows = page.map { m in
            MessagesPage.Row(
                id: m.id, customer: m.customerRef, channel: m.channel, status: m.status, recipient: m.recipient, subject: m.subject, day: w.format.date(m.runDay),
                error: m.lastError ?? "")
        }
        let more = list.count > Self.pageSize ? page.last.map { "/app/messages?status=\(status ?? "")&after=\($0.id)" } : nil
        let model = MessagesPage(
            rows: rows, empty: rows.isEmpty, statuses: MessageQueries.statuses.map { Option(value: $0, label: $0, selected: $0 == status) }, status: status ?? "", more: more)
        return WebRenderer.shared.html("messages", w.model("nav_messages", current: "/app/messages", model))
    }

    @Sendable func tasksPage(_ req: Request, ctx: AppRequestContext) async throws -> Response {
        let w = try WebRequest(req, ctx)
        let co = w.company, f = w.format
        let rows = try await db.read { c -> [TasksPage.Row] in
            let tasks = try await TaskStore.list(c, company: co.id, status: .open, kind: nil, customerRef: nil, after: 0, limit: 500)
            var collectors: [String: String?] = [:]
            for r in try await c.query("SELECT customer_ref, collector FROM customer WHERE company_id = $1 AND id IN (SELECT customer_id FROM task WHERE company_id = $1 AND status = 'open')", [.int(co.id)]) {
                collectors[r.text(0)] = r.textOrNil(1)
            }
            return tasks.filter { w.user.role != .collector || collectors[$0.customerRef] ?? nil == w.user.collector }.map { t in
                TasksPage.Row(
                    id: t.id, kind: t.kind.rawValue, customer: t.customerRef, name: t.customerName, due: f.date(t.dueDay), title: t.title,
                    mayWork: w.user.role.mayWork(customerCollector: collectors[t.customerRef] ?? nil, ownHandle: w.user.collector))
            }
        }
        return WebRenderer.shared.html("tasks", w.model("nav_tasks", current: "/app/tasks", TasksPage(rows: rows, empty: rows.isEmpty)))
    }

    @Sendable func closeTask(_ req: Request, ctx: AppRequestContext) async throws -> Response {
        let w = try WebRequest(req, ctx)
        guard let id = Int64(try ctx.parameters.require("id")) else { throw Problem.notFound("no such task") }
        let co = w.company.id
        guard let task = try await db.read({ c in try await TaskStore.get(c, company: co, id: id) }) else { throw Problem.notFound("task \(id) does not exist") }
        try await requireWork(w, customerRef: task.customerRef)
        let outcome = ctx.form?.string("outcome") ?? "done"
        do {
            _ = try await db.transaction { c in
                try await TaskStore.close(c, company: co, id: id, status: .done, outcome: outcome, actor: "user:\(w.user.email)", now: clock.nowMillis())
            }
        } catch let e as StoreError {
            return WebResponse.redirect("/app/tasks", notice: e.description)
        }
        return WebResponse.redirect("/app/tasks", notice: w.t("task_done"))
    }
}
