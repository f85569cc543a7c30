import CobroCore
import CobroStore
import Foundation
import Hummingbird
import NIOConcurrencyHelpers

/// The manager's first screen: KPIs as of today, the aging chart, DSO over six month ends, the customers with the
/// most overdue and today's alerts.
struct DashboardPage: Sendable {
    struct Card: Sendable {
        var label: String
        var value: String
        var unit: String
    }
    struct Top: Sendable {
        var ref: String
        var name: String
        var overdue: String
        var oldest: Pill
    }
    struct Alert: Sendable {
        var kind: String
        var ref: String
        var name: String
        var title: String
    }
    var asOf: String
    var currency: String
    var cards: [Card]
    var agingChart: String
    var agingRows: [Card]
    var agingCSV: String
    var trendChart: String
    var top: [Top]
    var alerts: [Alert]
    var hasAlerts: Bool
    struct Notification: Sendable {
        var text: String
        var link: String
    }
    struct Goal: Sendable {
        var collector: String
        var collected: String
        var goal: String
        var percent: Int
        var bar: String
    }
    /// Collected this month against each collector's goal (bullet bars).
    var goals: [Goal]
    var hasGoals: Bool
    /// The user's unread notifications from custom alerts.
    var notifications: [Notification]
    var hasNotifications: Bool
}

/// The figures of a dashboard, computed once per company, ledger version and day (the ledger version moves with
/// every change, so a cached figure is never stale) — the month-end DSO points cost the most.
struct DashboardFigures: Sendable {
    var kpis: KPISet?
    var aging: AgingReport
    var trend: [(day: LocalDate, dso: Double?)]
    var names: [String: String]

    /// One per application (``WebApp``), so two servers in one process never share figures.
    typealias Cache = NIOLockedValueBox<[String: DashboardFigures]>

    static func load(_ db: any Database, cache: Cache, company co: CompanyRecord, version: Int64, today: LocalDate) async throws -> DashboardFigures {
        let key = "\(co.id)/\(version)/\(today.iso)"
        if let hit = cache.withLockedValue({ $0[key] }) { return hit }
        let figures = try await db.read { c in
            let store = ReportStore(c, company: co.id)
            let rates = try await PortfolioStore.rates(c, company: co.id, base: co.baseCurrency)
            let aging = try await store.aging(asOf: today, basis: .dueDate, buckets: co.agingBuckets, base: co.baseCurrency, rates: rates)
            let kpis = try await store.kpis(asOf: today, window: 90).first { $0.currency == co.baseCurrency }
            var trend: [(LocalDate, Double?)] = []
            var monthEnd = today.startOfMonth.adding(days: -1)
            for _ in 0..<5 {
                trend.insert((monthEnd, try await store.kpis(asOf: monthEnd, window: 90).first { $0.currency == co.baseCurrency }?.dsoSimple), at: 0)
                monthEnd = monthEnd.startOfMonth.adding(days: -1)
            }
            trend.append((today, kpis?.dsoSimple))
            var names: [String: String] = [:]
            for r in try await c.query("SELECT customer_ref, name FROM customer WHERE company_id = $1", [.int(co.id)]) { names[r.text(0)] = r.text(1) }
            return DashboardFigures(kpis: kpis, aging: aging, trend: trend, names: names)
        }
        cache.withLockedValue { c in
            if c.count > 64 { c.removeAll() }
            c[key] = figures
        }
        return figures
    }
}

