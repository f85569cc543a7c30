/// Any tabular report (the CSV the API gives) as a printable PDF: title and subtitle, then the table with its header
/// repeated on every page, numbers right-aligned, and "Page n of m" at the foot. Portrait A4 for up to six columns,
/// landscape beyond. Column widths follow the longest text of each column (capped), scaled to the page.
public struct ReportPDF: Sendable {
    public var title: String
    /// E.g. "ACME S.A. · as of 2024-07-01".
    public var subtitle: String
    public var header: [String]
    public var rows: [[String]]
    public var pageLabel: PageNumberLabel

    public init(title: String, subtitle: String, header: [String], rows: [[String]], pageLabel: PageNumberLabel = .english) {
        self.title = title
        self.subtitle = subtitle
        self.header = header
        self.rows = rows
        self.pageLabel = pageLabel
    }

    /// A cell counts as a number when it is digits with an optional sign, decimal point and percent sign.
    public static func isNumeric(_ s: String) -> Bool {
        !s.isEmpty && s.contains { $0.isNumber } && s.allSatisfy { $0.isNumber || "+-.,%".contains($0) }
    }

    public func document(author: String? = nil) -> PDFDocument {
        let landscape = header.count > 6
        let size = landscape ? PageSize(width: PageSize.a4.height, height: PageSize.a4.width) : .a4
        let margin = mm(15)
        var flow = PageFlow(size: size, left: margin, right: size.width - margin, top: size.height - margin, bottom: margin + 14, runningHeader: title)
        let (titleY, subtitleY) = (flow.y - 14, flow.y - 30)
        let left = flow.left
        flow.draw { page in
            page.text(title, x: left, y: titleY, font: .helveticaBold, size: 14)
            page.text(subtitle, x: left, y: subtitleY, size: 9)
        }
        flow.y -= 44

        let fontSize = landscape ? 7.5 : 8.5
        let count = max(header.count, rows.map(\.count).max() ?? 0)
        var natural = [Double](repeating: 30, count: count)
        var numeric = [Bool](repeating: true, count: count)
        for (i, h) in header.enumerated() { natural[i] = max(natural[i], PDFFont.helveticaBold.width(of: h, size: fontSize) + 8) }
        for row in rows {
            for (i, cell) in row.enumerated() {
                natural[i] = max(natural[i], min(180, PDFFont.helvetica.width(of: cell, size: fontSize) + 8))
                if !cell.isEmpty && !Self.isNumeric(cell) { numeric[i] = false }
            }
        }
        let scale = flow.width / natural.reduce(0, +)
        let columns = (0..<count).map { i in
            PDFTableColumn(i < header.count ? header[i] : "", width: natural[i] * scale, alignment: numeric[i] ? .right : .left)
        }
        var table = PDFTable(
            columns: columns,
            rows: rows.map { r in PDFTableRow(r.map { PDFTableCell($0) }, bold: r.first == "TOTAL", ruleAbove: r.first == "TOTAL") })
        table.fontSize = fontSize
        table.draw(into: &flow)

        var pages = flow.pages
        let label = pageLabel
        let (footY, right) = (margin, flow.right)
        for i in pages.indices {
            pages[i].text(label.text(page: i + 1, of: pages.count), x: right, y: footY, size: 7.5, alignment: .right)
        }
        return PDFDocument(pages: pages, title: title, author: author)
    }
}
