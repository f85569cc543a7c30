import CobroCore
import CobroDelivery
import CobroStore
import Foundation
import Hummingbird
import NIOCore

/// One customer: the header card (balance, overdue, risk, credit, collector), open items, the statement of the
/// last 90 days with its PDF, the timeline, contacts, and the quick actions when the user may work the customer.
struct CustomerPage: Sendable {
    struct Item: Sendable {
        var ref: String
        var kind: String
        var issued: String
        var due: String
        var amount: String
        var open: String
        var pill: Pill
    }
    struct Movement: Sendable {
        var date: String
        var kind: String
        var ref: String
        var debit: String
        var credit: String
        var balance: String
    }
    struct Event: Sendable {
        var at: String
        var type: String
        var summary: String
        var by: String
    }
    struct Contact: Sendable {
        var name: String
        var role: String
        var email: String
        var phone: String
    }
    var ref: String
    var name: String
    var balance: String
    var overdue: String
    var risk: String
    /// The risk's reasons in the page's language, strongest first.
    var riskReasons: [String]
    var hasRiskReasons: Bool
    var creditLimit: String
    var onHold: Bool
    var collector: String
    var items: [Item]
    var noItems: Bool
    var movements: [Movement]
    var opening: String
    var closing: String
    var period: String
    var events: [Event]
    var contacts: [Contact]
    var mayWork: Bool
    var readOnly: Bool
    var invoices: [Option]
    var outcomes: [Option]
    var reasons: [Option]
    var defaultPromiseDate: String
    var tomorrow: String
    var portalLink: String?
    /// The dunning policy that applies and why (override, strategic, high risk, segment, default).
    var policy: String
}

/// Customers: a searchable list.
struct CustomersPage: Sendable {
    struct Row: Sendable {
        var ref: String
        var name: String
        var collector: String
        var segment: String
    }
    var q: String
    var rows: [Row]
    var empty: Bool
    var headers: [SortHeader]
    var sort: String
    var dir: String
    var more: String?
}

extension WebApp {
    @Sendable func customers(_ req: Request, ctx: AppRequestContext) async throws -> Response {
        let w = try WebRequest(req, ctx)
        let q = req.uri.queryParameters["q"].map(String.init)?.trimmingCharacters(in: .whitespaces) ?? ""
        let co = w.company.id
        let query = req.uri.queryParameters
        let sort = query["sort"].flatMap { LedgerQueries.CustomerSort(rawValue: String($0)) } ?? .name
        let descending = query["dir"] == "desc"
        let after = query["after"].flatMap { Int64($0) } ?? 0
        let list = try await db.read { c in
            try await LedgerQueries(c, company: co).customers(after: after, limit: Self.pageSize + 1, search: q.isEmpty ? nil : q, sort: sort, descending: descending)
        }
        let page = list.prefix(Self.pageSize)
        let rows = page.map {
            CustomersPage.Row(ref: $0.customer.ref, name: $0.customer.name, collector: $0.collections.collector ?? w.t("unassigned"), segment: $0.customer.segment ?? "")
        }
        let base = "/app/customers?q=\(q.addingPercentEncoding(withAllowedCharacters: .unreservedURL) ?? "")"
        let dir = descending ? "desc" : "asc"
        let more = list.count > Self.pageSize ? page.last.map { base + "&sort=\(sort.rawValue)&dir=\(dir)&after=\($0.id)" } : nil
        let headers = SortHeader.row(
            [("name", w.t("customer"), false), ("ref", "Ref", false), ("collector", w.t("collector"), false), ("segment", w.t("segment"), false)],
            base: base, sort: sort.rawValue, descending: descending)
        let model = CustomersPage(q: q, rows: Array(rows), empty: rows.isEmpty, headers: headers, sort: sort.rawValue, dir: dir, more: more)
        return WebRenderer.shared.html("customers", w.model("customers_title", current: "/app/customers", model))
    }

