/// Expected collections per week and currency (issue 6, point 4): each open invoice's balance is expected on its due
/// date plus the model's expected days late — for an invoice already late, how late the model expects it once late —
/// never before `today` (what is due by then is expected now), and summed by week starting on Monday. What is
/// expected after the horizon is reported as one `later` amount.
public enum CashForecast {
    public struct Week: Sendable, Hashable {
        /// The Monday the week starts on (the first week starts on `today`'s Monday).
        public var start: LocalDate
        public var amounts: [Currency: Int64]
    }

    public struct Forecast: Sendable, Hashable {
        public var weeks: [Week]
        public var later: [Currency: Int64]
    }

    /// The weeks kept with each training and compared by the actual-vs-forecast report.
    public static let standardWeeks = 13

    /// The Mondays of a forecast made on `today`: this week's, then one per week.
    public static func weekStarts(today: LocalDate, weeks: Int) -> [LocalDate] {
        (0..<weeks).map { today.startOfWeek.adding(days: 7 * $0) }
    }

    /// `items`: (currency, open amount, expected payment day).
    public static func weekly(_ items: [(currency: Currency, openMinor: Int64, expected: LocalDate)], today: LocalDate, weeks: Int) -> Forecast {
        let monday = today.startOfWeek
        var out = weekStarts(today: today, weeks: weeks).map { Week(start: $0, amounts: [:]) }
        var later: [Currency: Int64] = [:]
        for item in items where item.openMinor > 0 {
            let day = max(item.expected, today)
            let w = day.days(since: monday) / 7
            if w < weeks { out[w].amounts[item.currency, default: 0] += item.openMinor } else { later[item.currency, default: 0] += item.openMinor }
        }
        return Forecast(weeks: out, later: later)
    }

    /// The forecast of the open invoices of `invoices` under `model`.
    public static func forecast(_ model: LateModel, invoices: [ModelInvoice], events: [Int64: CustomerEvents] = [:], today: LocalDate, weeks: Int) -> Forecast {
        let x = PaymentFeatures.vectors(invoices, lateDays: model.lateDays, events: events)
        let items = invoices.indices.compactMap { i -> (currency: Currency, openMinor: Int64, expected: LocalDate)? in
            let inv = invoices[i]
            guard inv.settledOn == nil, inv.openMinor > 0, let cur = inv.currency else { return nil }
            let late = today.days(since: inv.dueDate) > model.lateDays
            let days = late ? model.expectedDaysLateIfLate(x[i]) : model.expectedDaysLate(x[i])
            return (cur, inv.openMinor, inv.dueDate.adding(days: Int(days.rounded())))
        }
        return weekly(items, today: today, weeks: weeks)
    }
}
