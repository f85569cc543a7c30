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
}
