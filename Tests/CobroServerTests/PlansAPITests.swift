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

/// Payment plans over the worked example; the clock stands at Monday 2024-07-01 12:00 UTC. K2 owes INV-3
/// (1,200.00, due 06-19) and INV-4 (2,500.00, due 05-31): 3,700.00 to settle in a plan.
@Suite("Payment plans (API)") struct PlansAPITests {
    @Test("a plan takes its invoices out of dunning; a missed installment defaults it, opens a task and dunning resumes", arguments: APITest.kinds)
    func lifecycle(kind: SQLDialect) async throws {
        try await APITest.withFixture(kind) { f in
            let app = APITest.app(f)
            // 700 + 1,000 + 1,500 = 3,200, not the 3,700.00 open: refused with the field and both sums.
            var (status, body) = try await send(app, .post, "/api/v1/customers/K2/plans", f.tokenA, """
                {"invoices": ["INV-3", "INV-4"], "down_payment": "700.00", "installments": [{"due_date": "2024-07-31", "amount": "1000.00"}, {"due_date": "2024-08-30", "amount": "1500.00"}]}
                """)
            #expect(status == .unprocessableContent && fieldErrors(body) == ["total"])
            #expect(((body["errors"] as? [[String: Any]])?.first?["message"] as? String)?.contains("3200.00") == true)
            (status, body) = try await send(app, .post, "/api/v1/customers/K2/plans", f.tokenA, """
                {"invoices": ["INV-3"], "installments": [{"due_date": "2024-07-31", "amount": "600.00"}, {"due_date": "2024-07-15", "amount": "600.00"}]}
                """)
            #expect(status == .unprocessableContent && fieldErrors(body) == ["installments[1].due_date"])

            (status, body) = try await send(app, .post, "/api/v1/customers/K2/plans", f.tokenA, """
                {"invoices": ["INV-3", "INV-4"], "down_payment": "700.00", "grace_days": 7, "misses_to_default": 1,
                 "installments": [{"due_date": "2024-07-31", "amount": "1500.00"}, {"due_date": "2024-08-30", "amount": "1500.00"}]}
                """)
            #expect(status == .created && body["status"] as? String == "active" && body["total"] as? Double == 3700)
            let id = try #require(body["id"] as? Int)
            (status, body) = try await send(app, .post, "/api/v1/customers/K2/plans", f.tokenA, #"{"invoices": ["INV-3"], "installments": [{"due_date": "2024-07-31", "amount": "1200.00"}]}"#)
            #expect(status == .unprocessableContent && fieldErrors(body) == ["invoices"])

            // While it is active its invoices leave dunning; K2's others are still dunned.
            let run = try await DunningRunner.run(f.db, company: f.a, options: .init(asOf: d("2024-07-01"), dryRun: true, actor: "t"), clock: f.clock)
            let k2 = try #require(run.messages.first { $0.customerRef == "K2" })
            #expect(!k2.invoiceRefs.contains("INV-3") && !k2.invoiceRefs.contains("INV-4") && k2.invoiceRefs.contains("INV-8"))

            // The down payment arrives; the 07-31 installment does not. On 08-08 (07-31 + 7 + 1) the plan defaults.
            (status, _) = try await send(app, .post, "/api/v1/payments", f.tokenA, #"{"ref": "P-DOWN", "customer_ref": "K2", "date": "2024-07-01", "currency": "USD", "amount": "700.00", "invoice_ref": "INV-4"}"#)
            #expect(status == .created)
            let aug7 = Application(router: buildRouter(AppDependencies(db: f.db, clock: .fixed(1_723_032_000_000))))  // 2024-08-07 12:00 UTC
            (_, body) = try await send(aug7, .get, "/api/v1/plans", f.tokenA)
            #expect((body["data"] as? [[String: Any]])?.first?["status"] as? String == "active")
            let aug8 = Application(router: buildRouter(AppDependencies(db: f.db, clock: .fixed(1_723_118_400_000))))  // 2024-08-08 12:00 UTC
            (_, body) = try await send(aug8, .get, "/api/v1/plans", f.tokenA)
            let plan = try #require((body["data"] as? [[String: Any]])?.first)
            #expect(plan["status"] as? String == "defaulted" && plan["paid"] as? Double == 700 && plan["remaining"] as? Double == 3000)
            #expect((plan["schedule"] as? [[String: Any]])?.compactMap { $0["state"] as? String } == ["kept", "missed", "pending"])
            (_, body) = try await send(aug8, .get, "/api/v1/tasks?kind=plan_defaulted", f.tokenA)
            #expect((body["data"] as? [[String: Any]])?.map { $0["customer_ref"] as? String } == ["K2"])
            let after = try await DunningRunner.run(f.db, company: f.a, options: .init(asOf: d("2024-08-08"), dryRun: true, actor: "t"), clock: .fixed(1_723_118_400_000))
            #expect(after.messages.first { $0.customerRef == "K2" }?.invoiceRefs.contains("INV-3") == true)
            (status, _) = try await send(aug8, .post, "/api/v1/plans/\(id)/cancel", f.tokenA, #"{"reason": "x"}"#)
            #expect(status == .conflict)
            (_, body) = try await send(aug8, .get, "/api/v1/plans", f.tokenB)
            #expect((body["data"] as? [Any])?.isEmpty == true)
        }
    }
}
