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
            let k2 = try #require(run.messages.first { $0.customerRef == "K2" && $0.stepID.hasPrefix("plan_") == false })
            #expect(!k2.invoiceRefs.contains("INV-3") && !k2.invoiceRefs.contains("INV-4") && k2.invoiceRefs.contains("INV-8"))

            (status, _) = try await send(app, .post, "/api/v1/webhooks", f.tokenA, #"{"url": "http://127.0.0.1:9/hook", "events": ["payment_plan.defaulted"]}"#)
            #expect(status == .created)
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
            #expect((plan["schedule"] as? [[String: Any]])?.compactMap { $0["tracking"] as? String } == ["paid", "missed", "due"])
            // The default goes out once as a webhook event, however often plans are read.
            _ = try await send(aug8, .get, "/api/v1/plans", f.tokenA)
            let events = try await f.db.read { c in
                try await c.query("SELECT payload FROM webhook_delivery WHERE company_id = $1 AND event_type = 'payment_plan.defaulted'", [.int(f.a.id)]).map { $0.text(0) }
            }
            #expect(events.count == 1 && events.first?.contains("\"customer_ref\":\"K2\"") == true && events.first?.contains("\"remaining\":\"3000.00\"") == true)
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

    /// 12:00 UTC on `iso` in 2024-07/08, as the clock of a run that records.
    static func noon(_ iso: String) -> Clock { .fixed(Int64(d(iso).dayNumber) * 86_400_000 + 43_200_000) }

    @Test("installments are reminded by the dunning run: three days ahead, once late within grace, each once", arguments: APITest.kinds)
    func installmentReminders(kind: SQLDialect) async throws {
        try await APITest.withFixture(kind) { f in
            let app = APITest.app(f)
            var (status, body) = try await send(app, .post, "/api/v1/customers/K2/plans", f.tokenA, """
                {"invoices": ["INV-3", "INV-4"], "grace_days": 7, "misses_to_default": 2,
                 "installments": [{"due_date": "2024-07-31", "amount": "1850.00"}, {"due_date": "2024-08-30", "amount": "1850.00"}]}
                """)
            #expect(status == .created)
            let id = try #require(body["id"] as? Int)
            func planMessages(_ iso: String, dryRun: Bool = false) async throws -> [DunningRunMessage] {
                try await DunningRunner.run(f.db, company: f.a, options: .init(asOf: d(iso), dryRun: dryRun, actor: "t"), clock: Self.noon(iso))
                    .messages.filter { $0.stepID.hasPrefix("plan_") }
            }
            // 07-27 is four days before the first installment: nothing yet. 07-28 (due − 3): the upcoming reminder,
            // by email to K2 in English, for 1,850.00 on the plan's line.
            #expect(try await planMessages("2024-07-27", dryRun: true).isEmpty)
            let upcoming = try await planMessages("2024-07-28")
            #expect(upcoming.map(\.stepID) == ["plan_\(id)_1_due"])
            let m = try #require(upcoming.first)
            #expect(m.channel == .email && m.recipient == "ap@lambda.example" && m.language == "en")
            #expect(m.total == Money(minor: 185_000, Currency(code: "USD")!) && m.invoiceRefs == ["PLAN-\(id) 1/2"])
            #expect(m.subject.contains("Payment plan") && m.subject.contains("1,850.00"))
            #expect(m.text.contains("PLAN-\(id) 1/2"))
            // Once recorded, the next days' runs do not repeat it; the day after the due date the late reminder goes out.
            #expect(try await planMessages("2024-07-29").isEmpty)
            #expect(try await planMessages("2024-08-01").map(\.stepID) == ["plan_\(id)_1_late"])
            #expect(try await planMessages("2024-08-02").isEmpty)
            // The installment is paid, settling INV-3 in full: the next reminder is the second installment's, from
            // 08-27, recorded on INV-4 (still open) so that the outbox does not cancel it as paid.
            (status, _) = try await send(app, .post, "/api/v1/payments", f.tokenA, #"{"ref": "P-I1", "customer_ref": "K2", "date": "2024-08-02", "currency": "USD", "amount": "1200.00", "invoice_ref": "INV-3"}"#)
            #expect(status == .created)
            (status, _) = try await send(app, .post, "/api/v1/payments", f.tokenA, #"{"ref": "P-I1B", "customer_ref": "K2", "date": "2024-08-02", "currency": "USD", "amount": "650.00", "invoice_ref": "INV-4"}"#)
            #expect(status == .created)
            #expect(try await planMessages("2024-08-26").isEmpty)
            #expect(try await planMessages("2024-08-27").map(\.stepID) == ["plan_\(id)_2_due"])
            // Each reminder is in the outbox once, with its ledger entry on the plan's invoice.
            let (outbox, entries) = try await f.db.read { c in
                (try await c.query("SELECT step_id FROM message WHERE company_id = $1 AND step_id LIKE 'plan%' ORDER BY id", [.int(f.a.id)]).map { $0.text(0) },
                 try await c.query(
                    "SELECT e.step_id, i.ref FROM dunning_entry e JOIN invoice i ON i.id = e.invoice_id WHERE e.company_id = $1 AND e.step_id LIKE 'plan%' ORDER BY e.id",
                    [.int(f.a.id)]).map { "\($0.text(0)) \($0.text(1))" })
            }
            #expect(outbox == ["plan_\(id)_1_due", "plan_\(id)_1_late", "plan_\(id)_2_due"])
            #expect(entries == ["plan_\(id)_1_due INV-3", "plan_\(id)_1_late INV-3", "plan_\(id)_2_due INV-4"])
            _ = try await f.db.transaction { c in
                try await OutboxStore.claim(c, channels: [.email], now: Int64.max / 2, leaseMillis: 60_000, limit: 100, company: f.a.id)
            }
            let second = try await f.db.read { c in
                try await c.first("SELECT status FROM message WHERE company_id = $1 AND step_id = $2", [.int(f.a.id), .text("plan_\(id)_2_due")])?.text(0)
            }
            #expect(second == "sending")
        }
    }

    // K2's INV-3 (1,200.00 USD) in 600.00 on 07-31 and 08-30 at 12 % from 07-01:
    // 1,200 × 0.12 × 30/365 = 11.836 → 11.84; 600 × 0.12 × 30/365 = 5.918 → 5.92; 17.76 in all.
    @Test("a plan with interest raises each installment by its interest, books it as a debit note and credits what an early end did not earn", arguments: APITest.kinds)
    func interest(kind: SQLDialect) async throws {
        try await APITest.withFixture(kind) { f in
            let app = APITest.app(f)
            func open(_ ref: String) async throws -> Int64? { try await f.db.read { c in try await LedgerQueries(c, company: f.a.id).document(ref: ref)?.openMinor } }
            let schedule = #""installments": [{"due_date": "2024-07-31", "amount": "600.00"}, {"due_date": "2024-08-30", "amount": "600.00"}]"#
            for bad in [#""0""#, #""101""#, #""twelve""#, "-3"] {
                let (status, body) = try await send(app, .post, "/api/v1/customers/K2/plans", f.tokenA, #"{"invoices": ["INV-3"], "interest_rate": \#(bad), \#(schedule)}"#)
                #expect(status == .unprocessableContent && fieldErrors(body) == ["interest_rate"], "\(bad)")
            }
            var (status, body) = try await send(app, .get, "/api/v1/plans", f.tokenA)
            #expect((body["data"] as? [Any])?.isEmpty == true)

            (status, body) = try await send(app, .post, "/api/v1/customers/K2/plans", f.tokenA, #"{"invoices": ["INV-3"], "interest_rate": "12", \#(schedule)}"#)
            #expect(status == .created)
            let id = try #require(body["id"] as? Int)
            #expect(body["interest_rate"] as? Double == 12 && body["interest"] as? Double == 17.76 && body["total"] as? Double == 1217.76)
            #expect(body["interest_note"] as? String == "PLAN-\(id)-INT")
            let slots = try #require(body["schedule"] as? [[String: Any]])
            #expect(slots.compactMap { $0["amount"] as? Double } == [611.84, 605.92])
            #expect(slots.compactMap { $0["interest"] as? Double } == [11.84, 5.92])
            #expect(try await open("PLAN-\(id)-INT") == 1_776)
            #expect(try await open("INV-3") == 120_000)

            // Cancelled on 07-01 before anything was due: none of the interest was earned; a credit note clears it.
            (status, _) = try await send(app, .post, "/api/v1/plans/\(id)/cancel", f.tokenA, #"{"reason": "customer paid in full by other means"}"#)
            #expect(status == .ok)
            #expect(try await open("PLAN-\(id)-INT") == 0)
            #expect(try await open("PLAN-\(id)-INT-CN") == 0)

            // A second plan, defaulted by the first missed installment (k = 1) on 08-08 = 07-31 + 7 + 1: the 08-30
            // installment's 5.92 was not earned; 11.84 stays owed on its note.
            (status, body) = try await send(app, .post, "/api/v1/customers/K2/plans", f.tokenA, #"{"invoices": ["INV-3"], "interest_rate": 12, "misses_to_default": 1, \#(schedule)}"#)
            #expect(status == .created)
            let second = try #require(body["id"] as? Int)
            let aug8 = Application(router: buildRouter(AppDependencies(db: f.db, clock: .fixed(1_723_118_400_000))))  // 2024-08-08 12:00 UTC
            (_, body) = try await send(aug8, .get, "/api/v1/plans?status=defaulted", f.tokenA)
            #expect((body["data"] as? [[String: Any]])?.compactMap { $0["id"] as? Int } == [second])
            #expect(try await open("PLAN-\(second)-INT") == 1_184)
            (_, body) = try await send(aug8, .get, "/api/v1/audit?limit=500", f.tokenA)
            let actions = (body["data"] as? [[String: Any]])?.compactMap { $0["action"] as? String } ?? []
            #expect(actions.filter { $0 == "credit_note.create" }.count == 2)
        }
    }
}
