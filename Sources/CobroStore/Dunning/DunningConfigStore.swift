import CobroCore
import Foundation

/// A company's dunning configuration: its policies and which customers get which. Stored as one JSON document per
/// version; saving never overwrites, so the history of every change stays (issue 3, point 3).
public struct DunningConfig: Codable, Sendable, Hashable {
    public var assignment: DunningPolicyAssignment

    public init(assignment: DunningPolicyAssignment = .standard) { self.assignment = assignment }

    /// What a company uses until it saves its own: the shipped policies, the 6-step default for everyone.
    public static let shipped = DunningConfig()

    /// Problems that make the configuration unusable, each with the path of the field at fault.
    public func validate() -> [DunningPolicyIssue] { assignment.validate() }

    public func json() -> String {
        let e = JSONEncoder()
        e.outputFormatting = [.sortedKeys, .prettyPrinted]
        return (try? e.encode(self)).map { String(decoding: $0, as: UTF8.self) } ?? "{}"
    }
}

public enum DunningConfigStore {
    /// The current configuration and its version (0: never saved, the shipped default).
    public static func current(_ c: any Connection, company: Int64) async throws -> (version: Int64, config: DunningConfig) {
        guard let r = try await c.first(
            "SELECT version, document FROM dunning_config WHERE company_id = $1 ORDER BY version DESC LIMIT 1", [.int(company)])
        else { return (0, .shipped) }
        let config = try JSONDecoder().decode(DunningConfig.self, from: Data(r.text(1).utf8))
        return (r.int(0), config)
    }

    /// Validates `config` and stores it as the next version (audited); returns the version. Invalid
    /// configurations are refused with the first problem's field path.
    @discardableResult
    public static func save(_ c: any Connection, company: Int64, config: DunningConfig, actor: String, now: Int64) async throws -> Int64 {
        if let issue = config.validate().first { throw StoreError.invalid(field: issue.path, issue.message) }
        let version = try await current(c, company: company).version + 1
        try await c.execute(
            "INSERT INTO dunning_config (company_id, version, document, created_at, created_by) VALUES ($1, $2, $3, $4, $5)",
            [.int(company), .int(version), .text(config.json()), .int(now), .text(actor)])
        try await Audit.record(
            c, company: company, actor: actor, action: "dunning_config.save", entity: "dunning_config", ref: String(version), before: nil,
            after: ["version": String(version)], at: now)
        return version
    }
}
