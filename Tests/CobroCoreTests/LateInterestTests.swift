import Foundation
import Testing

@testable import CobroCore

// Late-payment interest and fixed compensation (reference §4.1). Expected values are worked by hand:
// interest = open × rate × days / basis, rounded half to even to the cent.

private func day(_ iso: String) -> LocalDate {
    guard let d = LocalDate(iso: iso) else { fatalError("bad test date \(iso)") }
    return d
}

private func currency(_ code: String) -> Currency {
    guard let c = Currency(code: code) else { fatalError("unknown currency \(code)") }
    return c
}

private let EUR = currency("EUR")
private let GBP = currency("GBP")
private let USD = currency("USD")
private let JPY = currency("JPY")
private let BHD = currency("BHD")

private func pct(_ text: String) -> Percentage {
    guard case .success(let p) = Percentage.parse(text) else { fatalError("bad percentage \(text)") }
    return p
}

private func ref(_ from: String, _ rate: String) -> ReferenceRate { ReferenceRate(effectiveFrom: day(from), rate: pct(rate)) }

@Suite("Late charges: percentages")
struct LateChargesPercentageTests {
    @Test(arguments: [
        ("10.15", 101_500), ("2%", 20_000), (" 8 ", 80_000), ("-0.5", -5_000), ("0.0001", 1), ("100", 1_000_000), ("1.50 %", 15_000), ("+3", 30_000),
    ])
    func parses(text: String, ppm: Int64) {
        #expect(Percentage.parse(text) == .success(Percentage(partsPerMillion: ppm)))
    }

    @Test(arguments: ["", "%", "abc", "1.23456", "1,5", "--1", "1.2.3", "99999999"])
    func rejects(text: String) {
        guard case .failure(let e) = Percentage.parse(text) else {
            Issue.record("\(text) parsed")
            return
        }
        #expect(e.description.contains("at most 4 decimals"))
    }

    @Test func constructorsAndText() {
        #expect(Percentage.basisPoints(215) == pct("2.15"))
        #expect(Percentage.percent(8) == pct("8"))
        #expect(pct("2.15") + .percent(8) == pct("10.15"))
        #expect(pct("10.15").description == "10.15%")
        #expect(pct("8").percentText == "8")
        #expect(pct("-0.5").percentText == "-0.5")
        #expect(pct("1.2340").percentText == "1.234")
        #expect(pct("0").percentText == "0")
    }

    @Test func coding() throws {
        let data = try JSONEncoder().encode([pct("10.15"), pct("8")])
        #expect(String(decoding: data, as: UTF8.self) == #"["10.15","8"]"#)
        #expect(try JSONDecoder().decode([Percentage].self, from: data) == [pct("10.15"), pct("8")])
        #expect(throws: DecodingError.self) { try JSONDecoder().decode([Percentage].self, from: Data(#"["1.23456"]"#.utf8)) }
        #expect(throws: DecodingError.self) { try JSONDecoder().decode([Percentage].self, from: Data("[10.15]".utf8)) }
    }
}

