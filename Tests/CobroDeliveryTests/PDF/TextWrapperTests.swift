import Testing
@testable import CobroDelivery

@Suite("PDF: word wrapping")
struct TextWrapperTests {
    let text = "Según nuestros registros, las facturas siguientes siguen pendientes de pago desde hace más de treinta días."

    @Test func linesFitAndKeepEveryWord() {
        for width in [60.0, 120, 200, 400] {
            let lines = TextWrapper.wrap(text, font: .helvetica, size: 10, width: width)
            for line in lines { #expect(PDFFont.helvetica.width(of: line, size: 10) <= width, "\(line)") }
            #expect(lines.joined(separator: " ").split(separator: " ") == text.split(separator: " "))
        }
    }

    @Test func greedyBreaksAsLateAsPossible() {
        let lines = TextWrapper.wrap(text, font: .helvetica, size: 10, width: 200)
        #expect(lines.count > 1)
        for (line, next) in zip(lines, lines.dropFirst()) {
            let firstWord = String(next.split(separator: " ")[0])
            #expect(PDFFont.helvetica.width(of: line + " " + firstWord, size: 10) > 200)
        }
    }

    @Test func hardBreaksAndEmptyLines() {
        #expect(TextWrapper.wrap("a\n\nb", font: .helvetica, size: 10, width: 100) == ["a", "", "b"])
        #expect(TextWrapper.wrap("", font: .helvetica, size: 10, width: 100) == [])
    }

    @Test func overlongWordIsCut() {
        let lines = TextWrapper.wrap("ES9121000418450200051332", font: .helvetica, size: 10, width: 50)
        #expect(lines.count > 1)
        #expect(lines.joined() == "ES9121000418450200051332")
        for line in lines { #expect(PDFFont.helvetica.width(of: line, size: 10) <= 50) }
    }

    @Test func noBreakSpacesDoNotBreak() {
        let lines = TextWrapper.wrap("Total 1\u{202F}234\u{202F}567,89 EUR", font: .helvetica, size: 10, width: 70)
        #expect(lines.contains("1\u{202F}234\u{202F}567,89"))
    }

    @Test func truncateAddsEllipsis() {
        let t = TextWrapper.truncate(text, font: .helvetica, size: 10, width: 80)
        #expect(t.hasSuffix("…"))
        #expect(PDFFont.helvetica.width(of: t, size: 10) <= 80)
        #expect(TextWrapper.truncate("short", font: .helvetica, size: 10, width: 80) == "short")
    }
}
