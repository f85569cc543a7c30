import Foundation

/// A day of the week. JSON and dictionary keys use the lowercase English name ("monday").
public enum Weekday: String, CaseIterable, Hashable, Sendable, Codable, CodingKeyRepresentable, Comparable {
    case monday, tuesday, wednesday, thursday, friday, saturday, sunday

    /// ISO 8601 number: Monday = 1 … Sunday = 7 (as ``LocalDate/isoWeekday``).
    public var isoNumber: Int {
        switch self {
        case .monday: 1
        case .tuesday: 2
        case .wednesday: 3
        case .thursday: 4
        case .friday: 5
        case .saturday: 6
        case .sunday: 7
        }
    }

    /// The weekday with ISO number `isoNumber` (1…7), or `nil` outside that range.
    public init?(isoNumber: Int) {
        guard (1...7).contains(isoNumber) else { return nil }
        self = Weekday.allCases[isoNumber - 1]
    }

    /// The weekday of a calendar date.
    public init(_ date: LocalDate) {
        // isoWeekday is always 1…7; the fallback is unreachable.
        self = Weekday(isoNumber: date.isoWeekday) ?? .monday
    }

    /// Monday through Friday.
    public static let workdays: [Weekday] = [.monday, .tuesday, .wednesday, .thursday, .friday]

    public static func < (a: Weekday, b: Weekday) -> Bool { a.isoNumber < b.isoNumber }
}

/// A half-open range of local wall-clock time within one day, in minutes from midnight: `[start, end)`.
///
/// `08:00-19:00` allows 08:00:00 up to 18:59:59 and not 19:00:00. `end` may be 1440 (`24:00`, end of day).
/// A range never crosses midnight; split an overnight window into two ranges on consecutive days.
/// JSON form: the string `"HH:MM-HH:MM"`.
public struct TimeOfDayRange: Hashable, Sendable, Comparable, CustomStringConvertible {
    /// First allowed minute of the day (0…1439).
    public let startMinute: Int
    /// First minute no longer allowed (start+1…1440).
    public let endMinute: Int

    /// A range, or `nil` unless `0 <= startMinute < endMinute <= 1440`.
    public init?(startMinute: Int, endMinute: Int) {
        guard startMinute >= 0, startMinute < endMinute, endMinute <= 1440 else { return nil }
        self.startMinute = startMinute
        self.endMinute = endMinute
    }

    /// Unchecked, for presets whose bounds are constants.
    init(uncheckedStart start: Int, end: Int) {
        precondition(start >= 0 && start < end && end <= 1440, "invalid time-of-day range \(start)..<\(end)")
        startMinute = start
        endMinute = end
    }

    /// Whole hours, for presets: `hours(8, 19)` is 08:00-19:00.
    static func hours(_ from: Int, _ to: Int) -> TimeOfDayRange { TimeOfDayRange(uncheckedStart: from * 60, end: to * 60) }

    /// Parses `"HH:MM-HH:MM"` (24-hour clock, `24:00` allowed as an end), or `nil` if malformed or empty.
    public init?(_ text: some StringProtocol) {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 2,
            let s = TimeOfDayRange.parseClock(parts[0]), let e = TimeOfDayRange.parseClock(parts[1])
        else { return nil }
        self.init(startMinute: s, endMinute: e)
    }

    /// Whether `minuteOfDay` lies in `[start, end)`.
    public func contains(minuteOfDay: Int) -> Bool { minuteOfDay >= startMinute && minuteOfDay < endMinute }

    public var description: String { TimeOfDayRange.clock(startMinute) + "-" + TimeOfDayRange.clock(endMinute) }

    public static func < (a: TimeOfDayRange, b: TimeOfDayRange) -> Bool {
        (a.startMinute, a.endMinute) < (b.startMinute, b.endMinute)
    }

    static func parseClock(_ text: some StringProtocol) -> Int? {
        let t = text.trimmingCharacters(in: .whitespaces)
        let hm = t.split(separator: ":", omittingEmptySubsequences: false)
        guard hm.count == 2, hm[0].count == 2, hm[1].count == 2,
            hm[0].utf8.allSatisfy({ $0 >= 48 && $0 <= 57 }), hm[1].utf8.allSatisfy({ $0 >= 48 && $0 <= 57 }),
            let h = Int(hm[0]), let m = Int(hm[1]), m < 60, h < 24 || (h == 24 && m == 0)
        else { return nil }
        return h * 60 + m
    }

    static func clock(_ minute: Int) -> String {
        let h = minute / 60, m = minute % 60
        return (h < 10 ? "0" : "") + String(h) + ":" + (m < 10 ? "0" : "") + String(m)
    }

    /// Sorts and merges overlapping or touching ranges.
    static func normalized(_ ranges: [TimeOfDayRange]) -> [TimeOfDayRange] {
        var out: [TimeOfDayRange] = []
        for r in ranges.sorted() {
            if let last = out.last, r.startMinute <= last.endMinute {
                out[out.count - 1] = TimeOfDayRange(uncheckedStart: last.startMinute, end: max(last.endMinute, r.endMinute))
            } else {
                out.append(r)
            }
        }
        return out
    }

    /// The minutes allowed by both lists (each normalized).
    static func intersection(_ a: [TimeOfDayRange], _ b: [TimeOfDayRange]) -> [TimeOfDayRange] {
        var out: [TimeOfDayRange] = []
        for x in a {
            for y in b {
                let s = max(x.startMinute, y.startMinute), e = min(x.endMinute, y.endMinute)
                if s < e { out.append(TimeOfDayRange(uncheckedStart: s, end: e)) }
            }
        }
        return normalized(out)
    }
}

extension TimeOfDayRange: Codable {
    public init(from decoder: any Decoder) throws {
        let c = try decoder.singleValueContainer()
        let s = try c.decode(String.self)
        guard let r = TimeOfDayRange(s) else {
            throw DecodingError.dataCorruptedError(
                in: c, debugDescription: "expected a time range \"HH:MM-HH:MM\" with start before end (e.g. \"08:00-19:00\"), got \"\(s)\"")
        }
        self = r
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(description)
    }
}
