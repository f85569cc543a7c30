/// An ISO 4217 currency with the number of digits of its minor unit (JPY 0, USD 2, BHD 3).
public struct Currency: Hashable, Comparable, Sendable, CustomStringConvertible, Codable {
    public let code: String
    public let exponent: Int

    /// The currency for an ISO 4217 alphabetic code, or `nil` if Cobro does not know the code.
    public init?(code: some StringProtocol) {
        var upper = String(code)
        if upper.utf8.contains(where: { $0 >= UInt8(ascii: "a") && $0 <= UInt8(ascii: "z") }) { upper = upper.uppercased() }
        guard let e = Currency.exponents[upper] else { return nil }
        self.code = upper
        self.exponent = e
    }

    public var description: String { code }
    public static func < (a: Currency, b: Currency) -> Bool { a.code < b.code }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.singleValueContainer()
        let s = try c.decode(String.self)
        guard let cur = Currency(code: s) else {
            throw DecodingError.dataCorruptedError(in: c, debugDescription: "unknown ISO 4217 currency \"\(s)\"")
        }
        self = cur
    }
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(code)
    }

    /// 10^exponent, the number of minor units in one major unit.
    public var minorPerMajor: Int64 {
        var v: Int64 = 1
        for _ in 0..<exponent { v *= 10 }
        return v
    }

    /// Active ISO 4217 codes and their minor-unit exponents.
    static let exponents: [String: Int] = {
        var m: [String: Int] = [:]
        let two = """
            AED AFN ALL AMD ANG AOA ARS AUD AWG AZN BAM BBD BDT BGN BMD BND BOB BRL BSD BTN BWP BYN BZD CAD CDF CHF \
            CNY COP CRC CUP CVE CZK DKK DOP DZD EGP ERN ETB EUR FJD FKP GBP GEL GHS GIP GMD GTQ GYD HKD HNL HTG HUF \
            IDR ILS INR IRR JMD KES KGS KHR KPW KYD KZT LAK LBP LKR LRD LSL MAD MDL MGA MKD MMK MNT MOP MRU MUR MVR \
            MWK MXN MYR MZN NAD NGN NIO NOK NPR NZD PAB PEN PGK PHP PKR PLN QAR RON RSD RUB SAR SBD SCR SDG SEK SGD \
            SHP SLE SOS SRD SSP STN SVC SYP SZL THB TJS TMT TOP TRY TTD TWD TZS UAH USD UYU UZS VES WST XCD YER ZAR \
            ZMW ZWG
            """
        for c in two.split(separator: " ") { m[String(c)] = 2 }
        for c in ["BIF", "CLP", "DJF", "GNF", "ISK", "JPY", "KMF", "KRW", "PYG", "RWF", "UGX", "UYI", "VND", "VUV", "XAF", "XOF", "XPF"] {
            m[c] = 0
        }
        for c in ["BHD", "IQD", "JOD", "KWD", "LYD", "OMR", "TND"] { m[c] = 3 }
        m["CLF"] = 4
        m["UYW"] = 4
        return m
    }()
}
