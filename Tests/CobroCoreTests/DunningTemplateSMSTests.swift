import Testing

@testable import CobroCore

// SMS encoding and segment counting (GSM 03.38 / UCS-2), with exact boundaries.

private func a(_ n: Int) -> String { String(repeating: "a", count: n) }
private func s(_ char: String, _ n: Int) -> String { String(repeating: char, count: n) }

@Suite("Dunning templates: SMS segments")
struct DunningTemplateSMSTests {
    @Test func alphabetTables() {
        #expect(GSM7Alphabet.basic.count == 127)  // 128 codes minus the escape
        #expect(GSM7Alphabet.extended.count == 10)
        #expect(GSM7Alphabet.extended.contains("€"))
        #expect(GSM7Alphabet.basic.isDisjoint(with: GSM7Alphabet.extended))
    }

    @Test func emptyText() {
        let r = SMSSegments("")
        #expect(r.encoding == .gsm7)
        #expect(r.units == 0)
        #expect(r.segments == 0)
        #expect(r.warning == nil)
    }

    @Test(arguments: [(1, 1), (160, 1), (161, 2), (306, 2), (307, 3), (459, 3), (460, 4)])
    func gsmBoundaries(length: Int, segments: Int) {
        let r = SMSSegments(a(length))
        #expect(r.encoding == .gsm7)
        #expect(r.units == length)
        #expect(r.segments == segments)
        #expect(r.unitsPerSegment == (length <= 160 ? 160 : 153))
        #expect((r.warning != nil) == (segments > 2))
    }

    @Test(arguments: [(1, 1), (70, 1), (71, 2), (134, 2), (135, 3)])
    func ucs2Boundaries(length: Int, segments: Int) {
        let r = SMSSegments(s("á", length))
        #expect(r.encoding == .ucs2)
        #expect(r.units == length)
        #expect(r.segments == segments)
        #expect(r.unitsPerSegment == (length <= 70 ? 70 : 67))
    }

    @Test func extensionCharactersCountTwo() {
        #expect(SMSSegments(s("€", 80)).units == 160)
        #expect(SMSSegments(s("€", 80)).segments == 1)
        #expect(SMSSegments(s("€", 80) + "a").segments == 2)
        #expect(SMSSegments("^{}\\[~]|€\u{0C}").units == 20)
    }

    @Test func extensionPairIsNeverSplitAcrossSegments() {
        // 152 + 2 + 152 = 306 septets, but the € cannot start in septet 153: it moves to part 2, which then
        // needs 154 septets, so a third part is needed.
        let split = SMSSegments(a(152) + "€" + a(152))
        #expect(split.units == 306)
        #expect(split.segments == 3)
        #expect(split.warning == .tooManySegments(3))
        // Control: the € ends exactly at septet 153, both parts are full, two segments.
        let fits = SMSSegments(a(151) + "€" + a(153))
        #expect(fits.units == 306)
        #expect(fits.segments == 2)
        #expect(fits.remainingInLastSegment == 0)
    }

    @Test func emojiCountsTwoUnitsAndForcesUCS2() {
        #expect(SMSSegments(s("😀", 35)).units == 70)
        #expect(SMSSegments(s("😀", 35)).segments == 1)
        let r = SMSSegments(s("😀", 35) + "a")
        #expect(r.encoding == .ucs2)
        #expect(r.units == 71)
        #expect(r.segments == 2)
    }

    @Test func surrogatePairIsNeverSplitAcrossSegments() {
        let split = SMSSegments(s("á", 66) + "😀" + s("á", 66))
        #expect(split.units == 134)
        #expect(split.segments == 3)
        let fits = SMSSegments(s("á", 65) + "😀" + s("á", 67))
        #expect(fits.units == 134)
        #expect(fits.segments == 2)
    }

    @Test func whichCharactersAreGSM() {
        #expect(SMSSegments("Ñandú").encoding == .ucs2)  // ú is not in GSM 03.38
        #expect(SMSSegments("Ñandu ¿qué? ¡sí! ñ ü à è é ù ì ò Ç Ø å Æ ß É Δ Ω £ ¥ § ¤ @ _").encoding == .ucs2)  // í
        #expect(SMSSegments("Ñandu ¿qué? ¡si! ñ ü à è é ù ì ò Ç Ø å Æ ß É Δ Ω £ ¥ § ¤ @ _").encoding == .gsm7)
        #expect(SMSSegments("ç").encoding == .ucs2)
        #expect(SMSSegments("δ").encoding == .ucs2)
        #expect(SMSSegments("`").encoding == .ucs2)
        #expect(SMSSegments("\r\n").units == 2)
    }

    @Test func reportsTheCharactersThatForcedUCS2() {
        #expect(SMSSegments("Olá, São Paulo! á ã").nonGSMCharacters == ["á", "ã"])
        #expect(SMSSegments("plain").nonGSMCharacters == [])
    }

    @Test func remainingUnits() {
        #expect(SMSSegments(a(10)).remainingInLastSegment == 150)
        #expect(SMSSegments(a(161)).remainingInLastSegment == 145)
        #expect(SMSSegments(s("á", 10)).remainingInLastSegment == 60)
    }

    @Test func warningText() {
        #expect(SMSSegments(a(400)).warning?.description.contains("3 segments") == true)
    }

    @Test func gsmFriendlyReplacesTypographyButKeepsLetters() {
        #expect(SMSText.gsmFriendly("1\u{202F}234,56\u{00A0}EUR") == "1 234,56 EUR")
        #expect(SMSText.gsmFriendly("“Hola” ‘x’ l’été «oui» a–b—c … −5") == "\"Hola\" 'x' l'été \"oui\" a-b-c ... -5")
        #expect(SMSText.gsmFriendly("fac\u{00AD}tura\u{200B}") == "factura")
        #expect(SMSText.gsmFriendly("Sánchez ç €") == "Sánchez ç €")
        #expect(SMSSegments(SMSText.gsmFriendly("Total\u{00A0}: 1\u{202F}234,56 EUR")).encoding == .gsm7)
    }
}
