import Foundation
import Testing

@testable import CobroCore

// Late fees per dunning step, and the Chilean collection-cost cap (reference §3.3 oracles).

private func day(_ iso: String) -> LocalDate {
    guard let d = LocalDate(iso: iso) else { fatalError("bad test date \(iso)") }
    return d
}

private func currency(_ code: String) -> Currency {
    guard let c = Currency(code: code) else { fatalError("unknown currency \(code)") }
    return c
}

private let EUR = currency("EUR")
private let USD = currency("USD")
private let JPY = currency("JPY")
private let CLF = currency("CLF")  // UF, 4 decimals
private let CLP = currency("CLP")  // 0 decimals

private func pct(_ text: String) -> Percentage {
    guard case .success(let p) = Percentage.parse(text) else { fatalError("bad percentage \(text)") }
    return p
}

private func eur(_ minor: Int64) -> Money { Money(minor: minor, EUR) }

@Suite("Late charges: late fee per step")
struct LateFeeTests {
    @Test func fixedFee() throws {
        #expect(try LateFee.fixed(eur(25_00)).amount(overdue: eur(100_00)).get() == eur(25_00))
        #expect(try LateFee.fixed(eur(25_00)).amount(overdue: eur(1)).get() == eur(25_00))
        #expect(try LateFee.fixed(eur(25_00)).amount(overdue: .zero(EUR)).get() == .zero(EUR))
        #expect(try LateFee.fixed(eur(25_00)).amount(overdue: eur(-10_00)).get() == .zero(EUR))
    }

    @Test func percentageRoundsHalfToEven() throws {
        // 1.5% of 1,234.56 = 18.5184 → 18.52.
        #expect(try LateFee.percentOfOverdue(pct("1.5")).amount(overdue: eur(1_234_56)).get() == eur(18_52))
        // 2% of 0.25 = 0.5 cent → 0; of 0.75 = 1.5 → 2; of 1.25 = 2.5 → 2; of 1.75 = 3.5 → 4.
        let two = LateFee.percentOfOverdue(.percent(2))
        #expect(try two.amount(overdue: eur(25)).get() == eur(0))
        #expect(try two.amount(overdue: eur(75)).get() == eur(2))
        #expect(try two.amount(overdue: eur(125)).get() == eur(2))
        #expect(try two.amount(overdue: eur(175)).get() == eur(4))
        // ¥: 1.5% of ¥1,000 = ¥15.
        #expect(try LateFee.percentOfOverdue(pct("1.5")).amount(overdue: Money(minor: 1_000, JPY)).get() == Money(minor: 15, JPY))
    }

    @Test func minimumAndMaximum() throws {
        let fee = LateFee.percentOfOverdue(pct("1.5"), minimum: eur(5_00), maximum: eur(100_00))
        #expect(try fee.amount(overdue: eur(100_00)).get() == eur(5_00))  // 1.50 raised to 5.00
        #expect(try fee.amount(overdue: eur(1_000_00)).get() == eur(15_00))  // inside the bounds
        #expect(try fee.amount(overdue: eur(10_000_00)).get() == eur(100_00))  // 150.00 lowered to 100.00
        #expect(try fee.amount(overdue: .zero(EUR)).get() == .zero(EUR))  // nothing overdue: no minimum either
    }

    @Test func invalidFees() {
        #expect(
            LateFee.fixed(Money(minor: 25_00, USD)).amount(overdue: eur(100_00))
                == .failure(.currencyMismatch(what: "fixed late fee", expected: EUR, got: USD)))
        #expect(
            LateFee.percentOfOverdue(.percent(1), minimum: Money(minor: 5_00, USD)).amount(overdue: eur(100_00))
                == .failure(.currencyMismatch(what: "late fee minimum", expected: EUR, got: USD)))
        guard
            case .failure(.invalidRule(let reason)) = LateFee.percentOfOverdue(.percent(1), minimum: eur(10_00), maximum: eur(5_00)).amount(
                overdue: eur(100_00))
        else {
            Issue.record("min > max accepted")
            return
        }
        #expect(reason.contains("above the maximum"))
        guard case .failure(.invalidRule("late fee percentage -1% is negative")) = LateFee.percentOfOverdue(pct("-1")).validate(currency: EUR) else {
            Issue.record("negative percentage accepted")
            return
        }
        guard case .failure(.invalidRule) = LateFee.fixed(eur(-1)).validate(currency: EUR) else {
            Issue.record("negative fee accepted")
            return
        }
    }

    @Test func coding() throws {
        let fees: [LateFee] = [.fixed(eur(25_00)), .percentOfOverdue(pct("1.5"), minimum: eur(5_00), maximum: nil), .percentOfOverdue(.percent(2))]
        let e = JSONEncoder()
        e.outputFormatting = [.sortedKeys]
        let data = try e.encode(fees)
        #expect(
            String(decoding: data, as: UTF8.self)
                == #"[{"amount":{"amount_minor":2500,"currency":"EUR"},"type":"fixed"},"#
                + #"{"minimum":{"amount_minor":500,"currency":"EUR"},"percent":"1.5","type":"percent_of_overdue"},"#
                + #"{"percent":"2","type":"percent_of_overdue"}]"#)
        #expect(try JSONDecoder().decode([LateFee].self, from: data) == fees)
    }

    @Test(arguments: [
        #"{"type":"fixed","amount":{"amount_minor":"25.00","currency":"EUR"}}"#,
        #"{"type":"fixed","amount":{"amount_minor":2500,"currency":"EURO"}}"#,
        #"{"type":"fixed"}"#,
        #"{"type":"percent_of_overdue","percent":"x"}"#,
        #"{"type":"percentage","percent":"1"}"#,
        #"{"fixed":{"amount_minor":2500,"currency":"EUR"}}"#,
    ])
    func rejectsInvalidJSON(json: String) {
        #expect(throws: DecodingError.self) { try JSONDecoder().decode(LateFee.self, from: Data(json.utf8)) }
    }
}