extension WebApp {
    @Sendable func dashboard(_ req: Request, ctx: AppRequestContext) async throws -> Response {
        let w = try WebRequest(req, ctx)
        let co = w.company, f = w.format
        let today = clock.today(in: co.timezone)
        let figures = try await DashboardFigures.load(db, cache: dashboardCache, company: co, version: w.session.ledgerVersion, today: today)
        let k = figures.kpis
        let cards = [
            DashboardPage.Card(label: w.t("dso"), value: f.number(k?.dsoSimple), unit: w.t("days")),
            .init(label: w.t("bpdso"), value: f.number(k?.bpdso), unit: w.t("days")),
            .init(label: w.t("add"), value: f.number(k?.add), unit: w.t("days")),
            .init(label: w.t("cei"), value: f.number(k?.cei), unit: "%"),
            .init(label: w.t("past_due_pct"), value: f.number(k?.arPastDuePct), unit: "%"),
        ]
        let base = co.baseCurrency
        let aging = figures.aging
        let total = aging.converted ?? aging.totals.first { $0.currency == base } ?? AgingRow(customerRef: "", currency: base, buckets: Array(repeating: 0, count: aging.labels.count), unappliedMinor: 0)
        let chart = Charts.agingBars(title: w.t("aging_chart") + " (\(base.code))", labels: aging.labels.map(f.bucket), amounts: total.buckets) { f.money($0, base) }
        let trend = Charts.line(
            title: w.t("dso_trend"), unit: w.t("days"),
            points: figures.trend.map { (label: $0.day == today ? w.t("as_of") + " " + f.date($0.day) : f.date($0.day), value: $0.dso) }) { f.number($0) }
        var overdueRows: [(row: AgingRow, overdue: Int64)] = []
        for r in aging.rows where r.currency == base {
            let overdue: Int64 = r.buckets.dropFirst().reduce(0, +)
            if overdue > 0 { overdueRows.append((r, overdue)) }
        }
        overdueRows.sort { a, b in a.overdue != b.overdue ? a.overdue > b.overdue : a.row.customerRef < b.row.customerRef }
        var top: [DashboardPage.Top] = []
        for (r, overdue) in overdueRows.prefix(10) {
            let oldest = r.buckets.lastIndex { $0 > 0 } ?? 0
            top.append(DashboardPage.Top(
                ref: r.customerRef, name: figures.names[r.customerRef] ?? r.customerRef, overdue: f.money(overdue, base),
                oldest: Pill(cls: Charts.bucketClasses[min(oldest, 4)], text: f.bucket(aging.labels[oldest]))))
        }
        let kinds: [CollectorTask.Kind] = [.promiseBroken, .disputeOverdue, .deliveryFailed, .planDefaulted]
        let alerts = try await db.read { c in
            var out: [DashboardPage.Alert] = []
            for kind in kinds {
                for t in try await TaskStore.list(c, company: co.id, status: .open, kind: kind, customerRef: nil, after: 0, limit: 5) {
                    out.append(.init(kind: kind.rawValue, ref: t.customerRef, name: t.customerName, title: t.title))
                }
            }
            return out
        }
        let month = YearMonth(today)
        let tz = TimeZone(identifier: co.timezone) ?? .gmt
        let goalReport = try await db.read { c in try await GoalStore.report(c, company: co.id, base: base, timeZone: tz, month: month) }
        let goals = goalReport.rows.filter { $0.goalMinor != nil && $0.collector != nil }.map { r -> DashboardPage.Goal in
            let goal = r.goalMinor ?? 0
            let pct = goal > 0 ? Int((Double(r.collectedMinor) / Double(goal) * 100).rounded()) : 0
            return DashboardPage.Goal(
                collector: r.collector ?? "", collected: f.money(r.collectedMinor, base), goal: f.money(goal, base), percent: pct,
                bar: Charts.bullet(title: "\(r.collector ?? ""): \(pct)%", percent: pct))
        }
        let user = w.user
        let notes = try await db.read { c in try await AlertStore.unread(c, company: co.id, userID: user.id) }
            .map { DashboardPage.Notification(text: $0.text, link: $0.link ?? "/app") }
        let page = DashboardPage(
            asOf: f.date(today), currency: base.code, cards: cards, agingChart: chart,
            agingRows: zip(aging.labels, total.buckets).map { DashboardPage.Card(label: f.bucket($0), value: f.money($1, base), unit: "") },
            agingCSV: "/app/reports/aging.csv", trendChart: trend, top: top, alerts: alerts, hasAlerts: !alerts.isEmpty,
            goals: goals, hasGoals: !goals.isEmpty, notifications: notes, hasNotifications: !notes.isEmpty)
        return WebRenderer.shared.html("dashboard", w.model("dashboard_title", current: "/app", page))
    }
}
