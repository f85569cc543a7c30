import CobroCore
import CobroStore
import Foundation
import Hummingbird

/// Scheduled reports (managers and admins) and each user's own custom alerts.
struct SchedulesPage: Sendable {
    struct Row: Sendable {
        var id: Int64
        var report: String
        var query: String
        var cadence: String
        var format: String
        var recipients: String
        var next: String
        var lastSent: String
        var error: String
    }
    var rows: [Row]
    var empty: Bool
    var reports: [Option]
    var cadences: [Option]
    var formats: [Option]
    var mayEdit: Bool
    var myEmail: String
}

struct AlertsPage: Sendable {
    struct Row: Sendable {
        var id: Int64
        var what: String
        var channel: String
    }
    var rows: [Row]
    var empty: Bool
    var kinds: [Option]
}

extension WebApp {
    @Sendable func schedulesPage(_ req: Request, ctx: AppRequestContext) async throws -> Response {
        let w = try WebRequest(req, ctx)
        let co = w.company.id, f = w.format
        let list = try await db.read { c in try await ReportScheduleStore.list(c, company: co) }
        let tz = TimeZone(identifier: w.company.timezone) ?? .gmt
        let rows = list.map { s in
            SchedulesPage.Row(
                id: s.id, report: ReportCatalog.entry(s.report).map { w.lang == "es" ? $0.es : $0.en } ?? s.report, query: s.query, cadence: w.t("cadence_\(s.cadence.rawValue)"),
                format: w.t("attach_\(s.format.rawValue)"), recipients: s.recipients.joined(separator: ", "), next: f.date(s.nextDay), lastSent: s.lastSentAt.map { Self.localTime($0, tz, f) } ?? "–", error: s.lastError ?? "")
        }
        let page = SchedulesPage(
            rows: rows, empty: rows.isEmpty, reports: ReportCatalog.entries.map { Option(value: $0.name, label: w.lang == "es" ? $0.es : $0.en) },
            cadences: ReportCadence.allCases.map { Option(value: $0.rawValue, label: w.t("cadence_\($0.rawValue)")) },
            formats: ReportAttachmentFormat.allCases.map { Option(value: $0.rawValue, label: w.t("attach_\($0.rawValue)")) }, mayEdit: w.user.role.mayApprove, myEmail: w.user.email)
        return WebRenderer.shared.html("schedules", w.model("scheduled_reports", current: "/app/reports", page))
    }

