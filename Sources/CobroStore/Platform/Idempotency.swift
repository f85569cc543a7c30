/// Stored outcomes of `Idempotency-Key` requests: the same key with the same body replays the first response;
/// the same key with a different body is refused.
public enum IdempotencyStore {
    public enum Lookup: Sendable, Equatable {
        case new
        case replay(status: Int, body: String)
        case mismatch
    }

    public static func lookup(_ c: any Connection, company: Int64, key: String, requestHash: String) async throws -> Lookup {
        guard let r = try await c.first(
            "SELECT request_hash, status, response_body FROM idempotency_key WHERE company_id = $1 AND key = $2", [.int(company), .text(key)])
        else { return .new }
        return r.text(0) == requestHash ? .replay(status: Int(r.int(1)), body: r.text(2)) : .mismatch
    }

    /// Records the response in the same transaction as the change it describes.
    public static func save(_ c: any Connection, company: Int64, key: String, requestHash: String, status: Int, body: String, now: Int64) async throws {
        try await c.execute(
            "INSERT INTO idempotency_key (company_id, key, request_hash, status, response_body, created_at) VALUES ($1, $2, $3, $4, $5, $6)",
            [.int(company), .text(key), .text(requestHash), .int(Int64(status)), .text(body), .int(now)])
    }
}
