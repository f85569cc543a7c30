import Testing
@testable import CobroDelivery

@Suite("PDF: syntax")
struct PDFSyntaxTests {
    @Test(arguments: [
        (595.28, "595.28"), (841.89, "841.89"), (12.5, "12.5"), (3, "3"), (0, "0"), (-1.25, "-1.25"), (0.05, "0.05"),
        (0.1, "0.1"), (-0.004, "0"), (70.866, "70.87"), (1e6, "1000000"),
    ])
    func numbers(value: Double, text: String) {
        #expect(PDFSyntax.number(value) == text)
    }

    @Test func literalStringsEscapeParenthesesAndBackslash() {
        #expect(String(decoding: PDFSyntax.literalString("a(b)c\\d"), as: UTF8.self) == "(a\\(b\\)c\\\\d)")
        #expect(String(decoding: PDFSyntax.literalString(")("), as: UTF8.self) == "(\\)\\()")
    }

    @Test func nonASCIIBytesAreOctal() {
        #expect(String(decoding: PDFSyntax.literalString("é€"), as: UTF8.self) == "(\\351\\200)")
        #expect(String(decoding: PDFSyntax.literalString([0x00, 0xFF]), as: UTF8.self) == "(\\000\\377)")
    }

    @Test func pageNumberLabel() {
        #expect(PageNumberLabel.english.text(page: 2, of: 3) == "Page 2 of 3")
        #expect(PageNumberLabel("Página {page} de {pages}").text(page: 12, of: 14) == "Página 12 de 14")
    }

    @Test func millimetres() {
        #expect(abs(mm(210) - 595.2756) < 0.001)
        #expect(abs(mm(297) - 841.8898) < 0.001)
        #expect(abs(PageSize.a4.y(fromTopMillimetres: 45) - (841.89 - 127.559)) < 0.001)
    }
}
