import CobroCore
import Foundation
import HummingbirdBcrypt

/// A person who signs in to the web app. Belongs to one company.
public struct AppUser: Sendable, Hashable {
    public var id: Int64
    public var company: Int64
    public var email: String
    public var name: String
    public var role: UserRole
    /// The collector handle whose portfolio a collector works (nil for the other roles or a collector not yet linked).
    public var collector: String?
    /// Preferred UI language (`es`, `en`); nil = the browser's Accept-Language.
    public var language: String?
}

/// A signed-in browser: the user, their company and the form token every POST must carry.
public struct WebSession: Sendable {
    public var user: AppUser
    public var company: CompanyRecord
    public var ledgerVersion: Int64
    public var csrf: String
    public var expiresAt: Int64
}

/// The outcome of a password check.
public enum LoginResult: Sendable, Equatable {
    case ok(AppUser)
    /// Unknown email, wrong password or disabled user: the same answer for all three, so the form does not tell
    /// an attacker which emails exist.
    case invalid
    case locked(until: Int64)
}

/// Users, passwords (bcrypt), sessions, lockout and password resets. Every change and every login attempt is in
/// the audit log (`user.create`, `user.login`, `user.login_failed`, `user.locked`, `user.logout`, `user.password_reset`).
public enum UserStore {
    /// Sessions last a working day; a new login is needed after.
    public static let sessionMillis: Int64 = 12 * 3_600_000
    /// Reset links are valid for one hour and once.
    public static let resetMillis: Int64 = 3_600_000
    public static let minimumPasswordLength = 10
    /// A hash of nothing anyone knows, checked against for unknown emails (cost 12, like real passwords).
    static let dummyHash = Bcrypt.hash(SecretToken.make(prefix: ""), cost: 12)

    static let columns = "id, company_id, email, name, role, collector, language"
    static func user(_ r: SQLRow, from i: Int = 0) -> AppUser {
        AppUser(
            id: r.int(i), company: r.int(i + 1), email: r.text(i + 2), name: r.text(i + 3), role: UserRole(rawValue: r.text(i + 4)) ?? .viewer,
            collector: r.textOrNil(i + 5), language: r.textOrNil(i + 6))
    }

    /// Problems with a new user's fields, by field.
    public static func problems(email: String, name: String, password: String, role: UserRole, collector: String?) -> [StoreError.FieldProblem] {
        var out: [StoreError.FieldProblem] = []
        let parts = email.split(separator: "@", omittingEmptySubsequences: false)
        if parts.count != 2 || parts[0].isEmpty || !parts[1].contains(".") || email.contains(" ") {
            out.append(.init("email", "\"\(email)\" is not an email address, e.g. ana@example.com"))
        }
        if name.trimmingCharacters(in: .whitespaces).isEmpty { out.append(.init("name", "is required")) }
        if password.count < minimumPasswordLength { out.append(.init("password", "must have at least \(minimumPasswordLength) characters")) }
        if role == .collector && (collector ?? "").isEmpty { out.append(.init("collector", "a collector needs the handle of their portfolio (see GET /api/v1/collectors)")) }
        return out
    }

    /// Creates a user with a bcrypt hash of `password` at `cost` (2^cost rounds; 12 in production, less in tests).
    public static func create(
        _ c: any Connection, company: Int64, email: String, name: String, role: UserRole, collector: String? = nil, language: String? = nil,
        password: String, cost: UInt8, actor: String, now: Int64
    ) async throws -> AppUser {
        let email = email.lowercased().trimmingCharacters(in: .whitespaces)
        let problems = problems(email: email, name: name, password: password, role: role, collector: collector)
        if !problems.isEmpty { throw StoreError.invalidFields(problems) }
        if try await c.first("SELECT 1 FROM app_user WHERE email = $1", [.text(email)]) != nil {
            throw StoreError.invalid(field: "email", "a user with email \(email) already exists")
        }
        if let collector, role == .collector,
            try await c.first("SELECT 1 FROM collector WHERE company_id = $1 AND handle = $2", [.int(company), .text(collector)]) == nil
        {
            throw StoreError.invalid(field: "collector", "collector \(collector) does not exist (create it with PUT /api/v1/collectors/\(collector))")
        }
        let hash = Bcrypt.hash(password, cost: cost)
        let row = try await c.first(
            """
            INSERT INTO app_user (company_id, email, name, role, collector, language, password_hash, created_at)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id
            """, [.int(company), .text(email), .text(name), .text(role.rawValue), .of(role == .collector ? collector : nil), .of(language), .text(hash), .int(now)])
        try await Audit.record(
            c, company: company, actor: actor, action: "user.create", entity: "app_user", ref: email, before: nil,
            after: ["email": email, "name": name, "role": role.rawValue, "collector": collector ?? ""], at: now)
        return AppUser(id: row!.int(0), company: company, email: email, name: name, role: role, collector: role == .collector ? collector : nil, language: language)
    }

