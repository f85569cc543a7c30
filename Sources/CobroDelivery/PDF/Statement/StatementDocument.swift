/// One movement of an account statement, formatted by the caller; debit or credit is usually empty.
public struct StatementMovement: Sendable, Hashable {
    public var date: String
    public var kind: String
    public var ref: String
    public var description: String
    public var debit: String
    public var credit: String
    public var balance: String

    public init(date: String, kind: String, ref: String, description: String = "", debit: String, credit: String, balance: String) {
        self.date = date
        self.kind = kind
        self.ref = ref
        self.description = description
        self.debit = debit
        self.credit = credit
        self.balance = balance
    }
}

/// The header titles of the movements table, in the statement's language.
public struct StatementColumnLabels: Sendable, Hashable {
    public var date: String
    public var kind: String
    public var ref: String
    public var description: String
    public var debit: String
    public var credit: String
    public var balance: String

    public init(date: String, kind: String, ref: String, description: String, debit: String, credit: String, balance: String) {
        self.date = date
        self.kind = kind
        self.ref = ref
        self.description = description
        self.debit = debit
        self.credit = credit
        self.balance = balance
    }

    public static let english = StatementColumnLabels(
        date: "Date", kind: "Type", ref: "Reference", description: "Description", debit: "Debit", credit: "Credit",
        balance: "Balance")
}

/// A printable account statement; every string arrives formatted and in the customer's language.
public struct StatementDocument: Sendable, Hashable {
    public var company: CompanyHeader
    /// The customer's postal address, shown through the envelope window.
    public var customer: [String]
    /// Information-block lines: statement date, customer number, currency.
    public var references: [String]
    /// The bold title, e.g. `Estado de cuenta`.
    public var title: String
    /// The period, e.g. `Período: 01/01/2024 – 31/03/2024`.
    public var period: String
    /// First row of the movements table, e.g. `Saldo inicial` / `1.000,00 EUR`.
    public var openingBalance: TotalLine
    public var labels: StatementColumnLabels
    public var movements: [StatementMovement]
    /// Last row of the movements table.
    public var closingBalance: TotalLine
    /// Heading of the open-items section, e.g. `Partidas abiertas`; the section is left out when there are no
    /// open items.
    public var openItemsTitle: String
    public var openItemLabels: InvoiceColumnLabels
    public var openItems: [InvoiceRow]
    /// Bold lines under the open items, e.g. `Total pendiente` per currency, `Pagos sin aplicar`.
    public var openItemTotals: [TotalLine]
    /// Paragraphs at the end (payment instructions, contact).
    public var notes: [String]
    public var footer: [String]
    public var pageLabel: PageNumberLabel

    public init(
        company: CompanyHeader, customer: [String], references: [String] = [], title: String, period: String,
        openingBalance: TotalLine, labels: StatementColumnLabels = .english, movements: [StatementMovement],
        closingBalance: TotalLine, openItemsTitle: String = "Open items", openItemLabels: InvoiceColumnLabels = .english,
        openItems: [InvoiceRow] = [], openItemTotals: [TotalLine] = [], notes: [String] = [], footer: [String] = [],
        pageLabel: PageNumberLabel = .english
    ) {
        self.company = company
        self.customer = customer
        self.references = references
        self.title = title
        self.period = period
        self.openingBalance = openingBalance
        self.labels = labels
        self.movements = movements
        self.closingBalance = closingBalance
        self.openItemsTitle = openItemsTitle
        self.openItemLabels = openItemLabels
        self.openItems = openItems
        self.openItemTotals = openItemTotals
        self.notes = notes
        self.footer = footer
        self.pageLabel = pageLabel
    }
}
