import CobroCore
import Foundation

/// An outbox message as the API shows it.
public struct MessageView: Sendable, Hashable {
    public var id: Int64
    public var customerRef: String
    public var stepID: String
    public var template: String?
    public var channel: String
    public var status: String
    public var currency: String
    public var total: Int64
    public var language: String
    public var recipient: String
    public var subject: String
    public var attempts: Int64
    public var nextAttemptAt: Int64
    public var lastError: String?
    public var providerID: String?
    public var runDay: LocalDate
    public var createdAt: Int64
    public var sentAt: Int64?
    public var invoiceRefs: [String]
}

/// Reads the outbox for people: what was sent, what waits, what failed and why.
public enum MessageQueries {
    public static let statuses = ["queued", "sending", "sent", "failed", "bounced", "cancelled"]

    /// Messages by id, filtered; `after` is the last id of the previous page.
    public static func list(
        _ c: any Connection, company: Int64, status: String?, channel: DunningChannel?, customerRef: String?, after: Int64, limit: Int
    ) async throws -> [MessageView] {
        var sql = """
            SELECT m.id, cu.customer_ref, m.step_id, m.template, m.channel, m.status, m.currency, m.total, m.language, m.recipient, m.subject,
                   m.attempts, m.next_attempt_at, m.last_error, m.provider_id, m.run_day, m.created_at, m.sent_at
            FROM message m JOIN customer cu ON cu.company_id = m.company_id AND cu.id = m.customer_id
            WHERE m.company_id = $1 AND m.id > $2
            """
        var binds: [SQLValue] = [.int(company), .int(after)]
        if let status {
            binds.append(.text(status))
            sql += " AND m.status = $\(binds.count)"
        }
        if let channel {
            binds.append(.text(channel.rawValue))
            sql += " AND m.channel = $\(binds.count)"
        }
        if let customerRef {
            binds.append(.text(customerRef))
            sql += " AND cu.customer_ref = $\(binds.count)"
        }
        binds.append(.int(Int64(limit)))
        sql += " ORDER BY m.id LIMIT $\(binds.count)"
        var out = try await c.query(sql, binds).map { r in
            MessageView(
                id: r.int(0), customerRef: r.text(1), stepID: r.text(2), template: r.textOrNil(3), channel: r.text(4), status: r.text(5),
                currency: r.text(6), total: r.int(7), language: r.text(8), recipient: r.text(9), subject: r.text(10), attempts: r.int(11),
                nextAttemptAt: r.int(12), lastError: r.textOrNil(13), providerID: r.textOrNil(14), runDay: LocalDate(dayNumber: Int(r.int(15))),
                createdAt: r.int(16), sentAt: r.intOrNil(17), invoiceRefs: [])
        }
        guard let first = out.first, let last = out.last else { return out }
        var refs: [Int64: [String]] = [:]
        try await c.forEach(
            """
            SELECT mi.message_id, i.ref FROM message_item mi JOIN invoice i ON i.company_id = mi.company_id AND i.id = mi.invoice_id
            WHERE mi.company_id = $1 AND mi.message_id BETWEEN $2 AND $3 ORDER BY mi.message_id, i.ref
            """, [.int(company), .int(first.id), .int(last.id)]
        ) { r in refs[r.int(0), default: []].append(r.text(1)) }
        for i in out.indices { out[i].invoiceRefs = refs[out[i].id] ?? [] }
        return out
    }
}
