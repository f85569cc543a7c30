import Foundation

/// Converts between instants (`Date`, UTC) and wall-clock time in an IANA time zone, exactly across
/// daylight-saving changes.
///
/// Contract:
/// - ``wallTime(of:in:)`` gives the local calendar date and the second of the local day of an instant.
///   The offset comes from `TimeZone.secondsFromGMT(for:)`, the same tz database that
///   `Calendar(identifier: .gregorian)` uses; it is applied to whole seconds (fractions are dropped, so an
///   instant at 07:59:59.9 local is minute 479, not 480).
/// - ``earliestInstant(atOrAfterWallTime:minuteOfDay:in:notBefore:)`` resolves a wall-clock time back to an
///   instant: the earliest instant at or after `notBefore` whose local time has reached that wall time. In a
///   spring-forward gap (a wall time that does not exist) that is the transition instant itself (02:30 on
///   the day New York skips 02:00–03:00 resolves to 03:00 EDT, not 03:30 as `Calendar.date(from:)` would
///   give). In a fall-back overlap (a wall time that happens twice) it is the first occurrence not before
///   `notBefore`.
public enum ZonedWallClock {
    /// Seconds in a day.
    static let secondsPerDay: Int64 = 86_400
    /// Instants further than this from 1970 are clamped (about ±3 million years), so no input traps.
    static let maxMagnitude: Double = 1e14

    /// The local calendar date and second of the local day (0..<86400) of `instant` in `timeZone`.
    public static func wallTime(of instant: Date, in timeZone: TimeZone) -> (date: LocalDate, secondOfDay: Int) {
        let utc = wholeSeconds(instant)
        let local = utc + Int64(timeZone.secondsFromGMT(for: moment(utc)))
        let day = floorDiv(local, secondsPerDay)
        return (LocalDate(dayNumber: Int(day)), Int(local - day * secondsPerDay))
    }

    /// The local calendar date of `instant` in `timeZone`.
    public static func localDate(of instant: Date, in timeZone: TimeZone) -> LocalDate {
        wallTime(of: instant, in: timeZone).date
    }

    /// The earliest instant `u >= notBefore` whose wall-clock time in `timeZone` is at or after
    /// (`date`, `minuteOfDay`). Meant to be called with a wall time later than the wall time of `notBefore`
    /// (the next opening of a window); see the type's documentation for gaps and overlaps.
    public static func earliestInstant(
        atOrAfterWallTime date: LocalDate, minuteOfDay: Int, in timeZone: TimeZone, notBefore: Date
    ) -> Date {
        let naive = Int64(date.dayNumber) * secondsPerDay + Int64(minuteOfDay) * 60
        let floorSeconds = wholeSeconds(notBefore)
        // Offsets in force around the wall time; real zones change offset at most once in four days.
        var offsets: [Int64] = []
        for probe in [naive - 2 * secondsPerDay, naive, naive + 2 * secondsPerDay] {
            let o = offset(probe, timeZone)
            if !offsets.contains(o) { offsets.append(o) }
        }
        // Instants whose local time is exactly the wall time (two in an overlap, none in a gap).
        let exact = offsets.map { naive - $0 }.filter { offset($0, timeZone) + $0 == naive }.sorted()
        if !exact.isEmpty {
            if let u = exact.first(where: { $0 >= floorSeconds }) { return u == floorSeconds ? notBefore : moment(u) }
            return notBefore  // not reached for a wall time later than notBefore's; keeps the result >= notBefore
        }
        // A gap: the wall time is skipped; the first instant past it is the transition.
        let candidates = offsets.map { naive - $0 }
        guard var lo = candidates.min(), var hi = candidates.max(), lo < hi else {
            return moment(max(naive - (offsets.first ?? 0), floorSeconds))
        }
        let after = offset(hi, timeZone)
        while hi - lo > 1 {
            let mid = lo + (hi - lo) / 2
            if offset(mid, timeZone) == after { hi = mid } else { lo = mid }
        }
        return hi <= floorSeconds ? notBefore : moment(hi)
    }

    // MARK: - Helpers

    static func wholeSeconds(_ instant: Date) -> Int64 {
        let s = instant.timeIntervalSince1970
        guard s.isFinite else { return s < 0 ? -Int64(maxMagnitude) : Int64(maxMagnitude) }
        return Int64(min(max(s, -maxMagnitude), maxMagnitude).rounded(.down))
    }

    static func moment(_ seconds: Int64) -> Date { Date(timeIntervalSince1970: TimeInterval(seconds)) }

    static func offset(_ seconds: Int64, _ timeZone: TimeZone) -> Int64 {
        Int64(timeZone.secondsFromGMT(for: moment(seconds)))
    }

    static func floorDiv(_ a: Int64, _ b: Int64) -> Int64 {
        let q = a / b
        return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q
    }
}