@Suite("Late charges: statutory interest worked examples (reference §4.1)")
struct LateInterestWorkedExampleTests {
    @Test func euTenThousandAt1015PercentFor45Days() throws {
        // €10,000 × (2.15% + 8pp) × 45 / 365 = 125.1369… → €125.14; plus €40 → €165.14.
        let rule = LateInterestRule.euLatePaymentDirective(referenceRates: [ref("2026-01-01", "2.15")])
        // Due Sun 2026-02-01, paid 2026-03-18: 27 days of February after the due date + 18 of March = 45.
        let r = try rule.interest(principal: Money(minor: 10_000_00, EUR), dueDate: day("2026-02-01"), asOf: day("2026-03-18")).get()
        #expect(r.total == Money(minor: 125_14, EUR))
        #expect(r.accruingDays == 45)
        #expect(
            r.periods == [
                InterestPeriod(
                    from: day("2026-02-02"), through: day("2026-03-18"), days: 45, openMinor: 10_000_00, annualRate: pct("10.15"),
                    interest: Money(minor: 125_14, EUR))
            ])
        let compensation = try FixedCompensation.euDirective.amount(forDebt: Money(minor: 10_000_00, EUR)).get()
        #expect(compensation == Money(minor: 40_00, EUR))
        #expect(r.total + compensation == Money(minor: 165_14, EUR))
    }

    @Test func ukFiveThousandAtTwelvePercentFor30Days() throws {
        // Base 4.00% + 8% = 12%: daily £5,000 × 0.12 / 365 = £1.6438…; 30 days = £49.315… → £49.32; fixed £70.
        let rule = LateInterestRule.unitedKingdom(referenceRates: [ref("2025-01-01", "4.00")])
        let principal = Money(minor: 5_000_00, GBP)
        #expect(rule.dailyInterest(on: principal, date: day("2025-03-01"), extraDigits: 2) == 164_38)  // 164.38p = £1.6438
        let r = try rule.interest(principal: principal, dueDate: day("2025-03-01"), asOf: day("2025-03-31")).get()
        #expect(r.total == Money(minor: 49_32, GBP))
        #expect(try FixedCompensation.unitedKingdom.amount(forDebt: principal).get() == Money(minor: 70_00, GBP))
    }

    @Test func halfYearSplitAppliesEachSemestersReferenceRate() throws {
        // €10,000 due 2024-06-20, paid 2024-07-10. Jun 21–30: 10 days at 4.50% + 8 = 12.50% → 34.2465… → 34.25.
        // Jul 1–10: 10 days at 4.25% + 8 = 12.25% → 33.5616… → 33.56. Total 67.81.
        let rule = LateInterestRule.euLatePaymentDirective(referenceRates: [ref("2024-07-01", "4.25"), ref("2024-01-01", "4.50")])
        let r = try rule.interest(principal: Money(minor: 10_000_00, EUR), dueDate: day("2024-06-20"), asOf: day("2024-07-10")).get()
        #expect(r.periods.map(\.days) == [10, 10])
        #expect(r.periods.map(\.annualRate) == [pct("12.50"), pct("12.25")])
        #expect(r.periods.map(\.from) == [day("2024-06-21"), day("2024-07-01")])
        #expect(r.periods.map(\.through) == [day("2024-06-30"), day("2024-07-10")])
        #expect(r.periods.map(\.interest.minor) == [34_25, 33_56])
        #expect(r.total == Money(minor: 67_81, EUR))
    }

    @Test func germanAndFrenchMargins() throws {
        // €1,000 for 73 days (73/365 = 1/5 year) at 2% + 9 = 11% → 22.00; at 2% + 10 = 12% → 24.00.
        let refs = [ref("2024-01-01", "2")]
        let de = try LateInterestRule.germanyB2B(referenceRates: refs).interest(
            principal: Money(minor: 1_000_00, EUR), dueDate: day("2024-01-31"), asOf: day("2024-04-13")
        ).get()
        let fr = try LateInterestRule.franceB2B(referenceRates: refs).interest(
            principal: Money(minor: 1_000_00, EUR), dueDate: day("2024-01-31"), asOf: day("2024-04-13")
        ).get()
        #expect(de.accruingDays == 73)
        #expect(de.total == Money(minor: 22_00, EUR))
        #expect(fr.total == Money(minor: 24_00, EUR))
    }
}

@Suite("Late charges: interest accrual rules")
struct LateInterestAccrualTests {
    let tenPercent = LateInterestRule.fixed(annualRate: .percent(10))

