import CSQLite
import Foundation

/// A SQLite connection with a statement cache. Not thread-safe: ``SQLiteDatabase`` lends it to one task at a time.
public final class SQLiteConnection: Connection, @unchecked Sendable {
    public let dialect = SQLDialect.sqlite
    private var db: OpaquePointer?
    private var cache: [String: OpaquePointer] = [:]

    /// Library-wide settings, applied once before the first connection opens.
    private static let configured: Void = { _ = cobro_sqlite_disable_memstatus() }()

    init(path: String, readOnly: Bool, reader: Bool = false) throws {
        SQLiteConnection.configured
        let flags = (readOnly ? SQLITE_OPEN_READONLY : (SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE)) | SQLITE_OPEN_NOMUTEX
        var handle: OpaquePointer?
        let rc = sqlite3_open_v2(path, &handle, flags, nil)
        guard rc == SQLITE_OK, let handle else {
            let msg = handle.map { String(cString: sqlite3_errmsg($0)) } ?? "cannot open"
            sqlite3_close(handle)
            throw DatabaseError(.other, "cannot open SQLite database \(path): \(msg)")
        }
        db = handle
        sqlite3_busy_timeout(handle, 10_000)
        let cacheKB = ProcessInfo.processInfo.environment["COBRO_SQLITE_CACHE_MB"].flatMap(Int.init).map { $0 * 1024 } ?? 65536
        try execSync("PRAGMA foreign_keys = ON; PRAGMA synchronous = NORMAL; PRAGMA temp_store = MEMORY; PRAGMA cache_size = -\(cacheKB);")
        if !readOnly { try execSync("PRAGMA journal_mode = WAL;") }
        if reader {
            // Reports read large parts of the file; mapping it avoids a read() system call per page.
            try execSync("PRAGMA mmap_size = 4294967296;")
        }
    }

    func closeNow() {
        for (_, s) in cache { sqlite3_finalize(s) }
        cache.removeAll()
        if let db { sqlite3_close_v2(db) }
        db = nil
    }

    deinit { closeNow() }

    func execSync(_ sql: String) throws {
        var err: UnsafeMutablePointer<CChar>?
        if sqlite3_exec(db, sql, nil, nil, &err) != SQLITE_OK {
            let msg = err.map { String(cString: $0) } ?? "error"
            sqlite3_free(err)
            throw DatabaseError(kindFor(sqlite3_errcode(db)), msg, sql: sql)
        }
    }

    private func kindFor(_ code: Int32) -> DatabaseError.Kind {
        switch code & 0xff {
        case SQLITE_CONSTRAINT: return .constraint
        case SQLITE_BUSY, SQLITE_LOCKED: return .busy
        default: return .other
        }
    }

    /// `$1` → `?1` (SQLite's numbered parameter), so statements are written once for both engines.
    static func translate(_ sql: String) -> String {
        var out = ""
        out.reserveCapacity(sql.utf8.count)
        var inString = false
        for ch in sql {
            if ch == "'" { inString.toggle() }
            out.append(ch == "$" && !inString ? "?" : ch)
        }
        return out
    }

    private func prepare(_ sql: String) throws -> OpaquePointer {
        if let s = cache[sql] { return s }
        var stmt: OpaquePointer?
        let rc = sqlite3_prepare_v3(db, SQLiteConnection.translate(sql), -1, UInt32(SQLITE_PREPARE_PERSISTENT), &stmt, nil)
        guard rc == SQLITE_OK, let stmt else {
            throw DatabaseError(kindFor(rc), String(cString: sqlite3_errmsg(db)), sql: sql)
        }
        cache[sql] = stmt
        return stmt
    }

