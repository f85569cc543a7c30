import Testing
@testable import CobroCore

// Money, Currency and ExchangeRate (DESIGN §4.1: integer minor units, exponent from ISO 4217,
// banker's rounding for conversions). Expected values are written out by hand.

private let USD = Currency(code: "USD")!
private let JPY = Currency(code: "JPY")!
private let BHD = Currency(code: "BHD")!
private let EUR = Currency(code: "EUR")!

private func parse(_ text: String, _ currency: Currency) -> Result<Int64, Money.ParseError> {
    Money.parseMinor(text, currency: currency)
}

private func rate(_ text: String, base: Currency) -> ExchangeRate? {
    if case .success(let r) = ExchangeRate.parse(text, base: base) { return r }
    return nil
}

@Suite("Core: Currency")
struct CoreCurrencyTests {
    @Test(arguments: [
        ("USD", 2), ("EUR", 2), ("MXN", 2), ("GBP", 2), ("JPY", 0), ("KRW", 0), ("CLP", 0),
        ("BHD", 3), ("KWD", 3), ("JOD", 3), ("OMR", 3), ("TND", 3), ("CLF", 4),
    ])
    func knownExponents(code: String, exponent: Int) throws {
        let c = try #require(Currency(code: code))
        #expect(c.code == code)
        #expect(c.exponent == exponent)
    }

    @Test(arguments: ["XYZ", "", "US", "USDX", "123", "EURO"])
    func unknownCodesAreNil(code: String) {
        #expect(Currency(code: code) == nil)
    }

    @Test func minorPerMajor() {
        #expect(JPY.minorPerMajor == 1)
        #expect(USD.minorPerMajor == 100)
        #expect(BHD.minorPerMajor == 1000)
        #expect(Currency(code: "CLF")!.minorPerMajor == 10_000)
    }

    @Test func ordersByCodeAndDescribesAsCode() {
        #expect(EUR < USD)
        #expect(BHD < JPY)
        #expect(USD.description == "USD")
    }
}

@Suite("Core: Money.parseMinor")
struct CoreMoneyParseTests {
    @Test(arguments: [
        // USD, exponent 2
        ("1234.5", "USD", Int64(123_450)),
        ("1234.50", "USD", 123_450),
        ("1234", "USD", 123_400),
        ("0.01", "USD", 1),
        ("0.1", "USD", 10),
        (".5", "USD", 50),
        ("7.", "USD", 700),
        ("10.500", "USD", 1_050),  // extra zero decimals are fine
        ("10.5000000", "USD", 1_050),
        ("-10", "USD", -1_000),
        ("-0.05", "USD", -5),
        ("+3.25", "USD", 325),
        ("0", "USD", 0),
        ("-0", "USD", 0),
        ("007.10", "USD", 710),
        // JPY, exponent 0
        ("5", "JPY", 5),
        ("1234", "JPY", 1_234),
        ("5.0", "JPY", 5),
        ("5.000", "JPY", 5),
        ("-42", "JPY", -42),
        // BHD, exponent 3
        ("0.001", "BHD", 1),
        ("1.5", "BHD", 1_500),
        ("12.345", "BHD", 12_345),
        ("12.3450", "BHD", 12_345),
        ("-2.25", "BHD", -2_250),
    ])
    func parsesValidAmounts(text: String, code: String, expected: Int64) {
        #expect(parse(text, Currency(code: code)!) == .success(expected))
    }

    @Test(arguments: [
        ("10.505", "USD", 2),
        ("0.001", "USD", 2),
        ("10.5001", "USD", 2),
        ("0.5", "JPY", 0),
        ("5.01", "JPY", 0),
        ("1.0001", "BHD", 3),
    ])
    func tooManyDecimals(text: String, code: String, allowed: Int) {
        let result = parse(text, Currency(code: code)!)
        #expect(result == .failure(.tooManyDecimals(text, allowed: allowed, currency: code)))
    }

    @Test(arguments: ["1,000", "1e3", ".", "-", "+", "1.2.3", "--5", "+-5", " 5", "5 ", "abc", "1_000", "$5", "12a", "٣"])
    func notANumber(text: String) {
        #expect(parse(text, USD) == .failure(.notANumber(text)))
    }

    @Test func emptyIsItsOwnError() {
        #expect(parse("", USD) == .failure(.empty))
        #expect(parse("", JPY) == .failure(.empty))
    }

