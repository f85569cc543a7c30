/// One line of a customer account statement.
public struct StatementLine: Sendable, Equatable {
    public enum Kind: String, Sendable, Codable { case invoice, debitNote = "debit_note", creditNote = "credit_note", payment }
    public var date: LocalDate
    public var kind: Kind
    public var ref: String
    public var description: String?
    /// Amount that increases the balance (invoices, debit notes).
    public var debitMinor: Int64
    /// Amount that decreases the balance (payments, credit notes).
    public var creditMinor: Int64
    public var balanceMinor: Int64

    public init(date: LocalDate, kind: Kind, ref: String, description: String? = nil, debitMinor: Int64, creditMinor: Int64, balanceMinor: Int64 = 0) {
        self.date = date
        self.kind = kind
        self.ref = ref
        self.description = description
        self.debitMinor = debitMinor
        self.creditMinor = creditMinor
        self.balanceMinor = balanceMinor
    }
}

/// An item still open at the statement's end date.
public struct StatementOpenItem: Sendable, Equatable {
    public var ref: String
    public var kind: DocumentKind
    public var issueDate: LocalDate
    public var dueDate: LocalDate
    public var amountMinor: Int64
    public var openMinor: Int64
    public var daysPastDue: Int

    public init(ref: String, kind: DocumentKind, issueDate: LocalDate, dueDate: LocalDate, amountMinor: Int64, openMinor: Int64, daysPastDue: Int) {
        self.ref = ref
        self.kind = kind
        self.issueDate = issueDate
        self.dueDate = dueDate
        self.amountMinor = amountMinor
        self.openMinor = openMinor
        self.daysPastDue = daysPastDue
    }
}

/// A customer account statement (estado de cuenta) in one currency for the period `from…to` (inclusive).
public struct Statement: Sendable, Equatable {
    public var customerRef: String
    public var currency: Currency
    public var from: LocalDate
    public var to: LocalDate
    public var openingMinor: Int64
    public var lines: [StatementLine]
    public var closingMinor: Int64
    public var openItems: [StatementOpenItem]
    /// Payments and credit notes not yet applied at `to`.
    public var unappliedMinor: Int64

    /// Builds the statement from the opening balance and the period's movements.
    ///
    /// Movements are ordered by date; on the same date documents that increase the balance come first, then
    /// credit notes, then payments, each by ref, so the running balance reads naturally.
    public static func build(
        customerRef: String, currency: Currency, from: LocalDate, to: LocalDate, openingMinor: Int64,
        movements: [StatementLine], openItems: [StatementOpenItem], unappliedMinor: Int64
    ) -> Statement {
        func rank(_ k: StatementLine.Kind) -> Int {
            switch k {
            case .invoice, .debitNote: return 0
            case .creditNote: return 1
            case .payment: return 2
            }
        }
        var balance = openingMinor
        var lines = movements.filter { $0.date >= from && $0.date <= to }
            .sorted { ($0.date, rank($0.kind), $0.ref) < ($1.date, rank($1.kind), $1.ref) }
        for i in lines.indices {
            balance += lines[i].debitMinor - lines[i].creditMinor
            lines[i].balanceMinor = balance
        }
        let open = openItems.filter { $0.openMinor > 0 }.sorted { ($0.dueDate, $0.ref) < ($1.dueDate, $1.ref) }
        return Statement(
            customerRef: customerRef, currency: currency, from: from, to: to, openingMinor: openingMinor,
            lines: lines, closingMinor: balance, openItems: open, unappliedMinor: unappliedMinor)
    }
}
