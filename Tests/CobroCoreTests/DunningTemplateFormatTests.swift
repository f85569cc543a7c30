import Testing

@testable import CobroCore

// Money and date formats for messages (LocalizedFormat's documented table).

private func cur(_ code: String) -> Currency {
    guard let c = Currency(code: code) else { fatalError("unknown test currency \(code)") }
    return c
}

private func day(_ iso: String) -> LocalDate {
    guard let d = LocalDate(iso: iso) else { fatalError("bad test date \(iso)") }
    return d
}

private let nnbsp = "\u{202F}"

@Suite("Dunning templates: localized formats")
struct DunningTemplateFormatTests {
    @Test(arguments: [
        (MessageLanguage.en, "USD 1,234.56"),
        (.es, "1.234,56 USD"),
        (.fr, "1\u{202F}234,56 USD"),
        (.pt, "1.234,56 USD"),
    ])
    func moneyPerLanguage(language: MessageLanguage, expected: String) {
        #expect(LocalizedFormat(language: language).money(Money(minor: 123_456, cur("USD"))) == expected)
    }

    @Test(arguments: [
        (MessageLanguage.en, "USD -1,234.56"),
        (.es, "-1.234,56 USD"),
        (.fr, "-1\u{202F}234,56 USD"),
        (.pt, "-1.234,56 USD"),
    ])
    func negativeMoneyKeepsTheMinusOnTheNumber(language: MessageLanguage, expected: String) {
        #expect(LocalizedFormat(language: language).money(Money(minor: -123_456, cur("USD"))) == expected)
    }

    @Test func minorUnitExponentComesFromTheCurrency() {
        let en = LocalizedFormat(language: .en)
        let es = LocalizedFormat(language: .es)
        #expect(en.money(Money(minor: 1_235, cur("JPY"))) == "JPY 1,235")
        #expect(es.money(Money(minor: 1_235, cur("JPY"))) == "1.235 JPY")
        #expect(en.money(Money(minor: 1_234_567, cur("BHD"))) == "BHD 1,234.567")
        #expect(es.money(Money(minor: 1_234_567, cur("KWD"))) == "1.234,567 KWD")
        #expect(es.money(Money(minor: 12_345_678, cur("CLF"))) == "1.234,5678 CLF")
        #expect(en.money(Money(minor: -5, cur("JPY"))) == "JPY -5")
    }

    @Test func smallAmountsAndGroupBoundaries() {
        let en = LocalizedFormat(language: .en)
        let es = LocalizedFormat(language: .es)
        let eur = cur("EUR")
        #expect(en.money(Money(minor: 0, eur)) == "EUR 0.00")
        #expect(en.money(Money(minor: 5, eur)) == "EUR 0.05")
        #expect(en.money(Money(minor: -5, eur)) == "EUR -0.05")
        #expect(en.money(Money(minor: 100, eur)) == "EUR 1.00")
        #expect(es.money(Money(minor: 99_999, eur)) == "999,99 EUR")
        #expect(es.money(Money(minor: 100_000, eur)) == "1.000,00 EUR")
        #expect(es.money(Money(minor: 123_456_789, eur)) == "1.234.567,89 EUR")
        #expect(LocalizedFormat(language: .fr).money(Money(minor: 123_456_789, eur)) == "1\(nnbsp)234\(nnbsp)567,89 EUR")
    }

    @Test func extremeAmountsDoNotOverflow() {
        let en = LocalizedFormat(language: .en)
        let usd = cur("USD")
        #expect(en.money(Money(minor: .max, usd)) == "USD 92,233,720,368,547,758.07")
        #expect(en.money(Money(minor: .min, usd)) == "USD -92,233,720,368,547,758.08")
        #expect(en.amount(minor: Int128(Int64.max) * 10, currency: usd) == "USD 922,337,203,685,477,580.70")
    }

    @Test func spanishInMexicoAndTheUnitedStatesUsesADecimalPoint() {
        let mxn = cur("MXN")
        #expect(LocalizedFormat(languageTag: "es-MX").money(Money(minor: 1_234_567, mxn)) == "12,345.67 MXN")
        #expect(LocalizedFormat(languageTag: "es_mx").money(Money(minor: 1_234_567, mxn)) == "12,345.67 MXN")
        #expect(LocalizedFormat(languageTag: "es-US").money(Money(minor: -1_234_567, mxn)) == "-12,345.67 MXN")
        #expect(LocalizedFormat(languageTag: "es-ES").money(Money(minor: 1_234_567, mxn)) == "12.345,67 MXN")
        #expect(LocalizedFormat(languageTag: "es-419").money(Money(minor: 1_234_567, mxn)) == "12.345,67 MXN")
        #expect(LocalizedFormat(languageTag: "es").money(Money(minor: 1_234_567, mxn)) == "12.345,67 MXN")
        // A subtag after a singleton is not a region.
        #expect(LocalizedFormat(languageTag: "es-u-mx").money(Money(minor: 1_234_567, mxn)) == "12.345,67 MXN")
    }

    @Test func unknownLanguagesFormatInEnglish() {
        let f = LocalizedFormat(languageTag: "de-DE")
        #expect(f.language == .en)
        #expect(f.money(Money(minor: 100, cur("EUR"))) == "EUR 1.00")
    }

    @Test func regionConventionsOnlyWhenTheMessageIsInTheRequestedLanguage() {
        let mxn = Money(minor: 1_234_567, cur("MXN"))
        #expect(LocalizedFormat.forMessage(templateLanguage: "es", requestedTag: "es-MX").money(mxn) == "12,345.67 MXN")
        #expect(LocalizedFormat.forMessage(templateLanguage: "en", requestedTag: "es-MX").money(mxn) == "MXN 12,345.67")
        #expect(LocalizedFormat.forMessage(templateLanguage: "pt", requestedTag: "es-MX").money(mxn) == "12.345,67 MXN")
    }

    @Test(arguments: [
        (MessageLanguage.en, "23 Nov 2026"),
        (.es, "23/11/2026"),
        (.fr, "23/11/2026"),
        (.pt, "23/11/2026"),
    ])
    func datesPerLanguage(language: MessageLanguage, expected: String) {
        #expect(LocalizedFormat(language: language).date(day("2026-11-23")) == expected)
    }

    @Test func datesPadNumbersButNotTheEnglishDay() {
        #expect(LocalizedFormat(language: .es).date(day("2026-01-05")) == "05/01/2026")
        #expect(LocalizedFormat(language: .en).date(day("2026-01-05")) == "5 Jan 2026")
        #expect(LocalizedFormat(language: .fr).date(day("0987-06-30")) == "30/06/0987")
    }

    @Test func englishMonthAbbreviations() {
        let en = LocalizedFormat(language: .en)
        let months = (1...12).map { m in en.date(LocalDate(year: 2026, month: m, day: 1) ?? day("1970-01-01")) }
        #expect(
            months == [
                "1 Jan 2026", "1 Feb 2026", "1 Mar 2026", "1 Apr 2026", "1 May 2026", "1 Jun 2026",
                "1 Jul 2026", "1 Aug 2026", "1 Sep 2026", "1 Oct 2026", "1 Nov 2026", "1 Dec 2026",
            ])
    }

    @Test func messageLanguageFromTags() {
        #expect(MessageLanguage(tag: "PT-br") == .pt)
        #expect(MessageLanguage(tag: "es_MX") == .es)
        #expect(MessageLanguage(tag: "fr") == .fr)
        #expect(MessageLanguage(tag: "de") == nil)
        #expect(MessageLanguage(tag: "") == nil)
    }
}
