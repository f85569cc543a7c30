import CobroCore
import CobroStore
import Foundation
import HTTPTypes
import Hummingbird
import NIOConcurrencyHelpers

/// Signs in the browser behind the `cobro_session` cookie for every `/app` page; sends anyone else to the login page.
/// Every POST must carry the session's `_csrf` form field (the cookie alone proves nothing: another site can make
/// the browser send it), so the form is parsed and checked here, once for all routes, and handed on in the context.
struct WebSessionMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext
    static let cookie = "cobro_session"
    let db: any Database
    let clock: Clock
    /// The largest `multipart/form-data` body (an uploaded CSV); bigger files go through the CLI or the API, which stream.
    var uploadLimit = 64 << 20

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let now = clock.nowMillis()
        guard let token = request.cookies[Self.cookie]?.value,
            let session = try await db.read({ c in try await UserStore.session(c, token: token, now: now) })
        else {
            if request.method == .get {
                let target = request.uri.path + (request.uri.query.map { "?" + $0 } ?? "")
                return WebResponse.redirect("/login?next=" + (target.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "/app"))
            }
            return WebResponse.redirect("/login")
        }
        var ctx = context
        ctx.web = session
        ctx.company = session.company
        ctx.ledgerVersion = session.ledgerVersion
        ctx.actor = "user:\(session.user.email)"
        ctx.collector = session.user.role == .collector ? session.user.collector : nil
        if request.method == .post {
            let form = try await WebForm.parse(request, maxUpload: uploadLimit)
            guard let sent = form.string("_csrf"), constantTimeEqual(sent, session.csrf) else {
                let lang = WebLanguage.pick(user: session.user.language, acceptLanguage: request.headers[.acceptLanguage], company: session.company.locale)
                return WebPages.message(status: .forbidden, title: WebText.word("session_expired", lang), lang: lang)
            }
            ctx.form = form
        }
        do {
            return try await next(request, ctx)
        } catch let p as Problem {
            // A person is reading: the refusal as a page in their language, with the same status the API would give.
            let lang = WebLanguage.pick(user: session.user.language, acceptLanguage: request.headers[.acceptLanguage], company: session.company.locale)
            let title = p.status == .forbidden ? WebText.word("forbidden", lang) : p.status == .notFound ? WebText.word("not_found", lang) : p.title
            return WebPages.message(status: p.status, title: title + (p.status == .forbidden ? "" : " — " + p.detail), lang: lang)
        }
    }
}

/// Compares secrets without an early exit, so the time taken tells nothing about how much of a guess was right.
func constantTimeEqual(_ a: String, _ b: String) -> Bool {
    let x = Array(a.utf8), y = Array(b.utf8)
    guard x.count == y.count else { return false }
    var diff: UInt8 = 0
    for i in x.indices { diff |= x[i] ^ y[i] }
    return diff == 0
}

/// Security headers on every response: a strict Content-Security-Policy (scripts and styles only from Cobro itself,
/// no framing), no MIME sniffing, no referrer beyond this site (portal links carry their token in the path), and
/// HSTS when configured.
struct SecurityHeadersMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext
    let hsts: Bool

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var response: Response
        do { response = try await next(request, context) } catch let e as any HTTPResponseError { response = try e.response(from: request, context: context) }
        response.headers[.contentSecurityPolicy] =
            "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; form-action 'self' https:; frame-ancestors 'none'; base-uri 'none'; object-src 'none'"
        response.headers[.xContentTypeOptions] = "nosniff"
        response.headers[.xFrameOptions] = "DENY"
        response.headers[.referrerPolicy] = request.uri.path.hasPrefix("/portal") ? "no-referrer" : "same-origin"
        if hsts { response.headers[.strictTransportSecurity] = "max-age=31536000; includeSubDomains" }
        return response
    }
}

/// Counts requests per key in fixed one-minute windows (login attempts per client address, portal requests per
/// link). In memory: a restart forgets, which is acceptable for a limit whose purpose is to slow guessing down.
final class RateLimiter: Sendable {
    let limit: Int
    let clock: Clock
    private let windows = NIOLockedValueBox([String: (minute: Int64, count: Int)]())

    init(limit: Int, clock: Clock) {
        self.limit = limit
        self.clock = clock
    }

    /// Counts one request for `key`; false when the key is over its limit this minute.
    func allow(_ key: String) -> Bool {
        let minute = clock.nowMillis() / 60_000
        return windows.withLockedValue { w in
            if w.count > 10_000 { w = w.filter { $0.value.minute == minute } }
            var entry = w[key] ?? (minute, 0)
            if entry.minute != minute { entry = (minute, 0) }
            entry.count += 1
            w[key] = entry
            return entry.count <= limit
        }
    }
}

extension Request {
    /// The client address for rate limits: the first `X-Forwarded-For` hop behind a proxy, else a fixed key.
    var clientKey: String {
        headers[.xForwardedFor]?.split(separator: ",").first.map { $0.trimmingCharacters(in: .whitespaces) } ?? "direct"
    }
}

extension HTTPField.Name {
    static let xFrameOptions = HTTPField.Name("X-Frame-Options")!
    static let referrerPolicy = HTTPField.Name("Referrer-Policy")!
    static let xForwardedFor = HTTPField.Name("X-Forwarded-For")!
}
