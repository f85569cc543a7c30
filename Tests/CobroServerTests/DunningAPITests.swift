import CobroCore
import CobroDelivery
import CobroServer
import CobroStore
import CobroTestSupport
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import NIOCore
import Testing

/// The dunning API over the worked example (reference §2.4): K1 (es, Bogotá) owes INV-1, INV-2, INV-5 and INV-7;
/// K2 (en, Chicago) owes INV-3, INV-4, INV-6 and INV-8. The clock stands at Monday 2024-07-01 12:00 UTC.
@Suite("Dunning API") struct DunningAPITests {
    typealias Client = any TestClientProtocol

    func send(
        _ client: Client, _ method: HTTPRequest.Method, _ uri: String, _ token: String, _ body: String? = nil, contentType: String? = nil
    ) async throws -> (HTTPResponse.Status, [String: Any], String) {
        var headers = auth(token)
        if let contentType { headers[.contentType] = contentType }
        return try await client.execute(uri: uri, method: method, headers: headers, body: body.map { .text($0) }) { r in
            let text = String(buffer: r.body)
            let object = (try? JSONSerialization.jsonObject(with: Data(text.utf8))) as? [String: Any] ?? [:]
            return (r.status, object, text)
        }
    }

    /// A whole configuration: the shipped policies plus `templates` (a JSON object) and an optional extra default policy.
    func config(templates: String = "{}", defaultPolicy: String? = nil) -> String {
        var assignment = DunningPolicyAssignment.standard
        if let defaultPolicy {
            let policy = try! JSONDecoder().decode(DunningPolicy.self, from: Data(defaultPolicy.utf8))
            assignment.policies.append(policy)
            assignment.defaultPolicyID = policy.id
        }
        let a = String(decoding: try! JSONEncoder().encode(assignment), as: UTF8.self)
        return #"{"assignment": \#(a), "templates": \#(templates)}"#
    }