@Suite("Late charges: Chilean collection-cost cap (reference §3.3)")
struct CollectionCostCapTests {
    let cap = CollectionCostCap.chile

    private func uf(_ minor: Int64) -> Money { Money(minor: minor, CLF) }

    @Test(
        arguments: [
            (3_6800, 3312),  // 3.68 UF → 0.3312 UF
            (10_0000, 9000),  // 10 UF → 0.90 UF
            (40_0000, 27000),  // 0.9 + 1.8 = 2.70 UF
            (100_0000, 48000),  // 0.9 + 2.4 + 1.5 = 4.80 UF
            (50_0000, 33000),  // 0.9 + 2.4 = 3.30 UF
        ] as [(Int64, Int64)])
    func referenceOraclesInUF(overdue: Int64, expected: Int64) throws {
        #expect(try cap.maximum(overdue: uf(overdue), usefulNoticeSent: true).get() == uf(expected))
    }

    @Test func withoutTheCourtesyNoticeTheCapDropsByTwoTenthsOfAUF() throws {
        #expect(try cap.maximum(overdue: uf(40_0000), usefulNoticeSent: false).get() == uf(25000))  // 2.70 − 0.20
        #expect(try cap.maximum(overdue: uf(1_0000), usefulNoticeSent: false).get() == uf(0))  // 0.09 − 0.20 → 0
    }

    @Test func pesosWithAnExplicitUFValue() throws {
        // SERNAC: CLP 100,000 at UF 27,205.11 (3.6758 UF, below 10 UF) → 9% → CLP 9,000.
        let ufValue = ExchangeRate(from: CLF, to: CLP, rateNanos: 27_205_110_000_000)
        #expect(try cap.maximum(overdue: Money(minor: 100_000, CLP), unitValue: ufValue, usefulNoticeSent: true).get() == Money(minor: 9_000, CLP))
        // CLP 1,000,000: 9% × 272,051.1 + 6% × 727,948.9 = 24,484.599 + 43,676.934 = 68,161.533 → 68,162.
        #expect(try cap.maximum(overdue: Money(minor: 1_000_000, CLP), unitValue: ufValue, usefulNoticeSent: true).get() == Money(minor: 68_162, CLP))
        // Without the notice: − 0.2 × 27,205.11 = − 5,441.022 → 62,720.511 → 62,721.
        #expect(
            try cap.maximum(overdue: Money(minor: 1_000_000, CLP), unitValue: ufValue, usefulNoticeSent: false).get() == Money(minor: 62_721, CLP))
    }

    @Test func chargeableOnlyAfterTwentyDays() {
        #expect(!cap.isChargeable(dueDate: day("2024-06-01"), asOf: day("2024-06-21")))  // 20 days late
        #expect(cap.isChargeable(dueDate: day("2024-06-01"), asOf: day("2024-06-22")))  // 21 days late
    }

    @Test func currenciesAreNeverMixed() {
        #expect(
            cap.maximum(overdue: Money(minor: 100_000, CLP), usefulNoticeSent: true)
                == .failure(.currencyMismatch(what: "overdue amount", expected: CLF, got: CLP)))
        let wrong = ExchangeRate(from: USD, to: CLP, rateNanos: 900_000_000_000)
        #expect(
            cap.maximum(overdue: Money(minor: 100_000, CLP), unitValue: wrong, usefulNoticeSent: true)
                == .failure(.currencyMismatch(what: "unit value rate (from)", expected: CLF, got: USD)))
        let toUSD = ExchangeRate(from: CLF, to: USD, rateNanos: 30_000_000_000)
        #expect(
            cap.maximum(overdue: Money(minor: 100_000, CLP), unitValue: toUSD, usefulNoticeSent: true)
                == .failure(.currencyMismatch(what: "unit value rate (to)", expected: CLP, got: USD)))
    }

    @Test func invalidBrackets() {
        let descending = CollectionCostCap(unit: CLF, brackets: [.init(upToMinor: 50, rate: .percent(1)), .init(upToMinor: 10, rate: .percent(1))])
        let middleOpen = CollectionCostCap(unit: CLF, brackets: [.init(upToMinor: nil, rate: .percent(1)), .init(upToMinor: 10, rate: .percent(1))])
        let tooHigh = CollectionCostCap(unit: CLF, brackets: [.init(upToMinor: nil, rate: .percent(101))])
        for c in [descending, middleOpen, tooHigh] {
            guard case .failure(.invalidRule) = c.maximum(overdue: uf(10), usefulNoticeSent: true) else {
                Issue.record("accepted \(c)")
                continue
            }
        }
    }

    @Test func coding() throws {
        let data = try JSONEncoder().encode(cap)
        #expect(try JSONDecoder().decode(CollectionCostCap.self, from: data) == cap)
    }
}
