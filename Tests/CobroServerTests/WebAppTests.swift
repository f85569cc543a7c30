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

/// A signed-in browser for in-process tests: the session cookie and the CSRF token from a page's form.
struct Browser {
    var cookie: String
    var csrf: String
}

enum WebTest {
    static let password = "correct horse battery"

    /// Company A of the fixture with collector `ana` owning K1 (K2 unassigned) and one user per role.
    static func setUp(_ f: APIFixture) async throws {
        try await f.db.transaction { c in
            let now = f.clock.nowMillis()
            try await PortfolioStore.upsertCollector(c, company: f.a.id, Collector(key: "ana", name: "Ana"), actor: "test", now: now)
            try await PortfolioStore.upsertCollector(c, company: f.a.id, Collector(key: "luis", name: "Luis"), actor: "test", now: now)
            _ = try await PortfolioStore.assignByHand(c, company: f.a.id, customerRef: "K1", collector: "ana", reason: nil, actor: "test", now: now)
            _ = try await PortfolioStore.assignByHand(c, company: f.a.id, customerRef: "K2", collector: "luis", reason: nil, actor: "test", now: now)
            for (email, role, collector) in [("admin@a.test", UserRole.admin, nil), ("manager@a.test", .manager, nil), ("ana@a.test", .collector, "ana"), ("viewer@a.test", .viewer, nil)] {
                _ = try await UserStore.create(c, company: f.a.id, email: email, name: email, role: role, collector: collector, language: "en", password: password, cost: 4, actor: "test", now: now)
            }
            _ = try await UserStore.create(c, company: f.b.id, email: "manager@b.test", name: "B", role: .manager, language: "en", password: password, cost: 4, actor: "test", now: now)
        }
    }

    static func app(_ f: APIFixture, mailer: Mailer? = nil, checkoutURL: String? = nil, snapshotInlineLimitMillis: Int64 = 250) -> some ApplicationProtocol {
        Application(router: buildRouter(AppDependencies(
            db: f.db, clock: f.clock,
            web: WebSettings(bcryptCost: 4, publicURL: "http://cobro.test", checkoutURL: checkoutURL, snapshotInlineLimitMillis: snapshotInlineLimitMillis), mailer: mailer)))
    }

    static func form(_ fields: [(String, String)]) -> String {
        fields.map { "\($0.0)=\($0.1.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")" }.joined(separator: "&")
    }

    static let formHeaders: HTTPFields = [.contentType: "application/x-www-form-urlencoded"]

    /// Signs in and reads the CSRF token off the dashboard.
    static func signIn(_ client: some TestClientProtocol, _ email: String, password: String = password) async throws -> Browser {
        let cookie = try await client.execute(uri: "/login", method: .post, headers: formHeaders, body: .text(form([("email", email), ("password", password)]))) { r in
            #expect(r.status == .seeOther, "login of \(email)")
            return (r.headers[.setCookie] ?? "").split(separator: ";").first.map(String.init) ?? ""
        }
        let page = try await get(client, "/app", cookie: cookie).1
        let csrf = try #require(page.firstMatch(of: /name="_csrf" value="([0-9a-f]+)"/)).1
        return Browser(cookie: cookie, csrf: String(csrf))
    }

    static func get(_ client: some TestClientProtocol, _ uri: String, cookie: String?) async throws -> (HTTPResponse.Status, String, HTTPFields) {
        var h: HTTPFields = [:]
        if let cookie { h[.cookie] = cookie }
        return try await client.execute(uri: uri, method: .get, headers: h) { r in (r.status, String(buffer: r.body), r.headers) }
    }

    /// POSTs a form as the browser (with its CSRF token unless `csrf` is false); returns status, location and body.
    static func post(_ client: some TestClientProtocol, _ uri: String, _ b: Browser?, _ fields: [(String, String)], csrf: Bool = true) async throws -> (HTTPResponse.Status, String, String) {
        var h = formHeaders
        if let b { h[.cookie] = b.cookie }
        let all = (csrf && b != nil ? [("_csrf", b!.csrf)] : []) + fields
        return try await client.execute(uri: uri, method: .post, headers: h, body: .text(form(all))) { r in (r.status, r.headers[.location] ?? "", String(buffer: r.body)) }
    }

    static func count(_ db: any Database, _ sql: String, _ binds: [SQLValue]) async throws -> Int64 {
        try await db.read { c in try await c.first(sql, binds)!.int(0) }
    }
}

