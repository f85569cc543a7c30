import CobroCore
@testable import CobroServer
import CobroStore
import CobroTestSupport
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing

@Suite("Web app: lists, bulk actions, report pages, scheduled reports, alerts")
struct WebListsTests {
    @Test("the invoice list filters by status and overdue; every list page renders")
    func lists() async throws {
        try await APITest.withFixture { f in
            try await WebTest.setUp(f)
            try await WebTest.app(f).test(.router) { client in
                let m = try await WebTest.signIn(client, "manager@a.test")
                let open = try await WebTest.get(client, "/app/invoices", cookie: m.cookie).1
                #expect(open.contains("value=\"INV-1\"") && open.contains("value=\"INV-2\"") && !open.contains("value=\"INV-9\""))
                let overdue = try await WebTest.get(client, "/app/invoices?overdue=1", cookie: m.cookie).1
                #expect(!overdue.contains("value=\"INV-1\"") && overdue.contains("value=\"INV-2\""), "INV-1 is due 2024-07-20, INV-2 was due 2024-06-30")
                let paid = try await WebTest.get(client, "/app/invoices?status=paid", cookie: m.cookie).1
                #expect(paid.contains("value=\"INV-9\"") && !paid.contains("value=\"INV-1\""))
                for path in ["/app/disputes", "/app/promises", "/app/messages", "/app/tasks", "/app/reports", "/app/report-schedules", "/app/alerts"] {
                    #expect(try await WebTest.get(client, path, cookie: m.cookie).0 == .ok, "\(path)")
                }
            }
        }
    }

    @Test("lists sort by any column in both directions; paging by the last id seen visits every row once, in order")
    func sortedPaging() async throws {
        try await APITest.withFixture { f in
            try await WebTest.setUp(f)
            @Sendable func key(_ v: DocumentView, _ s: DocumentFilter.Sort) -> String {
                let d = v.document
                func n(_ x: Int64) -> String { String(format: "%020lld", x + 1_000_000_000_000) }
                switch s {
                case .id: return n(v.id)
                case .ref, .customer: return ""  // not used: see below
                case .issued: return n(Int64(d.issueDate.dayNumber))
                case .due: return n(Int64(d.dueDate.dayNumber))
                case .amount: return n(d.amountMinor)
                case .open: return n(v.openMinor)
                }
            }
            try await f.db.read { c in
                let q = LedgerQueries(c, company: f.a.id)
                let all = try await q.documents(DocumentFilter(), after: 0, limit: 10_000)
                #expect(all.count >= 10)
                for sort in DocumentFilter.Sort.allCases {
                    for descending in [false, true] {
                        var filter = DocumentFilter()
                        filter.sort = sort
                        filter.descending = descending
                        var seen: [DocumentView] = []
                        var after: Int64 = 0
                        while true {
                            let page = try await q.documents(filter, after: after, limit: 3)
                            seen += page
                            guard page.count == 3, let last = page.last else { break }
                            after = last.id
                        }
                        // The oracle: Swift's sort of everything by (key, id) in the direction asked; text columns follow the
                        // database's collation (PostgreSQL's may not be bytewise), so for them the order is the one-page query's.
                        let expected = sort == .ref || sort == .customer
                            ? try await q.documents(filter, after: 0, limit: 10_000)
                            : all.sorted { a, b in
                                let (ka, kb) = (key(a, sort), key(b, sort))
                                return ka != kb ? (descending ? ka > kb : ka < kb) : (descending ? a.id > b.id : a.id < b.id)
                            }
                        #expect(seen.map(\.id) == expected.map(\.id), "\(sort) \(descending ? "desc" : "asc")")
                    }
                }
                let byName = try await q.customers(after: 0, limit: 100, sort: .name)
                let secondPage = try await q.customers(after: byName[0].id, limit: 100, sort: .name)
                #expect(secondPage.map(\.id) == Array(byName.dropFirst()).map(\.id), "the page after the first name is the rest, in order")
                let first = try await q.customers(after: 0, limit: 1, sort: .collector, descending: true)
                let rest = try await q.customers(after: first[0].id, limit: 100, sort: .collector, descending: true)
                #expect(first.count + rest.count == (try await q.customers(after: 0, limit: 100).count), "unassigned customers are not skipped")
            }
            try await WebTest.app(f).test(.router) { client in
                let m = try await WebTest.signIn(client, "manager@a.test")
                let page = try await WebTest.get(client, "/app/invoices?status=all&sort=amount&dir=desc", cookie: m.cookie).1
                #expect(page.contains(#"aria-sort="descending""#))
                let largest = try await f.db.read { c in try await LedgerQueries(c, company: f.a.id).documents(DocumentFilter(), after: 0, limit: 10_000) }
                    .max { ($0.document.amountMinor, $0.id) < ($1.document.amountMinor, $1.id) }!
                let firstRow = try #require(page.firstMatch(of: /name="invoices" value="([^"]+)"/)).1
                #expect(String(firstRow) == largest.document.ref)
                let customers = try await WebTest.get(client, "/app/customers?sort=ref&dir=desc", cookie: m.cookie).1
                #expect(customers.contains(#"aria-sort="descending""#) && customers.contains("sort=ref&amp;dir=asc"), "the current column flips")
            }
        }
    }

