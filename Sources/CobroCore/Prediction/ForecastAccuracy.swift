/// The cash forecast against what came in (issue 6, point 4): a stored forecast's weeks next to the payments
/// received in each of them, per currency.
///
/// The forecast covers the invoices open on the day it was made; the payments include those for invoices issued
/// later, so later weeks tend to come in above their forecast — the report shows the difference as it is rather than
/// guessing which payment belonged to which forecast.
public enum ForecastAccuracy {
    public struct Row: Sendable, Hashable {
        /// The Monday the week starts on.
        public var weekStart: LocalDate
        public var currency: Currency
        public var forecastMinor: Int64
        /// Payments received in the week (so far, while it is not over).
        public var actualMinor: Int64
        /// The week has ended before today, so its actual is final.
        public var complete: Bool

        public var differenceMinor: Int64 { actualMinor - forecastMinor }
        /// |actual − forecast| / forecast, in percent; `nil` when nothing was forecast.
        public var errorPct: Double? { forecastMinor > 0 ? Double(abs(differenceMinor)) / Double(forecastMinor) * 100 : nil }
    }

    /// Per currency over the complete weeks: the sums and the weighted absolute percentage error,
    /// Σ|actual − forecast| / Σ actual × 100 (`nil` when nothing came in).
    public struct Summary: Sendable, Hashable {
        public var currency: Currency
        public var weeks: Int
        public var forecastMinor: Int64
        public var actualMinor: Int64
        public var wapePct: Double?
    }

    /// Rows for each forecast week (Mondays in `weeks`) and each currency forecast or received then, by week then
    /// currency; `payments` may hold any days (those outside the weeks are ignored).
    public static func compare(
        weeks: [LocalDate], forecast: [(week: LocalDate, currency: Currency, minor: Int64)], payments: [(day: LocalDate, currency: Currency, minor: Int64)],
        today: LocalDate
    ) -> (rows: [Row], summary: [Summary]) {
        struct Key: Hashable { var week: LocalDate; var currency: Currency }
        let starts = Set(weeks)
        var expected: [Key: Int64] = [:], actual: [Key: Int64] = [:]
        for f in forecast where starts.contains(f.week) { expected[Key(week: f.week, currency: f.currency), default: 0] += f.minor }
        for p in payments {
            if starts.contains(p.day.startOfWeek) { actual[Key(week: p.day.startOfWeek, currency: p.currency), default: 0] += p.minor }
        }
        let keys = Set(expected.keys).union(actual.keys).sorted { ($0.week, $0.currency.code) < ($1.week, $1.currency.code) }
        let rows = keys.map { k in
            Row(weekStart: k.week, currency: k.currency, forecastMinor: expected[k] ?? 0, actualMinor: actual[k] ?? 0, complete: k.week.adding(days: 6) < today)
        }
        let summary = Dictionary(grouping: rows.filter(\.complete), by: \.currency).sorted { $0.key.code < $1.key.code }.map { cur, rs in
            let a = rs.reduce(0) { $0 + $1.actualMinor }
            let miss = rs.reduce(0) { $0 + abs($1.differenceMinor) }
            return Summary(
                currency: cur, weeks: Set(rs.map(\.weekStart)).count, forecastMinor: rs.reduce(0) { $0 + $1.forecastMinor }, actualMinor: a,
                wapePct: a > 0 ? Double(miss) / Double(a) * 100 : nil)
        }
        return (rows, summary)
    }
}
