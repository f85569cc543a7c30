import Foundation
import Testing
@testable import CobroCore

// LocalDate: ISO parsing/formatting, day numbers, calendar arithmetic (DESIGN §4.7).

private func day(_ iso: String) -> LocalDate {
    guard let d = LocalDate(iso: iso) else { fatalError("bad test date \(iso)") }
    return d
}

@Suite("Core: LocalDate")
struct CoreDateTests {
    @Test(arguments: ["2024-06-30", "2024-02-29", "2000-02-29", "1970-01-01", "1900-01-01", "2100-12-31", "0001-01-01", "9999-12-31", "2023-12-31"])
    func isoRoundTrip(text: String) throws {
        let d = try #require(LocalDate(iso: text))
        #expect(d.iso == text)
        #expect(d.description == text)
    }

    @Test func partsOfADate() throws {
        let d = try #require(LocalDate(iso: "2024-06-30"))
        #expect(d.year == 2024)
        #expect(d.month == 6)
        #expect(d.day == 30)
        #expect(d == LocalDate(year: 2024, month: 6, day: 30))
    }

    @Test(arguments: [
        "2023-02-29",  // not a leap year
        "1900-02-29",  // century, not leap
        "2100-02-29",
        "2024-13-01",
        "2024-00-10",
        "2024-06-00",
        "2024-06-31",
        "2024-04-31",
        "2024-01-32",
        "2024-1-01",
        "2024-01-1",
        "24-01-01",
        "2024-06-3x",
        "2024/06/30",
        "2024-06-30T00:00:00",
        " 2024-06-30",
        "2024-06-30 ",
        "",
        "+024-06-30",
        "2024-6-030",
        "20240630",
        "2024--6-30",
    ])
    func invalidDatesAreNil(text: String) {
        #expect(LocalDate(iso: text) == nil)
    }

    @Test func leapDays() {
        #expect(LocalDate(iso: "2024-02-29") != nil)
        #expect(LocalDate(iso: "2000-02-29") != nil)
        #expect(LocalDate(year: 2023, month: 2, day: 29) == nil)
        #expect(LocalDate.isLeap(2024))
        #expect(LocalDate.isLeap(2000))
        #expect(!LocalDate.isLeap(1900))
        #expect(!LocalDate.isLeap(2023))
        #expect(LocalDate.daysIn(year: 2024, month: 2) == 29)
        #expect(LocalDate.daysIn(year: 2023, month: 2) == 28)
        #expect(LocalDate.daysIn(year: 2023, month: 4) == 30)
        #expect(LocalDate.daysIn(year: 2023, month: 12) == 31)
        #expect(day("2024-02-10").daysInMonth == 29)
        #expect(day("2023-02-10").daysInMonth == 28)
        #expect(day("2024-07-01").daysInMonth == 31)
    }

    @Test(arguments: [
        ("1970-01-01", 0),
        ("1970-01-02", 1),
        ("1969-12-31", -1),
        ("1970-12-31", 364),
        ("1972-03-01", 790),  // 365 + 365 + 31 + 29
        ("2000-01-01", 10_957),
        ("2000-03-01", 11_017),
        ("2024-06-30", 19_904),
        ("1900-01-01", -25_567),
    ])
    func dayNumbers(text: String, number: Int) {
        #expect(day(text).dayNumber == number)
        #expect(LocalDate(dayNumber: number).iso == text)
    }

    @Test func daysSinceAndAddingDays() {
        let asOf = day("2024-06-30")
        #expect(asOf.days(since: day("2024-06-30")) == 0)
        #expect(asOf.days(since: day("2024-05-31")) == 30)
        #expect(asOf.days(since: day("2024-03-31")) == 91)
        #expect(asOf.days(since: day("2024-07-20")) == -20)
        #expect(day("2024-03-01").days(since: day("2024-02-28")) == 2)  // leap year
        #expect(day("2023-03-01").days(since: day("2023-02-28")) == 1)
        #expect(day("2025-01-01").days(since: day("2024-01-01")) == 366)
        #expect(day("2024-02-28").adding(days: 1) == day("2024-02-29"))
        #expect(day("2024-12-31").adding(days: 1) == day("2025-01-01"))
        #expect(day("2024-01-01").adding(days: -1) == day("2023-12-31"))
        #expect(day("2024-06-20").adding(days: 30) == day("2024-07-20"))
    }