    private static let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)

    func run(_ sql: String, _ binds: [SQLValue], _ row: (SQLRow) throws -> Void) throws {
        let stmt = try prepare(sql)
        defer {
            sqlite3_reset(stmt)
            sqlite3_clear_bindings(stmt)
        }
        for (i, b) in binds.enumerated() {
            let idx = Int32(i + 1)
            switch b {
            case .null: sqlite3_bind_null(stmt, idx)
            case .int(let v): sqlite3_bind_int64(stmt, idx, v)
            case .text(let s): sqlite3_bind_text(stmt, idx, s, -1, SQLiteConnection.transient)
            case .bytes(let b): _ = b.withUnsafeBytes { sqlite3_bind_blob(stmt, idx, $0.baseAddress, Int32($0.count), SQLiteConnection.transient) }
            }
        }
        let current = SQLRow(statement: stmt)
        while true {
            let rc = sqlite3_step(stmt)
            if rc == SQLITE_DONE { return }
            guard rc == SQLITE_ROW else {
                throw DatabaseError(kindFor(rc), String(cString: sqlite3_errmsg(db)), sql: sql)
            }
            try row(current)
        }
    }

    public func query(_ sql: String, _ binds: [SQLValue]) async throws -> [SQLRow] {
        var rows: [SQLRow] = []
        try run(sql, binds) { rows.append($0.materialized()) }
        return rows
    }

    public func forEach(_ sql: String, _ binds: [SQLValue], _ row: (SQLRow) throws -> Void) async throws {
        try run(sql, binds, row)
    }

    public func executeScript(_ sql: String) async throws { try execSync(sql) }

    /// A statement prepared for many executions by a hot loop (a bulk load), bound and stepped without the
    /// per-call statement lookup and value boxing of ``query(_:_:)``. It must not outlive the connection.
    func statement(_ sql: String) throws -> SQLiteStatement {
        var stmt: OpaquePointer?
        let rc = sqlite3_prepare_v3(db, SQLiteConnection.translate(sql), -1, UInt32(SQLITE_PREPARE_PERSISTENT), &stmt, nil)
        guard rc == SQLITE_OK, let stmt else { throw DatabaseError(kindFor(rc), String(cString: sqlite3_errmsg(db)), sql: sql) }
        return SQLiteStatement(stmt, connection: self, sql: sql)
    }

    /// Rows changed by the last statement, and the rowid of the last row inserted (for ``SQLiteStatement`` loops).
    var changes: Int32 { sqlite3_changes(db) }
    var lastInsertRowID: Int64 { sqlite3_last_insert_rowid(db) }

    fileprivate func error(_ rc: Int32, sql: String) -> DatabaseError {
        DatabaseError(kindFor(rc), String(cString: sqlite3_errmsg(db)), sql: sql)
    }
}

/// The texts of one execution of a ``SQLiteStatement``, packed in one reusable buffer.
final class SQLiteTextArena {
    /// Starts with one byte, so even an empty text has an address.
    fileprivate var bytes: [UInt8] = [0]
    fileprivate var texts: [(index: Int32, start: Int, count: Int)] = []

    init() {
        bytes.reserveCapacity(4096)
        texts.reserveCapacity(32)
    }

    /// Sets parameter `index` to `s` (NULL when nil) for the next ``SQLiteStatement/step(binding:)``.
    func add(_ index: Int32, _ s: String?) {
        guard let s else { texts.append((index, 0, -1)); return }
        let start = bytes.count
        bytes.append(contentsOf: s.utf8)
        texts.append((index, start, bytes.count - start))
    }

    fileprivate func clear() {
        bytes.removeSubrange(1...)
        texts.removeAll(keepingCapacity: true)
    }
}

/// See ``SQLiteConnection/statement(_:)``. Parameters are numbered from 1.
final class SQLiteStatement {
    private let stmt: OpaquePointer
    private let connection: SQLiteConnection
    private let sql: String

    fileprivate init(_ stmt: OpaquePointer, connection: SQLiteConnection, sql: String) {
        self.stmt = stmt
        self.connection = connection
        self.sql = sql
    }

    deinit { sqlite3_finalize(stmt) }

    func bind(_ i: Int32, _ v: Int64) { sqlite3_bind_int64(stmt, i, v) }

    /// Binds the arena's texts in place (SQLite does not copy them), steps once, resets and empties the arena:
    /// on a bulk load, copying each text into SQLite's own allocation costs more than the insert.
    func step(binding arena: SQLiteTextArena) throws {
        defer { arena.clear() }
        try arena.bytes.withUnsafeBufferPointer { buf in
            for t in arena.texts {
                if t.count < 0 {
                    sqlite3_bind_null(stmt, t.index)
                } else {
                    // SQLITE_STATIC (nil): the buffer stays put until after the reset below.
                    sqlite3_bind_text(stmt, t.index, UnsafeRawPointer(buf.baseAddress! + t.start).assumingMemoryBound(to: CChar.self), Int32(t.count), nil)
                }
            }
            defer { sqlite3_reset(stmt) }
            let rc = sqlite3_step(stmt)
            guard rc == SQLITE_DONE || rc == SQLITE_ROW else { throw connection.error(rc, sql: sql) }
        }
    }

}

/// Waits in FIFO order for one of a fixed set of resources.
actor ResourcePool<R: Sendable> {
    private var free: [R]
    private var waiters: [CheckedContinuation<R, Never>] = []

    init(_ items: [R]) { free = items }

    func acquire() async -> R {
        if let r = free.popLast() { return r }
        return await withCheckedContinuation { waiters.append($0) }
    }

    func release(_ r: R) {
        if !waiters.isEmpty {
            waiters.removeFirst().resume(returning: r)
        } else {
            free.append(r)
        }
    }

    func drain() -> [R] {
        let all = free
        free = []
        return all
    }
}

