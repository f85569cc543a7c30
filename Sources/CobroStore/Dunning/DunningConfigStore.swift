import CobroCore
import Foundation

/// One saved version of a company's dunning configuration.
public struct DunningConfigVersion: Sendable, Hashable {
    public var version: Int64
    public var createdAt: Int64
    public var createdBy: String
    public var config: DunningConfig
}

/// Stores a company's dunning configuration as one JSON document per version. Saving never overwrites, so every
/// change stays in the history (issue 3, point 3).
public enum DunningConfigStore {
    /// The current configuration and its version (0: never saved, the shipped default).
    public static func current(_ c: any Connection, company: Int64) async throws -> (version: Int64, config: DunningConfig) {
        guard let r = try await c.first(
            "SELECT version, document FROM dunning_config WHERE company_id = $1 ORDER BY version DESC LIMIT 1", [.int(company)])
        else { return (0, .shipped) }
        return (r.int(0), try decode(r.text(1)))
    }

    /// One saved version, or `nil` if the company has no such version.
    public static func version(_ c: any Connection, company: Int64, _ version: Int64) async throws -> DunningConfigVersion? {
        guard let r = try await c.first(
            "SELECT version, created_at, created_by, document FROM dunning_config WHERE company_id = $1 AND version = $2",
            [.int(company), .int(version)])
        else { return nil }
        return DunningConfigVersion(version: r.int(0), createdAt: r.int(1), createdBy: r.text(2), config: try decode(r.text(3)))
    }

    /// Every saved version, newest first.
    public static func history(_ c: any Connection, company: Int64) async throws -> [DunningConfigVersion] {
        try await c.query(
            "SELECT version, created_at, created_by, document FROM dunning_config WHERE company_id = $1 ORDER BY version DESC", [.int(company)]
        ).map { r in DunningConfigVersion(version: r.int(0), createdAt: r.int(1), createdBy: r.text(2), config: try decode(r.text(3))) }
    }

    /// Validates `config` and stores it as the next version (audited); returns the version. An invalid
    /// configuration is refused with its first problem's field path; nothing is stored.
    @discardableResult
    public static func save(_ c: any Connection, company: Int64, config: DunningConfig, actor: String, now: Int64) async throws -> Int64 {
        if let issue = config.validate().first { throw StoreError.invalid(field: issue.path, issue.message) }
        let version = try await current(c, company: company).version + 1
        try await c.execute(
            "INSERT INTO dunning_config (company_id, version, document, created_at, created_by) VALUES ($1, $2, $3, $4, $5)",
            [.int(company), .int(version), .text(config.json()), .int(now), .text(actor)])
        try await Audit.record(
            c, company: company, actor: actor, action: "dunning_config.save", entity: "dunning_config", ref: String(version),
            before: version > 1 ? ["version": String(version - 1)] : nil, after: ["version": String(version)], at: now)
        return version
    }

    static func decode(_ document: String) throws -> DunningConfig {
        try JSONDecoder().decode(DunningConfig.self, from: Data(document.utf8))
    }
}
