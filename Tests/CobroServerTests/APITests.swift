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

/// Every authenticated route, with a request that would succeed for company A's data.
let protectedRoutes: [(HTTPRequest.Method, String, String?)] = [
    (.get, "/api/v1/company", nil),
    (.get, "/api/v1/customers", nil),
    (.post, "/api/v1/customers", #"{"ref":"K1","name":"Hijacked"}"#),
    (.get, "/api/v1/customers/K1", nil),
    (.get, "/api/v1/customers/K1/contacts", nil),
    (.post, "/api/v1/customers/K1/contacts", #"{"name":"Eve"}"#),
    (.get, "/api/v1/invoices", nil),
    (.post, "/api/v1/invoices", #"{"ref":"INV-1","customer_ref":"K1","issue_date":"2024-06-20","due_date":"2024-07-20","currency":"USD","amount":"1.00"}"#),
    (.get, "/api/v1/invoices/INV-1", nil),
    (.get, "/api/v1/payments", nil),
    (.post, "/api/v1/payments", #"{"ref":"PAY-X","customer_ref":"K1","date":"2024-06-30","currency":"USD","amount":"1.00"}"#),
    (.get, "/api/v1/payments/PAY-9", nil),
    (.get, "/api/v1/allocations", nil),
    (.post, "/api/v1/allocations", #"{"invoice_ref":"INV-1","payment_ref":"PAY-9","amount":"1.00"}"#),
    (.post, "/api/v1/allocations/1/reverse", nil),
    (.get, "/api/v1/audit", nil),
    (.get, "/api/v1/reports/aging?as_of=2024-06-30", nil),
    (.get, "/api/v1/reports/statement?customer=K1&from=2024-01-01&to=2024-06-30", nil),
    (.get, "/api/v1/reports/kpis?as_of=2024-06-30", nil),
    (.post, "/api/v1/imports/customers", "customer_ref,name\nZ1,Zed\n"),
    (.get, "/api/v1/webhooks", nil),
    (.post, "/api/v1/webhooks", #"{"url":"http://127.0.0.1:9/hook"}"#),
    (.delete, "/api/v1/webhooks/1", nil),
    (.get, "/api/v1/webhooks/1/deliveries", nil),
    (.get, "/api/v1/dunning/config", nil),
    (.put, "/api/v1/dunning/config", "{}"),
    (.get, "/api/v1/dunning/config/versions", nil),
    (.get, "/api/v1/dunning/config/versions/1", nil),
    (.post, "/api/v1/dunning/preview", #"{"customer":"K1","template":"overdue_7"}"#),
    (.get, "/api/v1/dunning/runs", nil),
    (.post, "/api/v1/dunning/runs", #"{"dry_run":true}"#),
    (.get, "/api/v1/messages", nil),
    (.post, "/api/v1/messages/1/bounce", #"{"reason":"x"}"#),
    (.get, "/api/v1/customers/K1/opt-outs", nil),
    (.post, "/api/v1/customers/K1/opt-outs", #"{"channel":"sms","reason":"x"}"#),
    (.delete, "/api/v1/customers/K1/opt-outs/sms", nil),
    (.get, "/api/v1/tasks", nil),
    (.post, "/api/v1/tasks/1/close", #"{"outcome":"x"}"#),
    (.get, "/api/v1/settings/channels", nil),
    (.put, "/api/v1/settings/channels", "{}"),
    (.get, "/api/v1/reports/communication", nil),
    (.post, "/api/v1/customers/K1/promises", #"{"amount":"1","promise_date":"2024-07-05"}"#),
    (.get, "/api/v1/promises", nil),
    (.post, "/api/v1/promises/1/cancel", #"{"reason":"x"}"#),
    (.get, "/api/v1/reports/promises", nil),
    (.get, "/api/v1/reports/plans", nil),
    (.get, "/api/v1/collectors/ana/goals", nil),
    (.put, "/api/v1/collectors/ana/goals/2024-07", #"{"amount":"1000.00"}"#),
    (.delete, "/api/v1/collectors/ana/goals/2024-07", nil),
    (.get, "/api/v1/reports/goals", nil),
    (.get, "/api/v1/reports/discounts", nil),
    (.get, "/api/v1/reports/roll-rates?from=2024-05&to=2024-06", nil),
    (.get, "/api/v1/reports/provision?as_of=2024-06-30&loss_rates=1,2,3,4,5", nil),
    (.get, "/api/v1/reports/payment-trends?from=2024-05&to=2024-07", nil),
    (.get, "/api/v1/customers/K1/risk", nil),
    (.get, "/api/v1/reports/cash-forecast", nil),
    (.get, "/api/v1/reports/forecast-accuracy", nil),
    (.post, "/api/v1/customers/K1/plans", #"{"invoices":["INV-2"],"installments":[{"due_date":"2024-07-31","amount":"4000.00"}]}"#),
    (.get, "/api/v1/plans", nil),
    (.post, "/api/v1/plans/1/cancel", #"{"reason":"x"}"#),
    (.post, "/api/v1/disputes", #"{"invoices":["INV-1"],"reason":"other"}"#),
    (.get, "/api/v1/disputes", nil),
    (.get, "/api/v1/disputes/1", nil),
    (.post, "/api/v1/disputes/1/status", #"{"status":"in_review"}"#),
    (.post, "/api/v1/disputes/1/resolve", "{}"),
    (.post, "/api/v1/disputes/1/comments", #"{"body":"x"}"#),
    (.post, "/api/v1/customers/K1/interactions", #"{"kind":"note","summary":"x"}"#),
    (.get, "/api/v1/customers/K1/timeline", nil),
    (.get, "/api/v1/customers/K1/credit", nil),
    (.put, "/api/v1/customers/K1/open-orders", #"{"amount":"1"}"#),
    (.post, "/api/v1/customers/K1/credit-limit-requests", #"{"limit":"1","reason":"x"}"#),
    (.get, "/api/v1/credit-limit-requests", nil),
    (.post, "/api/v1/credit-limit-requests/1/approve", nil),
    (.post, "/api/v1/credit-limit-requests/1/reject", nil),
    (.get, "/api/v1/settings/credit", nil),
    (.put, "/api/v1/settings/credit", #"{"hold_days_past_due":30}"#),
    (.get, "/api/v1/collectors", nil),
    (.put, "/api/v1/collectors/ana", #"{"name":"Ana"}"#),
    (.get, "/api/v1/portfolio/rules", nil),
    (.put, "/api/v1/portfolio/rules", #"{"rules":[]}"#),
    (.post, "/api/v1/portfolio/assign", "{}"),
    (.put, "/api/v1/customers/K1/collector", #"{"collector":null}"#),
    (.get, "/api/v1/customers/K1/collector-history", nil),
    (.get, "/api/v1/settings/rates", nil),
    (.put, "/api/v1/settings/rates", #"{"rates":{}}"#),
    (.get, "/api/v1/worklist", nil),
    (.post, "/api/v1/customers/K1/attachments?file_name=a.pdf", "%PDF-1.4"),
    (.get, "/api/v1/customers/K1/attachments", nil),
    (.post, "/api/v1/invoices/INV-1/attachments?file_name=a.pdf", "%PDF-1.4"),
    (.get, "/api/v1/invoices/INV-1/attachments", nil),
    (.post, "/api/v1/disputes/1/attachments?file_name=a.pdf", "%PDF-1.4"),
    (.get, "/api/v1/disputes/1/attachments", nil),
    (.post, "/api/v1/plans/1/attachments?file_name=a.pdf", "%PDF-1.4"),
    (.get, "/api/v1/plans/1/attachments", nil),
    (.get, "/api/v1/attachments/1", nil),
    (.get, "/api/v1/attachments/1/content", nil),
    (.delete, "/api/v1/attachments/1", nil),
    (.post, "/api/v1/attachments/1/restore", nil),
    (.post, "/api/v1/invoices/INV-1/write-offs", #"{"reason":"other"}"#),
    (.get, "/api/v1/write-offs", nil),
    (.post, "/api/v1/write-offs/1/approve", nil),
    (.post, "/api/v1/write-offs/1/reject", nil),
    (.post, "/api/v1/customers/K1/placements", #"{"agency":"X","commission_rate":"10"}"#),
    (.get, "/api/v1/placements", nil),
    (.get, "/api/v1/placements/1", nil),
    (.get, "/api/v1/placements/1/export", nil),
    (.post, "/api/v1/placements/1/collections", #"{"amount":"1"}"#),
    (.post, "/api/v1/placements/1/recall", nil),
    (.get, "/api/v1/reports/contactability", nil),
    (.get, "/api/v1/reports/disputes", nil),
    (.get, "/api/v1/reports/default-reasons", nil),
]

@Suite("REST API") struct APITests {
    @Test("every /api/v1 route needs a bearer token and answers 401 problem+json without one")
    func unauthorized() async throws {
        try await APITest.withFixture { f in
            try await APITest.app(f).test(.router) { client in
                for (method, uri, body) in protectedRoutes {
                    for headers: HTTPFields in [[:], [.authorization: "Bearer cobro_wrong"], [.authorization: "Basic abc"]] {
                        try await client.execute(uri: uri, method: method, headers: headers, body: body.map { .text($0) }) { r in
                            #expect(r.status == .unauthorized, "\(method) \(uri)")
                            #expect(r.headers[.contentType] == "application/problem+json; charset=utf-8")
                            #expect(r.headers[.wwwAuthenticate] == "Bearer")
                        }
                    }
                }
            }
        }
    }

    @Test("a token of one company never reads or changes another company's data, on every route", arguments: APITest.kinds)
    func tenantIsolation(kind: SQLDialect) async throws {
        try await APITest.withFixture(kind) { f in
            // Company B gets a distinct customer and invoice; A's refs K1/INV-1 exist in both, so we use refs only A has.
            let onlyA = """
                invoice_ref,customer_ref,issue_date,due_date,currency,amount
                A-ONLY,K1,2024-06-01,2024-06-30,USD,123.45

                """
            let imp = Importer(db: f.db, company: f.a, actor: "t", clock: f.clock)
            _ = try await imp.run(.invoices, csv: onlyA, strict: true)
            _ = try await imp.run(.customers, csv: "customer_ref,name\nAONLY,Only A\n", strict: true)
            let aAllocation = try await f.db.read { c in try await LedgerQueries(c, company: f.a.id).allocations().first!.id }
            try await APITest.app(f).test(.router) { client in
                // Reads of A-only things with B's token: 404, never A's data.
                for uri in ["/api/v1/invoices/A-ONLY", "/api/v1/customers/AONLY", "/api/v1/customers/AONLY/contacts",
                            "/api/v1/reports/statement?customer=AONLY", "/api/v1/allocations?invoice=A-ONLY", "/api/v1/webhooks/999999/deliveries"] {
                    try await client.execute(uri: uri, method: .get, headers: auth(f.tokenB)) { r in
                        #expect(r.status == .notFound, "B read \(uri): \(r.status)")
                    }
                }
                // Lists and reports with B's token never include A's rows.
                for uri in ["/api/v1/invoices?limit=500", "/api/v1/customers?limit=500", "/api/v1/payments?limit=500", "/api/v1/allocations?limit=500",
                            "/api/v1/audit?limit=500", "/api/v1/reports/aging?as_of=2024-06-30&format=csv", "/api/v1/reports/kpis?as_of=2024-06-30", "/api/v1/company"] {
                    try await client.execute(uri: uri, method: .get, headers: auth(f.tokenB)) { r in
                        #expect(r.status == .ok, "\(uri)")
                        let text = String(buffer: r.body)
                        #expect(!text.contains("A-ONLY") && !text.contains("AONLY") && !text.contains("12345") && !text.contains("123.45"), "\(uri) leaked A's data")
                        #expect(!text.contains("\"slug\":\"\(f.a.slug)\""))
                    }
                }
                // Writes aimed at A's rows with B's token: refused, and A is unchanged.
                try await client.execute(uri: "/api/v1/allocations/\(aAllocation)/reverse", method: .post, headers: auth(f.tokenB)) { r in
                    #expect(r.status == .notFound)
                }
                try await client.execute(uri: "/api/v1/customers/AONLY/contacts", method: .post, headers: auth(f.tokenB), body: .text(#"{"name":"Eve"}"#)) { r in
                    #expect(r.status == .notFound)
                }
                try await client.execute(uri: "/api/v1/payments", method: .post, headers: auth(f.tokenB),
                                         body: .text(#"{"ref":"P-X","customer_ref":"AONLY","date":"2024-06-30","currency":"USD","amount":"1"}"#)) { r in
                    #expect(r.status == .unprocessableContent)
                }
                try await client.execute(uri: "/api/v1/allocations", method: .post, headers: auth(f.tokenB),
                                         body: .text(#"{"invoice_ref":"A-ONLY","payment_ref":"PAY-9","amount":"1"}"#)) { r in
                    #expect(r.status == .notFound)
                }
            }
            let stillOpen = try await f.db.read { c in try await LedgerQueries(c, company: f.a.id).document(ref: "A-ONLY")!.openMinor }
            #expect(stillOpen == 12_345)
            let active = try await f.db.read { c in try await LedgerQueries(c, company: f.a.id).allocations().first!.reversedOn }
            #expect(active == nil)
        }
    }

    @Test("invalid input gets application/problem+json with every field error")
    func problemJSON() async throws {
        try await APITest.withFixture { f in
            try await APITest.app(f).test(.router) { client in
                let body = #"{"ref":"X1","customer_ref":"K1","issue_date":"2024-02-30","due_date":"2024-01-01","currency":"XYZ","amount":"-5"}"#
                try await client.execute(uri: "/api/v1/invoices", method: .post, headers: auth(f.tokenA), body: .text(body)) { r in
                    #expect(r.status == .unprocessableContent)
                    #expect(r.headers[.contentType] == "application/problem+json; charset=utf-8")
                    let p = try json(r.body)
                    #expect(p["status"] as? Int == 422 && p["title"] as? String == "Invalid Input")
                    let fields = Set((p["errors"] as? [[String: Any]] ?? []).compactMap { $0["field"] as? String })
                    #expect(fields == ["issue_date", "currency"], "amount is only checked once the currency is valid")
                }
                try await client.execute(uri: "/api/v1/invoices", method: .post, headers: auth(f.tokenA), body: .text("{not json")) { r in
                    #expect(r.status == .unprocessableContent)
                    let p = try json(r.body)
                    #expect(p["detail"] as? String == "body: the body is not valid JSON")
                }
                try await client.execute(uri: "/api/v1/reports/aging?as_of=30/06/2024&basis=sideways", method: .get, headers: auth(f.tokenA)) { r in
                    let fields = Set(((try json(r.body))["errors"] as? [[String: Any]] ?? []).compactMap { $0["field"] as? String })
                    #expect(r.status == .unprocessableContent && fields == ["as_of", "basis"])
                }
                try await client.execute(uri: "/api/v1/invoices?cursor=garbage", method: .get, headers: auth(f.tokenA)) { r in
                    #expect(r.status == .unprocessableContent)
                }
            }
        }
    }

    @Test("cursor pagination walks every row once; filters narrow the list")
    func paginationAndFilters() async throws {
        try await APITest.withFixture { f in
            try await APITest.app(f).test(.router) { client in
                var seen: [String] = []
                var cursor: String?
                var pages = 0
                repeat {
                    let uri = "/api/v1/invoices?limit=3" + (cursor.map { "&cursor=\($0)" } ?? "")
                    let (refs, next) = try await client.execute(uri: uri, method: .get, headers: auth(f.tokenA)) { r -> ([String], String?) in
                        let j = try json(r.body)
                        return ((j["data"] as? [[String: Any]] ?? []).compactMap { $0["ref"] as? String }, j["next_cursor"] as? String)
                    }
                    seen += refs
                    cursor = next
                    pages += 1
                } while cursor != nil && pages < 10
                #expect(seen.count == 10 && Set(seen).count == 10 && pages == 4)
                func refs(_ q: String) async throws -> Set<String> {
                    try await client.execute(uri: "/api/v1/invoices?limit=500&\(q)", method: .get, headers: auth(f.tokenA)) { r in
                        Set(((try json(r.body))["data"] as? [[String: Any]] ?? []).compactMap { $0["ref"] as? String })
                    }
                }
                #expect(try await refs("status=paid") == ["INV-9", "INV-10"])
                #expect(try await refs("customer=K2&status=open") == ["INV-3", "INV-4", "INV-6", "INV-8"])
                // The fixed clock says 2024-07-01: INV-2 (due 06-30) is now overdue; INV-1 (due 07-20) is not.
                #expect(try await refs("overdue=true") == ["INV-2", "INV-3", "INV-4", "INV-5", "INV-6", "INV-7", "INV-8"])
                #expect(try await refs("due_before=2024-03-31") == ["INV-8"])
                #expect(try await refs("due_after=2024-06-30") == ["INV-1"])
            }
        }
    }

    @Test("Idempotency-Key: same key and body → one payment, same response; different body → 422", arguments: APITest.kinds)
    func idempotency(kind: SQLDialect) async throws {
        try await APITest.withFixture(kind) { f in
            try await APITest.app(f).test(.router) { client in
                let body = #"{"ref":"PAY-NEW","customer_ref":"K2","date":"2024-06-30","currency":"USD","amount":"1500.00"}"#
                let headers = auth(f.tokenA, [HTTPField.Name("Idempotency-Key")!: "key-1"])
                let first = try await client.execute(uri: "/api/v1/payments", method: .post, headers: headers, body: .text(body)) { r in
                    #expect(r.status == .created)
                    return String(buffer: r.body)
                }
                let second = try await client.execute(uri: "/api/v1/payments", method: .post, headers: headers, body: .text(body)) { r in
                    #expect(r.status == .created)
                    return String(buffer: r.body)
                }
                #expect(first == second)
                let j = try json(ByteBuffer(string: first))
                // Oldest-due-first: INV-8 (1000, due 02-14) then 500 of INV-6 (due 04-19).
                let allocated = (j["allocations"] as? [[String: Any]] ?? []).map { "\($0["invoice_ref"]!)=\(($0["amount"] as? Double) ?? -1)" }
                #expect(allocated == ["INV-8=1000.0", "INV-6=500.0"])
                try await client.execute(uri: "/api/v1/payments", method: .post, headers: headers, body: .text(body.replacing("1500.00", with: "1600.00"))) { r in
                    #expect(r.status == .unprocessableContent)
                    #expect(String(buffer: r.body).contains("Idempotency-Key"))
                }
            }
            let count = try await f.db.read { c in try await c.first("SELECT COUNT(*) FROM payment WHERE company_id = $1 AND ref = 'PAY-NEW'", [.int(f.a.id)])!.int(0) }
            #expect(count == 1)
            // The insert is audited once, in the same transaction, with who made it.
            let audit = try await f.db.read { c in try await Audit.list(c, company: f.a.id, entity: "payment", ref: "PAY-NEW", afterID: 0, limit: 10) }
            #expect(audit.map(\.action) == ["payment.create"] && audit.first?.actor == "token:a")
        }
    }

    @Test("reports: aging CSV matches the worked example; statement and KPIs as JSON")
    func reports() async throws {
        try await APITest.withFixture { f in
            try await APITest.app(f).test(.router) { client in
                try await client.execute(uri: "/api/v1/reports/aging?as_of=2024-06-30&format=csv", method: .get, headers: auth(f.tokenA)) { r in
                    #expect(r.headers[.contentType]?.hasPrefix("text/csv") == true)
                    let lines = String(buffer: r.body).split(separator: "\n")
                    #expect(lines.first == "customer_ref,currency,current,d1_30,d31_60,d61_90,d91_plus,unapplied,total")
                    #expect(lines.contains("TOTAL,USD,9000.00,3700.00,3000.00,2000.00,2500.00,0.00,20200.00"))
                }
                try await client.execute(uri: "/api/v1/reports/kpis?as_of=2024-06-30&window=90", method: .get, headers: auth(f.tokenA)) { r in
                    let k = try json(r.body)
                    #expect((k["dso_simple"] as? Double).map { abs($0 - 60.6) < 0.001 } == true)
                    #expect((k["ar_past_due_pct"] as? Double).map { abs($0 - 55.45) < 0.001 } == true)
                }
                try await client.execute(uri: "/api/v1/reports/statement?customer=K2&from=2024-05-01&to=2024-06-30", method: .get, headers: auth(f.tokenA)) { r in
                    let s = try #require((try json(r.body))["statements"] as? [[String: Any]]).first!
                    #expect(s["opening_balance"] as? Double == 5500)
                    #expect(s["closing_balance"] as? Double == 6700)
                    #expect((s["lines"] as? [Any])?.count == 3)
                }
            }
        }
    }

    @Test("reports are cached per company and ledger version; a change through the API or straight into the database shows at once", arguments: APITest.kinds)
    func reportCache(kind: SQLDialect) async throws {
        try await APITest.withFixture(kind) { f in
            try await APITest.app(f).test(.router) { client in
                let uri = "/api/v1/reports/statement?customer=K2&from=2024-05-01&to=2024-06-30"
                func closing(_ token: String) async throws -> (cache: String?, closing: Double?) {
                    try await client.execute(uri: uri, method: .get, headers: auth(token)) { r in
                        #expect(r.status == .ok)
                        let s = (try json(r.body)["statements"] as? [[String: Any]])?.first
                        return (r.headers[HTTPField.Name("Cobro-Cache")!], s?["closing_balance"] as? Double)
                    }
                }
                #expect(try await closing(f.tokenA) == ("miss", 6700))
                #expect(try await closing(f.tokenA) == ("hit", 6700))
                // Another company's identical request is its own entry.
                #expect(try await closing(f.tokenB) == ("miss", 6700))
                // A payment through the API moves the version: the next answer is computed again and includes it.
                let pay = #"{"ref":"PAY-CACHE","customer_ref":"K2","date":"2024-06-30","currency":"USD","amount":"100.00"}"#
                try await client.execute(uri: "/api/v1/payments", method: .post, headers: auth(f.tokenA), body: .text(pay)) { r in
                    #expect(r.status == .created)
                }
                #expect(try await closing(f.tokenA) == ("miss", 6600))
                #expect(try await closing(f.tokenA) == ("hit", 6600))
                // A write that bypasses the server (as `cobro import` in another process does) is seen too.
                let csv = "payment_ref,customer_ref,payment_date,currency,amount\nPAY-CLI,K2,2024-06-30,USD,50.00\n"
                #expect(try await importer(f.db, f.a).run(.payments, csv: csv).inserted == 1)
                #expect(try await closing(f.tokenA) == ("miss", 6550))
                // Company B's ledger did not change, so its entry still serves.
                #expect(try await closing(f.tokenB) == ("hit", 6700))
            }
        }
    }

    @Test("CSV import over HTTP (text/csv), strict mode, wrong content type")
    func importOverHTTP() async throws {
        try await APITest.withFixture { f in
            try await APITest.app(f).test(.router) { client in
                let csv = "customer_ref,name,email\nN1,Nuevo,n1@example.com\nN2,,bad\n"
                try await client.execute(uri: "/api/v1/imports/customers", method: .post, headers: auth(f.tokenA, [.contentType: "text/csv"]), body: .text(csv)) { r in
                    let s = try json(r.body)
                    #expect(r.status == .ok && s["inserted"] as? Int == 1 && s["rejected"] as? Int == 1)
                    let issues = s["issues"] as? [[String: Any]] ?? []
                    #expect(issues.contains { $0["line"] as? Int == 3 && $0["field"] as? String == "name" })
                }
                try await client.execute(uri: "/api/v1/imports/customers?strict=true", method: .post, headers: auth(f.tokenA, [.contentType: "text/csv"]),
                                         body: .text("customer_ref,name\nN3,Three\nN4,\n")) { r in
                    let s = try json(r.body)
                    #expect(r.status == .unprocessableContent && s["committed"] as? Bool == false)
                }
                try await client.execute(uri: "/api/v1/customers/N3", method: .get, headers: auth(f.tokenA)) { r in #expect(r.status == .notFound) }
                try await client.execute(uri: "/api/v1/imports/customers", method: .post, headers: auth(f.tokenA, [.contentType: "application/json"]), body: .text("{}")) { r in
                    #expect(r.status == .unsupportedMediaType)
                }
            }
        }
    }

    @Test("allocations: un-apply and re-apply through the API with history")
    func allocationsAPI() async throws {
        try await APITest.withFixture { f in
            try await APITest.app(f).test(.router) { client in
                let id = try await client.execute(uri: "/api/v1/allocations?payment=PAY-9", method: .get, headers: auth(f.tokenA)) { r in
                    try #require(((try json(r.body))["data"] as? [[String: Any]])?.first?["id"] as? Int)
                }
                try await client.execute(uri: "/api/v1/allocations/\(id)/reverse", method: .post, headers: auth(f.tokenA)) { r in
                    let a = try json(r.body)
                    #expect(r.status == .ok && a["status"] as? String == "reversed")
                }
                try await client.execute(uri: "/api/v1/allocations/\(id)/reverse", method: .post, headers: auth(f.tokenA)) { r in #expect(r.status == .conflict) }
                try await client.execute(uri: "/api/v1/allocations", method: .post, headers: auth(f.tokenA),
                                         body: .text(#"{"invoice_ref":"INV-5","payment_ref":"PAY-9","amount":"3000.00"}"#)) { r in
                    #expect(r.status == .created)
                }
                try await client.execute(uri: "/api/v1/allocations", method: .post, headers: auth(f.tokenA),
                                         body: .text(#"{"invoice_ref":"INV-7","payment_ref":"PAY-9","amount":"6000.01"}"#)) { r in
                    #expect(r.status == .unprocessableContent)
                    #expect(String(buffer: r.body).contains("\"field\":\"amount\""))
                }
                try await client.execute(uri: "/api/v1/payments/PAY-9", method: .get, headers: auth(f.tokenA)) { r in
                    let p = try json(r.body)
                    #expect(p["unapplied_amount"] as? Double == 6000)
                    #expect((p["allocations"] as? [[String: Any]])?.map { $0["status"] as? String } == ["reversed", "active"])
                }
                try await client.execute(uri: "/api/v1/audit?entity=allocation", method: .get, headers: auth(f.tokenA)) { r in
                    let actions = ((try json(r.body))["data"] as? [[String: Any]] ?? []).compactMap { $0["action"] as? String }
                    #expect(actions == ["allocation.reverse", "allocation.create"])
                }
            }
        }
    }

    @Test("health, metrics and the OpenAPI document are public; the document lists every route")
    func publicEndpoints() async throws {
        try await APITest.withFixture { f in
            try await APITest.app(f).test(.router) { client in
                try await client.execute(uri: "/health", method: .get) { r in #expect(r.status == .ok) }
                try await client.execute(uri: "/api/v1/openapi.json", method: .get) { r in
                    let doc = try json(r.body)
                    #expect(doc["openapi"] as? String == "3.1.0")
                    let paths = doc["paths"] as? [String: [String: Any]] ?? [:]
                    for (method, uri, _) in protectedRoutes {
                        let path = uri.split(separator: "?")[0]
                            .replacing(/\/customers\/K1/, with: "/customers/{ref}").replacing(/\/invoices\/INV-1/, with: "/invoices/{ref}")
                            .replacing(/\/payments\/PAY-9/, with: "/payments/{ref}").replacing(/\/allocations\/1\//, with: "/allocations/{id}/")
                            .replacing(/\/webhooks\/1/, with: "/webhooks/{id}").replacing(/\/imports\/customers/, with: "/imports/{kind}")
                            .replacing(/\/versions\/1/, with: "/versions/{version}").replacing(/\/opt-outs\/sms/, with: "/opt-outs/{channel}")
                            .replacing(/\/tasks\/1\//, with: "/tasks/{id}/").replacing(/\/messages\/1\//, with: "/messages/{id}/").replacing(/\/promises\/1\//, with: "/promises/{id}/").replacing(/\/plans\/1\//, with: "/plans/{id}/").replacing(/\/disputes\/1/, with: "/disputes/{id}").replacing(/\/credit-limit-requests\/1\//, with: "/credit-limit-requests/{id}/").replacing(/\/collectors\/ana/, with: "/collectors/{key}").replacing(/\/goals\/2024-07/, with: "/goals/{month}").replacing(/\/attachments\/1/, with: "/attachments/{id}").replacing(/\/write-offs\/1\//, with: "/write-offs/{id}/").replacing(/\/placements\/1/, with: "/placements/{id}")
                        #expect(paths[String(path)]?[method.rawValue.lowercased()] != nil, "openapi.json lacks \(method) \(path)")
                    }
                }
                CobroMetrics.bootstrap()
                try await client.execute(uri: "/api/v1/customers", method: .get, headers: auth(f.tokenA)) { _ in }
                try await client.execute(uri: "/metrics", method: .get) { r in
                    #expect(r.status == .ok && String(buffer: r.body).contains("hb_requests"))
                }
            }
        }
    }
}