    @Sendable func customer(_ req: Request, ctx: AppRequestContext) async throws -> Response {
        let w = try WebRequest(req, ctx)
        let ref = try ctx.parameters.require("ref")
        let co = w.company, f = w.format
        let today = clock.today(in: co.timezone)
        let from = today.adding(days: -89)
        struct Loaded {
            var view: CustomerView
            var statements: [Statement]
            var events: [TimelineEvent]
            var contacts: [ContactView]
            var risk: ModelStore.Risk?
            var credit: CreditPosition?
            var policy: String
        }
        guard let l = try await db.read({ c -> Loaded? in
            let q = LedgerQueries(c, company: co.id)
            guard let view = try await q.customer(ref: ref) else { return nil }
            let statements = try await ReportStore(c, company: co.id).statements(customerRef: ref, from: from, to: today) ?? []
            let events = try await InteractionStore.timeline(c, company: co.id, customerRef: ref, limit: 50) ?? []
            let risk = try await ModelStore.risk(c, company: co.id, customerRef: ref)
            let credit = try await CreditStore.positions(c, company: co.id, customerRef: ref, today: today).first
            let (_, config) = try await DunningConfigStore.current(c, company: co.id)
            let policy: String
            switch config.assignment.resolve(override: view.collections.dunningPolicy, strategic: view.customer.strategic, segment: view.customer.segment, risk: risk?.score) {
            case .success(let r): policy = "\(r.policy.name) (\(w.t("policy_\(r.source.rawValue)")))"
            case .failure(let e): policy = "\(e)"
            }
            return Loaded(view: view, statements: statements, events: events, contacts: try await q.contacts(customerID: view.id), risk: risk, credit: credit, policy: policy)
        }) else {
            return WebPages.message(status: .notFound, title: w.t("not_found") + ": " + ref, lang: w.lang)
        }
        let cu = l.view.customer
        let items = l.statements.flatMap { s in
            s.openItems.map { i in
                CustomerPage.Item(
                    ref: i.ref, kind: w.t(i.kind.rawValue), issued: f.date(i.issueDate), due: f.date(i.dueDate), amount: f.money(i.amountMinor, s.currency),
                    open: f.money(i.openMinor, s.currency), pill: f.pill(daysPastDue: i.daysPastDue))
            }
        }
        let balance = l.statements.map { f.money($0.closingMinor, $0.currency) }.joined(separator: " · ")
        let overdue = l.statements.compactMap { s -> String? in
            let v = s.openItems.filter { $0.daysPastDue > 0 }.reduce(Int64(0)) { $0 + $1.openMinor }
            return v > 0 ? f.money(v, s.currency) : nil
        }.joined(separator: " · ")
        let main = l.statements.first { $0.currency == cu.currency } ?? l.statements.first
        let movements = (main?.lines ?? []).map { m in
            CustomerPage.Movement(
                date: f.date(m.date), kind: w.t(m.kind.rawValue), ref: m.ref,
                debit: m.debitMinor == 0 ? "" : f.money(m.debitMinor, main!.currency), credit: m.creditMinor == 0 ? "" : f.money(m.creditMinor, main!.currency),
                balance: f.money(m.balanceMinor, main!.currency))
        }
        let tz = TimeZone(identifier: co.timezone) ?? .gmt
        let mayWork = w.user.role.mayWork(customerCollector: l.view.collections.collector, ownHandle: w.user.collector)
        let riskReasons = l.risk?.reasons.compactMap { $0.words(w.lang) } ?? []
        let page = CustomerPage(
            ref: cu.ref, name: cu.name, balance: balance.isEmpty ? "–" : balance, overdue: overdue.isEmpty ? "–" : overdue,
            risk: l.risk.map { "\($0.score)/100" } ?? "–", riskReasons: riskReasons, hasRiskReasons: !riskReasons.isEmpty,
            creditLimit: cu.creditLimitMinor.flatMap { m in cu.currency.map { f.money(m, $0) } } ?? w.t("none"),
            onHold: l.credit?.hold ?? l.view.collections.creditHold, collector: l.view.collections.collector ?? w.t("unassigned"),
            items: items, noItems: items.isEmpty, movements: movements, opening: main.map { f.money($0.openingMinor, $0.currency) } ?? "–",
            closing: main.map { f.money($0.closingMinor, $0.currency) } ?? "–", period: f.date(from) + " – " + f.date(today),
            events: l.events.map { e in
                CustomerPage.Event(at: Self.localTime(e.at, tz, f), type: e.type, summary: e.summary, by: e.by ?? "")
            },
            contacts: l.contacts.map { .init(name: $0.name, role: $0.role ?? "", email: $0.email ?? "", phone: $0.phone ?? "") },
            mayWork: mayWork, readOnly: !mayWork && w.user.role == .collector,
            invoices: items.map { Option(value: $0.ref, label: $0.ref) },
            outcomes: CallOutcome.allCases.map { Option(value: $0.rawValue, label: w.t("outcome_\($0.rawValue)")) },
            reasons: DisputeReason.allCases.map { Option(value: $0.rawValue, label: w.t("reason_\($0.rawValue)")) },
            defaultPromiseDate: today.adding(days: 7).iso, tomorrow: today.adding(days: 1).iso,
            portalLink: mayWork ? try await portalLink(company: co, customerRef: ref, today: today) : nil, policy: l.policy)
        var model = w.model("customers_title", current: "/app/customers", page)
        model.chrome.title = cu.name
        return WebRenderer.shared.html("customer", model)
    }

