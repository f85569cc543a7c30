import CobroCore
import Foundation

/// A collector's goal for one month, in the company's base currency.
public struct GoalRecord: Sendable, Hashable {
    public var collector: String
    public var month: YearMonth
    public var amount: Money
    public var updatedAt: Int64
    public var updatedBy: String
}

/// The goals vs actual report of one month.
public struct GoalReport: Sendable, Hashable {
    public var month: YearMonth
    public var base: Currency
    public var rows: [CollectorGoals.Row]
    public var total: CollectorGoals.Row
}

/// Monthly collector goals (audited) and what each collector's customers paid against them.
public enum GoalStore {
    /// Sets (creates or replaces) `collector`'s goal for `month`: `amountText` in major units of `base`, more than 0.
    public static func set(
        _ c: any Connection, company: Int64, base: Currency, collector: String, month: YearMonth, amountText: String, actor: String, now: Int64
    ) async throws -> GoalRecord {
        guard try await c.first("SELECT 1 FROM collector WHERE company_id = $1 AND handle = $2", [.int(company), .text(collector)]) != nil
        else { throw StoreError.notFound("collector \(collector) does not exist") }
        let amount: Int64
        switch Money.parseMinor(amountText, currency: base) {
        case .success(let v) where v > 0: amount = v
        case .success: throw StoreError.invalid(field: "amount", "the goal must be more than 0 \(base.code)")
        case .failure(let e): throw StoreError.invalid(field: "amount", "\(e) (the goal is in the base currency, \(base.code))")
        }
        let before = try await goals(c, company: company, collector: collector).first { $0.month == month }
        try await c.execute("DELETE FROM collector_goal WHERE company_id = $1 AND collector = $2 AND month = $3", [.int(company), .text(collector), .text(month.iso)])
        try await c.execute(
            """
            INSERT INTO collector_goal (company_id, collector, month, currency, amount, updated_at, updated_by)
            VALUES ($1, $2, $3, $4, $5, $6, $7)
            """, [.int(company), .text(collector), .text(month.iso), .text(base.code), .int(amount), .int(now), .text(actor)])
        try await Audit.record(
            c, company: company, actor: actor, action: "goal.set", entity: "collector", ref: collector,
            before: before.map { ["month": month.iso, "amount": $0.amount.decimalString, "currency": $0.amount.currency.code] },
            after: ["month": month.iso, "amount": Money(minor: amount, base).decimalString, "currency": base.code], at: now)
        return GoalRecord(collector: collector, month: month, amount: Money(minor: amount, base), updatedAt: now, updatedBy: actor)
    }

    /// Removes `collector`'s goal for `month` (audited); `false` when there was none.
    public static func remove(_ c: any Connection, company: Int64, collector: String, month: YearMonth, actor: String, now: Int64) async throws -> Bool {
        guard let before = try await goals(c, company: company, collector: collector).first(where: { $0.month == month }) else { return false }
        try await c.execute("DELETE FROM collector_goal WHERE company_id = $1 AND collector = $2 AND month = $3", [.int(company), .text(collector), .text(month.iso)])
        try await Audit.record(
            c, company: company, actor: actor, action: "goal.remove", entity: "collector", ref: collector,
            before: ["month": month.iso, "amount": before.amount.decimalString, "currency": before.amount.currency.code], after: nil, at: now)
        return true
    }

    /// Goals of one collector, or of everyone (`collector` nil), newest month first.
    public static func goals(_ c: any Connection, company: Int64, collector: String?, month: YearMonth? = nil) async throws -> [GoalRecord] {
        var sql = "SELECT collector, month, currency, amount, updated_at, updated_by FROM collector_goal WHERE company_id = $1"
        var binds: [SQLValue] = [.int(company)]
        if let collector {
            binds.append(.text(collector))
            sql += " AND collector = $\(binds.count)"
        }
        if let month {
            binds.append(.text(month.iso))
            sql += " AND month = $\(binds.count)"
        }
        return try await c.query(sql + " ORDER BY month DESC, collector", binds).compactMap { r in
            guard let m = YearMonth(iso: r.text(1)), let cur = Currency(code: r.text(2)) else { return nil }
            return GoalRecord(collector: r.text(0), month: m, amount: Money(minor: r.int(3), cur), updatedAt: r.int(4), updatedBy: r.text(5))
        }
    }

    /// Goals of `month` against the payments dated in it, each counted for the collector who held the customer at the
    /// end of the payment's (company-local) day; other currencies converted at the company's rates.
    public static func report(_ c: any Connection, company: Int64, base: Currency, timeZone: TimeZone, month: YearMonth) async throws -> GoalReport {
        let bounds: [SQLValue] = [.int(company), .int(Int64(month.firstDay.dayNumber)), .int(Int64(month.lastDay.dayNumber))]
        var history: [Int64: [CollectorGoals.Assignment]] = [:]
        try await c.forEach(
            """
            SELECT a.customer_id, a.at, a.collector FROM collector_assignment a
            WHERE a.company_id = $1 AND a.customer_id IN (SELECT customer_id FROM payment WHERE company_id = $1 AND payment_day BETWEEN $2 AND $3)
            ORDER BY a.customer_id, a.id
            """, bounds
        ) { r in
            let day = ZonedWallClock.localDate(of: Date(timeIntervalSince1970: Double(r.int(1)) / 1000), in: timeZone)
            history[r.int(0), default: []].append(CollectorGoals.Assignment(day: day, collector: r.textOrNil(2)))
        }
        var payments: [CollectorGoals.Payment] = []
        try await c.forEach(
            "SELECT customer_id, payment_day, currency, amount FROM payment WHERE company_id = $1 AND payment_day BETWEEN $2 AND $3", bounds
        ) { r in
            guard let cur = Currency(code: r.text(2)) else { return }
            let who = CollectorGoals.holder(history[r.int(0)] ?? [], endOf: LocalDate(dayNumber: Int(r.int(1))))
            payments.append(CollectorGoals.Payment(collector: who, currency: cur, amountMinor: r.int(3)))
        }
        let goals = try await goals(c, company: company, collector: nil, month: month)
        let collectors = try await PortfolioStore.collectors(c, company: company).filter { $0.active && $0.role == .collector }.map(\.key)
        let (rows, total) = CollectorGoals.attainment(
            goals: Dictionary(goals.filter { $0.amount.currency == base }.map { ($0.collector, $0.amount.minor) }, uniquingKeysWith: { a, _ in a }),
            collectors: collectors, payments: payments, base: base, rates: try await PortfolioStore.rates(c, company: company, base: base))
        return GoalReport(month: month, base: base, rows: rows, total: total)
    }
}
