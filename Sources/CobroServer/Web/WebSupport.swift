import CobroCore
import CobroStore
import Foundation
import Hummingbird
import Mustache
import NIOCore

/// How the web app and portal behave; the defaults suit a local demo, production sets `secureCookies` and `hsts`.
public struct WebSettings: Sendable {
    /// bcrypt cost for new passwords (2^cost rounds): 12 in production; tests use the minimum, 4.
    public var bcryptCost: UInt8
    /// Marks cookies `Secure` (HTTPS only).
    public var secureCookies: Bool
    /// Sends `Strict-Transport-Security` (only behind HTTPS).
    public var hsts: Bool
    /// The address customers reach the portal at, for links in reminders (e.g. https://cobro.example.com).
    public var publicURL: String
    /// The payment provider's hosted checkout page; the portal redirects there with `intent`, `amount`, `currency`
    /// and `return` query parameters. Nil sends the customer to Cobro's own test checkout page.
    public var checkoutURL: String?
    /// Login attempts per client address per minute (beyond it: 429).
    public var loginAttemptsPerMinute: Int
    /// Portal requests per link per minute.
    public var portalRequestsPerMinute: Int
    /// A stale dashboard snapshot that took at most this long to compute is recomputed on the request; a slower one
    /// is shown with its time and recomputed in the background (see ``SnapshotFreshness``).
    public var snapshotInlineLimitMillis: Int64

    public init(
        bcryptCost: UInt8 = 12, secureCookies: Bool = false, hsts: Bool = false, publicURL: String = "http://127.0.0.1:8080", checkoutURL: String? = nil,
        loginAttemptsPerMinute: Int = 20, portalRequestsPerMinute: Int = 120, snapshotInlineLimitMillis: Int64 = 250
    ) {
        self.bcryptCost = bcryptCost
        self.secureCookies = secureCookies
        self.hsts = hsts
        self.publicURL = publicURL
        self.checkoutURL = checkoutURL
        self.loginAttemptsPerMinute = loginAttemptsPerMinute
        self.portalRequestsPerMinute = portalRequestsPerMinute
        self.snapshotInlineLimitMillis = snapshotInlineLimitMillis
    }
}

/// The Mustache templates of the web app and portal (Sources/CobroServer/Web/Templates), parsed once at start.
/// Each page passes a typed view model; a render test per page checks that what matters is on it.
struct WebRenderer: Sendable {
    let library: MustacheLibrary

    static let shared: WebRenderer = {
        var library = MustacheLibrary()
        if let dir = Bundle.module.url(forResource: "Templates", withExtension: nil),
            let names = try? FileManager.default.contentsOfDirectory(atPath: dir.path)
        {
            for name in names where name.hasSuffix(".mustache") {
                guard let text = try? String(contentsOf: dir.appendingPathComponent(name), encoding: .utf8) else { continue }
                do { try library.register(text, named: String(name.dropLast(".mustache".count))) } catch {
                    preconditionFailure("template \(name) does not parse: \(error)")
                }
            }
        }
        return WebRenderer(library: library)
    }()

    func html(_ template: String, _ model: Any, status: HTTPResponse.Status = .ok) -> Response {
        let body = library.render(model, withTemplate: template) ?? "template \(template) is missing"
        return Response(
            status: status, headers: [.contentType: "text/html; charset=utf-8", .cacheControl: "no-store"], body: .init(byteBuffer: ByteBuffer(string: body)))
    }
}

/// The UI language of a request: the user's stored preference, then the browser's Accept-Language, then the
/// company's locale; always one of ``WebText/languages``.
enum WebLanguage {
    static func pick(user: String?, acceptLanguage: String?, company: String?) -> String {
        if let user, let l = supported(user) { return l }
        for part in (acceptLanguage ?? "").split(separator: ",") {
            let tag = part.split(separator: ";").first.map { $0.trimmingCharacters(in: .whitespaces) } ?? ""
            if let l = supported(tag) { return l }
        }
        return company.flatMap(supported) ?? "en"
    }

    static func supported(_ tag: String) -> String? {
        let primary = tag.lowercased().split(separator: "-").first.map(String.init) ?? ""
        return WebText.languages.contains(primary) ? primary : nil
    }
}

/// A submitted `application/x-www-form-urlencoded` form, with the field errors a page shows next to the fields.
struct WebForm {
    var fields: [String: [String]]
    var errors: [String: String] = [:]
    /// Files of a `multipart/form-data` form.
    var files: [MultipartForm.File] = []

    static let maxBytes = 1 << 20

    /// An urlencoded form (up to 1 MiB) or a multipart one with files (up to `maxUpload`).
    static func parse(_ request: Request, maxUpload: Int = 1 << 20) async throws -> WebForm {
        if let boundary = MultipartForm.boundary(request.headers[.contentType]) {
            let body = Array(buffer: try await request.body.collect(upTo: maxUpload))
            guard let m = MultipartForm(body: body, boundary: boundary) else { return WebForm(body: "") }
            var form = WebForm(body: "")
            form.fields = m.fields.mapValues { [$0] }
            form.files = m.files
            return form
        }
        let buffer = try await request.body.collect(upTo: maxBytes)
        return WebForm(body: String(buffer: buffer))
    }

    init(body: String) {
        var f: [String: [String]] = [:]
        for pair in body.split(separator: "&") {
            let kv = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let key = Self.decode(kv[0]), value = kv.count > 1 ? Self.decode(kv[1]) : ""
            f[key, default: []].append(value)
        }
        fields = f
    }