@Suite("Web app: sign-in, roles, CSRF, pages")
struct WebAppTests {
    @Test("pages need a session: /app redirects to the login page, keeping where the user wanted to go", arguments: ["/app", "/app/worklist", "/app/customers/K1", "/app/credit-requests"])
    func redirectsToLogin(path: String) async throws {
        try await APITest.withFixture { f in
            try await WebTest.app(f).test(.router) { client in
                let (status, _, headers) = try await WebTest.get(client, path, cookie: nil)
                #expect(status == .seeOther)
                #expect(headers[.location] == "/login?next=" + path.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!)
                let forged = try await WebTest.get(client, path, cookie: "cobro_session=s_forged")
                #expect(forged.0 == .seeOther)
            }
        }
    }

    @Test("a wrong password is refused without saying whether the email exists; five in a row lock the account, even for the right password; all audited")
    func lockout() async throws {
        try await APITest.withFixture { f in
            try await WebTest.setUp(f)
            try await WebTest.app(f).test(.router) { client in
                let unknown = try await WebTest.post(client, "/login", nil, [("email", "nobody@a.test"), ("password", "x")])
                let wrong = try await WebTest.post(client, "/login", nil, [("email", "ana@a.test"), ("password", "wrong password")])
                #expect(unknown.0 == .unauthorized && wrong.0 == .unauthorized)
                #expect(unknown.2.contains("Email or password is not correct.") && wrong.2.contains("Email or password is not correct."))
                for _ in 2...4 { _ = try await WebTest.post(client, "/login", nil, [("email", "ana@a.test"), ("password", "wrong password")]) }
                let fifth = try await WebTest.post(client, "/login", nil, [("email", "ana@a.test"), ("password", "wrong password")])
                #expect(fifth.0 == .forbidden)
                #expect(fifth.2.contains("Too many failed attempts"))
                let right = try await WebTest.post(client, "/login", nil, [("email", "ana@a.test"), ("password", WebTest.password)])
                #expect(right.0 == .forbidden, "locked: the right password does not open it either")
            }
            let audited = try await WebTest.count(f.db, "SELECT COUNT(*) FROM audit_event WHERE company_id = $1 AND action IN ('user.login_failed', 'user.locked', 'user.login_refused')", [.int(f.a.id)])
            #expect(audited == 6)
            // Fifteen minutes later the lock has run out.
            let later = APIFixture(db: f.db, a: f.a, b: f.b, tokenA: f.tokenA, tokenB: f.tokenB, clock: .fixed(APITest.now + LoginLockout.lockMillis + 1))
            try await WebTest.app(later).test(.router) { client in
                let ok = try await WebTest.post(client, "/login", nil, [("email", "ana@a.test"), ("password", WebTest.password)])
                #expect(ok.0 == .seeOther && ok.1 == "/app")
            }
        }
    }

    @Test("the login page sends a signed-in user only to pages of the app (no open redirect)")
    func safeNext() async throws {
        try await APITest.withFixture { f in
            try await WebTest.setUp(f)
            try await WebTest.app(f).test(.router) { client in
                for (next, expected) in [("/app/worklist", "/app/worklist"), ("https://evil.example/", "/app"), ("//evil.example", "/app")] {
                    let r = try await WebTest.post(client, "/login", nil, [("email", "manager@a.test"), ("password", WebTest.password), ("next", next)])
                    #expect(r.1 == expected)
                }
            }
        }
    }

    @Test("every page renders for every role, in the user's language, with the security headers")
    func pagesRender() async throws {
        try await APITest.withFixture { f in
            try await WebTest.setUp(f)
            try await WebTest.app(f).test(.router) { client in
                for email in ["admin@a.test", "manager@a.test", "ana@a.test", "viewer@a.test"] {
                    let b = try await WebTest.signIn(client, email)
                    for path in ["/app", "/app/worklist", "/app/customers", "/app/customers/K1", "/app/credit-requests"] {
                        let (status, body, headers) = try await WebTest.get(client, path, cookie: b.cookie)
                        #expect(status == .ok, "\(email) \(path)")
                        #expect(body.contains("<html lang=\"en\">"))
                        #expect(headers[.contentSecurityPolicy]?.contains("frame-ancestors 'none'") == true)
                        #expect(headers[HTTPField.Name("X-Frame-Options")!] == "DENY")
                    }
                }
                // The worked example as of 2024-07-01: K1 owes INV-1 5,000 (current), INV-2 4,000 (1 day), INV-5 3,000 (37 days), INV-7 1,500 (92 days).
                let manager = try await WebTest.signIn(client, "manager@a.test")
                let k1 = try await WebTest.get(client, "/app/customers/K1", cookie: manager.cookie).1
                #expect(k1.contains("USD 13,500.00"))
                #expect(k1.contains("92 days"))
                let dashboard = try await WebTest.get(client, "/app", cookie: manager.cookie).1
                #expect(dashboard.contains("<svg class=\"chart\" role=\"img\""))
                #expect(dashboard.contains("91+ days"))
            }
        }
    }

