/// Why a text is not early-payment discount terms.
public struct DiscountTermsParseError: Error, Hashable, Sendable, CustomStringConvertible {
    public let input: String
    /// What is wrong, e.g. "expected \"net N\" or \"n/N\" after the discount days".
    public let reason: String

    public static let validForms =
        "valid forms are \"d/D net N\" or \"d/D, n/N\", e.g. \"2/10 net 30\", \"2/10, n/30\", \"1.5/15 net 45\": discount d in percent (more than 0, less than 100, at most 4 decimals), discount days D and net days N whole numbers with D < N <= 3650"

    public var description: String { "\"\(input)\" is not discount terms: \(reason); \(DiscountTermsParseError.validForms)" }
}

extension DiscountTerms {
    /// Parses `d/D net N` terms, case-insensitive, spaces optional: `"2/10 net 30"`, `"2/10, n/30"`,
    /// `"2/10 N 30"`, `"1.5/15 net 45"`, `"2%/10 net30"`.
    public static func parse(_ text: some StringProtocol) -> Result<DiscountTerms, DiscountTermsParseError> {
        let input = String(text)
        func fail(_ reason: String) -> Result<DiscountTerms, DiscountTermsParseError> {
            .failure(DiscountTermsParseError(input: input, reason: reason))
        }
        var s = Array(input.lowercased().utf8)[...]
        func skipSpaces() { while let c = s.first, c == UInt8(ascii: " ") || c == UInt8(ascii: "\t") { s = s.dropFirst() } }
        func take(_ keep: (UInt8) -> Bool) -> String {
            var out: [UInt8] = []
            while let c = s.first, keep(c) { out.append(c); s = s.dropFirst() }
            return String(decoding: out, as: UTF8.self)
        }
        func isDigit(_ c: UInt8) -> Bool { c >= 48 && c <= 57 }
        func days(_ digits: String) -> Int? {
            guard !digits.isEmpty, digits.count <= 5 else { return nil }
            return Int(digits)
        }

        skipSpaces()
        if s.isEmpty { return fail("the text is empty") }
        let percentText = take { isDigit($0) || $0 == UInt8(ascii: ".") }
        if percentText.isEmpty { return fail("expected the discount percent (e.g. 2 or 1.5) at the start") }
        guard case .success(let discount) = Percentage.parse(percentText) else {
            return fail("the discount \"\(percentText)\" before \"/\" is not a percentage with at most 4 decimals")
        }
        skipSpaces()
        if s.first == UInt8(ascii: "%") { s = s.dropFirst(); skipSpaces() }
        guard s.first == UInt8(ascii: "/") else { return fail("expected \"/\" after the discount percent") }
        s = s.dropFirst()
        skipSpaces()
        guard let discountDays = days(take(isDigit)) else {
            return fail("expected the discount days (a whole number) after \"/\"")
        }
        skipSpaces()
        if s.first == UInt8(ascii: ",") { s = s.dropFirst(); skipSpaces() }
        let keyword = take { $0 >= UInt8(ascii: "a") && $0 <= UInt8(ascii: "z") }
        guard keyword == "net" || keyword == "n" else {
            return fail("expected \"net N\" or \"n/N\" after the discount days")
        }
        skipSpaces()
        if s.first == UInt8(ascii: "/") { s = s.dropFirst(); skipSpaces() }
        guard let netDays = days(take(isDigit)) else {
            return fail("expected the net days (a whole number) after \"\(keyword)\"")
        }
        skipSpaces()
        guard s.isEmpty else { return fail("unexpected text after the net days") }
        if let problem = DiscountTerms.problem(discount: discount, discountDays: discountDays, netDays: netDays) { return fail(problem) }
        guard let terms = DiscountTerms(discount: discount, discountDays: discountDays, netDays: netDays) else {
            return fail("inconsistent terms")
        }
        return .success(terms)
    }
}

extension DiscountTerms: Codable {
    public init(from decoder: any Decoder) throws {
        let c = try decoder.singleValueContainer()
        switch DiscountTerms.parse(try c.decode(String.self)) {
        case .success(let t): self = t
        case .failure(let e): throw DecodingError.dataCorruptedError(in: c, debugDescription: e.description)
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(description)
    }
}
