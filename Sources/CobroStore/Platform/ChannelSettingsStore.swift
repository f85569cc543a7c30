import Foundation

/// Stores each company's delivery-channel settings (a flat JSON object of strings); every change is audited.
public enum ChannelSettingsStore {
    public static func get(_ c: any Connection, company: Int64) async throws -> [String: String] {
        guard let r = try await c.first("SELECT document FROM channel_settings WHERE company_id = $1", [.int(company)]) else { return [:] }
        return (try? JSONDecoder().decode([String: String].self, from: Data(r.text(0).utf8))) ?? [:]
    }

    /// Replaces the settings; `shown` is what the audit trail records (secrets hidden by the caller).
    public static func save(_ c: any Connection, company: Int64, values: [String: String], shown: [String: String], before: [String: String],
                            actor: String, now: Int64) async throws {
        let e = JSONEncoder()
        e.outputFormatting = .sortedKeys
        let doc = String(decoding: try e.encode(values), as: UTF8.self)
        try await c.execute("DELETE FROM channel_settings WHERE company_id = $1", [.int(company)])
        try await c.execute(
            "INSERT INTO channel_settings (company_id, document, updated_at, updated_by) VALUES ($1, $2, $3, $4)",
            [.int(company), .text(doc), .int(now), .text(actor)])
        try await Audit.record(c, company: company, actor: actor, action: "settings.channels", entity: "company", ref: nil, before: before, after: shown, at: now)
    }
}
