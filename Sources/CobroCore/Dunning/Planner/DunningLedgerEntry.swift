/// The key of the append-only dunning ledger: an (invoice, step) is recorded at most once, ever.
public struct DunningLedgerKey: Sendable, Codable, Hashable, Comparable, CustomStringConvertible {
    public var invoiceID: InvoiceID
    /// ``DunningStep/id``. Step ids are global keys: two policies that share a step id share its record.
    public var stepID: String

    public init(invoiceID: InvoiceID, stepID: String) {
        self.invoiceID = invoiceID
        self.stepID = stepID
    }

    public var description: String { "(\(invoiceID), \(stepID))" }
    public static func < (a: DunningLedgerKey, b: DunningLedgerKey) -> Bool { (a.invoiceID, a.stepID) < (b.invoiceID, b.stepID) }

    enum CodingKeys: String, CodingKey {
        case invoiceID = "invoice_id"
        case stepID = "step_id"
    }
}

/// What happened to an (invoice, step).
public enum DunningOutcome: String, Sendable, Codable, Hashable {
    /// The step's message (or a higher step's message the invoice was listed in) went out for the invoice.
    case sent
    /// The step was due but a higher step was sent in the same message; it will never be sent (catch-up sends once).
    case superseded
}

/// One row to append to the dunning ledger when the plan is carried out.
public struct DunningLedgerEntry: Sendable, Codable, Hashable {
    public var key: DunningLedgerKey
    public var customerID: CustomerID
    public var outcome: DunningOutcome
    /// ``DunningMessage/dedupeKey`` of the message that carried the invoice.
    public var messageKey: String
    /// The run's as-of date.
    public var date: LocalDate

    public init(key: DunningLedgerKey, customerID: CustomerID, outcome: DunningOutcome, messageKey: String, date: LocalDate) {
        self.key = key
        self.customerID = customerID
        self.outcome = outcome
        self.messageKey = messageKey
        self.date = date
    }

    enum CodingKeys: String, CodingKey {
        case key
        case customerID = "customer_id"
        case outcome
        case messageKey = "message_key"
        case date
    }
}
