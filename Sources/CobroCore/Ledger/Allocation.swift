/// An open item a credit (payment or credit note) can be applied to.
public struct OpenItem: Sendable, Equatable {
    public var id: Int64
    public var issueDate: LocalDate
    public var dueDate: LocalDate
    public var openMinor: Int64

    public init(id: Int64, issueDate: LocalDate, dueDate: LocalDate, openMinor: Int64) {
        self.id = id
        self.issueDate = issueDate
        self.dueDate = dueDate
        self.openMinor = openMinor
    }
}

/// A planned application of part of a credit to one open item.
public struct PlannedAllocation: Sendable, Equatable {
    public var itemID: Int64
    public var amountMinor: Int64
    public init(itemID: Int64, amountMinor: Int64) {
        self.itemID = itemID
        self.amountMinor = amountMinor
    }
}

/// Cash-application rules (pure).
public enum CashApplication {
    /// Applies `amount` of credit across `items`.
    ///
    /// - If `namedItem` is given, the credit goes to that item only (up to its open balance); the remainder stays
    ///   unapplied: an explicit remittance is the customer's instruction and Cobro does not second-guess it.
    /// - Otherwise items are paid oldest-due-first (ties: older issue date, then lower id).
    ///
    /// Guarantees: every planned amount is > 0, no item receives more than its open balance, and the planned total
    /// is ≤ `amount` (the rest is unapplied credit).
    public static func plan(amount: Int64, items: [OpenItem], namedItem: Int64? = nil) -> [PlannedAllocation] {
        guard amount > 0 else { return [] }
        var remaining = amount
        var result: [PlannedAllocation] = []
        let ordered: [OpenItem]
        if let named = namedItem {
            ordered = items.filter { $0.id == named }
        } else {
            ordered = items.sorted {
                ($0.dueDate, $0.issueDate, $0.id) < ($1.dueDate, $1.issueDate, $1.id)
            }
        }
        for item in ordered where item.openMinor > 0 {
            let take = min(item.openMinor, remaining)
            result.append(PlannedAllocation(itemID: item.id, amountMinor: take))
            remaining -= take
            if remaining == 0 { break }
        }
        return result
    }

    /// The business date from which an allocation counts: a credit cannot settle an item before both exist.
    public static func effectiveDate(creditDate: LocalDate, itemIssueDate: LocalDate) -> LocalDate {
        max(creditDate, itemIssueDate)
    }
}

/// One allocation's life: it counts from `appliedOn` and, if un-applied, stops counting on `reversedOn`.
public struct AllocationSpan: Sendable, Equatable {
    public var amountMinor: Int64
    public var appliedOn: LocalDate
    public var reversedOn: LocalDate?

    public init(amountMinor: Int64, appliedOn: LocalDate, reversedOn: LocalDate? = nil) {
        self.amountMinor = amountMinor
        self.appliedOn = appliedOn
        self.reversedOn = reversedOn
    }

    /// Whether the allocation counts in a balance as of `date`.
    public func isActive(on date: LocalDate) -> Bool {
        appliedOn <= date && (reversedOn.map { $0 > date } ?? true)
    }

    /// Σ of the spans active on `date`.
    public static func applied(_ spans: [AllocationSpan], on date: LocalDate) -> Int64 {
        spans.reduce(0) { $0 + ($1.isActive(on: date) ? $1.amountMinor : 0) }
    }

    /// The last day on which any of the spans starts or stops counting; after it, balances no longer change.
    public static func lastEventDay(_ spans: [AllocationSpan]) -> LocalDate? {
        spans.flatMap { [$0.appliedOn] + ($0.reversedOn.map { [$0] } ?? []) }.max()
    }
}
