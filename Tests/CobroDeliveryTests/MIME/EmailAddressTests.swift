import Foundation
import Testing

@testable import CobroDelivery

@Suite("Delivery: email addresses")
struct DeliveryEmailAddressTests {
    @Test(arguments: [
        "ana@example.com", "ana.perez+cobro@mail.example.co.uk", "o'brien@example.ie", "x@xn--bcher-kva.example",
        "a_b-c=d?e{f}~g@sub-domain.example.org", "1234567890@123.example.com", String(repeating: "l", count: 64) + "@example.com",
        "ana@" + String(repeating: "d", count: 63) + ".com",
    ])
    func valid(text: String) throws {
        let a = try EmailAddress(address: text)
        #expect(a.address == text)
        #expect(a.name == nil)
        #expect(a.headerValue == text)
    }

    @Test(arguments: [
        ("", "exactly one @"),
        ("ana", "exactly one @"),
        ("ana@@example.com", "exactly one @"),
        ("ana@ex@ample.com", "exactly one @"),
        ("@example.com", "local part"),
        ("ana..perez@example.com", "single dots"),
        (".ana@example.com", "single dots"),
        ("ana.@example.com", "single dots"),
        ("\"ana\"@example.com", "quoted local parts are not supported"),
        ("ana(x)@example.com", "local part"),
        (String(repeating: "l", count: 65) + "@example.com", "1–64"),
        ("ana@", "domain"),
        ("ana@localhost", "at least two labels"),
        ("ana@example..com", "dot-separated labels"),
        ("ana@-example.com", "no leading or trailing hyphen"),
        ("ana@example-.com", "no leading or trailing hyphen"),
        ("ana@exa_mple.com", "letters, digits and hyphens"),
        ("ana@" + String(repeating: "d", count: 64) + ".com", "1–63"),
        ("ana@example.123", "numeric label"),
        ("ana@[127.0.0.1]", "domain"),
        ("ana perez@example.com", "without spaces"),
        (" ana@example.com", "without spaces"),
        ("ñandú@example.com", "SMTPUTF8"),
        ("ana@bücher.de", "xn--"),
        ("ana@example.com\r\nBcc: x@example.com", "printable ASCII"),
        (
            String(repeating: "a", count: 64) + "@" + String(repeating: "b", count: 62) + "." + String(repeating: "c", count: 62) + "."
                + String(repeating: "d", count: 62) + ".com", "at most 254"
        ),
    ])
    func invalid(text: String, fragment: String) {
        do {
            let a = try EmailAddress(address: text)
            Issue.record("\(text.debugDescription) accepted as \(a)")
        } catch {
            #expect(error.field == "address")
            #expect(error.reason.contains(fragment), "\(error.reason)")
        }
    }

    @Test func bareAddressWithoutName() throws {
        #expect(try EmailAddress(address: "ana@example.com", name: nil).headerValue == "ana@example.com")
        #expect(try EmailAddress(address: "ana@example.com", name: "").headerValue == "ana@example.com")
        #expect(try EmailAddress(address: "ana@example.com", name: " \t\n ").name == nil)
    }

    @Test(arguments: [
        ("Cobranzas", #""Cobranzas" <cobro@example.com>"#),
        ("O'Brien, Ann", #""O'Brien, Ann" <cobro@example.com>"#),
        (#"Ann "The Collector" \ Co"#, #""Ann \"The Collector\" \\ Co" <cobro@example.com>"#),
        ("ACME <billing>; Inc.", #""ACME <billing>; Inc." <cobro@example.com>"#),
        ("  Ana\t\tPérez  ", "=?UTF-8?B?QW5hIFDDqXJleg==?= <cobro@example.com>"),
        ("Ana Pérez", "=?UTF-8?B?QW5hIFDDqXJleg==?= <cobro@example.com>"),
    ])
    func displayNames(name: String, expected: String) throws {
        // "Ana Pérez" = 41 6E 61 20 50 C3 A9 72 65 7A → QW5h IFDD qXJl eg== (by hand, 6-bit groups).
        #expect(try EmailAddress(address: "cobro@example.com", name: name).headerValue == expected)
    }

    @Test func longNonASCIINameIsSplitIntoValidWords() throws {
        let name = String(repeating: "Departamento de Cobranza y Recuperación — ", count: 4) + "日本語"
        let a = try EmailAddress(address: "cobro@example.com", name: name)
        let tokens = a.headerValue.split(separator: " ").map(String.init)
        #expect(tokens.last == "<cobro@example.com>")
        var bytes: [UInt8] = []
        for word in tokens.dropLast() {
            #expect(word.count <= 75)
            let decoded = try #require(decodeEncodedWord(word))
            #expect(String(validating: decoded, as: UTF8.self) != nil, "word \(word) splits a UTF-8 sequence")
            bytes += decoded
        }
        #expect(String(decoding: bytes, as: UTF8.self) == name)
    }

    @Test func longASCIINameFallsBackToEncodedWords() throws {
        let name = String(repeating: "Accounts Receivable ", count: 6).trimmingCharacters(in: .whitespaces)
        let a = try EmailAddress(address: "cobro@example.com", name: name)
        #expect(!a.headerValue.hasPrefix("\""))
        #expect(decodeUnstructured(String(a.headerValue.dropLast(" <cobro@example.com>".count))) == name)
    }
}