    @Test func noInterestOnOrBeforeTheDueDate() throws {
        let p = Money(minor: 10_000_00, EUR)
        #expect(
            try tenPercent.interest(principal: p, dueDate: day("2024-03-31"), asOf: day("2024-03-31")).get()
                == LateInterestCalculation(total: .zero(EUR), periods: []))
        #expect(try tenPercent.interest(principal: p, dueDate: day("2024-03-31"), asOf: day("2024-03-01")).get().total == .zero(EUR))
        // One day late = one day of interest: 10,000 × 0.10 / 365 = 2.7397… → 2.74.
        #expect(try tenPercent.interest(principal: p, dueDate: day("2024-03-31"), asOf: day("2024-04-01")).get().total == Money(minor: 2_74, EUR))
    }

    @Test func partialPaymentChangesTheOpenAmountFromTheNextDay() throws {
        // €10,000 due 03-31; €4,000 paid 04-30 (open 6,000 from 05-01); as of 05-30.
        // Apr 1–30: 30 days on 10,000 → 82.1917… → 82.19. May 1–30: 30 days on 6,000 → 49.3150… → 49.32. Total 131.51.
        let r = try tenPercent.interest(
            principal: Money(minor: 10_000_00, EUR), dueDate: day("2024-03-31"), asOf: day("2024-05-30"),
            balanceChanges: [BalanceChange(date: day("2024-04-30"), openMinor: 6_000_00)]
        ).get()
        #expect(r.periods.map(\.openMinor) == [10_000_00, 6_000_00])
        #expect(r.periods.map(\.days) == [30, 30])
        #expect(r.periods.map(\.interest.minor) == [82_19, 49_32])
        #expect(r.total == Money(minor: 131_51, EUR))
    }

    @Test func fullPaymentStopsAccrualAfterThePaymentDay() throws {
        // Paid in full on 04-30: as of 06-30 still only April's 82.19.
        let r = try tenPercent.interest(
            principal: Money(minor: 10_000_00, EUR), dueDate: day("2024-03-31"), asOf: day("2024-06-30"),
            balanceChanges: [BalanceChange(date: day("2024-04-30"), openMinor: 0)]
        ).get()
        #expect(r.total == Money(minor: 82_19, EUR))
        #expect(r.periods.count == 1)
    }

    @Test func changesBeforeTheDueDateSetTheStartingAmount() throws {
        // Only €5,000 open at the due date: April = 5,000 × 0.10 × 30 / 365 = 41.0958… → 41.10.
        let r = try tenPercent.interest(
            principal: Money(minor: 10_000_00, EUR), dueDate: day("2024-03-31"), asOf: day("2024-04-30"),
            balanceChanges: [BalanceChange(date: day("2024-03-15"), openMinor: 5_000_00)]
        ).get()
        #expect(r.total == Money(minor: 41_10, EUR))
    }

    @Test func changesInAnyOrderAndLastOfADayWins() throws {
        // Same as the partial-payment case, given out of order and with a same-day correction.
        let r = try tenPercent.interest(
            principal: Money(minor: 10_000_00, EUR), dueDate: day("2024-03-31"), asOf: day("2024-05-30"),
            balanceChanges: [
                BalanceChange(date: day("2024-06-15"), openMinor: 0),
                BalanceChange(date: day("2024-04-30"), openMinor: 7_000_00),
                BalanceChange(date: day("2024-04-30"), openMinor: 6_000_00),
            ]
        ).get()
        #expect(r.total == Money(minor: 131_51, EUR))
    }

    @Test func debitIncreasesTheOpenAmount() throws {
        // Due Jan 1, as of Jan 21 (basis 360, 36%): open 1,000.00 on Jan 2–11, 2,000.00 from Jan 12 after a debit
        // dated Jan 11: 10 days × 1.00 + 10 days × 2.00 = 30.00.
        let rule = LateInterestRule.fixed(annualRate: .percent(36), dayCount: .actual360)
        let r = try rule.interest(
            principal: Money(minor: 1_000_00, USD), dueDate: day("2024-01-01"), asOf: day("2024-01-21"),
            balanceChanges: [BalanceChange(date: day("2024-01-11"), openMinor: 2_000_00)]
        ).get()
        #expect(r.periods.map(\.days) == [10, 10])
        #expect(r.total == Money(minor: 30_00, USD))
    }

    @Test func leapDayIsAnAccruingDayOnA365Basis() throws {
        // Due 2024-02-28, as of 03-01: Feb 29 and Mar 1 = 2 days; 36,500 × 10% / 365 = 10.00 a day → 20.00.
        let r = try tenPercent.interest(principal: Money(minor: 36_500_00, EUR), dueDate: day("2024-02-28"), asOf: day("2024-03-01")).get()
        #expect(r.accruingDays == 2)
        #expect(r.total == Money(minor: 20_00, EUR))
    }

    @Test func basis360() throws {
        // €10,000 × 10.15% × 45 / 360 = 126.875 exactly → half to even → 126.88.
        let rule = LateInterestRule(margin: .percent(8), referenceRates: [ref("2026-01-01", "2.15")], dayCount: .actual360)
        let r = try rule.interest(principal: Money(minor: 10_000_00, EUR), dueDate: day("2026-02-01"), asOf: day("2026-03-18")).get()
        #expect(r.total == Money(minor: 126_88, EUR))
    }

    @Test(
        arguments: [
            // 18% / 360 for one day: principal × 0.0005. Exact halves round to the even cent.
            (1_000, 0),  // 0.5 → 0
            (3_000, 2),  // 1.5 → 2
            (5_000, 2),  // 2.5 → 2
            (7_000, 4),  // 3.5 → 4
            (9_000, 4),  // 4.5 → 4
            (9_001, 5),  // 4.5005 → 5
            (8_999, 4),  // 4.4995 → 4
        ] as [(Int64, Int64)])
    func roundingIsHalfToEven(principalMinor: Int64, interestMinor: Int64) throws {
        let rule = LateInterestRule.fixed(annualRate: .percent(18), dayCount: .actual360)
        let r = try rule.interest(principal: Money(minor: principalMinor, USD), dueDate: day("2024-01-01"), asOf: day("2024-01-02")).get()
        #expect(r.total.minor == interestMinor)
    }

    @Test func eachPeriodIsRoundedAndTheTotalIsTheirSum() throws {
        // Two periods of 0.5 cent each (USD 10.00 at 18%/360, 1 day each, split by a rate-table entry): 0 + 0 = 0, although
        // the unrounded sum is 1 cent. The printed lines add up to the total.
        let rule = LateInterestRule(margin: .zero, referenceRates: [ref("2024-01-01", "18"), ref("2024-01-03", "18")], dayCount: .actual360)
        let r = try rule.interest(principal: Money(minor: 1_000, USD), dueDate: day("2024-01-01"), asOf: day("2024-01-03")).get()
        #expect(r.periods.map(\.days) == [1, 1])
        #expect(r.periods.map(\.interest.minor) == [0, 0])
        #expect(r.total.minor == 0)
        // Without the split the two days are one period: 1 cent exactly.
        let single = LateInterestRule.fixed(annualRate: .percent(18), dayCount: .actual360)
        #expect(try single.interest(principal: Money(minor: 1_000, USD), dueDate: day("2024-01-01"), asOf: day("2024-01-03")).get().total.minor == 1)
    }

    @Test func zeroDecimalAndThreeDecimalCurrencies() throws {
        // ¥1,000,000 × 14.6% × 10 / 365 = ¥4,000 exactly.
        let jp = try LateInterestRule.fixed(annualRate: pct("14.6")).interest(
            principal: Money(minor: 1_000_000, JPY), dueDate: day("2024-01-01"), asOf: day("2024-01-11")
        ).get()
        #expect(jp.total == Money(minor: 4_000, JPY))
        // BHD 1.000 × 36.5% / 365 = 0.001 a day.
        let bh = try LateInterestRule.fixed(annualRate: pct("36.5")).interest(
            principal: Money(minor: 1_000, BHD), dueDate: day("2024-01-01"), asOf: day("2024-01-04")
        ).get()
        #expect(bh.total == Money(minor: 3, BHD))
    }

    @Test func missingReferenceRateIsAnError() {
        let rule = LateInterestRule.euLatePaymentDirective(referenceRates: [ref("2024-07-01", "4.25")])
        let r = rule.interest(principal: Money(minor: 10_000_00, EUR), dueDate: day("2024-06-20"), asOf: day("2024-07-10"))
        #expect(r == .failure(.noReferenceRate(on: day("2024-06-21"))))
        guard case .failure(let e) = r else { return }
        #expect(e.description.contains("2024-06-21"))
    }

    @Test func negativeTotalRateAccruesNothing() throws {
        let rule = LateInterestRule(margin: .percent(1), referenceRates: [ref("2020-01-01", "-2")])
        let r = try rule.interest(principal: Money(minor: 10_000_00, EUR), dueDate: day("2024-01-01"), asOf: day("2024-12-31")).get()
        #expect(r.total == .zero(EUR))
        #expect(r.periods.isEmpty)
        #expect(rule.annualRate(on: day("2024-06-01")) == pct("-1"))
    }

    @Test func zeroOrNegativeOpenAmountAccruesNothing() throws {
        let r = try tenPercent.interest(principal: Money(minor: -5_00, EUR), dueDate: day("2024-01-01"), asOf: day("2024-02-01")).get()
        #expect(r.total == .zero(EUR))
    }

    @Test func overflowIsReportedNotTrapped() {
        let rule = LateInterestRule.fixed(annualRate: .percent(100))
        let r = rule.interest(principal: Money(minor: .max, USD), dueDate: day("2000-01-01"), asOf: day("2100-01-01"))
        #expect(r == .failure(.overflow))
    }

    @Test func ruleCoding() throws {
        let rule = LateInterestRule.euLatePaymentDirective(referenceRates: [ref("2026-01-01", "2.15")])
        let e = JSONEncoder()
        e.outputFormatting = [.sortedKeys]
        let json = String(decoding: try e.encode(rule), as: UTF8.self)
        #expect(json == #"{"day_count":365,"margin":"8","reference_rates":[{"effective_from":"2026-01-01","rate":"2.15"}]}"#)
        #expect(try JSONDecoder().decode(LateInterestRule.self, from: Data(json.utf8)) == rule)
        #expect(throws: DecodingError.self) {
            try JSONDecoder().decode(LateInterestRule.self, from: Data(#"{"day_count":364,"margin":"8","reference_rates":[]}"#.utf8))
        }
        let period = InterestPeriod(
            from: day("2024-01-02"), through: day("2024-01-31"), days: 30, openMinor: 100, annualRate: pct("8"), interest: Money(minor: 1_25, EUR))
        #expect(try JSONDecoder().decode(InterestPeriod.self, from: JSONEncoder().encode(period)) == period)
    }
}

