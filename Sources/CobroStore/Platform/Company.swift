import CobroCore
import Crypto
import Foundation

/// A tenant. Every other row belongs to exactly one company.
public struct CompanyRecord: Sendable, Equatable, Codable {
    public var id: Int64
    public var slug: String
    public var name: String
    public var baseCurrency: Currency
    public var timezone: String
    public var locale: String
    public var agingBuckets: AgingBuckets

    static let columns = "id, slug, name, base_currency, timezone, locale, aging_buckets"
    init(row r: SQLRow) { self.init(row: r, from: 0) }
    /// Reads the `columns` starting at column `i`.
    init(row r: SQLRow, from i: Int) {
        id = r.int(i)
        slug = r.text(i + 1)
        name = r.text(i + 2)
        baseCurrency = Currency(code: r.text(i + 3)) ?? Currency(code: "USD")!
        timezone = r.text(i + 4)
        locale = r.text(i + 5)
        agingBuckets = (try? AgingBuckets.parse(r.text(i + 6)).get()) ?? .standard
    }
}

/// Where "now" comes from. Every time rule receives it; tests pass a fixed one.
public struct Clock: Sendable {
    public var nowMillis: @Sendable () -> Int64
    public init(nowMillis: @escaping @Sendable () -> Int64) { self.nowMillis = nowMillis }
    public static let system = Clock { Int64(Date().timeIntervalSince1970 * 1000) }
    public static func fixed(_ ms: Int64) -> Clock { Clock { ms } }

    /// Today's business date in a time zone (IANA name; UTC when unknown).
    public func today(in timeZone: String) -> LocalDate {
        let ms = nowMillis()
        let tz = TimeZone(identifier: timeZone) ?? TimeZone(identifier: "UTC")!
        let offset = tz.secondsFromGMT(for: Date(timeIntervalSince1970: Double(ms) / 1000))
        let seconds = ms / 1000 + Int64(offset)
        return LocalDate(dayNumber: Int((seconds >= 0 ? seconds : seconds - 86399) / 86400))
    }
}

public enum CompanyStore {
    public static func all(_ c: any Connection) async throws -> [CompanyRecord] {
        try await c.query("SELECT \(CompanyRecord.columns) FROM company ORDER BY id", []).map(CompanyRecord.init(row:))
    }

    public static func find(_ c: any Connection, slug: String) async throws -> CompanyRecord? {
        try await c.first("SELECT \(CompanyRecord.columns) FROM company WHERE slug = $1", [.text(slug)]).map(CompanyRecord.init(row:))
    }

    /// A counter that moves (in the same transaction) with every change to the company's customers, contacts,
    /// documents, payments, allocations or disputes, whoever makes it (database triggers, migration 0002).
    public static func ledgerVersion(_ c: any Connection, company: Int64) async throws -> Int64 {
        try await c.first("SELECT ledger_version FROM company WHERE id = $1", [.int(company)])?.int(0) ?? 0
    }

    public static func find(_ c: any Connection, id: Int64) async throws -> CompanyRecord? {
        try await c.first("SELECT \(CompanyRecord.columns) FROM company WHERE id = $1", [.int(id)]).map(CompanyRecord.init(row:))
    }

    public static func create(
        _ c: any Connection, slug: String, name: String, baseCurrency: Currency, timezone: String = "UTC",
        locale: String = "en", buckets: AgingBuckets = .standard, now: Int64
    ) async throws -> CompanyRecord {
        let row = try await c.first(
            """
            INSERT INTO company (slug, name, base_currency, timezone, locale, aging_buckets, created_at)
            VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING \(CompanyRecord.columns)
            """,
            [.text(slug), .text(name), .text(baseCurrency.code), .text(timezone), .text(locale),
             .text(buckets.bounds.map(String.init).joined(separator: ",")), .int(now)])
        let company = CompanyRecord(row: row!)
        try await Audit.record(c, company: company.id, actor: "system", action: "company.create", entity: "company", ref: slug, before: nil, after: ["name": name, "base_currency": baseCurrency.code], at: now)
        return company
    }

    public static func setAgingBuckets(_ c: any Connection, company: CompanyRecord, buckets: AgingBuckets, actor: String, now: Int64) async throws {
        let text = buckets.bounds.map(String.init).joined(separator: ",")
        try await c.execute("UPDATE company SET aging_buckets = $1 WHERE id = $2", [.text(text), .int(company.id)])
        try await Audit.record(c, company: company.id, actor: actor, action: "company.update", entity: "company", ref: company.slug,
                               before: ["aging_buckets": company.agingBuckets.bounds.map(String.init).joined(separator: ",")], after: ["aging_buckets": text], at: now)
    }

    /// The company a command acts on: the one named by `slug`, or the only one. Creates the default company
    /// (`default`, base currency from `defaultCurrency`) when the database has none.
    public static func resolve(_ db: any Database, slug: String?, defaultCurrency: Currency, now: Int64) async throws -> CompanyRecord {
        try await db.transaction { c in
            if let slug {
                guard let found = try await find(c, slug: slug) else {
                    let names = try await all(c).map(\.slug).joined(separator: ", ")
                    throw StoreError.notFound("company \"\(slug)\" does not exist (companies: \(names.isEmpty ? "none" : names))")
                }
                return found
            }
            let companies = try await all(c)
            if companies.count == 1 { return companies[0] }
            if companies.isEmpty {
                return try await create(c, slug: "default", name: "Default company", baseCurrency: defaultCurrency, now: now)
            }
            throw StoreError.invalid(field: "--company", "there are \(companies.count) companies; choose one with --company (\(companies.map(\.slug).joined(separator: ", ")))")
        }
    }
}

