import Foundation

/// A customer's risk score 0–100 with its top reasons in words (issue 6, point 1): the mean predicted probability
/// of its open invoices being paid late, and the features that push that prediction up the most.
public struct CustomerRisk: Sendable, Hashable, Codable {
    public var customer: Int64
    /// 0 (pays on time) … 100 (certain to pay late).
    public var score: Int
    /// Up to three, strongest first; each has words (``Reason/words(_:)``), e.g. `paid 23 days late on average`.
    public var reasons: [Reason]
    /// Expected days late of its open invoices, on average.
    public var expectedDaysLate: Double

    /// One reason: a feature that raises the risk, with the customer's value of it (its average over its open
    /// invoices) and whether that value is above the training average — a feature can raise the risk from either side.
    public struct Reason: Sendable, Hashable, Codable {
        public var feature: String
        public var value: Double
        public var above: Bool

        public init(feature: String, value: Double, above: Bool) {
            self.feature = feature
            self.value = value
            self.above = above
        }

        /// The reason in words, in `language` (`es`, else English); `nil` when this side of the feature has none
        /// worth reading ("not due on a Friday" helps nobody).
        public func words(_ language: String = "en") -> String? {
            let es = language == "es"
            // Each only for the features whose value it fits: e^value of a value in days would overflow.
            let n = Int(value.rounded())
            var count: Int { Int((exp(value) - 1).rounded()) }  // of a log1p count
            var times: String { String(format: "%.1f", exp(value)).replacingOccurrences(of: ".", with: es ? "," : ".") }  // of a log ratio
            func say(_ en: String, _ spanish: String) -> String { es ? spanish : en }
            guard above else {
                switch feature {
                case "history_count_log": return say("a short history of invoices", "un historial de facturas corto")
                case "customer_age_days_log": return say("a new customer", "un cliente nuevo")
                case "terms_days": return say("short payment terms (\(n) days)", "plazo de pago corto (\(n) días)")
                case "amount_vs_usual_log": return say("open invoices \(times)× its usual amount", "facturas abiertas de \(times)× su importe habitual")
                default: return nil
                }
            }
            switch feature {
            case "mean_days_late": return say("paid \(n) days late on average", "paga con \(n) días de retraso de media")
            case "weighted_days_late": return say("its larger invoices were paid \(n) days late on average", "sus facturas más grandes, con \(n) días de retraso de media")
            case "share_late": return say("\(Int((value * 100).rounded())) % of its invoices were paid late", "el \(Int((value * 100).rounded())) % de sus facturas se pagó tarde")
            case "recent_days_late_trend": return say("paying \(n) days later recently than before", "últimamente paga \(n) días más tarde que antes")
            case "amount_vs_usual_log": return say("open invoices \(times)× its usual amount", "facturas abiertas de \(times)× su importe habitual")
            case "terms_days": return say("long payment terms (\(n) days)", "plazo de pago largo (\(n) días)")
            case "paper_billing": return say("billed on paper", "facturado en papel")
            case "open_items_log": return say("\(count) other items were open when invoiced", "\(count) partidas más abiertas al facturar")
            case "open_exposure_vs_usual_log": return say("much already open when invoiced", "mucho importe ya abierto al facturar")
            case "due_at_month_end": return say("due at month end", "vence a fin de mes")
            case "due_weekday_monday": return say("due on a Monday", "vence en lunes")
            case "due_weekday_friday": return say("due on a Friday", "vence en viernes")
            case "no_history": return say("no payment history yet", "aún sin historial de pagos")
            case "history_count_log": return say("a long history of invoices", "un historial de facturas largo")
            case "customer_age_days_log": return say("a customer for a long time", "cliente desde hace mucho")
            case "past_disputes_log": return say("\(count) disputes before", "\(count) disputas antes")
            case "open_disputes": return say("a dispute was open when invoiced", "una disputa abierta al facturar")
            case "broken_promises_log": return say("\(count) broken promises to pay", "\(count) promesas de pago incumplidas")
            default: return nil
            }
        }

        /// The stored form, one line: feature, `+` or `-` (above or below the average), value.
        public var stored: String { "\(feature) \(above ? "+" : "-") \(value)" }

        /// Reads ``stored``; `nil` for anything else (such as the English sentences stored before reasons had a form).
        public init?(stored line: some StringProtocol) {
            let parts = line.split(separator: " ")
            guard parts.count == 3, parts[1] == "+" || parts[1] == "-", let v = Double(parts[2]), v.isFinite else { return nil }
            self.init(feature: String(parts[0]), value: v, above: parts[1] == "+")
        }
    }

    public init(customer: Int64, score: Int, reasons: [Reason], expectedDaysLate: Double) {
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
            let reasons = ranked.map { Reason(feature: PaymentFeatures.names[$0], value: raw[$0], above: zMean[$0] > 0) }.filter { $0.words() != nil }
            return CustomerRisk(
                customer: customer, score: Int((p.reduce(0, +) / Double(p.count) * 100).rounded()),
                reasons: Array(reasons.prefix(3)), expectedDaysLate: days.reduce(0, +) / Double(days.count))
        }
    }
}