@Suite("Late charges: fixed compensation")
struct FixedCompensationTests {
    @Test func euFlatFortyEuros() throws {
        #expect(try FixedCompensation.euDirective.amount(forDebt: Money(minor: 1, EUR)).get() == Money(minor: 40_00, EUR))
        #expect(try FixedCompensation.euDirective.amount(forDebt: Money(minor: 1_000_000_00, EUR)).get() == Money(minor: 40_00, EUR))
        #expect(try FixedCompensation.euDirective.amount(forDebt: .zero(EUR)).get() == .zero(EUR))
    }

    @Test(arguments: [(999_99, 40_00), (1_000_00, 70_00), (9_999_99, 70_00), (10_000_00, 100_00), (1, 40_00)] as [(Int64, Int64)])
    func ukTiers(debt: Int64, amount: Int64) throws {
        #expect(try FixedCompensation.unitedKingdom.amount(forDebt: Money(minor: debt, GBP)).get() == Money(minor: amount, GBP))
    }

    @Test func otherCurrenciesNeedAnExplicitAmount() throws {
        let usdInvoice = Money(minor: 5_000_00, USD)
        #expect(
            FixedCompensation.euDirective.amount(forDebt: usdInvoice)
                == .failure(.compensationNeedsExplicitAmount(invoiceCurrency: USD, policyCurrency: EUR)))
        #expect(
            try FixedCompensation.euDirective.amount(forDebt: usdInvoice, explicitAmount: Money(minor: 43_00, USD)).get() == Money(minor: 43_00, USD))
        #expect(
            FixedCompensation.euDirective.amount(forDebt: usdInvoice, explicitAmount: Money(minor: 40_00, EUR))
                == .failure(.currencyMismatch(what: "explicit compensation amount", expected: USD, got: EUR)))
        guard case .failure(let e) = FixedCompensation.euDirective.amount(forDebt: usdInvoice) else { return }
        #expect(e.description.contains("pass the amount in USD explicitly"))
    }

    @Test func explicitAmountOverridesInThePolicyCurrency() throws {
        // A creditor claiming more than the minimum €40.
        #expect(
            try FixedCompensation.euDirective.amount(forDebt: Money(minor: 100_00, EUR), explicitAmount: Money(minor: 55_00, EUR)).get()
                == Money(minor: 55_00, EUR))
    }

    @Test func coding() throws {
        let data = try JSONEncoder().encode(FixedCompensation.unitedKingdom)
        #expect(try JSONDecoder().decode(FixedCompensation.self, from: data) == .unitedKingdom)
    }
}

