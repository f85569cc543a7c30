import CobroCore

/// The fixed wording of a statement in one language (from templates elsewhere).
public struct StatementWording: Sendable, Hashable {
    public var title: String
    /// `{from}` and `{to}` are replaced by the period's dates, e.g. `Período: {from} – {to}`.
    public var period: String
    public var openingBalance: String
    public var closingBalance: String
    public var invoice: String
    public var debitNote: String
    public var creditNote: String
    public var payment: String
    public var openItemsTitle: String
    public var totalOpen: String
    public var unapplied: String
    public var labels: StatementColumnLabels
    public var openItemLabels: InvoiceColumnLabels
    public var pageLabel: PageNumberLabel

    public init(
        title: String, period: String, openingBalance: String, closingBalance: String, invoice: String,
        debitNote: String, creditNote: String, payment: String, openItemsTitle: String, totalOpen: String,
        unapplied: String, labels: StatementColumnLabels, openItemLabels: InvoiceColumnLabels, pageLabel: PageNumberLabel
    ) {
        self.title = title
        self.period = period
        self.openingBalance = openingBalance
        self.closingBalance = closingBalance
        self.invoice = invoice
        self.debitNote = debitNote
        self.creditNote = creditNote
        self.payment = payment
        self.openItemsTitle = openItemsTitle
        self.totalOpen = totalOpen
        self.unapplied = unapplied
        self.labels = labels
        self.openItemLabels = openItemLabels
        self.pageLabel = pageLabel
    }

    public static let english = StatementWording(
        title: "Account statement", period: "Period: {from} – {to}", openingBalance: "Opening balance",
        closingBalance: "Closing balance", invoice: "Invoice", debitNote: "Debit note", creditNote: "Credit note",
        payment: "Payment", openItemsTitle: "Open items", totalOpen: "Total open", unapplied: "Unapplied payments and credits",
        labels: .english, openItemLabels: .english, pageLabel: .english)

    func kind(_ kind: StatementLine.Kind) -> String {
        switch kind {
        case .invoice: invoice
        case .debitNote: debitNote
        case .creditNote: creditNote
        case .payment: payment
        }
    }
}

extension StatementDocument {
    /// The printable form of a CobroCore ``Statement``: dates and amounts written with `format` (so French
    /// amounts keep their narrow no-break spaces, printed as no-break spaces), empty debit/credit cells for
    /// zero, open items with their days past due (0 while not yet due), and "total open" plus "unapplied"
    /// lines when there are any.
    public init(
        statement: Statement, format: LocalizedFormat, wording: StatementWording = .english, company: CompanyHeader,
        customer: [String], references: [String] = [], notes: [String] = [], footer: [String] = []
    ) {
        let currency = statement.currency
        func money(_ minor: Int64) -> String { format.amount(minor: Int128(minor), currency: currency) }
        func cell(_ minor: Int64) -> String { minor == 0 ? "" : money(minor) }
        let period = wording.period
            .replacing("{from}", with: format.date(statement.from))
            .replacing("{to}", with: format.date(statement.to))
        let movements = statement.lines.map {
            StatementMovement(
                date: format.date($0.date), kind: wording.kind($0.kind), ref: $0.ref, description: $0.description ?? "",
                debit: cell($0.debitMinor), credit: cell($0.creditMinor), balance: money($0.balanceMinor))
        }
        let openItems = statement.openItems.map {
            InvoiceRow(
                ref: $0.ref, issueDate: format.date($0.issueDate), dueDate: format.date($0.dueDate),
                amount: money($0.amountMinor), open: money($0.openMinor), daysPastDue: String(max(0, $0.daysPastDue)))
        }
        var totals: [TotalLine] = []
        if !openItems.isEmpty {
            let open = statement.openItems.reduce(Int128(0)) { $0 + Int128($1.openMinor) }
            totals.append(TotalLine(label: wording.totalOpen, amount: format.amount(minor: open, currency: currency)))
        }
        if statement.unappliedMinor != 0 {
            totals.append(TotalLine(label: wording.unapplied, amount: money(statement.unappliedMinor)))
        }
        self.init(
            company: company, customer: customer, references: references, title: wording.title, period: period,
            openingBalance: TotalLine(label: wording.openingBalance, amount: money(statement.openingMinor)),
            labels: wording.labels, movements: movements,
            closingBalance: TotalLine(label: wording.closingBalance, amount: money(statement.closingMinor)),
            openItemsTitle: wording.openItemsTitle, openItemLabels: wording.openItemLabels, openItems: openItems,
            openItemTotals: totals, notes: notes, footer: footer, pageLabel: wording.pageLabel)
    }
}
