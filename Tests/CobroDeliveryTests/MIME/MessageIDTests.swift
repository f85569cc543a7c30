import Foundation
import Testing

@testable import CobroDelivery

@Suite("Delivery: Message-ID")
struct DeliveryMessageIDTests {
    // Expected ids written by hand: ':' = 3A, '/' = 2F, '=' = 3D, ' ' = 20, 'ñ' = C3 B1, '.' = 2E.
    @Test(arguments: [
        ("dunning:C1:step-2", "<dunning=3AC1=3Astep-2@mail.example.com>"),
        ("reminder_42", "<reminder_42@mail.example.com>"),
        ("a/b c", "<a=2Fb=20c@mail.example.com>"),
        ("a=3Ab", "<a=3D3Ab@mail.example.com>"),
        ("señal", "<se=C3=B1al@mail.example.com>"),
        ("v1.2", "<v1=2E2@mail.example.com>"),
    ])
    func derivedFromKey(key: String, expected: String) throws {
        #expect(try EmailMessage.messageID(key: key, domain: "mail.example.com") == expected)
    }

    @Test func stableAndDistinct() throws {
        let a = try EmailMessage.messageID(key: "a:b", domain: "example.com")
        #expect(try EmailMessage.messageID(key: "a:b", domain: "example.com") == a)
        #expect(try EmailMessage.messageID(key: "a=3Ab", domain: "example.com") != a)
        #expect(try EmailMessage.messageID(key: "a:b ", domain: "example.com") != a)
    }

    @Test func longKeysAreShortenedButStayDistinctAndValid() throws {
        let base = String(repeating: "customer:C-000123/invoice:", count: 10)
        let one = try EmailMessage.messageID(key: base + "1", domain: "example.com")
        let two = try EmailMessage.messageID(key: base + "2", domain: "example.com")
        #expect(one != two)
        #expect(one == (try EmailMessage.messageID(key: base + "1", domain: "example.com")))
        for id in [one, two] {
            #expect(id.count <= 1 + 160 + 1 + "example.com".count + 1)
            #expect(id.hasPrefix("<customer=3AC-000123=2Finvoice=3A"))
            // Usable as-is in a message.
            let m = try message(messageID: id)
            #expect(ParsedEntity(m.rendered()).value("Message-ID") == id)
        }
    }

    @Test func rejectsBadInput() {
        #expect(throws: EmailRejection.self) { try EmailMessage.messageID(key: "", domain: "example.com") }
        #expect(throws: EmailRejection.self) { try EmailMessage.messageID(key: "k", domain: "localhost") }
        #expect(throws: EmailRejection.self) { try EmailMessage.messageID(key: "k", domain: "exa mple.com") }
    }

    @Test(arguments: [
        "inv-1@mail.example.com", "<inv-1@mail.example.com", "<>", "<@example.com>", "<a@>", "<a b@example.com>",
        "<a..b@example.com>", "<a@b@example.com>", "<a@example.com>\r\nBcc: x@example.com", "<ü@example.com>",
    ])
    func messageRejectsMalformedIDs(id: String) {
        do {
            _ = try message(messageID: id)
            Issue.record("\(id.debugDescription) accepted")
        } catch let error as EmailRejection {
            #expect(error.field == "message-id")
            #expect(error.reason.contains("<left@domain>") || error.reason.contains("domain"), "\(error.reason)")
        } catch {
            Issue.record("unexpected \(error)")
        }
    }
}
