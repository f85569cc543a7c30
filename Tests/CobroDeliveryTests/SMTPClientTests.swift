import CobroDelivery
import Foundation
import Testing

/// The SMTP client against a real server (aiosmtpd, started per test).
@Suite("SMTP client") struct SMTPClientTests {
    static let raw = Array("From: a@cobro.test\r\nTo: b@example.test\r\nSubject: Hello\r\n\r\nfirst line\r\n.starts with a dot\r\n..two dots\r\nlast\r\n".utf8)

    func send(_ url: String, _ message: [UInt8] = raw) async throws -> String {
        let config = try SMTPConfiguration.parse(url).get()
        return try await SMTPClient(config).send(from: "a@cobro.test", to: ["b@example.test"], message: message)
    }

    @Test("plain SMTP with AUTH delivers the message byte for byte (dot-stuffing undone by the server)")
    func plainWithAuth() async throws {
        let sink = try SMTPSink(auth: "collect:s3cret")
        let id = try await send("smtp://collect:s3cret@127.0.0.1:\(sink.port)")
        #expect(id.contains("sink-1"))
        #expect(sink.messages() == [String(decoding: Self.raw, as: UTF8.self)])
        #expect(sink.envelopes() == ["a@cobro.test\nb@example.test\n"])
    }

    @Test("STARTTLS and implicit TLS both deliver")
    func tls() async throws {
        let starttls = try SMTPSink(auth: "u:p", tls: true)
        _ = try await send("smtp://u:p@127.0.0.1:\(starttls.port)?starttls=true&verify=false")
        #expect(starttls.messages().count == 1)
        let implicit = try SMTPSink(implicitTLS: true)
        _ = try await send("smtps://127.0.0.1:\(implicit.port)?verify=false")
        #expect(implicit.messages().count == 1)
    }

    @Test("a server that requires STARTTLS refuses plain submission; a wrong password is a permanent error")
    func refusals() async throws {
        let sink = try SMTPSink(auth: "u:p", tls: true)
        await #expect(throws: DeliveryError.self) { try await send("smtp://u:p@127.0.0.1:\(sink.port)") }
        let auth = try SMTPSink(auth: "u:p")
        do {
            _ = try await send("smtp://u:wrong@127.0.0.1:\(auth.port)")
            Issue.record("a wrong password was accepted")
        } catch let e as DeliveryError {
            #expect(e.permanent, "\(e)")
        }
        #expect(auth.messages().isEmpty)
    }

    @Test("no server: a temporary connection error (retried later), not a permanent one")
    func down() async throws {
        let port: Int = {
            let s = try? SMTPSink()
            return s?.port ?? 1
        }()
        do {
            _ = try await send("smtp://127.0.0.1:\(port)")
            Issue.record("sent to a stopped server")
        } catch let e as DeliveryError {
            #expect(!e.permanent, "\(e)")
        }
    }

    @Test("COBRO_SMTP_URL parsing names what is valid")
    func parsing() throws {
        let c = try SMTPConfiguration.parse("smtp://user%40corp:p%3Ass@mail.example.com:587?starttls=true").get()
        #expect(c.host == "mail.example.com" && c.port == 587 && c.security == .startTLS && c.username == "user@corp" && c.password == "p:ss")
        #expect(try SMTPConfiguration.parse("smtps://mail.example.com").get().port == 465)
        guard case .failure(let e) = SMTPConfiguration.parse("http://mail.example.com") else { Issue.record("http accepted"); return }
        #expect("\(e)".contains("smtp or smtps"))
    }
}
