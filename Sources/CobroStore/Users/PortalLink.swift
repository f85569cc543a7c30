import CobroCore
import Crypto
import Foundation

/// The customer's way into the portal: a link that names the company, the customer and the last day it is valid,
/// signed with the company's portal key (HMAC-SHA256). Changing any part breaks the signature, so a link can never
/// be edited to show another customer; no password is involved.
///
/// Token: `base64url(company ":" expiresDay ":" customerRef) "." base64url(HMAC(key, payload))`.
public struct PortalLink: Sendable, Equatable {
    public static let secretName = "portal_link"
    public static let defaultDays = 30

    public var company: Int64
    public var customerRef: String
    /// The last day the link opens the portal.
    public var expires: LocalDate

    public init(company: Int64, customerRef: String, expires: LocalDate) {
        self.company = company
        self.customerRef = customerRef
        self.expires = expires
    }

    public var payload: String { "\(company):\(expires.iso):\(customerRef)" }

    public func token(secret: String) -> String {
        let p = Data(payload.utf8)
        let mac = HMAC<SHA256>.authenticationCode(for: p, using: SymmetricKey(data: Data(secret.utf8)))
        return Self.base64url(p) + "." + Self.base64url(Data(mac))
    }

    /// The link a token stands for, whether expired or not, when its signature is right; nil for anything altered.
    /// `secret` is looked up by the token's company, so the company is read before the signature is checked.
    public static func verify(_ token: String, secret: (Int64) async throws -> String?) async throws -> PortalLink? {
        let parts = token.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 2, let p = decode(parts[0]), let mac = decode(parts[1]), let text = String(data: p, encoding: .utf8) else { return nil }
        let fields = text.split(separator: ":", maxSplits: 2, omittingEmptySubsequences: false)
        guard fields.count == 3, let company = Int64(fields[0]), let day = LocalDate(iso: fields[1]), !fields[2].isEmpty else { return nil }
        guard let key = try await secret(company) else { return nil }
        guard HMAC<SHA256>.isValidAuthenticationCode(mac, authenticating: p, using: SymmetricKey(data: Data(key.utf8))) else { return nil }
        return PortalLink(company: company, customerRef: String(fields[2]), expires: day)
    }

    public func isExpired(today: LocalDate) -> Bool { today > expires }

    public static func base64url(_ d: Data) -> String {
        d.base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
    }

    public static func decode(_ s: Substring) -> Data? {
        var t = s.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        while t.count % 4 != 0 { t += "=" }
        return Data(base64Encoded: t)
    }
}

/// Portal links for the CLI and for reminders.
public enum PortalLinks {
    /// A signed token for `customerRef`, valid for ``PortalLink/defaultDays`` from `today` (made with the company's
    /// portal key, which is created on first use).
    public static func token(_ c: any Connection, company: Int64, customerRef: String, today: LocalDate) async throws -> String {
        let secret = try await SecretStore.secret(c, company: company, name: PortalLink.secretName)
        return PortalLink(company: company, customerRef: customerRef, expires: today.adding(days: PortalLink.defaultDays)).token(secret: secret)
    }
}
