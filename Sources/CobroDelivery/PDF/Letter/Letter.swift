/// A printable dunning letter. Every string arrives formatted and in the customer's language (templates,
/// dates and amounts are rendered elsewhere); the PDF code only lays them out.
public struct Letter: Sendable, Hashable {
    public var company: CompanyHeader
    /// The postal address shown through the envelope window, at most ``LetterLayout/maxRecipientLines`` lines.
    public var recipient: [String]
    /// The date line, e.g. `Madrid, 30/06/2024`; first line of the information block.
    public var date: String
    /// More information-block lines under the date, e.g. `Cliente: C-1001`.
    public var references: [String]
    /// Printed in bold above the body, e.g. `Último aviso: facturas vencidas`.
    public var subject: String
    /// Paragraphs before the invoice table (salutation first), wrapped to the text width.
    public var body: [String]
    public var invoiceLabels: InvoiceColumnLabels
    public var invoices: [InvoiceRow]
    /// One bold line per currency under the table, e.g. `Total pendiente EUR` / `1.234,56 EUR`.
    public var totals: [TotalLine]
    /// Paragraphs after the table (how to pay, deadline, contact).
    public var afterTable: [String]
    /// Closing formula, e.g. `Atentamente,`.
    public var closing: [String]
    /// Name and role under the space left for a signature.
    public var signature: [String]
    /// Small print at the foot of every page (registered office, tax id, bank account).
    public var footer: [String]
    public var pageLabel: PageNumberLabel

    public init(
        company: CompanyHeader, recipient: [String], date: String, references: [String] = [], subject: String,
        body: [String], invoiceLabels: InvoiceColumnLabels = .english, invoices: [InvoiceRow] = [],
        totals: [TotalLine] = [], afterTable: [String] = [], closing: [String] = [], signature: [String] = [],
        footer: [String] = [], pageLabel: PageNumberLabel = .english
    ) {
        self.company = company
        self.recipient = recipient
        self.date = date
        self.references = references
        self.subject = subject
        self.body = body
        self.invoiceLabels = invoiceLabels
        self.invoices = invoices
        self.totals = totals
        self.afterTable = afterTable
        self.closing = closing
        self.signature = signature
        self.footer = footer
        self.pageLabel = pageLabel
    }
}
