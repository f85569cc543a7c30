import Foundation
import Testing

@testable import CobroCore

// Frequency caps per customer across channels, counted in local calendar days.
// Bogotá is UTC−5 without DST: local hh:mm = UTC hh+5:mm.

private func day(_ iso: String) -> LocalDate {
    guard let d = LocalDate(iso: iso) else { fatalError("bad test date \(iso)") }
    return d
}

private func zone(_ id: String) -> TimeZone {
    guard let z = TimeZone(identifier: id) else { fatalError("unknown zone \(id)") }
    return z
}

private func utc(_ iso: String, _ hour: Int, _ minute: Int = 0, _ second: Int = 0) -> Date {
    Date(timeIntervalSince1970: TimeInterval(day(iso).dayNumber * 86_400 + hour * 3600 + minute * 60 + second))
}

private let bogota = zone("America/Bogota")

/// Bogotá local time (UTC−5) as an instant.
private func bog(_ iso: String, _ hour: Int, _ minute: Int = 0) -> Date {
    utc(iso, 0).addingTimeInterval(TimeInterval((hour + 5) * 3600 + minute * 60))
}

private func limit(_ max: Int, per days: Int) -> FrequencyLimit {
    guard let l = FrequencyLimit(maxMessages: max, days: days) else { fatalError("bad limit") }
    return l
}

@Suite("Compliance: frequency cap, default 1 per day and 3 per 7 days")
struct ComplianceFrequencyCapDefaultTests {
    let cap = FrequencyCap.cobroDefault

    @Test func defaultLimits() {
        #expect(cap.limits == [limit(1, per: 1), limit(3, per: 7)])
        #expect(FrequencyCap(maxPerDay: 1, maxPerSevenDays: 3) == cap)
    }

    @Test func emptyHistoryAllows() {
        #expect(cap.isAllowed(bog("2024-06-03", 10), history: [], timeZone: bogota))
        #expect(cap.earliestAllowed(atOrAfter: bog("2024-06-03", 10), history: [], timeZone: bogota) == bog("2024-06-03", 10))
    }

    @Test func onePerLocalCalendarDay() {
        let history = [bog("2024-06-03", 10)]
        #expect(!cap.isAllowed(bog("2024-06-03", 18), history: history, timeZone: bogota))
        #expect(!cap.isAllowed(bog("2024-06-03", 0, 0), history: history, timeZone: bogota))  // earlier the same day counts too
        #expect(!cap.isAllowed(bog("2024-06-03", 23, 59), history: history, timeZone: bogota))
        #expect(cap.isAllowed(bog("2024-06-04", 0, 0), history: history, timeZone: bogota))
        #expect(cap.isAllowed(bog("2024-06-02", 23, 59), history: history, timeZone: bogota))
    }

    @Test func daysAreLocalNotUTC() {
        // Mon 20:00 Bogotá is Tue 01:00 UTC; Tue 09:00 Bogotá is Tue 14:00 UTC: same UTC day, different local days.
        #expect(cap.isAllowed(utc("2024-06-04", 14), history: [utc("2024-06-04", 1)], timeZone: bogota))
        // Mon 08:00 Bogotá (13:00 UTC) and Mon 22:00 Bogotá (Tue 03:00 UTC): different UTC days, same local day.
        #expect(!cap.isAllowed(utc("2024-06-04", 3), history: [utc("2024-06-03", 13)], timeZone: bogota))
    }

    @Test func rollingSevenDayWindowBoundary() {
        // Sends Mon 06-03, Tue 06-04, Wed 06-05. Windows containing Sun 06-09 include 06-03…06-09 (3 sends): blocked.
        // Mon 06-10: the window 06-04…06-10 holds 2, every later window fewer: allowed.
        let history = [bog("2024-06-03", 10), bog("2024-06-04", 10), bog("2024-06-05", 10)]
        #expect(!cap.isAllowed(bog("2024-06-06", 10), history: history, timeZone: bogota))
        #expect(!cap.isAllowed(bog("2024-06-09", 23, 59), history: history, timeZone: bogota))
        #expect(cap.isAllowed(bog("2024-06-10", 0, 0), history: history, timeZone: bogota))
        #expect(cap.earliestAllowed(atOrAfter: bog("2024-06-06", 9), history: history, timeZone: bogota) == bog("2024-06-10", 0, 0))
        #expect(cap.earliestAllowedDay(onOrAfter: day("2024-06-06"), history: history, timeZone: bogota) == day("2024-06-10"))
    }

