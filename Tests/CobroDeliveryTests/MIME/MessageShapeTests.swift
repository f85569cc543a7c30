import Foundation
import Testing

@testable import CobroDelivery

@Suite("Delivery: message shape")
struct DeliveryMessageShapeTests {
    @Test func headerOrderWithReplyTo() throws {
        let m = try message(replyTo: address("disputas@example.com", "Disputas"))
        let parsed = ParsedEntity(m.rendered())
        #expect(
            parsed.names == ["Date", "From", "To", "Reply-To", "Subject", "Message-ID", "MIME-Version", "Content-Type", "Content-Transfer-Encoding"])
        #expect(parsed.value("Reply-To") == "\"Disputas\" <disputas@example.com>")
        #expect(parsed.value("From") == "\"Cobranzas\" <cobro@example.com>")
    }

    @Test func manyRecipientsFoldAfterCommas() throws {
        let recipients = (1...30).map { address("contact\($0)@customer-\($0).example.com", $0 % 3 == 0 ? "Contacto Nº \($0)" : nil) }
        let m = try message(to: recipients)
        let rendered = m.rendered()
        checkLines(rendered, maxLength: 78)
        let to = try #require(ParsedEntity(rendered).value("To"))
        let expected = recipients.map(\.headerValue).joined(separator: ", ")
        #expect(to == expected)
        // Reading the list back: split on ", " outside encoded-words, decode names.
        let mailboxes = to.components(separatedBy: ", ")
        #expect(mailboxes.count == 30)
        #expect(decodeUnstructured(String(mailboxes[2].dropLast(" <contact3@customer-3.example.com>".count))) == "Contacto Nº 3")
        #expect(mailboxes[0] == "contact1@customer-1.example.com")
    }

    @Test func emptyRecipientListIsRefused() {
        #expect(throws: EmailRejection.self) { try message(to: []) }
    }

    @Test func hostileInputsKeepEveryLineShortAndCRLF() throws {
        let hugeWord = String(repeating: "x", count: 5000)
        let m = try message(
            from: address("cobro@example.com", String(repeating: "Ñ", count: 400)),
            to: (1...50).map { address("c\($0)@" + String(repeating: "d", count: 63) + ".example.com", String(repeating: "Name\($0) ", count: 20)) },
            replyTo: address("r@example.com", String(repeating: "\"\\", count: 300)),
            subject: hugeWord + " " + String(repeating: "é", count: 2000),
            text: hugeWord + "\n" + String(repeating: "ü ", count: 3000) + "\r\n.\r\n" + String(repeating: " ", count: 200) + "\n",
            html: "<p>" + hugeWord + "</p>\r" + String(repeating: "=", count: 1000),
            attachments: [
                try EmailAttachment(
                    filename: String(repeating: "ä", count: 127) + ".", contentType: "application/octet-stream",
                    data: Array(repeating: 0xFF, count: 10_000)),
                try EmailAttachment(
                    filename: String(repeating: "q", count: 255), contentType: "text/plain; charset=\"utf-8\"; format=flowed",
                    data: Array(hugeWord.utf8)),
            ],
            headers: [("X-Long", (1...300).map { "tok\($0)" }.joined(separator: " ")), ("X-Word", String(repeating: "w", count: 980))])
        let rendered = m.rendered()
        checkLines(rendered)
        // Only what cannot be folded passes 78 columns: the 980-character X-Word value, and the 82-character
        // addresses, each alone on its continuation line.
        let long = crlfLines(ascii(rendered)).filter { $0.utf8.count > 78 }
        #expect(long.count == 51)
        #expect(long.contains("X-Word: " + String(repeating: "w", count: 980)))
        let addressLines = long.filter { $0 != "X-Word: " + String(repeating: "w", count: 980) }
        #expect(addressLines.count == 50)
        for line in addressLines {
            #expect(line.hasPrefix(" <c") && (line.hasSuffix(".example.com>,") || line.hasSuffix(".example.com>")), "\(line)")
            #expect(line.dropFirst().contains(" ") == false)
        }
    }

    @Test(arguments: [false, true])
    func everyMessageShapeEndsLinesWithCRLF(withHTML: Bool) throws {
        for attachments in [[], [try EmailAttachment(filename: "a.txt", contentType: "text/plain", data: Array("a\nb".utf8))]] {
            let m = try message(text: "uno\ndos\rtres\r\n", html: withHTML ? "<p>x</p>\n" : nil, attachments: attachments)
            checkLines(m.rendered(), maxLength: 78)
        }
    }
}