    @Test("the customer page shows the risk score with its reasons, in the user's language")
    func riskReasonsOnTheCustomerPage() async throws {
        try await APITest.withFixture { f in
            try await WebTest.setUp(f)
            try await f.db.transaction { c in
                let now = f.clock.nowMillis()
                _ = try await UserStore.create(c, company: f.a.id, email: "es@a.test", name: "Elena", role: .manager, language: "es", password: WebTest.password, cost: 4, actor: "test", now: now)
            }
            try await APITest.storeRisk(f, customerRef: "K1", score: 81, reasons: APITest.twoReasons)
            try await WebTest.app(f).test(.router) { client in
                let es = try await WebTest.signIn(client, "es@a.test"), en = try await WebTest.signIn(client, "manager@a.test")
                let spanish = try await WebTest.get(client, "/app/customers/K1", cookie: es.cookie).1
                #expect(spanish.contains("81/100"))
                #expect(spanish.contains("<li>paga con 23 días de retraso de media</li><li>un historial de facturas corto</li>"))
                let english = try await WebTest.get(client, "/app/customers/K1", cookie: en.cookie).1
                #expect(english.contains("<li>paid 23 days late on average</li><li>a short history of invoices</li>"))
                // A customer without a score shows none, and no empty list.
                let k2 = try await WebTest.get(client, "/app/customers/K2", cookie: en.cookie).1
                #expect(!k2.contains("class=\"reasons"))
            }
        }
    }

    @Test("a POST without the session's CSRF token changes nothing")
    func csrf() async throws {
        try await APITest.withFixture { f in
            try await WebTest.setUp(f)
            try await WebTest.app(f).test(.router) { client in
                let ana = try await WebTest.signIn(client, "ana@a.test")
                let before = try await WebTest.count(f.db, "SELECT COUNT(*) FROM interaction WHERE company_id = $1", [.int(f.a.id)])
                let missing = try await WebTest.post(client, "/app/customers/K1/calls", ana, [("outcome", "no_answer")], csrf: false)
                var forged = ana
                forged.csrf = String(repeating: "0", count: ana.csrf.count)
                let wrong = try await WebTest.post(client, "/app/customers/K1/calls", forged, [("outcome", "no_answer")])
                #expect(missing.0 == .forbidden && wrong.0 == .forbidden)
                #expect(try await WebTest.count(f.db, "SELECT COUNT(*) FROM interaction WHERE company_id = $1", [.int(f.a.id)]) == before)
                let ok = try await WebTest.post(client, "/app/customers/K1/calls", ana, [("outcome", "no_answer"), ("summary", "rang twice")])
                #expect(ok.0 == .seeOther)
                #expect(try await WebTest.count(f.db, "SELECT COUNT(*) FROM interaction WHERE company_id = $1", [.int(f.a.id)]) == before + 1)
            }
        }
    }

