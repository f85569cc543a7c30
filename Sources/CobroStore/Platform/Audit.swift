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

    public static func list(_ c: any Connection, company: Int64, entity: String?, ref: String?, afterID: Int64, limit: Int) async throws -> [Event] {
        var sql = "SELECT id, at, actor, action, entity, entity_ref, before_json, after_json FROM audit_event WHERE company_id = $1 AND id > $2"
        var binds: [SQLValue] = [.int(company), .int(afterID)]
        if let entity { binds.append(.text(entity)); sql += " AND entity = $\(binds.count)" }
        if let ref { binds.append(.text(ref)); sql += " AND entity_ref = $\(binds.count)" }
        binds.append(.int(Int64(limit)))
        sql += " ORDER BY id LIMIT $\(binds.count)"
        return try await c.query(sql, binds).map {
            Event(id: $0.int(0), at: $0.int(1), actor: $0.text(2), action: $0.text(3), entity: $0.text(4), entityRef: $0.textOrNil(5), before: $0.textOrNil(6), after: $0.textOrNil(7))
        }
    }
}