@Suite("Late charges: late-payment policy claims (interest + compensation)")
struct LatePaymentPolicyTests {
    @Test func euClaimIs165Euros14() throws {
        // Reference §4.1: €125.14 interest + €40 = €165.14.
        let policy = LatePaymentPolicy.euDirective(referenceRates: [ref("2026-01-01", "2.15")])
        let claim = try policy.claim(principal: Money(minor: 10_000_00, EUR), dueDate: day("2026-02-01"), asOf: day("2026-03-18")).get()
        #expect(claim.interest.total == Money(minor: 125_14, EUR))
        #expect(claim.compensation == Money(minor: 40_00, EUR))
        #expect(claim.total == Money(minor: 165_14, EUR))
    }

    @Test func ukClaim() throws {
        // £49.32 + £70 = £119.32.
        let policy = LatePaymentPolicy.unitedKingdom(referenceRates: [ref("2025-01-01", "4")])
        let claim = try policy.claim(principal: Money(minor: 5_000_00, GBP), dueDate: day("2025-03-01"), asOf: day("2025-03-31")).get()
        #expect(claim.total == Money(minor: 119_32, GBP))
    }

    @Test func notLateMeansNoCompensation() throws {
        let policy = LatePaymentPolicy.euDirective(referenceRates: [ref("2026-01-01", "2.15")])
        let onTime = try policy.claim(principal: Money(minor: 10_000_00, EUR), dueDate: day("2026-02-01"), asOf: day("2026-02-01")).get()
        #expect(onTime.total == .zero(EUR))
        // Paid in full on the due date (open 0 at the end of it): nothing, even when asked later.
        let paid = try policy.claim(
            principal: Money(minor: 10_000_00, EUR), dueDate: day("2026-02-01"), asOf: day("2026-03-01"),
            balanceChanges: [BalanceChange(date: day("2026-02-01"), openMinor: 0)]
        ).get()
        #expect(paid.total == .zero(EUR))
    }

