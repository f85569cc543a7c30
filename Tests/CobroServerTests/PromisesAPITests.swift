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

/// Promises to pay over the worked example (reference §2.4); the clock stands at Monday 2024-07-01 12:00 UTC.
/// K1 owes INV-7 (1,500.00, due 03-31), INV-5 (3,000.00, due 05-25), INV-2 (4,000.00, due 06-30), INV-1 (not due);
/// K2 owes INV-3 (1,200.00, due 06-19) among others.
@Suite("Promises to pay (API)") struct PromisesAPITests {
    @Test("a promise pauses reminders for its invoices; broken, it opens a task and they resume; kept rates by count and amount", arguments: APITest.kinds)
    func lifecycle(kind: SQLDialect) async throws {
        try await APITest.withFixture(kind) { f in
            let app = APITest.app(f)
            // Bad input: every field named, nothing saved.
            var (status, body) = try await send(app, .post, "/api/v1/customers/K1/promises", f.tokenA, #"{"amount": "9000.00", "promise_date": "2024-06-20", "invoices": ["INV-7"]}"#)
            #expect(status == .unprocessableContent && fieldErrors(body) == ["amount", "promise_date"])
            (status, body) = try await send(app, .post, "/api/v1/customers/K1/promises", f.tokenA, #"{"amount": "100.00", "promise_date": "2024-07-05", "invoices": ["INV-3"]}"#)
            #expect(status == .unprocessableContent && fieldErrors(body) == ["invoices"])
            (status, _) = try await send(app, .post, "/api/v1/customers/NOPE/promises", f.tokenA, #"{"amount": "1", "promise_date": "2024-07-05"}"#)
            #expect(status == .notFound)

            (status, body) = try await send(app, .post, "/api/v1/customers/K1/promises", f.tokenA, #"{"amount": "1500.00", "promise_date": "2024-07-05", "invoices": ["INV-7"], "channel": "call"}"#)
            #expect(status == .created && body["status"] as? String == "open" && body["invoices"] as? [String] == ["INV-7"])
            (status, body) = try await send(app, .post, "/api/v1/customers/K2/promises", f.tokenA, #"{"amount": "1200.00", "promise_date": "2024-07-03", "invoices": ["INV-3"]}"#)
            #expect(status == .created)
            // One standing promise per invoice; whole days only.
            (status, body) = try await send(app, .post, "/api/v1/customers/K2/promises", f.tokenA, #"{"amount": "100.00", "promise_date": "2024-07-04", "invoices": ["INV-3"]}"#)
            #expect(status == .unprocessableContent && fieldErrors(body) == ["invoices[0]"])
            (status, body) = try await send(app, .post, "/api/v1/customers/K2/promises", f.tokenA, #"{"amount": "100.00", "promise_date": "2024-07-04", "tolerance_days": 2.5}"#)
            #expect(status == .unprocessableContent && fieldErrors(body) == ["tolerance_days"])

            // While the promise stands, INV-7 leaves K1's reminders (the rest is still dunned).
            let run = try await DunningRunner.run(f.db, company: f.a, options: .init(asOf: d("2024-07-01"), dryRun: true, actor: "t"), clock: f.clock)
            let k1 = try #require(run.messages.first { $0.customerRef == "K1" })
            #expect(!k1.invoiceRefs.contains("INV-7") && k1.invoiceRefs.contains("INV-5"))
            #expect(run.skips.contains { $0.customerRef == "K1" && $0.reason == .promiseOrPlan })

            // K2 pays INV-3 on 07-02; K1 pays nothing.
            (status, _) = try await send(app, .post, "/api/v1/payments", f.tokenA, #"{"ref": "P-K2", "customer_ref": "K2", "date": "2024-07-02", "currency": "USD", "amount": "1200.00", "invoice_ref": "INV-3"}"#)
            #expect(status == .created)

            // 07-09: K1's window (07-05 + 3) ended on 07-08 → broken; K2's (07-03 + 3 = 07-06) → kept.
            let later = Application(router: buildRouter(AppDependencies(db: f.db, clock: .fixed(1_720_526_400_000))))  // 2024-07-09 12:00 UTC
            (status, body) = try await send(later, .get, "/api/v1/promises", f.tokenA)
            let promises = try #require(body["data"] as? [[String: Any]])
            #expect(promises.map { "\($0["customer_ref"] as? String ?? "") \($0["status"] as? String ?? "")" } == ["K1 broken", "K2 kept"])
            #expect(promises.last?["paid_in_window"] as? Double == 1200)
            (_, body) = try await send(later, .get, "/api/v1/tasks?kind=promise_broken", f.tokenA)
            #expect((body["data"] as? [[String: Any]])?.map { $0["customer_ref"] as? String } == ["K1"])
            (_, body) = try await send(later, .get, "/api/v1/customers/K1", f.tokenA)
            #expect((body["collections"] as? [String: Any])?["broken_promises"] as? Int == 1)

            // Reminders for INV-7 resume.
            let after = try await DunningRunner.run(f.db, company: f.a, options: .init(asOf: d("2024-07-09"), dryRun: true, actor: "t"), clock: .fixed(1_720_526_400_000))
            #expect(after.messages.first { $0.customerRef == "K1" }?.invoiceRefs.contains("INV-7") == true)

            // Kept rates: 1 of 2 by count; by amount 1,200 / (1,500 + 1,200) = 44.44 %.
            (status, body) = try await send(later, .get, "/api/v1/reports/promises?from=2024-07-01&to=2024-07-31", f.tokenA)
            let total = try #require(body["total"] as? [String: Any])
            #expect(total["resolved"] as? Int == 2 && total["kept_rate_count_pct"] as? Double == 50 && total["kept_rate_amount_pct"] as? Double == 44.44)

            // Only open promises can be cancelled; B cannot see A's.
            (status, _) = try await send(later, .post, "/api/v1/promises/\(promises[0]["id"] as? Int ?? 0)/cancel", f.tokenA, #"{"reason": "x"}"#)
            #expect(status == .conflict)
            (_, body) = try await send(later, .get, "/api/v1/promises", f.tokenB)
            #expect((body["data"] as? [Any])?.isEmpty == true)
        }
    }
}
