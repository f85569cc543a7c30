import CobroCore
import Foundation

/// One line of a customer's timeline: what happened, when, and a short description.
public struct TimelineEvent: Sendable, Hashable {
    /// Epoch milliseconds (documents and payments: noon UTC of their date).
    public var at: Int64
    /// `interaction`, `message`, `payment`, `invoice`, `credit_note`, `debit_note`, `promise`, `plan`, `dispute`, `change`.
    public var type: String
    public var ref: String?
    public var summary: String
    public var by: String?
    /// The invoices an interaction was about.
    public var invoices: [String] = []
}

/// Interactions with customers (calls, emails, notes, visits) and the customer's timeline, which puts them together
/// with reminders, documents, payments, promises and disputes.
public enum InteractionStore {
    /// Records an interaction (audited). Throws `StoreError.invalid` with the field at fault.
    public static func record(
        _ c: any Connection, company: Int64, customerRef: String, kind: InteractionKind, outcome: CallOutcome?, atMillis: Int64, summary: String?,
        contactName: String?, invoiceRefs: [String], actor: String, now: Int64
    ) async throws -> Int64 {
        guard let customer = try await LedgerQueries.customerID(c, company: company, ref: customerRef)
        else { throw StoreError.notFound("customer \(customerRef) does not exist") }
        if let p = InteractionRules.problems(kind: kind, outcome: outcome, atMillis: atMillis, nowMillis: now, summary: summary).first {
            throw StoreError.invalid(field: p.field, p.message)
        }
        if let dup = Dictionary(grouping: invoiceRefs.indices, by: { invoiceRefs[$0] }).first(where: { $0.value.count > 1 }) {
            throw StoreError.invalid(field: "invoices[\(dup.value[1])]", "\(dup.key) is named twice")
        }
        var ids: [Int64] = []
        for (i, ref) in invoiceRefs.enumerated() {
            guard let r = try await c.first("SELECT id, customer_id FROM invoice WHERE company_id = $1 AND ref = $2", [.int(company), .text(ref)]), r.int(1) == customer
            else { throw StoreError.invalid(field: "invoices[\(i)]", "\(ref) is not a document of \(customerRef)") }
            ids.append(r.int(0))
        }
        let id = try await c.first(
            """
            INSERT INTO interaction (company_id, customer_id, kind, outcome, at, summary, contact_name, created_at, created_by)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id
            """,
            [.int(company), .int(customer), .text(kind.rawValue), .of(outcome?.rawValue), .int(atMillis), .of(summary), .of(contactName), .int(now), .text(actor)])!.int(0)
        try await c.insertRows("interaction_item", columns: ["company_id", "interaction_id", "invoice_id"], ids.map { [.int(company), .int(id), .int($0)] })
        try await Audit.record(
            c, company: company, actor: actor, action: "interaction.\(kind.rawValue)", entity: "customer", ref: customerRef, before: nil,
            after: ["interaction": String(id), "outcome": outcome?.rawValue ?? ""], at: now)
        return id
    }

