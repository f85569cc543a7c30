import Foundation
import Testing

@testable import CobroCore

// Daylight-saving correctness of contact windows and of the wall-clock conversion.
// 2024 transitions (tz database):
// - America/New_York: Sun 03-10 02:00 EST → 03:00 EDT (07:00 UTC); Sun 11-03 02:00 EDT → 01:00 EST (06:00 UTC).
// - Europe/Madrid: Sun 03-31 02:00 CET → 03:00 CEST (01:00 UTC); Sun 10-27 03:00 CEST → 02:00 CET (01:00 UTC).
// - America/Santiago: Sun 09-08 00:00 −04 → 01:00 −03 (04:00 UTC): that day has no midnight.
// - America/Bogota: UTC−5 all year.

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

private func range(_ text: String) -> TimeOfDayRange {
    guard let r = TimeOfDayRange(text) else { fatalError("bad range \(text)") }
    return r
}

private let newYork = zone("America/New_York")
private let madrid = zone("Europe/Madrid")
private let bogota = zone("America/Bogota")
private let santiago = zone("America/Santiago")

@Suite("Compliance: DST in America/New_York")
struct ComplianceNewYorkDSTTests {
    let regF = ContactWindow.usRegulationF

    @Test func springForwardMovesTheUTCOpening() {
        // Sat 03-09 (EST, UTC−5): 08:00 local = 13:00 UTC.
        #expect(!regF.isAllowed(utc("2024-03-09", 12, 59), timeZone: newYork))
        #expect(regF.isAllowed(utc("2024-03-09", 13, 0), timeZone: newYork))
        #expect(regF.nextAllowed(atOrAfter: utc("2024-03-09", 12, 30), timeZone: newYork) == utc("2024-03-09", 13, 0))
        // Sun 03-10 (EDT, UTC−4 from 07:00 UTC): 08:00 local = 12:00 UTC; a fixed −5 offset would say 13:00.
        #expect(!regF.isAllowed(utc("2024-03-10", 11, 59), timeZone: newYork))
        #expect(regF.isAllowed(utc("2024-03-10", 12, 0), timeZone: newYork))
        #expect(regF.nextAllowed(atOrAfter: utc("2024-03-10", 6, 0), timeZone: newYork) == utc("2024-03-10", 12, 0))
        // 21:00 EDT = 01:00 UTC next day.
        #expect(regF.isAllowed(utc("2024-03-11", 0, 59), timeZone: newYork))
        #expect(!regF.isAllowed(utc("2024-03-11", 1, 0), timeZone: newYork))
    }

    @Test func openingInsideTheSkippedHourStartsAtTheTransition() {
        // Every day 02:30–03:30. On 03-10 02:30 does not exist: the first instant whose wall clock has reached
        // 02:30 is the transition, 03:00 EDT = 07:00 UTC, and 03:00–03:30 EDT is open.
        let w = ContactWindow(days: Weekday.allCases, ranges: [range("02:30-03:30")])
        #expect(w.nextAllowed(atOrAfter: utc("2024-03-10", 6, 0), timeZone: newYork) == utc("2024-03-10", 7, 0))
        #expect(w.isAllowed(utc("2024-03-10", 7, 0), timeZone: newYork))
        #expect(w.isAllowed(utc("2024-03-10", 7, 29), timeZone: newYork))
        #expect(!w.isAllowed(utc("2024-03-10", 7, 30), timeZone: newYork))
        // Just before the transition it is 01:59 EST: closed.
        #expect(!w.isAllowed(utc("2024-03-10", 6, 59), timeZone: newYork))
    }

    @Test func rangeEntirelyInsideTheSkippedHourIsSkippedThatDay() {
        // Every day 02:00–02:45: does not occur on 03-10; next is 03-11 02:00 EDT = 06:00 UTC.
        let w = ContactWindow(days: Weekday.allCases, ranges: [range("02:00-02:45")])
        #expect(w.nextAllowed(atOrAfter: utc("2024-03-10", 6, 0), timeZone: newYork) == utc("2024-03-11", 6, 0))
        // The day before it is 02:00 EST = 07:00 UTC.
        #expect(w.nextAllowed(atOrAfter: utc("2024-03-09", 6, 0), timeZone: newYork) == utc("2024-03-09", 7, 0))
    }

