import CobroCore
import Foundation

/// One open dispute as the open-disputes report shows it.
public struct OpenDisputeRow: Sendable, Hashable {
    public var id: Int64
    public var invoiceRef: String
    public var customerRef: String
    public var reason: String
    public var status: String
    public var owner: String?
    public var currency: Currency
    public var amountMinor: Int64
    public var openedOn: LocalDate
    public var ageDays: Int
    public var dueDate: LocalDate?
    public var sla: DisputeSLA
    /// Days past the due date (0 when within or without one).
    public var daysOverdue: Int
}

/// The collections reports of issue 4, point 11 that read interactions and disputes: contactability, open disputes
/// with their SLA, and the default analysis. Days are the company's local days.
public enum CollectionsReportStore {
    static let dayMillis: Int64 = 86_400_000

    /// Calls whose local day is within `from`…`to`.
    static func calls(_ c: any Connection, company: Int64, timeZone: TimeZone, from: LocalDate, to: LocalDate) async throws -> [Contactability.Call] {
        // A coarse UTC window (a day either side covers every time zone), then the exact local day.
        let lo = Int64(from.dayNumber - 1) * dayMillis, hi = Int64(to.dayNumber + 2) * dayMillis
        return try await c.query(
            """
            SELECT cu.customer_ref, x.created_by, x.outcome, x.at FROM interaction x JOIN customer cu ON cu.company_id = x.company_id AND cu.id = x.customer_id
            WHERE x.company_id = $1 AND x.kind = 'call' AND x.at >= $2 AND x.at < $3
            """, [.int(company), .int(lo), .int(hi)]
        ).compactMap { r in
            let day = ZonedWallClock.localDate(of: Date(timeIntervalSince1970: Double(r.int(3)) / 1000), in: timeZone)
            guard day >= from, day <= to, let outcome = r.textOrNil(2).flatMap(CallOutcome.init(rawValue:)) else { return nil }
            return Contactability.Call(customer: r.text(0), collector: r.text(1), outcome: outcome)
        }
    }

    public static func contactability(_ c: any Connection, company: Int64, timeZone: TimeZone, from: LocalDate, to: LocalDate) async throws
        -> (total: Contactability.Figures, byCollector: [(collector: String, figures: Contactability.Figures)])
    {
        Contactability.report(try await calls(c, company: company, timeZone: timeZone, from: from, to: to))
    }

    /// Disputes open or in review as of today, oldest first.
    public static func openDisputes(_ c: any Connection, company: Int64, timeZone: TimeZone, today: LocalDate) async throws -> [OpenDisputeRow] {
        try await c.query(
            """
            SELECT d.id, i.ref, cu.customer_ref, d.reason, d.status, d.owner, i.currency, d.amount, d.opened_at, d.due_day
            FROM dispute d JOIN invoice i ON i.company_id = d.company_id AND i.id = d.invoice_id
            JOIN customer cu ON cu.company_id = i.company_id AND cu.id = i.customer_id
            WHERE d.company_id = $1 AND d.status IN ('open', 'in_review') ORDER BY d.opened_at, d.id
            """, [.int(company)]
        ).map { r in
            let opened = ZonedWallClock.localDate(of: Date(timeIntervalSince1970: Double(r.int(8)) / 1000), in: timeZone)
            let due = r.intOrNil(9).map { LocalDate(dayNumber: Int($0)) }
            let sla = DisputeSLA.of(dueDate: due, today: today)
            return OpenDisputeRow(
                id: r.int(0), invoiceRef: r.text(1), customerRef: r.text(2), reason: r.text(3), status: r.text(4), owner: r.textOrNil(5),
                currency: Currency(code: r.text(6)) ?? Currency(code: "USD")!, amountMinor: r.int(7), openedOn: opened, ageDays: max(0, today.dayNumber - opened.dayNumber),
                dueDate: due, sla: sla, daysOverdue: sla == .overdue ? today.dayNumber - due!.dayNumber : 0)
        }
    }

