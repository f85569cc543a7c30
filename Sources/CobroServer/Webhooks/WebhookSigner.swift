import Crypto
import Foundation

/// Signs webhook bodies: header `Cobro-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<body>")>`.
/// Receivers recompute the HMAC over the timestamp and the raw body, compare in constant time, and reject
/// timestamps older than a few minutes (replay protection).
public enum WebhookSigner {
    public static func signature(secret: String, timestamp: Int64, body: String) -> String {
        let mac = HMAC<SHA256>.authenticationCode(for: Data("\(timestamp).\(body)".utf8), using: SymmetricKey(data: Data(secret.utf8)))
        return "t=\(timestamp),v1=" + mac.map { String(format: "%02x", $0) }.joined()
    }

    /// Verifies a `Cobro-Signature` header value; `toleranceSeconds` bounds the timestamp's age.
    public static func verify(header: String, secret: String, body: String, now: Int64, toleranceSeconds: Int64 = 300) -> Bool {
        var t: Int64?
        var v1: String?
        for part in header.split(separator: ",") {
            let kv = part.split(separator: "=", maxSplits: 1)
            guard kv.count == 2 else { continue }
            if kv[0] == "t" { t = Int64(kv[1]) } else if kv[0] == "v1" { v1 = String(kv[1]) }
        }
        guard let t, let v1, abs(now - t) <= toleranceSeconds else { return false }
        let expected = signature(secret: secret, timestamp: t, body: body).split(separator: "=").last.map(String.init) ?? ""
        guard expected.utf8.count == v1.utf8.count else { return false }
        return zip(expected.utf8, v1.utf8).reduce(0) { $0 | ($1.0 ^ $1.1) } == 0
    }

    public static func newSecret() -> String {
        var rng = SystemRandomNumberGenerator()
        return "whsec_" + (0..<24).map { _ in String(format: "%02x", UInt8.random(in: 0...255, using: &rng)) }.joined()
    }
}