    @Test("configuration: shipped at version 0; each valid PUT is a new version with history; an invalid one says where and saves nothing", arguments: APITest.kinds)
    func configVersions(kind: SQLDialect) async throws {
        try await APITest.withFixture(kind) { f in
            try await APITest.app(f).test(.router) { client in
                var (status, body, _) = try await send(client, .get, "/api/v1/dunning/config", f.tokenA)
                #expect(status == .ok && body["version"] as? Int == 0)
                let shipped = try #require((body["config"] as? [String: Any])?["assignment"] as? [String: Any])
                #expect(shipped["default"] as? String == "cobro_default")

                (status, body, _) = try await send(
                    client, .put, "/api/v1/dunning/config", f.tokenA, config(templates: #"{"final_notice_45": {"en": {"subject": "Final: {{customer.name}}"}}}"#))
                #expect(status == .created && body["version"] as? Int == 1)

                // An unknown variable on line 2: rejected with the path, line and column; nothing saved.
                (status, body, _) = try await send(
                    client, .put, "/api/v1/dunning/config", f.tokenA,
                    config(templates: #"{"overdue_7": {"es": {"text": "Hola\n  {{custmer.name}}"}}}"#))
                #expect(status == .unprocessableContent)
                let errors = try #require(body["errors"] as? [[String: Any]])
                #expect(errors.count == 1)
                #expect(errors.first?["field"] as? String == "templates.overdue_7.es.text")
                #expect(errors.first?["line"] as? Int == 2 && errors.first?["column"] as? Int == 3)
                #expect((errors.first?["message"] as? String)?.contains("did you mean 'customer.name'") == true)

                // A step naming a template that does not exist, and a malformed field: both reported by path.
                (status, body, _) = try await send(
                    client, .put, "/api/v1/dunning/config", f.tokenA,
                    config(defaultPolicy: #"{"id": "p", "steps": [{"id": "s", "offset_days": 3, "channels": [{"channel": "email"}], "template_key": "nope"}]}"#))
                #expect(status == .unprocessableContent)
                #expect((body["errors"] as? [[String: Any]])?.compactMap { $0["field"] as? String } == ["assignment.policies[3].steps[0].template_key"])
                (status, body, _) = try await send(client, .put, "/api/v1/dunning/config", f.tokenA, #"{"assignment": {"policies": 5, "default": "x"}}"#)
                #expect(status == .unprocessableContent && (body["errors"] as? [[String: Any]])?.first?["field"] as? String == "assignment.policies")
                // A misspelt key is an error, not silently ignored.
                (status, body, _) = try await send(
                    client, .put, "/api/v1/dunning/config", f.tokenA, config(templates: #"{"overdue_7": {"es": {"subjet": "Hola"}}}"#))
                #expect(status == .unprocessableContent)
                #expect((body["errors"] as? [[String: Any]])?.first?["field"] as? String == "templates.overdue_7.es.subjet")

                // An SMS of the company's that takes more than 2 segments is saved, with a warning.
                let long = String(repeating: "Le recordamos que tiene facturas pendientes de pago. ", count: 8)
                (status, body, _) = try await send(
                    client, .put, "/api/v1/dunning/config", f.tokenA,
                    config(templates: #"{"final_notice_45": {"en": {"subject": "Final: {{customer.name}}", "sms": "\#(long){{portal_link}}"}}}"#))
                #expect(status == .created)
                let warnings = try #require(body["warnings"] as? [[String: Any]])
                #expect(warnings.count == 1 && warnings.first?["field"] as? String == "templates.final_notice_45.en.sms")
                #expect((warnings.first?["message"] as? String)?.contains("segments") == true)
                (status, body, _) = try await send(
                    client, .put, "/api/v1/dunning/config", f.tokenA, config(templates: #"{"final_notice_45": {"en": {"subject": "Final: {{customer.name}}"}}}"#))
                #expect(status == .created && (body["warnings"] as? [Any])?.isEmpty == true)

                // YAML in, YAML out.
                let (_, _, yaml) = try await send(client, .get, "/api/v1/dunning/config?format=yaml", f.tokenA)
                #expect(yaml.contains("Final: {{customer.name}}") && yaml.contains("default: cobro_default"))
                (status, body, _) = try await send(client, .put, "/api/v1/dunning/config", f.tokenA, yaml, contentType: "application/yaml")
                #expect(status == .created && body["version"] as? Int == 4)
                (status, body, _) = try await send(client, .put, "/api/v1/dunning/config", f.tokenA, "assignment:\n  default: [x\n", contentType: "application/yaml")
                #expect(status == .unprocessableContent && (body["errors"] as? [[String: Any]])?.first?["line"] as? Int == 3)

                (status, body, _) = try await send(client, .get, "/api/v1/dunning/config/versions", f.tokenA)
                #expect((body["data"] as? [[String: Any]])?.compactMap { $0["version"] as? Int } == [4, 3, 2, 1])
                (status, body, _) = try await send(client, .get, "/api/v1/dunning/config/versions/1", f.tokenA)
                #expect(status == .ok && body["version"] as? Int == 1)
                (status, _, _) = try await send(client, .get, "/api/v1/dunning/config/versions/9", f.tokenA)
                #expect(status == .notFound)
                // The other company still has the shipped configuration.
                (status, body, _) = try await send(client, .get, "/api/v1/dunning/config", f.tokenB)
                #expect(body["version"] as? Int == 0)
            }
            let audited = try await f.db.read { c in
                try await c.first("SELECT COUNT(*) FROM audit_event WHERE company_id = $1 AND action = 'dunning_config.save'", [.int(f.a.id)])!.int(0)
            }
            #expect(audited == 4)
        }
    }

    @Test("preview renders a template for a real customer in its language, with unsaved texts, and rejects what a save would")
    func preview() async throws {
        try await APITest.withFixture { f in
            try await APITest.app(f).test(.router) { client in
                var (status, body, _) = try await send(
                    client, .post, "/api/v1/dunning/preview", f.tokenA, #"{"customer": "K1", "template": "overdue_7", "as_of": "2024-06-30"}"#)
                #expect(status == .ok)
                #expect(body["language"] as? String == "es")
                let text = try #require(body["text"] as? String)
                // Open on 2024-06-30: INV-1 5,000.00 + INV-2 4,000.00 + INV-5 3,000.00 + INV-7 1,500.00 = 13,500.00.
                for ref in ["INV-1", "INV-2", "INV-5", "INV-7"] { #expect(text.contains(ref), "\(ref) missing") }
                #expect(!text.contains("INV-9"))
                #expect(text.contains("13.500,00"))
                #expect((body["sms_segments"] as? [String: Any])?["segments"] as? Int ?? 0 >= 1)

                (status, body, _) = try await send(
                    client, .post, "/api/v1/dunning/preview", f.tokenA,
                    #"{"customer": "K2", "template": "overdue_7", "texts": {"subject": "Hello {{customer.name}}, {{invoice_count}} open"}}"#)
                #expect(status == .ok && body["subject"] as? String == "Hello Lambda Retail LLC, 4 open")
                // Without a language the edit applies in the customer's own (K1 writes Spanish; the company English).
                (status, body, _) = try await send(
                    client, .post, "/api/v1/dunning/preview", f.tokenA, #"{"customer": "K1", "template": "overdue_7", "texts": {"subject": "Hola {{customer.name}}"}}"#)
                #expect(status == .ok && body["language"] as? String == "es" && body["subject"] as? String == "Hola Kappa Industrial S.A.")

                (status, body, _) = try await send(
                    client, .post, "/api/v1/dunning/preview", f.tokenA, #"{"customer": "K2", "template": "overdue_7", "texts": {"sms": "{{#invoices}}"}}"#)
                #expect(status == .unprocessableContent)
                #expect((body["errors"] as? [[String: Any]])?.first?["field"] as? String == "templates.overdue_7.en.sms")

                (status, _, _) = try await send(client, .post, "/api/v1/dunning/preview", f.tokenA, #"{"customer": "NOPE", "template": "overdue_7"}"#)
                #expect(status == .notFound)
                (status, body, _) = try await send(client, .post, "/api/v1/dunning/preview", f.tokenA, #"{"template": "overdue_7", "language": "??"}"#)
                #expect(status == .unprocessableContent)
                #expect(Set((body["errors"] as? [[String: Any]])?.compactMap { $0["field"] as? String } ?? []) == ["customer", "language"])
            }
        }
    }

    @Test("runs through the API use the saved templates; the outbox lists what was queued; an opt-out cancels queued messages", arguments: APITest.kinds)
    func runsMessagesOptOuts(kind: SQLDialect) async throws {
        try await APITest.withFixture(kind) { f in
            try await APITest.app(f).test(.router) { client in
                _ = try await send(
                    client, .put, "/api/v1/dunning/config", f.tokenA, config(templates: #"{"final_notice_45": {"en": {"subject": "Final: {{customer.name}}"}}}"#))
                var (status, body, _) = try await send(client, .post, "/api/v1/dunning/runs", f.tokenA, #"{"as_of": "2024-06-30", "dry_run": true}"#)
                #expect(status == .ok && (body["messages"] as? [Any])?.count == 2)
                (status, body, _) = try await send(client, .get, "/api/v1/messages", f.tokenA)
                #expect((body["data"] as? [Any])?.isEmpty == true)

                (status, body, _) = try await send(client, .post, "/api/v1/dunning/runs", f.tokenA, #"{"as_of": "2024-06-30"}"#)
                #expect(status == .created && body["config_version"] as? Int == 1)
                (status, body, _) = try await send(client, .get, "/api/v1/dunning/runs", f.tokenA)
                let runs = try #require(body["data"] as? [[String: Any]])
                #expect(runs.count == 1 && runs.first?["messages"] as? Int == 2 && runs.first?["entries"] as? Int == 33)

                (status, body, _) = try await send(client, .get, "/api/v1/messages?status=queued", f.tokenA)
                let queued = try #require(body["data"] as? [[String: Any]])
                #expect(queued.count == 2)
                let k2 = try #require(queued.first { $0["customer_ref"] as? String == "K2" })
                #expect(k2["subject"] as? String == "Final: Lambda Retail LLC")
                #expect(k2["template"] as? String == "final_notice_45")
                #expect(k2["invoices"] as? [String] == ["INV-3", "INV-4", "INV-6", "INV-8"])
                (status, body, _) = try await send(client, .get, "/api/v1/messages?status=nope", f.tokenA)
                #expect(status == .unprocessableContent)

                // Opting K1 out of email cancels its queued email at once.
                (status, body, _) = try await send(
                    client, .post, "/api/v1/customers/K1/opt-outs", f.tokenA, #"{"channel": "email", "reason": "asked by phone", "since": "2024-07-01"}"#)
                #expect(status == .created && body["cancelled_messages"] as? Int == 1)
                (status, body, _) = try await send(client, .get, "/api/v1/messages?customer=K1", f.tokenA)
                #expect((body["data"] as? [[String: Any]])?.first?["status"] as? String == "cancelled")
                (status, body, _) = try await send(client, .get, "/api/v1/customers/K1/opt-outs", f.tokenA)
                let list = try #require(body["data"] as? [[String: Any]])
                #expect(list.count == 1 && list.first?["channel"] as? String == "email" && list.first?["reason"] as? String == "asked by phone")
                (status, body, _) = try await send(
                    client, .post, "/api/v1/customers/K2/opt-outs", f.tokenA, #"{"channel": "sms", "reason": "later", "since": "2099-01-01"}"#)
                #expect(status == .unprocessableContent && (body["errors"] as? [[String: Any]])?.first?["field"] as? String == "since")
                (status, body, _) = try await send(client, .post, "/api/v1/customers/K1/opt-outs", f.tokenA, #"{"channel": "fax", "reason": ""}"#)
                #expect(Set((body["errors"] as? [[String: Any]])?.compactMap { $0["field"] as? String } ?? []) == ["channel", "reason"])
                (status, _, _) = try await send(client, .get, "/api/v1/customers/K1/opt-outs", f.tokenB)
                #expect(status == .ok)
                (status, _, _) = try await send(client, .delete, "/api/v1/customers/K1/opt-outs/email", f.tokenA)
                #expect(status == .noContent)
                (status, _, _) = try await send(client, .delete, "/api/v1/customers/K1/opt-outs/email", f.tokenA)
                #expect(status == .notFound)
            }
            let actions = try await f.db.read { c in
                try await c.query("SELECT action FROM audit_event WHERE company_id = $1 AND action LIKE 'opt_out.%' ORDER BY id", [.int(f.a.id)]).map { $0.text(0) }
            }
            #expect(actions == ["opt_out.add", "opt_out.remove"])
        }
    }

    @Test("call steps become collector tasks once; a message that fails for good becomes a delivery_failed task", arguments: APITest.kinds)
    func tasks(kind: SQLDialect) async throws {
        try await APITest.withFixture(kind) { f in
            try await APITest.app(f).test(.router) { client in
                let callPolicy = #"{"id": "calls", "steps": [{"id": "call_now", "offset_days": 0, "channels": [{"channel": "call"}, {"channel": "email"}], "template_key": "overdue_30"}]}"#
                var (status, body, _) = try await send(client, .put, "/api/v1/dunning/config", f.tokenA, config(defaultPolicy: callPolicy))
                #expect(status == .created)
                (status, body, _) = try await send(client, .post, "/api/v1/dunning/runs", f.tokenA, #"{"as_of": "2024-06-30"}"#)
                #expect(status == .created)
                (status, body, _) = try await send(client, .get, "/api/v1/tasks?status=open", f.tokenA)
                var tasks = try #require(body["data"] as? [[String: Any]])
                #expect(tasks.compactMap { $0["customer_ref"] as? String }.sorted() == ["K1", "K2"])
                #expect(tasks.allSatisfy { $0["kind"] as? String == "call" && ($0["detail"] as? String ?? "").contains("INV-") })
                // Listing again creates nothing new.
                (status, body, _) = try await send(client, .get, "/api/v1/tasks", f.tokenA)
                #expect((body["data"] as? [Any])?.count == 2)
                (status, body, _) = try await send(client, .get, "/api/v1/messages?channel=call", f.tokenA)
                #expect((body["data"] as? [[String: Any]])?.allSatisfy { $0["status"] as? String == "sent" && ($0["provider_id"] as? String ?? "").hasPrefix("task:") } == true)

                let id = try #require(tasks.first?["id"] as? Int)
                (status, body, _) = try await send(client, .post, "/api/v1/tasks/\(id)/close", f.tokenA, #"{"outcome": "promised to pay Friday"}"#)
                #expect(status == .ok && body["status"] as? String == "done" && body["closed_by"] as? String != nil)
                (status, _, _) = try await send(client, .post, "/api/v1/tasks/\(id)/close", f.tokenA, #"{"outcome": "again"}"#)
                #expect(status == .conflict)
                (status, _, _) = try await send(client, .post, "/api/v1/tasks/\(id)/close", f.tokenB, #"{"outcome": "not mine"}"#)
                #expect(status == .notFound)
                (status, body, _) = try await send(client, .post, "/api/v1/tasks/\(id)/close", f.tokenA, #"{"status": "open"}"#)
                #expect(Set((body["errors"] as? [[String: Any]])?.compactMap { $0["field"] as? String } ?? []) == ["outcome", "status"])

                // The email of K2 is refused for good: a delivery_failed task appears, once.
                let now = f.clock.nowMillis() + 86_400_000
                try await f.db.transaction { c in
                    let claimed = try await OutboxStore.claim(c, channels: [.email], now: now, leaseMillis: 60_000, limit: 10, company: f.a.id)
                    let k2 = try #require(claimed.first { $0.recipient == "ap@lambda.example" })
                    try await OutboxStore.markFailed(c, k2, error: "550 mailbox unavailable", permanent: true, now: now)
                }
                (status, body, _) = try await send(client, .get, "/api/v1/tasks?kind=delivery_failed", f.tokenA)
                tasks = try #require(body["data"] as? [[String: Any]])
                #expect(tasks.count == 1 && tasks.first?["customer_ref"] as? String == "K2")
                #expect(tasks.first?["detail"] as? String == "550 mailbox unavailable")
                #expect((tasks.first?["title"] as? String)?.contains("ap@lambda.example") == true)
            }
        }
    }

    /// SQLite only: the scheduler serves every company in its database, and the PostgreSQL test database is shared
    /// by concurrently running tests.
    @Test("the server's schedule runs each company's dunning once a day from 10:00 on its clock and turns call steps into tasks")
    func schedule() async throws {
        try await APITest.withFixture(.sqlite) { f in
            let callPolicy = #"{"id": "calls", "steps": [{"id": "call_now", "offset_days": 0, "channels": [{"channel": "call"}], "template_key": "overdue_30"}]}"#
            try await APITest.app(f).test(.router) { client in
                let (status, _, _) = try await send(client, .put, "/api/v1/dunning/config", f.tokenA, config(defaultPolicy: callPolicy))
                #expect(status == .created)
            }
            let tz = try #require(TimeZone(identifier: f.a.timezone))
            func scheduler(_ iso: String) -> DunningScheduler {
                let instant = ISO8601DateFormatter().date(from: iso)!
                // The same wall time on the company's clock, whatever its zone.
                let ms = Int64((instant.timeIntervalSince1970 - Double(tz.secondsFromGMT(for: instant))) * 1000)
                return DunningScheduler(db: f.db, clock: .fixed(ms), logger: Logger(label: "test"), environment: [:])
            }
            #expect(await scheduler("2024-07-01T09:59:00Z").tick().isEmpty)
            let first = await scheduler("2024-07-01T10:00:00Z").tick()
            // Both companies hold the worked example; A has the call policy, B the shipped one.
            #expect(first.count == 2)
            #expect(first.allSatisfy { $0.asOf == LocalDate(year: 2024, month: 7, day: 1)! && $0.runID != nil })
            #expect(await scheduler("2024-07-01T18:00:00Z").tick().isEmpty)
            let tasks = try await f.db.read { c in
                try await TaskStore.list(c, company: f.a.id, status: .open, kind: .call, customerRef: nil, after: 0, limit: 10).map(\.customerRef)
            }
            #expect(tasks.sorted() == ["K1", "K2"])
            #expect(await scheduler("2024-07-02T10:00:00Z").tick().count == 2)
        }
    }

    @Test("channel settings: validated by field, secrets never shown, a secret sent back as shown keeps its value", arguments: APITest.kinds)
    func channelSettings(kind: SQLDialect) async throws {
        try await APITest.withFixture(kind) { f in
            try await APITest.app(f).test(.router) { client in
                var (status, body, text) = try await send(client, .get, "/api/v1/settings/channels", f.tokenA)
                #expect(status == .ok && body.isEmpty)
                (status, body, _) = try await send(
                    client, .put, "/api/v1/settings/channels", f.tokenA,
                    #"{"smtp_url": "ftp://mail.example.com", "smtp_from": "cobranza@a.example", "letter_dir": "../etc", "smtp_host": "x", "sms_url": "https://sms.example.com", "sms_format": "xml"}"#)
                #expect(status == .unprocessableContent)
                let fields = Set((body["errors"] as? [[String: Any]])?.compactMap { $0["field"] as? String } ?? [])
                #expect(fields == ["smtp_url", "letter_dir", "smtp_host", "sms_url"])
                #expect((body["errors"] as? [[String: Any]])?.contains { ($0["message"] as? String)?.contains("sms_format") == true } == true)

                let good = #"{"smtp_url": "smtp://ana:s3cret@mail.example.com:587?starttls=true", "smtp_from": "cobranza@a.example", "sms_url": "https://sms.example.com/send", "sms_auth": "Bearer tok-123", "letter_dir": "acme"}"#
                (status, body, text) = try await send(client, .put, "/api/v1/settings/channels", f.tokenA, good)
                #expect(status == .ok && !text.contains("s3cret") && !text.contains("tok-123"))
                #expect(body["sms_auth"] as? String == "********" && (body["smtp_url"] as? String)?.contains("ana:********@") == true)
                // PUT back exactly what GET shows: the secrets stay.
                (_, _, text) = try await send(client, .get, "/api/v1/settings/channels", f.tokenA)
                (status, _, _) = try await send(client, .put, "/api/v1/settings/channels", f.tokenA, text)
                #expect(status == .ok)
                let saved = try await f.db.read { c in try await ChannelSettingsStore.get(c, company: f.a.id) }
                #expect(saved["smtp_url"] == "smtp://ana:s3cret@mail.example.com:587?starttls=true" && saved["sms_auth"] == "Bearer tok-123")
                (status, body, _) = try await send(client, .get, "/api/v1/settings/channels", f.tokenB)
                #expect(body.isEmpty)
                // A hidden secret never follows a changed server: it must be given again.
                let moved = text.replacing("mail.example.com", with: "attacker.example").replacing("sms.example.com", with: "attacker.example")
                (status, body, _) = try await send(client, .put, "/api/v1/settings/channels", f.tokenA, moved)
                #expect(status == .unprocessableContent)
                #expect(Set((body["errors"] as? [[String: Any]])?.compactMap { $0["field"] as? String } ?? []) == ["smtp_url", "sms_auth"])
            }
            let audit = try await f.db.read { c in
                try await c.query("SELECT after_json FROM audit_event WHERE company_id = $1 AND action = 'settings.channels'", [.int(f.a.id)]).map { $0.text(0) }
            }
            #expect(audit.count == 2 && !audit.joined().contains("s3cret") && !audit.joined().contains("tok-123"))
        }
    }

    @Test("a bounce reported for a sent email marks it bounced and opens a task once; only sent emails bounce", arguments: APITest.kinds)
    func bounces(kind: SQLDialect) async throws {
        try await APITest.withFixture(kind) { f in
            try await APITest.app(f).test(.router) { client in
                var (status, body, _) = try await send(client, .post, "/api/v1/dunning/runs", f.tokenA, #"{"as_of": "2024-06-30"}"#)
                #expect(status == .created)
                (_, body, _) = try await send(client, .get, "/api/v1/messages?customer=K1", f.tokenA)
                let id = try #require((body["data"] as? [[String: Any]])?.first?["id"] as? Int)
                (status, _, _) = try await send(client, .post, "/api/v1/messages/\(id)/bounce", f.tokenA, #"{"reason": "550 5.1.1 user unknown"}"#)
                #expect(status == .conflict)  // still queued
                try await f.db.transaction { c in
                    for m in try await OutboxStore.claim(c, channels: [.email], now: f.clock.nowMillis() + 86_400_000, leaseMillis: 60_000, limit: 10, company: f.a.id) {
                        try await OutboxStore.markSent(c, m, providerID: "250 ok", now: f.clock.nowMillis())
                    }
                }
                for _ in 0..<2 {
                    (status, _, _) = try await send(client, .post, "/api/v1/messages/\(id)/bounce", f.tokenA, #"{"reason": "550 5.1.1 user unknown"}"#)
                    #expect(status == .noContent)
                }
                (_, body, _) = try await send(client, .get, "/api/v1/messages?customer=K1", f.tokenA)
                let m = try #require((body["data"] as? [[String: Any]])?.first)
                #expect(m["status"] as? String == "bounced" && m["last_error"] as? String == "550 5.1.1 user unknown")
                (_, body, _) = try await send(client, .get, "/api/v1/tasks?kind=delivery_failed", f.tokenA)
                let tasks = try #require(body["data"] as? [[String: Any]])
                #expect(tasks.count == 1 && tasks.first?["customer_ref"] as? String == "K1" && tasks.first?["detail"] as? String == "bounced: 550 5.1.1 user unknown")
                (status, _, _) = try await send(client, .post, "/api/v1/messages/999999/bounce", f.tokenA, #"{"reason": "x"}"#)
                #expect(status == .notFound)
                (status, _, _) = try await send(client, .post, "/api/v1/messages/\(id)/bounce", f.tokenB, #"{"reason": "x"}"#)
                #expect(status == .notFound)
                (status, body, _) = try await send(client, .post, "/api/v1/messages/\(id)/bounce", f.tokenA, "{}")
                #expect(status == .unprocessableContent)
            }
        }
    }
}