    @Test(arguments: [
        ("99999999999999999999", "USD"),  // integer part overflows Int64
        ("9223372036854775807", "JPY"),  // Int64.max itself is beyond the supported range
        ("92233720368547758.07", "USD"),  // Int64.max minor units
        ("-99999999999999999999", "BHD"),
        ("10000000000000000", "BHD"),  // 10^16 × 1000 overflows
    ])
    func tooLarge(text: String, code: String) {
        #expect(parse(text, Currency(code: code)!) == .failure(.tooLarge(text)))
    }

    @Test func largeButReasonableAmountsParse() {
        // A trillion dollars and a quadrillion yen are well inside the range.
        #expect(parse("1000000000000.99", USD) == .success(100_000_000_000_099))
        #expect(parse("1000000000000000", JPY) == .success(1_000_000_000_000_000))
    }

    @Test func errorMessagesAreHelpful() {
        #expect(Money.ParseError.empty.description == "amount is empty")
        #expect(Money.ParseError.tooManyDecimals("10.505", allowed: 2, currency: "USD").description
            == "\"10.505\" has more decimals than USD allows (at most 2)")
        #expect(Money.ParseError.notANumber("1,000").description.contains("no thousands separators"))
        #expect(Money.ParseError.tooLarge("9").description == "\"9\" is too large")
    }
}

@Suite("Core: Money formatting and arithmetic")
struct CoreMoneyFormatTests {
    @Test(arguments: [
        (Int64(123_450), 2, "1234.50"),
        (-5, 2, "-0.05"),
        (5, 2, "0.05"),
        (0, 2, "0.00"),
        (100, 2, "1.00"),
        (-100, 2, "-1.00"),
        (1, 3, "0.001"),
        (-1, 3, "-0.001"),
        (1_000, 3, "1.000"),
        (12_345, 3, "12.345"),
        (5, 0, "5"),
        (0, 0, "0"),
        (-42, 0, "-42"),
        (1, 4, "0.0001"),
        (Int64.max, 2, "92233720368547758.07"),
        (Int64.min, 2, "-92233720368547758.08"),
    ])
    func format(minor: Int64, exponent: Int, expected: String) {
        #expect(Money.format(minor: minor, exponent: exponent) == expected)
    }

    @Test func decimalStringAndDescriptionUseTheCurrencyExponent() {
        #expect(Money(minor: -5, USD).decimalString == "-0.05")
        #expect(Money(minor: 1, BHD).decimalString == "0.001")
        #expect(Money(minor: 5, JPY).decimalString == "5")
        #expect(Money(minor: 123_450, USD).description == "1234.50 USD")
        #expect(Money(minor: 2_500, BHD).description == "2.500 BHD")
    }

    @Test func additionAndSubtractionInOneCurrency() {
        let a = Money(minor: 1_050, USD), b = Money(minor: 275, USD)
        #expect(a + b == Money(minor: 1_325, USD))
        #expect(b - a == Money(minor: -775, USD))
        #expect(Money.zero(JPY) == Money(minor: 0, JPY))
        #expect(Money(minor: 1, USD) != Money(minor: 1, EUR))
    }
}

@Suite("Core: ExchangeRate")
struct CoreExchangeRateTests {
    @Test func parsesRateAgainstBase() throws {
        let r = try #require(rate("EUR=1.0850", base: USD))
        #expect(r.from == EUR)
        #expect(r.to == USD)
        #expect(r.rateNanos == 1_085_000_000)
    }

    @Test(arguments: [
        ("eur=1.1", "EUR", Int64(1_100_000_000)),
        ("JPY=0.0067", "JPY", 6_700_000),
        ("BHD=2.65", "BHD", 2_650_000_000),
        ("MXN=0.000000001", "MXN", 1),
        ("GBP=1.270000000000", "GBP", 1_270_000_000),  // trailing zeros beyond 9 decimals are fine
        ("EUR=2", "EUR", 2_000_000_000),
    ])
    func parsesVariousRates(text: String, from: String, nanos: Int64) throws {
        let r = try #require(rate(text, base: USD))
        #expect(r.from.code == from)
        #expect(r.rateNanos == nanos)
    }

    @Test(arguments: [
        ("EUR", "must look like EUR=1.0850"),
        ("EUR1.08", "must look like EUR=1.0850"),
        ("=1.08", "must look like EUR=1.0850"),
        ("EUR=", "must look like EUR=1.0850"),
        ("XYZ=1.08", "unknown currency \"XYZ\""),
        ("EUR=abc", "is not a positive decimal number"),
        ("EUR=0", "is not a positive decimal number"),
        ("EUR=0.000", "is not a positive decimal number"),
        ("EUR=-1.08", "is not a positive decimal number"),
        ("EUR=1,08", "is not a positive decimal number"),
        ("EUR=1.0000000001", "is not a positive decimal number"),  // 10 significant decimals
        ("EUR=1.08=2", "is not a positive decimal number"),
    ])
    func badRatesFailWithMessages(text: String, fragment: String) {
        switch ExchangeRate.parse(text, base: USD) {
        case .success(let r): Issue.record("\(text) parsed as \(r)")
        case .failure(let e):
            #expect(e.message.contains(fragment), "\(e.message)")
            #expect(e.message.contains(text), "the message should quote the input: \(e.message)")
        }
    }

