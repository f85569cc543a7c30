/// An amount of money: an integer count of minor units of one currency. Never a floating-point number.
///
/// Arithmetic between different currencies traps; convert explicitly with ``ExchangeRate``.
public struct Money: Hashable, Sendable, CustomStringConvertible {
    public var minor: Int64
    public let currency: Currency

    public init(minor: Int64, _ currency: Currency) {
        self.minor = minor
        self.currency = currency
    }

    public static func zero(_ c: Currency) -> Money { Money(minor: 0, c) }

    /// The amount as a plain decimal string in major units with exactly the currency's digits ("1234.50", "-3", "0.125").
    public var decimalString: String { Money.format(minor: minor, exponent: currency.exponent) }
    public var description: String { "\(decimalString) \(currency.code)" }

    public static func + (a: Money, b: Money) -> Money {
        precondition(a.currency == b.currency, "adding \(a.currency) to \(b.currency) needs an explicit rate")
        return Money(minor: a.minor + b.minor, a.currency)
    }
    public static func - (a: Money, b: Money) -> Money {
        precondition(a.currency == b.currency, "subtracting \(b.currency) from \(a.currency) needs an explicit rate")
        return Money(minor: a.minor - b.minor, a.currency)
    }

    /// Formats minor units as a decimal string with `exponent` fraction digits.
    public static func format(minor: Int64, exponent: Int) -> String {
        let mag = minor.magnitude
        guard exponent > 0 else { return minor < 0 ? "-" + String(mag) : String(mag) }
        var scale: UInt64 = 1
        for _ in 0..<exponent { scale *= 10 }
        let frac = String(mag % scale)
        let zeros = String(repeating: "0", count: exponent - frac.count)
        return (minor < 0 ? "-" : "") + String(mag / scale) + "." + zeros + frac
    }

    /// Why a decimal string is not an amount in a currency.
    public enum ParseError: Error, Equatable, Sendable, CustomStringConvertible {
        case empty
        case notANumber(String)
        case tooManyDecimals(String, allowed: Int, currency: String)
        case tooLarge(String)

        public var description: String {
            switch self {
            case .empty: return "amount is empty"
            case .notANumber(let s): return "\"\(s)\" is not a decimal amount (use digits with an optional '.' and no thousands separators, e.g. 1234.50)"
            case .tooManyDecimals(let s, let allowed, let cur):
                return "\"\(s)\" has more decimals than \(cur) allows (at most \(allowed))"
            case .tooLarge(let s): return "\"\(s)\" is too large"
            }
        }
    }

    /// Parses a decimal amount in major units ("1234.5", "-10", "0.125") into minor units of `currency`.
    /// A decimal point `.` only; no exponent, no thousands separator. More fraction digits than the currency's
    /// exponent is an error unless the extra digits are zeros ("10.500" is fine for USD, "10.505" is not).
    public static func parseMinor(_ text: some StringProtocol, currency: Currency) -> Result<Int64, ParseError> {
        let s = Substring(text)
        var u = s.utf8[...]
        if u.isEmpty { return .failure(.empty) }
        var negative = false
        if u.first == UInt8(ascii: "-") { negative = true; u = u.dropFirst() }
        else if u.first == UInt8(ascii: "+") { u = u.dropFirst() }
        var intPart: Int64 = 0
        var fracDigits = 0
        var frac: Int64 = 0
        var seenDot = false
        var sawDigit = false
        for c in u {
            if c == UInt8(ascii: ".") {
                if seenDot { return .failure(.notANumber(String(s))) }
                seenDot = true
                continue
            }
            guard c >= 48, c <= 57 else { return .failure(.notANumber(String(s))) }
            sawDigit = true
            let d = Int64(c - 48)
            if seenDot {
                if fracDigits < currency.exponent {
                    frac = frac * 10 + d
                    fracDigits += 1
                } else if d != 0 {
                    return .failure(.tooManyDecimals(String(s), allowed: currency.exponent, currency: currency.code))
                }
            } else {
                let (m, o1) = intPart.multipliedReportingOverflow(by: 10)
                let (a, o2) = m.addingReportingOverflow(d)
                if o1 || o2 { return .failure(.tooLarge(String(s))) }
                intPart = a
            }
        }
        guard sawDigit else { return .failure(.notANumber(String(s))) }
        while fracDigits < currency.exponent { frac *= 10; fracDigits += 1 }
        let (m, o1) = intPart.multipliedReportingOverflow(by: currency.minorPerMajor)
        let (v, o2) = m.addingReportingOverflow(frac)
        if o1 || o2 || v > Int64.max / 1000 { return .failure(.tooLarge(String(s))) }
        return .success(negative ? -v : v)
    }
}