    @Test("bulk pause leaves the invoice out of the next dunning run; another portfolio's invoice is skipped and counted")
    func pause() async throws {
        try await APITest.withFixture { f in
            try await WebTest.setUp(f)
            let day = LocalDate(iso: "2024-07-01")!
            func k1Messages() async throws -> Int {
                try await DunningRunner.run(f.db, company: f.a, options: .init(asOf: day, dryRun: true, actor: "t"), clock: f.clock).messages.filter { $0.customerRef == "K1" }.count
            }
            #expect(try await k1Messages() > 0)
            try await WebTest.app(f).test(.router) { client in
                let ana = try await WebTest.signIn(client, "ana@a.test")
                let r = try await WebTest.post(
                    client, "/app/invoices/bulk", ana, [("action", "pause_reminders"), ("invoices", "INV-2"), ("invoices", "INV-5"), ("invoices", "INV-7"), ("invoices", "INV-3")])
                let notice = r.1.removingPercentEncoding ?? ""
                #expect(notice.contains("Done: 3") && notice.contains("skipped (another collector's customers): 1"))
            }
            #expect(try await k1Messages() == 0)
            #expect(try await WebTest.count(f.db, "SELECT COUNT(*) FROM invoice WHERE company_id = $1 AND reminders_paused = 1", [.int(f.a.id)]) == 3)
            #expect(try await WebTest.count(f.db, "SELECT COUNT(*) FROM audit_event WHERE company_id = $1 AND action = 'invoice.reminders_paused'", [.int(f.a.id)]) == 3)
            try await WebTest.app(f).test(.router) { client in
                let ana = try await WebTest.signIn(client, "ana@a.test")
                _ = try await WebTest.post(client, "/app/invoices/bulk", ana, [("action", "resume_reminders"), ("invoices", "INV-2"), ("invoices", "INV-5"), ("invoices", "INV-7")])
            }
            #expect(try await k1Messages() > 0)
        }
    }

    @Test("bulk send statement: one email with the statement PDF per customer, to the address on file, on the timeline")
    func sendStatement() async throws {
        try await APITest.withFixture { f in
            try await WebTest.setUp(f)
            let outbox = Outbox()
            try await WebTest.app(f, mailer: Mailer { outbox.add($0) }).test(.router) { client in
                let m = try await WebTest.signIn(client, "manager@a.test")
                _ = try await WebTest.post(client, "/app/invoices/bulk", m, [("action", "send_statement"), ("invoices", "INV-1"), ("invoices", "INV-2"), ("invoices", "INV-3")])
                let mails = outbox.all.sorted { $0.to < $1.to }
                #expect(mails.map(\.to) == ["ap@lambda.example", "cxp@kappa.example"])
                #expect(mails.allSatisfy { $0.attachments.count == 1 && $0.attachments[0].contentType == "application/pdf" })
                let page = try await WebTest.get(client, "/app/customers/K1", cookie: m.cookie).1
                #expect(page.contains("Statement sent to cxp@kappa.example"))
            }
        }
    }

