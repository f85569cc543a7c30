/// A progressive (marginal-bracket) cap on extrajudicial collection costs, with brackets defined in a unit
/// of account (Chile: UF, ISO 4217 `CLF`; reference §3.3, Ley 19.496 Art. 37).
///
/// Contract:
/// - Chargeable only when the item is more than ``graceDays`` days past due (Chile: after the first 20 days).
/// - The cap is Σ over brackets of `rate × (part of the overdue amount inside the bracket)`, like income-tax
///   brackets (Chile: 9% up to 10 UF, 6% from 10 to 50 UF, 3% above 50 UF), minus
///   ``reductionWithoutNoticeMinor`` when the free "gestión útil" notice was not sent, never below zero.
/// - An overdue amount in another currency (CLP) needs an explicit value of the unit
///   (`ExchangeRate(from: CLF, to: CLP, …)`, the UF of the day); bracket bounds and the reduction are
///   converted exactly and the result is rounded **once**, half to even, to the overdue currency's minor unit.
public struct CollectionCostCap: Hashable, Sendable, Codable {
    /// Rates apply to the part of the amount up to `upToMinor` (in ``unit``) above the previous bracket's bound;
    /// `nil` means no upper bound.
    public struct Bracket: Hashable, Sendable, Codable {
        public var upToMinor: Int64?
        public var rate: Percentage

        enum CodingKeys: String, CodingKey {
            case upToMinor = "up_to_minor"
            case rate
        }

        public init(upToMinor: Int64?, rate: Percentage) {
            self.upToMinor = upToMinor
            self.rate = rate
        }
    }

    public var unit: Currency
    /// Ascending by `upToMinor`; only the last may be unbounded.
    public var brackets: [Bracket]
    /// Subtracted (in ``unit`` minor units) when the courtesy notice was not sent.
    public var reductionWithoutNoticeMinor: Int64
    public var graceDays: Int

    enum CodingKeys: String, CodingKey {
        case unit, brackets
        case reductionWithoutNoticeMinor = "reduction_without_notice_minor"
        case graceDays = "grace_days"
    }

    public init(unit: Currency, brackets: [Bracket], reductionWithoutNoticeMinor: Int64 = 0, graceDays: Int = 0) {
        self.unit = unit
        self.brackets = brackets
        self.reductionWithoutNoticeMinor = reductionWithoutNoticeMinor
        self.graceDays = graceDays
    }

    // Constant ISO code that Currency always knows (not an input path).
    private static let clf = Currency(code: "CLF")!

    /// Chile, Ley 21.320: 9% up to 10 UF, 6% on 10–50 UF, 3% above 50 UF; 0.2 UF less without the
    /// "gestión útil" notice; only after 20 days of delay.
    public static let chile = CollectionCostCap(
        unit: clf,
        brackets: [
            Bracket(upToMinor: 10_0000, rate: .percent(9)),
            Bracket(upToMinor: 50_0000, rate: .percent(6)),
            Bracket(upToMinor: nil, rate: .percent(3)),
        ],
        reductionWithoutNoticeMinor: 2000,
        graceDays: 20)

    /// Whether collection costs may be charged on `asOf` for an item due on `dueDate`.
    public func isChargeable(dueDate: LocalDate, asOf: LocalDate) -> Bool { asOf.days(since: dueDate) > graceDays }

    /// The cap for an overdue amount in the unit itself (UF).
    public func maximum(overdue: Money, usefulNoticeSent: Bool) -> Result<Money, LateChargeError> {
        guard overdue.currency == unit else { return .failure(.currencyMismatch(what: "overdue amount", expected: unit, got: overdue.currency)) }
        return compute(overdue: overdue, boundScale: 1, boundDivisor: 1, usefulNoticeSent: usefulNoticeSent)
    }

    /// The cap for an overdue amount in another currency, with `unitValue` the explicit value of one unit
    /// (`from` = ``unit``, `to` = the overdue currency).
    public func maximum(overdue: Money, unitValue: ExchangeRate, usefulNoticeSent: Bool) -> Result<Money, LateChargeError> {
        guard unitValue.from == unit else { return .failure(.currencyMismatch(what: "unit value rate (from)", expected: unit, got: unitValue.from)) }
        guard unitValue.to == overdue.currency else {
            return .failure(.currencyMismatch(what: "unit value rate (to)", expected: overdue.currency, got: unitValue.to))
        }
        // bound in overdue minor units = bound × rateNanos × 10^toExp / (10^unitExp × 10^9)
        var scale = Int128(unitValue.rateNanos)
        for _ in 0..<overdue.currency.exponent { scale *= 10 }
        var divisor: Int128 = 1_000_000_000
        for _ in 0..<unit.exponent { divisor *= 10 }
        return compute(overdue: overdue, boundScale: scale, boundDivisor: divisor, usefulNoticeSent: usefulNoticeSent)
    }

    /// Works in overdue-currency minor units multiplied by `boundDivisor`, so that bounds convert exactly.
    func compute(overdue: Money, boundScale: Int128, boundDivisor: Int128, usefulNoticeSent: Bool) -> Result<Money, LateChargeError> {
        if case .failure(let e) = validate() { return .failure(e) }
        guard overdue.minor > 0 else { return .success(.zero(overdue.currency)) }
        guard let amount = checkedMul(Int128(overdue.minor), boundDivisor) else { return .failure(.overflow) }
        var total: Int128 = 0  // × 10^6 (parts per million) × boundDivisor
        var lower: Int128 = 0
        for b in brackets {
            var upper = amount
            if let up = b.upToMinor {
                guard let u = checkedMul(Int128(up), boundScale) else { return .failure(.overflow) }
                upper = min(u, amount)
            }
            if upper > lower {
                guard let part = checkedMul(upper - lower, Int128(b.rate.partsPerMillion)) else { return .failure(.overflow) }
                let (sum, o) = total.addingReportingOverflow(part)
                if o { return .failure(.overflow) }
                total = sum
                lower = upper
            }
            if lower >= amount { break }
        }
        if !usefulNoticeSent {
            guard let r = checkedMul(Int128(reductionWithoutNoticeMinor), boundScale).flatMap({ checkedMul($0, 1_000_000) }) else {
                return .failure(.overflow)
            }
            total = max(0, total - r)
        }
        guard let minor = Int64(exactly: roundHalfEven(total, boundDivisor * 1_000_000)) else { return .failure(.overflow) }
        return .success(Money(minor: minor, overdue.currency))
    }

    func validate() -> Result<Void, LateChargeError> {
        var previous: Int64 = 0
        for (i, b) in brackets.enumerated() {
            if b.rate.partsPerMillion < 0 || b.rate.partsPerMillion > 1_000_000 {
                return .failure(.invalidRule("bracket rate \(b.rate) must be between 0% and 100%"))
            }
            if let up = b.upToMinor {
                if up <= previous { return .failure(.invalidRule("bracket bounds must be positive and ascending")) }
                previous = up
            } else if i != brackets.count - 1 {
                return .failure(.invalidRule("only the last bracket may be unbounded"))
            }
        }
        if reductionWithoutNoticeMinor < 0 { return .failure(.invalidRule("the reduction without notice is negative")) }
        return .success(())
    }

    private func checkedMul(_ a: Int128, _ b: Int128) -> Int128? {
        let (v, o) = a.multipliedReportingOverflow(by: b)
        return o ? nil : v
    }
}