    @Test func spreadSendsStillCountInTheWindow() {
        // Mon, Wed, Fri → Sun blocked (06-03…06-09 holds 3), next Mon allowed (06-04…06-10 holds 2).
        let history = [bog("2024-06-03", 9), bog("2024-06-05", 9), bog("2024-06-07", 9)]
        #expect(!cap.isAllowed(bog("2024-06-09", 9), history: history, timeZone: bogota))
        #expect(!cap.isAllowed(bog("2024-06-08", 9), history: history, timeZone: bogota))
        #expect(cap.isAllowed(bog("2024-06-10", 9), history: history, timeZone: bogota))
    }

    @Test func scheduledFutureSendsCount() {
        // Sends Thu 06-06, Fri 06-07 and one already scheduled Wed 06-12. A send on Mon 06-10 would make
        // 06-06…06-12 hold 4: blocked, although 06-04…06-10 alone holds only 2 (+1 = 3).
        let history = [bog("2024-06-06", 9), bog("2024-06-07", 9), bog("2024-06-12", 9)]
        #expect(!cap.isAllowed(bog("2024-06-10", 9), history: history, timeZone: bogota))
        // Without the scheduled one it is allowed.
        #expect(cap.isAllowed(bog("2024-06-10", 9), history: Array(history.prefix(2)), timeZone: bogota))
        // 06-08…06-11 fall in 06-06…06-12 (3 sends), 06-12 has a send; 06-13: the fullest window containing it,
        // 06-07…06-13, holds 2 (+1 = 3): the first allowed day.
        #expect(cap.earliestAllowedDay(onOrAfter: day("2024-06-08"), history: history, timeZone: bogota) == day("2024-06-13"))
    }
}

@Suite("Compliance: frequency cap configuration and presets")
struct ComplianceFrequencyCapConfigTests {
    @Test func configurableLimits() throws {
        let twoPerDay = try #require(FrequencyCap(maxPerDay: 2, maxPerSevenDays: nil))
        let h = [bog("2024-06-03", 9)]
        #expect(twoPerDay.isAllowed(bog("2024-06-03", 10), history: h, timeZone: bogota))
        #expect(!twoPerDay.isAllowed(bog("2024-06-03", 11), history: h + [bog("2024-06-03", 10)], timeZone: bogota))
        // No weekly limit: a send every day is fine.
        let week = (3...9).map { bog("2024-06-0\($0)", 9) }
        #expect(twoPerDay.isAllowed(bog("2024-06-09", 12), history: week, timeZone: bogota))
        #expect(FrequencyCap(maxPerDay: -1, maxPerSevenDays: 3) == nil)
        #expect(FrequencyCap(maxPerDay: 1, maxPerSevenDays: -3) == nil)
    }

    @Test func invalidLimits() {
        #expect(FrequencyLimit(maxMessages: 1, days: 0) == nil)
        #expect(FrequencyLimit(maxMessages: -1, days: 1) == nil)
        #expect(FrequencyLimit(maxMessages: 1, days: 367) == nil)
        #expect(FrequencyLimit(maxMessages: 0, days: 1) != nil)
    }

