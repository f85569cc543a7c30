import Foundation
import Testing

@testable import CobroCore

/// A company's contact rules narrow the legal presets, never widen them.
@Suite("Contact rules per country") struct ContactRulesTests {
    let monday = LocalDate(year: 2026, month: 11, day: 23)!, sunday = LocalDate(year: 2026, month: 11, day: 22)!
    let everyDay6to22 = ContactWindow(days: Weekday.allCases, ranges: [.hours(6, 22)])
    let everyDay9to17 = ContactWindow(days: Weekday.allCases, ranges: [.hours(9, 17)])

    @Test("a wider company window for Colombia does not open hours the law closes")
    func colombiaStaysLegal() {
        let wide = ContactRules(businessHours: everyDay6to22, countries: ["CO": .init(window: everyDay6to22)])
        let w = wide.window(country: "CO")
        #expect(!w.isAllowed(date: monday, minuteOfDay: 6 * 60 + 30))  // Colombia opens at 07:00
        #expect(w.isAllowed(date: monday, minuteOfDay: 7 * 60))
        #expect(!w.isAllowed(date: monday, minuteOfDay: 19 * 60))  // …and closes at 19:00
        #expect(!w.isAllowed(date: sunday, minuteOfDay: 12 * 60))  // never on Sundays
    }

    @Test("a narrower company window applies; holidays close the day")
    func narrowerAndHolidays() {
        let rules = ContactRules(countries: ["MX": .init(window: everyDay9to17, holidays: [monday])])
        let w = rules.window(country: "MX")
        #expect(!w.isAllowed(date: monday, minuteOfDay: 10 * 60))  // holiday
        let tuesday = monday.adding(days: 1)
        #expect(!w.isAllowed(date: tuesday, minuteOfDay: 8 * 60 + 30) && w.isAllowed(date: tuesday, minuteOfDay: 9 * 60))
    }

    @Test("without a legal preset the company's business hours decide (a Sunday can open)")
    func noPreset() {
        let rules = ContactRules(businessHours: everyDay9to17)
        #expect(rules.window(country: "AR").isAllowed(date: sunday, minuteOfDay: 10 * 60))
        #expect(!ContactRules.standard.window(country: "AR").isAllowed(date: sunday, minuteOfDay: 10 * 60))
    }

    @Test("caps: a looser company cap for Colombia keeps the legal limits; elsewhere the company's cap is the cap")
    func caps() {
        let loose = FrequencyCap(maxPerDay: 5, maxPerSevenDays: 20)!
        let rules = ContactRules(cap: loose, countries: ["CO": .init(cap: loose)])
        let co = rules.cap(country: "CO")
        for limit in FrequencyCap.colombia.limits { #expect(co.limits.contains(limit)) }
        #expect(rules.cap(country: "AR") == loose)
        #expect(rules.cap(country: "CL").limits.contains { $0.maxMessages == 1 && $0.days == 2 })
    }
}
