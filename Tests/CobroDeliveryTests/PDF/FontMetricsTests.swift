import Testing
@testable import CobroDelivery

/// Widths checked against values read off Adobe's Helvetica.afm / Helvetica-Bold.afm by hand.
@Suite("PDF: Helvetica metrics")
struct FontMetricsTests {
    @Test func digitOneIs556Thousandths() {
        #expect(PDFFont.helvetica.width(of: "1", size: 1000) == 556)
        #expect(PDFFont.helvetica.width(of: "1", size: 10) == 5.56)
        #expect(PDFFont.helveticaBold.width(of: "1", size: 1000) == 556)
    }

    @Test func wordWidthIsSumOfAFMWidths() {
        // H 722, e 556, l 222, v 500, e 556, t 278, i 222, c 500, a 556.
        #expect(PDFFont.helvetica.width(of: "Helvetica", size: 1000) == 4112)
        // Bold: H 722, e 556, l 278, v 556, e 556, t 333, i 278, c 556, a 556.
        #expect(PDFFont.helveticaBold.width(of: "Helvetica", size: 1000) == 4391)
    }

    @Test func accentedLettersAndSymbols() {
        let f = PDFFont.helvetica
        for (text, units) in [
            ("é", 556.0), ("ñ", 556), ("ç", 500), ("í", 278), ("É", 667), ("Ú", 722), ("€", 556), ("«", 556), ("¿", 611),
            ("¡", 333), (" ", 278), ("\u{A0}", 278), ("W", 944), ("m", 833), ("’", 222), ("—", 1000),
        ] {
            #expect(f.width(of: text, size: 1000) == units, "\(text)")
        }
        #expect(PDFFont.helveticaBold.width(of: "é", size: 1000) == 556)
        #expect(PDFFont.helveticaBold.width(of: "ç", size: 1000) == 556)
        #expect(PDFFont.helveticaBold.width(of: "i", size: 1000) == 278)
    }

    @Test func replacedCharactersMeasureAsQuestionMark() {
        #expect(PDFFont.helvetica.width(of: "Ł", size: 1000) == PDFFont.helvetica.width(of: "?", size: 1000))
        #expect(PDFFont.helvetica.width(of: "?", size: 1000) == 556)
    }

    @Test func tablesCoverAllCodes() {
        #expect(HelveticaWidths.regular.count == 224)
        #expect(HelveticaWidths.bold.count == 224)
        for code in UInt8(0x20)...0xFF where WinAnsiEncoding.character(for: code) != nil {
            #expect(PDFFont.helvetica.advance(ofCode: code) > 0, "code \(code)")
            #expect(PDFFont.helveticaBold.advance(ofCode: code) > 0, "code \(code)")
        }
    }
}
