import CobroCore
import Foundation

/// A customer's refusal of one channel, with when and why (issue 3, point 9).
public struct ChannelOptOut: Sendable, Hashable {
    public var channel: DunningChannel
    public var since: LocalDate
    public var reason: String
    public var createdAt: Int64
    public var createdBy: String
}

/// Channel opt-outs per customer. Adding one for a channel already opted out replaces its date and reason;
/// every change is audited. Queued messages on that channel are cancelled at once, so an opt-out takes effect
/// before the next delivery, not only at the next run.
public enum OptOutStore {
    public static func list(_ c: any Connection, company: Int64, customer: Int64) async throws -> [ChannelOptOut] {
        try await c.query(
            "SELECT channel, since_day, reason, created_at, created_by FROM channel_opt_out WHERE company_id = $1 AND customer_id = $2 ORDER BY channel",
            [.int(company), .int(customer)]
        ).compactMap { r in
            DunningChannel(rawValue: r.text(0)).map {
                ChannelOptOut(channel: $0, since: LocalDate(dayNumber: Int(r.int(1))), reason: r.text(2), createdAt: r.int(3), createdBy: r.text(4))
            }
        }
    }

    /// Records the opt-out and cancels the customer's queued messages on that channel; returns how many were cancelled.
    @discardableResult
    public static func add(
        _ c: any Connection, company: Int64, customer: Int64, customerRef: String, channel: DunningChannel, since: LocalDate, reason: String,
        actor: String, now: Int64
    ) async throws -> Int {
        try await c.execute(
            "DELETE FROM channel_opt_out WHERE company_id = $1 AND customer_id = $2 AND channel = $3",
            [.int(company), .int(customer), .text(channel.rawValue)])
        try await c.execute(
            """
            INSERT INTO channel_opt_out (company_id, customer_id, channel, since_day, reason, created_at, created_by)
            VALUES ($1, $2, $3, $4, $5, $6, $7)
            """, [.int(company), .int(customer), .text(channel.rawValue), .int(Int64(since.dayNumber)), .text(reason), .int(now), .text(actor)])
        // A statement is an email too: refusing email refuses statements.
        let channels = channel == .email ? "'email', 'statement'" : "'\(channel.rawValue)'"
        let cancelled = try await c.query(
            """
            UPDATE message SET status = 'cancelled', last_error = 'customer opted out of this channel'
            WHERE company_id = $1 AND customer_id = $2 AND channel IN (\(channels)) AND status = 'queued' RETURNING id
            """, [.int(company), .int(customer)]
        ).count
        try await Audit.record(
            c, company: company, actor: actor, action: "opt_out.add", entity: "customer", ref: customerRef, before: nil,
            after: ["channel": channel.rawValue, "since": since.iso, "reason": reason, "cancelled_messages": String(cancelled)], at: now)
        return cancelled
    }

    /// Removes the opt-out; `false` when there was none.
    public static func remove(
        _ c: any Connection, company: Int64, customer: Int64, customerRef: String, channel: DunningChannel, actor: String, now: Int64
    ) async throws -> Bool {
        let gone = try await c.query(
            "DELETE FROM channel_opt_out WHERE company_id = $1 AND customer_id = $2 AND channel = $3 RETURNING reason",
            [.int(company), .int(customer), .text(channel.rawValue)])
        guard let old = gone.first else { return false }
        try await Audit.record(
            c, company: company, actor: actor, action: "opt_out.remove", entity: "customer", ref: customerRef,
            before: ["channel": channel.rawValue, "reason": old.text(0)], after: nil, at: now)
        return true
    }
}
