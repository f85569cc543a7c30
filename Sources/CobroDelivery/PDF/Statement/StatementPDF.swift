/// Renders a ``StatementDocument`` as an A4 PDF with the same letterhead, window address and footer as the
/// dunning letters; the movements table breaks across as many pages as it needs, its header repeated.
public enum StatementPDF {
    /// The statement as PDF bytes.
    public static func render(_ statement: StatementDocument) -> [UInt8] {
        document(statement).bytes()
    }

    /// The statement as a ``PDFDocument``.
    public static func document(_ s: StatementDocument) -> PDFDocument {
        let chrome = DocumentChrome(
            company: s.company, recipient: s.customer, infoLines: s.references, footer: s.footer, pageLabel: s.pageLabel)
        var flow = chrome.startFlow(runningHeader: "\(s.company.name) · \(s.title) · \(s.period)")

        flow.paragraph(s.title, font: .helveticaBold, size: 13, leading: 16)
        flow.paragraph(s.period, size: LetterLayout.bodySize, leading: LetterLayout.bodyLeading)
        flow.skip(8)
        movementsTable(s, width: flow.width).draw(into: &flow)

        if !s.openItems.isEmpty || !s.openItemTotals.isEmpty {
            flow.skip(16)
            flow.ensure(16 + 40)  // the heading stays with the table's header and first row
            flow.paragraph(s.openItemsTitle, font: .helveticaBold, size: 11, leading: 16)
            InvoiceRow.table(s.openItems, labels: s.openItemLabels, totals: s.openItemTotals, width: flow.width)
                .draw(into: &flow)
        }
        if !s.notes.isEmpty {
            flow.skip(12)
            for note in s.notes {
                flow.paragraph(note, size: LetterLayout.bodySize, leading: LetterLayout.bodyLeading)
                flow.skip(5)
            }
        }
        chrome.finish(&flow)
        return PDFDocument(pages: flow.pages, title: "\(s.title) · \(s.period)", author: s.company.name)
    }

    /// Date, type, reference, description (wraps), debit, credit, balance (right-aligned); the opening balance
    /// first and the closing balance last, bold.
    static func movementsTable(_ s: StatementDocument, width: Double) -> PDFTable {
        let fractions = [0.10, 0.09, 0.11, 0.24, 0.15, 0.15, 0.16]
        let w = fractions.map { $0 * width }
        let l = s.labels
        let columns = [
            PDFTableColumn(l.date, width: w[0]),
            PDFTableColumn(l.kind, width: w[1]),
            PDFTableColumn(l.ref, width: w[2]),
            PDFTableColumn(l.description, width: w[3]),
            PDFTableColumn(l.debit, width: w[4], alignment: .right),
            PDFTableColumn(l.credit, width: w[5], alignment: .right),
            PDFTableColumn(l.balance, width: w[6], alignment: .right),
        ]
        var rows = [PDFTableRow([PDFTableCell(s.openingBalance.label, span: 6), PDFTableCell(s.openingBalance.amount)], bold: true)]
        for m in s.movements {
            rows.append(PDFTableRow(texts: [m.date, m.kind, m.ref, m.description, m.debit, m.credit, m.balance]))
        }
        rows.append(
            PDFTableRow([PDFTableCell(s.closingBalance.label, span: 6), PDFTableCell(s.closingBalance.amount)], bold: true, ruleAbove: true))
        var table = PDFTable(columns: columns, rows: rows)
        table.fontSize = 8
        return table
    }
}