    @Test("a collector works their own customers only; a viewer changes nothing; another company's customer does not exist")
    func roles() async throws {
        try await APITest.withFixture { f in
            try await WebTest.setUp(f)
            try await WebTest.app(f).test(.router) { client in
                let ana = try await WebTest.signIn(client, "ana@a.test")
                let viewer = try await WebTest.signIn(client, "viewer@a.test")
                let other = try await WebTest.signIn(client, "manager@b.test")
                let actions: [(String, [(String, String)])] = [
                    ("calls", [("outcome", "no_answer")]), ("notes", [("summary", "n")]), ("promises", [("amount", "100.00"), ("promise_date", "2024-07-10")]),
                    ("disputes", [("invoice", "INV-3"), ("reason", "pricing")]), ("snooze", [("until", "2024-07-05")]), ("credit-limit-requests", [("limit", "1000.00"), ("reason", "r")]),
                ]
                for (action, fields) in actions {
                    #expect(try await WebTest.post(client, "/app/customers/K2/\(action)", ana, fields).0 == .forbidden, "ana on luis's K2: \(action)")
                    #expect(try await WebTest.post(client, "/app/customers/K1/\(action)", viewer, fields).0 == .forbidden, "viewer: \(action)")
                }
                #expect(try await WebTest.count(f.db, "SELECT COUNT(*) FROM interaction WHERE company_id = $1", [.int(f.a.id)]) == 0)
                #expect(try await WebTest.count(f.db, "SELECT COUNT(*) FROM credit_limit_request WHERE company_id = $1", [.int(f.a.id)]) == 0)
                // Company B has a K1 of its own: B's user sees and works B's K1, and nothing of A's.
                let manager = try await WebTest.signIn(client, "manager@a.test")
                _ = try await WebTest.post(client, "/app/customers/K1/notes", manager, [("summary", "only for company A")])
                _ = try await WebTest.post(client, "/app/customers/K1/notes", other, [("summary", "company B's note")])
                #expect(try await WebTest.count(f.db, "SELECT COUNT(*) FROM interaction WHERE company_id = $1", [.int(f.a.id)]) == 1)
                #expect(try await WebTest.count(f.db, "SELECT COUNT(*) FROM interaction WHERE company_id = $1", [.int(f.b.id)]) == 1)
                let bPage = try await WebTest.get(client, "/app/customers/K1", cookie: other.cookie).1
                #expect(bPage.contains("company B&#39;s note") || bPage.contains("company B's note"))
                #expect(!bPage.contains("only for company A"))
                // Ana's worklist has her customer only, with the quick actions; the viewer sees both without them.
                let list = try await WebTest.get(client, "/app/worklist", cookie: ana.cookie).1
                #expect(list.contains("data-ref=\"K1\"") && !list.contains("data-ref=\"K2\""))
                #expect(list.contains("/app/customers/K1/calls"))
                let viewed = try await WebTest.get(client, "/app/worklist", cookie: viewer.cookie).1
                #expect(viewed.contains("data-ref=\"K2\"") && !viewed.contains("call-form"))
            }
        }
    }

    @Test("quick actions: a call, a promise and a dispute from the worklist land on the customer's timeline; snooze takes the customer off the worklist")
    func quickActions() async throws {
        try await APITest.withFixture { f in
            try await WebTest.setUp(f)
            try await WebTest.app(f).test(.router) { client in
                let ana = try await WebTest.signIn(client, "ana@a.test")
                let call = try await WebTest.post(client, "/app/customers/K1/calls", ana, [("outcome", "promise"), ("summary", "will pay Friday"), ("back", "/app/worklist")])
                #expect(call.0 == .seeOther && call.1.hasPrefix("/app/worklist?notice=Call%20logged"))
                let promise = try await WebTest.post(client, "/app/customers/K1/promises", ana, [("amount", "4000.00"), ("promise_date", "2024-07-05")])
                #expect(promise.1.removingPercentEncoding?.contains("Promise recorded: USD 4,000.00 on 5 Jul 2024") == true)
                let bad = try await WebTest.post(client, "/app/customers/K1/promises", ana, [("amount", "40.001"), ("promise_date", "2024-07-05")])
                #expect(bad.1.removingPercentEncoding?.contains("amount") == true)
                let forgedInvoice = try await WebTest.post(client, "/app/customers/K1/disputes", ana, [("invoice", "INV-3"), ("reason", "pricing")])
                #expect(forgedInvoice.1.removingPercentEncoding?.contains("INV-3 is not an invoice of K1") == true)
                _ = try await WebTest.post(client, "/app/customers/K1/disputes", ana, [("invoice", "INV-5"), ("reason", "quality"), ("comment", "broken")])
                let page = try await WebTest.get(client, "/app/customers/K1", cookie: ana.cookie).1
                #expect(page.contains("will pay Friday"))
                #expect(try await WebTest.count(f.db, "SELECT COUNT(*) FROM promise WHERE company_id = $1 AND amount = 400000", [.int(f.a.id)]) == 1)
                #expect(try await WebTest.count(f.db, "SELECT COUNT(*) FROM dispute WHERE company_id = $1", [.int(f.a.id)]) == 1)
                #expect(try await WebTest.count(f.db, "SELECT COUNT(*) FROM audit_event WHERE company_id = $1 AND actor = 'user:ana@a.test'", [.int(f.a.id)]) >= 3)
                _ = try await WebTest.post(client, "/app/customers/K1/snooze", ana, [("until", "2024-07-03")])
                #expect(!(try await WebTest.get(client, "/app/worklist", cookie: ana.cookie).1.contains("data-ref=\"K1\"")))
            }
        }
    }

