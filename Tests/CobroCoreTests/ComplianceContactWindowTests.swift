import Foundation
import Testing

@testable import CobroCore

// Contact windows (reference §3.1 Reg F, §3.3 Latin America, "suggested machine-readable defaults").
// Instants are written in UTC with the zone offset worked out by hand in a comment.

private func day(_ iso: String) -> LocalDate {
    guard let d = LocalDate(iso: iso) else { fatalError("bad test date \(iso)") }
    return d
}

private func zone(_ id: String) -> TimeZone {
    guard let z = TimeZone(identifier: id) else { fatalError("unknown zone \(id)") }
    return z
}

/// An instant given by its UTC date and time.
private func utc(_ iso: String, _ hour: Int, _ minute: Int = 0, _ second: Int = 0) -> Date {
    Date(timeIntervalSince1970: TimeInterval(day(iso).dayNumber * 86_400 + hour * 3600 + minute * 60 + second))
}

/// An instant given by local wall time, resolved by Foundation's Calendar (an oracle independent of the code
/// under test; use only for wall times that exist exactly once).
private func local(_ iso: String, _ hour: Int, _ minute: Int, _ tz: TimeZone) -> Date {
    var cal = Calendar(identifier: .gregorian)
    cal.timeZone = tz
    let d = day(iso)
    guard let date = cal.date(from: DateComponents(year: d.year, month: d.month, day: d.day, hour: hour, minute: minute)) else {
        fatalError("no such local time")
    }
    return date
}

private func range(_ text: String) -> TimeOfDayRange {
    guard let r = TimeOfDayRange(text) else { fatalError("bad range \(text)") }
    return r
}

private let bogota = zone("America/Bogota")  // UTC−5 all year, no DST
private let newYork = zone("America/New_York")
private let losAngeles = zone("America/Los_Angeles")

@Suite("Compliance: time-of-day ranges and weekdays")
struct ComplianceTimeOfDayTests {
    @Test(arguments: [
        ("08:00-19:00", 480, 1140), ("00:00-24:00", 0, 1440), ("07:30-07:31", 450, 451), (" 08:00 - 15:00 ", 480, 900),
    ])
    func parsesRanges(text: String, start: Int, end: Int) throws {
        let r = try #require(TimeOfDayRange(text))
        #expect(r.startMinute == start)
        #expect(r.endMinute == end)
    }

    @Test(arguments: [
        "19:00-08:00", "08:00-08:00", "24:00-24:00", "8:00-19:00", "08:60-09:00", "25:00-26:00", "08:00", "08:00-19:00-20:00",
        "", "ab:cd-ef:gh", "24:01-24:02", "-08:00",
    ])
    func rejectsMalformedRanges(text: String) {
        #expect(TimeOfDayRange(text) == nil)
    }

    @Test func checkedInitializerBounds() {
        #expect(TimeOfDayRange(startMinute: -1, endMinute: 10) == nil)
        #expect(TimeOfDayRange(startMinute: 10, endMinute: 1441) == nil)
        #expect(TimeOfDayRange(startMinute: 10, endMinute: 10) == nil)
        #expect(TimeOfDayRange(startMinute: 0, endMinute: 1440) != nil)
    }

    @Test func halfOpenContainment() {
        let r = range("08:00-19:00")
        #expect(!r.contains(minuteOfDay: 479))
        #expect(r.contains(minuteOfDay: 480))
        #expect(r.contains(minuteOfDay: 1139))
        #expect(!r.contains(minuteOfDay: 1140))
        #expect(r.description == "08:00-19:00")
        #expect(range("00:00-24:00").description == "00:00-24:00")
    }

    @Test func weekdayOfDates() {
        #expect(Weekday(day("2024-06-03")) == .monday)
        #expect(Weekday(day("2024-06-08")) == .saturday)
        #expect(Weekday(day("2024-06-09")) == .sunday)
        #expect(Weekday(day("1970-01-01")) == .thursday)
        #expect(Weekday(isoNumber: 0) == nil)
        #expect(Weekday(isoNumber: 8) == nil)
        #expect(Weekday(isoNumber: 7) == .sunday)
        #expect(Weekday.allCases.map(\.isoNumber) == [1, 2, 3, 4, 5, 6, 7])
    }

    @Test func rangesAreNormalized() {
        let a = ContactWindow(weekly: [.monday: [range("11:00-14:00"), range("08:00-12:00"), range("14:00-15:00")], .tuesday: []])
        let b = ContactWindow(weekly: [.monday: [range("08:00-15:00")]])
        #expect(a == b)
        #expect(a.weekly[.monday] == [range("08:00-15:00")])
        #expect(a.weekly[.tuesday] == nil)
        let gap = ContactWindow(weekly: [.monday: [range("14:00-18:00"), range("09:00-12:00")]])
        #expect(gap.weekly[.monday] == [range("09:00-12:00"), range("14:00-18:00")])
    }
}

