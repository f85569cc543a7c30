/// A late fee charged when a dunning step runs: a fixed amount, or a percentage of the overdue amount with
/// an optional minimum and maximum.
///
/// Contract (``amount(overdue:)``):
/// - Nothing overdue (zero or negative) means no fee.
/// - `.fixed(m)`: `m`, which must be in the overdue amount's currency.
/// - `.percentOfOverdue(p, minimum, maximum)`: `overdue × p` rounded half to even to the minor unit, then
///   raised to `minimum` and lowered to `maximum` when given (both in the overdue amount's currency).
/// - Never converts: a fee, minimum or maximum in another currency is
///   ``LateChargeError/currencyMismatch(what:expected:got:)``; a negative amount or percentage, or a minimum
///   above the maximum, is ``LateChargeError/invalidRule(_:)``.
///
/// JSON (snake_case like ``DunningLateFee``): `{"type": "fixed", "amount": {"currency": "EUR", "amount_minor": 2500}}`
/// or `{"type": "percent_of_overdue", "percent": "1.5", "minimum": {…}, "maximum": {…}}` (minimum and maximum optional).
public enum LateFee: Hashable, Sendable {
    case fixed(Money)
    case percentOfOverdue(Percentage, minimum: Money? = nil, maximum: Money? = nil)

    /// The fee for `overdue`.
    public func amount(overdue: Money) -> Result<Money, LateChargeError> {
        if case .failure(let e) = validate(currency: overdue.currency) { return .failure(e) }
        guard overdue.minor > 0 else { return .success(.zero(overdue.currency)) }
        switch self {
        case .fixed(let m):
            return .success(m)
        case .percentOfOverdue(let p, let minimum, let maximum):
            guard var minor = p.applied(toMinor: overdue.minor) else { return .failure(.overflow) }
            if let lo = minimum, minor < lo.minor { minor = lo.minor }
            if let hi = maximum, minor > hi.minor { minor = hi.minor }
            return .success(Money(minor: minor, overdue.currency))
        }
    }

    /// Checks the fee's parameters against the currency of the amounts it will be applied to.
    public func validate(currency: Currency) -> Result<Void, LateChargeError> {
        func check(_ m: Money?, _ what: String) -> LateChargeError? {
            guard let m else { return nil }
            if m.currency != currency { return .currencyMismatch(what: what, expected: currency, got: m.currency) }
            if m.minor < 0 { return .invalidRule("\(what) \(m) is negative") }
            return nil
        }
        switch self {
        case .fixed(let m):
            if let e = check(m, "fixed late fee") { return .failure(e) }
        case .percentOfOverdue(let p, let minimum, let maximum):
            if p.partsPerMillion < 0 { return .failure(.invalidRule("late fee percentage \(p) is negative")) }
            if let e = check(minimum, "late fee minimum") ?? check(maximum, "late fee maximum") { return .failure(e) }
            if let lo = minimum, let hi = maximum, lo.minor > hi.minor {
                return .failure(.invalidRule("late fee minimum \(lo) is above the maximum \(hi)"))
            }
        }
        return .success(())
    }
}

extension LateFee: Codable {
    enum CodingKeys: String, CodingKey { case type, amount, percent, minimum, maximum }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let type = try c.decode(String.self, forKey: .type)
        switch type {
        case "fixed":
            self = .fixed(try c.decode(LateChargeAmountJSON.self, forKey: .amount).money)
        case "percent_of_overdue":
            self = .percentOfOverdue(
                try c.decode(Percentage.self, forKey: .percent),
                minimum: try c.decodeIfPresent(LateChargeAmountJSON.self, forKey: .minimum)?.money,
                maximum: try c.decodeIfPresent(LateChargeAmountJSON.self, forKey: .maximum)?.money)
        default:
            throw DecodingError.dataCorruptedError(
                forKey: .type, in: c, debugDescription: "unknown late fee type \"\(type)\" (use \"fixed\" or \"percent_of_overdue\")")
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        switch self {
        case .fixed(let m):
            try c.encode("fixed", forKey: .type)
            try c.encode(LateChargeAmountJSON(m), forKey: .amount)
        case .percentOfOverdue(let percent, let minimum, let maximum):
            try c.encode("percent_of_overdue", forKey: .type)
            try c.encode(percent, forKey: .percent)
            try c.encodeIfPresent(minimum.map(LateChargeAmountJSON.init), forKey: .minimum)
            try c.encodeIfPresent(maximum.map(LateChargeAmountJSON.init), forKey: .maximum)
        }
    }
}