    @Test
    func hugeRateFailsInsteadOfTrapping() {
        // 10^10 × 10^9 nanos does not fit in Int64: the parse must fail, not crash the process.
        switch ExchangeRate.parse("EUR=10000000000", base: USD) {
        case .success(let r): Issue.record("parsed an unrepresentable rate \(r)")
        case .failure(let e): #expect(e.message.contains("EUR=10000000000"))
        }
    }

    @Test func convertSimple() throws {
        let r = try #require(rate("EUR=1.0850", base: USD))
        #expect(r.convert(10_000) == 10_850)  // 100.00 EUR = 108.50 USD
        #expect(r.convert(0) == 0)
        #expect(r.convert(-10_000) == -10_850)
        #expect(r.convert(1) == 1)  // 1.085 cents → 1
        #expect(r.convert(7) == 8)  // 7.595 cents → 8
    }

    // Exact results of x.5 minor units: half goes to the even neighbour.
    @Test(arguments: [
        ("EUR=1.5", Int64(1), Int64(2)),  // 1.5 → 2 (even above)
        ("EUR=1.5", 3, 4),  // 4.5 → 4 (even below)
        ("EUR=1.5", 5, 8),  // 7.5 → 8
        ("EUR=1.5", 7, 10),  // 10.5 → 10
        ("EUR=0.5", 1, 0),  // 0.5 → 0
        ("EUR=0.5", 3, 2),  // 1.5 → 2
        ("EUR=0.5", 5, 2),  // 2.5 → 2
        ("EUR=1.25", 2, 2),  // 2.5 → 2
        ("EUR=1.25", 6, 8),  // 7.5 → 8
        ("EUR=1.5", -1, -2),  // −1.5 → −2
        ("EUR=1.5", -3, -4),  // −4.5 → −4
        ("EUR=0.5", -5, -2),  // −2.5 → −2
        ("EUR=1.4", 1, 1),  // 1.4 → 1 (below half)
        ("EUR=1.6", 1, 2),  // 1.6 → 2 (above half)
        ("EUR=1.000000001", 500_000_000, 500_000_000),  // 500000000.5 → 500000000
        ("EUR=1.000000001", 1_500_000_000, 1_500_000_002),  // 1500000001.5 → 1500000002
    ])
    func convertRoundsHalfToEven(text: String, minor: Int64, expected: Int64) throws {
        let r = try #require(rate(text, base: USD))
        #expect(r.convert(minor) == expected)
    }

    @Test func convertShiftsExponents() throws {
        // JPY (0) → USD (2): 1,000 JPY at 0.0067 = 6.70 USD.
        let jpy = try #require(rate("JPY=0.0067", base: USD))
        #expect(jpy.convert(1_000) == 670)
        #expect(jpy.convert(1) == 1)  // 0.67 cents → 1
        #expect(jpy.convert(75) == 50)  // 50.25 cents → 50
        // USD (2) → JPY (0): 123.45 USD at 150 = 18,517.5 JPY → 18,518 (even); 123.35 → 18,502.5 → 18,502.
        let usd = try #require(rate("USD=150", base: JPY))
        #expect(usd.convert(12_345) == 18_518)
        #expect(usd.convert(12_335) == 18_502)
        #expect(usd.convert(100) == 150)
        // BHD (3) → USD (2): 1.000 BHD at 2.65 = 2.65 USD; 0.001 BHD = 0.265 cents → 0.
        let bhd = try #require(rate("BHD=2.65", base: USD))
        #expect(bhd.convert(1_000) == 265)
        #expect(bhd.convert(1) == 0)
        #expect(bhd.convert(2) == 1)  // 0.53 → 1
        // USD (2) → BHD (3): 1.00 USD at 0.376 = 0.376 BHD = 376 fils.
        let usdBhd = try #require(rate("USD=0.376", base: BHD))
        #expect(usdBhd.convert(100) == 376)
        #expect(usdBhd.convert(1) == 4)  // 3.76 fils → 4
    }
}
