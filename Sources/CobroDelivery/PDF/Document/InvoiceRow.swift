/// One open invoice as a letter or statement lists it; every field is already formatted by the caller
/// (dates and amounts in the customer's language, see `LocalizedFormat` in CobroCore).
public struct InvoiceRow: Sendable, Hashable {
    public var ref: String
    public var issueDate: String
    public var dueDate: String
    public var amount: String
    public var open: String
    public var daysPastDue: String

    public init(ref: String, issueDate: String, dueDate: String, amount: String, open: String, daysPastDue: String) {
        self.ref = ref
        self.issueDate = issueDate
        self.dueDate = dueDate
        self.amount = amount
        self.open = open
        self.daysPastDue = daysPastDue
    }
}

/// The header titles of the invoice table, in the letter's language (they come from templates).
public struct InvoiceColumnLabels: Sendable, Hashable {
    public var ref: String
    public var issueDate: String
    public var dueDate: String
    public var amount: String
    public var open: String
    public var daysPastDue: String

    public init(ref: String, issueDate: String, dueDate: String, amount: String, open: String, daysPastDue: String) {
        self.ref = ref
        self.issueDate = issueDate
        self.dueDate = dueDate
        self.amount = amount
        self.open = open
        self.daysPastDue = daysPastDue
    }

    public static let english = InvoiceColumnLabels(
        ref: "Invoice", issueDate: "Issue date", dueDate: "Due date", amount: "Amount", open: "Open",
        daysPastDue: "Days past due")
}

/// A labelled amount printed in bold under a table: one per currency for totals, or an opening/closing
/// balance. Both strings are formatted by the caller.
public struct TotalLine: Sendable, Hashable {
    public var label: String
    public var amount: String

    public init(label: String, amount: String) {
        self.label = label
        self.amount = amount
    }
}

extension InvoiceRow {
    /// The invoice table for a text area `width` points wide: reference, issue and due dates, amount and open
    /// amount right-aligned, days past due right-aligned; then one bold row per total, its amount under
    /// "open".
    static func table(_ rows: [InvoiceRow], labels: InvoiceColumnLabels, totals: [TotalLine], width: Double) -> PDFTable {
        let fractions = [0.18, 0.13, 0.14, 0.19, 0.19, 0.17]
        let w = fractions.map { $0 * width }
        let columns = [
            PDFTableColumn(labels.ref, width: w[0]),
            PDFTableColumn(labels.issueDate, width: w[1]),
            PDFTableColumn(labels.dueDate, width: w[2]),
            PDFTableColumn(labels.amount, width: w[3], alignment: .right),
            PDFTableColumn(labels.open, width: w[4], alignment: .right),
            PDFTableColumn(labels.daysPastDue, width: w[5], alignment: .right),
        ]
        var body = rows.map { PDFTableRow(texts: [$0.ref, $0.issueDate, $0.dueDate, $0.amount, $0.open, $0.daysPastDue]) }
        for (i, total) in totals.enumerated() {
            body.append(PDFTableRow([PDFTableCell(total.label, span: 4), PDFTableCell(total.amount)], bold: true, ruleAbove: i == 0))
        }
        return PDFTable(columns: columns, rows: body)
    }
}
