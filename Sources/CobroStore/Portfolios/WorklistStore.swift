import CobroCore
import Foundation

/// One customer on a worklist: who, how much is overdue, the score with its explanation, the next best action and
/// the tasks due.
public struct WorklistEntry: Sendable, Hashable {
    public var customerRef: String
    public var name: String
    public var collector: String?
    /// Overdue amount per currency (minor units), sorted by currency.
    public var overdue: [Money]
    public var facts: WorklistFacts
    public var factors: [ScoreFactor]
    /// Hundredths of a point.
    public var score: Int
    public var action: NextAction
}

/// Whose worklist: one collector's customers, the customers nobody has, or everyone (a manager's view).
public enum WorklistScope: Sendable, Hashable {
    case all
    case unassigned
    case collector(String)
}

/// The prioritised worklist, computed from the ledger as it is when asked — so every payment, promise, dispute or
/// task is reflected in the next request, with nothing to keep in step. Ranking rules: CobroCore ``WorklistScore``.
public enum WorklistStore {
    /// Customers of the scope with an invoice or debit note past due on `today` and not snoozed past it, best first (score, then overdue
    /// amount, then ref), at most `limit`.
    public static func worklist(_ c: any Connection, company: Int64, base: Currency, scope: WorklistScope, today: LocalDate, limit: Int) async throws -> [WorklistEntry] {
        // The scope's condition on `cu` with its collector bound at `$n` (after the binds each query has of its own).
        let scopeBinds: [SQLValue]
        let scoped: (Int) -> String
        switch scope {
        case .all: (scopeBinds, scoped) = ([], { _ in "" })
        case .unassigned: (scopeBinds, scoped) = ([], { _ in " AND cu.collector IS NULL" })
        case .collector(let k): (scopeBinds, scoped) = ([.text(k)], { " AND cu.collector = $\($0)" })
        }
        let onDay: [SQLValue] = [.int(company), .int(Int64(today.dayNumber))] + scopeBinds, always: [SQLValue] = [.int(company)] + scopeBinds
        let rateFor = Dictionary(try await PortfolioStore.rates(c, company: company, base: base).map { ($0.from.code, $0) }, uniquingKeysWith: { a, _ in a })
        let toBase: (String, Int64) -> Int64? = { code, minor in code == base.code ? minor : rateFor[code]?.convertChecked(minor) }

        // Promises standing today and active plans cover their items, exactly as in dunning.
        let cover = try await StandingCoverage.read(c, company: company, day: today)

        struct Acc {
            var overdue: [String: Int64] = [:]
            var overdueBase: Int64 = 0, disputedBase: Int64 = 0, coveredBase: Int64 = 0
            var unconverted: Set<String> = []
            var oldestDue = Int64.max
        }
        var acc: [Int64: Acc] = [:]
        try await c.forEach(
            """
            SELECT i.customer_id, i.id, i.currency, i.open_amount, i.due_day, \(DunningStore.disputedAmount("i"))
            FROM invoice i JOIN customer cu ON cu.company_id = i.company_id AND cu.id = i.customer_id
            WHERE i.company_id = $1 AND i.open_amount > 0 AND i.kind <> 'credit_note' AND i.due_day < $2\(scoped(3))
            """, onDay
        ) { r in
            let customer = r.int(0), code = r.text(2), open = r.int(3)
            let disputed = min(open, r.int(5))
            var a = acc[customer] ?? Acc()
            a.overdue[code, default: 0] += open
            a.oldestDue = min(a.oldestDue, r.int(4))
            if let inBase = toBase(code, open) {
                a.overdueBase += inBase
                a.disputedBase += toBase(code, disputed) ?? 0
                if cover.covers(invoice: r.int(1), customer: customer, currency: code) { a.coveredBase += toBase(code, open - disputed) ?? 0 }
            } else {
                a.unconverted.insert(code)
            }
            acc[customer] = a
        }
        // A collector snoozed these until a later day (the web app's quick action).
        for r in try await c.query("SELECT id FROM customer WHERE company_id = $1 AND snoozed_until_day > $2", [.int(company), .int(Int64(today.dayNumber))]) {
            acc[r.int(0)] = nil
        }
        if acc.isEmpty { return [] }

        var tasks: [Int64: [WorklistTask]] = [:]
        try await c.forEach(
            """
            SELECT t.customer_id, t.id, t.kind, t.title, t.due_day FROM task t JOIN customer cu ON cu.company_id = t.company_id AND cu.id = t.customer_id
            WHERE t.company_id = $1 AND t.status = 'open' AND t.due_day <= $2\(scoped(3)) ORDER BY t.due_day, t.id
            """, onDay
        ) { r in
            guard acc[r.int(0)] != nil else { return }
            tasks[r.int(0), default: []].append(WorklistTask(id: r.int(1), kind: r.text(2), title: r.text(3), due: LocalDate(dayNumber: Int(r.int(4)))))
        }
        // Derived follow-ups: a standing promise on or after its date (did the money come?), an open dispute near its due date.
        try await c.forEach(
            """
            SELECT p.customer_id, p.id, p.amount, p.currency, p.promise_day FROM promise p JOIN customer cu ON cu.company_id = p.company_id AND cu.id = p.customer_id
            WHERE p.company_id = $1 AND p.status = 'open' AND p.promise_day <= $2\(scoped(3)) ORDER BY p.promise_day, p.id
            """, onDay
        ) { r in
            guard acc[r.int(0)] != nil else { return }
            let day = LocalDate(dayNumber: Int(r.int(4)))
            let amount = Currency(code: r.text(3)).map { "\(Money(minor: r.int(2), $0).decimalString) \(r.text(3))" } ?? r.text(3)
            tasks[r.int(0), default: []].append(WorklistTask(
                id: nil, kind: "promise_follow_up", title: "Check the promise of \(amount) for \(day.iso) came in", due: day, about: "promise \(r.int(1))"))
        }
        try await c.forEach(
            """
            SELECT i.customer_id, d.id, i.ref, d.due_day FROM dispute d JOIN invoice i ON i.company_id = d.company_id AND i.id = d.invoice_id
            JOIN customer cu ON cu.company_id = i.company_id AND cu.id = i.customer_id
            WHERE d.company_id = $1 AND d.status IN ('open', 'in_review') AND d.due_day IS NOT NULL AND d.due_day >= $2 AND d.due_day <= $2 + \(WorklistScore.disputeDeadlineDays)\(scoped(3))
            ORDER BY d.due_day, d.id
            """, onDay
        ) { r in
            guard acc[r.int(0)] != nil else { return }
            let day = LocalDate(dayNumber: Int(r.int(3)))
            tasks[r.int(0), default: []].append(WorklistTask(
                id: nil, kind: "dispute_deadline", title: "Dispute on \(r.text(2)) is due on \(day.iso)", due: day, about: "dispute \(r.int(1))"))
        }
        for k in tasks.keys { tasks[k]!.sort { ($0.due, $0.kind) < ($1.due, $1.kind) } }
        var reach: [Int64: (phone: Bool, email: Bool)] = [:]
        try await c.forEach(
            """
            SELECT ct.customer_id, MAX(CASE WHEN ct.phone IS NOT NULL AND ct.phone <> '' THEN 1 ELSE 0 END), MAX(CASE WHEN ct.email IS NOT NULL AND ct.email <> '' THEN 1 ELSE 0 END)
            FROM contact ct JOIN customer cu ON cu.company_id = ct.company_id AND cu.id = ct.customer_id WHERE ct.company_id = $1\(scoped(2))
            GROUP BY ct.customer_id
            """, always
        ) { r in reach[r.int(0)] = (r.int(1) == 1, r.int(2) == 1) }

        var out: [WorklistEntry] = []
        out.reserveCapacity(acc.count)
        let money: (Int64) -> String = { "\(Money(minor: $0, base).decimalString) \(base.code)" }
        try await c.forEach(
            """
            SELECT cu.id, cu.customer_ref, cu.name, cu.collector, cu.broken_promises, cu.credit_hold, cu.handed_over, cu.hand_over, cu.phone, cu.email,
                   r.score
            FROM customer cu LEFT JOIN customer_risk r ON r.company_id = cu.company_id AND r.customer_id = cu.id  -- the latest payment model's score
            WHERE cu.company_id = $1\(scoped(2))
            """, always
        ) { r in
            guard let a = acc[r.int(0)] else { return }
            let contact = reach[r.int(0)]
            let facts = WorklistFacts(
                overdueBase: a.overdueBase, disputedBase: a.disputedBase, coveredBase: a.coveredBase, unconvertedCurrencies: a.unconverted.sorted(),
                oldestDaysPastDue: today.dayNumber - Int(a.oldestDue), brokenPromises: Int(r.int(4)), risk: r.intOrNil(10).map { Int($0) }, dueTasks: tasks[r.int(0)] ?? [],
                hasPhone: !(r.textOrNil(8) ?? "").isEmpty || contact?.phone == true, hasEmail: !(r.textOrNil(9) ?? "").isEmpty || contact?.email == true,
                handOver: r.bool(6) ? (r.textOrNil(7) ?? "agency") : nil, creditHold: r.bool(5))
            let factors = WorklistScore.factors(facts, exponent: base.exponent, money: money)
            out.append(WorklistEntry(
                customerRef: r.text(1), name: r.text(2), collector: r.textOrNil(3),
                overdue: a.overdue.sorted { $0.key < $1.key }.compactMap { code, minor in Currency(code: code).map { Money(minor: minor, $0) } },
                facts: facts, factors: factors, score: WorklistScore.total(factors), action: WorklistScore.nextAction(facts)))
        }
        out.sort { ($0.score, $0.facts.overdueBase, $1.customerRef) > ($1.score, $1.facts.overdueBase, $0.customerRef) }
        return Array(out.prefix(limit))
    }
}

extension WorklistStore {
    /// Takes a customer off the worklists until `until` (the first day it shows again); audited.
    public static func snooze(_ c: any Connection, company: Int64, customerRef: String, until: LocalDate, today: LocalDate, actor: String, now: Int64) async throws {
        guard until > today else { throw StoreError.invalid(field: "until", "\(until.iso) is not after today (\(today.iso))") }
        guard let r = try await c.first(
            "UPDATE customer SET snoozed_until_day = $3 WHERE company_id = $1 AND customer_ref = $2 RETURNING id", [.int(company), .text(customerRef), .int(Int64(until.dayNumber))])
        else { throw StoreError.notFound("customer \(customerRef) does not exist") }
        _ = r
        try await Audit.record(c, company: company, actor: actor, action: "worklist.snooze", entity: "customer", ref: customerRef, before: nil, after: ["until": until.iso], at: now)
    }
}