/// "1 unit of `from` is worth `rate` units of `to`", held as an exact decimal (`rateNanos` / 10^9)
/// so that conversion is integer arithmetic.
public struct ExchangeRate: Hashable, Sendable {
    public let from: Currency
    public let to: Currency
    /// The rate times 10^9.
    public let rateNanos: Int64

    public init(from: Currency, to: Currency, rateNanos: Int64) {
        self.from = from
        self.to = to
        self.rateNanos = rateNanos
    }

    /// Parses `EUR=1.0850` meaning 1 EUR = 1.0850 units of `base`.
    public static func parse(_ text: String, base: Currency) -> Result<ExchangeRate, Invalid> {
        let parts = text.split(separator: "=", maxSplits: 1)
        guard parts.count == 2 else { return .failure(Invalid("rate \"\(text)\" must look like EUR=1.0850 (1 EUR in \(base.code))")) }
        guard let from = Currency(code: parts[0].uppercased()) else {
            return .failure(Invalid("rate \"\(text)\": unknown currency \"\(parts[0])\""))
        }
        guard case .success(let n) = Money.parseFixed(parts[1], digits: 9), n > 0, n <= 1_000_000 * 1_000_000_000 else {
            return .failure(Invalid("rate \"\(text)\": \"\(parts[1])\" is not a positive decimal number up to 1000000 with at most 9 decimals"))
        }
        return .success(ExchangeRate(from: from, to: base, rateNanos: n))
    }

    /// Converts minor units of `from` into minor units of `to`, rounding half to even (banker's rounding).
    /// Traps if the result does not fit in 64 bits; use ``convertChecked(_:)`` where that can happen.
    public func convert(_ minorFrom: Int64) -> Int64 {
        guard let v = convertChecked(minorFrom) else { preconditionFailure("conversion of \(minorFrom) \(from) overflows") }
        return v
    }

    /// Like ``convert(_:)`` but `nil` when the result does not fit in 64 bits.
    public func convertChecked(_ minorFrom: Int64) -> Int64? {
        // value_to_minor = minorFrom * rate * 10^(to.exp - from.exp)
        var num = Int128(minorFrom) * Int128(rateNanos)
        var den = Int128(1_000_000_000)
        let shift = to.exponent - from.exponent
        if shift > 0 { for _ in 0..<shift { num *= 10 } } else if shift < 0 { for _ in 0..<(-shift) { den *= 10 } }
        return Int64(exactly: roundHalfEven(num, den))
    }
}

/// Integer division rounding half to even.
@inline(__always) func roundHalfEven(_ num: Int128, _ den: Int128) -> Int128 {
    let negative = (num < 0) != (den < 0)
    let n = num.magnitude, d = den.magnitude
    var q = n / d
    let r = n % d
    if r * 2 > d || (r * 2 == d && q % 2 == 1) { q += 1 }
    return negative ? -Int128(q) : Int128(q)
}

extension Money {
    /// Parses a non-negative decimal with at most `digits` fraction digits into an integer scaled by 10^digits.
    static func parseFixed(_ text: some StringProtocol, digits: Int) -> Result<Int64, ParseError> {
        var v: Int64 = 0
        var frac = 0
        var dot = false
        var any = false
        for c in text.utf8 {
            if c == UInt8(ascii: ".") { if dot { return .failure(.notANumber(String(text))) }; dot = true; continue }
            guard c >= 48, c <= 57 else { return .failure(.notANumber(String(text))) }
            any = true
            if dot { if frac == digits { if c != 48 { return .failure(.tooManyDecimals(String(text), allowed: digits, currency: "")) }; continue }; frac += 1 }
            v = v * 10 + Int64(c - 48)
            if v > Int64.max / 100 { return .failure(.tooLarge(String(text))) }
        }
        guard any else { return .failure(.notANumber(String(text))) }
        while frac < digits {
            let (m, o) = v.multipliedReportingOverflow(by: 10)
            if o { return .failure(.tooLarge(String(text))) }
            v = m
            frac += 1
        }
        return .success(v)
    }
}