    public static func find(_ c: any Connection, email: String) async throws -> AppUser? {
        try await c.first("SELECT \(columns) FROM app_user WHERE email = $1 AND disabled_at IS NULL", [.text(email.lowercased())]).map { user($0) }
    }

    public static func list(_ c: any Connection, company: Int64) async throws -> [AppUser] {
        try await c.query("SELECT \(columns) FROM app_user WHERE company_id = $1 AND disabled_at IS NULL ORDER BY email", [.int(company)]).map { user($0) }
    }

    /// Checks a password. A wrong one counts towards ``LoginLockout``; while locked even the right password is
    /// refused (and the attempt is audited). The caller commits the transaction in every case, so failures count.
    public static func authenticate(_ c: any Connection, email: String, password: String, now: Int64) async throws -> LoginResult {
        let email = email.lowercased().trimmingCharacters(in: .whitespaces)
        guard let r = try await c.first(
            "SELECT \(columns), password_hash, failed_logins, locked_until FROM app_user WHERE email = $1 AND disabled_at IS NULL", [.text(email)])
        else {
            // The same bcrypt work as for a known email, so the time taken does not tell whether the account exists.
            _ = Bcrypt.verify(password, hash: dummyHash)
            return .invalid
        }
        let u = user(r)
        let lockedUntil = r.intOrNil(9)
        if LoginLockout.isLocked(until: lockedUntil, now: now) {
            try await Audit.record(c, company: u.company, actor: "user:\(email)", action: "user.login_refused", entity: "app_user", ref: email, before: nil,
                                   after: ["reason": "locked"], at: now)
            return .locked(until: lockedUntil!)
        }
        if Bcrypt.verify(password, hash: r.text(7)) {
            try await c.execute("UPDATE app_user SET failed_logins = 0, locked_until = NULL WHERE company_id = $1 AND id = $2", [.int(u.company), .int(u.id)])
            try await Audit.record(c, company: u.company, actor: "user:\(email)", action: "user.login", entity: "app_user", ref: email, before: nil, after: nil, at: now)
            return .ok(u)
        }
        // A lock that has run out starts a new count.
        let failures = (lockedUntil == nil ? Int(r.int(8)) : 0) + 1
        let lock = LoginLockout.lockedUntil(failures: failures, now: now)
        try await c.execute(
            "UPDATE app_user SET failed_logins = $3, locked_until = $4 WHERE company_id = $1 AND id = $2",
            [.int(u.company), .int(u.id), .int(Int64(failures)), .of(lock)])
        try await Audit.record(c, company: u.company, actor: "user:\(email)", action: lock == nil ? "user.login_failed" : "user.locked", entity: "app_user",
                               ref: email, before: nil, after: ["failures": String(failures)], at: now)
        if let lock { return .locked(until: lock) }
        return .invalid
    }

    /// A new session for `user`: returns the cookie value (only its hash is stored) and the CSRF form token.
    public static func startSession(_ c: any Connection, user: AppUser, now: Int64) async throws -> (token: String, csrf: String) {
        let token = SecretToken.make(prefix: "s_"), csrf = SecretToken.make(prefix: "")
        try await c.execute(
            "INSERT INTO web_session (company_id, user_id, token_hash, csrf, created_at, expires_at) VALUES ($1, $2, $3, $4, $5, $6)",
            [.int(user.company), .int(user.id), .text(TokenStore.hash(token)), .text(csrf), .int(now), .int(now + sessionMillis)])
        return (token, csrf)
    }

