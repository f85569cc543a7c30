import CobroCore
import CobroDelivery
import CobroStore
import CobroTestSupport
import Foundation
import Testing

/// A dunning run over the worked example, delivered by the outbox worker to a real SMTP server.
@Suite("Outbox delivery over SMTP") struct OutboxDeliveryTests {
    /// Monday 2024-07-01 14:00 UTC: inside both customers' contact windows.
    static let monday = Clock.fixed(1_719_842_400_000)

    func settings(_ sink: SMTPSink) throws -> EmailSettings {
        try #require(try EmailSettings.fromEnvironment(["COBRO_SMTP_URL": "smtp://127.0.0.1:\(sink.port)", "COBRO_SMTP_FROM": "cobranza@cobro.test"]))
    }

    func statuses(_ db: any Database, _ co: CompanyRecord) async throws -> [String] {
        try await db.read { c in try await c.query("SELECT status FROM message WHERE company_id = $1 ORDER BY id", [.int(co.id)]).map { $0.text(0) } }
    }

    @Test("reminders arrive as MIME email: sender, recipient, encoded subject, text and HTML parts, a stable Message-ID")
    func delivers() async throws {
        try await TestDatabases.with(.sqlite) { db, co in
            try await WorkedExample.load(db, co)
            _ = try await DunningRunner.run(db, company: co, options: .init(asOf: d("2024-06-30"), actor: "test"), clock: Self.monday)
            let sink = try SMTPSink()
            let totals = try await OutboxWorker(db: db, email: try settings(sink), clock: Self.monday).drain()
            #expect(totals.sent == 2 && totals.failed == 0 && totals.retrying == 0)
            #expect(try await statuses(db, co) == ["sent", "sent"])
            let mails = sink.messages()
            #expect(mails.count == 2)
            let k1 = try #require(mails.first { $0.contains("To: cxp@kappa.example") || $0.contains("<cxp@kappa.example>") })
            #expect(k1.contains("From: cobranza@cobro.test") || k1.contains("<cobranza@cobro.test>"))
            #expect(k1.contains("Subject: =?UTF-8?B?"), "the Spanish subject (Último aviso…) is RFC 2047-encoded")
            #expect(k1.contains("multipart/alternative") && k1.contains("text/plain; charset=utf-8") && k1.contains("text/html; charset=utf-8"))
            #expect(k1.contains("INV-7") && k1.contains("INV-5") && k1.contains("INV-2"))
            #expect(k1.contains("Message-ID: <cobro-"))
            #expect(sink.envelopes().allSatisfy { $0.hasPrefix("cobranza@cobro.test\n") })
            // Nothing is left to deliver: a second pass sends nothing.
            #expect(try await OutboxWorker(db: db, email: try settings(sink), clock: Self.monday).drain().sent == 0)
            #expect(sink.messages().count == 2)
        }
    }

