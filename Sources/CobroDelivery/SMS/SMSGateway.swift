import AsyncHTTPClient
import CobroCore
import CobroStore
import Foundation
import NIOCore

/// An HTTP SMS gateway, configured by environment:
/// - `COBRO_SMS_URL`: the endpoint messages are POSTed to;
/// - `COBRO_SMS_AUTH`: the `Authorization` header value (e.g. `Bearer …` or `Basic …`), optional;
/// - `COBRO_SMS_FORMAT`: `json` (default) or `form` body, with fields `to`, `from` and `text`;
/// - `COBRO_SMS_FROM`: the sender id, optional;
/// - `COBRO_SMS_SUCCESS`: `field=value` a JSON reply must hold for the message to count as accepted (e.g.
///   `status=queued`); without it any 2xx reply counts. The reply's `id` field, when present, is kept as the
///   provider id.
public struct SMSGateway: Sendable {
    public enum BodyFormat: String, Sendable { case json, form }
    public var url: String
    public var authorization: String?
    public var format: BodyFormat
    public var sender: String?
    public var success: (field: String, value: String)?

    public init(url: String, authorization: String? = nil, format: BodyFormat = .json, sender: String? = nil, success: (field: String, value: String)? = nil) {
        self.url = url
        self.authorization = authorization
        self.format = format
        self.sender = sender
        self.success = success
    }

    /// `nil` when `COBRO_SMS_URL` is not set; an error naming the variable when a value is invalid.
    public static func fromEnvironment(_ env: [String: String] = ProcessInfo.processInfo.environment) throws -> SMSGateway? {
        guard let url = env["COBRO_SMS_URL"], !url.isEmpty else { return nil }
        guard let u = URL(string: url), let scheme = u.scheme, ["http", "https"].contains(scheme.lowercased()) else {
            throw DeliveryError.configuration("COBRO_SMS_URL \"\(url)\" is not an http(s) URL, e.g. https://sms.example.com/send")
        }
        let formatText = env["COBRO_SMS_FORMAT"] ?? "json"
        guard let format = BodyFormat(rawValue: formatText.lowercased()) else {
            throw DeliveryError.configuration("COBRO_SMS_FORMAT \"\(formatText)\" is not json or form")
        }
        var success: (String, String)?
        if let s = env["COBRO_SMS_SUCCESS"], !s.isEmpty {
            let parts = s.split(separator: "=", maxSplits: 1).map(String.init)
            guard parts.count == 2, !parts[0].isEmpty else {
                throw DeliveryError.configuration("COBRO_SMS_SUCCESS \"\(s)\" is not field=value, e.g. status=queued")
            }
            success = (parts[0], parts[1])
        }
        return SMSGateway(url: url, authorization: env["COBRO_SMS_AUTH"], format: format, sender: env["COBRO_SMS_FROM"], success: success)
    }

    /// The request body for one message.
    func body(to: String, text: String) -> (contentType: String, bytes: [UInt8]) {
        var fields: [(String, String)] = [("to", to), ("text", text)]
        if let sender { fields.insert(("from", sender), at: 0) }
        switch format {
        case .json:
            let object = Dictionary(fields, uniquingKeysWith: { a, _ in a })
            let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data("{}".utf8)
            return ("application/json", Array(data))
        case .form:
            var allowed = CharacterSet.alphanumerics
            allowed.insert(charactersIn: "-._~")
            let encoded = fields.map { "\($0.0)=\($0.1.addingPercentEncoding(withAllowedCharacters: allowed) ?? "")" }.joined(separator: "&")
            return ("application/x-www-form-urlencoded", Array(encoded.utf8))
        }
    }

    /// Sends one SMS; returns the provider's id (or the HTTP status). 4xx replies and replies without the success
    /// value are permanent failures; 5xx and transport errors temporary.
    public func send(to: String, text: String, client: HTTPClient) async throws -> String {
        let (type, bytes) = body(to: to, text: text)
        var request = HTTPClientRequest(url: url)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: type)
        if let authorization { request.headers.add(name: "Authorization", value: authorization) }
        request.body = .bytes(ByteBuffer(bytes: bytes))
        let response: HTTPClientResponse
        do {
            response = try await client.execute(request, timeout: .seconds(15))
        } catch {
            throw DeliveryError.connection("SMS gateway: \(error)")
        }
        let reply = try await response.body.collect(upTo: 1 << 20)
        let code = Int(response.status.code)
        let json = (try? JSONSerialization.jsonObject(with: Data(reply.readableBytesView))) as? [String: Any]
        guard (200..<300).contains(code) else {
            // A refused request (4xx) will not succeed on retry; a server error (5xx) may.
            throw DeliveryError.refused("SMS gateway HTTP \(code): \(String(buffer: reply).prefix(200))", permanent: code < 500)
        }
        if let success, "\(json?[success.field] ?? "")" != success.value {
            throw DeliveryError.refused("SMS gateway reply lacks \(success.field)=\(success.value): \(String(buffer: reply).prefix(200))", permanent: true)
        }
        return (json?["id"]).map { "\($0)" } ?? "HTTP \(code)"
    }
}

/// Delivers the outbox's SMS through an ``SMSGateway`` (same outbox guarantees as ``OutboxWorker``).
public struct SMSWorker: Sendable {
    public let db: any Database
    public let gateway: SMSGateway
    public let clock: Clock
    /// Only this company's SMS (`nil`: every company's).
    public let company: Int64?

    public init(db: any Database, gateway: SMSGateway, clock: Clock = .system, company: Int64? = nil) {
        self.db = db
        self.gateway = gateway
        self.clock = clock
        self.company = company
    }

    public func drain(limit: Int = 100) async throws -> DeliveryTotals {
        let client = HTTPClient(eventLoopGroupProvider: .singleton)
        var totals = DeliveryTotals()
        do {
            while true {
                let now = clock.nowMillis()
                let claimed = try await db.transaction { c in try await OutboxStore.claim(c, channels: [.sms], now: now, leaseMillis: 120_000, limit: limit, company: company) }
                var progress = false
                for m in claimed {
                    do {
                        let id = try await gateway.send(to: m.recipient, text: m.text, client: client)
                        try await db.transaction { c in try await OutboxStore.markSent(c, m, providerID: id, now: clock.nowMillis()) }
                        totals.sent += 1
                        progress = true
                    } catch let e as DeliveryError {
                        try await db.transaction { c in try await OutboxStore.markFailed(c, m, error: e.description, permanent: e.permanent, now: clock.nowMillis()) }
                        if e.permanent { totals.failed += 1; progress = true } else { totals.retrying += 1 }
                    }
                }
                if claimed.isEmpty || !progress { break }
            }
        } catch {
            try? await client.shutdown()
            throw error
        }
        try await client.shutdown()
        return totals
    }
}