@Suite("Compliance: contact window evaluation")
struct ComplianceContactWindowEvaluationTests {
    let w = ContactWindow.cobroDefault

    // Bogotá is UTC−5: local 08:00 = 13:00 UTC, 19:00 = 00:00 UTC next day, 15:00 = 20:00 UTC.
    @Test func weekdayBoundariesAtExactly0800And1900() {
        #expect(!w.isAllowed(utc("2024-06-04", 12, 59, 59), timeZone: bogota))  // Tue 07:59:59
        #expect(w.isAllowed(utc("2024-06-04", 13, 0), timeZone: bogota))  // Tue 08:00:00
        #expect(w.isAllowed(utc("2024-06-04", 23, 59, 59), timeZone: bogota))  // Tue 18:59:59
        #expect(!w.isAllowed(utc("2024-06-05", 0, 0), timeZone: bogota))  // Tue 19:00:00
        // Fractions of a second do not reach the next minute.
        #expect(!w.isAllowed(Date(timeIntervalSince1970: utc("2024-06-04", 13, 0).timeIntervalSince1970 - 0.25), timeZone: bogota))
        #expect(w.isAllowed(Date(timeIntervalSince1970: utc("2024-06-05", 0, 0).timeIntervalSince1970 - 0.25), timeZone: bogota))
    }

    @Test func calendarOracleAgrees() {
        #expect(w.isAllowed(local("2024-06-04", 8, 0, bogota), timeZone: bogota))
        #expect(!w.isAllowed(local("2024-06-04", 7, 59, bogota), timeZone: bogota))
        #expect(!w.isAllowed(local("2024-06-04", 19, 0, bogota), timeZone: bogota))
        #expect(local("2024-06-04", 8, 0, bogota) == utc("2024-06-04", 13, 0))
    }

    @Test func saturdaysCloseAt1500AndSundaysAreClosed() {
        #expect(!w.isAllowed(utc("2024-06-08", 12, 59), timeZone: bogota))  // Sat 07:59
        #expect(w.isAllowed(utc("2024-06-08", 13, 0), timeZone: bogota))  // Sat 08:00
        #expect(w.isAllowed(utc("2024-06-08", 19, 59), timeZone: bogota))  // Sat 14:59
        #expect(!w.isAllowed(utc("2024-06-08", 20, 0), timeZone: bogota))  // Sat 15:00
        #expect(!w.isAllowed(utc("2024-06-09", 15, 0), timeZone: bogota))  // Sun 10:00
    }

    @Test func holidaysBlockTheWholeDay() {
        // Colombia: Monday 2024-06-03 is a public holiday (Corpus Christi).
        let h = w.addingHolidays([day("2024-06-03")])
        #expect(!h.isAllowed(utc("2024-06-03", 15, 0), timeZone: bogota))  // Mon 10:00
        #expect(h.isAllowed(utc("2024-06-04", 15, 0), timeZone: bogota))
        #expect(w.isAllowed(utc("2024-06-03", 15, 0), timeZone: bogota))  // the original is unchanged
        #expect(h.ranges(on: day("2024-06-03")).isEmpty)
        #expect(h.ranges(on: day("2024-06-04")) == [range("08:00-19:00")])
    }

    @Test func localDateNotUTCDecidesTheWeekday() {
        // Fri 2024-06-07 20:00 Bogotá is Sat 01:00 UTC: evaluated as a Friday evening (closed), not Saturday morning.
        #expect(!w.isAllowed(utc("2024-06-08", 1, 0), timeZone: bogota))
        // The same instant is Saturday 10:00 in Tokyo (UTC+9): open.
        #expect(w.isAllowed(utc("2024-06-08", 1, 0), timeZone: zone("Asia/Tokyo")))
    }

    @Test func nextAllowedReturnsTheInstantItselfWhenOpen() {
        let t = Date(timeIntervalSince1970: utc("2024-06-04", 15, 0).timeIntervalSince1970 + 0.5)
        #expect(w.nextAllowed(atOrAfter: t, timeZone: bogota) == t)
    }

