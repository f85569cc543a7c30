/// Something the planner did not send, and why; the dry run lists these. Nothing is recorded for a skip, so the
/// same items are evaluated again on the next run.
public struct DunningSkip: Sendable, Hashable, CustomStringConvertible {
    /// Machine-readable reason.
    public enum Reason: String, Sendable, Codable, Hashable, CaseIterable {
        // Whole customer (reported when the customer has at least one issued, unpaid invoice or debit note).
        /// The input lists the customer id more than once; every copy is skipped.
        case duplicateCustomer = "duplicate_customer"
        case handedOver = "handed_over"
        /// A policy rule names a policy id that does not exist.
        case unknownPolicy = "unknown_policy"
        /// The customer's policy fails ``DunningPolicy/validate()``.
        case invalidPolicy = "invalid_policy"
        /// The customer's policy has no steps.
        case noReminders = "no_reminders"
        /// The customer was already dunned on or after the as-of date.
        case alreadyDunned = "already_dunned"
        // One invoice (reported when the invoice has a due, unrecorded step).
        /// The invoice id appears more than once in the input; every copy is skipped.
        case duplicateInvoice = "duplicate_invoice"
        /// Issued after the as-of date.
        case notYetIssued = "not_yet_issued"
        case creditNote = "credit_note"
        case paid
        /// The whole open balance is disputed.
        case disputed
        /// Covered by an open promise to pay or an active payment plan (and the step leaves such items out).
        case promiseOrPlan = "promise_or_plan"
        // One step (and currency) of the customer.
        /// The message total in base currency is below the step's minimum.
        case belowMinimum = "below_minimum"
        /// A minimum needs the total in base currency and no rate is given for the message's currency.
        case noRate = "no_rate"
        /// The message total does not fit in 64 bits.
        case amountOverflow = "amount_overflow"
        /// No channel of the step can be delivered to the customer.
        case noDeliverableChannel = "no_deliverable_channel"
        /// Recording the customer's share failed (e.g. its late interest could not be computed); nothing of it was
        /// written, and the next run tries again.
        case recordFailed = "record_failed"
    }

    public var customerID: CustomerID
    public var customerRef: String
    /// The invoices concerned (empty when the whole customer is skipped), in message order.
    public var invoiceIDs: [InvoiceID]
    /// The step that was not sent, for step-level reasons.
    public var stepID: String?
    /// The message currency, for currency-level reasons.
    public var currency: Currency?
    public var reason: Reason
    /// Human text, e.g. `no rate for GBP into EUR (needed for the minimum of 50.00 EUR)`.
    public var detail: String

    public init(
        customerID: CustomerID, customerRef: String, invoiceIDs: [InvoiceID] = [], stepID: String? = nil, currency: Currency? = nil,
        reason: Reason, detail: String
    ) {
        self.customerID = customerID
        self.customerRef = customerRef
        self.invoiceIDs = invoiceIDs
        self.stepID = stepID
        self.currency = currency
        self.reason = reason
        self.detail = detail
    }

    /// `customer C-7, step overdue_30, GBP, invoices [12, 13]: no_rate: no rate for GBP …`
    public var description: String {
        var s = "customer \(customerRef)"
        if let stepID { s += ", step \(stepID)" }
        if let currency { s += ", \(currency)" }
        if !invoiceIDs.isEmpty { s += ", invoices \(invoiceIDs.map(\.rawValue))" }
        return s + ": \(reason.rawValue): \(detail)"
    }
}
