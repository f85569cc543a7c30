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

/// Disputes over the worked example; the clock stands at Monday 2024-07-01 12:00 UTC. K2 owes INV-3 (1,200.00) and
/// INV-4 (2,500.00); K1 owes INV-7.
@Suite("Disputes (API)") struct DisputesAPITests {
    func open(_ db: any Database, _ co: CompanyRecord, _ ref: String) async throws -> Int64? {
        try await db.read { c in try await LedgerQueries(c, company: co.id).document(ref: ref)?.openMinor }
    }

    @Test("a dispute takes its amount out of dunning; resolving books a credit note on the invoice; rejecting lets reminders resume", arguments: APITest.kinds)
    func lifecycle(kind: SQLDialect) async throws {
        try await APITest.withFixture(kind) { f in
            let app = APITest.app(f)
            var (status, body) = try await send(app, .post, "/api/v1/disputes", f.tokenA, #"{"invoices": [{"ref": "INV-3", "amount": "2000.00"}], "reason": "pricing"}"#)
            #expect(status == .unprocessableContent && fieldErrors(body) == ["invoices[0].amount"])
            (status, body) = try await send(app, .post, "/api/v1/disputes", f.tokenA, #"{"invoices": ["INV-3"], "reason": "price"}"#)
            #expect(status == .unprocessableContent && fieldErrors(body) == ["reason"])
            (status, body) = try await send(app, .post, "/api/v1/disputes", f.tokenA, #"{"invoices": ["INV-3", "INV-7"], "reason": "quality"}"#)
            #expect(status == .unprocessableContent && fieldErrors(body) == ["invoices"])
            // The same invoice twice would dispute more than is open.
            (status, body) = try await send(app, .post, "/api/v1/disputes", f.tokenA, #"{"invoices": [{"ref": "INV-3", "amount": "1000.00"}, {"ref": "INV-3", "amount": "1000.00"}], "reason": "quality"}"#)
            #expect(status == .unprocessableContent && fieldErrors(body) == ["invoices[1].ref"])

            (status, body) = try await send(app, .post, "/api/v1/disputes", f.tokenA, """
                {"invoices": [{"ref": "INV-3", "amount": "200.00"}, "INV-4"], "reason": "pricing", "owner": "ana", "due_date": "2024-07-03", "comment": "price list 2024 not applied"}
                """)
            #expect(status == .created)
            let opened = try #require(body["data"] as? [[String: Any]])
            #expect(opened.count == 2 && Set(opened.compactMap { $0["case_id"] as? Int }).count == 1)
            #expect(opened.map { $0["amount"] as? Double } == [200, 2500])
            let d3 = try #require(opened[0]["id"] as? Int), d4 = try #require(opened[1]["id"] as? Int)

            // Dunning: INV-4 is disputed in full (left out), INV-3 asks for 1,000.00 (1,200 − 200).
            let run = try await DunningRunner.run(f.db, company: f.a, options: .init(asOf: d("2024-07-01"), dryRun: true, actor: "t"), clock: f.clock)
            let k2 = try #require(run.messages.first { $0.customerRef == "K2" })
            #expect(!k2.invoiceRefs.contains("INV-4") && k2.invoiceRefs.contains("INV-3"))

            (status, body) = try await send(app, .post, "/api/v1/disputes/\(d3)/status", f.tokenA, #"{"status": "in_review"}"#)
            #expect(status == .ok && body["status"] as? String == "in_review")
            // Resolved by a credit note of the disputed 200.00, applied to INV-3.
            (status, body) = try await send(app, .post, "/api/v1/disputes/\(d3)/resolve", f.tokenA, #"{"note": "agreed"}"#)
            #expect(status == .ok && body["status"] as? String == "resolved" && body["credit_note_ref"] as? String == "CN-DISPUTE-\(d3)")
            #expect(try await open(f.db, f.a, "INV-3") == 1_000_00)
            #expect(try await open(f.db, f.a, "CN-DISPUTE-\(d3)") == 0)
            (status, _) = try await send(app, .post, "/api/v1/disputes/\(d3)/status", f.tokenA, #"{"status": "rejected"}"#)
            #expect(status == .conflict)

            // Overdue (due 07-03): on 07-05 one task for its owner, however often disputes are listed.
            let july5 = Application(router: buildRouter(AppDependencies(db: f.db, clock: .fixed(1_720_180_800_000))))  // 2024-07-05 12:00 UTC
            for _ in 0..<2 { _ = try await send(july5, .get, "/api/v1/disputes?status=open", f.tokenA) }
            (_, body) = try await send(july5, .get, "/api/v1/tasks?kind=dispute_overdue", f.tokenA)
            let tasks = try #require(body["data"] as? [[String: Any]])
            #expect(tasks.count == 1 && (tasks.first?["title"] as? String)?.contains("INV-4") == true)

            // Rejected: INV-4 is dunned again.
            (status, _) = try await send(app, .post, "/api/v1/disputes/\(d4)/comments", f.tokenA, #"{"body": "delivery note signed"}"#)
            #expect(status == .created)
            (status, body) = try await send(app, .post, "/api/v1/disputes/\(d4)/status", f.tokenA, #"{"status": "rejected", "note": "prices as agreed"}"#)
            #expect(status == .ok && (body["comments"] as? [Any])?.count == 3)
            let after = try await DunningRunner.run(f.db, company: f.a, options: .init(asOf: d("2024-07-01"), dryRun: true, actor: "t"), clock: f.clock)
            #expect(after.messages.first { $0.customerRef == "K2" }?.invoiceRefs.contains("INV-4") == true)
            (status, _) = try await send(app, .get, "/api/v1/disputes/\(d4)", f.tokenB)
            #expect(status == .notFound)
        }
    }

    @Test("a disputed amount stays in aging; a withdrawn dispute lets reminders resume; documents attach to a dispute", arguments: APITest.kinds)
    func agingWithdrawalAndDocuments(kind: SQLDialect) async throws {
        try await APITest.withFixture(kind) { f in
            let app = AttachmentsAPITests.app(f)
            let (_, agingBefore) = try await sendText(app, .get, "/api/v1/reports/aging?as_of=2024-07-01&format=csv", f.tokenA)
            var (status, body) = try await send(app, .post, "/api/v1/disputes", f.tokenA, #"{"invoices": ["INV-4"], "reason": "not_received"}"#)
            #expect(status == .created)
            let id = try #require((body["data"] as? [[String: Any]])?.first?["id"] as? Int)
            // The receivable is still owed while it is argued about: aging is unchanged, to the byte.
            let (_, agingDuring) = try await sendText(app, .get, "/api/v1/reports/aging?as_of=2024-07-01&format=csv", f.tokenA)
            #expect(agingDuring == agingBefore && agingBefore.contains("K2"))
            var run = try await DunningRunner.run(f.db, company: f.a, options: .init(asOf: d("2024-07-01"), dryRun: true, actor: "t"), clock: f.clock)
            #expect(run.messages.first { $0.customerRef == "K2" }?.invoiceRefs.contains("INV-4") == false)

            // The proof of delivery, attached to the dispute and listed with it.
            try await app.test(.router) { client in
                let (s, b) = try await AttachmentsAPITests.upload(client, "/api/v1/disputes/\(id)/attachments", f.tokenA, name: "albaran.pdf", type: "application/pdf", AttachmentsAPITests.pdf)
                #expect(s == .created && b["file_name"] as? String == "albaran.pdf")
            }
            (status, body) = try await send(app, .get, "/api/v1/disputes/\(id)/attachments", f.tokenA)
            #expect(status == .ok && (body["data"] as? [[String: Any]])?.compactMap { $0["file_name"] as? String } == ["albaran.pdf"])

            // Withdrawn by the customer: INV-4 is dunned again; a withdrawn dispute cannot be resolved.
            (status, body) = try await send(app, .post, "/api/v1/disputes/\(id)/status", f.tokenA, #"{"status": "withdrawn", "note": "found the delivery"}"#)
            #expect(status == .ok && body["status"] as? String == "withdrawn")
            (status, _) = try await send(app, .post, "/api/v1/disputes/\(id)/resolve", f.tokenA, #"{}"#)
            #expect(status == .conflict)
            run = try await DunningRunner.run(f.db, company: f.a, options: .init(asOf: d("2024-07-01"), dryRun: true, actor: "t"), clock: f.clock)
            #expect(run.messages.first { $0.customerRef == "K2" }?.invoiceRefs.contains("INV-4") == true)
        }
    }
}
