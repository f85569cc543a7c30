import CobroCore
import Foundation

/// A message claimed for delivery.
public struct OutboxMessage: Sendable, Hashable {
    public var companyID: Int64
    public var id: Int64
    public var channel: DunningChannel
    public var recipient: String
    public var language: String
    public var subject: String
    public var text: String
    public var html: String?
    /// 1 on the first attempt.
    public var attempt: Int
}

/// The outbox's state changes. Delivery is at least once: a claimed message is leased (`status = 'sending'`,
/// `next_attempt_at` = end of the lease); a worker that dies mid-send leaves the lease to expire, and the message
/// is claimed again. A resend carries the same Message-ID (derived from the row), so receivers can drop the
/// duplicate; an (invoice, step) still has exactly one message row.
public enum OutboxStore {
    /// Claims up to `limit` messages of `channels` due at `now` (queued, or sending with an expired lease).
    ///
    /// First cancels the due messages that no longer ask for anything: every invoice they list has since been paid,
    /// credited or disputed in full. A message with one invoice still to collect goes out as composed.
    /// With `company`, only that company's messages.
    public static func claim(
        _ c: any Connection, channels: [DunningChannel], now: Int64, leaseMillis: Int64, limit: Int, company: Int64? = nil
    ) async throws -> [OutboxMessage] {
        let lock = c.dialect == .postgres ? "FOR UPDATE SKIP LOCKED" : ""
        let list = channels.map { "'\($0.rawValue)'" }.joined(separator: ", ")
        let scope = company.map { " AND company_id = \($0)" } ?? ""
        try await c.execute(
            """
            UPDATE message SET status = 'cancelled', last_error = 'paid, credited or disputed before it was sent'
            WHERE status = 'queued' AND next_attempt_at <= $1 AND channel IN (\(list))\(scope)
              AND NOT EXISTS (SELECT 1 FROM message_item mi JOIN invoice i ON i.company_id = mi.company_id AND i.id = mi.invoice_id
                              WHERE mi.company_id = message.company_id AND mi.message_id = message.id
                                AND i.open_amount > \(DunningStore.disputedAmount("i")))
            """, [.int(now)])
        let due = try await c.query(
            """
            SELECT company_id, id FROM message
            WHERE status IN ('queued', 'sending') AND next_attempt_at <= $1 AND channel IN (\(list))\(scope)
            ORDER BY next_attempt_at, id LIMIT $2 \(lock)
            """, [.int(now), .int(Int64(limit))])
        var out: [OutboxMessage] = []
        for r in due {
            guard let m = try await c.first(
                """
                UPDATE message SET status = 'sending', attempts = attempts + 1, next_attempt_at = $3
                WHERE company_id = $1 AND id = $2 AND status IN ('queued', 'sending') AND next_attempt_at <= $4
                RETURNING company_id, id, channel, recipient, language, subject, body_text, body_html, attempts
                """, [.int(r.int(0)), .int(r.int(1)), .int(now + leaseMillis), .int(now)])
            else { continue }
            out.append(OutboxMessage(
                companyID: m.int(0), id: m.int(1), channel: DunningChannel(rawValue: m.text(2)) ?? .email, recipient: m.text(3), language: m.text(4),
                subject: m.text(5), text: m.text(6), html: m.textOrNil(7), attempt: Int(m.int(8))))
        }
        return out
    }

    public static func markSent(_ c: any Connection, _ m: OutboxMessage, providerID: String, now: Int64) async throws {
        try await c.execute(
            "UPDATE message SET status = 'sent', sent_at = $3, provider_id = $4, last_error = NULL WHERE company_id = $1 AND id = $2",
            [.int(m.companyID), .int(m.id), .int(now), .text(providerID)])
    }

