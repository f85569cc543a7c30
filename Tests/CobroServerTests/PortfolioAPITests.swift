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

/// Portfolios and the worklist over the worked example (clock 2024-07-01 12:00 UTC). On that day K1 has 8,500.00 USD
/// overdue (INV-2, INV-5, INV-7; oldest due 2024-03-31, 92 days) and K2 6,700.00 (INV-8, INV-6, INV-4, INV-3; oldest
/// due 2024-02-14, 138 days).
@Suite("Portfolios and worklist (API)") struct PortfolioAPITests {
    @Test("collectors, rules by segment and round-robin, manual assignment that rules respect, and the history", arguments: APITest.kinds)
    func portfolios(kind: SQLDialect) async throws {
        try await APITest.withFixture(kind) { f in
            let app = APITest.app(f)
            var (status, body) = try await send(app, .put, "/api/v1/collectors/Ana%20S", f.tokenA, #"{"name": "Ana"}"#)
            #expect(status == .unprocessableContent && fieldErrors(body) == ["key"])
            (status, body) = try await send(app, .put, "/api/v1/collectors/ana", f.tokenA, #"{"name": "Ana", "team": "north", "role": "boss"}"#)
            #expect(status == .unprocessableContent && fieldErrors(body) == ["role"])
            for (key, name) in [("ana", "Ana"), ("beto", "Beto")] {
                (status, _) = try await send(app, .put, "/api/v1/collectors/\(key)", f.tokenA, #"{"name": "\#(name)", "team": "north", "phone": "+57 1 555"}"#)
                #expect(status == .created)
            }
            (status, _) = try await send(app, .put, "/api/v1/collectors/ana", f.tokenA, #"{"name": "Ana María", "team": "north"}"#)
            #expect(status == .ok)
            (status, body) = try await send(app, .get, "/api/v1/collectors", f.tokenA)
            #expect((body["data"] as? [[String: Any]])?.compactMap { $0["name"] as? String } == ["Ana María", "Beto"])

            (status, body) = try await send(app, .post, "/api/v1/portfolio/assign", f.tokenA, "{}")
            #expect(status == .unprocessableContent && fieldErrors(body) == ["rules"])
            (status, body) = try await send(app, .put, "/api/v1/portfolio/rules", f.tokenA, """
                {"rules": [{"name": "x", "collector": "zoe"}, {"name": "y", "team": "north", "collector": "ana"}, {"name": "z", "team": "north", "min_balance": "1.005"}]}
                """)
            #expect(status == .unprocessableContent && fieldErrors(body) == ["rules[1].collector", "rules[2].min_balance"])
            (status, body) = try await send(app, .put, "/api/v1/portfolio/rules", f.tokenA, #"{"rules": [{"name": "x", "collector": "zoe"}]}"#)
            #expect(status == .unprocessableContent && fieldErrors(body) == ["rules[0].collector"])
            (status, body) = try await send(app, .put, "/api/v1/portfolio/rules", f.tokenA, """
                {"rules": [{"name": "industrial", "segments": ["industrial"], "collector": "beto"}, {"name": "rest", "team": "north", "min_balance": "0.00"}]}
                """)
            #expect(status == .ok && (body["rules"] as? [[String: Any]])?.count == 2)

            (status, body) = try await send(app, .post, "/api/v1/portfolio/assign", f.tokenA, #"{"dry_run": true}"#)
            #expect(status == .ok && body["moved"] as? Int == 2)
            (status, body) = try await send(app, .get, "/api/v1/customers/K1", f.tokenA)
            #expect((body["collections"] as? [String: Any])?["collector"] is NSNull)  // a dry run changes nothing
            (status, body) = try await send(app, .post, "/api/v1/portfolio/assign", f.tokenA, "{}")
            let moves = (body["moves"] as? [[String: Any]] ?? []).map { "\($0["customer_ref"]!)→\($0["to"]!)" }
            // K1 is industrial → beto; K2 goes to the north team's first member in key order, ana.
            #expect(moves == ["K1→beto", "K2→ana"])
            (status, body) = try await send(app, .post, "/api/v1/portfolio/assign", f.tokenA, #"{"reassign": true}"#)
            #expect(body["moved"] as? Int == 1)  // the round-robin moved on: K2 → beto

            (status, body) = try await send(app, .put, "/api/v1/customers/K2/collector", f.tokenA, #"{"collector": "zoe"}"#)
            #expect(status == .unprocessableContent && fieldErrors(body) == ["collector"])
            (status, body) = try await send(app, .put, "/api/v1/customers/K2/collector", f.tokenA, #"{"collector": "ana", "reason": "speaks English"}"#)
            #expect(status == .ok && body["source"] as? String == "manual" && body["previous"] as? String == "beto")
            (status, body) = try await send(app, .post, "/api/v1/portfolio/assign", f.tokenA, #"{"reassign": true}"#)
            #expect(body["moved"] as? Int == 0)  // hand-assigned K2 stays; K1 is already beto's
            (status, body) = try await send(app, .get, "/api/v1/customers/K2/collector-history", f.tokenA)
            let history = (body["data"] as? [[String: Any]] ?? []).map { "\($0["source"]!):\($0["collector"]!)" }
            #expect(history == ["manual:ana", "rule:beto", "rule:ana"])
            (status, body) = try await send(app, .get, "/api/v1/audit?entity=customer&ref=K2", f.tokenA)
            #expect((body["data"] as? [[String: Any]] ?? []).filter { $0["action"] as? String == "customer.collector" }.count == 3)

            // Company B sees none of it and cannot touch A's customers.
            (status, body) = try await send(app, .get, "/api/v1/collectors", f.tokenB)
            #expect((body["data"] as? [Any])?.isEmpty == true)
            (status, body) = try await send(app, .put, "/api/v1/customers/K2/collector", f.tokenB, #"{"collector": "ana"}"#)
            #expect(status == .unprocessableContent)  // B has no collector ana; A's K2 is untouched
            (status, body) = try await send(app, .get, "/api/v1/customers/K2", f.tokenA)
            #expect((body["collections"] as? [String: Any])?["collector"] as? String == "ana")
        }
    }

    @Test("the worklist ranks by the documented score and is recomputed by promises, disputes and payments", arguments: APITest.kinds)
    func worklist(kind: SQLDialect) async throws {
        try await APITest.withFixture(kind) { f in
            let app = APITest.app(f)
            var (status, body) = try await send(app, .get, "/api/v1/worklist", f.tokenA)
            func ranking(_ body: [String: Any]) -> [String] {
                (body["data"] as? [[String: Any]] ?? []).map { "\($0["customer_ref"]!)=\(($0["score"] as? NSNumber)?.stringValue ?? "?")" }
            }
            // K1: 40×8500/18500 = 18.38 + 30 (92 days); K2: 40×6700/16700 = 16.05 + 30 (138 days).
            #expect(status == .ok && ranking(body) == ["K1=48.38", "K2=46.05"])
            let first = try #require((body["data"] as? [[String: Any]])?.first)
            #expect((first["breakdown"] as? [[String: Any]])?.compactMap { $0["factor"] as? String } == ["overdue_amount", "days_past_due", "risk"])
            #expect((first["next_action"] as? [String: Any])?["kind"] as? String == "call" || (first["next_action"] as? [String: Any])?["kind"] as? String == "send_statement")
            #expect((first["overdue_base"] as? NSNumber)?.doubleValue == 8500)

            // A promise on INV-7 and INV-5 (4,500.00) leaves 4,000.00 to chase: 40×4000/14000 = 11.43 + 30.
            (status, _) = try await send(app, .post, "/api/v1/customers/K1/promises", f.tokenA, #"{"amount": "4500.00", "promise_date": "2024-07-10", "invoices": ["INV-7", "INV-5"]}"#)
            #expect(status == .created)
            (status, body) = try await send(app, .get, "/api/v1/worklist", f.tokenA)
            #expect(ranking(body) == ["K2=46.05", "K1=41.43"])
            // A dispute on all of INV-6 (2,000.00): 40×4700/14700 = 12.79 + 30.
            (status, _) = try await send(app, .post, "/api/v1/disputes", f.tokenA, #"{"invoices": ["INV-6"], "reason": "quality"}"#)
            #expect(status == .created)
            (status, body) = try await send(app, .get, "/api/v1/worklist", f.tokenA)
            #expect(ranking(body) == ["K2=42.79", "K1=41.43"])
            // K2 pays 1,000.00, applied to INV-8: oldest is now INV-6 (73 days, 24.33) and 40×3700/13700 = 10.80.
            (status, _) = try await send(app, .post, "/api/v1/payments", f.tokenA, #"{"ref": "PAY-W", "customer_ref": "K2", "date": "2024-07-01", "currency": "USD", "amount": "1000.00"}"#)
            #expect(status == .created)
            (status, body) = try await send(app, .get, "/api/v1/worklist", f.tokenA)
            #expect(ranking(body) == ["K1=41.43", "K2=35.13"])
            let k2 = try #require((body["data"] as? [[String: Any]])?.last)
            #expect(((k2["breakdown"] as? [[String: Any]])?.first { $0["factor"] as? String == "disputed" }?["points"] as? NSNumber)?.doubleValue == -3.72)
        }
    }

    @Test("due tasks include derived follow-ups: a standing promise on its date and a dispute due within 3 days", arguments: APITest.kinds)
    func derivedFollowUps(kind: SQLDialect) async throws {
        try await APITest.withFixture(kind) { f in
            let app = APITest.app(f)  // 2024-07-01
            var (status, body) = try await send(app, .post, "/api/v1/customers/K1/promises", f.tokenA, #"{"amount": "4500.00", "promise_date": "2024-07-01", "invoices": ["INV-7", "INV-5"]}"#)
            #expect(status == .created)
            let promise = try #require(body["id"] as? Int)
            (status, body) = try await send(app, .post, "/api/v1/disputes", f.tokenA, #"{"invoices": ["INV-6"], "reason": "quality", "due_date": "2024-07-03"}"#)
            #expect(status == .created)
            let dispute = try #require((body["data"] as? [[String: Any]])?.first?["id"] as? Int)
            (status, _) = try await send(app, .post, "/api/v1/disputes", f.tokenA, #"{"invoices": ["INV-4"], "reason": "pricing", "due_date": "2024-07-05"}"#)
            #expect(status == .created)  // due in 4 days: not yet a follow-up

            (status, body) = try await send(app, .get, "/api/v1/worklist", f.tokenA)
            let rows = try #require(body["data"] as? [[String: Any]])
            func entry(_ ref: String) throws -> [String: Any] { try #require(rows.first { $0["customer_ref"] as? String == ref }) }
            let k1Tasks = try #require(try entry("K1")["tasks_due"] as? [[String: Any]])
            #expect(k1Tasks.count == 1 && k1Tasks[0]["kind"] as? String == "promise_follow_up" && k1Tasks[0]["about"] as? String == "promise \(promise)")
            #expect(k1Tasks[0]["id"] is NSNull && k1Tasks[0]["due_date"] as? String == "2024-07-01")
            #expect(((try entry("K1")["breakdown"] as? [[String: Any]])?.first { $0["factor"] as? String == "tasks_due" }?["points"] as? NSNumber)?.doubleValue == 10)
            let k2 = try entry("K2")
            let k2Tasks = try #require(k2["tasks_due"] as? [[String: Any]])
            #expect(k2Tasks.compactMap { $0["about"] as? String } == ["dispute \(dispute)"] && k2Tasks.first?["kind"] as? String == "dispute_deadline")
            #expect((k2["next_action"] as? [String: Any])?["kind"] as? String == "resolve_dispute")

            // Once the promise is no longer standing (cancelled), its follow-up goes.
            (status, _) = try await send(app, .post, "/api/v1/promises/\(promise)/cancel", f.tokenA, #"{"reason": "customer withdrew it"}"#)
            #expect(status == .ok)
            (_, body) = try await send(app, .get, "/api/v1/worklist", f.tokenA)
            #expect(((body["data"] as? [[String: Any]])?.first { $0["customer_ref"] as? String == "K1" }?["tasks_due"] as? [Any])?.isEmpty == true)
        }
    }

    @Test("a collector's token sees its own worklist only and cannot change portfolios; rates convert other currencies", arguments: APITest.kinds)
    func scopesAndRates(kind: SQLDialect) async throws {
        try await APITest.withFixture(kind) { f in
            let app = APITest.app(f)
            _ = try await send(app, .put, "/api/v1/collectors/ana", f.tokenA, #"{"name": "Ana"}"#)
            _ = try await send(app, .put, "/api/v1/collectors/beto", f.tokenA, #"{"name": "Beto"}"#)
            _ = try await send(app, .put, "/api/v1/customers/K1/collector", f.tokenA, #"{"collector": "ana"}"#)
            let anaToken = try await f.db.transaction { c in try await TokenStore.create(c, company: f.a.id, name: "ana", collector: "ana", now: 0) }
            var (status, body) = try await send(app, .get, "/api/v1/worklist", anaToken)
            #expect(status == .ok && (body["data"] as? [[String: Any]])?.compactMap { $0["customer_ref"] as? String } == ["K1"])
            (status, _) = try await send(app, .get, "/api/v1/worklist?collector=beto", anaToken)
            #expect(status == .forbidden)
            (status, _) = try await send(app, .get, "/api/v1/worklist?unassigned=true", anaToken)
            #expect(status == .forbidden)
            (status, _) = try await send(app, .put, "/api/v1/customers/K2/collector", anaToken, #"{"collector": "ana"}"#)
            #expect(status == .forbidden)
            (status, body) = try await send(app, .get, "/api/v1/worklist?unassigned=true", f.tokenA)
            #expect((body["data"] as? [[String: Any]])?.compactMap { $0["customer_ref"] as? String } == ["K2"])
            (status, body) = try await send(app, .get, "/api/v1/worklist?collector=ana&unassigned=true", f.tokenA)
            #expect(status == .unprocessableContent && fieldErrors(body) == ["unassigned"])

            (status, body) = try await send(app, .put, "/api/v1/settings/rates", f.tokenA, #"{"rates": {"EUR": "1.1", "USD": "1", "XXQ": "2", "MXN": "-1"}}"#)
            #expect(status == .unprocessableContent && fieldErrors(body) == ["rates.MXN", "rates.USD", "rates.XXQ"])
            // A EUR invoice 200 days overdue for K2: without a rate it is named and not counted; with 1.1 it is 1,100.00 USD.
            (status, _) = try await send(app, .post, "/api/v1/invoices", f.tokenA, #"{"ref": "EU-1", "customer_ref": "K2", "issue_date": "2023-12-01", "due_date": "2023-12-14", "currency": "EUR", "amount": "1000.00"}"#)
            #expect(status == .created)
            (status, body) = try await send(app, .get, "/api/v1/worklist?unassigned=true", f.tokenA)
            var k2 = try #require((body["data"] as? [[String: Any]])?.first)
            #expect(((k2["breakdown"] as? [[String: Any]])?.first?["detail"] as? String)?.contains("EUR not counted (no rate)") == true)
            (status, body) = try await send(app, .put, "/api/v1/settings/rates", f.tokenA, #"{"rates": {"EUR": "1.1"}}"#)
            #expect(status == .ok && ((body["rates"] as? [String: Any])?["EUR"] as? NSNumber)?.doubleValue == 1.1)
            (status, body) = try await send(app, .get, "/api/v1/worklist?unassigned=true", f.tokenA)
            k2 = try #require((body["data"] as? [[String: Any]])?.first)
            #expect((k2["overdue_base"] as? NSNumber)?.doubleValue == 7800)
            #expect((k2["overdue"] as? [[String: Any]])?.compactMap { $0["currency"] as? String } == ["EUR", "USD"])
            (status, body) = try await send(app, .get, "/api/v1/settings/rates", f.tokenB)
            #expect((body["rates"] as? [String: Any])?.isEmpty == true)
        }
    }
}

@Suite("Audit report (API)") struct AuditReportAPITests {
    @Test("the audit log filters by user, customer (with its documents and payments), entity and UTC day", arguments: APITest.kinds)
    func filters(kind: SQLDialect) async throws {
        try await APITest.withFixture(kind) { f in
            let app = APITest.app(f)
            var (status, _) = try await send(app, .post, "/api/v1/payments", f.tokenA, #"{"ref": "PAY-A", "customer_ref": "K2", "date": "2024-07-01", "currency": "USD", "amount": "10.00"}"#)
            #expect(status == .created)
            (status, _) = try await send(app, .post, "/api/v1/invoices", f.tokenA, #"{"ref": "INV-A", "customer_ref": "K2", "issue_date": "2024-07-01", "due_date": "2024-07-31", "currency": "USD", "amount": "5.00"}"#)
            #expect(status == .created)
            _ = try await send(app, .put, "/api/v1/collectors/ana", f.tokenA, #"{"name": "Ana"}"#)
            _ = try await send(app, .put, "/api/v1/customers/K2/collector", f.tokenA, #"{"collector": "ana"}"#)
            func actions(_ query: String, _ token: String) async throws -> [String] {
                let (s, body) = try await send(app, .get, "/api/v1/audit?limit=500&\(query)", token)
                #expect(s == .ok, "\(query)")
                return (body["data"] as? [[String: Any]] ?? []).map { "\($0["action"]!) \($0["entity_ref"] as? String ?? "")" }
            }
            let k2 = try await actions("customer=K2&actor=token:a", f.tokenA)
            #expect(k2.contains("customer.collector K2") && k2.contains { $0.hasSuffix("PAY-A") } && k2.contains { $0.hasSuffix("INV-A") })
            #expect(!k2.contains { $0.contains("collector.create") })  // the collector is not the customer's
            #expect(try await actions("customer=K1&actor=token:a", f.tokenA).isEmpty)
            let all = try await actions("customer=K2", f.tokenA)
            #expect(all == k2)  // the worked example was loaded without per-row audit events
            #expect(try await actions("actor=token:a&from=2024-07-01&to=2024-07-01", f.tokenA).count == 4)
            #expect(try await actions("actor=token:a&from=2024-07-02", f.tokenA).isEmpty)
            #expect(try await actions("actor=token:a&entity=collector", f.tokenA) == ["collector.create ana"])
            #expect(try await actions("customer=K2&actor=token:a", f.tokenB).isEmpty)
            var body: [String: Any]
            (status, body) = try await send(app, .get, "/api/v1/audit?from=2024-07-02&to=2024-07-01", f.tokenA)
            #expect(status == .unprocessableContent && fieldErrors(body) == ["to"])
            (status, body) = try await send(app, .get, "/api/v1/audit?from=yesterday", f.tokenA)
            #expect(status == .unprocessableContent && fieldErrors(body) == ["from"])
        }
    }
}
