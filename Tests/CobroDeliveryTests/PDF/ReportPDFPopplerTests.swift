import Foundation
import Testing
@testable import CobroDelivery

/// Scheduled reports and the report pages' "Download PDF": any CSV table as a PDF, read back with poppler.
@Suite("PDF: report tables read back with poppler", .enabled(if: Poppler.isAvailable, Poppler.skipMessage))
struct ReportPDFPopplerTests {
    static let header = ["customer_ref", "currency", "current", "d1_30", "total"]

    static func rows(_ n: Int) -> [[String]] {
        (1...n).map { ["C-\($0)", "USD", "\($0).00", "-\($0).50", "\($0 * 2).00"] } + [["TOTAL", "USD", "1.00", "2.00", "3.00"]]
    }

    @Test("every row is there, the header is repeated on each page, pages are numbered, numbers are right-aligned")
    func longTable() throws {
        let pdf = ReportPDF(title: "Aging", subtitle: "ACME S.A. · as_of=2024-06-30 · 2024-07-01", header: Self.header, rows: Self.rows(150)).document().bytes()
        let info = try Poppler.info(pdf)
        #expect(info.pages >= 3)
        #expect(info.pageSize.hasPrefix("595.28 x 841.89 pts"), "portrait A4 for five columns: \(info.pageSize)")
        let text = try Poppler.text(pdf)
        #expect(text.contains("Aging") && text.contains("ACME S.A. · as_of=2024-06-30 · 2024-07-01"))
        for i in [1, 75, 150] { #expect(text.contains("C-\(i)"), "row \(i)") }
        #expect(text.contains("TOTAL"))
        #expect(text.components(separatedBy: "customer_ref").count - 1 == info.pages, "one header per page")
        #expect(text.contains("Page 1 of \(info.pages)") && text.contains("Page \(info.pages) of \(info.pages)"))
        #expect(ReportPDF.isNumeric("-1.50") && ReportPDF.isNumeric("55.45%") && !ReportPDF.isNumeric("C-1") && !ReportPDF.isNumeric("-"))
    }

    @Test("more than six columns go landscape; the page label is translatable")
    func wideTable() throws {
        let header = ["customer_ref", "currency", "current", "d1_30", "d31_60", "d61_90", "d91_plus", "unapplied", "total"]
        let pdf = ReportPDF(
            title: "Antigüedad", subtitle: "ACME", header: header, rows: [["K1", "USD", "1", "2", "3", "4", "5", "0", "15"]],
            pageLabel: PageNumberLabel("Página {page} de {pages}")
        ).document().bytes()
        let info = try Poppler.info(pdf)
        #expect(info.pageSize.hasPrefix("841.89 x 595.28 pts"), "\(info.pageSize)")
        let text = try Poppler.text(pdf)
        #expect(text.contains("Antigüedad") && text.contains("Página 1 de 1") && text.contains("d91_plus"))
    }
}
