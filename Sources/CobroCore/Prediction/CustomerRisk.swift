import Foundation

/// A customer's risk score 0–100 with its top reasons in words (issue 6, point 1): the mean predicted probability
/// of its open invoices being paid late, and the features that push that prediction up the most.
public struct CustomerRisk: Sendable, Hashable, Codable {
    public var customer: Int64
    /// 0 (pays on time) … 100 (certain to pay late).
    public var score: Int
    /// Up to three, strongest first, e.g. `paid 23 days late on average`.
    public var reasons: [String]
    /// Expected days late of its open invoices, on average.
    public var expectedDaysLate: Double

    public init(customer: Int64, score: Int, reasons: [String], expectedDaysLate: Double) {
        self.customer = customer
        self.score = score
        self.reasons = reasons
        self.expectedDaysLate = expectedDaysLate
    }

    /// A score at or above this is high risk.
    public static let highRisk = 70
    /// A retraining that adds more than this many expected days late to a customer raises an alert.
    public static let worseningDays = 10.0

    /// Why the change from `old` (the previous model's score and expected days late) to `self` deserves an alert, or
    /// `nil`: crossing into high risk, or expecting more than ``worseningDays`` more days late.
    public func alert(previous old: (score: Int, expectedDaysLate: Double)) -> String? {
        if old.score < Self.highRisk && score >= Self.highRisk { return "risk rose from \(old.score) to \(score) (high risk)" }
        let worse = expectedDaysLate - old.expectedDaysLate
        if worse > Self.worseningDays {
            return "expected to pay \(Int(worse.rounded())) days later than before (\(Int(expectedDaysLate.rounded())) days late)"
        }
        return nil
    }

    /// The risks of every customer with an open invoice in `invoices` (the ledger now), customers in id order.
    public static func scores(_ model: LateModel, invoices: [ModelInvoice], events: [Int64: CustomerEvents] = [:]) -> [CustomerRisk] {
        let x = PaymentFeatures.vectors(invoices, lateDays: model.lateDays, events: events)
        let open = invoices.indices.filter { invoices[$0].settledOn == nil }
        return Dictionary(grouping: open, by: { invoices[$0].customer }).sorted { $0.key < $1.key }.map { customer, rows in
            let p = rows.map { model.probability(x[$0]) }
            let days = rows.map { model.expectedDaysLate(x[$0]) }
            // Contributions of each feature to the raw score, averaged over the open invoices.
            // A model trained before a feature existed has fewer weights: the new features then do not count.
            let dims = min(PaymentFeatures.names.count, model.weights.count)
            var contribution = Array(repeating: 0.0, count: dims), raw = Array(repeating: 0.0, count: dims), zMean = raw
            for r in rows {
                let z = model.standardise(x[r])
                for j in 0..<dims {
                    contribution[j] += model.weights[j] * z[j] / Double(rows.count)
                    raw[j] += x[r][j] / Double(rows.count)
                    zMean[j] += z[j] / Double(rows.count)
                }
            }
            let ranked = (0..<dims).filter { contribution[$0] > 0.05 }.sorted { contribution[$0] > contribution[$1] }
            let words = ranked.compactMap { reason(PaymentFeatures.names[$0], raw[$0], above: zMean[$0] > 0) }
            return CustomerRisk(
                customer: customer, score: Int((p.reduce(0, +) / Double(p.count) * 100).rounded()),
                reasons: Array(words.prefix(3)), expectedDaysLate: days.reduce(0, +) / Double(days.count))
        }
    }

    /// The words for a feature that raises the risk, with its value `v` (the customer's average over its open
    /// invoices); `above` tells whether that value is above the training average. A feature raises the risk from
    /// either side (a weight of either sign), so the words must say which side: a customer with no history is never
    /// told it has "a long history". `nil` when the low side has no words worth reading ("not due on a Friday").
    static func reason(_ name: String, _ v: Double, above: Bool) -> String? {
        guard above else {
            switch name {
            case "history_count_log": return "a short history of invoices"
            case "customer_age_days_log": return "a new customer"
            case "terms_days": return "short payment terms (\(Int(v.rounded())) days)"
            case "amount_vs_usual_log": return "open invoices \(String(format: "%.1f", exp(v)))× its usual amount"
            default: return nil
            }
        }
        switch name {
        case "mean_days_late": return "paid \(Int(v.rounded())) days late on average"
        case "weighted_days_late": return "its larger invoices were paid \(Int(v.rounded())) days late on average"
        case "share_late": return "\(Int((v * 100).rounded())) % of its invoices were paid late"
        case "recent_days_late_trend": return "paying \(Int(v.rounded())) days later recently than before"
        case "amount_vs_usual_log": return "open invoices \(String(format: "%.1f", exp(v)))× its usual amount"
        case "terms_days": return "long payment terms (\(Int(v.rounded())) days)"
        case "paper_billing": return "billed on paper"
        case "open_items_log": return "\(Int((exp(v) - 1).rounded())) other items were open when invoiced"
        case "open_exposure_vs_usual_log": return "much already open when invoiced"
        case "due_at_month_end": return "due at month end"
        case "due_weekday_monday", "due_weekday_friday": return "due on a \(name.hasSuffix("monday") ? "Monday" : "Friday")"
        case "no_history": return "no payment history yet"
        case "history_count_log": return "a long history of invoices"
        case "customer_age_days_log": return "a customer for a long time"
        case "past_disputes_log": return "\(Int((exp(v) - 1).rounded())) disputes before"
        case "open_disputes": return "a dispute was open when invoiced"
        case "broken_promises_log": return "\(Int((exp(v) - 1).rounded())) broken promises to pay"
        default: return nil
        }
    }
}
