/// A rate or percentage held exactly as an integer number of **parts per million** of one
/// (1% = 10_000, 8 percentage points = 80_000, 10.15% = 101_500, 0.0001% = 1).
///
/// Used for annual interest rates, margins, fee percentages and discount percentages, so that every
/// charge is integer arithmetic. May be negative (a reference rate can be); rules that need a
/// non-negative value check it. JSON form: the percent as a decimal string, `"10.15"`.
public struct Percentage: Hashable, Comparable, Sendable, CustomStringConvertible {
    public let partsPerMillion: Int64

    public init(partsPerMillion: Int64) { self.partsPerMillion = partsPerMillion }

    /// `basisPoints(215)` is 2.15%.
    public static func basisPoints(_ bp: Int64) -> Percentage { Percentage(partsPerMillion: bp * 100) }
    /// `percent(8)` is 8%.
    public static func percent(_ p: Int64) -> Percentage { Percentage(partsPerMillion: p * 10_000) }

    public static let zero = Percentage(partsPerMillion: 0)

    public static func + (a: Percentage, b: Percentage) -> Percentage { Percentage(partsPerMillion: a.partsPerMillion + b.partsPerMillion) }
    public static func - (a: Percentage, b: Percentage) -> Percentage { Percentage(partsPerMillion: a.partsPerMillion - b.partsPerMillion) }
    public static func < (a: Percentage, b: Percentage) -> Bool { a.partsPerMillion < b.partsPerMillion }

    /// Why a text is not a percentage.
    public struct ParseError: Error, Hashable, Sendable, CustomStringConvertible {
        public let input: String
        public var description: String {
            "\"\(input)\" is not a percentage: use a decimal number of percent with at most 4 decimals, e.g. \"2\", \"1.5\" or \"10.15\" (a trailing % is allowed)"
        }
    }

    /// Parses a percent as a decimal (`"10.15"`, `"-0.5"`, `"2%"`), at most 4 decimals, at most ±1,000,000%.
    public static func parse(_ text: some StringProtocol) -> Result<Percentage, ParseError> {
        var s = Substring(text).trimmingPrefixAndSuffixSpaces()
        if s.hasSuffix("%") { s = s.dropLast().trimmingPrefixAndSuffixSpaces() }
        var negative = false
        if s.first == "-" { negative = true; s = s.dropFirst() } else if s.first == "+" { s = s.dropFirst() }
        guard case .success(let v) = Money.parseFixed(s, digits: 4), v <= 10_000_000_000 else {
            return .failure(ParseError(input: String(text)))
        }
        // v is the percent times 10^4, which is exactly parts per million.
        return .success(Percentage(partsPerMillion: negative ? -v : v))
    }

    /// The percent with up to 4 decimals and no trailing zeros, e.g. `"10.15"`, `"8"`, `"-0.5"`.
    public var percentText: String {
        var text = Money.format(minor: partsPerMillion, exponent: 4)
        while text.hasSuffix("0") && text.contains(".") { text.removeLast() }
        if text.hasSuffix(".") { text.removeLast() }
        return text
    }

    public var description: String { percentText + "%" }
}

extension Percentage: Codable {
    public init(from decoder: any Decoder) throws {
        let c = try decoder.singleValueContainer()
        let s = try c.decode(String.self)
        switch Percentage.parse(s) {
        case .success(let p): self = p
        case .failure(let e): throw DecodingError.dataCorruptedError(in: c, debugDescription: e.description)
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(percentText)
    }
}

/// The day-count basis of simple interest: the year has this many days.
public enum DayCountBasis: Int, Hashable, Sendable, Codable, CaseIterable {
    /// Actual days / 365 (the EU default in reference §4.1; also used in leap years).
    case actual365 = 365
    /// Actual days / 360.
    case actual360 = 360
}

extension Substring {
    fileprivate func trimmingPrefixAndSuffixSpaces() -> Substring {
        var s = self
        while s.first == " " { s = s.dropFirst() }
        while s.last == " " { s = s.dropLast() }
        return s
    }
}

extension Percentage {
    /// `minor × self`, rounded half to even to a whole minor unit; `nil` if the result does not fit in 64 bits.
    /// (2% of 1.25 = 2.5 cents → 2 cents; 2% of 1.75 = 3.5 cents → 4 cents.)
    public func applied(toMinor minor: Int64) -> Int64? {
        Int64(exactly: roundHalfEven(Int128(minor) * Int128(partsPerMillion), 1_000_000))
    }
}