    @Test("credit limits: a collector requests, only a manager approves, never their own request")
    func creditApproval() async throws {
        try await APITest.withFixture { f in
            try await WebTest.setUp(f)
            try await WebTest.app(f).test(.router) { client in
                let ana = try await WebTest.signIn(client, "ana@a.test"), manager = try await WebTest.signIn(client, "manager@a.test")
                _ = try await WebTest.post(client, "/app/customers/K1/credit-limit-requests", ana, [("limit", "25000.00"), ("reason", "seasonal orders")])
                let id = try await WebTest.count(f.db, "SELECT id FROM credit_limit_request WHERE company_id = $1", [.int(f.a.id)])
                #expect(try await WebTest.post(client, "/app/credit-requests/\(id)/approve", ana, []).0 == .forbidden)
                let list = try await WebTest.get(client, "/app/credit-requests", cookie: manager.cookie).1
                #expect(list.contains("USD 25,000.00") && list.contains("seasonal orders"))
                let ok = try await WebTest.post(client, "/app/credit-requests/\(id)/approve", manager, [])
                #expect(ok.1.removingPercentEncoding?.contains("Request approved") == true)
                #expect(try await WebTest.count(f.db, "SELECT credit_limit FROM customer WHERE company_id = $1 AND customer_ref = 'K1'", [.int(f.a.id)]) == 2_500_000)
                _ = try await WebTest.post(client, "/app/customers/K1/credit-limit-requests", manager, [("limit", "30000.00"), ("reason", "own")])
                let own = try await WebTest.count(f.db, "SELECT MAX(id) FROM credit_limit_request WHERE company_id = $1", [.int(f.a.id)])
                let refused = try await WebTest.post(client, "/app/credit-requests/\(own)/approve", manager, [])
                #expect(refused.1.contains("notice=") && !(refused.1.removingPercentEncoding ?? "").contains("Request approved"))
                #expect(try await WebTest.count(f.db, "SELECT credit_limit FROM customer WHERE company_id = $1 AND customer_ref = 'K1'", [.int(f.a.id)]) == 2_500_000)
            }
        }
    }

    @Test("password reset: the link goes by email to the user, works once, and ends the old sessions")
    func passwordReset() async throws {
        try await APITest.withFixture { f in
            try await WebTest.setUp(f)
            let outbox = Outbox()
            try await WebTest.app(f, mailer: Mailer { mail in outbox.add(mail) }).test(.router) { client in
                let old = try await WebTest.signIn(client, "ana@a.test")
                let unknown = try await WebTest.post(client, "/password-reset", nil, [("email", "nobody@a.test")])
                let known = try await WebTest.post(client, "/password-reset", nil, [("email", "ana@a.test")])
                #expect(unknown.2.contains("If the address has an account") && known.2.contains("If the address has an account"))
                let mail = try #require(outbox.all.first)
                #expect(outbox.all.count == 1 && mail.to == "ana@a.test")
                let token = String(try #require(mail.text.firstMatch(of: /http:\/\/cobro\.test\/password-reset\/(r_[0-9a-f]+)/)).1)
                #expect(try await WebTest.post(client, "/password-reset/\(token)", nil, [("password", "short")]).0 == .unprocessableContent)
                let done = try await WebTest.post(client, "/password-reset/\(token)", nil, [("password", "a brand new passphrase")])
                #expect(done.0 == .seeOther && done.1.hasPrefix("/login"))
                #expect(try await WebTest.post(client, "/password-reset/\(token)", nil, [("password", "another new passphrase")]).0 == .unprocessableContent, "once only")
                #expect(try await WebTest.get(client, "/app", cookie: old.cookie).0 == .seeOther, "old session ended")
                _ = try await WebTest.signIn(client, "ana@a.test", password: "a brand new passphrase")
            }
        }
    }
}

/// Captures the web app's emails in tests.
final class Outbox: @unchecked Sendable {
    private let lock = NSLock()
    private var mails: [OutgoingMail] = []
    func add(_ mail: OutgoingMail) { lock.withLock { mails.append(mail) } }
    var all: [OutgoingMail] { lock.withLock { mails } }
}
