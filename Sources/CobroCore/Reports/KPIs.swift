/// Collections KPI formulas (reference §2). Inputs are integer minor units of one currency; results are
/// `Double` ratios for display only — never money.
public enum KPI {
    /// DSO (simple) = AR ÷ credit sales × days. `nil` when there were no positive credit sales.
    public static func dsoSimple(ar: Int64, creditSales: Int64, days: Int) -> Double? {
        guard creditSales > 0 else { return nil }
        return Double(ar) / Double(creditSales) * Double(days)
    }

    /// One month of sales for the count-back method.
    public struct MonthSales: Sendable, Equatable {
        public var sales: Int64
        public var days: Int
        public init(sales: Int64, days: Int) {
            self.sales = sales
            self.days = days
        }
    }

    public struct Countback: Sendable, Equatable {
        public var days: Double
        /// True when AR was larger than all the sales history given (or a month with no positive sales stopped the
        /// walk) so part of the AR is unexplained and `days` is a lower bound.
        public var exhausted: Bool
    }

    /// Count-back (exhaustion) DSO: walk back month by month (newest first), consuming AR with each month's sales.
    /// Stops at a month whose sales are zero or negative (Oracle HFM behaviour).
    public static func dsoCountback(ar: Int64, months: [MonthSales]) -> Countback {
        var remaining = ar
        var dso = 0.0
        if remaining <= 0 { return Countback(days: 0, exhausted: false) }
        for m in months {
            if m.sales <= 0 { return Countback(days: dso, exhausted: true) }
            if remaining > m.sales {
                dso += Double(m.days)
                remaining -= m.sales
            } else {
                dso += Double(remaining) / Double(m.sales) * Double(m.days)
                return Countback(days: dso, exhausted: false)
            }
        }
        return Countback(days: dso, exhausted: true)
    }

    /// Collection Effectiveness Index, period-totals variant (reference §2.5 (a)), as a percentage.
    /// `nil` when the denominator is not positive.
    public static func cei(beginAR: Int64, creditSales: Int64, endTotalAR: Int64, endCurrentAR: Int64) -> Double? {
        let den = beginAR + creditSales - endCurrentAR
        guard den > 0 else { return nil }
        return Double(beginAR + creditSales - endTotalAR) / Double(den) * 100
    }

    /// A settled item for payment-timeliness measures.
    public struct PaidItem: Sendable, Equatable {
        public var amountMinor: Int64
        public var issueDate: LocalDate
        public var dueDate: LocalDate
        public var paidDate: LocalDate
        public init(amountMinor: Int64, issueDate: LocalDate, dueDate: LocalDate, paidDate: LocalDate) {
            self.amountMinor = amountMinor
            self.issueDate = issueDate
            self.dueDate = dueDate
            self.paidDate = paidDate
        }
    }

    /// Average days to pay and days late, simple and amount-weighted (reference §2.6). Days late are not floored:
    /// early payment counts negative, so `wap = wat + wadl` holds.
    public struct Timeliness: Sendable, Equatable {
        public var count: Int
        public var adpSimple: Double
        public var adpWeighted: Double
        public var adlSimple: Double
        public var adlWeighted: Double
        /// Amount-weighted terms (days from issue to due).
        public var wat: Double
    }

    public static func timeliness(_ items: [PaidItem]) -> Timeliness? {
        guard !items.isEmpty else { return nil }
        var sumP = 0.0, sumL = 0.0, wP = 0.0, wL = 0.0, wT = 0.0, wA = 0.0
        for i in items {
            let p = Double(i.paidDate.days(since: i.issueDate))
            let l = Double(i.paidDate.days(since: i.dueDate))
            let t = Double(i.dueDate.days(since: i.issueDate))
            let a = Double(i.amountMinor)
            sumP += p
            sumL += l
            wP += a * p
            wL += a * l
            wT += a * t
            wA += a
        }
        let n = Double(items.count)
        return Timeliness(
            count: items.count, adpSimple: sumP / n, adpWeighted: wA > 0 ? wP / wA : 0, adlSimple: sumL / n,
            adlWeighted: wA > 0 ? wL / wA : 0, wat: wA > 0 ? wT / wA : 0)
    }

    /// The calendar months walked back from `asOf` for count-back DSO: the month of `asOf` counts from its first
    /// day to `asOf` (so a month-end date gives a full month), earlier months count whole.
    public static func countbackMonths(asOf: LocalDate, count: Int) -> [(from: LocalDate, to: LocalDate)] {
        var out: [(LocalDate, LocalDate)] = []
        var end = asOf
        for _ in 0..<count {
            let start = end.startOfMonth
            out.append((start, end))
            end = start.adding(days: -1)
        }
        return out
    }
}

/// All KPIs for one currency as of a date, computed from already-aggregated ledger figures.
public struct KPISet: Sendable, Equatable {
    public var currency: Currency
    public var asOf: LocalDate
    public var window: Int
    /// Net AR at `asOf`: open items − unapplied credit.
    public var arOpenMinor: Int64
    /// Open items not yet past due at `asOf`.
    public var arCurrentMinor: Int64
    /// Open items past due at `asOf`.
    public var arPastDueMinor: Int64
    /// Invoices + debit notes − credit notes issued in (asOf − window, asOf].
    public var creditSalesMinor: Int64
    public var dsoSimple: Double?
    public var dsoCountback: KPI.Countback
    public var bpdso: Double?
    public var add: Double?
    public var bpdsoCountback: Double?
    public var addCountback: Double?
    public var cei: Double?
    /// Percentage of open items (gross) that is past due, 0–100.
    public var arPastDuePct: Double?
    public var timeliness: KPI.Timeliness?

    /// Inputs: AR figures at the start and end of the window, window sales, monthly sales newest first (for
    /// count-back; the first is the partial month of `asOf`), and the items settled in the window.
    public static func compute(
        currency: Currency, asOf: LocalDate, window: Int, endOpenItems: Int64, endUnapplied: Int64,
        endCurrent: Int64, beginAR: Int64, creditSales: Int64, months: [KPI.MonthSales], paid: [KPI.PaidItem]
    ) -> KPISet {
        let ar = endOpenItems - endUnapplied
        let dso = KPI.dsoSimple(ar: ar, creditSales: creditSales, days: window)
        let bp = KPI.dsoSimple(ar: endCurrent, creditSales: creditSales, days: window)
        let cb = KPI.dsoCountback(ar: ar, months: months)
        let cbCurrent = KPI.dsoCountback(ar: endCurrent, months: months)
        return KPISet(
            currency: currency, asOf: asOf, window: window, arOpenMinor: ar, arCurrentMinor: endCurrent,
            arPastDueMinor: endOpenItems - endCurrent, creditSalesMinor: creditSales, dsoSimple: dso,
            dsoCountback: cb, bpdso: bp, add: dso.flatMap { d in bp.map { d - $0 } },
            bpdsoCountback: cbCurrent.days, addCountback: cb.days - cbCurrent.days,
            cei: KPI.cei(beginAR: beginAR, creditSales: creditSales, endTotalAR: ar, endCurrentAR: endCurrent),
            arPastDuePct: endOpenItems > 0 ? Double(endOpenItems - endCurrent) / Double(endOpenItems) * 100 : nil,
            timeliness: KPI.timeliness(paid))
    }
}