    /// Records a failed attempt: retried with exponential backoff and jitter (1 min · 2^(attempt−1) ± 20 %, at most
    /// 6 h) unless `permanent` or after `maxAttempts`; then `failed`, and a `delivery_failed` task tells the
    /// collector to reach the customer another way.
    public static func markFailed(_ c: any Connection, _ m: OutboxMessage, error: String, permanent: Bool, now: Int64, maxAttempts: Int = 8) async throws {
        if permanent || m.attempt >= maxAttempts {
            try await c.execute(
                "UPDATE message SET status = 'failed', last_error = $3 WHERE company_id = $1 AND id = $2",
                [.int(m.companyID), .int(m.id), .text(error)])
            try await TaskStore.deliveryFailed(c, company: m.companyID, message: m.id, error: error, now: now)
            return
        }
        let base = min(Int64(60_000) << Int64(min(m.attempt - 1, 20)), 6 * 3_600_000)
        let jitter = Int64.random(in: -(base / 5)...(base / 5))
        try await c.execute(
            "UPDATE message SET status = 'queued', last_error = $3, next_attempt_at = $4 WHERE company_id = $1 AND id = $2",
            [.int(m.companyID), .int(m.id), .text(error), .int(now + base + jitter)])
    }

    /// What a printed letter needs beyond the message: the company's and customer's names and the run's date.
    public static func letterFacts(_ c: any Connection, _ m: OutboxMessage) async throws -> (company: String, customer: String, customerRef: String, runDay: LocalDate)? {
        guard let r = try await c.first(
            """
            SELECT co.name, cu.name, cu.customer_ref, m.run_day FROM message m
            JOIN customer cu ON cu.company_id = m.company_id AND cu.id = m.customer_id JOIN company co ON co.id = m.company_id
            WHERE m.company_id = $1 AND m.id = $2
            """, [.int(m.companyID), .int(m.id)])
        else { return nil }
        return (r.text(0), r.text(1), r.text(2), LocalDate(dayNumber: Int(r.int(3))))
    }

    /// What an account-statement email needs to attach the statement: the customer, its postal address, the
    /// message's currency and run day, and the statements of the period `runDay − 89 days … runDay`.
    public static func statementFacts(_ c: any Connection, _ m: OutboxMessage) async throws
        -> (company: String, customer: String, customerRef: String, address: String?, currency: Currency, runDay: LocalDate, statements: [Statement])?
    {
        guard let r = try await c.first(
            """
            SELECT co.name, cu.name, cu.customer_ref, cu.postal_address, m.currency, m.run_day FROM message m
            JOIN customer cu ON cu.company_id = m.company_id AND cu.id = m.customer_id JOIN company co ON co.id = m.company_id
            WHERE m.company_id = $1 AND m.id = $2
            """, [.int(m.companyID), .int(m.id)]),
            let currency = Currency(code: r.text(4))
        else { return nil }
        let day = LocalDate(dayNumber: Int(r.int(5)))
        let statements = try await ReportStore(c, company: m.companyID).statements(customerRef: r.text(2), from: day.adding(days: -89), to: day) ?? []
        return (r.text(0), r.text(1), r.text(2), r.textOrNil(3), currency, day, statements)
    }
}

extension OutboxStore {
    /// Records that a sent email bounced (reported by the mail provider, e.g. through its webhook): status
    /// `bounced` with the reason, and a `delivery_failed` task for the collector (once). Audited. Returns `false` when
    /// the message does not exist; refuses a message that is not a sent email or statement.
    public static func markBounced(_ c: any Connection, company: Int64, id: Int64, reason: String, actor: String, now: Int64) async throws -> Bool {
        guard let m = try await c.first(
            "SELECT channel, status FROM message WHERE company_id = $1 AND id = $2", [.int(company), .int(id)])
        else { return false }
        guard ["email", "statement"].contains(m.text(0)) else {
            throw StoreError.invalid(field: "id", "message \(id) is a \(m.text(0)) message; only emails and statements bounce")
        }
        guard m.text(1) == "sent" || m.text(1) == "bounced" else {
            throw StoreError.conflict("message \(id) is \(m.text(1)); only a sent message can bounce")
        }
        guard m.text(1) == "sent" else { return true }
        try await c.execute(
            "UPDATE message SET status = 'bounced', last_error = $3 WHERE company_id = $1 AND id = $2", [.int(company), .int(id), .text(reason)])
        try await TaskStore.deliveryFailed(c, company: company, message: id, error: "bounced: \(reason)", now: now)
        try await Audit.record(
            c, company: company, actor: actor, action: "message.bounced", entity: "message", ref: String(id), before: ["status": "sent"],
            after: ["status": "bounced", "reason": reason], at: now)
        return true
    }
}
