/// The SQL dialect of a database; the same statements run on both, and the few differences are named here.
public enum SQLDialect: String, Sendable {
    case sqlite, postgres
}

/// A connection lent to a closure by ``Database``. Statements use `$1, $2, …` placeholders on both engines.
/// A connection must not escape the closure it was lent to.
public protocol Connection: AnyObject, Sendable {
    var dialect: SQLDialect { get }
    /// Runs a statement and returns all its rows.
    func query(_ sql: String, _ binds: [SQLValue]) async throws -> [SQLRow]
    /// Runs a statement, calling `row` for each result row as it arrives (memory stays flat for big results).
    func forEach(_ sql: String, _ binds: [SQLValue], _ row: (SQLRow) throws -> Void) async throws
    /// Runs one or more statements without binds (DDL, BEGIN/COMMIT).
    func executeScript(_ sql: String) async throws
}

extension Connection {
    public func execute(_ sql: String, _ binds: [SQLValue] = []) async throws {
        try await forEach(sql, binds) { _ in }
    }
    public func first(_ sql: String, _ binds: [SQLValue] = []) async throws -> SQLRow? {
        var result: SQLRow?
        try await forEach(sql, binds) { r in if result == nil { result = r.materialized() } }
        return result
    }
    /// Inserts `rows` (each one value per column) with multi-row `INSERT … VALUES (…), (…)` statements of at most
    /// `chunk` rows: one statement (one round trip on PostgreSQL) instead of one per row. `suffix` ends each statement
    /// (an `ON CONFLICT` clause, a `RETURNING` list); the rows a `RETURNING` gives back are returned.
    @discardableResult
    public func insertRows(_ table: String, columns: [String], _ rows: [[SQLValue]], chunk: Int = 100, suffix: String = "") async throws -> [SQLRow] {
        var returned: [SQLRow] = []
        var start = 0
        while start < rows.count {
            let part = rows[start..<min(start + chunk, rows.count)]
            var sql = "INSERT INTO \(table) (\(columns.joined(separator: ", "))) VALUES "
            var binds: [SQLValue] = []
            binds.reserveCapacity(part.count * columns.count)
            for (i, row) in part.enumerated() {
                precondition(row.count == columns.count, "insertRows: a row has \(row.count) values for \(columns.count) columns")
                sql += (i == 0 ? "(" : ", (") + (1...columns.count).map { "$\(binds.count + $0)" }.joined(separator: ", ") + ")"
                binds += row
            }
            returned += try await query(suffix.isEmpty ? sql : sql + " " + suffix, binds)
            start += chunk
        }
        return returned
    }

    /// Refreshes the planner's statistics of `tables` after a bulk change, so queries keep choosing the right
    /// indexes (statistics taken while every customer was unassigned say a collector holds all of them). On SQLite a
    /// sample of each index is enough and keeps this to milliseconds on a million rows.
    public func refreshStatistics(_ tables: [String]) async throws {
        if dialect == .postgres {
            try await executeScript("ANALYZE \(tables.joined(separator: ", "))")
        } else {
            try await executeScript("PRAGMA analysis_limit = 10000")
            for t in tables { try await executeScript("ANALYZE \(t)") }
            // SQLite reads statistics when a connection loads the schema, and ANALYZE does not change the schema: a
            // running server's reader connections kept planning with the old figures (one collector's worklist took
            // 310 ms after a bulk assignment, 65 ms in a new process). A schema change makes every connection reload.
            try await executeScript("CREATE TABLE statistics_epoch (x INTEGER); DROP TABLE statistics_epoch;")
        }
    }

    /// Runs `body` inside a savepoint: its writes all happen or none do, without ending the outer transaction.
    public func savepoint<T>(_ body: () async throws -> T) async throws -> T {
        try await executeScript("SAVEPOINT row_sp")
        do {
            let v = try await body()
            try await executeScript("RELEASE SAVEPOINT row_sp")
            return v
        } catch {
            try? await executeScript("ROLLBACK TO SAVEPOINT row_sp")
            try? await executeScript("RELEASE SAVEPOINT row_sp")
            throw error
        }
    }
}

/// A database Cobro stores its ledger in: SQLite (embedded default) or PostgreSQL.
public protocol Database: Sendable {
    var dialect: SQLDialect { get }
    /// Lends a connection for reading, inside one read-only snapshot: every statement of `body` sees the same
    /// committed state, so a report made of several statements is consistent. Writes are not allowed.
    func read<T: Sendable>(_ body: @Sendable (any Connection) async throws -> T) async throws -> T
    /// Runs `body` in one transaction: committed if it returns, rolled back if it throws.
    func transaction<T: Sendable>(_ body: @Sendable (any Connection) async throws -> T) async throws -> T
    /// Closes all connections. The database cannot be used afterwards.
    func close() async
}