    /// The customer's timeline, newest first: at most `limit` events of each source, merged and cut to `limit`.
    /// The customer's latest `limit` events of `types` (all when `nil`), newest first; `nil` for an unknown customer.
    public static func timeline(
        _ c: any Connection, company: Int64, customerRef: String, limit: Int, types: Set<String>? = nil
    ) async throws -> [TimelineEvent]? {
        guard let customer = try await LedgerQueries.customerID(c, company: company, ref: customerRef)
        else { return nil }
        let binds: [SQLValue] = [.int(company), .int(customer), .int(Int64(limit))]
        let noon: (Int64) -> Int64 = { $0 * 86_400_000 + 43_200_000 }
        var out: [TimelineEvent] = []
        var linked: [Int64: [String]] = [:]
        try await c.forEach(
            """
            SELECT xi.interaction_id, i.ref FROM interaction_item xi JOIN interaction x ON x.company_id = xi.company_id AND x.id = xi.interaction_id
            JOIN invoice i ON i.company_id = xi.company_id AND i.id = xi.invoice_id
            WHERE xi.company_id = $1 AND x.customer_id = $2 ORDER BY i.ref
            """, [.int(company), .int(customer)]
        ) { r in linked[r.int(0), default: []].append(r.text(1)) }
        for r in try await c.query(
            """
            SELECT x.id, x.kind, x.outcome, x.at, x.summary, x.created_by FROM interaction x WHERE x.company_id = $1 AND x.customer_id = $2
            ORDER BY x.at DESC LIMIT $3
            """, binds)
        {
            let outcome = r.textOrNil(2).map { " (\($0))" } ?? ""
            let invoices = linked[r.int(0)] ?? []
            let about = invoices.isEmpty ? "" : " [\(invoices.joined(separator: ", "))]"
            out.append(TimelineEvent(
                at: r.int(3), type: "interaction", ref: String(r.int(0)), summary: "\(r.text(1))\(outcome)\(about): \(r.textOrNil(4) ?? "")", by: r.text(5),
                invoices: invoices))
        }
        for r in try await c.query(
            """
            SELECT m.id, m.channel, m.step_id, m.status, COALESCE(m.sent_at, m.created_at), m.subject FROM message m WHERE m.company_id = $1 AND m.customer_id = $2
            ORDER BY m.id DESC LIMIT $3
            """, binds)
        {
            out.append(TimelineEvent(at: r.int(4), type: "message", ref: String(r.int(0)), summary: "\(r.text(1)) \(r.text(2)) (\(r.text(3))): \(r.text(5))", by: nil))
        }
        for r in try await c.query(
            "SELECT ref, payment_day, amount, currency FROM payment WHERE company_id = $1 AND customer_id = $2 ORDER BY payment_day DESC, id DESC LIMIT $3", binds)
        {
            let cur = Currency(code: r.text(3))
            out.append(TimelineEvent(
                at: noon(r.int(1)), type: "payment", ref: r.text(0),
                summary: "payment of \(cur.map { Money(minor: r.int(2), $0).decimalString } ?? String(r.int(2))) \(r.text(3))", by: nil))
        }
        for r in try await c.query(
            "SELECT ref, kind, issue_day, amount, currency FROM invoice WHERE company_id = $1 AND customer_id = $2 ORDER BY issue_day DESC, id DESC LIMIT $3", binds)
        {
            let cur = Currency(code: r.text(4))
            out.append(TimelineEvent(
                at: noon(r.int(2)), type: r.text(1), ref: r.text(0),
                summary: "\(r.text(1).replacing("_", with: " ")) of \(cur.map { Money(minor: r.int(3), $0).decimalString } ?? String(r.int(3))) \(r.text(4))", by: nil))
        }
        for r in try await c.query(
            "SELECT id, created_at, amount, currency, promise_day, status, created_by FROM promise WHERE company_id = $1 AND customer_id = $2 ORDER BY id DESC LIMIT $3",
            binds)
        {
            let cur = Currency(code: r.text(3))
            out.append(TimelineEvent(
                at: r.int(1), type: "promise", ref: String(r.int(0)),
                summary: "promise of \(cur.map { Money(minor: r.int(2), $0).decimalString } ?? "") \(r.text(3)) by \(LocalDate(dayNumber: Int(r.int(4))).iso) (\(r.text(5)))",
                by: r.text(6)))
        }
        for r in try await c.query(
            """
            SELECT d.id, d.opened_at, d.reason, d.status, i.ref, d.opened_by FROM dispute d JOIN invoice i ON i.company_id = d.company_id AND i.id = d.invoice_id
            WHERE d.company_id = $1 AND i.customer_id = $2 ORDER BY d.id DESC LIMIT $3
            """, binds)
        {
            out.append(TimelineEvent(at: r.int(1), type: "dispute", ref: String(r.int(0)), summary: "dispute on \(r.text(4)): \(r.text(2)) (\(r.text(3)))", by: r.text(5)))
        }
        for r in try await c.query(
            "SELECT id, created_at, total, currency, status, created_by FROM payment_plan WHERE company_id = $1 AND customer_id = $2 ORDER BY id DESC LIMIT $3", binds)
        {
            let cur = Currency(code: r.text(3))
            out.append(TimelineEvent(
                at: r.int(1), type: "plan", ref: String(r.int(0)),
                summary: "payment plan of \(cur.map { Money(minor: r.int(2), $0).decimalString } ?? "") \(r.text(3)) (\(r.text(4)))", by: r.text(5)))
        }
        // Changes: the audit log of the customer and of its documents, less what has an event of its own above.
        let ref = try await c.first("SELECT customer_ref FROM customer WHERE company_id = $1 AND id = $2", [.int(company), .int(customer)])!.text(0)
        for r in try await c.query(
            """
            SELECT e.id, e.at, e.action, e.entity_ref, e.before_json, e.after_json, e.actor FROM audit_event e
            WHERE e.company_id = $1 AND ((e.entity = 'customer' AND e.entity_ref = $4)
                  OR (e.entity = 'invoice' AND e.entity_ref IN (SELECT i.ref FROM invoice i WHERE i.company_id = $1 AND i.customer_id = $2)))
              AND e.action NOT LIKE '%.create' AND e.action NOT LIKE 'interaction.%' AND e.action NOT LIKE 'promise.%'
              AND e.action NOT LIKE 'dispute.%' AND e.action NOT LIKE 'plan.%'
            ORDER BY e.id DESC LIMIT $3
            """, binds + [.text(ref)])
        {
            out.append(TimelineEvent(
                at: r.int(1), type: "change", ref: r.textOrNil(3),
                summary: Self.changeSummary(action: r.text(2), before: r.textOrNil(4), after: r.textOrNil(5)), by: r.text(6)))
        }
        // Each source reads its own latest `limit`, so filtering the merge still yields the latest `limit` of `types`.
        if let types { out = out.filter { types.contains($0.type) } }
        return Array(out.sorted { ($0.at, $0.type) > ($1.at, $1.type) }.prefix(limit))
    }

    /// `customer.collector: collector ana → beto` from an audit entry's JSON objects of text values (unchanged values
    /// are left out; at most 240 characters).
    static func changeSummary(action: String, before: String?, after: String?) -> String {
        func fields(_ text: String?) -> [String: String] {
            guard let text, let o = try? JSONDecoder().decode([String: String?].self, from: Data(text.utf8)) else { return [:] }
            return o.mapValues { $0 ?? "—" }
        }
        let (old, new) = (fields(before), fields(after))
        let parts = Set(old.keys).union(new.keys).sorted().compactMap { k -> String? in
            switch (old[k], new[k]) {
            case (let a?, let b?): return a == b ? nil : "\(k) \(a) → \(b)"
            case (nil, let b?): return "\(k) \(b)"
            case (let a?, nil): return "\(k) \(a) removed"
            default: return nil
            }
        }
        let text = parts.isEmpty ? action : "\(action): \(parts.joined(separator: ", "))"
        return text.count <= 240 ? text : String(text.prefix(239)) + "…"
    }
}
