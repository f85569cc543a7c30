import Foundation

/// The append-only audit log: who did what, when, with the values before and after.
public enum Audit {
    public static func record(
        _ c: any Connection, company: Int64, actor: String, action: String, entity: String, ref: String?,
        before: [String: String]?, after: [String: String]?, at: Int64
    ) async throws {
        try await c.execute(
            """
            INSERT INTO audit_event (company_id, at, actor, action, entity, entity_ref, before_json, after_json)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
            """,
            [.int(company), .int(at), .text(actor), .text(action), .text(entity), .of(ref), .of(before.map(json)), .of(after.map(json))])
    }

    static func json(_ d: [String: String]) -> String {
        let data = try? JSONSerialization.data(withJSONObject: d, options: [.sortedKeys])
        return data.flatMap { String(data: $0, encoding: .utf8) } ?? "{}"
    }

    public struct Event: Sendable, Codable, Equatable {
        public var id: Int64
        public var at: Int64
        public var actor: String
        public var action: String
        public var entity: String
        public var entityRef: String?
        public var before: String?
        public var after: String?
    }

    /// What to select from the audit log; every filter that is set must hold.
    public struct Filter: Sendable, Hashable {
        public var entity: String?
        public var ref: String?
        /// Who acted, e.g. `token:erp`, `cli`, `dunning`.
        public var actor: String?
        /// A customer's ref: events on the customer itself and on its invoices, credit and debit notes and payments.
        public var customerRef: String?
        /// Epoch milliseconds, `from` inclusive, `to` exclusive.
        public var fromMillis: Int64?
        public var toMillis: Int64?

        public init(entity: String? = nil, ref: String? = nil, actor: String? = nil, customerRef: String? = nil, fromMillis: Int64? = nil, toMillis: Int64? = nil) {
            self.entity = entity
            self.ref = ref
            self.actor = actor
            self.customerRef = customerRef
            self.fromMillis = fromMillis
            self.toMillis = toMillis
        }
    }

    public static func list(_ c: any Connection, company: Int64, entity: String?, ref: String?, afterID: Int64, limit: Int) async throws -> [Event] {
        try await list(c, company: company, Filter(entity: entity, ref: ref), afterID: afterID, limit: limit)
    }

    /// Events matching `filter`, oldest first, after the event `afterID` (keyset pagination).
    public static func list(_ c: any Connection, company: Int64, _ filter: Filter, afterID: Int64, limit: Int) async throws -> [Event] {
        var sql = "SELECT id, at, actor, action, entity, entity_ref, before_json, after_json FROM audit_event WHERE company_id = $1 AND id > $2"
        var binds: [SQLValue] = [.int(company), .int(afterID)]
        func add(_ v: SQLValue, _ clause: (String) -> String) {
            binds.append(v)
            sql += " AND " + clause("$\(binds.count)")
        }
        if let v = filter.entity { add(.text(v)) { "entity = \($0)" } }
        if let v = filter.ref { add(.text(v)) { "entity_ref = \($0)" } }
        if let v = filter.actor { add(.text(v)) { "actor = \($0)" } }
        if let v = filter.fromMillis { add(.int(v)) { "at >= \($0)" } }
        if let v = filter.toMillis { add(.int(v)) { "at < \($0)" } }
        if let v = filter.customerRef {
            add(.text(v)) { p in
                """
                ((entity = 'customer' AND entity_ref = \(p))
                 OR (entity = 'invoice' AND entity_ref IN (SELECT i.ref FROM invoice i JOIN customer cu ON cu.company_id = i.company_id AND cu.id = i.customer_id
                                                           WHERE i.company_id = $1 AND cu.customer_ref = \(p)))
                 OR (entity = 'payment' AND entity_ref IN (SELECT y.ref FROM payment y JOIN customer cu ON cu.company_id = y.company_id AND cu.id = y.customer_id
                                                           WHERE y.company_id = $1 AND cu.customer_ref = \(p))))
                """
            }
        }
        binds.append(.int(Int64(limit)))
        sql += " ORDER BY id LIMIT $\(binds.count)"
        return try await c.query(sql, binds).map {
            Event(id: $0.int(0), at: $0.int(1), actor: $0.text(2), action: $0.text(3), entity: $0.text(4), entityRef: $0.textOrNil(5), before: $0.textOrNil(6), after: $0.textOrNil(7))
        }
    }
}
