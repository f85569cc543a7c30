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

/// Interactions and the customer timeline over the worked example (clock: 2024-07-01 12:00 UTC).
@Suite("Interactions and timeline (API)") struct InteractionsAPITests {
    @Test("calls need an outcome, other kinds none; nothing in the future; the timeline merges interactions, documents and payments", arguments: APITest.kinds)
    func interactions(kind: SQLDialect) async throws {
        try await APITest.withFixture(kind) { f in
            let app = APITest.app(f)
            var (status, body) = try await send(app, .post, "/api/v1/customers/K1/interactions", f.tokenA, #"{"kind": "call", "summary": "x"}"#)
            #expect(status == .unprocessableContent && fieldErrors(body) == ["outcome"])
            (status, body) = try await send(app, .post, "/api/v1/customers/K1/interactions", f.tokenA, #"{"kind": "note", "outcome": "promise", "summary": "x"}"#)
            #expect(status == .unprocessableContent && fieldErrors(body) == ["outcome"])
            (status, body) = try await send(app, .post, "/api/v1/customers/K1/interactions", f.tokenA, #"{"kind": "fax", "summary": "x"}"#)
            #expect(status == .unprocessableContent && fieldErrors(body) == ["kind"])
            (status, body) = try await send(app, .post, "/api/v1/customers/K1/interactions", f.tokenA, #"{"kind": "note", "summary": "x", "at": "2024-07-02T09:00:00Z"}"#)
            #expect(status == .unprocessableContent && fieldErrors(body) == ["at"])
            (status, body) = try await send(app, .post, "/api/v1/customers/K1/interactions", f.tokenA, #"{"kind": "note", "summary": "x", "invoices": ["INV-3"]}"#)
            #expect(status == .unprocessableContent && fieldErrors(body) == ["invoices[0]"])
            (status, _) = try await send(app, .post, "/api/v1/customers/K1/interactions", f.tokenA, #"{"kind": "call", "outcome": "no_answer"}"#)
            #expect(status == .created)  // a call that reached no one needs no summary

            (status, body) = try await send(app, .post, "/api/v1/customers/K1/interactions", f.tokenA, """
                {"kind": "call", "outcome": "promise", "summary": "will pay INV-7 on Friday", "contact_name": "Marta", "invoices": ["INV-7"], "at": "2024-07-01T11:30:00Z"}
                """)
            #expect(status == .created && body["outcome"] as? String == "promise")

            (status, body) = try await send(app, .get, "/api/v1/customers/K1/timeline?limit=50", f.tokenA)
            let events = try #require(body["data"] as? [[String: Any]])
            #expect(events.first?["type"] as? String == "interaction" && (events.first?["summary"] as? String)?.hasPrefix("call (no_answer)") == true)
            #expect(events.contains { $0["type"] as? String == "interaction" && ($0["summary"] as? String)?.contains("will pay INV-7") == true })
            #expect(events.contains { $0["type"] as? String == "payment" && $0["ref"] as? String == "PAY-9" })
            #expect(events.contains { $0["type"] as? String == "invoice" && $0["ref"] as? String == "INV-7" })
            let times = events.compactMap { $0["at"] as? String }
            #expect(times == times.sorted(by: >))
            (status, _) = try await send(app, .get, "/api/v1/customers/NOPE/timeline", f.tokenA)
            #expect(status == .notFound)
        }
    }

    @Test("emails, visits and notes with their invoices; the timeline also shows reminders, plans and changes, and filters by type", arguments: APITest.kinds)
    func timelineOfEverything(kind: SQLDialect) async throws {
        try await APITest.withFixture(kind) { f in
            let app = APITest.app(f)
            for (kind, summary, invoices) in [("email_in", "asks for a copy of INV-3", #"["INV-3"]"#), ("email_out", "sent the copy", #"["INV-3", "INV-4"]"#),
                                              ("visit", "met the controller at the store", "[]")] {
                let (status, body) = try await send(app, .post, "/api/v1/customers/K2/interactions", f.tokenA, #"{"kind": "\#(kind)", "summary": "\#(summary)", "invoices": \#(invoices)}"#)
                #expect(status == .created && body["kind"] as? String == kind, "\(kind)")
            }
            // A reminder recorded by a real run, a payment plan, and a change of collector.
            _ = try await DunningRunner.run(f.db, company: f.a, options: .init(asOf: d("2024-07-01"), actor: "t"), clock: f.clock)
            var (status, _) = try await send(app, .post, "/api/v1/customers/K2/plans", f.tokenA, #"{"invoices": ["INV-3"], "installments": [{"due_date": "2024-07-31", "amount": "1200.00"}]}"#)
            #expect(status == .created)
            _ = try await send(app, .put, "/api/v1/collectors/ana", f.tokenA, #"{"name": "Ana"}"#)
            (status, _) = try await send(app, .put, "/api/v1/customers/K2/collector", f.tokenA, #"{"collector": "ana", "reason": "speaks English"}"#)
            #expect(status == .ok)

            var body: [String: Any]
            (status, body) = try await send(app, .get, "/api/v1/customers/K2/timeline?limit=100", f.tokenA)
            let events = try #require(body["data"] as? [[String: Any]])
            func of(_ type: String) -> [[String: Any]] { events.filter { $0["type"] as? String == type } }
            #expect(Set(events.compactMap { $0["type"] as? String }).isSuperset(of: ["interaction", "message", "invoice", "payment", "plan", "change"]))
            let emailOut = try #require(of("interaction").first { ($0["summary"] as? String)?.hasPrefix("email_out") == true })
            #expect(emailOut["invoices"] as? [String] == ["INV-3", "INV-4"] && (emailOut["summary"] as? String)?.contains("[INV-3, INV-4]") == true)
            #expect(of("interaction").contains { ($0["summary"] as? String)?.hasPrefix("visit") == true && ($0["invoices"] as? [String]) == [] })
            #expect(of("message").contains { ($0["summary"] as? String)?.contains("email") == true })
            #expect(of("plan").first?["summary"] as? String == "payment plan of 1200.00 USD (active)")
            #expect(of("change").contains { ($0["summary"] as? String)?.hasPrefix("customer.collector") == true && ($0["summary"] as? String)?.contains("ana") == true })
            // Nothing is shown twice: the plan and the interactions are not repeated as changes.
            #expect(!of("change").contains { ($0["summary"] as? String)?.hasPrefix("plan.") == true || ($0["summary"] as? String)?.hasPrefix("interaction.") == true })

            (status, body) = try await send(app, .get, "/api/v1/customers/K2/timeline?type=interaction", f.tokenA)
            #expect((body["data"] as? [[String: Any]])?.compactMap { $0["type"] as? String } == ["interaction", "interaction", "interaction"])
            (status, body) = try await send(app, .get, "/api/v1/customers/K2/timeline?type=interaction,calls", f.tokenA)
            #expect(status == .unprocessableContent && fieldErrors(body) == ["type"])
        }
    }
}
