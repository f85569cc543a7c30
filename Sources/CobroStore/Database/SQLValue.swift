/// A value bound to or read from SQL. Cobro stores integers (money in minor units, day numbers, epoch
/// milliseconds, booleans as 0/1) and text, which keeps SQLite and PostgreSQL behaving the same — and bytes for the
/// content of attached files only (SQLite BLOB, PostgreSQL BYTEA).
public enum SQLValue: Sendable, Equatable, Hashable {
    case null
    case int(Int64)
    case text(String)
    case bytes([UInt8])
}

extension SQLValue: ExpressibleByIntegerLiteral, ExpressibleByStringLiteral {
    public init(integerLiteral value: Int64) { self = .int(value) }
    public init(stringLiteral value: String) { self = .text(value) }
}

extension SQLValue {
    public static func of(_ v: Int64?) -> SQLValue { v.map { .int($0) } ?? .null }
    public static func of(_ v: Int?) -> SQLValue { v.map { .int(Int64($0)) } ?? .null }
    public static func of(_ v: String?) -> SQLValue { v.map { .text($0) } ?? .null }
    public static func of(_ v: Bool) -> SQLValue { .int(v ? 1 : 0) }
}

/// One result row; columns by position, in the order of the SELECT list.
///
/// A row handed to a `forEach` callback may read its columns straight from the engine's current result (no copy
/// per row); it is valid only during that callback. Rows returned by `query`/`first` own their values.
public struct SQLRow: @unchecked Sendable {
    private enum Storage {
        case values([SQLValue])
        /// A SQLite statement positioned on this row.
        case statement(OpaquePointer)
    }
    private let storage: Storage

    public init(_ values: [SQLValue]) { storage = .values(values) }
    init(statement: OpaquePointer) { storage = .statement(statement) }

    /// Every column's value (copied out of the engine for a statement-backed row).
    public var values: [SQLValue] {
        switch storage {
        case .values(let v): return v
        case .statement(let s): return (0..<Int(sqliteColumnCount(s))).map { sqliteValue(s, $0) }
        }
    }

    /// A copy that owns its values, valid after the callback returns.
    func materialized() -> SQLRow {
        if case .statement = storage { return SQLRow(values) }
        return self
    }

    private func value(_ i: Int) -> SQLValue {
        switch storage {
        case .values(let v): return v[i]
        case .statement(let s): return sqliteValue(s, i)
        }
    }

    public func int(_ i: Int) -> Int64 {
        if case .statement(let s) = storage { return sqliteInt(s, i) }
        switch value(i) {
        case .int(let v): return v
        case .text(let s): return Int64(s) ?? 0
        case .null, .bytes: return 0
        }
    }
    public func intOrNil(_ i: Int) -> Int64? {
        switch value(i) {
        case .int(let v): return v
        case .text(let s): return Int64(s)
        case .null, .bytes: return nil
        }
    }
    public func text(_ i: Int) -> String {
        if case .statement(let s) = storage { return sqliteText(s, i) }
        switch value(i) {
        case .text(let s): return s
        case .int(let v): return String(v)
        case .bytes(let b): return String(decoding: b, as: UTF8.self)
        case .null: return ""
        }
    }
    /// The column as bytes (text as its UTF-8; NULL and integers as nil).
    public func bytes(_ i: Int) -> [UInt8]? {
        switch value(i) {
        case .bytes(let b): return b
        case .text(let s): return Array(s.utf8)
        case .null, .int: return nil
        }
    }
    public func textOrNil(_ i: Int) -> String? {
        if case .null = value(i) { return nil }
        return text(i)
    }
    public func bool(_ i: Int) -> Bool { int(i) != 0 }
}

/// A database failure, with the statement that caused it.
public struct DatabaseError: Error, CustomStringConvertible, Sendable {
    public enum Kind: Sendable, Equatable { case constraint, busy, other }
    public var kind: Kind
    public var message: String
    public var sql: String?
    public init(_ kind: Kind, _ message: String, sql: String? = nil) {
        self.kind = kind
        self.message = message
        self.sql = sql
    }
    public var description: String { sql.map { "\(message) [SQL: \($0.prefix(200))]" } ?? message }
}
