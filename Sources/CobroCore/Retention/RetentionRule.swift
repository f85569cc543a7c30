import Foundation

/// Retention (issue 4, point 10): when a customer's personal data may be erased, and what counts as personal data in
/// a recorded change.
///
/// A customer is erased once it has been **closed for more than N years**: nothing happened on its account — no
/// document issued, payment received or applied, contact made, message queued, dispute opened or closed — on or after
/// the day N years before the run. Erasure is refused, whatever the age, while the customer still owes something,
/// holds unapplied credit, has a dispute open or in review, or is with an agency or legal: those records may be
/// needed to establish or defend a claim (GDPR Art. 17(3)(e)). Amounts, dates and references stay; only what
/// identifies a person goes.
public enum RetentionRule {
    /// Why a customer that is old enough is still kept.
    public enum Refusal: String, Sendable, Hashable, CaseIterable, Codable {
        case openBalance = "open_balance"
        case unappliedCredit = "unapplied_credit"
        case openDispute = "open_dispute"
        case withAgency = "with_agency"

        public var explanation: String {
            switch self {
            case .openBalance: return "still owes an open invoice or debit note"
            case .unappliedCredit: return "holds unapplied payments or credit notes"
            case .openDispute: return "has a dispute open or in review"
            case .withAgency: return "is handed over to an agency or legal"
            }
        }
    }

    /// What the run knows about one customer.
    public struct Account: Sendable, Hashable {
        public var openItems: Int
        public var unappliedCredits: Int
        public var openDisputes: Int
        public var withAgency: Bool
        /// The last day anything happened on the account (the day the customer was created when nothing did).
        public var lastActivity: LocalDate

        public init(openItems: Int, unappliedCredits: Int, openDisputes: Int, withAgency: Bool, lastActivity: LocalDate) {
            self.openItems = openItems
            self.unappliedCredits = unappliedCredits
            self.openDisputes = openDisputes
            self.withAgency = withAgency
            self.lastActivity = lastActivity
        }
    }

    public enum Decision: Sendable, Hashable {
        /// Active on or after the cutoff: not a candidate yet.
        case tooRecent
        case erase
        case refuse([Refusal])
    }

    /// The first day that still counts as recent: the same calendar day `years` years before `asOf` (29 February
    /// becomes 28 February).
    public static func cutoff(asOf: LocalDate, years: Int) -> LocalDate { asOf.adding(months: -12 * years) }

    public static func decide(_ a: Account, cutoff: LocalDate) -> Decision {
        guard a.lastActivity < cutoff else { return .tooRecent }
        var refusals: [Refusal] = []
        if a.openItems > 0 { refusals.append(.openBalance) }
        if a.unappliedCredits > 0 { refusals.append(.unappliedCredit) }
        if a.openDisputes > 0 { refusals.append(.openDispute) }
        if a.withAgency { refusals.append(.withAgency) }
        return refusals.isEmpty ? .erase : .refuse(refusals)
    }

    /// What an erased text reads as.
    public static let erased = "[erased]"

    /// Keys of recorded changes (audit before/after values) that may hold personal data: names, addresses, free
    /// text people wrote, and delivery errors (which quote the recipient's address).
    public static let personalKeys: Set<String> = [
        "name", "email", "phone", "postal_address", "contact_name", "recipient", "subject", "body", "body_text", "body_html",
        "summary", "note", "decision_note", "resolution_note", "reason", "reference", "detail", "title", "error", "file_name",
    ]

    /// `json` (an object, at any depth) with every string or number under a personal key replaced by ``erased``;
    /// nil when nothing changed or the text is not a JSON object.
    public static func redact(json: String) -> String? {
        guard let data = json.data(using: .utf8), let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else { return nil }
        var changed = false
        func walk(_ value: Any) -> Any {
            if let dict = value as? [String: Any] {
                var out: [String: Any] = [:]
                for (k, v) in dict {
                    if personalKeys.contains(k), !(v is NSNull), (v as? String) != erased, (v as? String) != "" {
                        out[k] = erased
                        changed = true
                    } else {
                        out[k] = walk(v)
                    }
                }
                return out
            }
            if let array = value as? [Any] { return array.map(walk) }
            return value
        }
        let result = walk(object)
        guard changed, let out = try? JSONSerialization.data(withJSONObject: result, options: [.sortedKeys]) else { return nil }
        return String(data: out, encoding: .utf8)
    }
}
