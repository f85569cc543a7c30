/// How often a scheduled report is emailed. A report "for" a day is sent on that day (after the server's poll
/// notices it); the next day is always strictly later, so a day is never sent twice.
public enum ReportCadence: String, Sendable, Hashable, CaseIterable, Codable {
    /// Every day.
    case daily
    /// Every Monday (the week's start for a finance team's weekly aging).
    case weekly
    /// The first day of every month (the monthly KPI pack).
    case monthly

    /// The first day after `day` on which the report is due.
    public func next(after day: LocalDate) -> LocalDate {
        switch self {
        case .daily: return day.adding(days: 1)
        case .weekly:
            // Day number 0 (1970-01-01) was a Thursday, so Monday is dayNumber % 7 == 4.
            let weekday = ((day.dayNumber % 7) + 7) % 7
            let toMonday = (4 - weekday + 7) % 7
            return day.adding(days: toMonday == 0 ? 7 : toMonday)
        case .monthly: return day.startOfMonth.adding(months: 1)
        }
    }

    /// The first due day on or after `day` (for a new schedule).
    public func first(onOrAfter day: LocalDate) -> LocalDate {
        switch self {
        case .daily: return day
        case .weekly, .monthly: return next(after: day.adding(days: -1))
        }
    }
}

/// The files a scheduled report's email carries: the API's CSV, a printable PDF of the same table, or both.
public enum ReportAttachmentFormat: String, Sendable, Hashable, CaseIterable, Codable {
    case csv, pdf, both
    public var csv: Bool { self != .pdf }
    public var pdf: Bool { self != .csv }
}