/// API tokens: random secrets shown once; only their SHA-256 is stored.
public enum TokenStore {
    /// A new token for `company`; with `collector`, the token acts for that collector (its worklist is the default
    /// and other collectors' worklists are refused), otherwise for the whole company (a manager's or an integration's).
    public static func create(_ c: any Connection, company: Int64, name: String, collector: String? = nil, now: Int64) async throws -> String {
        var bytes = [UInt8](repeating: 0, count: 24)
        var rng = SystemRandomNumberGenerator()
        for i in bytes.indices { bytes[i] = UInt8.random(in: 0...255, using: &rng) }
        let token = "cobro_" + bytes.map { String(format: "%02x", $0) }.joined()
        try await c.execute(
            "INSERT INTO api_token (company_id, name, token_hash, created_at, collector) VALUES ($1, $2, $3, $4, $5)",
            [.int(company), .text(name), .text(hash(token)), .int(now), .of(collector)])
        try await Audit.record(
            c, company: company, actor: "cli", action: "token.create", entity: "api_token", ref: name, before: nil, after: ["name": name, "collector": collector ?? ""], at: now)
        return token
    }

    /// What a request needs from its bearer token, in one statement: the token's company, the company's current
    /// ledger version (see ``CompanyStore/ledgerVersion(_:company:)``), the token's name and the collector it acts for.
    public static func session(_ c: any Connection, token: String) async throws -> (company: CompanyRecord, ledgerVersion: Int64, name: String, collector: String?, readOnly: Bool)? {
        let columns = CompanyRecord.columns.split(separator: ",").map { "c." + $0.trimmingCharacters(in: .whitespaces) }.joined(separator: ", ")
        // A personal token acts for its user: not when the user is disabled, and for a collector's portfolio.
        guard let r = try await c.first(
            """
            SELECT \(columns), c.ledger_version, t.name, COALESCE(t.collector, u.collector), t.scope FROM api_token t JOIN company c ON c.id = t.company_id
            LEFT JOIN app_user u ON u.company_id = t.company_id AND u.id = t.user_id
            WHERE t.token_hash = $1 AND t.revoked_at IS NULL AND (t.user_id IS NULL OR (u.id IS NOT NULL AND u.disabled_at IS NULL))
            """, [.text(hash(token))])
        else { return nil }
        return (CompanyRecord(row: r), r.int(7), r.text(8), r.textOrNil(9), r.text(10) == "read")
    }

    /// A personal token for a user of the web app, `read` (GET only) or `write`; shown once.
    public static func createPersonal(_ c: any Connection, user: AppUser, name: String, scope: String, now: Int64) async throws -> String {
        guard ["read", "write"].contains(scope) else { throw StoreError.invalid(field: "scope", "\"\(scope)\" is not read or write") }
        let token = SecretToken.make(prefix: "cobro_")
        try await c.execute(
            "INSERT INTO api_token (company_id, name, token_hash, created_at, collector, user_id, scope) VALUES ($1, $2, $3, $4, $5, $6, $7)",
            [.int(user.company), .text(name), .text(hash(token)), .int(now), .of(user.role == .collector ? user.collector : nil), .int(user.id), .text(scope)])
        try await Audit.record(
            c, company: user.company, actor: "user:\(user.email)", action: "token.create", entity: "api_token", ref: name, before: nil, after: ["name": name, "scope": scope], at: now)
        return token
    }

    public static func personal(_ c: any Connection, company: Int64, userID: Int64) async throws -> [(id: Int64, name: String, scope: String, createdAt: Int64)] {
        try await c.query(
            "SELECT id, name, scope, created_at FROM api_token WHERE company_id = $1 AND user_id = $2 AND revoked_at IS NULL ORDER BY id", [.int(company), .int(userID)]
        ).map { ($0.int(0), $0.text(1), $0.text(2), $0.int(3)) }
    }

    public static func revokePersonal(_ c: any Connection, user: AppUser, id: Int64, now: Int64) async throws {
        guard let r = try await c.first(
            "UPDATE api_token SET revoked_at = $4 WHERE company_id = $1 AND user_id = $2 AND id = $3 AND revoked_at IS NULL RETURNING name",
            [.int(user.company), .int(user.id), .int(id), .int(now)])
        else { throw StoreError.notFound("token \(id) does not exist") }
        try await Audit.record(c, company: user.company, actor: "user:\(user.email)", action: "token.revoke", entity: "api_token", ref: r.text(0), before: nil, after: nil, at: now)
    }

    static func hash(_ token: String) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var hex: [UInt8] = []
        hex.reserveCapacity(64)
        for byte in SHA256.hash(data: Data(token.utf8)) {
            hex.append(digits[Int(byte >> 4)])
            hex.append(digits[Int(byte & 0xf)])
        }
        return String(decoding: hex, as: UTF8.self)
    }
}

/// Errors the store reports to callers, each naming the field or flag at fault where there is one.
public enum StoreError: Error, CustomStringConvertible, Sendable, Equatable {
    case notFound(String)
    case invalid(field: String, String)
    /// Several fields at fault, in order (field, message).
    case invalidFields([FieldProblem])
    case conflict(String)

    public struct FieldProblem: Sendable, Equatable {
        public var field: String
        public var message: String
        public init(_ field: String, _ message: String) {
            self.field = field
            self.message = message
        }
    }

    public var description: String {
        switch self {
        case .notFound(let m): return m
        case .invalid(let f, let m): return "\(f): \(m)"
        case .invalidFields(let all): return all.map { "\($0.field): \($0.message)" }.joined(separator: "; ")
        case .conflict(let m): return m
        }
    }
}