    /// The live session behind a cookie value, in one statement; nil when unknown, expired, ended or the user is disabled.
    public static func session(_ c: any Connection, token: String, now: Int64) async throws -> WebSession? {
        let companyColumns = CompanyRecord.columns.split(separator: ",").map { "c." + $0.trimmingCharacters(in: .whitespaces) }.joined(separator: ", ")
        let userColumns = columns.split(separator: ",").map { "u." + $0.trimmingCharacters(in: .whitespaces) }.joined(separator: ", ")
        guard let r = try await c.first(
            """
            SELECT \(userColumns), \(companyColumns), c.ledger_version, s.csrf, s.expires_at
            FROM web_session s JOIN app_user u ON u.company_id = s.company_id AND u.id = s.user_id JOIN company c ON c.id = s.company_id
            WHERE s.token_hash = $1 AND s.revoked_at IS NULL AND s.expires_at > $2 AND u.disabled_at IS NULL
            """, [.text(TokenStore.hash(token)), .int(now)])
        else { return nil }
        return WebSession(user: user(r), company: CompanyRecord(row: r, from: 7), ledgerVersion: r.int(14), csrf: r.text(15), expiresAt: r.int(16))
    }

    public static func endSession(_ c: any Connection, token: String, now: Int64) async throws {
        guard let r = try await c.first(
            "UPDATE web_session SET revoked_at = $2 WHERE token_hash = $1 AND revoked_at IS NULL RETURNING company_id, user_id", [.text(TokenStore.hash(token)), .int(now)])
        else { return }
        try await Audit.record(c, company: r.int(0), actor: "user:\(r.int(1))", action: "user.logout", entity: "app_user", ref: String(r.int(1)), before: nil, after: nil, at: now)
    }

    /// Starts a password reset: a one-hour, single-use token for the user with `email` (nil when there is none, which
    /// the caller must not reveal).
    public static func requestReset(_ c: any Connection, email: String, now: Int64) async throws -> (user: AppUser, token: String)? {
        guard let u = try await find(c, email: email) else { return nil }
        let token = SecretToken.make(prefix: "r_")
        try await c.execute(
            "INSERT INTO password_reset (company_id, user_id, token_hash, expires_at) VALUES ($1, $2, $3, $4)",
            [.int(u.company), .int(u.id), .text(TokenStore.hash(token)), .int(now + resetMillis)])
        try await Audit.record(c, company: u.company, actor: "user:\(u.email)", action: "user.password_reset_requested", entity: "app_user", ref: u.email,
                               before: nil, after: nil, at: now)
        return (u, token)
    }

    /// Sets a new password with a reset token; ends the user's sessions and clears any lockout.
    public static func reset(_ c: any Connection, token: String, password: String, cost: UInt8, now: Int64) async throws -> AppUser {
        guard let r = try await c.first(
            "SELECT company_id, user_id FROM password_reset WHERE token_hash = $1 AND used_at IS NULL AND expires_at > $2", [.text(TokenStore.hash(token)), .int(now)])
        else { throw StoreError.invalid(field: "token", "the reset link is unknown, used or expired; ask for a new one") }
        if password.count < minimumPasswordLength { throw StoreError.invalid(field: "password", "must have at least \(minimumPasswordLength) characters") }
        let (company, id) = (r.int(0), r.int(1))
        try await c.execute("UPDATE password_reset SET used_at = $2 WHERE token_hash = $1", [.text(TokenStore.hash(token)), .int(now)])
        try await c.execute(
            "UPDATE app_user SET password_hash = $3, failed_logins = 0, locked_until = NULL WHERE company_id = $1 AND id = $2",
            [.int(company), .int(id), .text(Bcrypt.hash(password, cost: cost))])
        try await c.execute("UPDATE web_session SET revoked_at = $3 WHERE company_id = $1 AND user_id = $2 AND revoked_at IS NULL", [.int(company), .int(id), .int(now)])
        let u = user(try await c.first("SELECT \(columns) FROM app_user WHERE company_id = $1 AND id = $2", [.int(company), .int(id)])!)
        try await Audit.record(c, company: company, actor: "user:\(u.email)", action: "user.password_reset", entity: "app_user", ref: u.email, before: nil, after: nil, at: now)
        return u
    }
}