    @Test(arguments: [
        ("2024-01-31", 1, "2024-02-29"),  // clamps to leap day
        ("2023-01-31", 1, "2023-02-28"),
        ("2024-03-31", -1, "2024-02-29"),
        ("2024-03-31", 1, "2024-04-30"),
        ("2024-01-15", 1, "2024-02-15"),
        ("2024-12-15", 1, "2025-01-15"),
        ("2024-01-15", -1, "2023-12-15"),
        ("2024-02-29", 12, "2025-02-28"),
        ("2024-02-29", 48, "2028-02-29"),
        ("2024-06-30", 0, "2024-06-30"),
        ("2024-06-30", -18, "2022-12-30"),
        ("2024-08-31", -6, "2024-02-29"),
        ("2024-05-31", 25, "2026-06-30"),
        ("0001-01-15", -1, "0000-12-15"),
    ])
    func addingMonthsClamps(start: String, months: Int, expected: String) {
        #expect(day(start).adding(months: months).iso == expected)
    }

    @Test(arguments: [
        ("2024-06-30", "2024-06-01"),
        ("2024-06-01", "2024-06-01"),
        ("2024-02-29", "2024-02-01"),
        ("2024-12-31", "2024-12-01"),
        ("1969-12-31", "1969-12-01"),
    ])
    func startOfMonth(date: String, expected: String) {
        #expect(day(date).startOfMonth == day(expected))
    }

    @Test(arguments: [
        ("2024-06-30", 7),  // Sunday
        ("2024-07-01", 1),  // Monday
        ("2024-06-26", 3),  // Wednesday
        ("1970-01-01", 4),  // Thursday
        ("1969-12-31", 3),  // Wednesday (negative day number)
        ("1969-12-28", 7),  // Sunday
        ("1969-12-29", 1),  // Monday
        ("2000-01-01", 6),  // Saturday
        ("1900-01-01", 1),  // Monday
    ])
    func isoWeekday(date: String, weekday: Int) {
        #expect(day(date).isoWeekday == weekday)
    }

    @Test func comparable() {
        #expect(day("2024-06-29") < day("2024-06-30"))
        #expect(!(day("2024-06-30") < day("2024-06-30")))
        #expect(max(day("2024-01-01"), day("2023-12-31")) == day("2024-01-01"))
    }

    /// Every day from 1900-01-01 to 2100-12-31: parts → init → same day number, ISO round trip,
    /// consecutive days advance the calendar by exactly one day and the weekday cycles.
    @Test func everyDayFrom1900To2100RoundTrips() throws {
        let first = try #require(LocalDate(year: 1900, month: 1, day: 1))
        let last = try #require(LocalDate(year: 2100, month: 12, day: 31))
        #expect(last.dayNumber - first.dayNumber + 1 == 73_414)  // 201 years, 49 leap days
        var expected = (year: 1900, month: 1, day: 1)
        var weekday = 1  // 1900-01-01 was a Monday
        var failures = 0
        for n in first.dayNumber...last.dayNumber {
            let d = LocalDate(dayNumber: n)
            let p = d.parts
            if p != expected || LocalDate(year: p.year, month: p.month, day: p.day)?.dayNumber != n
                || LocalDate(iso: d.iso)?.dayNumber != n || d.isoWeekday != weekday {
                failures += 1
                if failures < 5 { Issue.record("day \(n): parts \(p), expected \(expected), weekday \(d.isoWeekday) vs \(weekday)") }
            }
            // Advance the expected civil date independently of the code under test.
            let monthLength: Int
            switch expected.month {
            case 2:
                let y = expected.year
                monthLength = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 ? 29 : 28
            case 4, 6, 9, 11: monthLength = 30
            default: monthLength = 31
            }
            if expected.day < monthLength {
                expected.day += 1
            } else if expected.month < 12 {
                expected = (expected.year, expected.month + 1, 1)
            } else {
                expected = (expected.year + 1, 1, 1)
            }
            weekday = weekday % 7 + 1
        }
        #expect(failures == 0)
        #expect(expected == (2101, 1, 1))
    }

    @Test func codableAsISOString() throws {
        struct Box: Codable, Equatable { var date: LocalDate; var currency: Currency }
        let box = Box(date: day("2024-02-29"), currency: Currency(code: "BHD")!)
        let data = try JSONEncoder().encode(box)
        let text = String(decoding: data, as: UTF8.self)
        #expect(text.contains("\"2024-02-29\""))
        #expect(text.contains("\"BHD\""))
        #expect(try JSONDecoder().decode(Box.self, from: data) == box)
        let bad = Data(#"{"date":"2023-02-29","currency":"USD"}"#.utf8)
        #expect(throws: DecodingError.self) { try JSONDecoder().decode(Box.self, from: bad) }
        let badCurrency = Data(#"{"date":"2023-02-28","currency":"XYZ"}"#.utf8)
        #expect(throws: DecodingError.self) { try JSONDecoder().decode(Box.self, from: badCurrency) }
    }
}
