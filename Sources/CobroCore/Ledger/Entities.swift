/// The kinds of receivable documents. Invoices and debit notes are *open items* (the customer owes them);
/// credit notes are *credits* that are allocated to open items like payments are.
public enum DocumentKind: String, Sendable, Codable, CaseIterable {
    case invoice
    case creditNote = "credit_note"
    case debitNote = "debit_note"

    /// +1 for documents that increase what the customer owes, −1 for credit notes.
    public var sign: Int64 { self == .creditNote ? -1 : 1 }
    public var isOpenItem: Bool { self != .creditNote }
}

public enum BillingChannel: String, Sendable, Codable, CaseIterable {
    case paper, electronic, portal
}

/// A customer (debtor) of a company, keyed by the ERP's `customer_ref`.
public struct Customer: Sendable, Equatable, Codable {
    public var ref: String
    public var name: String
    public var email: String?
    public var phone: String?
    public var language: String?
    public var timezone: String?
    public var country: String?
    public var segment: String?
    public var strategic: Bool
    public var creditLimitMinor: Int64?
    public var currency: Currency?

    public init(
        ref: String, name: String, email: String? = nil, phone: String? = nil, language: String? = nil,
        timezone: String? = nil, country: String? = nil, segment: String? = nil, strategic: Bool = false,
        creditLimitMinor: Int64? = nil, currency: Currency? = nil
    ) {
        self.ref = ref
        self.name = name
        self.email = email
        self.phone = phone
        self.language = language
        self.timezone = timezone
        self.country = country
        self.segment = segment
        self.strategic = strategic
        self.creditLimitMinor = creditLimitMinor
        self.currency = currency
    }
}

/// An invoice, debit note or credit note as imported or created. Its open balance is derived from allocations.
public struct Document: Sendable, Equatable {
    public var ref: String
    public var customerRef: String
    public var kind: DocumentKind
    public var issueDate: LocalDate
    public var dueDate: LocalDate
    public var currency: Currency
    /// Positive amount in minor units (the kind says which way it counts).
    public var amountMinor: Int64
    public var description: String?
    public var terms: String?
    public var poNumber: String?
    public var billingChannel: BillingChannel?
    public var disputed: Bool

    public init(
        ref: String, customerRef: String, kind: DocumentKind = .invoice, issueDate: LocalDate, dueDate: LocalDate,
        currency: Currency, amountMinor: Int64, description: String? = nil, terms: String? = nil,
        poNumber: String? = nil, billingChannel: BillingChannel? = nil, disputed: Bool = false
    ) {
        self.ref = ref
        self.customerRef = customerRef
        self.kind = kind
        self.issueDate = issueDate
        self.dueDate = dueDate
        self.currency = currency
        self.amountMinor = amountMinor
        self.description = description
        self.terms = terms
        self.poNumber = poNumber
        self.billingChannel = billingChannel
        self.disputed = disputed
    }
}

/// A payment received from a customer.
public struct Payment: Sendable, Equatable {
    public var ref: String
    public var customerRef: String
    public var date: LocalDate
    public var currency: Currency
    public var amountMinor: Int64
    /// The invoice the remittance names, if any.
    public var invoiceRef: String?
    public var method: String?
    public var reference: String?

    public init(
        ref: String, customerRef: String, date: LocalDate, currency: Currency, amountMinor: Int64,
        invoiceRef: String? = nil, method: String? = nil, reference: String? = nil
    ) {
        self.ref = ref
        self.customerRef = customerRef
        self.date = date
        self.currency = currency
        self.amountMinor = amountMinor
        self.invoiceRef = invoiceRef
        self.method = method
        self.reference = reference
    }
}
