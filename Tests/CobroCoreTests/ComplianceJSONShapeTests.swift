import Foundation
import Testing

@testable import CobroCore

// Stored-policy JSON: snake_case keys, amounts as integer minor units, rates as percent strings (the house style
// of the dunning policy JSON). Expected strings are written by hand.

private func day(_ iso: String) -> LocalDate {
    guard let d = LocalDate(iso: iso) else { fatalError("bad test date \(iso)") }
    return d
}

private func json(_ value: some Encodable) throws -> String {
    let e = JSONEncoder()
    e.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
    return String(decoding: try e.encode(value), as: UTF8.self)
}

private func roundTrips<T: Codable & Equatable>(_ value: T) throws -> Bool {
    try JSONDecoder().decode(T.self, from: JSONEncoder().encode(value)) == value
}

@Suite("Compliance and late charges: JSON shapes")
struct ComplianceJSONShapeTests {
    @Test func frequencyCap() throws {
        #expect(try json(FrequencyCap.cobroDefault) == #"{"limits":[{"days":1,"max_messages":1},{"days":7,"max_messages":3}]}"#)
    }

    @Test func callFrequencyRule() throws {
        #expect(
            try json(CallFrequencyRule.regulationF)
                == #"{"consent_day_counting":"following_days","consent_days":7,"max_calls":7,"quiet_days_after_conversation":7,"window_days":7}"#)
        #expect(
            try json(CallFrequencyRule.Call(.inboundConversation, on: day("2024-06-03"))) == #"{"date":"2024-06-03","kind":"inbound_conversation"}"#)
        #expect(try json(CallFrequencyRule.Consent(receivedOn: day("2024-06-03"))) == #"{"received_on":"2024-06-03"}"#)
        #expect(
            try json(CallFrequencyRule.Consent(receivedOn: day("2024-06-03"), endsOn: day("2024-06-05")))
                == #"{"ends_on":"2024-06-05","received_on":"2024-06-03"}"#)
    }

    @Test func validationPeriod() throws {
        let p = ValidationPeriod(endPolicy: .extendToNextBusinessDay)
        #expect(try json(p) == #"{"end_policy":"extend_to_next_business_day","period_days":30,"receipt_business_days":5}"#)
        #expect(try roundTrips(p))
    }

    @Test func compensationAndCostCap() throws {
        #expect(try json(FixedCompensation.euDirective) == #"{"currency":"EUR","tiers":[{"amount_minor":4000,"from_debt_minor":0}]}"#)
        #expect(
            try json(CollectionCostCap.chile)
                == #"{"brackets":[{"rate":"9","up_to_minor":100000},{"rate":"6","up_to_minor":500000},{"rate":"3"}],"#
                + #""grace_days":20,"reduction_without_notice_minor":2000,"unit":"CLF"}"#)
    }

    @Test func latePaymentPolicy() throws {
        let policy = LatePaymentPolicy.euDirective(referenceRates: [ReferenceRate(effectiveFrom: day("2026-01-01"), rate: .basisPoints(215))])
        #expect(
            try json(policy)
                == #"{"compensation":{"currency":"EUR","tiers":[{"amount_minor":4000,"from_debt_minor":0}]},"#
                + #""interest":{"day_count":365,"margin":"8","reference_rates":[{"effective_from":"2026-01-01","rate":"2.15"}]}}"#)
        #expect(try roundTrips(policy))
        #expect(try json(BalanceChange(date: day("2024-04-30"), openMinor: 6_000_00)) == #"{"date":"2024-04-30","open_minor":600000}"#)
    }

    @Test func interestCalculation() throws {
        let eur = Currency(code: "EUR")!
        let period = InterestPeriod(
            from: day("2024-04-01"), through: day("2024-04-30"), days: 30, openMinor: 10_000_00, annualRate: .percent(10),
            interest: Money(minor: 82_19, eur))
        let calc = LateInterestCalculation(total: Money(minor: 82_19, eur), periods: [period])
        #expect(
            try json(calc)
                == #"{"periods":[{"annual_rate":"10","days":30,"from":"2024-04-01","interest":{"amount_minor":8219,"currency":"EUR"},"#
                + #""open_minor":1000000,"through":"2024-04-30"}],"total":{"amount_minor":8219,"currency":"EUR"}}"#)
        #expect(try roundTrips(calc))
    }

    @Test func discountTermsAndWindow() throws {
        #expect(try json([DiscountTerms.parse("2/10, n/30").get()]) == #"["2/10 net 30"]"#)
        #expect(
            try json(ContactWindow.peru) == #"{"holidays":[],"weekly":{"friday":["07:00-20:00"],"monday":["07:00-20:00"],"#
                + #""thursday":["07:00-20:00"],"tuesday":["07:00-20:00"],"wednesday":["07:00-20:00"]}}"#)
    }
}
