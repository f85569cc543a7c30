import CobroCore
import CobroDelivery
import CobroStore
import CobroTestSupport
import Foundation
import Testing

/// SMS through an HTTP gateway, against a local HTTP server.
@Suite("SMS gateway") struct SMSGatewayTests {
    /// Friday 2024-07-05 14:00 UTC: the SMS of Thursday's step waits a day for the frequency cap (1 per day).
    static let friday = Clock.fixed(1_720_188_000_000)

    /// K2 (with a phone) reaches +15 days on INV-3 on 4 July: its step sends an email and an SMS.
    func queueSMS(_ db: any Database, _ co: CompanyRecord) async throws {
        try await WorkedExample.load(db, co)
        try await db.transaction { c in
            try await c.execute("UPDATE customer SET phone = '+1 312 555 0100' WHERE company_id = $1 AND customer_ref = 'K2'", [.int(co.id)])
        }
        _ = try await DunningRunner.run(db, company: co, options: .init(asOf: d("2024-06-30"), actor: "test"), clock: Self.friday)
        let run = try await DunningRunner.run(db, company: co, options: .init(asOf: d("2024-07-04"), actor: "test"), clock: Self.friday)
        #expect(run.messages.map { "\($0.customerRef) \($0.stepID) \($0.channel.rawValue)" }.sorted() == ["K2 overdue_15 email", "K2 overdue_15 sms"])
    }

    func smsStatus(_ db: any Database, _ co: CompanyRecord) async throws -> (String, String) {
        try await db.read { c in
            let r = try await c.first("SELECT status, COALESCE(provider_id, last_error, '') FROM message WHERE company_id = $1 AND channel = 'sms'", [.int(co.id)])!
            return (r.text(0), r.text(1))
        }
    }

    @Test("JSON body with sender, recipient and text; Authorization header; the provider's id is kept")
    func json() async throws {
        try await TestDatabases.with(.sqlite) { db, co in
            try await queueSMS(db, co)
            let sink = try HTTPSink()
            let env = ["COBRO_SMS_URL": "http://127.0.0.1:\(sink.port)/send", "COBRO_SMS_AUTH": "Bearer t0ken", "COBRO_SMS_FROM": "COBRO", "COBRO_SMS_SUCCESS": "status=queued"]
            let t = try await SMSWorker(db: db, gateway: try #require(try SMSGateway.fromEnvironment(env)), clock: Self.friday).drain()
            #expect(t.sent == 1)
            let req = try #require(sink.requests().first)
            #expect(req["path"] as? String == "/send")
            let headers = req["headers"] as? [String: String] ?? [:]
            #expect(headers["Authorization"] == "Bearer t0ken" && headers["Content-Type"] == "application/json")
            let body = try #require(try JSONSerialization.jsonObject(with: Data((req["body"] as? String ?? "").utf8)) as? [String: String])
            #expect(body["from"] == "COBRO" && body["to"] == "+1 312 555 0100")
            #expect(body["text"]?.contains("INV-3") == true || body["text"]?.contains("1,200.00") == true)
            #expect(try await smsStatus(db, co) == ("sent", "sms-1"))
        }
    }

    @Test("form body; a 4xx reply fails the message for good; bad settings are refused with the variable's name")
    func formAndRefusals() async throws {
        try await TestDatabases.with(.sqlite) { db, co in
            try await queueSMS(db, co)
            let refused = try HTTPSink(status: 400, reply: #"{"error":"invalid number"}"#)
            let env = ["COBRO_SMS_URL": "http://127.0.0.1:\(refused.port)/send", "COBRO_SMS_FORMAT": "form"]
            let t = try await SMSWorker(db: db, gateway: try #require(try SMSGateway.fromEnvironment(env)), clock: Self.friday).drain()
            #expect(t.failed == 1 && t.sent == 0)
            let body = refused.requests().first?["body"] as? String ?? ""
            #expect(body.hasPrefix("to=%2B1%20312%20555%200100&text="))
            let (status, error) = try await smsStatus(db, co)
            #expect(status == "failed" && error.contains("400"))
        }
        #expect(throws: (any Error).self) { try SMSGateway.fromEnvironment(["COBRO_SMS_URL": "ftp://x", "COBRO_SMS_FORMAT": "json"]) }
        #expect(throws: (any Error).self) { try SMSGateway.fromEnvironment(["COBRO_SMS_URL": "http://x", "COBRO_SMS_SUCCESS": "queued"]) }
    }

    @Test("a 2xx reply without the configured success value fails the message for good")
    func successField() async throws {
        try await TestDatabases.with(.sqlite) { db, co in
            try await queueSMS(db, co)
            let sink = try HTTPSink(reply: #"{"status":"rejected","id":"x"}"#)
            let env = ["COBRO_SMS_URL": "http://127.0.0.1:\(sink.port)/send", "COBRO_SMS_SUCCESS": "status=queued"]
            let t = try await SMSWorker(db: db, gateway: try #require(try SMSGateway.fromEnvironment(env)), clock: Self.friday).drain()
            #expect(t.failed == 1 && t.sent == 0)
            let (status, error) = try await smsStatus(db, co)
            #expect(status == "failed" && error.contains("status=queued"))
        }
    }
}
