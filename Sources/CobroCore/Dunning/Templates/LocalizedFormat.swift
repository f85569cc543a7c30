/// Money and date formatting for customer messages, per language, without Foundation locales (so the same
/// input gives the same text on every machine and OS version).
///
/// | language | money | negative | date |
/// |---|---|---|---|
/// | `en` | `USD 1,234.56` | `USD -1,234.56` | `23 Nov 2026` |
/// | `es` | `1.234,56 USD` | `-1.234,56 USD` | `23/11/2026` |
/// | `es-MX`, `es-US` | `1,234.56 MXN` | `-1,234.56 MXN` | `23/11/2026` |
/// | `fr` | `1 234,56 USD` (U+202F narrow no-break space between groups) | `-1 234,56 USD` | `23/11/2026` |
/// | `pt` | `1.234,56 USD` | `-1.234,56 USD` | `23/11/2026` |
///
/// - Amounts carry the ISO 4217 code, never a symbol (`$` is ambiguous across the Americas), with exactly the
///   currency's minor-unit digits (JPY `1,235`, BHD `1,234.567`); digits are always grouped by three,
///   four-digit amounts included. The code is separated by an ordinary space; the minus is ASCII `-`.
/// - Dates are day/month/year with zero-padded numbers in es/fr/pt (the order every reader in those languages
///   expects, and plain ASCII for SMS). English uses the abbreviated month name because a numeric date reads
///   differently in the US and the UK.
/// - Region overrides: Mexico and the United States write Spanish amounts with a decimal point (CLDR es-MX/es-US).
public struct LocalizedFormat: Hashable, Sendable {
    public let language: MessageLanguage
    public let groupSeparator: String
    public let decimalSeparator: String
    /// `true` when the currency code comes before the amount (`USD 1,234.56`).
    public let currencyFirst: Bool

    /// The format of a shipped language, without regional overrides.
    public init(language: MessageLanguage) {
        self.init(language: language, region: nil)
    }

    /// The format for a BCP 47 tag: its language (English for languages Cobro does not ship) and, where one
    /// exists, its region's override (`es-MX`).
    public init(languageTag: String) {
        let parts = languageTag.split(whereSeparator: { $0 == "-" || $0 == "_" })
        var region: Substring?
        for p in parts.dropFirst() {
            if p.count == 1 { break }  // extensions and private use follow a singleton
            if p.count == 2 || (p.count == 3 && p.allSatisfy(\.isNumber)) {
                region = p
                break
            }
        }
        self.init(language: MessageLanguage(tag: languageTag) ?? .en, region: region.map { $0.uppercased() })
    }

    /// The format for a message written in `templateLanguage` to someone who asked for `requestedTag`: the
    /// requested region's conventions apply only when the message is in the requested language (a `es-MX`
    /// customer receiving the English fallback gets plain English formats).
    public static func forMessage(templateLanguage: String, requestedTag: String) -> LocalizedFormat {
        if let t = MessageLanguage(tag: templateLanguage), t == MessageLanguage(tag: requestedTag) {
            return LocalizedFormat(languageTag: requestedTag)
        }
        return LocalizedFormat(languageTag: templateLanguage)
    }

    private init(language: MessageLanguage, region: String?) {
        self.language = language
        switch language {
        case .en:
            (groupSeparator, decimalSeparator, currencyFirst) = (",", ".", true)
        case .es where region == "MX" || region == "US":
            (groupSeparator, decimalSeparator, currencyFirst) = (",", ".", false)
        case .es, .pt:
            (groupSeparator, decimalSeparator, currencyFirst) = (".", ",", false)
        case .fr:
            (groupSeparator, decimalSeparator, currencyFirst) = ("\u{202F}", ",", false)
        }
    }

    /// `money` with its currency code, e.g. `1.234,56 USD`.
    public func money(_ money: Money) -> String { amount(minor: Int128(money.minor), currency: money.currency) }

    /// An amount given in minor units (wide, so that sums of many amounts never overflow) with its currency code.
    public func amount(minor: Int128, currency: Currency) -> String {
        let number = self.number(minor: minor, exponent: currency.exponent)
        return currencyFirst ? "\(currency.code) \(number)" : "\(number) \(currency.code)"
    }

    /// Minor units as a grouped decimal number without currency: `-1.234,56`.
    public func number(minor: Int128, exponent: Int) -> String {
        var scale: UInt128 = 1
        for _ in 0..<max(0, exponent) { scale *= 10 }
        let magnitude = minor.magnitude
        let whole = String(magnitude / scale)
        var grouped = ""
        for (i, digit) in whole.enumerated() {
            if i > 0, (whole.count - i) % 3 == 0 { grouped += groupSeparator }
            grouped.append(digit)
        }
        var out = (minor < 0 ? "-" : "") + grouped
        if exponent > 0 {
            let fraction = String(magnitude % scale)
            out += decimalSeparator + String(repeating: "0", count: exponent - fraction.count) + fraction
        }
        return out
    }

    /// `date` as this language writes it in messages: `23/11/2026`, or `23 Nov 2026` in English.
    public func date(_ date: LocalDate) -> String {
        let (y, m, d) = date.parts
        let year = LocalizedFormat.pad(y, 4)
        switch language {
        case .en:
            let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
            return "\(d) \(months[m - 1]) \(year)"
        case .es, .fr, .pt:
            return "\(LocalizedFormat.pad(d, 2))/\(LocalizedFormat.pad(m, 2))/\(year)"
        }
    }

    private static func pad(_ v: Int, _ width: Int) -> String {
        let s = String(v)
        return s.count >= width ? s : String(repeating: "0", count: width - s.count) + s
    }
}
