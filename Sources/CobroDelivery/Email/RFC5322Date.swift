import Foundation

/// RFC 5322 §3.3 date-time in UTC, e.g. `Mon, 01 Jul 2024 12:00:00 +0000`.
///
/// Computed arithmetically from the instant (civil-from-days), so the result does not depend on the process
/// locale, time zone or calendar settings. Fractions of a second are dropped (rounded toward the past).
enum RFC5322Date {
    static let weekdays = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"]
    static let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]

    /// 0001-01-01T00:00:00Z and 9999-12-31T23:59:59Z: the instants with a four-digit year.
    static let representable: ClosedRange<Double> = -62_135_596_800...253_402_300_799

    /// The instant as a Date header value; instants outside years 0001–9999 (and non-finite ones) are clamped to that
    /// range, since RFC 5322 years have four digits.
    static func format(_ date: Date) -> String {
        let t = date.timeIntervalSince1970
        let seconds = Int64(t.isNaN ? 0 : min(max(t, representable.lowerBound), representable.upperBound).rounded(.down))
        let (days, secondOfDay) = floorDivMod(seconds, 86_400)
        let weekday = Int(floorDivMod(days + 4, 7).1)  // 1970-01-01 was a Thursday
        let (year, month, day) = civil(fromDays: days)
        let hour = secondOfDay / 3600
        let minute = secondOfDay / 60 % 60
        let second = secondOfDay % 60
        return "\(weekdays[weekday]), \(pad(day, 2)) \(months[Int(month) - 1]) \(pad(year, 4)) "
            + "\(pad(hour, 2)):\(pad(minute, 2)):\(pad(second, 2)) +0000"
    }

    private static func floorDivMod(_ a: Int64, _ b: Int64) -> (Int64, Int64) {
        let q = a / b
        let r = a % b
        return r < 0 ? (q - 1, r + b) : (q, r)
    }

    /// Proleptic Gregorian (year, month 1–12, day 1–31) of a count of days since 1970-01-01 (H. Hinnant's algorithm).
    private static func civil(fromDays z0: Int64) -> (Int64, Int64, Int64) {
        let z = z0 + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let day = doy - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        let year = yoe + era * 400 + (month <= 2 ? 1 : 0)
        return (year, month, day)
    }

    private static func pad(_ n: Int64, _ width: Int) -> String {
        let s = String(n)
        return s.count >= width ? s : String(repeating: "0", count: width - s.count) + s
    }
}
