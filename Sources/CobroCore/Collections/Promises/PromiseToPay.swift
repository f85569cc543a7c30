/// A customer's promise to pay an amount by a date, for some invoices or on account (reference §2.7).
public struct PromiseToPay: Sendable, Hashable {
    public var amount: Money
    /// The day the customer promised to pay by.
    public var promiseDate: LocalDate
    /// Days after the promise date a payment still counts (the "grace" or tolerance).
    public var toleranceDays: Int
    /// The day the promise was taken; payments from this day on count toward it.
    public var madeOn: LocalDate
    /// The invoices it covers; empty for a promise on account (any payment of the customer counts).
    public var invoiceIDs: [InvoiceID]

    public init(amount: Money, promiseDate: LocalDate, toleranceDays: Int = 3, madeOn: LocalDate, invoiceIDs: [InvoiceID] = []) {
        self.amount = amount
        self.promiseDate = promiseDate
        self.toleranceDays = toleranceDays
        self.madeOn = madeOn
        self.invoiceIDs = invoiceIDs
    }

    /// The last day a payment counts toward the promise: promise date + tolerance.
    public var windowEnd: LocalDate { promiseDate.adding(days: toleranceDays) }

    /// Problems with a promise about to be taken on `today`, each with its field: the amount must be positive and at
    /// most what is open on its invoices (`openMinor`, when given), the date today or later (at most a year ahead),
    /// the tolerance 0–30 days.
    public func validate(today: LocalDate, openMinor: Int64?) -> [(field: String, message: String)] {
        var out: [(String, String)] = []
        if amount.minor <= 0 { out.append(("amount", "must be more than 0")) }
        if let open = openMinor, amount.minor > open {
            out.append(("amount", "\(amount.decimalString) is more than the \(Money(minor: open, amount.currency).decimalString) open on the promised invoices"))
        }
        if promiseDate < today { out.append(("promise_date", "\(promiseDate.iso) is in the past; a promise is for today (\(today.iso)) or later")) }
        if promiseDate > today.adding(days: 366) { out.append(("promise_date", "\(promiseDate.iso) is more than a year ahead")) }
        if !(0...30).contains(toleranceDays) { out.append(("tolerance_days", "\(toleranceDays) is not 0–30 days")) }
        return out
    }
}

/// Where a promise stands (SAP semantics, reference §2.7).
public enum PromiseStatus: String, Sendable, Hashable, CaseIterable, Codable {
    /// Not judged yet: the evaluation date is on or before promise date + tolerance.
    case open
    /// Paid in full within the window.
    case kept
    /// Something, but less than promised, paid within the window.
    case partiallyKept = "partially_kept"
    /// Nothing paid within the window.
    case broken
    /// Withdrawn by the collector; left out of every rate.
    case cancelled

    /// Whether the promise is judged (kept, partially kept or broken).
    public var isResolved: Bool { self == .kept || self == .partiallyKept || self == .broken }
}
