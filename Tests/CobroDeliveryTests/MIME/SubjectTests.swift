import Foundation
import Testing

@testable import CobroDelivery

private func subjectLines(_ subject: String) throws -> (raw: [String], unfolded: String) {
    let parsed = ParsedEntity(try message(subject: subject).rendered())
    var raw: [String] = []
    var inSubject = false
    for line in parsed.rawHeaderLines {
        if line.hasPrefix("Subject:") {
            inSubject = true
        } else if !(line.hasPrefix(" ") || line.hasPrefix("\t")) {
            inSubject = false
        }
        if inSubject { raw.append(line) }
    }
    return (raw, parsed.value("Subject") ?? "")
}

@Suite("Delivery: Subject header")
struct DeliverySubjectTests {
    @Test func asciiSubjectIsWrittenAsIs() throws {
        let (raw, unfolded) = try subjectLines("Invoice INV-1 is overdue")
        #expect(raw == ["Subject: Invoice INV-1 is overdue"])
        #expect(unfolded == "Invoice INV-1 is overdue")
    }

    @Test func spanishSubjectIsEncodedAndDecodesBack() throws {
        let subject = "Último aviso: saldo vencido"
        let (raw, unfolded) = try subjectLines(subject)
        #expect(raw.count == 1)
        // Ú l = C3 9A 6C → 110000 111001 101001 101100 → "w5ps" (by hand).
        #expect(raw[0].hasPrefix("Subject: =?UTF-8?B?w5ps"))
        #expect(raw[0].hasSuffix("?="))
        #expect(decodeUnstructured(unfolded) == subject)
    }

    @Test(arguments: [
        String(repeating: "Último aviso: saldo vencido de la factura Nº 2024-0042 — ", count: 5).trimmingCharacters(in: .whitespaces),
        String(repeating: "日本語の件名", count: 30),
        String(repeating: "🇪🇸👨‍👩‍👧‍👦", count: 20),
        "Z" + String(repeating: "\u{0301}", count: 40) + " combining marks beyond one word",
        String(repeating: "a", count: 200) + " é",
        "ASCII but looks encoded =?UTF-8?B?SGk=?= here",
    ])
    func longSubjectsFoldIntoShortValidWords(subject: String) throws {
        let (raw, unfolded) = try subjectLines(subject)
        for line in raw { #expect(line.utf8.count <= 78, "\(line)") }
        let words = unfolded.split(separator: " ").map(String.init)
        for word in words {
            #expect(word.utf8.count <= 75, "\(word)")
            let bytes = try #require(decodeEncodedWord(word), "\(word) is not an encoded-word")
            #expect(String(validating: bytes, as: UTF8.self) != nil, "\(word) splits a UTF-8 sequence")
        }
        #expect(decodeUnstructured(unfolded) == subject)
    }

    @Test func longASCIISubjectFoldsAtSpaces() throws {
        let subject = (1...40).map { "word\($0)" }.joined(separator: " ")
        let (raw, unfolded) = try subjectLines(subject)
        #expect(raw.count > 1)
        for line in raw { #expect(line.utf8.count <= 78, "\(line)") }
        for line in raw.dropFirst() { #expect(line.hasPrefix(" ") && line.count > 1) }
        #expect(unfolded == subject)
    }

    @Test func whiteSpaceIsNormalised() throws {
        let m = try message(subject: "  Saldo\tvencido \n\n  hoy  ")
        #expect(m.subject == "Saldo vencido hoy")
        #expect(ParsedEntity(m.rendered()).value("Subject") == "Saldo vencido hoy")
    }

    @Test func emptySubject() throws {
        let parsed = ParsedEntity(try message(subject: "").rendered())
        #expect(parsed.value("Subject") == "")
    }
}
