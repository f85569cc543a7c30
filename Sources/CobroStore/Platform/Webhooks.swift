import CobroCore
import Foundation

public struct WebhookSubscription: Sendable, Equatable {
    public var id: Int64
    public var url: String
    public var events: [String]
    public var active: Bool
    public var createdAt: Int64
}

public struct WebhookDelivery: Sendable, Equatable {
    public var id: Int64
    public var companyID: Int64
    public var subscriptionID: Int64
    public var eventID: String
    public var eventType: String
    public var payload: String
    public var status: String
    public var attempts: Int
    public var lastStatus: Int?
    public var lastError: String?
    public var nextAttemptAt: Int64
    public var deliveredAt: Int64?
}

/// Webhook subscriptions and the delivery queue (claimed with a lease; `FOR UPDATE SKIP LOCKED` on PostgreSQL,
/// the single SQLite writer otherwise), so several servers never deliver the same attempt twice at once.
public enum WebhookStore {
    public static func create(_ c: any Connection, company: Int64, url: String, events: [String], secret: String, actor: String, now: Int64) async throws -> WebhookSubscription {
        let id = try await c.first(
            "INSERT INTO webhook_subscription (company_id, url, secret, events, active, created_at) VALUES ($1, $2, $3, $4, 1, $5) RETURNING id",
            [.int(company), .text(url), .text(secret), .text(events.joined(separator: ",")), .int(now)])!.int(0)
        try await Audit.record(c, company: company, actor: actor, action: "webhook.create", entity: "webhook_subscription", ref: String(id), before: nil,
                               after: ["url": url, "events": events.joined(separator: ",")], at: now)
        return WebhookSubscription(id: id, url: url, events: events, active: true, createdAt: now)
    }

    public static func list(_ c: any Connection, company: Int64) async throws -> [WebhookSubscription] {
        try await c.query("SELECT id, url, events, active, created_at FROM webhook_subscription WHERE company_id = $1 ORDER BY id", [.int(company)]).map {
            WebhookSubscription(id: $0.int(0), url: $0.text(1), events: $0.text(2).split(separator: ",").map(String.init), active: $0.bool(3), createdAt: $0.int(4))
        }
    }

    /// Deactivates a subscription (kept, with its delivery log). Returns false if it does not exist.
    public static func deactivate(_ c: any Connection, company: Int64, id: Int64, actor: String, now: Int64) async throws -> Bool {
        guard try await c.first("UPDATE webhook_subscription SET active = 0 WHERE company_id = $1 AND id = $2 AND active = 1 RETURNING id", [.int(company), .int(id)]) != nil else { return false }
        try await Audit.record(c, company: company, actor: actor, action: "webhook.deactivate", entity: "webhook_subscription", ref: String(id), before: ["active": "true"], after: ["active": "false"], at: now)
        return true
    }

    static let deliveryCols = "id, company_id, subscription_id, event_id, event_type, payload, status, attempts, last_status, last_error, next_attempt_at, delivered_at"
    static func delivery(_ r: SQLRow) -> WebhookDelivery {
        WebhookDelivery(id: r.int(0), companyID: r.int(1), subscriptionID: r.int(2), eventID: r.text(3), eventType: r.text(4), payload: r.text(5), status: r.text(6),
                        attempts: Int(r.int(7)), lastStatus: r.intOrNil(8).map(Int.init), lastError: r.textOrNil(9), nextAttemptAt: r.int(10), deliveredAt: r.intOrNil(11))
    }

    public static func deliveries(_ c: any Connection, company: Int64, subscriptionID: Int64, after: Int64, limit: Int) async throws -> [WebhookDelivery] {
        try await c.query(
            "SELECT \(deliveryCols) FROM webhook_delivery WHERE company_id = $1 AND subscription_id = $2 AND id > $3 ORDER BY id LIMIT $4",
            [.int(company), .int(subscriptionID), .int(after), .int(Int64(limit))]).map(delivery)
    }

