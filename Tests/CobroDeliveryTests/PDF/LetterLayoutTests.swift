import Testing
@testable import CobroDelivery

/// Layout checks read from the content streams (no poppler needed).
@Suite("PDF: letter layout")
struct LetterLayoutTests {
    @Test func recipientStartsInTheWindowAndKeepsAtMostSixLines() {
        var letter = Fixtures.french
        letter.recipient = (1...8).map { "Line \($0)" }
        let runs = PDFInspection.textRuns(DunningLetter.document(letter).pages[0].content)
        let lines = runs.filter { $0.text.hasPrefix("Line ") }
        #expect(lines.map(\.text) == (1...6).map { "Line \($0)" })
        let page = PageSize.a4
        for run in lines {
            #expect(abs(run.x - PageSize.points(millimetres: 25)) < 0.01)
            // Baselines inside the recipient zone: 62.7 … 90 mm from the top.
            let fromTop = (page.height - run.y) / PageSize.points(millimetres: 1)
            #expect(fromTop > 62.7 && fromTop < 90, "\(run.text) at \(fromTop) mm")
        }
    }

    @Test func returnAddressIsSmallAboveTheRecipient() throws {
        let runs = PDFInspection.textRuns(DunningLetter.document(Fixtures.portuguese).pages[0].content)
        let line = try #require(runs.first { $0.text == "Cobranças Lusitânia, Lda. · Rua Augusta 100 · 1100-053 Lisboa" })
        #expect(line.size == 7)
        let fromTop = (PageSize.a4.height - line.y) / PageSize.points(millimetres: 1)
        #expect(fromTop > 45 && fromTop < 62.7)
    }

    @Test func longBodyFlowsOntoMorePages() {
        var letter = Fixtures.portuguese
        letter.body = (1...80).map { "Parágrafo \($0): as faturas abaixo ainda não foram pagas e solicitamos a sua regularização." }
        let doc = DunningLetter.document(letter)
        #expect(doc.pages.count >= 3)
        let texts = doc.pages.flatMap { PDFInspection.textRuns($0.content).map(\.text) }
        for i in 1...80 { #expect(texts.contains { $0.hasPrefix("Parágrafo \(i):") }, "paragraph \(i)") }
        // Nothing is drawn below the footer rule's margin except the footer itself.
        for page in doc.pages {
            let body = PDFInspection.textRuns(page.content).filter { $0.text.hasPrefix("Parágrafo") || $0.text.hasPrefix("regularização") }
            for run in body { #expect(run.y > PageSize.points(millimetres: 20)) }
        }
    }

    @Test func tableHeaderIsRepeatedOnEveryTablePage() {
        let doc = DunningLetter.document(Fixtures.spanish(invoices: 120))
        var rows = 0
        for page in doc.pages {
            let runs = PDFInspection.textRuns(page.content)
            let pageRows = runs.filter { $0.text.hasPrefix("FAC-2024-") }.count
            rows += pageRows
            if pageRows > 0 {
                let header = runs.filter { $0.font == "F2" && ["Factura", "Emisión", "Vencimiento", "Importe", "Pendiente", "Días de atraso"].contains($0.text) }
                #expect(header.count == 6)
            }
        }
        #expect(rows == 120)
    }

    @Test func pageNumbersOnEveryPage() {
        let doc = StatementPDF.document(Fixtures.statement(movements: 200))
        #expect(doc.pages.count > 3)
        for (i, page) in doc.pages.enumerated() {
            let label = "Página \(i + 1) de \(doc.pages.count)"
            let run = PDFInspection.textRuns(page.content).first { $0.text == label }
            #expect(run != nil, "\(label)")
            if let run {
                // Right-aligned at the right margin (20 mm).
                let end = run.x + PDFFont.helvetica.width(of: label, size: run.size)
                #expect(abs(end - (PageSize.a4.width - PageSize.points(millimetres: 20))) < 0.01)
            }
        }
    }
}
