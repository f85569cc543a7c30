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

@Suite("Customer portal: signed links, dispute, promise, payment")
struct PortalTests {
    static func token(_ f: APIFixture, _ co: CompanyRecord, _ ref: String, today: LocalDate = LocalDate(iso: "2024-07-01")!) async throws -> String {
        try await f.db.transaction { c in try await PortalLinks.token(c, company: co.id, customerRef: ref, today: today) }
    }

    @Test("a link shows its customer's open invoices; any altered link — other customer, other company, later expiry, bad signature — is refused")
    func tamper() async throws {
        try await APITest.withFixture { f in
            let good = try await Self.token(f, f.a, "K1")
            let secret = try await f.db.transaction { c in try await SecretStore.secret(c, company: f.a.id, name: PortalLink.secretName) }
            let parts = good.split(separator: ".")
            let otherCustomer = PortalLink.base64url(Data("\(f.a.id):2024-07-31:K2".utf8)) + "." + parts[1]
            let otherCompany = PortalLink.base64url(Data("\(f.b.id):2024-07-31:K1".utf8)) + "." + parts[1]
            let longer = PortalLink.base64url(Data("\(f.a.id):2099-12-31:K1".utf8)) + "." + parts[1]
            let wrongKey = PortalLink(company: f.a.id, customerRef: "K2", expires: LocalDate(iso: "2024-07-31")!).token(secret: secret + "x")
            try await WebTest.app(f).test(.router) { client in
                let (status, body, headers) = try await WebTest.get(client, "/portal/\(good)", cookie: nil)
                #expect(status == .ok)
                #expect(body.contains("Kappa Industrial S.A.") && body.contains("INV-1") && body.contains("INV-7") && !body.contains("INV-3"))
                #expect(headers[HTTPField.Name("Referrer-Policy")!] == "no-referrer")
                for bad in [otherCustomer, otherCompany, longer, wrongKey, "garbage", good + "x"] {
                    let r = try await WebTest.get(client, "/portal/\(bad)", cookie: nil)
                    #expect(r.0 == .notFound, "\(bad)")
                    #expect(!r.1.contains("INV-"))
                    #expect(try await WebTest.get(client, "/portal/\(bad)/statement.pdf", cookie: nil).0 == .notFound)
                }
                let pdf = try await client.execute(uri: "/portal/\(good)/statement.pdf", method: .get) { r in (r.headers[.contentType], Array(r.body.readableBytesView.prefix(5))) }
                #expect(pdf.0 == "application/pdf" && pdf.1 == Array("%PDF-".utf8))
            }
        }
    }

