import CobroCore
import Crypto
import CobroStore
import Foundation

/// The payment provider's webhook signature: header `Cobro-Provider-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256
/// of "<t>.<body>">` with the company's provider key; refused when older than five minutes (replays).
enum ProviderSignature {
    static let secretName = "payment_provider"
    static let toleranceSeconds: Int64 = 300

    static func sign(body: [UInt8], secret: String, timestamp: Int64) -> String {
        "t=\(timestamp),v1=\(hex(body: body, secret: secret, timestamp: timestamp))"
    }

    static func hex(body: [UInt8], secret: String, timestamp: Int64) -> String {
        var data = Data("\(timestamp).".utf8)
        data.append(contentsOf: body)
        let mac = HMAC<SHA256>.authenticationCode(for: data, using: SymmetricKey(data: Data(secret.utf8)))
        return mac.map { String(format: "%02x", $0) }.joined()
    }

    static func verify(header: String?, body: [UInt8], secret: String, nowSeconds: Int64) -> Bool {
        guard let header else { return false }
        var t: Int64?, v1: String?
        for part in header.split(separator: ",") {
            let kv = part.split(separator: "=", maxSplits: 1)
            guard kv.count == 2 else { continue }
            if kv[0] == "t" { t = Int64(kv[1]) }
            if kv[0] == "v1" { v1 = String(kv[1]) }
        }
        guard let t, let v1, abs(nowSeconds - t) <= toleranceSeconds else { return false }
        return constantTimeEqual(v1, hex(body: body, secret: secret, timestamp: t))
    }
}