    @Test func zeroLimitForbidsEverything() {
        let none = FrequencyCap(limits: [limit(0, per: 1)])
        #expect(!none.isAllowed(bog("2024-06-03", 10), history: [], timeZone: bogota))
        #expect(none.earliestAllowed(atOrAfter: bog("2024-06-03", 10), history: [], timeZone: bogota) == nil)
        #expect(
            ContactScheduler.earliestSend(notBefore: bog("2024-06-03", 10), window: .cobroDefault, cap: none, history: [], timeZone: bogota) == nil)
    }

    @Test func noLimitsIsNoCap() {
        let free = FrequencyCap(limits: [])
        let h = Array(repeating: bog("2024-06-03", 10), count: 50)
        #expect(free.isAllowed(bog("2024-06-03", 11), history: h, timeZone: bogota))
    }

    @Test func colombiaTwoPerSevenDays() {
        let cap = FrequencyCap.colombia
        let h = [bog("2024-06-03", 9), bog("2024-06-05", 9)]
        #expect(!cap.isAllowed(bog("2024-06-07", 9), history: h, timeZone: bogota))
        #expect(!cap.isAllowed(bog("2024-06-09", 9), history: h, timeZone: bogota))
        #expect(cap.isAllowed(bog("2024-06-10", 9), history: h, timeZone: bogota))  // 06-04…06-10 holds 1
        #expect(!cap.isAllowed(bog("2024-06-03", 15), history: [bog("2024-06-03", 9)], timeZone: bogota))
    }

    @Test func chileElectronicTwoPerWeekTwoDaysApart() {
        let cap = FrequencyCap.chileElectronic
        let mon = [bog("2024-06-03", 9)]
        #expect(!cap.isAllowed(bog("2024-06-04", 9), history: mon, timeZone: bogota))  // Tuesday: 1 day apart
        #expect(cap.isAllowed(bog("2024-06-05", 9), history: mon, timeZone: bogota))  // Wednesday: 2 days apart
        let monWed = mon + [bog("2024-06-05", 9)]
        #expect(!cap.isAllowed(bog("2024-06-07", 9), history: monWed, timeZone: bogota))  // third in 7 days
        #expect(!cap.isAllowed(bog("2024-06-09", 9), history: monWed, timeZone: bogota))
        #expect(cap.isAllowed(bog("2024-06-10", 9), history: monWed, timeZone: bogota))  // 06-04…06-10 holds Wed only
    }

    @Test func chileCallsOnePerSevenDays() {
        let cap = FrequencyCap.chileCallsAndVisits
        let mon = [bog("2024-06-03", 9)]
        #expect(!cap.isAllowed(bog("2024-06-09", 9), history: mon, timeZone: bogota))
        #expect(cap.isAllowed(bog("2024-06-10", 9), history: mon, timeZone: bogota))
        #expect(cap.earliestAllowed(atOrAfter: bog("2024-06-04", 9), history: mon, timeZone: bogota) == bog("2024-06-10", 0))
    }

    @Test func capDayStartOnADayWithoutMidnight() throws {
        // Santiago: Sat 2024-09-07 ends at 24:00 −04, the clock jumps to Sun 01:00 −03 (04:00 UTC).
        let santiago = zone("America/Santiago")
        let sat = utc("2024-09-07", 14)  // 10:00 −04
        let next = FrequencyCap.cobroDefault.earliestAllowed(atOrAfter: utc("2024-09-07", 20), history: [sat], timeZone: santiago)
        #expect(next == utc("2024-09-08", 4, 0))
    }

    @Test func codingRoundTripAndValidation() throws {
        let data = try JSONEncoder().encode(FrequencyCap.cobroDefault)
        #expect(try JSONDecoder().decode(FrequencyCap.self, from: data) == .cobroDefault)
        let bad = #"{"limits":[{"max_messages":1,"days":0}]}"#
        #expect(throws: DecodingError.self) { try JSONDecoder().decode(FrequencyCap.self, from: Data(bad.utf8)) }
        let good = #"{"limits":[{"max_messages":2,"days":7}]}"#
        #expect(try JSONDecoder().decode(FrequencyCap.self, from: Data(good.utf8)).limits == [limit(2, per: 7)])
    }
}

@Suite("Compliance: contact scheduler (window × cap)")
struct ComplianceContactSchedulerTests {
    let window = ContactWindow.cobroDefault
    let cap = FrequencyCap.cobroDefault

