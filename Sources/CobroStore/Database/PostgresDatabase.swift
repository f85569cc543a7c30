import Foundation
import Logging
import NIOCore
import PostgresNIO

/// A PostgreSQL connection lent by ``PostgresDatabase``.
final class PostgresConn: Connection, @unchecked Sendable {
    let dialect = SQLDialect.postgres
    let connection: PostgresConnection
    let logger: Logger

    init(_ connection: PostgresConnection, logger: Logger) {
        self.connection = connection
        self.logger = logger
    }

    private func makeQuery(_ sql: String, _ binds: [SQLValue]) -> PostgresQuery {
        var b = PostgresBindings(capacity: binds.count)
        for v in binds {
            switch v {
            case .null: b.appendNull()
            case .int(let i): b.append(i)
            case .text(let s): b.append(s)
            case .bytes(let bytes): b.append(ByteBuffer(bytes: bytes))
            }
        }
        return PostgresQuery(unsafeSQL: sql, binds: b)
    }

    /// Reads a cell straight from its wire bytes for the types Cobro stores (binary integers, text), and through
    /// PostgresNIO's decoders otherwise.
    private static func value(_ cell: PostgresCell) throws -> SQLValue {
        guard var bytes = cell.bytes else { return .null }
        if cell.format == .binary {
            switch cell.dataType {
            case .int8: if let v = bytes.readInteger(as: Int64.self) { return .int(v) }
            case .int4: if let v = bytes.readInteger(as: Int32.self) { return .int(Int64(v)) }
            case .int2: if let v = bytes.readInteger(as: Int16.self) { return .int(Int64(v)) }
            case .text, .varchar: return .text(String(buffer: bytes))
            case .bytea: return .bytes(bytes.readBytes(length: bytes.readableBytes) ?? [])
            default: break
            }
        }
        switch cell.dataType {
        case .int8: return .int(try cell.decode(Int64.self))
        case .int4: return .int(Int64(try cell.decode(Int32.self)))
        case .int2: return .int(Int64(try cell.decode(Int16.self)))
        case .bool: return .int(try cell.decode(Bool.self) ? 1 : 0)
        case .bytea:
            var buffer = try cell.decode(ByteBuffer.self)
            return .bytes(buffer.readBytes(length: buffer.readableBytes) ?? [])
        default: return .text(try cell.decode(String.self))
        }
    }

    private func wrap(_ error: any Error, _ sql: String) -> any Error {
        if let e = error as? PSQLError {
            let code = e.serverInfo?[.sqlState] ?? ""
            let msg = e.serverInfo?[.message] ?? "\(e.code)"
            let kind: DatabaseError.Kind = code.hasPrefix("23") ? .constraint : (code == "40001" || code == "40P01" ? .busy : .other)
            return DatabaseError(kind, msg, sql: sql)
        }
        return error
    }

    func query(_ sql: String, _ binds: [SQLValue]) async throws -> [SQLRow] {
        var rows: [SQLRow] = []
        try await forEach(sql, binds) { rows.append($0) }
        return rows
    }

    func forEach(_ sql: String, _ binds: [SQLValue], _ row: (SQLRow) throws -> Void) async throws {
        do {
            let seq = try await connection.query(makeQuery(sql, binds), logger: logger)
            for try await r in seq {
                var values: [SQLValue] = []
                values.reserveCapacity(r.count)
                for cell in r { values.append(try PostgresConn.value(cell)) }
                try row(SQLRow(values))
            }
        } catch let e as DatabaseError {
            throw e
        } catch {
            throw wrap(error, sql)
        }
    }

    /// Runs each statement of a script in turn (the extended protocol takes one statement at a time).
    func executeScript(_ sql: String) async throws {
        for statement in PostgresConn.split(sql) {
            do {
                _ = try await connection.query(PostgresQuery(unsafeSQL: statement), logger: logger).collect()
            } catch {
                throw wrap(error, statement)
            }
        }
    }

    /// Splits a script at `;` outside quotes and `$$` bodies.
    static func split(_ sql: String) -> [String] {
        var out: [String] = []
        var current = ""
        var inQuote = false, inDollar = false
        var prev: Character = " "
        for ch in sql {
            if ch == "'" && !inDollar { inQuote.toggle() }
            if ch == "$" && prev == "$" && !inQuote { inDollar.toggle() }
            if ch == ";" && !inQuote && !inDollar {
                if !current.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty { out.append(current) }
                current = ""
            } else {
                current.append(ch)
            }
            prev = ch
        }
        if !current.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty { out.append(current) }
        return out
    }
}

