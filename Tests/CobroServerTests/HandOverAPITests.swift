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

@Suite("REST API: write-offs and agency placements") struct HandOverAPITests {
    @Test("write-off: field errors, 403 for the requester and for a collector's token, approval by a manager books WO-<id>", arguments: APITest.kinds)
    func writeOffs(kind: SQLDialect) async throws {
        try await APITest.withFixture(kind) { f in
            let (manager, collector) = try await f.db.transaction { c in
                (try await TokenStore.create(c, company: f.a.id, name: "boss", now: 0), try await TokenStore.create(c, company: f.a.id, name: "ana", collector: "ana", now: 0))
            }
            try await APITest.app(f).test(.router) { client in
                let (bad, badBody) = try await send(client, .post, "/api/v1/invoices/INV-8/write-offs", f.tokenA, #"{"reason":"lazy","amount":"-1"}"#)
                #expect(bad == .unprocessableContent && fieldErrors(badBody) == ["reason"])
                let (tooMuch, tooMuchBody) = try await send(client, .post, "/api/v1/invoices/INV-8/write-offs", f.tokenA, #"{"reason":"other","amount":"1000.01"}"#)
                #expect(tooMuch == .unprocessableContent && fieldErrors(tooMuchBody) == ["amount"])
                let (created, w) = try await send(client, .post, "/api/v1/invoices/INV-8/write-offs", f.tokenA, #"{"reason":"uncollectible","note":"closed down"}"#)
                #expect(created == .created && w["status"] as? String == "pending" && w["amount"] as? Double == 1000)
                let id = try #require(w["id"] as? Int)
                #expect(try await send(client, .post, "/api/v1/write-offs/\(id)/approve", f.tokenA).0 == .forbidden, "the requester")
                #expect(try await send(client, .post, "/api/v1/write-offs/\(id)/approve", collector).0 == .forbidden, "a collector")
                #expect(try await send(client, .post, "/api/v1/write-offs/\(id)/approve", f.tokenB).0 == .notFound, "another company")
                let (ok, approved) = try await send(client, .post, "/api/v1/write-offs/\(id)/approve", manager, #"{"note":"agreed"}"#)
                #expect(ok == .ok && approved["status"] as? String == "approved" && approved["credit_note_ref"] as? String == "WO-\(id)")
                let (_, invoice) = try await send(client, .get, "/api/v1/invoices/INV-8", f.tokenA)
                #expect(invoice["open_amount"] as? Double == 0)
                let (_, list) = try await send(client, .get, "/api/v1/write-offs?status=approved", f.tokenA)
                #expect((list["data"] as? [[String: Any]])?.count == 1)
                let (_, other) = try await send(client, .get, "/api/v1/write-offs", f.tokenB)
                #expect((other["data"] as? [Any])?.isEmpty == true)
                #expect(try await send(client, .get, "/api/v1/write-offs?status=maybe", f.tokenA).0 == .unprocessableContent)
            }
        }
    }

    @Test("placement: place, export the hand-over file, record a collection with commission, recall; isolated per company", arguments: APITest.kinds)
    func placements(kind: SQLDialect) async throws {
        try await APITest.withFixture(kind) { f in
            try await APITest.app(f).test(.router) { client in
                let (bad, badBody) = try await send(client, .post, "/api/v1/customers/K1/placements", f.tokenA, #"{"agency":"X","commission_rate":"250","kind":"jail"}"#)
                #expect(bad == .unprocessableContent && fieldErrors(badBody) == ["kind"])
                let (rate, rateBody) = try await send(client, .post, "/api/v1/customers/K1/placements", f.tokenA, #"{"agency":"X","commission_rate":"250"}"#)
                #expect(rate == .unprocessableContent && fieldErrors(rateBody) == ["commission_rate"])
                let (created, p) = try await send(client, .post, "/api/v1/customers/K1/placements", f.tokenA, #"{"agency":"Cobranzas del Norte","commission_rate":25}"#)
                #expect(created == .created && p["placed_amount"] as? Double == 13500 && p["commission_rate"] as? Double == 25)
                let id = try #require(p["id"] as? Int)
                #expect(try await send(client, .post, "/api/v1/customers/K1/placements", f.tokenA, #"{"agency":"Y","commission_rate":10}"#).0 == .conflict)
                try await client.execute(uri: "/api/v1/placements/\(id)/export", method: .get, headers: auth(f.tokenA)) { r in
                    #expect(r.status == .ok && r.headers[.contentType] == "text/csv; charset=utf-8")
                    let lines = String(buffer: r.body).split(separator: "\n")
                    #expect(lines.count == 5 && lines[1].contains(",INV-7,") && lines[1].hasSuffix(",92,"))
                }
                let (got, body) = try await send(client, .post, "/api/v1/placements/\(id)/collections", f.tokenA, #"{"amount":"1234.57"}"#)
                #expect(got == .created)
                let collection = try #require(body["collection"] as? [String: Any])
                #expect(collection["commission"] as? Double == 308.64 && collection["remitted"] as? Double == 925.93)
                #expect(try await send(client, .post, "/api/v1/placements/\(id)/collections", f.tokenA, #"{"amount":"99999"}"#).0 == .unprocessableContent)
                for (method, uri) in [(HTTPRequest.Method.get, "/api/v1/placements/\(id)"), (.get, "/api/v1/placements/\(id)/export"), (.post, "/api/v1/placements/\(id)/recall")] {
                    #expect(try await send(client, method, uri, f.tokenB).0 == .notFound, "B: \(method) \(uri)")
                }
                let (recalled, r) = try await send(client, .post, "/api/v1/placements/\(id)/recall", f.tokenA, #"{"reason":"paying us"}"#)
                #expect(recalled == .ok && r["status"] as? String == "recalled")
                let (_, active) = try await send(client, .get, "/api/v1/placements?status=active", f.tokenA)
                #expect((active["data"] as? [Any])?.isEmpty == true)
            }
        }
    }
}

@Suite("REST API: collections reports") struct CollectionsReportsAPITests {
    @Test("contactability, open disputes and default reasons as JSON and CSV, only the company's own; bad periods are 422", arguments: APITest.kinds)
    func reports(kind: SQLDialect) async throws {
        try await APITest.withFixture(kind) { f in
            try await APITest.app(f).test(.router) { client in
                #expect(try await send(client, .post, "/api/v1/customers/K1/interactions", f.tokenA, #"{"kind":"call","outcome":"promise","summary":"will pay Friday"}"#).0 == .created)
                #expect(try await send(client, .post, "/api/v1/disputes", f.tokenA, #"{"invoices":["INV-3"],"reason":"pricing","due_date":"2024-07-05"}"#).0 == .created)
                let (_, contact) = try await send(client, .get, "/api/v1/reports/contactability", f.tokenA)
                let total = try #require(contact["total"] as? [String: Any])
                #expect(total["dials"] as? Int == 1 && total["promise_per_rpc"] as? Double == 1)
                let (_, other) = try await send(client, .get, "/api/v1/reports/contactability", f.tokenB)
                #expect((other["total"] as? [String: Any])?["dials"] as? Int == 0)
                let (_, disputes) = try await send(client, .get, "/api/v1/reports/disputes?as_of=2024-07-08", f.tokenA)
                let rows = try #require(disputes["disputes"] as? [[String: Any]])
                #expect(rows.count == 1 && rows[0]["sla"] as? String == "overdue" && rows[0]["days_overdue"] as? Int == 3)
                #expect(((try await send(client, .get, "/api/v1/reports/disputes", f.tokenB)).1["disputes"] as? [Any])?.isEmpty == true)
                try await client.execute(uri: "/api/v1/reports/default-reasons?format=csv", method: .get, headers: auth(f.tokenA)) { r in
                    #expect(r.headers[.contentType] == "text/csv; charset=utf-8")
                    #expect(String(buffer: r.body) == "source,reason,count,share,amounts\ndispute,pricing,1,1.0000,1200.00 USD\n")
                }
                let (bad, body) = try await send(client, .get, "/api/v1/reports/contactability?from=2024-07-02&to=2024-07-01", f.tokenA)
                #expect(bad == .unprocessableContent && fieldErrors(body) == ["from"])
                let (early, earlyBody) = try await send(client, .get, "/api/v1/reports/discounts?to=2024-07-01&as_of=2024-06-30", f.tokenA)
                #expect(early == .unprocessableContent && fieldErrors(earlyBody) == ["as_of"])
                // The worked example has no invoices on discount terms.
                let (ok, none) = try await send(client, .get, "/api/v1/reports/discounts", f.tokenA)
                #expect(ok == .ok && (none["groups"] as? [Any])?.isEmpty == true && none["as_of"] as? String == "2024-07-01")
            }
        }
    }

    @Test("payment plan performance as of the earlier of to and today; promise report as CSV", arguments: APITest.kinds)
    func plansAndPromises(kind: SQLDialect) async throws {
        try await APITest.withFixture(kind) { f in
            let app = APITest.app(f)
            // K2: 700.00 down today (kept), 1,500.00 due 07-31 (missed from 08-08), 1,500.00 due 08-30 (pending).
            var (status, body) = try await send(app, .post, "/api/v1/customers/K2/plans", f.tokenA, """
                {"invoices": ["INV-3", "INV-4"], "down_payment": "700.00", "grace_days": 7, "misses_to_default": 1,
                 "installments": [{"due_date": "2024-07-31", "amount": "1500.00"}, {"due_date": "2024-08-30", "amount": "1500.00"}]}
                """)
            #expect(status == .created)
            (status, _) = try await send(app, .post, "/api/v1/payments", f.tokenA, #"{"ref": "P-DOWN", "customer_ref": "K2", "date": "2024-07-01", "currency": "USD", "amount": "700.00", "invoice_ref": "INV-4"}"#)
            #expect(status == .created)
            let aug8 = Application(router: buildRouter(AppDependencies(db: f.db, clock: .fixed(1_723_118_400_000))))  // 2024-08-08 12:00 UTC
            (status, body) = try await send(aug8, .get, "/api/v1/reports/plans?from=2024-07-01&to=2024-12-31", f.tokenA)
            #expect(status == .ok && body["as_of"] as? String == "2024-08-08")
            let total = try #require(body["total"] as? [String: Any])
            #expect(total["installments_kept"] as? Int == 1 && total["installments_missed"] as? Int == 1 && total["installments_pending"] as? Int == 1)
            #expect(total["installment_kept_rate_pct"] as? Double == 50 && total["default_rate_pct"] as? Double == 100)
            #expect(total["completion_rate_pct"] is NSNull, "nothing matured yet")
            // Due by 08-08: 700 + 1,500 = 2,200; paid 700 → 31.82 %.
            let coverage = try #require((total["coverage"] as? [[String: Any]])?.first)
            #expect(coverage["currency"] as? String == "USD" && coverage["due"] as? Double == 2200 && coverage["paid"] as? Double == 700 && coverage["coverage_pct"] as? Double == 31.82)
            // A cohort that excludes the plan's start day is empty; another company sees none.
            (_, body) = try await send(aug8, .get, "/api/v1/reports/plans?from=2024-07-02&to=2024-08-08", f.tokenA)
            #expect((body["total"] as? [String: Any])?["plans"] as? Int == 0)
            (_, body) = try await send(aug8, .get, "/api/v1/reports/plans", f.tokenB)
            #expect((body["total"] as? [String: Any])?["plans"] as? Int == 0)
            (status, body) = try await send(aug8, .get, "/api/v1/reports/plans?format=xml", f.tokenA)
            #expect(status == .unprocessableContent && fieldErrors(body) == ["format"])

            // A promise of 500.00 by 07-05 with nothing paid is broken once its window passes.
            (status, _) = try await send(app, .post, "/api/v1/customers/K1/promises", f.tokenA, #"{"amount": "500.00", "promise_date": "2024-07-05"}"#)
            #expect(status == .created)
            try await aug8.test(.router) { client in
                try await client.execute(uri: "/api/v1/reports/promises?from=2024-07-01&to=2024-07-31&format=csv", method: .get, headers: auth(f.tokenA)) { r in
                    #expect(r.headers[.contentType] == "text/csv; charset=utf-8")
                    let lines = String(buffer: r.body).split(separator: "\n")
                    #expect(lines.first?.hasPrefix("collector,promises,resolved,kept,partially_kept,broken") == true)
                    #expect(lines.last == "(all),1,1,0,0,1,0,0,0.00,0.00,0.00,0.00")
                }
            }
        }
    }

    @Test("collector goals: set by a manager, field errors, payments counted for whoever held the customer on the payment day", arguments: APITest.kinds)
    func goals(kind: SQLDialect) async throws {
        try await APITest.withFixture(kind) { f in
            let app = APITest.app(f)  // 2024-07-01
            let jul10 = Application(router: buildRouter(AppDependencies(db: f.db, clock: .fixed(1_720_612_800_000))))  // 2024-07-10 12:00 UTC
            _ = try await send(app, .put, "/api/v1/collectors/ana", f.tokenA, #"{"name": "Ana"}"#)
            _ = try await send(app, .put, "/api/v1/collectors/beto", f.tokenA, #"{"name": "Beto"}"#)
            let anaToken = try await f.db.transaction { c in try await TokenStore.create(c, company: f.a.id, name: "ana", collector: "ana", now: 0) }

            var (status, body) = try await send(app, .put, "/api/v1/collectors/ana/goals/2024-07", f.tokenA, #"{"amount": "1000.00"}"#)
            #expect(status == .ok && body["amount"] as? Double == 1000 && body["currency"] as? String == "USD")
            (status, body) = try await send(app, .put, "/api/v1/collectors/ana/goals/2024-13", f.tokenA, #"{"amount": "1000.00"}"#)
            #expect(status == .unprocessableContent && fieldErrors(body) == ["month"])
            for bad in [#"{"amount": "-5"}"#, #"{"amount": "0"}"#, #"{"amount": "1.234"}"#, #"{}"#] {
                (status, body) = try await send(app, .put, "/api/v1/collectors/ana/goals/2024-08", f.tokenA, bad)
                #expect(status == .unprocessableContent && fieldErrors(body) == ["amount"], "\(bad)")
            }
            (status, _) = try await send(app, .put, "/api/v1/collectors/nadie/goals/2024-07", f.tokenA, #"{"amount": "1.00"}"#)
            #expect(status == .notFound)
            (status, _) = try await send(app, .put, "/api/v1/collectors/ana/goals/2024-07", anaToken, #"{"amount": "1.00"}"#)
            #expect(status == .forbidden)
            (status, _) = try await send(app, .put, "/api/v1/collectors/beto/goals/2024-06", f.tokenA, #"{"amount": "5.00"}"#)
            (status, _) = try await send(app, .delete, "/api/v1/collectors/beto/goals/2024-06", f.tokenA)
            #expect(status == .noContent)
            (status, _) = try await send(app, .delete, "/api/v1/collectors/beto/goals/2024-06", f.tokenA)
            #expect(status == .notFound)
            (_, body) = try await send(app, .get, "/api/v1/collectors/ana/goals", anaToken)
            #expect((body["data"] as? [[String: Any]])?.map { $0["month"] as? String } == ["2024-07"])

            // K1 is Ana's from 07-01 and pays 700.00 that day; from 07-10 it is Beto's and pays 500.00 on 07-15.
            _ = try await send(app, .put, "/api/v1/customers/K1/collector", f.tokenA, #"{"collector": "ana"}"#)
            (status, _) = try await send(app, .post, "/api/v1/payments", f.tokenA, #"{"ref": "G-1", "customer_ref": "K1", "date": "2024-07-01", "currency": "USD", "amount": "700.00"}"#)
            #expect(status == .created)
            _ = try await send(jul10, .put, "/api/v1/customers/K1/collector", f.tokenA, #"{"collector": "beto"}"#)
            (status, _) = try await send(jul10, .post, "/api/v1/payments", f.tokenA, #"{"ref": "G-2", "customer_ref": "K1", "date": "2024-07-15", "currency": "USD", "amount": "500.00"}"#)
            #expect(status == .created)
            (status, body) = try await send(app, .get, "/api/v1/reports/goals?month=2024-07", anaToken)
            #expect(status == .ok && body["currency"] as? String == "USD")
            let rows = try #require(body["collectors"] as? [[String: Any]])
            #expect(rows.map { $0["collector"] as? String } == ["ana", "beto"])
            #expect(rows[0]["collected"] as? Double == 700 && rows[0]["goal"] as? Double == 1000 && rows[0]["attainment_pct"] as? Double == 70 && rows[0]["remaining"] as? Double == 300)
            #expect(rows[1]["collected"] as? Double == 500 && rows[1]["goal"] is NSNull)
            let total = try #require(body["total"] as? [String: Any])
            // Beto has no goal: his 500.00 is in the total collected, not in its attainment (70 %).
            #expect(total["collected"] as? Double == 1200 && total["goal"] as? Double == 1000 && total["payments"] as? Int == 2 && total["attainment_pct"] as? Double == 70)
            // June's payments were made before anyone held the customers.
            (_, body) = try await send(app, .get, "/api/v1/reports/goals?month=2024-06", f.tokenA)
            #expect((body["collectors"] as? [[String: Any]])?.last?["collector"] is NSNull)
            (status, body) = try await send(app, .get, "/api/v1/reports/goals?month=July", f.tokenA)
            #expect(status == .unprocessableContent && fieldErrors(body) == ["month"])
            (_, body) = try await send(app, .get, "/api/v1/reports/goals?month=2024-07", f.tokenB)
            #expect((body["total"] as? [String: Any])?["payments"] as? Int == 0)
            try await app.test(.router) { client in
                try await client.execute(uri: "/api/v1/reports/goals?month=2024-07&format=csv", method: .get, headers: auth(f.tokenA)) { r in
                    #expect(String(buffer: r.body).split(separator: "\n").last == "(all),2024-07,USD,1000.00,1200.00,2,70.00,300.00,")
                }
            }
        }
    }
}
