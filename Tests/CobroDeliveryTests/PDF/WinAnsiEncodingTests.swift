import Testing
@testable import CobroDelivery

@Suite("PDF: WinAnsi (cp1252) encoding")
struct WinAnsiEncodingTests {
    @Test func asciiPassesThrough() {
        let text = "Invoice INV-001 (due 2024-06-30) 100% paid? [a] {b} ~ \\"
        #expect(WinAnsiEncoding.encode(text) == Array(text.utf8))
    }

    @Test func spanishFrenchPortugueseLettersAndSymbols() {
        let text = "áéíóúñçãõâêàèü«»€¿¡ÁÉÍÓÚÑÇÃÕÂÊÀÈÜœŒ’“”–—…"
        let expected: [UInt8] = [
            0xE1, 0xE9, 0xED, 0xF3, 0xFA, 0xF1, 0xE7, 0xE3, 0xF5, 0xE2, 0xEA, 0xE0, 0xE8, 0xFC, 0xAB, 0xBB, 0x80, 0xBF,
            0xA1, 0xC1, 0xC9, 0xCD, 0xD3, 0xDA, 0xD1, 0xC7, 0xC3, 0xD5, 0xC2, 0xCA, 0xC0, 0xC8, 0xDC, 0x9C, 0x8C, 0x92,
            0x93, 0x94, 0x96, 0x97, 0x85,
        ]
        #expect(WinAnsiEncoding.encode(text) == expected)
    }

    @Test func decomposedAccentsEncodeLikePrecomposed() {
        #expect(WinAnsiEncoding.encode("e\u{301}n\u{303}c\u{327}") == [0xE9, 0xF1, 0xE7])
    }

    @Test func charactersOutsideCp1252BecomeQuestionMarks() {
        #expect(WinAnsiEncoding.encode("Łódź 👍") == [0x3F, 0xF3, 0x64, 0x3F, 0x20, 0x3F])
        #expect(WinAnsiEncoding.encode("a\nb") == [0x61, 0x3F, 0x62])
        #expect(WinAnsiEncoding.encode("中文") == [0x3F, 0x3F])
    }

    @Test func frenchNarrowNoBreakSpaceBecomesNoBreakSpace() {
        #expect(WinAnsiEncoding.encode("1\u{202F}234,56") == [0x31, 0xA0, 0x32, 0x33, 0x34, 0x2C, 0x35, 0x36])
        #expect(WinAnsiEncoding.encode("\u{2212}5\t") == [0x2D, 0x35, 0x20])
    }

    @Test func everyDefinedCodeRoundTrips() {
        let undefined: Set<UInt8> = [0x7F, 0x81, 0x8D, 0x8F, 0x90, 0x9D]
        for code in UInt8(0x20)...0xFF where !undefined.contains(code) {
            guard let ch = WinAnsiEncoding.character(for: code) else {
                Issue.record("no character for \(code)")
                continue
            }
            #expect(WinAnsiEncoding.encode(String(ch)) == [code], "code \(code)")
        }
        for code in undefined { #expect(WinAnsiEncoding.character(for: code) == nil) }
    }
}
