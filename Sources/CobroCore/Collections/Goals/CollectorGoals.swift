/// A calendar month, written `YYYY-MM`.
public struct YearMonth: Hashable, Comparable, Sendable, CustomStringConvertible {
    public let year: Int
    public let month: Int

    /// `YYYY-MM` with a year 1900…9999 and a month 01…12; `nil` otherwise.
    public init?(iso text: some StringProtocol) {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 2, parts[0].count == 4, parts[1].count == 2, parts.allSatisfy({ $0.allSatisfy(\.isASCII) }),
              let y = Int(parts[0]), let m = Int(parts[1]), (1900...9999).contains(y), (1...12).contains(m)
        else { return nil }
        year = y
        month = m
    }

    public init(_ day: LocalDate) {
        year = day.year
        month = day.month
    }

    public var firstDay: LocalDate { LocalDate(year: year, month: month, day: 1)! }
    public var lastDay: LocalDate { LocalDate(year: year, month: month, day: LocalDate.daysIn(year: year, month: month))! }
    public var iso: String { "\(year)-\(month < 10 ? "0" : "")\(month)" }
    public var description: String { iso }
    /// The month after this one.
    public var next: YearMonth { YearMonth(lastDay.adding(days: 1)) }
    /// `n` months earlier (`n` ≥ 0).
    public func minus(months n: Int) -> YearMonth { YearMonth(firstDay.adding(months: -n)) }

    public static func < (a: YearMonth, b: YearMonth) -> Bool { (a.year, a.month) < (b.year, b.month) }
}

/// Collector goals against what was collected (issue 4, point 11): each collector has a monthly goal in the
/// company's base currency; a payment counts for the collector who held its customer at the end of the payment's day,
/// so moving a customer to someone else mid-month does not move what was already collected.
public enum CollectorGoals {
    /// One entry of a customer's collector history: from the company-local `day` of the change on, `collector` (or
    /// nobody) holds the customer.
    public struct Assignment: Sendable, Hashable {
        public var day: LocalDate
        public var collector: String?
        public init(day: LocalDate, collector: String?) {
            self.day = day
            self.collector = collector
        }
    }

    /// Who held the customer at the end of `day`: the last change made on or before it; nobody before the first.
    /// `history` is in the order the changes were made.
    public static func holder(_ history: [Assignment], endOf day: LocalDate) -> String? {
        history.last { $0.day <= day }?.collector ?? nil
    }

    /// A payment received in the month, already attributed.
    public struct Payment: Sendable, Hashable {
        public var collector: String?
        public var currency: Currency
        public var amountMinor: Int64
        public init(collector: String?, currency: Currency, amountMinor: Int64) {
            self.collector = collector
            self.currency = currency
            self.amountMinor = amountMinor
        }
    }

    public struct Row: Sendable, Hashable {
        /// `nil`: payments of customers nobody held (listed, never against a goal nor in the total).
        public var collector: String?
        /// The goal in base minor units; `nil` when none was set.
        public var goalMinor: Int64?
        /// Collected, in base minor units (payments in other currencies converted at the company's rates, each payment
        /// on its own so that the total is exactly the sum of the rows).
        public var collectedMinor: Int64 = 0
        /// The part of ``collectedMinor`` collected by someone with a goal: all of it for one collector with a goal,
        /// none without; in the total, what the collectors with a goal collected — so a collector without a goal
        /// does not lift the team's attainment.
        public var collectedTowardGoalMinor: Int64 = 0
        public var payments = 0
        /// Payments in a currency without a rate, per currency code (not in ``collectedMinor``).
        public var unconvertedMinor: [String: Int64] = [:]

        /// collected toward the goal / goal in basis points, half up; `nil` without a (positive) goal.
        public var attainmentBasisPoints: Int? {
            guard let g = goalMinor, g > 0 else { return nil }
            return Int((2 * Int128(collectedTowardGoalMinor) * 10_000 + Int128(g)) / (2 * Int128(g)))
        }
        /// What is still missing to reach the goal (0 once reached); `nil` without a goal.
        public var remainingMinor: Int64? { goalMinor.map { max($0 - collectedTowardGoalMinor, 0) } }
    }

    /// One row per collector (every collector with a goal or a payment, and every name in `collectors`), sorted,
    /// then the payments of customers nobody held (if any); and the total of the collectors' rows, whose goal is
    /// the sum of the goals.
    public static func attainment(
        goals: [String: Int64], collectors: [String], payments: [Payment], base: Currency, rates: [ExchangeRate]
    ) -> (rows: [Row], total: Row) {
        let rate = Dictionary(rates.map { ($0.from, $0) }, uniquingKeysWith: { a, _ in a })
        var rows: [String?: Row] = [:]
        for key in Set(collectors).union(goals.keys) { rows[key] = Row(collector: key, goalMinor: goals[key]) }
        for p in payments {
            var row = rows[p.collector] ?? Row(collector: p.collector, goalMinor: p.collector.flatMap { goals[$0] })
            row.payments += 1
            if p.currency == base {
                row.collectedMinor += p.amountMinor
            } else if let r = rate[p.currency], let v = r.convertChecked(p.amountMinor) {
                row.collectedMinor += v
            } else {
                row.unconvertedMinor[p.currency.code, default: 0] += p.amountMinor
            }
            rows[p.collector] = row
        }
        let named = rows.values.filter { $0.collector != nil }.sorted { $0.collector! < $1.collector! }.map { r in
            var r = r
            r.collectedTowardGoalMinor = r.goalMinor == nil ? 0 : r.collectedMinor
            return r
        }
        var total = Row(collector: nil, goalMinor: goals.isEmpty ? nil : goals.values.reduce(0, +))
        for r in named {
            total.collectedMinor += r.collectedMinor
            total.collectedTowardGoalMinor += r.collectedTowardGoalMinor
            total.payments += r.payments
            total.unconvertedMinor.merge(r.unconvertedMinor, uniquingKeysWith: +)
        }
        return (named + (rows[nil].map { [$0] } ?? []), total)
    }
}
