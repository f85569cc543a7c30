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
            #expect(errors.allSatisfy { $0.contains("SMTP connection") })
            let sink = try SMTPSink()
            let later = Clock.fixed(1_719_842_400_000 + 10 * 60_000)
            #expect(try await OutboxWorker(db: db, email: try settings(sink), clock: later).drain().sent == 2)
            #expect(sink.messages().count == 2)
        }
    }
}