    /// Claims up to `limit` due deliveries for `leaseMillis` (all companies; the worker is process-wide).
    public static func claim(_ c: any Connection, now: Int64, leaseMillis: Int64, limit: Int) async throws -> [(WebhookDelivery, url: String, secret: String)] {
        let lock = c.dialect == .postgres ? "FOR UPDATE SKIP LOCKED" : ""
        let ids = try await c.query(
            """
            SELECT id, company_id FROM webhook_delivery
            WHERE status = 'pending' AND next_attempt_at <= $1 AND (locked_until IS NULL OR locked_until < $1)
            ORDER BY next_attempt_at, id LIMIT $2 \(lock)
            """, [.int(now), .int(Int64(limit))])
        var out: [(WebhookDelivery, String, String)] = []
        for r in ids {
            guard let row = try await c.first(
                """
                UPDATE webhook_delivery SET locked_until = $3 WHERE company_id = $1 AND id = $2
                RETURNING \(deliveryCols)
                """, [.int(r.int(1)), .int(r.int(0)), .int(now + leaseMillis)]) else { continue }
            let d = delivery(row)
            guard let sub = try await c.first("SELECT url, secret, active FROM webhook_subscription WHERE company_id = $1 AND id = $2", [.int(d.companyID), .int(d.subscriptionID)]) else { continue }
            guard sub.bool(2) else {
                // Deactivated after the event was queued: nothing more goes out for it.
                try await c.execute("UPDATE webhook_delivery SET status = 'failed', last_error = 'subscription deactivated', locked_until = NULL WHERE company_id = $1 AND id = $2",
                                    [.int(d.companyID), .int(d.id)])
                continue
            }
            out.append((d, sub.text(0), sub.text(1)))
        }
        return out
    }

    /// Records one attempt. Failed attempts are retried with exponential backoff (30 s · 2^attempt, capped at
    /// 6 h) until `maxAttempts`, then marked failed.
    public static func recordAttempt(_ c: any Connection, delivery d: WebhookDelivery, httpStatus: Int?, error: String?, now: Int64, maxAttempts: Int = 10) async throws {
        let attempts = d.attempts + 1
        let ok = httpStatus.map { (200..<300).contains($0) } ?? false
        let status = ok ? "delivered" : (attempts >= maxAttempts ? "failed" : "pending")
        let backoff = min(Int64(30_000) << Int64(min(attempts, 20)), 6 * 3_600_000)
        try await c.execute(
            """
            UPDATE webhook_delivery SET attempts = $3, status = $4, last_status = $5, last_error = $6, next_attempt_at = $7, locked_until = NULL,
                   delivered_at = $8
            WHERE company_id = $1 AND id = $2
            """,
            [.int(d.companyID), .int(d.id), .int(Int64(attempts)), .text(status), .of(httpStatus), .of(error), .int(now + backoff), ok ? .int(now) : .null])
    }

    /// Emits `invoice.overdue` once per invoice on its first day past due (in the company's time zone). After
    /// downtime, invoices that became overdue within the last `catchUpDays` still get their event; older ones are
    /// marked without an event (nobody wants a flood of stale "first day overdue" messages).
    public static func emitOverdue(_ db: any Database, clock: Clock, catchUpDays: Int = 3) async throws -> Int {
        let companies = try await db.read { c in try await CompanyStore.all(c) }
        var emitted = 0
        for company in companies {
            let today = clock.today(in: company.timezone)
            emitted += try await db.transaction { c in
                let sink = try await EventSink.load(c, company: company.id)
                let now = clock.nowMillis()
                let rows = try await c.query(
                    """
                    SELECT i.id, i.ref, cu.customer_ref, i.due_day, i.currency, i.open_amount FROM invoice i
                    JOIN customer cu ON cu.company_id = i.company_id AND cu.id = i.customer_id
                    WHERE i.company_id = $1 AND i.open_amount > 0 AND i.kind <> 'credit_note' AND i.due_day < $2 AND i.overdue_notified = 0
                    """, [.int(company.id), .int(Int64(today.dayNumber))])
                var n = 0
                for r in rows {
                    if r.int(3) >= Int64(today.dayNumber - catchUpDays), !sink.isEmpty, let cur = Currency(code: r.text(4)) {
                        try await sink.emit(c, .invoiceOverdue, eventID: "invoice.overdue:\(r.int(0))", data: [
                            "ref": r.text(1), "customer_ref": r.text(2), "due_date": LocalDate(dayNumber: Int(r.int(3))).iso, "currency": cur.code,
                            "open_amount": Money(minor: r.int(5), cur).decimalString, "days_past_due": today.dayNumber - Int(r.int(3)),
                        ], now: now)
                        n += 1
                    }
                    try await c.execute("UPDATE invoice SET overdue_notified = 1 WHERE company_id = $1 AND id = $2", [.int(company.id), .int(r.int(0))])
                }
                return n
            }
        }
        return emitted
    }
}