    @Test("a strategic customer's statement step arrives as an email with its account statement attached as a PDF, in its language")
    func statementAttached() async throws {
        try await TestDatabases.with(.sqlite) { db, co in
            try await WorkedExample.load(db, co)
            var assignment = DunningPolicyAssignment.standard
            assignment.strategicPolicyID = "strategic_statement"
            let config = DunningConfig(assignment: assignment)
            try await db.transaction { c in
                try await c.execute("UPDATE customer SET strategic = 1 WHERE company_id = $1 AND customer_ref = 'K1'", [.int(co.id)])
                try await DunningConfigStore.save(c, company: co.id, config: config, actor: "test", now: 0)
            }
            let run = try await DunningRunner.run(db, company: co, options: .init(asOf: d("2024-06-30"), actor: "test"), clock: Self.monday)
            #expect(run.messages.first { $0.customerRef == "K1" }?.channel == .statement)
            let sink = try SMTPSink()
            #expect(try await OutboxWorker(db: db, email: try settings(sink), clock: Self.monday).drain().sent == 2)
            let k1 = try #require(sink.messages().first { $0.contains("cxp@kappa.example") })
            #expect(k1.contains("multipart/mixed") && k1.contains("Content-Type: application/pdf"))
            #expect(k1.contains("statement-K1-2024-06-30.pdf"))
            // The attachment is the base64 block after the PDF part's headers, up to the next boundary.
            let afterHeaders = try #require(k1.range(of: "Content-Type: application/pdf").flatMap { k1[$0.upperBound...].range(of: "\r\n\r\n") })
            let body = k1[afterHeaders.upperBound...].prefix { $0 != "-" }.filter { !$0.isWhitespace }
            let pdf = try #require(Data(base64Encoded: String(body)))
            let text = try Poppler.text([UInt8](pdf))
            // Spanish wording; every K1 invoice open on 2024-06-30 in the open items; the 90-day period.
            #expect(text.contains("Estado de cuenta") && text.contains("Partidas abiertas"))
            for ref in ["INV-1", "INV-2", "INV-5", "INV-7"] { #expect(text.contains(ref), "\(ref) missing from the statement") }
            #expect(text.contains("02/04/2024") && text.contains("30/06/2024"))
            // K2 is not strategic: a plain reminder, no attachment.
            let k2 = try #require(sink.messages().first { $0.contains("ap@lambda.example") })
            #expect(!k2.contains("application/pdf"))
        }
    }

    @Test("each company delivers through its own channel settings; a company without any falls back to the environment")
    func perCompanyChannels() async throws {
        try await TestDatabases.withDatabase(.sqlite) { db in
            let (a, b) = try await db.transaction { c in
                (try await CompanyStore.create(c, slug: "a", name: "A", baseCurrency: Currency(code: "USD")!, now: 0),
                 try await CompanyStore.create(c, slug: "b", name: "B", baseCurrency: Currency(code: "USD")!, now: 0))
            }
            for co in [a, b] {
                try await WorkedExample.load(db, co)
                _ = try await DunningRunner.run(db, company: co, options: .init(asOf: d("2024-06-30"), actor: "test"), clock: Self.monday)
            }
            let sink = try SMTPSink()
            let own = ["smtp_url": "smtp://127.0.0.1:\(sink.port)", "smtp_from": "cobranza@a.example"]
            try await db.transaction { c in
                try await ChannelSettingsStore.save(c, company: a.id, values: own, shown: own, before: [:], actor: "test", now: 0)
            }
            let summary = try await OutboxDispatcher(db: db, environment: [:], clock: Self.monday).deliverDue()
            #expect(summary.email?.sent == 2)
            #expect(try await statuses(db, a) == ["sent", "sent"])
            #expect(try await statuses(db, b) == ["queued", "queued"])
            #expect(sink.envelopes().allSatisfy { $0.hasPrefix("cobranza@a.example\n") })
            // With the environment configured, B's go too (A's settings still win for A).
            let env = ["COBRO_SMTP_URL": "smtp://127.0.0.1:\(sink.port)", "COBRO_SMTP_FROM": "env@cobro.test"]
            #expect(try await OutboxDispatcher(db: db, environment: env, clock: Self.monday).deliverDue().email?.sent == 2)
            #expect(try await statuses(db, b) == ["sent", "sent"])
            #expect(sink.envelopes().filter { $0.hasPrefix("env@cobro.test\n") }.count == 2)
        }
    }

    @Test("a temporary SMTP refusal is retried after the backoff; nothing is lost or sent twice")
    func retries() async throws {
        try await TestDatabases.with(.sqlite) { db, co in
            try await WorkedExample.load(db, co)
            _ = try await DunningRunner.run(db, company: co, options: .init(asOf: d("2024-06-30"), actor: "test"), clock: Self.monday)
            let sink = try SMTPSink(failFirst: 1)
            let first = try await OutboxWorker(db: db, email: try settings(sink), clock: Self.monday).drain()
            #expect(first.sent == 1 && first.retrying == 1)
            #expect(try await statuses(db, co).sorted() == ["queued", "sent"])
            // Before the backoff ends nothing goes; after it (≤ 1 min ± 20 %, so 2 minutes later) the message is sent.
            #expect(try await OutboxWorker(db: db, email: try settings(sink), clock: Self.monday).drain().sent == 0)
            let later = Clock.fixed(1_719_842_400_000 + 2 * 60_000)
            #expect(try await OutboxWorker(db: db, email: try settings(sink), clock: later).drain().sent == 1)
            #expect(try await statuses(db, co) == ["sent", "sent"])
            #expect(sink.messages().count == 2)
        }
    }

    @Test("SMTP down: messages stay queued with the error, and go out once the server is back")
    func serverDown() async throws {
        try await TestDatabases.with(.sqlite) { db, co in
            try await WorkedExample.load(db, co)
            _ = try await DunningRunner.run(db, company: co, options: .init(asOf: d("2024-06-30"), actor: "test"), clock: Self.monday)
            let closedPort = try SMTPSink().port  // started and stopped: nothing listens there now
            let down = EmailSettings(smtp: .init(host: "127.0.0.1", port: closedPort), from: try EmailAddress(address: "cobranza@cobro.test"))
            let t = try await OutboxWorker(db: db, email: down, clock: Self.monday).drain()
            #expect(t.sent == 0 && t.retrying == 2 && t.failed == 0)
            let errors = try await db.read { c in try await c.query("SELECT last_error FROM message WHERE company_id = $1", [.int(co.id)]).map { $0.text(0) } }
            #expect(errors.allSatisfy { $0.contains("cannot connect to 127.0.0.1") })
            let sink = try SMTPSink()
            let later = Clock.fixed(1_719_842_400_000 + 10 * 60_000)
            #expect(try await OutboxWorker(db: db, email: try settings(sink), clock: later).drain().sent == 2)
            #expect(sink.messages().count == 2)
        }
    }

    @Test("a payment or dispute that arrives before the send cancels the message; a message with something left to collect still goes")
    func cancelledBeforeSending() async throws {
        try await TestDatabases.with(.sqlite) { db, co in
            try await WorkedExample.load(db, co)
            _ = try await DunningRunner.run(db, company: co, options: .init(asOf: d("2024-06-30"), actor: "test"), clock: Self.monday)
            // K2's message lists INV-8, INV-6, INV-4, INV-3: all paid or disputed now. K1's lists INV-7, INV-5, INV-2: INV-2 stays open.
            _ = try await importer(db, co).run(.payments, csv: """
                payment_ref,customer_ref,payment_date,currency,amount,invoice_ref
                PK2-8,K2,2024-07-01,USD,1000.00,INV-8
                PK2-6,K2,2024-07-01,USD,2000.00,INV-6
                PK2-3,K2,2024-07-01,USD,1200.00,INV-3
                PK1-7,K1,2024-07-01,USD,1500.00,INV-7
                PK1-5,K1,2024-07-01,USD,3000.00,INV-5

                """)
            _ = try await importer(db, co).run(.invoices, csv: """
                invoice_ref,customer_ref,issue_date,due_date,currency,amount,disputed
                INV-4,K2,2024-04-01,2024-05-31,USD,2500.00,true

                """)
            let sink = try SMTPSink()
            let t = try await OutboxWorker(db: db, email: try settings(sink), clock: Self.monday).drain()
            #expect(t.sent == 1)
            let rows = try await db.read { c in
                try await c.query(
                    "SELECT cu.customer_ref, m.status FROM message m JOIN customer cu ON cu.company_id = m.company_id AND cu.id = m.customer_id WHERE m.company_id = $1 ORDER BY 1",
                    [.int(co.id)]
                ).map { "\($0.text(0)) \($0.text(1))" }
            }
            #expect(rows == ["K1 sent", "K2 cancelled"])
            #expect(sink.messages().count == 1 && sink.messages()[0].contains("cxp@kappa.example"))
        }
    }
}
