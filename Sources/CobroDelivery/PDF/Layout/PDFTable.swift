/// A column of a ``PDFTable``: its header title, width in points and how its cells align (amounts right).
public struct PDFTableColumn: Sendable, Hashable {
    public var title: String
    public var width: Double
    public var alignment: PDFTextAlignment

    public init(_ title: String, width: Double, alignment: PDFTextAlignment = .left) {
        self.title = title
        self.width = width
        self.alignment = alignment
    }
}

/// One cell: text that may span several columns and may override the column's alignment.
public struct PDFTableCell: Sendable, Hashable, ExpressibleByStringLiteral {
    public var text: String
    public var span: Int
    public var alignment: PDFTextAlignment?

    public init(_ text: String, span: Int = 1, alignment: PDFTextAlignment? = nil) {
        self.text = text
        self.span = max(1, span)
        self.alignment = alignment
    }

    public init(stringLiteral value: String) { self.init(value) }
}

/// One row: its cells (fewer than the columns leave the rest empty), bold or not, with a rule above or not
/// (totals).
public struct PDFTableRow: Sendable, Hashable {
    public var cells: [PDFTableCell]
    public var bold: Bool
    public var ruleAbove: Bool

    public init(_ cells: [PDFTableCell], bold: Bool = false, ruleAbove: Bool = false) {
        self.cells = cells
        self.bold = bold
        self.ruleAbove = ruleAbove
    }

    /// A plain row of one-column cells.
    public init(texts: [String]) {
        self.init(texts.map { PDFTableCell($0) })
    }
}

/// A table drawn into a ``PageFlow``: a bold header on a grey band, then rows whose cells wrap within their
/// column; a row that does not fit starts a new page, where the header is drawn again. Rows never split.
public struct PDFTable: Sendable, Hashable {
    public var columns: [PDFTableColumn]
    public var rows: [PDFTableRow]
    public var fontSize: Double = 8.5
    /// Space between a cell's text and the column's edges.
    public var horizontalPadding: Double = 3
    public var verticalPadding: Double = 2
    /// Alternate rows get a light grey band, which keeps long statements readable.
    public var zebra: Bool = true

    public init(columns: [PDFTableColumn], rows: [PDFTableRow]) {
        self.columns = columns
        self.rows = rows
    }

    public var width: Double { columns.reduce(0) { $0 + $1.width } }
    var leading: Double { fontSize * 1.2 }

    /// A cell laid out: where its column span starts and ends, its alignment and its wrapped lines.
    struct PlacedCell {
        var x0: Double
        var x1: Double
        var alignment: PDFTextAlignment
        var lines: [String]
    }

    /// The cells of `row` placed at `x`, with the row's height.
    func layout(_ cells: [PDFTableCell], bold: Bool, x: Double) -> (cells: [PlacedCell], height: Double) {
        let font: PDFFont = bold ? .helveticaBold : .helvetica
        var placed: [PlacedCell] = []
        var column = 0
        var left = x
        for cell in cells where column < columns.count {
            let last = min(columns.count, column + cell.span)
            let width = columns[column..<last].reduce(0) { $0 + $1.width }
            let alignment = cell.alignment ?? columns[column].alignment
            let lines = TextWrapper.wrap(cell.text, font: font, size: fontSize, width: width - 2 * horizontalPadding)
            placed.append(PlacedCell(x0: left, x1: left + width, alignment: alignment, lines: lines))
            left += width
            column = last
        }
        let lineCount = max(1, placed.map(\.lines.count).max() ?? 1)
        return (placed, Double(lineCount) * leading + 2 * verticalPadding)
    }

    /// Draws the table at the flow's cursor, from `x` (default: the flow's left edge), and moves the cursor
    /// below it.
    public func draw(into flow: inout PageFlow, x: Double? = nil) {
        let x = x ?? flow.left
        let header = layout(columns.map { PDFTableCell($0.title) }, bold: true, x: x)
        let firstRow = rows.first.map { layout($0.cells, bold: $0.bold, x: x).height } ?? 0
        flow.ensure(header.height + firstRow)  // never leave a header alone at the bottom of a page
        drawRow(header.cells, height: header.height, bold: true, fill: 0.88, into: &flow, x: x)
        var stripe = false
        for row in rows {
            let placed = layout(row.cells, bold: row.bold, x: x)
            if flow.ensure(placed.height) {
                drawRow(header.cells, height: header.height, bold: true, fill: 0.88, into: &flow, x: x)
                stripe = false
            }
            if row.ruleAbove {
                let y = flow.y
                flow.draw { $0.line(x1: x, y1: y, x2: x + width, y2: y, width: 0.6) }
            }
            drawRow(placed.cells, height: placed.height, bold: row.bold, fill: zebra && stripe && !row.bold ? 0.96 : nil, into: &flow, x: x)
            stripe.toggle()
        }
        let y = flow.y
        flow.draw { $0.line(x1: x, y1: y, x2: x + width, y2: y, width: 0.6) }
    }

    private func drawRow(_ cells: [PlacedCell], height: Double, bold: Bool, fill: Double?, into flow: inout PageFlow, x: Double) {
        let top = flow.y
        let font: PDFFont = bold ? .helveticaBold : .helvetica
        let size = fontSize
        let (pad, vpad, leading, width) = (horizontalPadding, verticalPadding, leading, width)
        flow.draw { page in
            if let fill { page.rectangle(x: x, y: top - height, width: width, height: height, fillGray: fill) }
            for cell in cells {
                for (i, line) in cell.lines.enumerated() {
                    let baseline = top - vpad - Double(i) * leading - size * 0.86
                    switch cell.alignment {
                    case .left: page.text(line, x: cell.x0 + pad, y: baseline, font: font, size: size)
                    case .right: page.text(line, x: cell.x1 - pad, y: baseline, font: font, size: size, alignment: .right)
                    case .center:
                        page.text(line, x: (cell.x0 + cell.x1) / 2, y: baseline, font: font, size: size, alignment: .center)
                    }
                }
            }
        }
        flow.y = top - height
    }
}
