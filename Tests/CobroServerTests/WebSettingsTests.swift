import CobroCore
@testable import CobroServer
import CobroStore
import CobroTestSupport
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing

@Suite("Web app: settings, policy and template editor, imports, personal tokens")
struct WebSettingsTests {
    @Test("settings are the admin's: a manager is refused; buckets, webhooks and users are saved with field errors shown")
    func settings() async throws {
        try await APITest.withFixture { f in
            try await WebTest.setUp(f)
            try await WebTest.app(f).test(.router) { client in
                let m = try await WebTest.signIn(client, "manager@a.test")
                #expect(try await WebTest.get(client, "/app/settings", cookie: m.cookie).0 == .forbidden)
                #expect(try await WebTest.post(client, "/app/settings/buckets", m, [("buckets", "15,30")]).0 == .forbidden)
                let a = try await WebTest.signIn(client, "admin@a.test")
                let settings = try await WebTest.get(client, "/app/settings", cookie: a.cookie)
                #expect(settings.0 == .ok)
                // The contact rules in force, with Cobro's defaults (Mon–Fri 08:00–19:00; at most 1 a day and 3 in 7 days).
                let contact = try #require(settings.1.firstMatch(of: /id="contact-rules">[\s\S]*?<pre>([\s\S]*?)<\/pre>/)).1
                #expect(contact.contains("business_hours") && contact.contains("08:00") && contact.contains("19:00"), "\(contact)")
                let bad = try await WebTest.post(client, "/app/settings/buckets", a, [("buckets", "30,abc")])
                #expect(bad.1.removingPercentEncoding?.contains("buckets:") == true)
                _ = try await WebTest.post(client, "/app/settings/buckets", a, [("buckets", "15,45")])
                #expect(try await f.db.read { c in try await CompanyStore.find(c, id: f.a.id)! }.agingBuckets.bounds == [15, 45])
                _ = try await WebTest.post(client, "/app/settings/webhooks", a, [("url", "https://erp.example/hooks"), ("events", "payment.received"), ("secret", "0123456789abcdef")])
                #expect(try await WebTest.count(f.db, "SELECT COUNT(*) FROM webhook_subscription WHERE company_id = $1 AND active = 1", [.int(f.a.id)]) == 1)
                let badHook = try await WebTest.post(client, "/app/settings/webhooks", a, [("url", "https://erp.example/hooks"), ("events", "nope"), ("secret", "0123456789abcdef")])
                #expect(badHook.1.removingPercentEncoding?.contains("\"nope\" is not one of") == true)
                _ = try await WebTest.post(client, "/app/settings/users", a, [("email", "new@a.test"), ("name", "New"), ("role", "viewer"), ("password", "a long enough password")])
                _ = try await WebTest.signIn(client, "new@a.test", password: "a long enough password")
                let id = try await WebTest.count(f.db, "SELECT id FROM app_user WHERE email = 'new@a.test'", [])
                _ = try await WebTest.post(client, "/app/settings/users/\(id)/disable", a, [])
                let refused = try await WebTest.post(client, "/login", nil, [("email", "new@a.test"), ("password", "a long enough password")])
                #expect(refused.0 == .unauthorized)
            }
        }
    }

