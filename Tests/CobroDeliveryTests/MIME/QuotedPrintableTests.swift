import Foundation
import Testing

@testable import CobroDelivery

// RFC 2045 §6.7. Expected encodings are worked out by hand from the byte values (é = C3 A9, € = E2 82 AC, Ñ = C3 91).

private func qp(_ s: String) -> String { ascii(QuotedPrintable.encode(s)) }
private func a(_ n: Int) -> String { String(repeating: "a", count: n) }

@Suite("Delivery: quoted-printable")
struct DeliveryQuotedPrintableTests {
    @Test(arguments: [
        ("", ""),
        ("Hello, world!", "Hello, world!"),
        ("café", "caf=C3=A9"),
        ("=", "=3D"),
        ("a=b", "a=3Db"),
        ("1+1=2", "1+1=3D2"),
        ("€", "=E2=82=AC"),
        ("Ñandú", "=C3=91and=C3=BA"),
        ("a b\tc", "a b\tc"),
        ("trailing ", "trailing=20"),
        ("tab\t", "tab=09"),
        ("two  ", "two =20"),
        ("a \nb", "a=20\r\nb"),
        ("a\t\r\nb", "a=09\r\nb"),
        ("\u{0}\u{7F}\u{1B}", "=00=7F=1B"),
        ("~!\"#$%&'()*+,-./:;<>?@[\\]^_`{|}", "~!\"#$%&'()*+,-./:;<>?@[\\]^_`{|}"),
    ])
    func knownEncodings(input: String, expected: String) {
        #expect(qp(input) == expected)
    }

    @Test(arguments: [
        ("line1\nline2", "line1\r\nline2"),
        ("line1\r\nline2", "line1\r\nline2"),
        ("line1\rline2", "line1\r\nline2"),
        ("a\n\nb", "a\r\n\r\nb"),
        ("\n", "\r\n"),
        ("end\n", "end\r\n"),
        ("mixed\r\n\n\r", "mixed\r\n\r\n\r\n"),
    ])
    func hardLineBreaksBecomeCRLF(input: String, expected: String) {
        #expect(qp(input) == expected)
    }

    @Test func exactly76CharactersNeedNoSoftBreak() {
        #expect(qp(a(76)) == a(76))
    }

    @Test func longLinesGetSoftBreaksAt76() {
        #expect(qp(a(77)) == a(75) + "=\r\n" + "aa")
        #expect(qp(a(150)) == a(75) + "=\r\n" + a(75))
        // The last line of a hard line may use all 76 columns: it needs no room for a soft break.
        #expect(qp(a(151)) == a(75) + "=\r\n" + a(76))
        #expect(qp(a(152)) == a(75) + "=\r\n" + a(75) + "=\r\n" + "aa")
    }

    @Test func escapesAreNeverCut() {
        // 74 a then é: "=C3" would end at column 77 with its soft break, so the break comes first.
        #expect(qp(a(74) + "é") == a(74) + "=\r\n=C3=A9")
        #expect(qp(a(73) + "é") == a(73) + "=\r\n=C3=A9")
        // 72 a: "=C3" fits (column 75 + "="), "=A9" as the last token would reach 78, so it moves down.
        #expect(qp(a(72) + "é") == a(72) + "=C3=\r\n=A9")
        #expect(qp(a(70) + "é") == a(70) + "=C3=A9")
    }

    @Test func trailingSpaceAfterSoftBreakStillEncoded() {
        #expect(qp(a(75) + " ") == a(75) + "=\r\n=20")
        #expect(qp(a(73) + " ") == a(73) + "=20")
    }

    @Test func rfc2045SoftBreakExampleDecodes() {
        // RFC 2045 §6.7 rule 5's example of soft line breaks.
        let encoded = "Now's the time =\r\nfor all folk to come=\r\n to the aid of their country."
        let sentence = "Now's the time for all folk to come to the aid of their country."
        #expect(String(decoding: qpDecode(encoded), as: UTF8.self) == sentence)
        #expect(qp(sentence) == sentence)  // 65 characters, all printable: nothing to encode or break
    }

    @Test(arguments: [
        "Estimado cliente:\n\nLe recordamos que la factura Nº 2024-0042 por 1.234,56 € venció el 30/06/2024. Si ya realizó el pago, ignore este mensaje.\n",
        String(repeating: "Ünïcödé ✓ 日本語 🇪🇸 ", count: 40),
        String(repeating: "= =\t", count: 50) + " \n \t\n",
        "<p style=\"color:#333\">Saldo vencido: <b>1.234,56&nbsp;€</b></p>" + String(repeating: "x", count: 300),
    ])
    func roundTripAndLineShape(text: String) {
        let encoded = qp(text)
        let normalized = text.replacingOccurrences(of: "\r\n", with: "\n").replacingOccurrences(of: "\r", with: "\n")
            .replacingOccurrences(of: "\n", with: "\r\n")
        #expect(qpDecode(encoded) == Array(normalized.utf8))
        for line in crlfLines(encoded) {
            #expect(line.utf8.count <= 76, "\(line)")
            #expect(!line.hasSuffix(" ") && !line.hasSuffix("\t"), "trailing white space in \(line.debugDescription)")
            #expect(line.utf8.allSatisfy { $0 == 0x09 || ($0 >= 0x20 && $0 < 0x7F) })
        }
    }
}
