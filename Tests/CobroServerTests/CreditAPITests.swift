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

/// Credit control over the worked example (clock: 2024-07-01). K1 (USD) owes INV-1 5,000 + INV-2 4,000 + INV-5 3,000 +
/// INV-7 1,500 = 13,500.00; its oldest open item, INV-7, was due 03-31: 92 days past due.
@Suite("Credit control (API)") struct CreditAPITests {
    @Test("four-eyes limit changes; automatic hold over the limit or too late, released when cured, with webhook events", arguments: APITest.kinds)
    func creditControl(kind: SQLDialect) async throws {
        try await APITest.withFixture(kind) { f in
            let app = APITest.app(f)
            let manager = try await f.db.transaction { c in try await TokenStore.create(c, company: f.a.id, name: "manager", now: 0) }
            var (status, body) = try await send(app, .post, "/api/v1/webhooks", f.tokenA, #"{"url": "http://127.0.0.1:9/hook", "events": ["customer.credit_hold", "customer.credit_release"]}"#)
            #expect(status == .created)
            (status, body) = try await send(app, .put, "/api/v1/settings/credit", f.tokenA, #"{"hold_days_past_due": 0}"#)
            #expect(status == .unprocessableContent)
            (status, body) = try await send(app, .put, "/api/v1/settings/credit", f.tokenA, #"{"hold_days_past_due": 120}"#)
            #expect(status == .ok)

            // No limit and not late enough: no hold.
            (status, body) = try await send(app, .get, "/api/v1/customers/K1/credit", f.tokenA)
            #expect(body["credit_hold"] as? Bool == false && body["exposure"] as? Double == 13_500 && body["oldest_days_past_due"] as? Int == 92)

            // A limit of 10,000.00: asked by one person, approved by another.
            (status, body) = try await send(app, .post, "/api/v1/customers/K1/credit-limit-requests", f.tokenA, #"{"limit": "10000.00", "reason": "new contract"}"#)
            #expect(status == .created && body["status"] as? String == "pending")
            let id = try #require(body["id"] as? Int)
            (status, _) = try await send(app, .post, "/api/v1/customers/K1/credit-limit-requests", f.tokenA, #"{"limit": "20000.00", "reason": "x"}"#)
            #expect(status == .conflict)
            (status, body) = try await send(app, .post, "/api/v1/credit-limit-requests/\(id)/approve", f.tokenA)
            #expect(status == .forbidden && (body["detail"] as? String)?.contains("four eyes") == true)
            // A collector's token is not a manager's, even when another person asked.
            _ = try await send(app, .put, "/api/v1/collectors/ana", f.tokenA, #"{"name": "Ana"}"#)
            let ana = try await f.db.transaction { c in try await TokenStore.create(c, company: f.a.id, name: "ana", collector: "ana", now: 0) }
            (status, body) = try await send(app, .post, "/api/v1/credit-limit-requests/\(id)/approve", ana)
            #expect(status == .forbidden && (body["detail"] as? String)?.contains("a manager approves") == true)
            (status, body) = try await send(app, .post, "/api/v1/credit-limit-requests/\(id)/reject", ana)
            #expect(status == .forbidden)
            (status, body) = try await send(app, .post, "/api/v1/credit-limit-requests/\(id)/approve", manager, #"{"note": "ok"}"#)
            #expect(status == .ok && body["status"] as? String == "approved" && body["decided_by"] as? String == "token:manager")

            // 13,500.00 over 10,000.00: on hold.
            (status, body) = try await send(app, .get, "/api/v1/customers/K1/credit", f.tokenA)
            #expect(body["credit_hold"] as? Bool == true && body["hold_reason"] as? String == "over_limit" && body["credit_limit"] as? Double == 10_000)
            // Open orders count toward exposure.
            (status, body) = try await send(app, .put, "/api/v1/customers/K1/open-orders", f.tokenA, #"{"amount": "500.00"}"#)
            #expect(status == .ok && body["exposure"] as? Double == 14_000)

            // K1 pays 13,500.00 and the ERP reports no orders: cured, released.
            (status, _) = try await send(app, .post, "/api/v1/payments", f.tokenA, #"{"ref": "P-ALL", "customer_ref": "K1", "date": "2024-07-01", "currency": "USD", "amount": "13500.00"}"#)
            #expect(status == .created)
            (status, body) = try await send(app, .put, "/api/v1/customers/K1/open-orders", f.tokenA, #"{"amount": "0"}"#)
            #expect(body["credit_hold"] as? Bool == false && body["exposure"] as? Double == 0)

            // A hold a dunning step (or an earlier version) set is not the rule's to lift.
            try await f.db.transaction { c in
                try await c.execute("UPDATE customer SET credit_hold = 1, credit_hold_reason = 'dunning' WHERE company_id = $1 AND customer_ref = 'K2'", [.int(f.a.id)])
            }
            (_, body) = try await send(app, .get, "/api/v1/customers/K2/credit", f.tokenA)
            #expect(body["credit_hold"] as? Bool == true && body["hold_reason"] as? String == "dunning")

            let events = try await f.db.read { c in
                try await c.query("SELECT event_type FROM webhook_delivery WHERE company_id = $1 ORDER BY id", [.int(f.a.id)]).map { $0.text(0) }
            }
            #expect(events == ["customer.credit_hold", "customer.credit_release"])
            let audit = try await f.db.read { c in
                try await c.query("SELECT action FROM audit_event WHERE company_id = $1 AND action LIKE 'credit_limit.%' ORDER BY id", [.int(f.a.id)]).map { $0.text(0) }
            }
            #expect(audit == ["credit_limit.request", "credit_limit.approve"])
        }
    }
}
