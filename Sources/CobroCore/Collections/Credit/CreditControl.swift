/// Credit control (issue 4, point 7): when a customer is put on credit hold automatically, and who may approve a new
/// credit limit.
///
/// A customer goes on hold when its **exposure** — what it owes in its own currency (open invoices and debit notes
/// less unapplied payments and credit notes) plus its open orders — is above its credit limit, or when its oldest
/// open item is more than `maxDaysPastDue` days past due. The hold is released when neither holds any more. Only
/// holds this rule set are released by it (a hold from a dunning step or a person stays until a person lifts it).
public enum CreditControl {
    public enum Reason: String, Sendable, Hashable, CaseIterable, Codable {
        case overLimit = "over_limit"
        case pastDue = "past_due"
    }

    /// What the customer owes in its own currency — open invoices and debit notes less unapplied payments and credit
    /// notes — plus its open orders.
    public static func exposure(openItemsMinor: Int64, unappliedCreditMinor: Int64, openOrdersMinor: Int64) -> Int64 {
        openItemsMinor - unappliedCreditMinor + openOrdersMinor
    }

    /// Why the customer should be on hold (empty: it should not).
    public static func holdReasons(limitMinor: Int64?, exposureMinor: Int64, oldestDaysPastDue: Int?, maxDaysPastDue: Int?) -> [Reason] {
        var out: [Reason] = []
        if let limitMinor, exposureMinor > limitMinor { out.append(.overLimit) }
        if let maxDaysPastDue, let oldest = oldestDaysPastDue, oldest > maxDaysPastDue { out.append(.pastDue) }
        return out
    }

    /// Four eyes: a credit-limit change is decided by someone other than who asked for it.
    public static func decisionProblem(requestedBy: String, decidedBy: String) -> String? {
        requestedBy == decidedBy ? "\(decidedBy) asked for this change; another person must approve or reject it (four eyes)" : nil
    }
}