    @Test func nextAllowedSameDayOpening() {
        // Tue 06:30 → Tue 08:00 (13:00 UTC).
        #expect(w.nextAllowed(atOrAfter: utc("2024-06-04", 11, 30), timeZone: bogota) == utc("2024-06-04", 13, 0))
        // Tue 07:59:59.5 → 08:00:00.
        let almost = Date(timeIntervalSince1970: utc("2024-06-04", 13, 0).timeIntervalSince1970 - 0.5)
        #expect(w.nextAllowed(atOrAfter: almost, timeZone: bogota) == utc("2024-06-04", 13, 0))
    }

    @Test func nextAllowedAfterClosingGoesToNextMorning() {
        // Tue 19:00 → Wed 08:00.
        #expect(w.nextAllowed(atOrAfter: utc("2024-06-05", 0, 0), timeZone: bogota) == utc("2024-06-05", 13, 0))
        // Sat 15:00 → Mon 08:00 (Sunday closed).
        #expect(w.nextAllowed(atOrAfter: utc("2024-06-08", 20, 0), timeZone: bogota) == utc("2024-06-10", 13, 0))
        // Sat 15:00 with Monday a holiday → Tue 08:00.
        let h = w.addingHolidays([day("2024-06-10")])
        #expect(h.nextAllowed(atOrAfter: utc("2024-06-08", 20, 0), timeZone: bogota) == utc("2024-06-11", 13, 0))
    }

    @Test func nextAllowedSkipsLunchBreak() {
        let split = ContactWindow(days: Weekday.workdays, ranges: [range("09:00-12:00"), range("14:00-18:00")])
        // Tue 12:30 → Tue 14:00 (19:00 UTC); Tue 11:59 is open.
        #expect(split.nextAllowed(atOrAfter: utc("2024-06-04", 17, 30), timeZone: bogota) == utc("2024-06-04", 19, 0))
        #expect(split.isAllowed(utc("2024-06-04", 16, 59), timeZone: bogota))
        #expect(!split.isAllowed(utc("2024-06-04", 17, 0), timeZone: bogota))
    }

    @Test func nextAllowedPastManyHolidays() {
        // Only Mondays 10:00–11:00; the next three Mondays are holidays → the fourth Monday.
        let mondays = ContactWindow(weekly: [.monday: [range("10:00-11:00")]], holidays: [day("2024-06-10"), day("2024-06-17"), day("2024-06-24")])
        #expect(mondays.nextAllowed(atOrAfter: utc("2024-06-04", 12, 0), timeZone: bogota) == utc("2024-07-01", 15, 0))
    }

    @Test func emptyWindowNeverAllows() {
        let empty = ContactWindow(weekly: [:])
        #expect(empty.isEmpty)
        #expect(!empty.isAllowed(utc("2024-06-04", 15, 0), timeZone: bogota))
        #expect(empty.nextAllowed(atOrAfter: utc("2024-06-04", 15, 0), timeZone: bogota) == nil)
        #expect(empty.nextAllowed(atOrAfter: utc("2024-06-04", 15, 0), timeZones: [bogota]) == nil)
    }

    @Test func fullDayRangeAllowsMidnight() {
        let always = ContactWindow(days: Weekday.allCases, ranges: [range("00:00-24:00")])
        #expect(always.isAllowed(utc("2024-06-04", 5, 0), timeZone: bogota))  // 00:00 local
        #expect(always.isAllowed(utc("2024-06-05", 4, 59, 59), timeZone: bogota))  // 23:59:59 local
    }

    @Test func intersectionCombinesLegalAndBusinessHours() {
        #expect(ContactWindow.colombia.intersection(.cobroDefault) == .cobroDefault)
        #expect(ContactWindow.mexico.intersection(.cobroDefault) == .cobroDefault)
        #expect(ContactWindow.peru.intersection(.cobroDefault) == ContactWindow(days: Weekday.workdays, ranges: [range("08:00-19:00")]))
        let a = ContactWindow.cobroDefault.addingHolidays([day("2024-12-25")])
        let b = ContactWindow.usRegulationF.addingHolidays([day("2024-07-04")])
        #expect(a.intersection(b).holidays == [day("2024-12-25"), day("2024-07-04")])
        #expect(ContactWindow.peru.intersection(ContactWindow(weekly: [.saturday: [range("08:00-12:00")]])).isEmpty)
    }
}

