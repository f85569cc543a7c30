import Foundation

/// When a debtor may be contacted: per weekday a list of allowed local time ranges, and holidays on which
/// nothing is allowed.
///
/// Contract:
/// - Evaluated on the debtor's **wall clock**: an instant is allowed when its local date (in the time zone
///   passed in) is not a holiday and its local minute of day lies in one of that weekday's ranges. Ranges
///   are half-open (`08:00-19:00` allows 18:59:59, not 19:00:00).
/// - Daylight saving: a range that falls in a spring-forward gap is partly or wholly skipped that day; a range
///   in a fall-back overlap is allowed on both passes (the wall clock shows an allowed time twice).
/// - Holidays are data (dates passed in), never computed here.
/// - Ranges are normalized on creation (sorted, overlapping or touching ranges merged, empty days dropped),
///   so two windows that allow the same minutes are equal.
/// - Pure: no clock; the instant and the time zone are arguments.
public struct ContactWindow: Hashable, Sendable {
    /// Allowed ranges per weekday, normalized. A weekday missing from the dictionary allows nothing.
    public private(set) var weekly: [Weekday: [TimeOfDayRange]]
    /// Local dates on which nothing is allowed.
    public private(set) var holidays: Set<LocalDate>

    public init(weekly: [Weekday: [TimeOfDayRange]], holidays: Set<LocalDate> = []) {
        var w: [Weekday: [TimeOfDayRange]] = [:]
        for (day, ranges) in weekly {
            let n = TimeOfDayRange.normalized(ranges)
            if !n.isEmpty { w[day] = n }
        }
        self.weekly = w
        self.holidays = holidays
    }

    /// The same ranges on each of `days`.
    public init(days: [Weekday], ranges: [TimeOfDayRange], holidays: Set<LocalDate> = []) {
        var w: [Weekday: [TimeOfDayRange]] = [:]
        for d in days { w[d, default: []] += ranges }
        self.init(weekly: w, holidays: holidays)
    }

    /// True when no weekday has any range: nothing is ever allowed.
    public var isEmpty: Bool { weekly.isEmpty }

    /// A copy that also blocks `dates`.
    public func addingHolidays(_ dates: some Sequence<LocalDate>) -> ContactWindow {
        var copy = self
        copy.holidays.formUnion(dates)
        return copy
    }

    /// The minutes allowed by both windows; holidays of either block the day.
    /// Use it to combine a legal window (e.g. ``colombia``) with the company's own business hours.
    public func intersection(_ other: ContactWindow) -> ContactWindow {
        var w: [Weekday: [TimeOfDayRange]] = [:]
        for day in Weekday.allCases {
            w[day] = TimeOfDayRange.intersection(weekly[day] ?? [], other.weekly[day] ?? [])
        }
        return ContactWindow(weekly: w, holidays: holidays.union(other.holidays))
    }

    /// The allowed ranges on a local date (none on a holiday).
    public func ranges(on date: LocalDate) -> [TimeOfDayRange] {
        if holidays.contains(date) { return [] }
        return weekly[Weekday(date)] ?? []
    }

    /// Whether local wall time `minuteOfDay` on local date `date` is allowed.
    public func isAllowed(date: LocalDate, minuteOfDay: Int) -> Bool {
        ranges(on: date).contains { $0.contains(minuteOfDay: minuteOfDay) }
    }

    /// Whether `instant` is allowed on the wall clock of `timeZone`.
    public func isAllowed(_ instant: Date, timeZone: TimeZone) -> Bool {
        let (date, second) = ZonedWallClock.wallTime(of: instant, in: timeZone)
        return isAllowed(date: date, minuteOfDay: second / 60)
    }

    /// Whether `instant` is allowed in **every** zone in `timeZones` ("convenient in all plausible
    /// locations", Reg F: a PT address with an ET area code can only be called 11:00–21:00 ET).
    /// An empty list is `false`: with no known location no time is established as convenient.
    public func isAllowed(_ instant: Date, timeZones: [TimeZone]) -> Bool {
        !timeZones.isEmpty && timeZones.allSatisfy { isAllowed(instant, timeZone: $0) }
    }

    /// The earliest allowed instant at or after `instant` on the wall clock of `timeZone`: `instant` itself
    /// when it is allowed, otherwise the opening of the next allowed range (a whole minute).
    /// `nil` when the window never allows anything (``isEmpty``).
    public func nextAllowed(atOrAfter instant: Date, timeZone: TimeZone) -> Date? {
        if isEmpty { return nil }
        var t = instant
        // Each pass either returns or moves to the next opening; more than a few passes only happen when
        // daylight-saving gaps swallow openings, so this bound is never reached by real zones.
        for _ in 0..<64 {
            let (date, second) = ZonedWallClock.wallTime(of: t, in: timeZone)
            let minute = second / 60
            if isAllowed(date: date, minuteOfDay: minute) { return t }
            guard let (nextDate, nextMinute) = nextOpening(after: date, minuteOfDay: minute) else { return nil }
            var u = ZonedWallClock.earliestInstant(atOrAfterWallTime: nextDate, minuteOfDay: nextMinute, in: timeZone, notBefore: t)
            // The wall clock jumps at an offset change before u (a fall-back can bring an allowed time of
            // today round again): re-evaluate from the change itself.
            if let change = timeZone.nextDaylightSavingTimeTransition(after: t), change < u { u = change }
            if u <= t { return nil }
            t = u
        }
        return nil
    }

    /// The earliest instant at or after `instant` allowed in every zone in `timeZones` (see
    /// ``isAllowed(_:timeZones:)``). `nil` when the list is empty, when the window is empty, or when the zones'
    /// allowed times never overlap within a horizon of `7 × (holidays + 1) + 14` days.
    public func nextAllowed(atOrAfter instant: Date, timeZones: [TimeZone]) -> Date? {
        guard !timeZones.isEmpty, !isEmpty else { return nil }
        let horizon = instant.addingTimeInterval(Double(7 * (holidays.count + 1) + 14) * 86_400)
        var t = instant
        while t <= horizon {
            var moved = false
            for zone in timeZones {
                guard let u = nextAllowed(atOrAfter: t, timeZone: zone) else { return nil }
                if u > t {
                    t = u
                    moved = true
                }
            }
            if !moved { return t }
        }
        return nil
    }

    /// The wall time (date, minute) of the next range opening strictly after `minuteOfDay` on `date`,
    /// looking at most `7 × (holidays + 1)` days ahead (enough to pass every holiday and reach each weekday).
    func nextOpening(after date: LocalDate, minuteOfDay: Int) -> (LocalDate, Int)? {
        if let r = ranges(on: date).first(where: { $0.startMinute > minuteOfDay }) { return (date, r.startMinute) }
        let limit = 7 * (holidays.count + 1)
        for offset in 1...limit {
            let d = date.adding(days: offset)
            if let first = ranges(on: d).first { return (d, first.startMinute) }
        }
        return nil
    }
}

extension ContactWindow: Codable {
    enum CodingKeys: String, CodingKey { case weekly, holidays }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let weekly = try c.decodeIfPresent([Weekday: [TimeOfDayRange]].self, forKey: .weekly) ?? [:]
        let holidays = try c.decodeIfPresent([LocalDate].self, forKey: .holidays) ?? []
        self.init(weekly: weekly, holidays: Set(holidays))
    }

    /// Holidays are written sorted so equal windows encode to equal JSON.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(weekly, forKey: .weekly)
        try c.encode(holidays.sorted(), forKey: .holidays)
    }
}
