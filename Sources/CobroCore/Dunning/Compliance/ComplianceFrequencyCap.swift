import Foundation

/// "At most `maxMessages` messages in any `days` consecutive local calendar days."
///
/// `days == 1` is a per-calendar-day limit; `days == 7` is a rolling week (any 7 consecutive days, which is
/// stricter than a calendar week). `maxMessages == 0` forbids everything.
public struct FrequencyLimit: Hashable, Sendable, Codable, CustomStringConvertible {
    public let maxMessages: Int
    public let days: Int

    /// A limit, or `nil` unless `maxMessages >= 0` and `1 <= days <= 366`.
    public init?(maxMessages: Int, days: Int) {
        guard maxMessages >= 0, (1...366).contains(days) else { return nil }
        self.maxMessages = maxMessages
        self.days = days
    }

    init(unchecked maxMessages: Int, per days: Int) {
        precondition(maxMessages >= 0 && (1...366).contains(days))
        self.maxMessages = maxMessages
        self.days = days
    }

    public var description: String { "≤ \(maxMessages) per \(days) day\(days == 1 ? "" : "s")" }

    enum CodingKeys: String, CodingKey {
        case maxMessages = "max_messages"
        case days
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let m = try c.decode(Int.self, forKey: .maxMessages)
        let d = try c.decode(Int.self, forKey: .days)
        guard let limit = FrequencyLimit(maxMessages: m, days: d) else {
            throw DecodingError.dataCorruptedError(
                forKey: .days, in: c, debugDescription: "frequency limit needs maxMessages >= 0 and days in 1...366, got \(m) per \(d)")
        }
        self = limit
    }
}

/// A per-customer cap on messages across all channels, counted in local calendar days of the customer's
/// time zone.
///
/// Contract:
/// - A candidate send at instant `c` is allowed when, for every limit, **every** window of `days`
///   consecutive local days that contains `c`'s local date holds fewer than `maxMessages` sends from
///   `history`. History may hold sends after the candidate (already scheduled ones); they count too. It
///   must not hold the candidate itself.
/// - Only the local date of each instant matters, so ``earliestAllowed(atOrAfter:history:timeZone:)``
///   returns either the instant itself or the start of a later local day (its first instant, which on a
///   day whose midnight is skipped by daylight saving is the transition instant).
/// - No limits means no cap.
public struct FrequencyCap: Hashable, Sendable, Codable {
    public var limits: [FrequencyLimit]

    public init(limits: [FrequencyLimit]) { self.limits = limits }

    /// A cap of `maxPerDay` per local calendar day and `maxPerSevenDays` per any 7 consecutive local days;
    /// `nil` leaves that limit out. `nil` if a value is negative.
    public init?(maxPerDay: Int?, maxPerSevenDays: Int?) {
        var l: [FrequencyLimit] = []
        if let d = maxPerDay {
            guard let limit = FrequencyLimit(maxMessages: d, days: 1) else { return nil }
            l.append(limit)
        }
        if let w = maxPerSevenDays {
            guard let limit = FrequencyLimit(maxMessages: w, days: 7) else { return nil }
            l.append(limit)
        }
        self.limits = l
    }

    /// Cobro's default: at most 1 message per local calendar day and 3 per any 7 consecutive days.
    public static let cobroDefault = FrequencyCap(limits: [FrequencyLimit(unchecked: 1, per: 1), FrequencyLimit(unchecked: 3, per: 7)])

    /// Colombia (Ley 2300 Art. 3), strictest reading of the paraphrases in reference §3.3: one contact per
    /// day and at most two per any 7 consecutive days ("máximo dos veces cada semana"). The "one channel per
    /// week" reading is a per-channel rule that a cross-channel cap cannot express; enforce it separately.
    public static let colombia = FrequencyCap(limits: [FrequencyLimit(unchecked: 1, per: 1), FrequencyLimit(unchecked: 2, per: 7)])

    /// Chile (Ley 21.320), SMS/e-mail/messaging: at most 2 per any 7 consecutive days and at least 2 days
    /// apart (Monday then Wednesday is fine, Monday then Tuesday is not), i.e. at most 1 per 2 consecutive days.
    public static let chileElectronic = FrequencyCap(limits: [FrequencyLimit(unchecked: 1, per: 2), FrequencyLimit(unchecked: 2, per: 7)])

    /// Chile (Ley 21.320), phone calls and visits: at most 1 per any 7 consecutive days.
    public static let chileCallsAndVisits = FrequencyCap(limits: [FrequencyLimit(unchecked: 1, per: 7)])

    /// Whether a send at `candidate` is within the cap, given the customer's other sends.
    public func isAllowed(_ candidate: Date, history: [Date], timeZone: TimeZone) -> Bool {
        isAllowed(day: ZonedWallClock.localDate(of: candidate, in: timeZone), counts: dailyCounts(history, timeZone))
    }

    /// The earliest instant at or after `instant` at which a send is within the cap: `instant` itself, or
    /// the first instant of the first later local day that is. `nil` only when a limit allows 0 messages.
    public func earliestAllowed(atOrAfter instant: Date, history: [Date], timeZone: TimeZone) -> Date? {
        guard let day = earliestAllowedDay(onOrAfter: ZonedWallClock.localDate(of: instant, in: timeZone), history: history, timeZone: timeZone)
        else { return nil }
        if day == ZonedWallClock.localDate(of: instant, in: timeZone) { return instant }
        return ZonedWallClock.earliestInstant(atOrAfterWallTime: day, minuteOfDay: 0, in: timeZone, notBefore: instant)
    }

    /// The first local date on or after `date` on which one more send stays within the cap.
    /// `nil` only when a limit allows 0 messages.
    public func earliestAllowedDay(onOrAfter date: LocalDate, history: [Date], timeZone: TimeZone) -> LocalDate? {
        if limits.contains(where: { $0.maxMessages == 0 }) { return nil }
        let counts = dailyCounts(history, timeZone)
        let longest = limits.map(\.days).max() ?? 1
        // Past the last send plus the longest window every window is empty, so the loop always returns.
        let last = max(date.dayNumber, counts.keys.max() ?? date.dayNumber) + longest
        var d = date
        while d.dayNumber <= last {
            if isAllowed(day: d, counts: counts) { return d }
            d = d.adding(days: 1)
        }
        return d
    }

    // MARK: - Counting

    func dailyCounts(_ history: [Date], _ timeZone: TimeZone) -> [Int: Int] {
        var counts: [Int: Int] = [:]
        for h in history { counts[ZonedWallClock.localDate(of: h, in: timeZone).dayNumber, default: 0] += 1 }
        return counts
    }

    /// For each limit, slides a `days`-wide window over every position that contains `day`.
    func isAllowed(day: LocalDate, counts: [Int: Int]) -> Bool {
        for limit in limits {
            let w = limit.days
            let first = day.dayNumber - w + 1
            var sum = 0
            for n in first..<(first + w) { sum += counts[n] ?? 0 }
            if sum + 1 > limit.maxMessages { return false }
            for start in stride(from: first + 1, through: day.dayNumber, by: 1) {
                sum += (counts[start + w - 1] ?? 0) - (counts[start - 1] ?? 0)
                if sum + 1 > limit.maxMessages { return false }
            }
        }
        return true
    }
}