/// SQLite in WAL mode: one writer connection (SQLite has a single writer anyway; `BEGIN IMMEDIATE` takes the
/// write lock up front so a transaction never fails half-way on a lock upgrade) and a few reader connections
/// that read concurrently with the writer.
///
/// Statements run synchronously on the calling task: SQLite calls are short (microseconds), and long reports
/// take tens of milliseconds; this avoids a thread hop per statement, which matters on the import path.
public final class SQLiteDatabase: Database {
    public let dialect = SQLDialect.sqlite
    public let path: String
    private let writer: ResourcePool<SQLiteConnection>
    private let readers: ResourcePool<SQLiteConnection>

    /// Opens (creating if needed) the database file at `path`.
    public init(path: String, readers readerCount: Int = 4) throws {
        self.path = path
        let w = try SQLiteConnection(path: path, readOnly: false)
        writer = ResourcePool([w])
        var rs: [SQLiteConnection] = []
        for _ in 0..<readerCount { rs.append(try SQLiteConnection(path: path, readOnly: false, reader: true)) }
        readers = ResourcePool(rs)
    }

    public func read<T: Sendable>(_ body: @Sendable (any Connection) async throws -> T) async throws -> T {
        // A deferred transaction takes its WAL snapshot at the first read and keeps it until COMMIT.
        try await inTransaction(readers, "BEGIN DEFERRED", body)
    }

    public func transaction<T: Sendable>(_ body: @Sendable (any Connection) async throws -> T) async throws -> T {
        try await inTransaction(writer, "BEGIN IMMEDIATE", body)
    }

    /// A write transaction in which SQLite does not check foreign keys, for a bulk load that resolves every
    /// reference itself inside the same transaction (so nothing can change under it). Checking them costs a parent
    /// lookup per key and row — on a million-row load, as much as the inserts.
    public func transactionWithoutForeignKeyChecks<T: Sendable>(_ body: @Sendable (any Connection) async throws -> T) async throws -> T {
        try await inTransaction(writer, "BEGIN IMMEDIATE", body, foreignKeys: false)
    }

    /// Runs `body` on a connection of `pool` between `begin` and COMMIT (ROLLBACK if it throws).
    private func inTransaction<T: Sendable>(
        _ pool: ResourcePool<SQLiteConnection>, _ begin: String, _ body: @Sendable (any Connection) async throws -> T, foreignKeys: Bool = true
    ) async throws -> T {
        let c = await pool.acquire()
        // The setting only changes outside a transaction; it is restored before the connection goes back.
        if !foreignKeys { try? c.execSync("PRAGMA foreign_keys = OFF") }
        func giveBack() async {
            if !foreignKeys { try? c.execSync("PRAGMA foreign_keys = ON") }
            await pool.release(c)
        }
        do {
            try c.execSync(begin)
            let v = try await body(c)
            try c.execSync("COMMIT")
            await giveBack()
            return v
        } catch {
            try? c.execSync("ROLLBACK")
            await giveBack()
            throw error
        }
    }

    public func close() async {
        for c in await readers.drain() { c.closeNow() }
        for c in await writer.drain() { c.closeNow() }
    }
}

// Column access for statement-backed rows (``SQLRow``): reads the current row of a stepped statement.

func sqliteColumnCount(_ s: OpaquePointer) -> Int32 { sqlite3_column_count(s) }

/// The column as an integer, converted by SQLite like ``SQLRow/int(_:)`` converts (NULL is 0, text is parsed).
func sqliteInt(_ s: OpaquePointer, _ i: Int) -> Int64 { sqlite3_column_int64(s, Int32(i)) }

/// The column as text, converted by SQLite like ``SQLRow/text(_:)`` converts (NULL is empty, integers in decimal).
func sqliteText(_ s: OpaquePointer, _ i: Int) -> String {
    guard let p = sqlite3_column_text(s, Int32(i)) else { return "" }
    return String(decoding: UnsafeBufferPointer(start: p, count: Int(sqlite3_column_bytes(s, Int32(i)))), as: UTF8.self)
}

func sqliteValue(_ s: OpaquePointer, _ i: Int) -> SQLValue {
    let c = Int32(i)
    switch sqlite3_column_type(s, c) {
    case SQLITE_NULL: return .null
    case SQLITE_INTEGER: return .int(sqlite3_column_int64(s, c))
    case SQLITE_FLOAT: return .int(Int64(sqlite3_column_double(s, c)))
    case SQLITE_BLOB:
        let n = Int(sqlite3_column_bytes(s, c))
        guard n > 0, let p = sqlite3_column_blob(s, c) else { return .bytes([]) }
        return .bytes(Array(UnsafeRawBufferPointer(start: p, count: n)))
    default:
        guard let p = sqlite3_column_text(s, c) else { return .null }
        return .text(String(decoding: UnsafeBufferPointer(start: p, count: Int(sqlite3_column_bytes(s, c))), as: UTF8.self))
    }
}