    /// Dispute reasons (disputes opened in the period) and non-paying call outcomes (calls in the period), ranked.
    public static func defaultReasons(_ c: any Connection, company: Int64, timeZone: TimeZone, from: LocalDate, to: LocalDate) async throws -> [DefaultReasons.Reason] {
        let lo = Int64(from.dayNumber - 1) * dayMillis, hi = Int64(to.dayNumber + 2) * dayMillis
        let disputes = try await c.query(
            """
            SELECT d.reason, i.currency, d.amount, d.opened_at FROM dispute d JOIN invoice i ON i.company_id = d.company_id AND i.id = d.invoice_id
            WHERE d.company_id = $1 AND d.opened_at >= $2 AND d.opened_at < $3
            """, [.int(company), .int(lo), .int(hi)]
        ).compactMap { r -> (reason: String, currency: String, amountMinor: Int64)? in
            let day = ZonedWallClock.localDate(of: Date(timeIntervalSince1970: Double(r.int(3)) / 1000), in: timeZone)
            return day >= from && day <= to ? (r.text(0), r.text(1), r.int(2)) : nil
        }
        let calls = try await calls(c, company: company, timeZone: timeZone, from: from, to: to).map(\.outcome)
        return DefaultReasons.rank(disputes: disputes, calls: calls)
    }

    /// Plans agreed (started) within `from`…`to`, each evaluated as of `asOf` (the earlier of `to` and today: a later
    /// day would judge installments that cannot have been paid yet), overall and per the customer's collector.
    public static func planPerformance(_ c: any Connection, company: Int64, from: LocalDate, to: LocalDate, asOf: LocalDate) async throws
        -> (total: PlanPerformance.Figures, byCollector: [(collector: String?, figures: PlanPerformance.Figures)])
    {
        var plans: [PlanPerformance.Plan] = []
        var after: Int64 = 0
        while true {
            let page = try await PlanStore.list(c, company: company, status: nil, customerRef: nil, after: after, limit: 500, asOf: asOf)
            for p in page where p.plan.startDate >= from && p.plan.startDate <= to {
                plans.append(PlanPerformance.Plan(collector: p.collector, currency: p.plan.currency, report: p.status == "cancelled" ? nil : p.report))
            }
            guard let last = page.last, page.count == 500 else { break }
            after = last.id
        }
        return PlanPerformance.report(plans)
    }

    /// Promises whose promised date is within `from`…`to` (evaluate due ones first: ``PromiseStore/evaluateDue``).
    public static func promises(_ c: any Connection, company: Int64, from: LocalDate, to: LocalDate) async throws -> [PromiseRecord] {
        var out: [PromiseRecord] = []
        var after: Int64 = 0
        while true {
            let page = try await PromiseStore.list(c, company: company, status: nil, customerRef: nil, after: after, limit: 500)
            out += page.filter { $0.promise.promiseDate >= from && $0.promise.promiseDate <= to }
            guard let last = page.last, page.count == 500 else { return out }
            after = last.id
        }
    }

    /// Invoices and debit notes on early-payment terms issued `from`…`to`, as the ledger stood at the end of `asOf`:
    /// settled when their allocations by then cover the amount (settlement day = the last of them); the discount is
    /// what the `DISC-…` credit notes applied to them by then.
    public static func discountEffectiveness(_ c: any Connection, company: Int64, from: LocalDate, to: LocalDate, asOf: LocalDate) async throws -> [DiscountEffectiveness.Group] {
        let day = Int64(asOf.dayNumber)
        var invoices: [DiscountEffectiveness.Invoice] = []
        try await c.forEach(
            """
            SELECT i.terms, i.currency, i.amount, i.issue_day,
                   CAST(COALESCE(SUM(a.amount), 0) AS BIGINT), MAX(a.applied_day),
                   CAST(COALESCE(SUM(CASE WHEN n.ref LIKE 'DISC-%' THEN a.amount ELSE 0 END), 0) AS BIGINT)
            FROM invoice i
            LEFT JOIN allocation a ON a.company_id = i.company_id AND a.invoice_id = i.id AND a.applied_day <= $4
                                   AND (a.reversed_day IS NULL OR a.reversed_day > $4)
            LEFT JOIN invoice n ON n.company_id = a.company_id AND n.id = a.credit_note_id
            WHERE i.company_id = $1 AND i.kind <> 'credit_note' AND i.terms IS NOT NULL AND i.issue_day BETWEEN $2 AND $3
            GROUP BY i.id, i.terms, i.currency, i.amount, i.issue_day
            """, [.int(company), .int(Int64(from.dayNumber)), .int(Int64(to.dayNumber)), .int(day)]
        ) { r in
            guard case .success(let terms) = DiscountTerms.parse(r.text(0)), let cur = Currency(code: r.text(1)) else { return }
            let amount = r.int(2)
            let settled = r.int(4) >= amount ? r.intOrNil(5).map { LocalDate(dayNumber: Int($0)) } : nil
            invoices.append(.init(terms: terms, currency: cur, amountMinor: amount, issueDate: LocalDate(dayNumber: Int(r.int(3))), settledOn: settled, discountMinor: r.int(6)))
        }
        return DiscountEffectiveness.groups(invoices, asOf: asOf)
    }
}