@Suite("Compliance: contact window presets (reference §3.3 table, end time exclusive)")
struct ComplianceContactWindowPresetTests {
    // (window, ISO date, hh:mm, allowed). 2024-06-03 Mon, 2024-06-07 Fri, 2024-06-08 Sat, 2024-06-09 Sun.
    static let cases: [(String, String, Int, Int, Bool)] = [
        ("default", "2024-06-03", 7, 59, false), ("default", "2024-06-03", 8, 0, true), ("default", "2024-06-03", 18, 59, true),
        ("default", "2024-06-03", 19, 0, false), ("default", "2024-06-08", 14, 59, true), ("default", "2024-06-08", 15, 0, false),
        ("default", "2024-06-09", 12, 0, false),
        ("CO", "2024-06-03", 6, 59, false), ("CO", "2024-06-03", 7, 0, true), ("CO", "2024-06-07", 18, 59, true),
        ("CO", "2024-06-07", 19, 0, false), ("CO", "2024-06-08", 7, 59, false), ("CO", "2024-06-08", 8, 0, true),
        ("CO", "2024-06-08", 14, 59, true), ("CO", "2024-06-08", 15, 0, false), ("CO", "2024-06-09", 10, 0, false),
        ("MX", "2024-06-09", 6, 59, false), ("MX", "2024-06-09", 7, 0, true), ("MX", "2024-06-09", 21, 59, true),
        ("MX", "2024-06-09", 22, 0, false), ("MX", "2024-06-08", 7, 0, true), ("MX", "2024-06-03", 21, 59, true),
        ("PE", "2024-06-03", 6, 59, false), ("PE", "2024-06-03", 7, 0, true), ("PE", "2024-06-07", 19, 59, true),
        ("PE", "2024-06-07", 20, 0, false), ("PE", "2024-06-08", 10, 0, false), ("PE", "2024-06-09", 10, 0, false),
        ("CL", "2024-06-03", 7, 59, false), ("CL", "2024-06-03", 8, 0, true), ("CL", "2024-06-07", 19, 59, true),
        ("CL", "2024-06-07", 20, 0, false), ("CL", "2024-06-08", 8, 0, true), ("CL", "2024-06-08", 19, 59, true),
        ("CL", "2024-06-08", 20, 0, false), ("CL", "2024-06-09", 12, 0, false),
        ("US", "2024-06-09", 7, 59, false), ("US", "2024-06-09", 8, 0, true), ("US", "2024-06-09", 20, 59, true),
        ("US", "2024-06-09", 21, 0, false), ("US", "2024-06-08", 8, 0, true), ("US", "2024-06-03", 20, 59, true),
        ("ES", "2024-06-03", 8, 0, true), ("ES", "2024-06-08", 15, 0, false), ("ES", "2024-06-09", 12, 0, false),
    ]

    @Test(arguments: cases)
    func presetBoundaries(country: String, date: String, hour: Int, minute: Int, allowed: Bool) {
        let w = ContactWindow.preset(country: country == "default" ? nil : country)
        #expect(w.isAllowed(date: day(date), minuteOfDay: hour * 60 + minute) == allowed)
    }

    @Test func presetLookup() {
        #expect(ContactWindow.preset(country: "co") == .colombia)
        #expect(ContactWindow.preset(country: " MX ") == .mexico)
        #expect(ContactWindow.preset(country: "PE") == .peru)
        #expect(ContactWindow.preset(country: "CL") == .chile)
        #expect(ContactWindow.preset(country: "US") == .usRegulationF)
        #expect(ContactWindow.preset(country: "de") == .euDefault)
        #expect(ContactWindow.preset(country: "ES") == .euDefault)
        #expect(ContactWindow.preset(country: "GB") == .cobroDefault)
        #expect(ContactWindow.preset(country: "") == .cobroDefault)
        #expect(ContactWindow.preset(country: nil) == .cobroDefault)
        #expect(ContactWindow.preset(country: "XX") == .cobroDefault)
        #expect(ContactWindow.euMemberStates.count == 27)
    }

    @Test func presetsCarryNoHolidays() {
        for w in [ContactWindow.cobroDefault, .colombia, .mexico, .peru, .chile, .usRegulationF, .euDefault] {
            #expect(w.holidays.isEmpty)
        }
    }

    @Test func colombiaPresetInBogotaTime() {
        // Mon 2024-06-10 is a Colombian holiday (Sagrado Corazón); Sat 15:00 → Tue 07:00 (12:00 UTC).
        let w = ContactWindow.colombia.addingHolidays([day("2024-06-10")])
        #expect(w.nextAllowed(atOrAfter: utc("2024-06-08", 20, 0), timeZone: bogota) == utc("2024-06-11", 12, 0))
        #expect(w.isAllowed(utc("2024-06-11", 12, 0), timeZone: bogota))
        #expect(!w.isAllowed(utc("2024-06-11", 11, 59), timeZone: bogota))
    }
}

@Suite("Compliance: Reg F inconvenient times at the consumer's location (reference §3.1)")
struct ComplianceRegFLocationTests {
    let w = ContactWindow.usRegulationF