    static func localTime(_ ms: Int64, _ tz: TimeZone, _ f: WebFormat) -> String {
        let (day, second) = ZonedWallClock.wallTime(of: Date(timeIntervalSince1970: Double(ms) / 1000), in: tz)
        return f.date(day) + String(format: " %02d:%02d", second / 3600, second % 3600 / 60)
    }

    /// A fresh portal link for the customer's primary contact (30 days), to copy into an email or a call note.
    func portalLink(company: CompanyRecord, customerRef: String, today: LocalDate) async throws -> String? {
        let token = try await db.transaction { c in try await PortalLinks.token(c, company: company.id, customerRef: customerRef, today: today) }
        return deps.web.publicURL + "/portal/" + token
    }

    @Sendable func statementPDF(_ req: Request, ctx: AppRequestContext) async throws -> Response {
        let w = try WebRequest(req, ctx)
        let ref = try ctx.parameters.require("ref")
        let today = clock.today(in: w.company.timezone)
        guard let pdf = try await StatementFile.pdf(db, company: w.company, customerRef: ref, language: w.lang, today: today) else {
            return WebPages.message(status: .notFound, title: w.t("not_found") + ": " + ref, lang: w.lang)
        }
        return StatementFile.response(pdf, ref: ref, today: today)
    }
}

/// The account statement of the last 90 days as a PDF (the same document reminders attach).
enum StatementFile {
    static func pdf(_ db: any Database, company co: CompanyRecord, customerRef ref: String, language: String, today: LocalDate) async throws -> [UInt8]? {
        let from = today.adding(days: -89)
        guard let (view, statements, contact) = try await db.read({ c -> (CustomerView, [Statement], ContactView?)? in
            let q = LedgerQueries(c, company: co.id)
            guard let view = try await q.customer(ref: ref) else { return nil }
            let contacts = try await q.contacts(customerID: view.id)
            return (view, try await ReportStore(c, company: co.id).statements(customerRef: ref, from: from, to: today) ?? [], contacts.first { $0.isPrimary } ?? contacts.first)
        }) else { return nil }
        let currency = view.customer.currency ?? statements.first?.currency ?? co.baseCurrency
        let statement = statements.first { $0.currency == currency } ?? Statement.build(
            customerRef: ref, currency: currency, from: from, to: today, openingMinor: 0, movements: [], openItems: [], unappliedMinor: 0)
        let tag = view.customer.language ?? language
        let format = LocalizedFormat(languageTag: tag)
        let document = StatementDocument(
            statement: statement, format: format, wording: .forLanguage(tag), company: CompanyHeader(name: co.name, returnAddress: co.name),
            customer: [view.customer.name] + (contact.map { [$0.name] } ?? []), references: [ref, currency.code, format.date(today)])
        return StatementPDF.render(document)
    }

    static func fileName(ref: String, today: LocalDate) -> String { "statement-\(safeFileNamePart(ref))-\(today.iso).pdf" }

    static func response(_ pdf: [UInt8], ref: String, today: LocalDate) -> Response {
        return Response(
            status: .ok,
            headers: [.contentType: "application/pdf", .contentDisposition: "attachment; filename=\"\(fileName(ref: ref, today: today))\"", .cacheControl: "no-store"],
            body: .init(byteBuffer: ByteBuffer(bytes: pdf)))
    }
}