    static func decode(_ s: Substring) -> String {
        String(s).replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? String(s)
    }

    func string(_ key: String) -> String? {
        guard let v = fields[key]?.first?.trimmingCharacters(in: .whitespacesAndNewlines), !v.isEmpty else { return nil }
        return v
    }
    func all(_ key: String) -> [String] { (fields[key] ?? []).filter { !$0.isEmpty } }

    mutating func required(_ key: String, _ language: String) -> String? {
        guard let v = string(key) else {
            errors[key] = language == "es" ? "Campo obligatorio" : "Required"
            return nil
        }
        return v
    }

    mutating func date(_ key: String, _ language: String) -> LocalDate? {
        guard let text = required(key, language) else { return nil }
        guard let d = LocalDate(iso: text) else {
            errors[key] = language == "es" ? "\"\(text)\" no es una fecha AAAA-MM-DD" : "\"\(text)\" is not a date YYYY-MM-DD"
            return nil
        }
        return d
    }

    /// Store errors become messages next to their fields (the same texts the API returns).
    mutating func absorb(_ error: any Error) -> Bool {
        switch error {
        case StoreError.invalid(let field, let message): errors[field] = message
        case StoreError.invalidFields(let all): for p in all { errors[p.field] = p.message }
        case StoreError.notFound(let m), StoreError.conflict(let m): errors["form"] = m
        case let e as LedgerError: errors[e.field ?? "form"] = e.message
        default: return false
        }
        return true
    }
}

extension CharacterSet {
    /// RFC 3986 unreserved characters: what a query value may carry unencoded.
    static let unreservedURL = CharacterSet.alphanumerics.union(CharacterSet(charactersIn: "-._~"))
}

/// Builders of web responses.
enum WebResponse {
    static func redirect(_ location: String) -> Response {
        Response(status: .seeOther, headers: [.location: location, .cacheControl: "no-store"])
    }

    /// `path` plus a `notice` query parameter that the next page shows as a toast.
    static func redirect(_ path: String, notice: String) -> Response {
        let q = notice.addingPercentEncoding(withAllowedCharacters: .unreservedURL) ?? ""
        return redirect(path + (path.contains("?") ? "&" : "?") + "notice=" + q)
    }

    static func cookie(_ name: String, _ value: String, maxAge: Int?, secure: Bool, path: String = "/") -> Cookie {
        Cookie(name: name, value: value, maxAge: maxAge, path: path, secure: secure, httpOnly: true, sameSite: .lax)
    }
}

/// Amounts and dates on pages, per language (the formats of customer messages: es `1.234,56 MXN`, en `$1,234.56`).
struct WebFormat {
    let language: String
    let format: LocalizedFormat

    init(language: String, companyLocale: String) {
        self.language = language
        // Spanish pages of a Mexican or US company write amounts as in Mexico; other Spanish as in Spain.
        let region = companyLocale.split(separator: "-").dropFirst().first.map(String.init)
        format = LocalizedFormat(languageTag: region.map { "\(language)-\($0)" } ?? (language == "es" ? "es-MX" : "en-US"))
    }

    func money(_ m: Money) -> String { format.money(m) }
    func money(_ minor: Int64, _ currency: Currency) -> String { format.money(Money(minor: minor, currency)) }
    func date(_ d: LocalDate) -> String { format.date(d) }
    /// `1.5` → `1.5` / `1,5` with one decimal; nil → an en dash.
    func number(_ v: Double?, decimals: Int = 1) -> String {
        guard let v, v.isFinite else { return "–" }
        let s = String(format: "%.\(decimals)f", v)
        return language == "es" ? s.replacingOccurrences(of: ".", with: ",") : s
    }
    /// An aging bucket's label for people: `current` → "current"/"al corriente", `d1_30` → "1–30 days"/"1–30 días",
    /// `d91_plus` → "91+ days"/"91+ días".
    func bucket(_ label: String) -> String {
        let days = language == "es" ? "días" : "days"
        if label == "current" { return language == "es" ? "al corriente" : "current" }
        let parts = label.dropFirst().split(separator: "_")
        if parts.count == 2, parts[1] == "plus" { return "\(parts[0])+ \(days)" }
        if parts.count == 2 { return "\(parts[0])–\(parts[1]) \(days)" }
        return label
    }

    /// The pill of a number of days past due (text and a CSS class of the bucket).
    func pill(daysPastDue: Int) -> Pill {
        let cls: String
        switch daysPastDue {
        case ...0: cls = "current"
        case 1...30: cls = "d30"
        case 31...60: cls = "d60"
        case 61...90: cls = "d90"
        default: cls = "d90plus"
        }
        let text: String
        if daysPastDue <= 0 { text = language == "es" ? "al corriente" : "current" } else {
            text = language == "es" ? "\(daysPastDue) días" : "\(daysPastDue) days"
        }
        return Pill(cls: cls, text: text)
    }
}

struct Pill: Sendable {
    var cls: String
    var text: String
}

/// Renders a simple `<svg>` text safely (the charts build SVG in Swift, so everything inserted goes through this).
func xmlEscape(_ s: String) -> String {
    var out = ""
    out.reserveCapacity(s.count)
    for ch in s {
        switch ch {
        case "&": out += "&amp;"
        case "<": out += "&lt;"
        case ">": out += "&gt;"
        case "\"": out += "&quot;"
        case "'": out += "&#39;"
        default: out.append(ch)
        }
    }
    return out
}