    @Test("a report page shows exactly the API's figures, and its CSV export is the API's CSV; bad parameters say what is wrong")
    func reportPages() async throws {
        try await APITest.withFixture { f in
            try await WebTest.setUp(f)
            let api = APITest.app(f)
            let (_, apiCSV) = try await sendText(api, .get, "/api/v1/reports/kpis?format=csv&as_of=2024-06-30", f.tokenA)
            try await WebTest.app(f).test(.router) { client in
                let v = try await WebTest.signIn(client, "viewer@a.test")
                let csv = try await WebTest.get(client, "/app/reports/kpis.csv?as_of=2024-06-30&ignored=1", cookie: v.cookie)
                #expect(csv.0 == .ok && csv.1 == apiCSV)
                let page = try await WebTest.get(client, "/app/reports/kpis?as_of=2024-06-30", cookie: v.cookie).1
                let firstRow = try #require(apiCSV.split(separator: "\n").dropFirst().first).split(separator: ",")
                for cell in firstRow where !cell.isEmpty { #expect(page.contains(">\(cell)</td>"), "\(cell)") }
                let bad = try await WebTest.get(client, "/app/reports/kpis?as_of=yesterday", cookie: v.cookie)
                #expect(bad.0 == .unprocessableContent && bad.1.contains("id=\"report-error\"") && bad.1.contains("as_of"))
                #expect(try await WebTest.get(client, "/app/reports/nonsense", cookie: v.cookie).0 == .notFound)
            }
        }
    }

    @Test("a scheduled report is emailed once on its day with the API's CSV, then not again until its next day; only managers schedule")
    func scheduledReport() async throws {
        try await APITest.withFixture { f in
            try await WebTest.setUp(f)
            try await WebTest.app(f).test(.router) { client in
                let ana = try await WebTest.signIn(client, "ana@a.test")
                #expect(try await WebTest.post(client, "/app/report-schedules", ana, [("report", "kpis"), ("cadence", "daily"), ("recipients", "ana@a.test")]).0 == .forbidden)
                let m = try await WebTest.signIn(client, "manager@a.test")
                let bad = try await WebTest.post(client, "/app/report-schedules", m, [("report", "kpis"), ("cadence", "daily"), ("recipients", "not-an-address")])
                #expect(bad.1.removingPercentEncoding?.contains("is not an email address") == true)
                _ = try await WebTest.post(client, "/app/report-schedules", m, [("report", "kpis"), ("cadence", "weekly"), ("query", "as_of=2024-06-30"), ("recipients", "boss@a.test, cfo@a.test")])
            }
            let outbox = Outbox()
            let deps = AppDependencies(db: f.db, clock: f.clock)
            let runner = ReportRunner(responder: reportRouter(deps).buildResponder())
            // 2024-07-01 is a Monday: the weekly schedule is due on the day it was made.
            let scheduler = WebScheduler(db: f.db, clock: f.clock, logger: deps.logger, mailer: Mailer { outbox.add($0) }, reports: runner)
            #expect(await scheduler.tick().reports == 1)
            #expect(await scheduler.tick().reports == 0, "claimed once")
            let (_, apiCSV) = try await sendText(APITest.app(f), .get, "/api/v1/reports/kpis?format=csv&as_of=2024-06-30", f.tokenA)
            #expect(outbox.all.map(\.to).sorted() == ["boss@a.test", "cfo@a.test"])
            #expect(outbox.all.allSatisfy { String(decoding: $0.attachments[0].data, as: UTF8.self) == apiCSV })
            #expect(try await WebTest.count(f.db, "SELECT next_day FROM report_schedule WHERE company_id = $1", [.int(f.a.id)]) == Int64(LocalDate(iso: "2024-07-08")!.dayNumber))
            let nextMonday = WebScheduler(db: f.db, clock: .fixed(APITest.now + 7 * 86_400_000), logger: deps.logger, mailer: Mailer { outbox.add($0) }, reports: runner)
            #expect(await nextMonday.tick().reports == 1)
        }
    }

    @Test("a schedule can send the report as PDF, or CSV and PDF; the report page downloads the same PDF")
    func scheduledPDF() async throws {
        try await APITest.withFixture { f in
            try await WebTest.setUp(f)
            try await WebTest.app(f).test(.router) { client in
                let m = try await WebTest.signIn(client, "manager@a.test")
                _ = try await WebTest.post(
                    client, "/app/report-schedules", m, [("report", "aging"), ("cadence", "daily"), ("format", "both"), ("query", "as_of=2024-06-30"), ("recipients", "boss@a.test")])
                let bad = try await WebTest.post(
                    client, "/app/report-schedules", m, [("report", "aging"), ("cadence", "daily"), ("format", "xls"), ("recipients", "boss@a.test")])
                #expect(bad.1.removingPercentEncoding?.contains("\"xls\" — csv, pdf, both") == true, "\(bad.1)")
                #expect(try await WebTest.count(f.db, "SELECT COUNT(*) FROM report_schedule WHERE company_id = $1", [.int(f.a.id)]) == 1, "nothing saved for the bad one")
                let page = try await WebTest.get(client, "/app/report-schedules", cookie: m.cookie).1
                #expect(page.contains("CSV and PDF"))
                var h: HTTPFields = [.cookie: m.cookie]
                h[.accept] = "application/pdf"
                let (status, type, body) = try await client.execute(uri: "/app/reports/aging.pdf?as_of=2024-06-30", method: .get, headers: h) { r in
                    (r.status, r.headers[.contentType], Array(r.body.readableBytesView))
                }
                #expect(status == .ok && type == "application/pdf")
                let text = String(decoding: body, as: UTF8.self)
                // The worked example's total as of 2024-06-30, drawn as text in the (uncompressed) page content.
                #expect(text.hasPrefix("%PDF-1.4") && text.contains("(TOTAL)") && text.contains("(20200.00)"))
            }
            let outbox = Outbox()
            let deps = AppDependencies(db: f.db, clock: f.clock)
            let scheduler = WebScheduler(
                db: f.db, clock: f.clock, logger: deps.logger, mailer: Mailer { outbox.add($0) }, reports: ReportRunner(responder: reportRouter(deps).buildResponder()))
            #expect(await scheduler.tick().reports == 1)
            let mail = try #require(outbox.all.first)
            #expect(mail.attachments.map(\.filename) == ["aging-2024-07-01.csv", "aging-2024-07-01.pdf"])
            #expect(mail.attachments.map(\.contentType) == ["text/csv", "application/pdf"])
            let pdf = String(decoding: mail.attachments[1].data, as: UTF8.self)
            #expect(pdf.hasPrefix("%PDF-1.4") && pdf.contains("(20200.00)"))
            #expect(mail.text.contains("(CSV, PDF)"))
        }
    }

    @Test("alerts: a payment from the watched customer shows in the app; a balance crossing is emailed once per crossing")
    func alerts() async throws {
        try await APITest.withFixture { f in
            try await WebTest.setUp(f)
            let ana = try #require(try await f.db.read { c in try await UserStore.find(c, email: "ana@a.test") })
            try await f.db.transaction { c in
                _ = try await AlertStore.subscribe(c, company: f.a.id, user: ana, kind: .paymentFrom, customerRef: "K1", thresholdText: nil, channel: "in_app", now: APITest.now)
                _ = try await AlertStore.subscribe(c, company: f.a.id, user: ana, kind: .balanceOver, customerRef: "K1", thresholdText: "10000.00", channel: "email", now: APITest.now)
            }
            // The worked example was imported at APITest.now; the payment comes half a second after the subscriptions.
            let later = APIFixture(db: f.db, a: f.a, b: f.b, tokenA: f.tokenA, tokenB: f.tokenB, clock: .fixed(APITest.now + 500))
            let (status, _) = try await send(
                APITest.app(later), .post, "/api/v1/payments", f.tokenA, #"{"ref":"PAY-W","customer_ref":"K1","date":"2024-07-01","currency":"USD","amount":"500.00","invoice_ref":"INV-2"}"#)
            #expect(status == .created)
            let outbox = Outbox()
            let deps = AppDependencies(db: f.db, clock: .fixed(APITest.now + 1000))
            let scheduler = WebScheduler(
                db: f.db, clock: .fixed(APITest.now + 1000), logger: deps.logger, mailer: Mailer { outbox.add($0) },
                reports: ReportRunner(responder: reportRouter(deps).buildResponder()))
            let firstTick = await scheduler.tick()
            #expect(firstTick.alerts == 2)
            #expect(outbox.all.count == 1 && outbox.all[0].to == "ana@a.test" && outbox.all[0].text.contains("K1 owes 13000.00 USD"))
            #expect(await scheduler.tick().alerts == 0, "no new payment; still above: told once")
            try await WebTest.app(f).test(.router) { client in
                let b = try await WebTest.signIn(client, "ana@a.test")
                let dash = try await WebTest.get(client, "/app", cookie: b.cookie).1
                #expect(dash.contains("Payment PAY-W of 500.00 USD from K1"))
                _ = try await WebTest.post(client, "/app/notifications/read", b, [])
                #expect(!(try await WebTest.get(client, "/app", cookie: b.cookie).1.contains("PAY-W")))
                let bad = try await WebTest.post(client, "/app/alerts", b, [("kind", "balance_over"), ("customer_ref", "NOPE")])
                #expect(bad.1.removingPercentEncoding?.contains("customer NOPE does not exist") == true)
            }
        }
    }
}
