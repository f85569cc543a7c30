import CobroCore
import CobroStore
import Foundation
import Hummingbird

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
    /// When today's figures were computed, if the ledger has changed since (they are being recomputed).
    var stale: String?
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

extension WebApp {
    @Sendable func dashboard(_ req: Request, ctx: AppRequestContext) async throws -> Response {
        let w = try WebRequest(req, ctx)
        let co = w.company, f = w.format
        let today = clock.today(in: co.timezone)
        let tz = TimeZone(identifier: co.timezone) ?? .gmt
        let figures = try await DashboardSnapshots.figures(db, company: co, today: today, clock: clock, inlineLimitMillis: deps.web.snapshotInlineLimitMillis)
        let k = figures.today
        let cards = [
            DashboardPage.Card(label: w.t("dso"), value: f.number(k.dso), unit: w.t("days")),
            .init(label: w.t("bpdso"), value: f.number(k.bpdso), unit: w.t("days")),
            .init(label: w.t("add"), value: f.number(k.add), unit: w.t("days")),
            .init(label: w.t("cei"), value: f.number(k.cei), unit: "%"),
            .init(label: w.t("past_due_pct"), value: f.number(k.pastDuePct), unit: "%"),
        ]
        let base = co.baseCurrency
        let chart = Charts.agingBars(title: w.t("aging_chart") + " (\(base.code))", labels: k.agingLabels.map(f.bucket), amounts: k.agingTotals) { f.money($0, base) }
        let trend = Charts.line(
            title: w.t("dso_trend"), unit: w.t("days"),
            points: figures.trend.map { (label: $0.day == today ? w.t("as_of") + " " + f.date($0.day) : f.date($0.day), value: $0.dso) }) { f.number($0) }
        let top = k.topOverdue.map { o in
            DashboardPage.Top(
                ref: o.ref, name: o.name, overdue: f.money(o.overdueMinor, base),
                oldest: Pill(cls: Charts.bucketClasses[min(o.oldestBucket, 4)], text: f.bucket(k.agingLabels[min(o.oldestBucket, k.agingLabels.count - 1)])))
        }
        let kinds: [CollectorTask.Kind] = [.promiseBroken, .disputeOverdue, .deliveryFailed, .planDefaulted, .riskAlert]
        let holdTitle = w.t("alert_credit_hold")
        let alerts = try await db.read { c in
            var out: [DashboardPage.Alert] = []
            for kind in kinds {
                for t in try await TaskStore.list(c, company: co.id, status: .open, kind: kind, customerRef: nil, after: 0, limit: 5) {
                    out.append(.init(kind: kind.rawValue, ref: t.customerRef, name: t.customerName, title: t.title))
                }
            }
            // New credit holds: since the start of today on the company's clock (the audit trail has the time).
            let midnight = ZonedWallClock.earliestInstant(atOrAfterWallTime: today, minuteOfDay: 0, in: tz, notBefore: Date(timeIntervalSince1970: 0))
            for h in try await CreditStore.newHolds(c, company: co.id, sinceMillis: Int64(midnight.timeIntervalSince1970 * 1000), limit: 5) {
                out.append(.init(kind: "credit_hold", ref: h.ref, name: h.name, title: holdTitle))
            }
            return out
        }
        let month = YearMonth(today)
        let goalReport = try await db.read { c in try await GoalStore.report(c, company: co.id, base: base, timeZone: tz, month: month) }
        // The goal report's own attainment (collected toward the goal, half up), in whole percent.
        let goals = goalReport.rows.compactMap { r -> DashboardPage.Goal? in
            guard let collector = r.collector, let goal = r.goalMinor, let bp = r.attainmentBasisPoints else { return nil }
            let pct = (bp + 50) / 100
            return DashboardPage.Goal(
                collector: collector, collected: f.money(r.collectedMinor, base), goal: f.money(goal, base), percent: pct,
                bar: Charts.bullet(title: "\(collector): \(pct)%", percent: pct))
        }
        let user = w.user
        let notes = try await db.read { c in try await AlertStore.unread(c, company: co.id, userID: user.id) }
            .map { DashboardPage.Notification(text: $0.text, link: $0.link ?? "/app") }
        let page = DashboardPage(
            asOf: f.date(today), stale: figures.stale ? Self.localTime(k.computedAt, TimeZone(identifier: co.timezone) ?? .gmt, f) : nil, currency: base.code, cards: cards, agingChart: chart,
            agingRows: zip(k.agingLabels, k.agingTotals).map { DashboardPage.Card(label: f.bucket($0), value: f.money($1, base), unit: "") },
            agingCSV: "/app/reports/aging.csv", trendChart: trend, top: top, alerts: alerts, hasAlerts: !alerts.isEmpty,
            goals: goals, hasGoals: !goals.isEmpty, notifications: notes, hasNotifications: !notes.isEmpty)
        return WebRenderer.shared.html("dashboard", w.model("dashboard_title", current: "/app", page))
    }
}
