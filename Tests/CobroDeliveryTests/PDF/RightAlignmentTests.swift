import Testing
@testable import CobroDelivery

/// Helvetica advance widths (1/1000 em) copied by hand from Adobe's Helvetica.afm, for the characters amounts
/// use, so the alignment is checked against numbers the writer's own tables did not produce.
private let afm: [Character: Double] = [
    "0": 556, "1": 556, "2": 556, "3": 556, "4": 556, "5": 556, "6": 556, "7": 556, "8": 556, "9": 556, ",": 278,
    ".": 278, " ": 278, "\u{A0}": 278, "€": 556, "E": 667, "U": 722, "R": 722, "S": 667, "D": 722, "-": 333,
]

private func independentWidth(_ text: String, size: Double) -> Double {
    text.reduce(0) { $0 + (afm[$1] ?? .nan) } * size / 1000
}

@Suite("PDF: right alignment")
struct RightAlignmentTests {
    @Test func independentTableAgreesWithWriter() {
        for s in ["1.234,56 €", "5,00 €", "USD 98,00", "-12,00 EUR"] {
            #expect(abs(independentWidth(s, size: 10) - PDFFont.helvetica.width(of: s, size: 10)) < 1e-9, "\(s)")
        }
        #expect(independentWidth("1.234,56 €", size: 10) == 47.26)
    }

    @Test func twoAmountsEndAtTheSameX() {
        var page = PDFPage()
        page.text("1.234,56 €", x: 500, y: 700, size: 10, alignment: .right)
        page.text("5,00 €", x: 500, y: 686, size: 10, alignment: .right)
        let runs = PDFInspection.textRuns(page.content)
        #expect(runs.count == 2)
        #expect(runs.map(\.text) == ["1.234,56 €", "5,00 €"])
        // 1.234,56 € = six digits, three of , . space, one € = 4726/1000 em → 47.26 pt at 10 pt.
        #expect(runs[0].x == 452.74)
        #expect(abs(runs[1].x - (500 - independentWidth("5,00 €", size: 10))) < 1e-9)
        for run in runs { #expect(abs(run.x + independentWidth(run.text, size: run.size) - 500) < 0.006) }
    }

    @Test func centeredText() {
        var page = PDFPage()
        page.text("1,00", x: 100, y: 100, size: 10, alignment: .center)
        let run = PDFInspection.textRuns(page.content)[0]
        #expect(abs(run.x - (100 - independentWidth("1,00", size: 10) / 2)) < 0.006)
    }

    @Test func letterAmountColumnsShareTheirRightEdge() {
        let doc = DunningLetter.document(Fixtures.french)
        let runs = PDFInspection.textRuns(doc.pages[0].content)
        let long = runs.filter { $0.text == "1\u{A0}234,56 EUR" }
        let short = runs.filter { $0.text == "5,00 EUR" }
        #expect(long.count == 2 && short.count == 2)  // amount and open columns
        let longEdges = long.map { $0.x + independentWidth($0.text, size: $0.size) }.sorted()
        let shortEdges = short.map { $0.x + independentWidth($0.text, size: $0.size) }.sorted()
        #expect(longEdges.count == 2 && zip(longEdges, shortEdges).allSatisfy { abs($0 - $1) <= 0.01 })
        #expect(longEdges[0] < longEdges[1])
    }

    @Test(.enabled(if: Poppler.isAvailable, Poppler.skipMessage))
    func popplerMeasuresTheSameRightEdge() throws {
        var page = PDFPage()
        page.text("1.234,56", x: 400, y: 700, size: 10, alignment: .right)
        page.text("5,00", x: 400, y: 680, size: 10, alignment: .right)
        page.text("999.999.999,99", x: 400, y: 660, font: .helveticaBold, size: 12, alignment: .right)
        let words = try Poppler.words(PDFDocument(pages: [page]).bytes())
        let edges = ["1.234,56", "5,00", "999.999.999,99"].map { text in words.first { $0.text == text }?.xMax }
        #expect(edges.allSatisfy { $0 != nil })
        for edge in edges { #expect(abs((edge ?? 0) - 400) < 0.05, "xMax \(String(describing: edge))") }
    }
}
