import CobroCore
import CobroServer
import CobroStore
import CobroTestSupport
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing

/// A database with two companies, each with its own token and the worked example loaded.
struct APIFixture {
    let db: any Database
    let a: CompanyRecord
    let b: CompanyRecord
    let tokenA: String
    let tokenB: String
    let clock: Clock
}

enum APITest {
    /// "paid 23 days late on average", "a short history of invoices".
    static let twoReasons = [CustomerRisk.Reason(feature: "mean_days_late", value: 23, above: true), CustomerRisk.Reason(feature: "history_count_log", value: 0, above: false)]

    /// Stores a model version and company A's risk `score` with `reasons` for `customerRef`, as a training would.
    static func storeRisk(_ f: APIFixture, customerRef: String, score: Int, reasons: [CustomerRisk.Reason]) async throws {
        try await f.db.transaction { c in
            let v = try await c.first(
                """
                INSERT INTO model_version (company_id, trained_at, trained_on_day, late_days, training_rows, model_json, evaluation_json, trained_by)
                VALUES ($1, $2, 0, 0, 100, '{}', NULL, 'test') RETURNING id
                """, [.int(f.a.id), .int(f.clock.nowMillis())])!.int(0)
            try await c.execute(
                """
                INSERT INTO customer_risk (company_id, customer_id, model_version, score, expected_days_late_hundredths, reasons)
                SELECT $1, id, $2, $3, 2300, $4 FROM customer WHERE company_id = $1 AND customer_ref = $5
                """, [.int(f.a.id), .int(v), .int(Int64(score)), .text(reasons.map(\.stored).joined(separator: "\n")), .text(customerRef)])
        }
    }

    static var kinds: [SQLDialect] { TestDatabases.kinds }
    static let now: Int64 = 1_719_835_200_000  // 2024-07-01T12:00:00Z

    /// Two companies in one database, each with the worked example and a token.
    static func withFixture(_ kind: SQLDialect = .sqlite, _ body: (APIFixture) async throws -> Void) async throws {
        try await TestDatabases.withDatabase(kind) { db in
            let clock = Clock.fixed(now)
            let suffix = UUID().uuidString.prefix(8).lowercased()
            let (a, b, ta, tb) = try await db.transaction { c in
                let a = try await CompanyStore.create(c, slug: "a-\(suffix)", name: "A", baseCurrency: usd, now: now)
                let b = try await CompanyStore.create(c, slug: "b-\(suffix)", name: "B", baseCurrency: usd, now: now)
                return (a, b, try await TokenStore.create(c, company: a.id, name: "a", now: now), try await TokenStore.create(c, company: b.id, name: "b", now: now))
            }
            for co in [a, b] { try await WorkedExample.load(db, co, clock: clock) }
            try await body(APIFixture(db: db, a: a, b: b, tokenA: ta, tokenB: tb, clock: clock))
        }
    }

    static func app(_ f: APIFixture) -> some ApplicationProtocol {
        Application(router: buildRouter(AppDependencies(db: f.db, clock: f.clock)))
    }
}

/// A parsed JSON response body.
func json(_ buffer: ByteBuffer) throws -> [String: Any] {
    try #require(try JSONSerialization.jsonObject(with: Data(buffer.readableBytesView)) as? [String: Any])
}

func auth(_ token: String, _ extra: HTTPFields = [:]) -> HTTPFields {
    var h = extra
    h[.authorization] = "Bearer \(token)"
    return h
}

extension ByteBuffer {
    static func text(_ s: String) -> ByteBuffer { ByteBuffer(string: s) }
}

/// Sends one request through `app`'s router in process; returns the status and the JSON object body (empty when
/// the body is not an object).
func send(
    _ app: some ApplicationProtocol, _ method: HTTPRequest.Method, _ uri: String, _ token: String, _ body: String? = nil
) async throws -> (HTTPResponse.Status, [String: Any]) {
    try await app.test(.router) { client in
        try await client.execute(uri: uri, method: method, headers: auth(token), body: body.map { .text($0) }) { r in
            (r.status, (try? JSONSerialization.jsonObject(with: Data(String(buffer: r.body).utf8))) as? [String: Any] ?? [:])
        }
    }
}

/// Like ``send(_:_:_:_:_:)`` for a text body (CSV).
func sendText(_ app: some ApplicationProtocol, _ method: HTTPRequest.Method, _ uri: String, _ token: String) async throws -> (HTTPResponse.Status, String) {
    try await app.test(.router) { client in
        try await client.execute(uri: uri, method: method, headers: auth(token)) { r in (r.status, String(buffer: r.body)) }
    }
}

/// The `field` of every error of a problem body, in order.
func fieldErrors(_ body: [String: Any]) -> [String] { (body["errors"] as? [[String: Any]])?.compactMap { $0["field"] as? String } ?? [] }

/// ``send(_:_:_:_:_:)`` through a client already open on the app (several requests in one test).
func send(
    _ client: some TestClientProtocol, _ method: HTTPRequest.Method, _ uri: String, _ token: String, _ body: String? = nil
) async throws -> (HTTPResponse.Status, [String: Any]) {
    try await client.execute(uri: uri, method: method, headers: auth(token), body: body.map { .text($0) }) { r in
        (r.status, (try? JSONSerialization.jsonObject(with: Data(String(buffer: r.body).utf8))) as? [String: Any] ?? [:])
    }
}