    @Sendable func createSchedule(_ req: Request, ctx: AppRequestContext) async throws -> Response {
        let w = try WebRequest(req, ctx)
        guard w.user.role.mayApprove else { throw Problem(.forbidden, "Forbidden", detail: w.t("forbidden")) }
        let form = ctx.form ?? WebForm(body: "")
        guard let report = form.string("report"), ReportCatalog.entry(report) != nil else { return WebResponse.redirect("/app/report-schedules", notice: w.t("choose_report")) }
        guard let cadence = form.string("cadence").flatMap(ReportCadence.init(rawValue:)) else { return WebResponse.redirect("/app/report-schedules", notice: w.t("choose_cadence")) }
        let formatText = form.string("format") ?? ReportAttachmentFormat.csv.rawValue
        guard let format = ReportAttachmentFormat(rawValue: formatText) else {
            return WebResponse.redirect("/app/report-schedules", notice: "\(w.t("attach_as")): \"\(formatText)\" — \(ReportAttachmentFormat.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        let recipients = (form.string("recipients") ?? "").split(whereSeparator: { $0 == "," || $0 == " " || $0 == ";" }).map(String.init)
        let query = (form.string("query") ?? "").trimmingCharacters(in: CharacterSet(charactersIn: "?& "))
        let today = clock.today(in: w.company.timezone)
        do {
            _ = try await db.transaction { c in
                try await ReportScheduleStore.create(
                    c, company: w.company.id, report: report, query: query, cadence: cadence, format: format, recipients: recipients, today: today, actor: "user:\(w.user.email)", now: clock.nowMillis())
            }
        } catch let e as StoreError {
            return WebResponse.redirect("/app/report-schedules", notice: e.description)
        }
        return WebResponse.redirect("/app/report-schedules", notice: w.t("schedule_saved"))
    }

    @Sendable func deleteSchedule(_ req: Request, ctx: AppRequestContext) async throws -> Response {
        let w = try WebRequest(req, ctx)
        guard w.user.role.mayApprove else { throw Problem(.forbidden, "Forbidden", detail: w.t("forbidden")) }
        guard let id = Int64(try ctx.parameters.require("id")) else { throw Problem.notFound("no such schedule") }
        try await db.transaction { c in try await ReportScheduleStore.delete(c, company: w.company.id, id: id, actor: "user:\(w.user.email)", now: clock.nowMillis()) }
        return WebResponse.redirect("/app/report-schedules", notice: w.t("schedule_deleted"))
    }

    @Sendable func alertsPage(_ req: Request, ctx: AppRequestContext) async throws -> Response {
        let w = try WebRequest(req, ctx)
        let co = w.company
        let (list, currencies) = try await db.read { c -> ([AlertSubscription], [String: Currency]) in
            var cur: [String: Currency] = [:]
            for r in try await c.query(
                "SELECT customer_ref, currency FROM customer WHERE company_id = $1 AND customer_ref IN (SELECT customer_ref FROM alert_subscription WHERE company_id = $1 AND active = 1)",
                [.int(co.id)])
            {
                cur[r.text(0)] = r.textOrNil(1).flatMap(Currency.init(code:))
            }
            return (try await AlertStore.list(c, company: co.id, userID: w.user.id), cur)
        }
        let rows = list.map { a in
            var what = w.t("alert_\(a.kind.rawValue)")
            if let ref = a.customerRef { what += ": " + ref }
            if let t = a.threshold { what += " > " + w.format.money(t, currencies[a.customerRef ?? ""] ?? co.baseCurrency) }
            return AlertsPage.Row(id: a.id, what: what, channel: w.t("channel_\(a.channel)"))
        }
        let page = AlertsPage(rows: rows, empty: rows.isEmpty, kinds: AlertKind.allCases.map { Option(value: $0.rawValue, label: w.t("alert_\($0.rawValue)")) })
        return WebRenderer.shared.html("alerts", w.model("my_alerts", current: "/app/alerts", page))
    }

    @Sendable func subscribeAlert(_ req: Request, ctx: AppRequestContext) async throws -> Response {
        let w = try WebRequest(req, ctx)
        let form = ctx.form ?? WebForm(body: "")
        guard let kind = form.string("kind").flatMap(AlertKind.init(rawValue:)) else { return WebResponse.redirect("/app/alerts", notice: w.t("choose_alert")) }
        do {
            _ = try await db.transaction { c in
                try await AlertStore.subscribe(
                    c, company: w.company.id, user: w.user, kind: kind, customerRef: form.string("customer_ref"), thresholdText: form.string("threshold"),
                    channel: form.string("channel") ?? "in_app", now: clock.nowMillis())
            }
        } catch let e as StoreError {
            return WebResponse.redirect("/app/alerts", notice: e.description)
        }
        return WebResponse.redirect("/app/alerts", notice: w.t("alert_saved"))
    }

    @Sendable func unsubscribeAlert(_ req: Request, ctx: AppRequestContext) async throws -> Response {
        let w = try WebRequest(req, ctx)
        guard let id = Int64(try ctx.parameters.require("id")) else { throw Problem.notFound("no such alert") }
        try await db.transaction { c in try await AlertStore.unsubscribe(c, company: w.company.id, userID: w.user.id, id: id, now: clock.nowMillis()) }
        return WebResponse.redirect("/app/alerts", notice: w.t("alert_deleted"))
    }

    @Sendable func markNotificationsRead(_ req: Request, ctx: AppRequestContext) async throws -> Response {
        let w = try WebRequest(req, ctx)
        try await db.transaction { c in try await AlertStore.markRead(c, company: w.company.id, userID: w.user.id, now: clock.nowMillis()) }
        return WebResponse.redirect("/app")
    }
}
