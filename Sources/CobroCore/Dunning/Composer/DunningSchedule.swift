import Foundation

/// When planned messages may go out.
///
/// Rules (issue 3, point 9): messages that reach the customer at once (email, SMS, statement) are delivered only
/// inside the contact window of the customer's country (``ContactRules/window(country:)``: its legal preset or the
/// company's rule, intersected with business hours, minus holidays), in the customer's time zone, and under the
/// country's frequency cap across those channels; outside the window a message waits for the next opening. Letters (printed and posted) and call tasks
/// (worked by a collector, who is bound by the same window when dialling) are released at the run instant.
public enum DunningSchedule {
    /// The local time a run dated `asOf` acts at, unless given an explicit instant: 10:00.
    public static let runMinuteOfDay = 10 * 60

    /// The instant a run acts at for a customer: `now` when given, else `asOf` at 10:00 on the customer's clock.
    public static func runInstant(asOf: LocalDate, now: Date?, timeZone: TimeZone) -> Date {
        if let now { return now }
        return ZonedWallClock.earliestInstant(atOrAfterWallTime: asOf, minuteOfDay: runMinuteOfDay, in: timeZone, notBefore: .distantPast)
    }

    /// Whether `channel` is bound by the contact window and the frequency cap.
    public static func isContact(_ channel: DunningChannel) -> Bool {
        switch channel {
        case .email, .sms, .statement: return true
        case .letter, .call: return false
        }
    }

    /// The earliest instant `channel` may deliver at, given the customer's earlier sends (`history`, past or
    /// already scheduled, contact channels only); `nil` when the window or cap never allows one.
    public static func deliverAt(
        _ channel: DunningChannel, runInstant: Date, country: String?, timeZone: TimeZone, rules: ContactRules = .standard, history: [Date]
    ) -> Date? {
        guard isContact(channel) else { return runInstant }
        return ContactScheduler.earliestSend(
            notBefore: runInstant, window: rules.window(country: country), cap: rules.cap(country: country), history: history, timeZone: timeZone)
    }
}
