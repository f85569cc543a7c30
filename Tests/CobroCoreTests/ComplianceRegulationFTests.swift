import Foundation
import Testing

@testable import CobroCore

// US Regulation F: 7-in-7 call frequency (reference §3.1 test cases 1–3) and the validation period (case 4).

private func day(_ iso: String) -> LocalDate {
    guard let d = LocalDate(iso: iso) else { fatalError("bad test date \(iso)") }
    return d
}

private typealias Call = CallFrequencyRule.Call

private func placed(_ iso: String, times: Int = 1) -> [Call] { Array(repeating: Call(.placed, on: day(iso)), count: times) }

@Suite("Compliance: Reg F 7-in-7 call frequency")
struct ComplianceCallFrequencyTests {
    let rule = CallFrequencyRule.regulationF

    @Test func testCase1SevenCallsThenAnEighth() {
        // Calls Jun 3…9, one a day: each is allowed given the earlier ones.
        var history: [Call] = []
        for d in 3...9 {
            let date = day("2024-06-0\(d)")
            #expect(rule.evaluate(callOn: date, history: history) == .allowed, "Jun \(d)")
            history.append(Call(.placed, on: date))
        }
        // An 8th call on Jun 9: the window Jun 3…9 would hold 8.
        #expect(
            rule.evaluate(callOn: day("2024-06-09"), history: history)
                == .blocked(.tooManyCalls(from: day("2024-06-03"), through: day("2024-06-09"), calls: 8)))
        // Jun 10: the window Jun 4…10 holds 6 earlier calls, 7 with this one.
        #expect(rule.evaluate(callOn: day("2024-06-10"), history: history) == .allowed)
        #expect(rule.earliestAllowedDate(onOrAfter: day("2024-06-09"), history: history) == day("2024-06-10"))
    }

    @Test func sevenCallsInOneDayBlockTheNextSixDays() {
        let history = placed("2024-06-03", times: 7)
        #expect(rule.evaluate(callOn: day("2024-06-03"), history: history).isAllowed == false)
        #expect(rule.evaluate(callOn: day("2024-06-09"), history: history).isAllowed == false)
        #expect(rule.evaluate(callOn: day("2024-06-10"), history: history) == .allowed)
        #expect(rule.evaluate(callOn: day("2024-06-02"), history: history).isAllowed == false)  // window Jun 2…8 too
        #expect(rule.evaluate(callOn: day("2024-05-27"), history: history) == .allowed)  // window May 27…Jun 2
        #expect(rule.evaluate(callOn: day("2024-05-28"), history: history).isAllowed == false)  // May 28…Jun 3
    }

    @Test func testCase2ConversationOnMondayBlocksUntilNextMonday() {
        let history = [Call(.conversation, on: day("2024-06-03"))]
        for d in 3...9 {
            #expect(
                rule.evaluate(callOn: day("2024-06-0\(d)"), history: history) == .blocked(.afterConversation(conversationOn: day("2024-06-03"))),
                "Jun \(d)")
        }
        #expect(rule.evaluate(callOn: day("2024-06-10"), history: history) == .allowed)
        #expect(rule.earliestAllowedDate(onOrAfter: day("2024-06-04"), history: history) == day("2024-06-10"))
        // A conversation dated later does not block an earlier day.
        #expect(rule.evaluate(callOn: day("2024-06-02"), history: history) == .allowed)
    }

    @Test func inboundConversationStartsTheQuietPeriod() {
        let history = [Call(.inboundConversation, on: day("2024-06-05"))]
        #expect(rule.evaluate(callOn: day("2024-06-11"), history: history) == .blocked(.afterConversation(conversationOn: day("2024-06-05"))))
        #expect(rule.evaluate(callOn: day("2024-06-12"), history: history) == .allowed)
    }

    @Test func inboundCallsAreNotPlacedCalls() {
        // With a 1-day quiet period (custom rule) the count becomes visible: 6 placed calls + an inbound
        // conversation in the window leave room for a 7th placed call; an outbound conversation would not.
        let custom = CallFrequencyRule(quietDaysAfterConversation: 1)
        let inbound = placed("2024-06-03", times: 6) + [Call(.inboundConversation, on: day("2024-06-02"))]
        #expect(custom.evaluate(callOn: day("2024-06-04"), history: inbound) == .allowed)
        let outbound = placed("2024-06-03", times: 6) + [Call(.conversation, on: day("2024-06-02"))]
        #expect(
            custom.evaluate(callOn: day("2024-06-04"), history: outbound)
                == .blocked(.tooManyCalls(from: day("2024-05-29"), through: day("2024-06-04"), calls: 8)))
    }

    @Test func callsThatDidNotConnectAreExcluded() {
        let history = placed("2024-06-03", times: 6) + Array(repeating: Call(.notConnected, on: day("2024-06-03")), count: 10)
        #expect(rule.evaluate(callOn: day("2024-06-04"), history: history) == .allowed)
    }

    @Test func testCase3DirectPriorConsentExcludesTheNextSevenDays() {
        // Seven calls on Mon Jun 3; that evening the consumer e-mails "you may call me tomorrow".
        let consent = CallFrequencyRule.Consent(receivedOn: day("2024-06-03"))
        let history = placed("2024-06-03", times: 7)
        #expect(rule.evaluate(callOn: day("2024-06-04"), history: history).isAllowed == false)  // without consent
        // Jun 4…10 (the next 7 days) are excluded from the count.
        for d in 4...10 {
            let date = day(d < 10 ? "2024-06-0\(d)" : "2024-06-\(d)")
            #expect(
                rule.evaluate(callOn: date, history: history, consents: [consent]) == .allowedUnderConsent(consentReceivedOn: day("2024-06-03")),
                "Jun \(d)")
        }
        // Calls placed under consent do not count afterwards: 20 consented calls Jun 4…8, then Jun 11 (outside
        // consent): the window Jun 5…11 holds no counted call.
        let busy = history + (4...8).flatMap { placed("2024-06-0\($0)", times: 4) }
        #expect(rule.evaluate(callOn: day("2024-06-11"), history: busy, consents: [consent]) == .allowed)
        // …whereas without the consent the same history blocks Jun 11.
        #expect(rule.evaluate(callOn: day("2024-06-11"), history: busy).isAllowed == false)
    }

    @Test func consentCoversCallsInsideAQuietPeriodButNotAfterItEnds() {
        let consent = CallFrequencyRule.Consent(receivedOn: day("2024-06-03"))
        let history = [Call(.conversation, on: day("2024-06-05"))]
        #expect(
            rule.evaluate(callOn: day("2024-06-06"), history: history, consents: [consent])
                == .allowedUnderConsent(consentReceivedOn: day("2024-06-03")))
        // Jun 11 is past the consent (Jun 4…10) and inside the quiet period Jun 5…11.
        #expect(
            rule.evaluate(callOn: day("2024-06-11"), history: history, consents: [consent])
                == .blocked(.afterConversation(conversationOn: day("2024-06-05"))))
        #expect(rule.evaluate(callOn: day("2024-06-12"), history: history, consents: [consent]) == .allowed)
    }

    @Test func consentCanEndEarly() {
        let consent = CallFrequencyRule.Consent(receivedOn: day("2024-06-03"), endsOn: day("2024-06-05"))
        let history = placed("2024-06-03", times: 7)
        #expect(rule.evaluate(callOn: day("2024-06-05"), history: history, consents: [consent]).isAllowed)
        #expect(rule.evaluate(callOn: day("2024-06-06"), history: history, consents: [consent]).isAllowed == false)
        #expect(rule.coveredDays(by: consent) == day("2024-06-04")...day("2024-06-05"))
        #expect(rule.coveredDays(by: CallFrequencyRule.Consent(receivedOn: day("2024-06-03"), endsOn: day("2024-06-03"))) == nil)
    }

    @Test func receiptDayAsDayOneVariant() {
        let r = CallFrequencyRule(consentDayCounting: .receiptDayIsDayOne)
        let consent = CallFrequencyRule.Consent(receivedOn: day("2024-06-03"))
        #expect(r.coveredDays(by: consent) == day("2024-06-03")...day("2024-06-09"))
        #expect(rule.coveredDays(by: consent) == day("2024-06-04")...day("2024-06-10"))
        let history = placed("2024-06-03", times: 7)
        // Jun 10 is not covered, and the (excluded) Jun 3 calls lie outside every window containing it anyway.
        #expect(r.evaluate(callOn: day("2024-06-10"), history: history, consents: [consent]) == .allowed)
        #expect(r.evaluate(callOn: day("2024-06-09"), history: history, consents: [consent]).isAllowed)
    }

    @Test func ruleCodingRoundTrip() throws {
        let data = try JSONEncoder().encode(CallFrequencyRule.regulationF)
        #expect(try JSONDecoder().decode(CallFrequencyRule.self, from: data) == .regulationF)
        // Out-of-range stored values are clamped; missing ones default to Regulation F.
        let odd = try JSONDecoder().decode(CallFrequencyRule.self, from: Data(#"{"window_days":0,"max_calls":3}"#.utf8))
        #expect(odd.windowDays == 1)
        #expect(odd.maxCalls == 3)
        #expect(odd.quietDaysAfterConversation == 7)
        #expect(odd.evaluate(callOn: day("2024-06-03"), history: placed("2024-06-03", times: 2)).isAllowed)  // 3rd of 3
        #expect(odd.evaluate(callOn: day("2024-06-03"), history: placed("2024-06-03", times: 3)).isAllowed == false)  // 4th
        let calls = [Call(.conversation, on: day("2024-06-03")), Call(.notConnected, on: day("2024-06-04"))]
        #expect(try JSONDecoder().decode([Call].self, from: JSONEncoder().encode(calls)) == calls)
    }
}

@Suite("Compliance: Reg F validation period (reference §3.1 test case 4)")
struct ComplianceValidationPeriodTests {
    /// US federal holidays, 2024 and early 2025.
    let holidays: Set<LocalDate> = Set(
        [
            "2024-01-01", "2024-01-15", "2024-02-19", "2024-05-27", "2024-06-19", "2024-07-04", "2024-09-02", "2024-10-14",
            "2024-11-11", "2024-11-28", "2024-12-25", "2025-01-01", "2025-01-20",
        ].map(day))

    @Test(arguments: [
        ("2024-06-03", "2024-06-10", "2024-07-10"),
        ("2024-07-03", "2024-07-11", "2024-08-10"),
        ("2024-11-25", "2024-12-03", "2025-01-02"),
    ])
    func referenceCases(provided: String, receipt: String, end: String) {
        let p = ValidationPeriod.regulationF
        #expect(p.assumedReceipt(providedOn: day(provided), holidays: holidays) == day(receipt))
        #expect(p.endDate(providedOn: day(provided), holidays: holidays) == day(end))
    }

    @Test func extendingToNextBusinessDay() {
        let p = ValidationPeriod(endPolicy: .extendToNextBusinessDay)
        // Sat 2024-08-10 → Mon 2024-08-12.
        #expect(p.endDate(providedOn: day("2024-07-03"), holidays: holidays) == day("2024-08-12"))
        // Weekday ends are unchanged.
        #expect(p.endDate(providedOn: day("2024-06-03"), holidays: holidays) == day("2024-07-10"))
        #expect(p.endDate(providedOn: day("2024-11-25"), holidays: holidays) == day("2025-01-02"))
    }

    @Test func withoutHolidaysTheJulyCaseIsADayEarlier() {
        // If Jul 4 were not a holiday it would count: Jul 4, 5, 8, 9, 10 → receipt Wed Jul 10.
        #expect(ValidationPeriod.regulationF.assumedReceipt(providedOn: day("2024-07-03"), holidays: []) == day("2024-07-10"))
    }

    @Test func providedOnAWeekend() {
        // Provided Sat 2024-06-08: Mon 10 … Fri 14 → receipt Fri 06-14; end 07-14.
        #expect(ValidationPeriod.regulationF.assumedReceipt(providedOn: day("2024-06-08"), holidays: []) == day("2024-06-14"))
        #expect(ValidationPeriod.regulationF.endDate(providedOn: day("2024-06-08"), holidays: []) == day("2024-07-14"))
    }
}
