import Testing
@testable import CobroDelivery

@Suite("PDF: file structure")
struct PDFStructureTests {
    /// Parses the trailer, the xref table and every object the table points at, without the writer's code.
    func checkStructure(_ pdf: [UInt8], pages: Int) throws {
        #expect(PDFInspection.string(pdf[0..<9]) == "%PDF-1.4\n")
        #expect(PDFInspection.string(pdf[(pdf.count - 6)...]) == "%%EOF\n")

        let startxref = try #require(PDFInspection.findLast("startxref\n", in: pdf))
        let tail = PDFInspection.string(pdf[(startxref + 10)...]).split(separator: "\n")
        let xrefOffset = try #require(Int(tail[0]))
        #expect(PDFInspection.string(pdf[xrefOffset..<(xrefOffset + 5)]) == "xref\n")

        // "0 N" subsection header, then N entries of exactly 20 bytes.
        let headerEnd = try #require(PDFInspection.find("\n", in: pdf, from: xrefOffset + 5))
        let header = PDFInspection.string(pdf[(xrefOffset + 5)..<headerEnd]).split(separator: " ")
        #expect(header.first == "0")
        let count = try #require(Int(header[1]))
        #expect(count == 5 + 2 * pages + 1)
        var entry = headerEnd + 1
        for number in 0..<count {
            let line = PDFInspection.string(pdf[entry..<(entry + 20)])
            #expect(line.hasSuffix(" \n"), "entry \(number) is not 20 bytes")
            let fields = line.split(separator: " ")
            if number == 0 {
                #expect(fields[1] == "65535" && fields[2].hasPrefix("f"))
            } else {
                #expect(fields[0].count == 10 && fields[1] == "00000" && fields[2].hasPrefix("n"))
                let offset = try #require(Int(fields[0]))
                let expected = "\(number) 0 obj"
                #expect(PDFInspection.string(pdf[offset..<(offset + expected.utf8.count)]) == expected, "object \(number)")
                // The byte before an object is the end of the previous line.
                #expect(pdf[offset - 1] == 0x0A)
            }
            entry += 20
        }
        let trailer = PDFInspection.string(pdf[entry..<startxref])
        #expect(trailer.hasPrefix("trailer\n<< /Size \(count) /Root 1 0 R"))
    }

    /// Every stream's /Length equals the bytes between `stream\n` and `\nendstream`.
    func checkStreamLengths(_ pdf: [UInt8]) throws {
        var from = 0
        var streams = 0
        while let length = PDFInspection.find("/Length ", in: pdf, from: from) {
            let end = try #require(PDFInspection.find(" ", in: pdf, from: length + 8))
            let declared = try #require(Int(PDFInspection.string(pdf[(length + 8)..<end])))
            let start = try #require(PDFInspection.find("stream\n", in: pdf, from: end)) + 7
            let stop = try #require(PDFInspection.find("\nendstream", in: pdf, from: start))
            #expect(stop - start == declared)
            streams += 1
            from = stop
        }
        #expect(streams > 0)
    }

    @Test func singlePageLetter() throws {
        let doc = DunningLetter.document(Fixtures.french)
        let pdf = doc.bytes()
        #expect(doc.pages.count == 1)
        try checkStructure(pdf, pages: 1)
        try checkStreamLengths(pdf)
    }

    @Test func multiPageLetter() throws {
        let doc = DunningLetter.document(Fixtures.spanish(invoices: 120))
        #expect(doc.pages.count >= 3)
        let pdf = doc.bytes()
        try checkStructure(pdf, pages: doc.pages.count)
        try checkStreamLengths(pdf)
    }

    @Test func emptyDocumentStillHasOnePage() throws {
        try checkStructure(PDFDocument().bytes(), pages: 1)
    }

    @Test func fontsAreStandardType1WithWinAnsi() {
        let text = PDFInspection.string(DunningLetter.render(Fixtures.portuguese)[...])
        #expect(text.contains("<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>"))
        #expect(text.contains("<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica-Bold /Encoding /WinAnsiEncoding >>"))
        #expect(text.contains("/MediaBox [0 0 595.28 841.89]"))
        #expect(!text.contains("/Filter"))
    }

    @Test func fileIsSevenBitAfterTheBinaryComment() {
        let pdf = DunningLetter.render(Fixtures.spanish(invoices: 3))
        #expect(pdf[15...].allSatisfy { $0 < 0x80 })
    }

    @Test func renderingIsDeterministic() {
        #expect(DunningLetter.render(Fixtures.spanish(invoices: 40)) == DunningLetter.render(Fixtures.spanish(invoices: 40)))
        #expect(StatementPDF.render(Fixtures.statement(movements: 50)) == StatementPDF.render(Fixtures.statement(movements: 50)))
    }

    @Test func nonASCIITitleIsUTF16() {
        let pdf = PDFDocument(pages: [PDFPage()], title: "Último").bytes()
        #expect(PDFInspection.string(pdf[...]).contains("/Title <FEFF00DA006C00740069006D006F>"))
    }
}
