import Foundation
import Testing

@testable import CobroDelivery

/// Names of the fields that start a line in the top-level header block.
private func fieldNames(_ m: EmailMessage) -> [String] { ParsedEntity(m.rendered()).names }

private let standardNames = ["Date", "From", "To", "Subject", "Message-ID", "MIME-Version", "Content-Type", "Content-Transfer-Encoding"]

@Suite("Delivery: header injection")
struct DeliveryHeaderInjectionTests {
    @Test(arguments: [
        "Hi\r\nBcc: x@y", "Hi\nBcc: x@y", "Hi\rBcc: x@y", "Hi\r\n\r\nBcc: x@y", "Hi\u{2028}Bcc: x@y", "Hi\u{85}Bcc: x@y", "Hi\r\n Bcc: x@y",
    ])
    func subjectCannotAddAHeader(subject: String) throws {
        let m = try message(subject: subject)
        #expect(!m.subject.contains("\r") && !m.subject.contains("\n"))
        let names = fieldNames(m)
        #expect(names == standardNames)
        #expect(!names.contains { $0.lowercased() == "bcc" })
        let bytes = ascii(m.rendered())
        #expect(!bytes.contains("\r\nBcc:"))
        #expect(!bytes.contains("\r\n\r\nBcc:"))
    }

    @Test func subjectInjectionBecomesOneLineOfText() throws {
        let m = try message(subject: "Hi\r\nBcc: x@y")
        #expect(m.subject == "Hi Bcc: x@y")
        #expect(ParsedEntity(m.rendered()).value("Subject") == "Hi Bcc: x@y")
    }

    @Test func displayNameCannotAddAHeader() throws {
        let evil = address("ana@example.org", "Ana\r\nBcc: boss@example.com\r\n")
        #expect(evil.name == "Ana Bcc: boss@example.com")
        let m = try message(from: address("cobro@example.com", "Cobro\nX-Evil: 1"), to: [evil], replyTo: address("r@example.com", "R\r\nCc: a@b.co"))
        let names = fieldNames(m)
        #expect(names == ["Date", "From", "To", "Reply-To", "Subject", "Message-ID", "MIME-Version", "Content-Type", "Content-Transfer-Encoding"])
    }

    @Test(arguments: [
        ("X-Campaign", "a\r\nBcc: x@example.com", "line break"),
        ("X-Campaign", "a\nBcc: x@example.com", "line break"),
        ("X-Campaign", "a\rBcc: x@example.com", "line break"),
        ("X-Campaign", "a\u{0}b", "printable ASCII"),
        ("X-Campaign", "señal", "printable ASCII"),
        ("X-Campaign", "   ", "non-empty"),
        ("X-Campaign", String(repeating: "x", count: 990), "at most 998"),
        ("Bcc", "x@example.com", "Bcc is never written"),
        ("bcc", "x@example.com", "cannot be passed"),
        ("Subject", "second subject", "cannot be passed"),
        ("content-type", "text/html", "cannot be passed"),
        ("X-Evil\r\nBcc", "x", "printable ASCII characters without spaces or colons"),
        ("X-Evil: a", "x", "without spaces or colons"),
        ("Bcc:", "x", "without spaces or colons"),
        ("", "x", "1–76"),
    ])
    func extraHeadersAreRefused(name: String, value: String, fragment: String) {
        do {
            _ = try message(headers: [(name, value)])
            Issue.record("header \(name.debugDescription): \(value.debugDescription) accepted")
        } catch let error as EmailRejection {
            #expect(error.field == "header")
            #expect(error.reason.contains(fragment), "\(error.reason)")
        } catch {
            Issue.record("unexpected \(error)")
        }
    }

    @Test(arguments: [("a\r\nb.pdf"), ("a\nb.pdf"), ("../etc/passwd"), ("C:\\x.pdf"), ("\u{0}.pdf"), ("")])
    func attachmentFileNamesAreRefused(filename: String) {
        #expect(throws: EmailRejection.self) { try EmailAttachment(filename: filename, contentType: "application/pdf", data: []) }
    }

    @Test(arguments: [
        "text/plain\r\nBcc: x@example.com", "application/pdf\nX: y", "pdf", "application/", "/pdf", "application/pdf;", "application/pdf; charset",
        "application/pdf; a=\"unterminated", "app lication/pdf", "text/plain; charset=utf-8 junk", "multipart/mixed", "Message/RFC822",
        "application/pdf; name=\"ü\"",
    ])
    func attachmentContentTypesAreRefused(contentType: String) {
        #expect(throws: EmailRejection.self) { try EmailAttachment(filename: "a.pdf", contentType: contentType, data: []) }
    }

    @Test(arguments: [
        ("a\r\nb.pdf", "application/pdf", "without control characters, line breaks or folder separators"),
        (String(repeating: "é", count: 128), "application/pdf", "1–255 UTF-8 bytes"),
        ("a.pdf", "pdf", "must be type/subtype"),
        ("a.eml", "message/rfc822", "cannot be sent base64-encoded"),
    ])
    func attachmentRejectionsSayWhatIsValid(filename: String, contentType: String, fragment: String) {
        do {
            _ = try EmailAttachment(filename: filename, contentType: contentType, data: [])
            Issue.record("\(filename.debugDescription) / \(contentType) accepted")
        } catch {
            #expect(error.field == "attachment")
            #expect(error.reason.contains(fragment), "\(error.reason)")
        }
    }

    @Test func extraHeadersAreWrittenInOrderAfterTheStandardOnes() throws {
        let m = try message(headers: [
            ("List-Unsubscribe", "<https://pay.example.com/u/abc123>, <mailto:unsubscribe@example.com?subject=abc123>"),
            ("List-Unsubscribe-Post", "List-Unsubscribe=One-Click"),
            ("X-Cobro-Step", "  3  "),
        ])
        let parsed = ParsedEntity(m.rendered())
        #expect(
            parsed.names == [
                "Date", "From", "To", "Subject", "Message-ID", "MIME-Version", "List-Unsubscribe", "List-Unsubscribe-Post", "X-Cobro-Step",
                "Content-Type", "Content-Transfer-Encoding",
            ])
        #expect(parsed.value("List-Unsubscribe") == "<https://pay.example.com/u/abc123>, <mailto:unsubscribe@example.com?subject=abc123>")
        #expect(parsed.value("List-Unsubscribe-Post") == "List-Unsubscribe=One-Click")
        #expect(parsed.value("X-Cobro-Step") == "3")
    }
}