    // 2024-06-03: New York is EDT (UTC−4), Los Angeles PDT (UTC−7).
    @Test func testCase5CallAt0830EasternToCaliforniaAddressIsBlocked() {
        let call = utc("2024-06-03", 12, 30)  // 08:30 ET = 05:30 PT
        #expect(call == local("2024-06-03", 8, 30, newYork))
        #expect(w.isAllowed(call, timeZone: newYork))
        #expect(!w.isAllowed(call, timeZone: losAngeles))
    }

    @Test func allPlausibleLocationsMeans1100To2100Eastern() {
        let zones = [newYork, losAngeles]
        #expect(!w.isAllowed(utc("2024-06-03", 14, 59), timeZones: zones))  // 10:59 ET = 07:59 PT
        #expect(w.isAllowed(utc("2024-06-03", 15, 0), timeZones: zones))  // 11:00 ET = 08:00 PT
        #expect(w.isAllowed(utc("2024-06-04", 0, 59), timeZones: zones))  // 20:59 ET
        #expect(!w.isAllowed(utc("2024-06-04", 1, 0), timeZones: zones))  // 21:00 ET
        #expect(!w.isAllowed(utc("2024-06-03", 15, 0), timeZones: []))
    }

    @Test func nextAllowedInAllPlausibleLocations() {
        let zones = [newYork, losAngeles]
        // 08:30 ET → 11:00 ET.
        #expect(w.nextAllowed(atOrAfter: utc("2024-06-03", 12, 30), timeZones: zones) == utc("2024-06-03", 15, 0))
        // 21:00 ET → next day 11:00 ET.
        #expect(w.nextAllowed(atOrAfter: utc("2024-06-04", 1, 0), timeZones: zones) == utc("2024-06-04", 15, 0))
        // Order of zones does not matter.
        #expect(w.nextAllowed(atOrAfter: utc("2024-06-03", 12, 30), timeZones: [losAngeles, newYork]) == utc("2024-06-03", 15, 0))
        #expect(w.nextAllowed(atOrAfter: utc("2024-06-03", 12, 30), timeZones: []) == nil)
    }

    @Test func zonesWhoseHoursNeverOverlapGiveNil() {
        // One hour a day in Bogotá (UTC−5) and in Tokyo (UTC+9) never coincide.
        let narrow = ContactWindow(days: Weekday.allCases, ranges: [range("08:00-09:00")])
        #expect(narrow.nextAllowed(atOrAfter: utc("2024-06-03", 0, 0), timeZones: [bogota, zone("Asia/Tokyo")]) == nil)
    }
}

@Suite("Compliance: contact window JSON")
struct ComplianceContactWindowCodingTests {
    @Test func roundTripsPresets() throws {
        for w in [ContactWindow.cobroDefault, .colombia, .usRegulationF, ContactWindow.peru.addingHolidays([day("2024-12-25"), day("2024-07-28")])] {
            let data = try JSONEncoder().encode(w)
            #expect(try JSONDecoder().decode(ContactWindow.self, from: data) == w)
        }
    }

    @Test func readableShape() throws {
        let e = JSONEncoder()
        e.outputFormatting = [.sortedKeys]
        let w = ContactWindow(weekly: [.monday: [range("08:00-12:00")]], holidays: [day("2024-12-25"), day("2024-01-01")])
        let json = String(decoding: try e.encode(w), as: UTF8.self)
        #expect(json == #"{"holidays":["2024-01-01","2024-12-25"],"weekly":{"monday":["08:00-12:00"]}}"#)
    }

    @Test func decodesAndNormalizes() throws {
        let json = #"{"weekly":{"monday":["13:00-17:00","08:00-12:00"],"saturday":[]},"holidays":["2024-12-25"]}"#
        let w = try JSONDecoder().decode(ContactWindow.self, from: Data(json.utf8))
        #expect(w.weekly == [.monday: [range("08:00-12:00"), range("13:00-17:00")]])
        #expect(w.holidays == [day("2024-12-25")])
    }

    @Test(arguments: [
        #"{"weekly":{"monday":["19:00-08:00"]}}"#,
        #"{"weekly":{"funday":["08:00-12:00"]}}"#,
        #"{"weekly":{"monday":["8-12"]}}"#,
        #"{"weekly":{},"holidays":["2024-02-30"]}"#,
    ])
    func rejectsInvalidJSON(json: String) {
        #expect(throws: DecodingError.self) { try JSONDecoder().decode(ContactWindow.self, from: Data(json.utf8)) }
    }
}
