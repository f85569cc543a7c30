/// A PDF 1.4 file: pages drawn with ``PDFPage`` and the document information, serialised to bytes with
/// ``bytes()``. Pure: no file system, no clock (so no creation date), the same input gives the same bytes.
public struct PDFDocument: Sendable, Equatable {
    public var pages: [PDFPage]
    /// `/Title` in the document information dictionary, shown by viewers in the window title.
    public var title: String?
    /// `/Author`, e.g. the creditor company.
    public var author: String?

    public init(pages: [PDFPage] = [], title: String? = nil, author: String? = nil) {
        self.pages = pages
        self.title = title
        self.author = author
    }

    /// Object numbers: 1 catalog, 2 page tree, 3 Helvetica, 4 Helvetica-Bold, 5 document information, then each
    /// page's page object and content stream (6 and 7 for the first page, 8 and 9 for the second, …).
    public func bytes() -> [UInt8] {
        var w = PDFFileWriter()
        let pageCount = max(pages.count, 1)
        let pages = self.pages.isEmpty ? [PDFPage()] : self.pages  // a PDF needs at least one page
        let firstPage = 6
        let kids = (0..<pageCount).map { "\(firstPage + 2 * $0) 0 R" }.joined(separator: " ")

        w.object(1, "<< /Type /Catalog /Pages 2 0 R >>")
        w.object(2, "<< /Type /Pages /Kids [\(kids)] /Count \(pageCount) >>")
        for (number, font) in [(3, PDFFont.helvetica), (4, PDFFont.helveticaBold)] {
            w.object(number, "<< /Type /Font /Subtype /Type1 /BaseFont /\(font.baseFont) /Encoding /WinAnsiEncoding >>")
        }
        var info: [UInt8] = Array("<< /Producer ".utf8) + PDFSyntax.literalString("Cobro")
        if let title { info += Array(" /Title ".utf8) + PDFFileWriter.textString(title) }
        if let author { info += Array(" /Author ".utf8) + PDFFileWriter.textString(author) }
        info += Array(" >>".utf8)
        w.object(5, info)

        let fonts = "/Font << /\(PDFFont.helvetica.resourceName) 3 0 R /\(PDFFont.helveticaBold.resourceName) 4 0 R >>"
        for (i, page) in pages.enumerated() {
            let pageObject = firstPage + 2 * i
            let box = "[0 0 \(PDFSyntax.number(page.size.width)) \(PDFSyntax.number(page.size.height))]"
            w.object(
                pageObject,
                "<< /Type /Page /Parent 2 0 R /MediaBox \(box) /Resources << \(fonts) >> /Contents \(pageObject + 1) 0 R >>")
            w.stream(pageObject + 1, page.content)
        }
        return w.finish(root: 1, info: 5)
    }
}