    @Test("the policy editor saves valid YAML as a new version and shows the line of an error without saving")
    func policy() async throws {
        try await APITest.withFixture { f in
            try await WebTest.setUp(f)
            try await WebTest.app(f).test(.router) { client in
                let m = try await WebTest.signIn(client, "manager@a.test")
                let page = try await WebTest.get(client, "/app/policy", cookie: m.cookie).1
                let yaml = String(try #require(page.firstMatch(of: /<textarea id="yaml" name="yaml"[^>]*>([\s\S]*?)<\/textarea>/)).1)
                    .replacingOccurrences(of: "&#39;", with: "'").replacingOccurrences(of: "&quot;", with: "\"").replacingOccurrences(of: "&amp;", with: "&")
                    .replacingOccurrences(of: "&lt;", with: "<").replacingOccurrences(of: "&gt;", with: ">")
                let before = try await WebTest.count(f.db, "SELECT COUNT(*) FROM dunning_config WHERE company_id = $1", [.int(f.a.id)])
                let ok = try await WebTest.post(client, "/app/policy", m, [("yaml", yaml)])
                #expect(ok.0 == .seeOther)
                #expect(try await WebTest.count(f.db, "SELECT COUNT(*) FROM dunning_config WHERE company_id = $1", [.int(f.a.id)]) == before + 1)
                let broken = try await WebTest.post(client, "/app/policy", m, [("yaml", "assignment: [unclosed\n")])
                #expect(broken.0 == .unprocessableContent && broken.2.contains("role=\"alert\""))
                #expect(try await WebTest.count(f.db, "SELECT COUNT(*) FROM dunning_config WHERE company_id = $1", [.int(f.a.id)]) == before + 1)
                let ana = try await WebTest.signIn(client, "ana@a.test")
                #expect(try await WebTest.get(client, "/app/policy", cookie: ana.cookie).0 == .forbidden)
            }
        }
    }

    @Test("the template editor previews unsaved texts for a real customer, sends a test to the user, saves, and refuses an unknown variable")
    func templates() async throws {
        try await APITest.withFixture { f in
            try await WebTest.setUp(f)
            let outbox = Outbox()
            try await WebTest.app(f, mailer: Mailer { outbox.add($0) }).test(.router) { client in
                let m = try await WebTest.signIn(client, "manager@a.test")
                let fields: [(String, String)] = [
                    ("key", "overdue_7"), ("language", "en"), ("customer", "K2"), ("subject", "Hello {{customer.name}}"), ("text", "You owe {{total_due}}."), ("html", "<p>You owe {{total_due}}.</p>"),
                    ("sms", "Owe {{total_due}}"),
                ]
                let preview = try await WebTest.post(client, "/app/templates", m, fields + [("action", "preview")])
                let previewError = preview.2.firstMatch(of: /template-error">([^<]*)/).map { String($0.1) } ?? ""
                #expect(preview.0 == .ok && preview.2.contains("Hello Lambda Retail LLC"), "\(previewError)")
                #expect(try await WebTest.count(f.db, "SELECT COUNT(*) FROM dunning_config WHERE company_id = $1", [.int(f.a.id)]) == 0, "a preview saves nothing")
                _ = try await WebTest.post(client, "/app/templates", m, fields + [("action", "test")])
                #expect(outbox.all.count == 1 && outbox.all[0].to == "manager@a.test" && outbox.all[0].subject == "[test] Hello Lambda Retail LLC")
                let saved = try await WebTest.post(client, "/app/templates", m, fields + [("action", "save")])
                #expect(saved.0 == .seeOther)
                let (_, config) = try await f.db.read { c in try await DunningConfigStore.current(c, company: f.a.id) }
                #expect(config.templates.texts[TemplateKey("overdue_7")]?["en"]?.subject == "Hello {{customer.name}}")
                let bad = try await WebTest.post(client, "/app/templates", m, [("key", "overdue_7"), ("language", "en"), ("customer", "K2"), ("subject", "{{nonsense}}"), ("action", "preview")])
                #expect(bad.0 == .unprocessableContent && bad.2.contains("id=\"template-error\""))
            }
        }
    }

    @Test("the imports page writes good rows and lists bad ones with line and column; it needs the form token")
    func imports() async throws {
        try await APITest.withFixture { f in
            try await WebTest.setUp(f)
            try await WebTest.app(f).test(.router) { client in
                let m = try await WebTest.signIn(client, "manager@a.test")
                let csv = "invoice_ref,customer_ref,issue_date,due_date,currency,amount\nNEW-1,K1,2024-06-01,2024-07-01,USD,10.00\nNEW-2,K1,2024-06-01,2024-05-01,USD,10.00\n"
                func upload(_ csrf: String) async throws -> (HTTPResponse.Status, String) {
                    let b = "B0undary"
                    let body = "--\(b)\r\nContent-Disposition: form-data; name=\"_csrf\"\r\n\r\n\(csrf)\r\n--\(b)\r\nContent-Disposition: form-data; name=\"kind\"\r\n\r\ninvoices\r\n"
                        + "--\(b)\r\nContent-Disposition: form-data; name=\"file\"; filename=\"inv.csv\"\r\nContent-Type: text/csv\r\n\r\n\(csv)\r\n--\(b)--\r\n"
                    return try await client.execute(
                        uri: "/app/imports", method: .post, headers: [.contentType: "multipart/form-data; boundary=\(b)", .cookie: m.cookie], body: ByteBuffer(string: body)
                    ) { ($0.status, String(buffer: $0.body)) }
                }
                #expect(try await upload("forged").0 == .forbidden)
                #expect(try await WebTest.count(f.db, "SELECT COUNT(*) FROM invoice WHERE company_id = $1 AND ref LIKE 'NEW-%'", [.int(f.a.id)]) == 0)
                let (status, page) = try await upload(m.csrf)
                #expect(status == .ok)
                #expect(page.contains("inserted 1") && page.contains("rejected 1"))
                #expect(page.contains("<td class=\"num\">3</td>") && page.contains("due_date"))
                #expect(try await WebTest.count(f.db, "SELECT COUNT(*) FROM invoice WHERE company_id = $1 AND ref LIKE 'NEW-%'", [.int(f.a.id)]) == 1)
            }
        }
    }

    @Test("a personal read token can read the API but not write; a write token can; revoked or disabled-user tokens stop working")
    func tokens() async throws {
        try await APITest.withFixture { f in
            try await WebTest.setUp(f)
            let app = WebTest.app(f)
            let (readToken, writeToken) = try await app.test(.router) { client in
                let ana = try await WebTest.signIn(client, "ana@a.test")
                let r = try await WebTest.post(client, "/app/tokens", ana, [("name", "sheet"), ("scope", "read")])
                let w = try await WebTest.post(client, "/app/tokens", ana, [("name", "script"), ("scope", "write")])
                return (String(try #require(r.2.firstMatch(of: /id="new-token">(cobro_[0-9a-f]+)</)).1), String(try #require(w.2.firstMatch(of: /id="new-token">(cobro_[0-9a-f]+)</)).1))
            }
            #expect(try await send(app, .get, "/api/v1/customers/K1", readToken).0 == .ok)
            let note = #"{"kind":"note","summary":"via token"}"#
            #expect(try await send(app, .post, "/api/v1/customers/K1/interactions", readToken, note).0 == .forbidden)
            #expect(try await send(app, .post, "/api/v1/customers/K1/interactions", writeToken, note).0 == .created)
            // Ana's token acts for her portfolio: the worklist is hers.
            let (_, list) = try await send(app, .get, "/api/v1/worklist", readToken)
            #expect(((list["data"] as? [[String: Any]]) ?? []).allSatisfy { $0["customer_ref"] as? String == "K1" })
            try await app.test(.router) { client in
                let ana = try await WebTest.signIn(client, "ana@a.test")
                let id = try await WebTest.count(f.db, "SELECT id FROM api_token WHERE name = 'sheet'", [])
                _ = try await WebTest.post(client, "/app/tokens/\(id)/revoke", ana, [])
            }
            #expect(try await send(app, .get, "/api/v1/customers/K1", readToken).0 == .unauthorized)
            try await f.db.transaction { c in
                let id = try await c.first("SELECT id FROM app_user WHERE email = 'ana@a.test'")!.int(0)
                try await UserStore.disable(c, company: f.a.id, id: id, actor: "test", now: APITest.now)
            }
            #expect(try await send(app, .get, "/api/v1/customers/K1", writeToken).0 == .unauthorized)
        }
    }
}
