/// Discount policy effectiveness (issue 4, point 11; reference §4.2): for invoices on early-payment terms, how often
/// customers took the discount, what it cost, and how many days sooner the cash came in.
///
/// Per terms and currency (amounts are never summed across currencies):
/// - *take rate* = taken / decided, where *decided* means the discount was taken or its window has closed by the
///   report day (an invoice still inside its window is not decided yet);
/// - *days to pay* = settlement day − issue day, averaged over settled invoices, separately for takers and others;
/// - *days saved* = others' average − takers' average (`nil` without both);
/// - *annualised cost* = Σ discount / Σ (amount − discount) of the takers × 365 / days saved: what the cash that came
///   in early cost per year, to compare with the terms' textbook cost (``DiscountTerms/nominalAnnualCost(basis:)``),
///   which assumes everyone else pays on the net day.
public enum DiscountEffectiveness {
    public struct Invoice: Sendable, Hashable {
        public var terms: DiscountTerms
        public var currency: Currency
        public var amountMinor: Int64
        public var issueDate: LocalDate
        /// The day the invoice was fully settled, as of the report day; `nil` while open.
        public var settledOn: LocalDate?
        /// The early-payment discount granted on it (0 when not taken).
        public var discountMinor: Int64

        public init(terms: DiscountTerms, currency: Currency, amountMinor: Int64, issueDate: LocalDate, settledOn: LocalDate?, discountMinor: Int64) {
            self.terms = terms
            self.currency = currency
            self.amountMinor = amountMinor
            self.issueDate = issueDate
            self.settledOn = settledOn
            self.discountMinor = discountMinor
        }
    }

    public struct Group: Sendable, Hashable {
        public var terms: DiscountTerms
        public var currency: Currency
        public var invoices = 0
        public var amountMinor: Int64 = 0
        public var decided = 0
        public var taken = 0
        public var discountMinor: Int64 = 0
        /// Σ (amount − discount) of the takers: the cash the discount brought in early.
        public var takenNetMinor: Int64 = 0
        var takenDays = 0, takenSettled = 0, otherDays = 0, otherSettled = 0

        public var takeRateBasisPoints: Int? { decided == 0 ? nil : Int((2 * Int128(taken) * 10_000 + Int128(decided)) / (2 * Int128(decided))) }
        public var averageDaysToPayTaken: Double? { takenSettled == 0 ? nil : Double(takenDays) / Double(takenSettled) }
        public var averageDaysToPayOthers: Double? { otherSettled == 0 ? nil : Double(otherDays) / Double(otherSettled) }
        public var paidWithoutDiscount: Int { otherSettled }
        public var daysSaved: Double? {
            guard let t = averageDaysToPayTaken, let o = averageDaysToPayOthers else { return nil }
            return o - t
        }
        /// As a fraction per year (0.2483 = 24.83 %); `nil` unless days were saved and a discount was given.
        public var annualisedCost: Double? {
            guard let saved = daysSaved, saved > 0, takenNetMinor > 0, discountMinor > 0 else { return nil }
            return Double(discountMinor) / Double(takenNetMinor) * 365 / saved
        }
        /// The terms' own nominal annual cost on 365 days, as a fraction.
        public var termsNominalCost: Double { Double(terms.nominalAnnualCost().partsPerMillion) / 1_000_000 }
    }

    /// Groups sorted by terms text, then currency.
    public static func groups(_ invoices: [Invoice], asOf: LocalDate) -> [Group] {
        var out: [String: Group] = [:]
        for i in invoices {
            let key = "\(i.terms)|\(i.currency.code)"
            var g = out[key] ?? Group(terms: i.terms, currency: i.currency)
            g.invoices += 1
            g.amountMinor += i.amountMinor
            let took = i.discountMinor > 0
            if took || i.terms.lastDiscountDate(issueDate: i.issueDate) < asOf { g.decided += 1 }
            if took {
                g.taken += 1
                g.discountMinor += i.discountMinor
                g.takenNetMinor += i.amountMinor - i.discountMinor
            }
            if let s = i.settledOn {
                if took {
                    g.takenDays += s.days(since: i.issueDate)
                    g.takenSettled += 1
                } else {
                    g.otherDays += s.days(since: i.issueDate)
                    g.otherSettled += 1
                }
            }
            out[key] = g
        }
        return out.keys.sorted().map { out[$0]! }
    }
}
