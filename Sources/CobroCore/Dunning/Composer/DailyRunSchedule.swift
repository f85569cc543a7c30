import Foundation

/// When the server's own daily dunning run is due for a company (issue 3, point 5).
///
/// Rule: at or after `minuteOfDay` on the company's wall clock, a run dated that local day is due unless a scheduled
/// run for that day (or a later one) is already recorded. After an outage the first check runs **once**, dated
/// today: the planner sends every step that came due meanwhile ("on or after", never "exactly today"), so missed
/// days are caught up without a run per missed day.
public enum DailyRunSchedule {
    /// 10:00, the same local time `cobro dunning run --as-of` acts at.
    public static let defaultMinuteOfDay = 10 * 60

    /// The as-of date of the run that is due now, or `nil` when none is.
    public static func due(now: Date, timeZone: TimeZone, minuteOfDay: Int = defaultMinuteOfDay, lastScheduled: LocalDate?) -> LocalDate? {
        let (today, second) = ZonedWallClock.wallTime(of: now, in: timeZone)
        guard second >= minuteOfDay * 60 else { return nil }
        if let lastScheduled, lastScheduled >= today { return nil }
        return today
    }

    /// The latest date a run that records and sends may be dated, given today on the company's clock: tomorrow (a
    /// customer far east of the company may already be there). A later date would record entries that block every
    /// earlier reminder until then; a dry run may look any distance ahead.
    public static func latestRecordableDate(today: LocalDate) -> LocalDate { today.adding(days: 1) }

    /// Parses `HH:MM` (24-hour) into a minute of the day; `nil` if it is not one.
    public static func minuteOfDay(_ text: String) -> Int? {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 2, parts[0].count == 2, parts[1].count == 2, let h = Int(parts[0]), let m = Int(parts[1]),
            (0..<24).contains(h), (0..<60).contains(m)
        else { return nil }
        return h * 60 + m
    }
}
