/// Payment trends (issue 6, point 5): per group (the company, a segment or a customer) and calendar month of
/// settlement, how many invoices were settled, how many of them late, and their average days late (reference §2.6,
/// simple, not floored: early payment counts negative) — the series a chart of payment behaviour over time draws.
///
/// Counts, not amounts: the groups mix currencies, and an amount-weighted average across currencies would move with
/// exchange rates (the KPI report gives the weighted figures per currency).
public enum PaymentTrends {
    public struct Point: Sendable, Hashable {
        public var month: YearMonth
        public var settled: Int
        /// Settled after the due date.
        public var late: Int
        /// `late / settled` in basis points, half up (`nil` when nothing was settled).
        public var latePercentBasisPoints: Int? { RollRates.basisPoints(Int64(late), Int64(settled)) }
        /// Σ (settled − due) / settled in hundredths of a day, half up (away from zero); `nil` when nothing was settled.
        public var averageDaysLateHundredths: Int?
    }

    public struct Series: Sendable, Hashable {
        public var group: String
        /// One point per month `from`…`to`, empty months included (a chart needs the gaps).
        public var points: [Point]
    }

    /// The series of `items` (group, settled item) for the months `from`…`to`; items settled outside them are
    /// ignored. Groups in name order.
    public static func series(_ items: [(group: String, item: KPI.PaidItem)], from: YearMonth, to: YearMonth) -> [Series] {
        var months: [YearMonth] = []
        var m = from
        while m <= to {
            months.append(m)
            m = m.next
        }
        let index = Dictionary(uniqueKeysWithValues: months.enumerated().map { ($1, $0) })
        var sums: [String: [(n: Int, late: Int, days: Int)]] = [:]
        for (group, item) in items {
            guard let i = index[YearMonth(item.paidDate)] else { continue }
            var row = sums[group] ?? Array(repeating: (0, 0, 0), count: months.count)
            let late = item.paidDate.days(since: item.dueDate)
            row[i].n += 1
            row[i].days += late
            if late > 0 { row[i].late += 1 }
            sums[group] = row
        }
        return sums.keys.sorted().map { group in
            Series(group: group, points: zip(months, sums[group]!).map { month, s in
                Point(
                    month: month, settled: s.n, late: s.late,
                    averageDaysLateHundredths: s.n == 0 ? nil : Int((Double(s.days) * 100 / Double(s.n)).rounded(.toNearestOrAwayFromZero)))
            })
        }
    }
}
