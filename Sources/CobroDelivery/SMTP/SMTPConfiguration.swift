import Foundation

/// Where and how to submit email, parsed from `COBRO_SMTP_URL`:
/// `smtp://[user:pass@]host[:port][?starttls=true]` (plain, or upgraded with STARTTLS; port 25 by default, 587
/// usual with STARTTLS) or `smtps://[user:pass@]host[:port]` (TLS from the first byte; port 465 by default).
/// `&verify=false` accepts any server certificate (test servers only).
public struct SMTPConfiguration: Sendable, Hashable {
    public enum Security: String, Sendable, Hashable {
        case none, startTLS, implicitTLS
    }
    public var host: String
    public var port: Int
    public var security: Security
    public var username: String?
    public var password: String?
    public var verifyCertificate: Bool
    /// The name the client gives in EHLO.
    public var heloName: String

    public init(host: String, port: Int, security: Security = .none, username: String? = nil, password: String? = nil, verifyCertificate: Bool = true, heloName: String = "cobro.localhost") {
        self.host = host
        self.port = port
        self.security = security
        self.username = username
        self.password = password
        self.verifyCertificate = verifyCertificate
        self.heloName = heloName
    }

    /// Parses a URL as described on the type; the error says what is valid.
    public static func parse(_ url: String) -> Result<SMTPConfiguration, DeliveryError> {
        let example = "e.g. smtp://user:pass@mail.example.com:587?starttls=true or smtps://mail.example.com"
        guard let u = URLComponents(string: url), let scheme = u.scheme?.lowercased(), let host = u.host, !host.isEmpty else {
            return .failure(.configuration("COBRO_SMTP_URL \"\(url)\" is not a URL; \(example)"))
        }
        let query = Dictionary((u.queryItems ?? []).map { ($0.name.lowercased(), ($0.value ?? "").lowercased()) }, uniquingKeysWith: { a, _ in a })
        let security: Security
        switch scheme {
        case "smtp": security = query["starttls"] == "true" ? .startTLS : .none
        case "smtps": security = .implicitTLS
        default: return .failure(.configuration("COBRO_SMTP_URL scheme \"\(scheme)\" is not smtp or smtps; \(example)"))
        }
        return .success(SMTPConfiguration(
            host: host, port: u.port ?? (security == .implicitTLS ? 465 : 25), security: security,
            username: u.user?.removingPercentEncoding, password: u.password?.removingPercentEncoding,
            verifyCertificate: query["verify"] != "false"))
    }
}