/// Random, unguessable tokens (192 bits, hex) for cookies, CSRF, reset links and secrets.
public enum SecretToken {
    public static func make(prefix: String, bytes count: Int = 24) -> String {
        var rng = SystemRandomNumberGenerator()
        let digits = Array("0123456789abcdef")
        var out = prefix
        for _ in 0..<count {
            let b = UInt8.random(in: 0...255, using: &rng)
            out.append(digits[Int(b >> 4)])
            out.append(digits[Int(b & 0xf)])
        }
        return out
    }
}

/// Per-company secrets (the portal link key, the payment provider's webhook key), made on first use.
public enum SecretStore {
    /// The secret if it was ever made (reads only).
    public static func existing(_ c: any Connection, company: Int64, name: String) async throws -> String? {
        try await c.first("SELECT value FROM company_secret WHERE company_id = $1 AND name = $2", [.int(company), .text(name)])?.text(0)
    }

    public static func secret(_ c: any Connection, company: Int64, name: String) async throws -> String {
        if let v = try await existing(c, company: company, name: name) { return v }
        let value = SecretToken.make(prefix: "", bytes: 32)
        try await c.execute(
            "INSERT INTO company_secret (company_id, name, value) VALUES ($1, $2, $3) ON CONFLICT (company_id, name) DO NOTHING", [.int(company), .text(name), .text(value)])
        return try await c.first("SELECT value FROM company_secret WHERE company_id = $1 AND name = $2", [.int(company), .text(name)])!.text(0)
    }

    /// Sets a secret given from outside (e.g. the key the payment provider signs its webhooks with).
    public static func set(_ c: any Connection, company: Int64, name: String, value: String, actor: String, now: Int64) async throws {
        try await c.execute(
            "INSERT INTO company_secret (company_id, name, value) VALUES ($1, $2, $3) ON CONFLICT (company_id, name) DO UPDATE SET value = excluded.value",
            [.int(company), .text(name), .text(value)])
        try await Audit.record(c, company: company, actor: actor, action: "secret.set", entity: "company_secret", ref: name, before: nil, after: ["value": "(hidden)"], at: now)
    }
}

extension UserStore {
    /// Stores the user's UI language (audited).
    public static func setLanguage(_ c: any Connection, user: AppUser, language: String, now: Int64) async throws {
        try await c.execute("UPDATE app_user SET language = $3 WHERE company_id = $1 AND id = $2", [.int(user.company), .int(user.id), .text(language)])
        try await Audit.record(
            c, company: user.company, actor: "user:\(user.email)", action: "user.update", entity: "app_user", ref: user.email, before: ["language": user.language ?? ""],
            after: ["language": language], at: now)
    }
}

extension UserStore {
    /// Disables a user: they can no longer sign in, their sessions and personal tokens stop working (audited).
    public static func disable(_ c: any Connection, company: Int64, id: Int64, actor: String, now: Int64) async throws {
        guard let r = try await c.first(
            "UPDATE app_user SET disabled_at = $3 WHERE company_id = $1 AND id = $2 AND disabled_at IS NULL RETURNING email", [.int(company), .int(id), .int(now)])
        else { throw StoreError.notFound("user \(id) does not exist") }
        try await c.execute("UPDATE web_session SET revoked_at = $3 WHERE company_id = $1 AND user_id = $2 AND revoked_at IS NULL", [.int(company), .int(id), .int(now)])
        try await Audit.record(c, company: company, actor: actor, action: "user.disable", entity: "app_user", ref: r.text(0), before: nil, after: nil, at: now)
    }
}
