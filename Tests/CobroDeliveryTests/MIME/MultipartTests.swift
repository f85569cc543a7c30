import Foundation
import Testing

@testable import CobroDelivery

private let pdfBytes: [UInt8] = Array("%PDF-1.4\n".utf8) + (0..<3000).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ 7) } + Array("\n%%EOF\n".utf8)
private let csvBytes: [UInt8] = Array("customer_ref,amount\r\nC1,1234.56\r\nC2,-0.01\r\n".utf8)

private func pdf(_ name: String = "invoice INV-1.pdf") throws -> EmailAttachment {
    try EmailAttachment(filename: name, contentType: "application/pdf", data: pdfBytes)
}

private func crlfText(_ s: String) -> String { s.replacingOccurrences(of: "\n", with: "\r\n") }

private func base64Data(_ part: ParsedEntity) throws -> [UInt8] {
    #expect(part.value("Content-Transfer-Encoding") == "base64")
    let lines = crlfLines(part.body)
    for (i, line) in lines.enumerated() {
        #expect(i == lines.count - 1 ? line.count <= 76 : line.count == 76, "base64 line \(i) has \(line.count) characters")
    }
    return Array(try #require(Data(base64Encoded: lines.joined())))
}

@Suite("Delivery: MIME structure")
struct DeliveryMultipartTests {
    @Test func textOnlyMatchesHandWrittenMessage() throws {
        let m = try message(text: "Hola Ana,\nSaldo: 1.234,56 €\n")
        let expected =
            "Date: Mon, 01 Jul 2024 12:00:00 +0000\r\n" + "From: \"Cobranzas\" <cobro@example.com>\r\n" + "To: ana@example.org\r\n"
            + "Subject: Invoice INV-1 is overdue\r\n" + "Message-ID: <inv-1@mail.example.com>\r\n" + "MIME-Version: 1.0\r\n"
            + "Content-Type: text/plain; charset=utf-8\r\n" + "Content-Transfer-Encoding: quoted-printable\r\n" + "\r\n"
            + "Hola Ana,\r\n" + "Saldo: 1.234,56 =E2=82=AC\r\n"
        #expect(ascii(m.rendered()) == expected)
    }

    @Test func textWithoutFinalNewlineStillEndsWithCRLF() throws {
        let rendered = ascii(try message(text: "Hola").rendered())
        #expect(rendered.hasSuffix("\r\n\r\nHola\r\n"))
    }

    @Test func textAndHTMLMakeAlternative() throws {
        let text = "Saldo vencido: 1.234,56 €\nGracias."
        let html = "<p>Saldo vencido: <b>1.234,56&nbsp;€</b></p>\n<p>Gracias.</p>"
        let top = ParsedEntity(try message(text: text, html: html).rendered())
        #expect(top.value("Content-Type")?.hasPrefix("multipart/alternative; boundary=\"") == true)
        #expect(top.value("Content-Transfer-Encoding") == nil)
        #expect(top.value("MIME-Version") == "1.0")
        let parts = top.parts
        try #require(parts.count == 2)
        #expect(parts[0].names == ["Content-Type", "Content-Transfer-Encoding"])
        #expect(parts[0].value("Content-Type") == "text/plain; charset=utf-8")
        #expect(parts[0].qpText == crlfText(text))
        #expect(parts[1].value("Content-Type") == "text/html; charset=utf-8")
        #expect(parts[1].qpText == crlfText(html))
    }

    @Test func attachmentsMakeMixedAroundAlternative() throws {
        let csv = try EmailAttachment(filename: "statement.csv", contentType: "text/csv;charset=utf-8", data: csvBytes)
        let top = ParsedEntity(
            try message(text: "Adjuntamos su estado de cuenta.", html: "<p>Adjuntamos su estado de cuenta.</p>", attachments: [try pdf(), csv])
                .rendered())
        #expect(top.value("Content-Type")?.hasPrefix("multipart/mixed; boundary=\"") == true)
        let parts = top.parts
        try #require(parts.count == 3)

        #expect(parts[0].value("Content-Type")?.hasPrefix("multipart/alternative; boundary=\"") == true)
        #expect(parts[0].boundary != top.boundary)
        let alternatives = parts[0].parts
        try #require(alternatives.count == 2)
        #expect(alternatives[0].value("Content-Type") == "text/plain; charset=utf-8")
        #expect(alternatives[0].qpText == "Adjuntamos su estado de cuenta.")
        #expect(alternatives[1].value("Content-Type") == "text/html; charset=utf-8")
        #expect(alternatives[1].qpText == "<p>Adjuntamos su estado de cuenta.</p>")

        #expect(parts[1].names == ["Content-Type", "Content-Transfer-Encoding", "Content-Disposition"])
        #expect(parts[1].value("Content-Type") == "application/pdf")
        #expect(parts[1].value("Content-Disposition") == "attachment; filename=\"invoice INV-1.pdf\"")
        #expect(try base64Data(parts[1]) == pdfBytes)

        #expect(parts[2].value("Content-Type") == "text/csv; charset=utf-8")
        #expect(parts[2].value("Content-Disposition") == "attachment; filename=\"statement.csv\"")
        #expect(try base64Data(parts[2]) == csvBytes)
    }

    @Test func textOnlyWithAttachmentPutsTextFirst() throws {
        let top = ParsedEntity(try message(text: "Ver adjunto.", attachments: [try pdf()]).rendered())
        let parts = top.parts
        try #require(parts.count == 2)
        #expect(parts[0].value("Content-Type") == "text/plain; charset=utf-8")
        #expect(parts[0].qpText == "Ver adjunto.")
        #expect(parts[1].value("Content-Type") == "application/pdf")
    }

    @Test(arguments: [0, 1, 2, 3, 57, 58, 100_000])
    func attachmentBytesRoundTrip(size: Int) throws {
        let data = (0..<size).map { UInt8(truncatingIfNeeded: ($0 &* 2_654_435_761) >> 13) }
        let a = try EmailAttachment(filename: "blob.bin", contentType: "application/octet-stream", data: data)
        let parts = ParsedEntity(try message(attachments: [a]).rendered()).parts
        try #require(parts.count == 2)
        if size == 0 { #expect(parts[1].body == "") } else { #expect(try base64Data(parts[1]) == data) }
    }

    @Test func nonASCIIFileNameUsesRFC2231() throws {
        // Ú = C3 9A, space = 20 (by hand).
        let parts = ParsedEntity(try message(attachments: [try pdf("Último aviso.pdf")]).rendered()).parts
        #expect(parts[1].value("Content-Disposition") == "attachment; filename*=UTF-8''%C3%9Altimo%20aviso.pdf")
        #expect(rfc2231Value("filename", in: parts[1].value("Content-Disposition") ?? "") == "Último aviso.pdf")
    }

    @Test(arguments: [
        "Estado de cuenta — Compañía Española de Distribución y Logística S.A. — junio 2024.pdf",
        "Statement of account for ACME Distribution and Logistics Incorporated, June 2024 \"final\".pdf",
        String(repeating: "日本語", count: 25) + ".pdf",
    ])
    func longFileNamesUseContinuations(filename: String) throws {
        let rendered = try message(attachments: [try pdf(filename)]).rendered()
        let parts = ParsedEntity(rendered).parts
        let disposition = try #require(parts[1].value("Content-Disposition"))
        #expect(disposition.contains("filename*0"))
        #expect(rfc2231Value("filename", in: disposition) == filename)
        checkLines(rendered, maxLength: 78)
    }

    @Test func renderingIsDeterministic() throws {
        let build = { try message(text: "t", html: "<p>h</p>", attachments: [try pdf()]).rendered() }
        #expect(try build() == build())
        let other = try message(text: "t", html: "<p>h</p>", attachments: [try pdf()], messageID: "<inv-2@mail.example.com>")
        #expect(ParsedEntity(other.rendered()).boundary != ParsedEntity(try build()).boundary)
    }

    @Test func boundaryChangesWhenContentContainsIt() throws {
        let first = ParsedEntity(try message(text: "t", attachments: [try pdf()]).rendered())
        let boundary = try #require(first.boundary)
        #expect(boundary.count <= 70)

        // Put the boundary in the body text (quoted-printable hides it: '=' becomes =3D) and in a file name (a
        // part header, where it would appear literally): the builder must pick another one.
        let tricky = try message(text: "see --\(boundary)", attachments: [try pdf("\(boundary).pdf")])
        let rendered = ascii(tricky.rendered())
        let second = ParsedEntity(rendered)
        let newBoundary = try #require(second.boundary)
        #expect(newBoundary != boundary)
        #expect(!newBoundary.hasPrefix(boundary) || newBoundary.count > boundary.count)
        for part in second.parts {
            let whole = part.rawHeaderLines.joined(separator: CRLF) + CRLF + CRLF + part.body
            #expect(!whole.contains(newBoundary))
        }
        let parts = second.parts
        try #require(parts.count == 2)
        #expect(parts[0].qpText == "see --\(boundary)")
        #expect(rfc2231Value("filename", in: parts[1].value("Content-Disposition") ?? "") == "\(boundary).pdf")
        // Exactly the expected delimiter lines, nothing else looks like one.
        let delimiterLines = crlfLines(rendered).filter { $0.hasPrefix("--") }
        #expect(delimiterLines == ["--\(newBoundary)", "--\(newBoundary)", "--\(newBoundary)--"])
    }

    @Test func boundaryInBodyTextAloneIsHarmless() throws {
        let plain = ParsedEntity(try message(text: "t", html: "h").rendered())
        let boundary = try #require(plain.boundary)
        let withText = ParsedEntity(try message(text: "--\(boundary)\n--\(boundary)--", html: "--\(boundary)").rendered())
        let parts = withText.parts
        try #require(parts.count == 2)
        #expect(parts[0].qpText == "--\(boundary)\r\n--\(boundary)--")
        #expect(parts[1].qpText == "--\(boundary)")
    }
}