/// PostgreSQL through PostgresNIO's connection pool (`PostgresClient`). The client runs as a long-lived task
/// started by ``open(url:logger:)`` and stopped by ``close()``.
public final class PostgresDatabase: Database {
    public let dialect = SQLDialect.postgres
    let client: PostgresClient
    let logger: Logger
    private let runTask: Task<Void, Never>

    /// Parses `postgres://user:password@host:port/database` and starts the pool.
    public init(url: String, logger: Logger = PostgresDatabase.defaultLogger) throws {
        guard let u = URLComponents(string: url), let host = u.host, let user = u.user else {
            throw DatabaseError(.other, "invalid PostgreSQL URL \"\(url)\"; expected postgres://USER[:PASSWORD]@HOST[:PORT]/DATABASE")
        }
        let db = u.path.hasPrefix("/") ? String(u.path.dropFirst()) : u.path
        var config = PostgresClient.Configuration(
            host: host, port: u.port ?? 5432, username: user, password: u.password, database: db.isEmpty ? user : db, tls: .disable)
        config.options.maximumConnections = 16
        // Cobro's statements are index scans over known shapes; JIT compilation (on by default) costs ~300 ms on
        // report queries whose estimated cost crosses its threshold, far more than it saves.
        config.options.additionalStartupParameters = [("jit", "off")]
        self.client = PostgresClient(configuration: config, backgroundLogger: logger)
        self.logger = logger
        let c = client
        runTask = Task { await c.run() }
    }

    /// Connection failures are retried quietly by the pool; ``checkReachable(timeout:)`` reports them once.
    public static var defaultLogger: Logger {
        var l = Logger(label: "cobro.postgres")
        l.logLevel = .critical
        return l
    }

    /// Fails with a one-line reason if no connection can be made within `timeout` (the pool itself would wait
    /// and retry forever).
    public func checkReachable(timeout: Duration = .seconds(10)) async throws {
        try await withThrowingTaskGroup(of: Bool.self) { group in
            group.addTask {
                _ = try await self.read { c in try await c.first("SELECT 1", []) }
                return true
            }
            group.addTask {
                try await Task.sleep(for: timeout)
                return false
            }
            let ok = try await group.next() ?? false
            group.cancelAll()
            if !ok { throw DatabaseError(.other, "cannot connect to PostgreSQL within \(timeout) (is the server running and the URL right?)") }
        }
    }

    public func read<T: Sendable>(_ body: @Sendable (any Connection) async throws -> T) async throws -> T {
        try await inTransaction("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY", body)
    }

    public func transaction<T: Sendable>(_ body: @Sendable (any Connection) async throws -> T) async throws -> T {
        try await inTransaction("BEGIN", body)
    }

    /// Runs `body` on a pooled connection between `begin` and COMMIT (ROLLBACK if it throws).
    private func inTransaction<T: Sendable>(_ begin: String, _ body: @Sendable (any Connection) async throws -> T) async throws -> T {
        let logger = self.logger
        return try await client.withConnection { conn in
            let c = PostgresConn(conn, logger: logger)
            try await c.executeScript(begin)
            do {
                let v = try await body(c)
                try await c.executeScript("COMMIT")
                return v
            } catch {
                try? await c.executeScript("ROLLBACK")
                throw error
            }
        }
    }

    public func close() async {
        runTask.cancel()
        _ = await runTask.value
    }
}

/// Opens the database named by a Cobro database URL: `postgres://…` / `postgresql://…` selects PostgreSQL;
/// `sqlite:PATH` or a plain file path selects SQLite.
public func openDatabase(url: String) throws -> any Database {
    if url.hasPrefix("postgres://") || url.hasPrefix("postgresql://") {
        return try PostgresDatabase(url: url)
    }
    var path = url
    if path.hasPrefix("sqlite://") { path = String(path.dropFirst("sqlite://".count)) }
    else if path.hasPrefix("sqlite:") { path = String(path.dropFirst("sqlite:".count)) }
    guard !path.isEmpty else { throw DatabaseError(.other, "empty SQLite path in database URL \"\(url)\"") }
    return try SQLiteDatabase(path: path)
}