    @Test func compensationTierUsesTheAmountOpenAtTheDueDate() throws {
        // UK: invoice £12,000 but £11,500 paid before the due date: £500 open → £40 tier, not £100.
        let policy = LatePaymentPolicy.unitedKingdom(referenceRates: [ref("2025-01-01", "4")])
        let claim = try policy.claim(
            principal: Money(minor: 12_000_00, GBP), dueDate: day("2025-03-01"), asOf: day("2025-03-02"),
            balanceChanges: [BalanceChange(date: day("2025-02-20"), openMinor: 500_00)]
        ).get()
        #expect(claim.compensation == Money(minor: 40_00, GBP))
        // One day on £500 at 12%: 500 × 0.12 / 365 = 0.1643… → £0.16.
        #expect(claim.interest.total == Money(minor: 16, GBP))
    }

    @Test func nonEuroInvoiceNeedsAnExplicitCompensation() throws {
        let policy = LatePaymentPolicy.euDirective(referenceRates: [ref("2026-01-01", "2.15")])
        let usd = Money(minor: 10_000_00, USD)
        #expect(
            policy.claim(principal: usd, dueDate: day("2026-02-01"), asOf: day("2026-03-18"))
                == .failure(.compensationNeedsExplicitAmount(invoiceCurrency: USD, policyCurrency: EUR)))
        let claim = try policy.claim(
            principal: usd, dueDate: day("2026-02-01"), asOf: day("2026-03-18"), explicitCompensation: Money(minor: 43_50, USD)
        ).get()
        #expect(claim.interest.total == Money(minor: 125_14, USD))
        #expect(claim.total == Money(minor: 168_64, USD))
    }

    @Test func interestOnlyPolicy() throws {
        let policy = LatePaymentPolicy(interest: .fixed(annualRate: .percent(10)))
        let claim = try policy.claim(principal: Money(minor: 10_000_00, EUR), dueDate: day("2024-03-31"), asOf: day("2024-04-30")).get()
        #expect(claim.total == Money(minor: 82_19, EUR))
        #expect(claim.compensation == .zero(EUR))
    }

    @Test func errorsPropagate() {
        let policy = LatePaymentPolicy.euDirective(referenceRates: [ref("2026-07-01", "2.40")])
        #expect(
            policy.claim(principal: Money(minor: 100_00, EUR), dueDate: day("2026-02-01"), asOf: day("2026-02-02"))
                == .failure(.noReferenceRate(on: day("2026-02-02"))))
    }

    @Test func openAmountAtEndOfADay() {
        let changes = [
            BalanceChange(date: day("2024-02-10"), openMinor: 300), BalanceChange(date: day("2024-02-01"), openMinor: 700),
            BalanceChange(date: day("2024-02-10"), openMinor: 200),
        ]
        let p = Money(minor: 1_000, EUR)
        #expect(LateInterestRule.openMinor(atEndOf: day("2024-01-31"), principal: p, balanceChanges: changes) == 1_000)
        #expect(LateInterestRule.openMinor(atEndOf: day("2024-02-01"), principal: p, balanceChanges: changes) == 700)
        #expect(LateInterestRule.openMinor(atEndOf: day("2024-02-10"), principal: p, balanceChanges: changes) == 200)
    }

    @Test func coding() throws {
        let policy = LatePaymentPolicy.unitedKingdom(referenceRates: [ref("2025-01-01", "4")])
        #expect(try JSONDecoder().decode(LatePaymentPolicy.self, from: JSONEncoder().encode(policy)) == policy)
        let calc = try policy.interest.interest(principal: Money(minor: 5_000_00, GBP), dueDate: day("2025-03-01"), asOf: day("2025-03-31")).get()
        #expect(try JSONDecoder().decode(LateInterestCalculation.self, from: JSONEncoder().encode(calc)) == calc)
    }

    @Test func percentageAppliedToMinorUnits() {
        #expect(Percentage.percent(2).applied(toMinor: 125) == 2)
        #expect(Percentage.percent(2).applied(toMinor: 175) == 4)
        #expect(Percentage.percent(2).applied(toMinor: -125) == -2)
        #expect(Percentage.percent(1000).applied(toMinor: .max) == nil)
    }
}