    @Test("an expired link offers a fresh one, sent to the contact address on file")
    func expired() async throws {
        try await APITest.withFixture { f in
            let old = try await Self.token(f, f.a, "K1", today: LocalDate(iso: "2024-05-01")!)  // valid until 2024-05-31
            let outbox = Outbox()
            try await WebTest.app(f, mailer: Mailer { mail in outbox.add(mail) }).test(.router) { client in
                let (status, body, _) = try await WebTest.get(client, "/portal/\(old)", cookie: nil)
                #expect(status == .gone)
                #expect(body.contains("/portal/\(old)/renew") && !body.contains("INV-1"))
                let renewed = try await WebTest.post(client, "/portal/\(old)/renew", nil, [("email", "attacker@evil.example")])
                #expect(renewed.0 == .ok)
                let mail = try #require(outbox.all.first)
                #expect(outbox.all.count == 1 && mail.to == "cxp@kappa.example")
                let fresh = String(try #require(mail.text.firstMatch(of: /http:\/\/cobro\.test\/portal\/([A-Za-z0-9_.-]+)/)).1)
                #expect(try await WebTest.get(client, "/portal/\(fresh)", cookie: nil).0 == .ok)
            }
        }
    }

    @Test("a dispute with a file and a promise from the portal are recorded for the link's customer only")
    func disputeAndPromise() async throws {
        try await APITest.withFixture { f in
            let t = try await Self.token(f, f.a, "K1")
            try await WebTest.app(f).test(.router) { client in
                let boundary = "XyZ123"
                let pdf = "%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
                let body = """
                    --\(boundary)\r\nContent-Disposition: form-data; name="invoice"\r\n\r\nINV-2\r\n--\(boundary)\r\nContent-Disposition: form-data; name="reason"\r\n\r\nquantity\r\n\
                    --\(boundary)\r\nContent-Disposition: form-data; name="comment"\r\n\r\nonly 8 of 10 boxes\r\n\
                    --\(boundary)\r\nContent-Disposition: form-data; name="file"; filename="albaran.pdf"\r\nContent-Type: application/pdf\r\n\r\n\(pdf)\r\n--\(boundary)--\r\n
                    """
                let r = try await client.execute(
                    uri: "/portal/\(t)/disputes", method: .post, headers: [.contentType: "multipart/form-data; boundary=\(boundary)"], body: ByteBuffer(string: body)
                ) { r in (r.status, r.headers[.location] ?? "") }
                #expect(r.0 == .seeOther && r.1.hasPrefix("/portal/\(t)?notice="))
                #expect(try await WebTest.count(f.db, "SELECT COUNT(*) FROM dispute WHERE company_id = $1", [.int(f.a.id)]) == 1)
                #expect(try await WebTest.count(f.db, "SELECT COUNT(*) FROM attachment WHERE company_id = $1 AND owner_kind = 'dispute'", [.int(f.a.id)]) == 1)
                // Another customer's invoice through K1's link: refused, nothing written.
                let other = try await WebTest.post(client, "/portal/\(t)/disputes", nil, [("invoice", "INV-3"), ("reason", "pricing")])
                #expect(other.0 == .unprocessableContent)
                #expect(try await WebTest.count(f.db, "SELECT COUNT(*) FROM dispute WHERE company_id = $1", [.int(f.a.id)]) == 1)
                let promise = try await WebTest.post(client, "/portal/\(t)/promises", nil, [("amount", "1500.00"), ("promise_date", "2024-07-12")])
                #expect(promise.0 == .seeOther)
                #expect(try await WebTest.count(f.db, "SELECT COUNT(*) FROM promise WHERE company_id = $1 AND channel = 'portal' AND amount = 150000", [.int(f.a.id)]) == 1)
                let page = try await WebTest.get(client, "/portal/\(t)", cookie: nil).1
                #expect(page.contains("pill disputed"))
            }
        }
    }

    @Test("paying: the portal redirects to the provider's checkout; only a correctly signed, fresh webhook for the exact amount records the payment, once")
    func payment() async throws {
        try await APITest.withFixture { f in
            let t = try await Self.token(f, f.a, "K1")
            let secret = "whsec_test_key"
            try await f.db.transaction { c in try await SecretStore.set(c, company: f.a.id, name: ProviderSignature.secretName, value: secret, actor: "test", now: APITest.now) }
            try await WebTest.app(f, checkoutURL: "https://pay.example/checkout").test(.router) { client in
                let start = try await WebTest.post(client, "/portal/\(t)/pay", nil, [("invoices", "INV-2"), ("invoices", "INV-5")])
                #expect(start.0 == .seeOther)
                #expect(start.1.hasPrefix("https://pay.example/checkout?intent=\(f.a.slug)-"))
                #expect(start.1.contains("amount=7000.00") && start.1.contains("currency=USD"))
                let intent = try #require(start.1.firstMatch(of: /intent=([a-z0-9-]+)/)).1
                let body = Array(#"{"intent":"\#(intent)","status":"succeeded","amount":"7000.00","currency":"USD","provider_ref":"ch_1"}"#.utf8)
                let now = APITest.now / 1000
                func hook(_ bytes: [UInt8], _ signature: String?) async throws -> HTTPResponse.Status {
                    var h: HTTPFields = [.contentType: "application/json"]
                    if let signature { h[HTTPField.Name("Cobro-Provider-Signature")!] = signature }
                    return try await client.execute(uri: "/hooks/payments/\(f.a.slug)", method: .post, headers: h, body: ByteBuffer(bytes: bytes)) { $0.status }
                }
                #expect(try await hook(body, nil) == .unauthorized)
                #expect(try await hook(body, ProviderSignature.sign(body: body, secret: "wrong", timestamp: now)) == .unauthorized)
                #expect(try await hook(body, ProviderSignature.sign(body: body, secret: secret, timestamp: now - 600)) == .unauthorized, "stale")
                let tampered = Array(String(decoding: body, as: UTF8.self).replacingOccurrences(of: "7000.00", with: "1.00").utf8)
                #expect(try await hook(tampered, ProviderSignature.sign(body: body, secret: secret, timestamp: now)) == .unauthorized)
                let cheaper = Array(String(decoding: body, as: UTF8.self).replacingOccurrences(of: "7000.00", with: "6999.99").utf8)
                #expect(try await hook(cheaper, ProviderSignature.sign(body: cheaper, secret: secret, timestamp: now)) == .unprocessableContent)
                #expect(try await WebTest.count(f.db, "SELECT COUNT(*) FROM payment WHERE company_id = $1 AND method = 'portal'", [.int(f.a.id)]) == 0)
                #expect(try await hook(body, ProviderSignature.sign(body: body, secret: secret, timestamp: now)) == .ok)
                #expect(try await hook(body, ProviderSignature.sign(body: body, secret: secret, timestamp: now)) == .ok, "a retried webhook changes nothing")
                #expect(try await WebTest.count(f.db, "SELECT COUNT(*) FROM payment WHERE company_id = $1 AND method = 'portal'", [.int(f.a.id)]) == 2)
                #expect(try await WebTest.count(f.db, "SELECT COALESCE(SUM(open_amount), 0) FROM invoice WHERE company_id = $1 AND ref IN ('INV-2', 'INV-5')", [.int(f.a.id)]) == 0)
                #expect(try await WebTest.count(f.db, "SELECT COALESCE(SUM(open_amount), 0) FROM invoice WHERE company_id = $1 AND ref = 'INV-1'", [.int(f.a.id)]) == 500_000)
            }
        }
    }

    @Test("without a provider the portal's test checkout confirms through the same path")
    func testCheckout() async throws {
        try await APITest.withFixture { f in
            let t = try await Self.token(f, f.a, "K1")
            try await WebTest.app(f).test(.router) { client in
                let start = try await WebTest.post(client, "/portal/\(t)/pay", nil, [("invoices", "INV-7")])
                #expect(start.1.hasPrefix("/portal/\(t)/test-checkout/"))
                let page = try await WebTest.get(client, start.1, cookie: nil).1
                #expect(page.contains("USD 1,500.00") || page.contains("1,500.00"))
                let done = try await WebTest.post(client, start.1, nil, [("result", "succeeded")])
                #expect(done.0 == .seeOther)
                #expect(try await WebTest.count(f.db, "SELECT open_amount FROM invoice WHERE company_id = $1 AND ref = 'INV-7'", [.int(f.a.id)]) == 0)
                #expect(try await WebTest.post(client, "/portal/\(t)/pay", nil, [("invoices", "INV-7")]).0 == .unprocessableContent, "already paid")
            }
        }
    }
}

@Suite("Portal links in reminders")
struct PortalReminderTests {
    @Test("a dunning run puts each customer's own signed portal link into its messages; the link opens that customer's portal")
    func linksInReminders() async throws {
        try await APITest.withFixture { f in
            let day = LocalDate(iso: "2024-07-01")!
            _ = try await DunningRunner.run(f.db, company: f.a, options: .init(asOf: day, actor: "t", portalURL: "http://cobro.test"), clock: f.clock)
            let rows = try await f.db.read { c in
                try await c.query(
                    "SELECT cu.customer_ref, m.body_text FROM message m JOIN customer cu ON cu.company_id = m.company_id AND cu.id = m.customer_id WHERE m.company_id = $1",
                    [.int(f.a.id)]
                ).map { ($0.text(0), $0.text(1)) }
            }
            #expect(!rows.isEmpty)
            try await WebTest.app(f).test(.router) { client in
                for (ref, text) in rows {
                    let token = String(try #require(text.firstMatch(of: /http:\/\/cobro\.test\/portal\/([A-Za-z0-9_-]+\.[A-Za-z0-9_-]+)/)).1)
                    let link = try #require(try await PortalLink.verify(token, secret: { company in
                        try await f.db.read { c in try await SecretStore.existing(c, company: company, name: PortalLink.secretName) }
                    }))
                    #expect(link.customerRef == ref && link.company == f.a.id && link.expires == day.adding(days: 30))
                    let page = try await WebTest.get(client, "/portal/\(token)", cookie: nil)
                    #expect(page.0 == .ok)
                }
            }
        }
    }
}
