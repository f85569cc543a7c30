import Foundation

/// The event types webhooks can subscribe to.
public enum EventType: String, Sendable, CaseIterable, Codable {
    case invoiceCreated = "invoice.created"
    case paymentReceived = "payment.received"
    case invoicePaid = "invoice.paid"
    case invoiceOverdue = "invoice.overdue"
    /// A customer was put on credit hold (the ERP should block new orders).
    case customerCreditHold = "customer.credit_hold"
    /// A customer's credit hold was lifted.
    case customerCreditRelease = "customer.credit_release"
    /// A payment plan defaulted: its invoices are due again and a task was opened (escalate in the ERP or CRM too).
    case paymentPlanDefaulted = "payment_plan.defaulted"
    /// A retrained payment model sees a customer crossing into high risk, or paying much later than it expected before.
    case customerRiskAlert = "customer.risk_alert"
}

/// Queues outgoing events for a company's webhook subscriptions inside the caller's transaction (a transactional
/// outbox): an event exists if and only if the change that caused it committed. Load it once per transaction.
public struct EventSink: Sendable {
    struct Subscription: Sendable { let id: Int64; let events: Set<String> }
    let company: Int64
    let subscriptions: [Subscription]

    public static let none = EventSink(company: 0, subscriptions: [])

    public static func load(_ c: any Connection, company: Int64) async throws -> EventSink {
        let subs = try await c.query("SELECT id, events FROM webhook_subscription WHERE company_id = $1 AND active = 1", [.int(company)])
            .map { Subscription(id: $0.int(0), events: Set($0.text(1).split(separator: ",").map { String($0).trimmingCharacters(in: .whitespaces) })) }
        return EventSink(company: company, subscriptions: subs)
    }

    public var isEmpty: Bool { subscriptions.isEmpty }

    /// Queues `type` with `data` for every subscription that wants it. `eventID` must be unique per event; a
    /// repeated id is ignored (so re-running a job never queues an event twice).
    public func emit(_ c: any Connection, _ type: EventType, eventID: String, data: [String: Any], now: Int64) async throws {
        let targets = subscriptions.filter { $0.events.contains(type.rawValue) || $0.events.contains("*") }
        guard !targets.isEmpty else { return }
        let envelope: [String: Any] = ["id": eventID, "type": type.rawValue, "created_at": now, "data": data]
        let payload = String(data: try JSONSerialization.data(withJSONObject: envelope, options: [.sortedKeys]), encoding: .utf8)!
        for s in targets {
            try await c.execute(
                """
                INSERT INTO webhook_delivery (company_id, subscription_id, event_id, event_type, payload, status, attempts, next_attempt_at, created_at)
                VALUES ($1, $2, $3, $4, $5, 'pending', 0, $6, $6)
                ON CONFLICT (company_id, subscription_id, event_id) DO NOTHING
                """,
                [.int(company), .int(s.id), .text(eventID), .text(type.rawValue), .text(payload), .int(now)])
        }
    }
}
