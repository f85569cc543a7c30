import CobroCore
import Foundation

/// A piece of work for a collector: a call a dunning step asked for, or a message that could not be delivered.
public struct CollectorTask: Sendable, Hashable {
    public enum Kind: String, Sendable, CaseIterable {
        /// A dunning step's call: the text holds the talking points.
        case call
        /// A message failed for good (refused address, too many attempts): find another way to reach the customer.
        case deliveryFailed = "delivery_failed"
        /// A step asked to hand the customer over to an agency or legal: done = handed over (reminders stop).
        case handOver = "hand_over"
        /// A promise to pay was broken: follow up with the customer.
        case promiseBroken = "promise_broken"
        /// A payment plan defaulted (too many missed installments).
        case planDefaulted = "plan_defaulted"
        /// A dispute is past its due date.
        case disputeOverdue = "dispute_overdue"
        /// A retrained payment model finds the customer's risk much worse (high risk, or many more days late expected).
        case riskAlert = "risk_alert"
    }

    public enum Status: String, Sendable, CaseIterable {
        case open, done, cancelled
    }

    public var id: Int64
    public var kind: Kind
    public var status: Status
    public var customerRef: String
    public var customerName: String
    public var dueDay: LocalDate
    public var title: String
    public var detail: String
    public var messageID: Int64?
    public var outcome: String?
    public var createdAt: Int64
    public var closedAt: Int64?
    public var closedBy: String?
}

/// The collectors' task list (issue 3, point 14; the workspace builds on it).
///
/// Tasks are created exactly once per cause: a call message becomes one task (the message is marked sent with the
/// task's id in the same transaction), and a failed message at most one `delivery_failed` task
/// (`UNIQUE (company_id, message_id, kind)`).
public enum TaskStore {
    /// Turns the call messages due at `now` into open tasks and marks them sent; returns how many.
    /// Call messages whose invoices have all been paid, credited or disputed meanwhile are cancelled instead.
    /// Runs in the caller's transaction; with `company`, only that company's.
    @discardableResult
    public static func releaseCalls(_ c: any Connection, now: Int64, company: Int64? = nil, limit: Int = 1_000) async throws -> Int {
        let due = try await OutboxStore.claim(c, channels: [.call], now: now, leaseMillis: 60_000, limit: limit, company: company)
        for m in due {
            let task = try await c.first(
                """
                INSERT INTO task (company_id, customer_id, kind, status, due_day, title, detail, message_id, created_at)
                SELECT company_id, customer_id, 'call', 'open', run_day, $3, body_text, id, $4 FROM message WHERE company_id = $1 AND id = $2
                RETURNING id
                """, [.int(m.companyID), .int(m.id), .text("Call: \(m.subject)"), .int(now)])!.int(0)
            try await OutboxStore.markSent(c, m, providerID: "task:\(task)", now: now)
        }
        return due.count
    }

    /// Opens a `delivery_failed` task for a message that failed for good (none if one exists already).
    static func deliveryFailed(_ c: any Connection, company: Int64, message: Int64, error: String, now: Int64) async throws {
        try await c.execute(
            """
            INSERT INTO task (company_id, customer_id, kind, status, due_day, title, detail, message_id, created_at)
            SELECT company_id, customer_id, 'delivery_failed', 'open', $3, 'Could not deliver the ' || channel || ' to ' || recipient, $4, id, $5
            FROM message WHERE company_id = $1 AND id = $2
            ON CONFLICT DO NOTHING
            """, [.int(company), .int(message), .int(now / 86_400_000), .text(error), .int(now)])
    }

    /// Tasks in id order (oldest first); `after` is the last id of the previous page.
    public static func list(
        _ c: any Connection, company: Int64, status: CollectorTask.Status?, kind: CollectorTask.Kind?, customerRef: String?, after: Int64, limit: Int
    ) async throws -> [CollectorTask] {
        var sql = """
            SELECT t.id, t.kind, t.status, cu.customer_ref, cu.name, t.due_day, t.title, t.detail, t.message_id, t.outcome, t.created_at,
                   t.closed_at, t.closed_by
            FROM task t JOIN customer cu ON cu.company_id = t.company_id AND cu.id = t.customer_id
            WHERE t.company_id = $1 AND t.id > $2
            """
        var binds: [SQLValue] = [.int(company), .int(after)]
        if let status {
            binds.append(.text(status.rawValue))
            sql += " AND t.status = $\(binds.count)"
        }
        if let kind {
            binds.append(.text(kind.rawValue))
            sql += " AND t.kind = $\(binds.count)"
        }
        if let customerRef {
            binds.append(.text(customerRef))
            sql += " AND cu.customer_ref = $\(binds.count)"
        }
        binds.append(.int(Int64(limit)))
        sql += " ORDER BY t.id LIMIT $\(binds.count)"
        return try await c.query(sql, binds).map(task)
    }

    public static func get(_ c: any Connection, company: Int64, id: Int64) async throws -> CollectorTask? {
        try await c.first(
            """
            SELECT t.id, t.kind, t.status, cu.customer_ref, cu.name, t.due_day, t.title, t.detail, t.message_id, t.outcome, t.created_at,
                   t.closed_at, t.closed_by
            FROM task t JOIN customer cu ON cu.company_id = t.company_id AND cu.id = t.customer_id
            WHERE t.company_id = $1 AND t.id = $2
            """, [.int(company), .int(id)]
        ).map(task)
    }

    /// Closes an open task as done (or cancelled) with what came of it; audited. Closing a closed task is refused.
    public static func close(
        _ c: any Connection, company: Int64, id: Int64, status: CollectorTask.Status, outcome: String, actor: String, now: Int64
    ) async throws -> CollectorTask {
        guard let before = try await get(c, company: company, id: id) else { throw StoreError.notFound("task \(id) does not exist") }
        guard before.status == .open else { throw StoreError.conflict("task \(id) is already \(before.status.rawValue)") }
        try await c.execute(
            "UPDATE task SET status = $3, outcome = $4, closed_at = $5, closed_by = $6 WHERE company_id = $1 AND id = $2",
            [.int(company), .int(id), .text(status.rawValue), .text(outcome), .int(now), .text(actor)])
        if before.kind == .handOver, status == .done {
            try await c.execute(
                "UPDATE customer SET handed_over = 1 WHERE company_id = $1 AND id = (SELECT customer_id FROM task WHERE company_id = $1 AND id = $2)",
                [.int(company), .int(id)])
            try await Audit.record(
                c, company: company, actor: actor, action: "customer.handed_over", entity: "customer", ref: before.customerRef, before: nil,
                after: ["handed_over": "true", "task": String(id)], at: now)
        }
        try await Audit.record(
            c, company: company, actor: actor, action: "task.close", entity: "task", ref: String(id), before: ["status": "open"],
            after: ["status": status.rawValue, "outcome": outcome], at: now)
        return try await get(c, company: company, id: id)!
    }

    static func task(_ r: SQLRow) -> CollectorTask {
        CollectorTask(
            id: r.int(0), kind: CollectorTask.Kind(rawValue: r.text(1)) ?? .call, status: CollectorTask.Status(rawValue: r.text(2)) ?? .open,
            customerRef: r.text(3), customerName: r.text(4), dueDay: LocalDate(dayNumber: Int(r.int(5))), title: r.text(6), detail: r.text(7),
            messageID: r.intOrNil(8), outcome: r.textOrNil(9), createdAt: r.int(10), closedAt: r.intOrNil(11), closedBy: r.textOrNil(12))
    }
}