    @Test func fallBackMovesTheUTCOpeningLater() {
        // Sat 11-02 (EDT): 08:00 = 12:00 UTC.
        #expect(!regF.isAllowed(utc("2024-11-02", 11, 59), timeZone: newYork))
        #expect(regF.isAllowed(utc("2024-11-02", 12, 0), timeZone: newYork))
        // Sun 11-03 from 01:00 EDT (05:00 UTC): opening at 08:00 EST = 13:00 UTC.
        #expect(regF.nextAllowed(atOrAfter: utc("2024-11-03", 5, 0), timeZone: newYork) == utc("2024-11-03", 13, 0))
        #expect(!regF.isAllowed(utc("2024-11-03", 12, 30), timeZone: newYork))  // 07:30 EST
        // 21:00 EST = 02:00 UTC next day.
        #expect(regF.isAllowed(utc("2024-11-04", 1, 59), timeZone: newYork))
        #expect(!regF.isAllowed(utc("2024-11-04", 2, 0), timeZone: newYork))
    }

    @Test func repeatedHourIsOpenOnBothPasses() {
        // Every day 01:00–01:30. On 11-03 the wall clock shows 01:00–01:59 twice: EDT (05:00–05:59 UTC), then EST
        // (06:00–06:59 UTC).
        let w = ContactWindow(days: Weekday.allCases, ranges: [range("01:00-01:30")])
        #expect(w.isAllowed(utc("2024-11-03", 5, 15), timeZone: newYork))  // 01:15 EDT
        #expect(!w.isAllowed(utc("2024-11-03", 5, 45), timeZone: newYork))  // 01:45 EDT
        #expect(w.isAllowed(utc("2024-11-03", 6, 15), timeZone: newYork))  // 01:15 EST
        #expect(!w.isAllowed(utc("2024-11-03", 6, 30), timeZone: newYork))  // 01:30 EST
        // From 01:45 EDT the next opening is 01:00 EST, the second pass (06:00 UTC), not the next day.
        #expect(w.nextAllowed(atOrAfter: utc("2024-11-03", 5, 45), timeZone: newYork) == utc("2024-11-03", 6, 0))
        // From 01:30 EST the next opening is tomorrow 01:00 EST = 06:00 UTC.
        #expect(w.nextAllowed(atOrAfter: utc("2024-11-03", 6, 30), timeZone: newYork) == utc("2024-11-04", 6, 0))
        // From before the overlap the first pass is the earliest.
        #expect(w.nextAllowed(atOrAfter: utc("2024-11-03", 4, 0), timeZone: newYork) == utc("2024-11-03", 5, 0))
    }
}

@Suite("Compliance: DST in Europe/Madrid and none in America/Bogota")
struct ComplianceMadridBogotaDSTTests {
    let w = ContactWindow.cobroDefault

    @Test func madridSpringForwardWeekend() {
        // Sat 03-30 (CET, UTC+1): 08:00 = 07:00 UTC, 15:00 = 14:00 UTC.
        #expect(!w.isAllowed(utc("2024-03-30", 6, 59), timeZone: madrid))
        #expect(w.isAllowed(utc("2024-03-30", 7, 0), timeZone: madrid))
        #expect(!w.isAllowed(utc("2024-03-30", 14, 0), timeZone: madrid))
        // Sat 15:00 → Mon 04-01 08:00 CEST (UTC+2) = 06:00 UTC, across the Sunday transition.
        #expect(w.nextAllowed(atOrAfter: utc("2024-03-30", 14, 0), timeZone: madrid) == utc("2024-04-01", 6, 0))
        #expect(!w.isAllowed(utc("2024-04-01", 5, 59), timeZone: madrid))
        // Mon 19:00 CEST = 17:00 UTC.
        #expect(w.isAllowed(utc("2024-04-01", 16, 59), timeZone: madrid))
        #expect(!w.isAllowed(utc("2024-04-01", 17, 0), timeZone: madrid))
    }

    @Test func madridFallBackWeekend() {
        // Sat 10-26 (CEST): 08:00 = 06:00 UTC; 15:00 = 13:00 UTC → Mon 10-28 08:00 CET = 07:00 UTC.
        #expect(w.isAllowed(utc("2024-10-26", 6, 0), timeZone: madrid))
        #expect(!w.isAllowed(utc("2024-10-26", 5, 59), timeZone: madrid))
        #expect(w.nextAllowed(atOrAfter: utc("2024-10-26", 13, 0), timeZone: madrid) == utc("2024-10-28", 7, 0))
        #expect(!w.isAllowed(utc("2024-10-28", 6, 59), timeZone: madrid))
    }

