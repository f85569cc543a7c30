/// Why a customer disputes an invoice.
public enum DisputeReason: String, Sendable, Hashable, CaseIterable, Codable {
    case pricing, quantity, quality
    case notReceived = "not_received"
    case duplicateBilling = "duplicate_billing"
    case other
}

/// Where a dispute stands. Open and in-review disputes keep their amount out of dunning (it stays in aging).
///
/// Transitions: `open → in_review`; `open | in_review → resolved` (a credit note was issued), `rejected` (the claim
/// is refused: reminders resume), or `withdrawn` (the customer dropped it). Closed states are final.
public enum DisputeStatus: String, Sendable, Hashable, CaseIterable, Codable {
    case open
    case inReview = "in_review"
    case resolved, rejected, withdrawn

    public var isActive: Bool { self == .open || self == .inReview }

    /// Why moving from `self` to `next` is not allowed, or `nil` when it is.
    public func refusal(to next: DisputeStatus) -> String? {
        switch (self, next) {
        case (.open, .inReview), (.open, .resolved), (.open, .rejected), (.open, .withdrawn),
            (.inReview, .resolved), (.inReview, .rejected), (.inReview, .withdrawn):
            return nil
        case (_, .open):
            return "a dispute cannot go back to open"
        default:
            return "the dispute is \(rawValue); \(isActive ? "it can become in_review, resolved, rejected or withdrawn" : "it is closed")"
        }
    }
}
