import Foundation

/// Finds the earliest moment a message may go out under both a ``ContactWindow`` and a ``FrequencyCap``.
public enum ContactScheduler {
    /// The earliest instant at or after `notBefore` that the window allows on the wall clock of `timeZone`
    /// **and** at which one more send stays within `cap` given `history` (the customer's other sends, across
    /// channels, past or already scheduled).
    ///
    /// Returns `notBefore` itself when both allow it, otherwise the opening of an allowed range. `nil` when
    /// the window is empty or the cap allows nothing (a limit of 0). The search alternates between the two
    /// rules; every unsuccessful round moves to a later local day, and past the last send plus the longest
    /// cap window the cap always allows, so the loop is bounded by that many days.
    public static func earliestSend(
        notBefore: Date, window: ContactWindow, cap: FrequencyCap, history: [Date], timeZone: TimeZone
    ) -> Date? {
        let startDay = ZonedWallClock.localDate(of: notBefore, in: timeZone).dayNumber
        let lastSendDay = history.map { ZonedWallClock.localDate(of: $0, in: timeZone).dayNumber }.max() ?? startDay
        let longest = cap.limits.map(\.days).max() ?? 1
        let rounds = max(0, lastSendDay - startDay) + longest + 3
        var t = notBefore
        for _ in 0..<rounds {
            guard let inWindow = window.nextAllowed(atOrAfter: t, timeZone: timeZone) else { return nil }
            guard let capped = cap.earliestAllowed(atOrAfter: inWindow, history: history, timeZone: timeZone) else { return nil }
            if capped == inWindow { return inWindow }
            t = capped
        }
        return nil
    }
}