    @Test func bogotaKeepsUTCMinusFiveAcrossOtherZonesTransitions() {
        let co = ContactWindow.colombia
        // Mon 03-11 and Mon 11-04 (the days after the US changes): 07:00 Bogotá = 12:00 UTC both times.
        for d in ["2024-03-11", "2024-11-04", "2024-04-01", "2024-10-28"] {
            #expect(!co.isAllowed(utc(d, 11, 59), timeZone: bogota))
            #expect(co.isAllowed(utc(d, 12, 0), timeZone: bogota))
            #expect(co.nextAllowed(atOrAfter: utc(d, 6, 0), timeZone: bogota) == utc(d, 12, 0))
        }
    }
}

@Suite("Compliance: wall clock conversion against Foundation's Calendar")
struct ComplianceWallClockTests {
    static let zones = ["America/New_York", "Europe/Madrid", "America/Bogota", "America/Santiago", "Australia/Lord_Howe", "Asia/Kathmandu", "UTC"]

    @Test(arguments: zones)
    func wallTimeMatchesCalendarEveryQuarterHourAroundTransitions(id: String) {
        let tz = zone(id)
        var cal = Calendar(identifier: .gregorian)
        cal.timeZone = tz
        for start in ["2024-03-08", "2024-03-29", "2024-04-05", "2024-09-06", "2024-10-25", "2024-11-01"] {
            let base = utc(start, 0)
            for step in 0..<(4 * 24 * 4) {
                let t = base.addingTimeInterval(TimeInterval(step * 900))
                let c = cal.dateComponents([.year, .month, .day, .hour, .minute, .second], from: t)
                let (date, second) = ZonedWallClock.wallTime(of: t, in: tz)
                #expect(date.year == c.year && date.month == c.month && date.day == c.day, "\(id) \(t)")
                #expect(second == (c.hour ?? -1) * 3600 + (c.minute ?? -1) * 60 + (c.second ?? -1), "\(id) \(t)")
            }
        }
    }

    @Test(arguments: zones)
    func resolvingExistingWallTimesMatchesCalendar(id: String) {
        let tz = zone(id)
        var cal = Calendar(identifier: .gregorian)
        cal.timeZone = tz
        let notBefore = utc("2024-01-01", 0)
        for iso in ["2024-03-09", "2024-03-11", "2024-04-01", "2024-07-15", "2024-10-28", "2024-11-05", "2024-12-31"] {
            let d = day(iso)
            for minute in stride(from: 0, to: 1440, by: 95) {
                let expected = cal.date(from: DateComponents(year: d.year, month: d.month, day: d.day, hour: minute / 60, minute: minute % 60))
                let got = ZonedWallClock.earliestInstant(atOrAfterWallTime: d, minuteOfDay: minute, in: tz, notBefore: notBefore)
                #expect(got == expected, "\(id) \(iso) minute \(minute)")
            }
        }
    }

    @Test func dayWithoutMidnightStartsAtTheTransition() {
        // Santiago 2024-09-08: 00:00 −04 does not exist; the local day begins at 01:00 −03 = 04:00 UTC.
        let start = ZonedWallClock.earliestInstant(
            atOrAfterWallTime: day("2024-09-08"), minuteOfDay: 0, in: santiago, notBefore: utc("2024-09-07", 12, 0))
        #expect(start == utc("2024-09-08", 4, 0))
        #expect(ZonedWallClock.localDate(of: utc("2024-09-08", 3, 59, 59), in: santiago) == day("2024-09-07"))
        #expect(ZonedWallClock.localDate(of: utc("2024-09-08", 4, 0), in: santiago) == day("2024-09-08"))
        #expect(ZonedWallClock.wallTime(of: utc("2024-09-08", 4, 0), in: santiago).secondOfDay == 3600)
    }

    @Test func notBeforeIsRespected() {
        // Asking for a wall time already passed returns notBefore, never an earlier instant.
        let nb = utc("2024-06-03", 15, 0)
        #expect(ZonedWallClock.earliestInstant(atOrAfterWallTime: day("2024-06-03"), minuteOfDay: 480, in: bogota, notBefore: nb) == nb)
    }

    @Test func extremeInstantsDoNotTrap() {
        _ = ZonedWallClock.wallTime(of: .distantFuture, in: newYork)
        _ = ZonedWallClock.wallTime(of: .distantPast, in: newYork)
        _ = ZonedWallClock.wallTime(of: Date(timeIntervalSince1970: .infinity), in: newYork)
        _ = ZonedWallClock.wallTime(of: Date(timeIntervalSince1970: -.infinity), in: newYork)
        _ = ContactWindow.cobroDefault.isAllowed(.distantFuture, timeZone: madrid)
    }
}