    @Test func noHistoryWaitsForTheWindow() {
        // Mon 06:00 → Mon 08:00.
        #expect(
            ContactScheduler.earliestSend(notBefore: bog("2024-06-03", 6), window: window, cap: cap, history: [], timeZone: bogota)
                == bog("2024-06-03", 8))
        // Already open: itself.
        #expect(
            ContactScheduler.earliestSend(notBefore: bog("2024-06-03", 9, 15), window: window, cap: cap, history: [], timeZone: bogota)
                == bog("2024-06-03", 9, 15))
    }

    @Test func capBlocksTodaySoNextWindowOpening() {
        // Sent Mon 10:00; at Mon 12:00 → Tue 08:00 (not Tue 00:00, which the window closes).
        let h = [bog("2024-06-04", 10)]
        #expect(
            ContactScheduler.earliestSend(notBefore: bog("2024-06-04", 12), window: window, cap: cap, history: h, timeZone: bogota)
                == bog("2024-06-05", 8))
    }

    @Test func capBlocksSaturdayAndSundayIsClosed() {
        let h = [bog("2024-06-08", 9)]
        #expect(
            ContactScheduler.earliestSend(notBefore: bog("2024-06-08", 10), window: window, cap: cap, history: h, timeZone: bogota)
                == bog("2024-06-10", 8))
    }

    @Test func weeklyCapThenHoliday() {
        // Sends Mon–Wed 06-03…06-05: the cap frees Mon 06-10; with 06-10 a holiday → Tue 06-11 08:00
        // (06-05…06-11 holds one send).
        let h = [bog("2024-06-03", 9), bog("2024-06-04", 9), bog("2024-06-05", 9)]
        #expect(
            ContactScheduler.earliestSend(notBefore: bog("2024-06-05", 12), window: window, cap: cap, history: h, timeZone: bogota)
                == bog("2024-06-10", 8))
        let holiday = window.addingHolidays([day("2024-06-10")])
        #expect(
            ContactScheduler.earliestSend(notBefore: bog("2024-06-05", 12), window: holiday, cap: cap, history: h, timeZone: bogota)
                == bog("2024-06-11", 8))
    }

    @Test func windowOpenOnlyOnADayTheCapBlocks() {
        // Only Sundays 10:00–12:00; sent Sun 06-09 → next Sunday 06-16 10:00.
        guard let r = TimeOfDayRange("10:00-12:00") else { return }
        let sundays = ContactWindow(weekly: [.sunday: [r]])
        let h = [bog("2024-06-09", 10, 30)]
        #expect(
            ContactScheduler.earliestSend(notBefore: bog("2024-06-09", 11), window: sundays, cap: cap, history: h, timeZone: bogota)
                == bog("2024-06-16", 10))
    }

    @Test func cappedDayMovesAcrossDST() {
        // New York: sent Sat 03-09 09:00 EST; at 10:00 EST (15:00 UTC) the cap blocks Saturday; Sunday 03-10 opens
        // at 08:00 EDT = 12:00 UTC (Reg F hours every day).
        let ny = zone("America/New_York")
        let h = [utc("2024-03-09", 14)]
        #expect(
            ContactScheduler.earliestSend(notBefore: utc("2024-03-09", 15), window: .usRegulationF, cap: cap, history: h, timeZone: ny)
                == utc("2024-03-10", 12))
    }

    @Test func emptyWindowGivesNil() {
        #expect(
            ContactScheduler.earliestSend(
                notBefore: bog("2024-06-03", 6), window: ContactWindow(weekly: [:]), cap: cap, history: [], timeZone: bogota) == nil)
    }

    @Test func resultSatisfiesBothRules() {
        // A busy month: one send every second day; every result must pass both checks and be the earliest.
        let h = stride(from: 0, to: 30, by: 2).map { utc("2024-06-01", 0).addingTimeInterval(TimeInterval($0 * 86_400 + 15 * 3600)) }
        var t = bog("2024-06-01", 0)
        for _ in 0..<40 {
            guard let s = ContactScheduler.earliestSend(notBefore: t, window: window, cap: cap, history: h, timeZone: bogota) else {
                Issue.record("no slot")
                return
            }
            #expect(s >= t)
            #expect(window.isAllowed(s, timeZone: bogota))
            #expect(cap.isAllowed(s, history: h, timeZone: bogota))
            // One minute earlier (if still ≥ t) fails one of the rules.
            let before = s.addingTimeInterval(-60)
            if before >= t {
                #expect(!(window.isAllowed(before, timeZone: bogota) && cap.isAllowed(before, history: h, timeZone: bogota)))
            }
            t = s.addingTimeInterval(7 * 3600)
        }
    }
}
