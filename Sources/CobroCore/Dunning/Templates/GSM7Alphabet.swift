/// The GSM 03.38 (3GPP TS 23.038) default alphabet, which an SMS uses unless a character outside it forces UCS-2.
enum GSM7Alphabet {
    /// The 127 characters of the basic table (all but the escape code 0x1B), one septet each.
    /// 0x09 is the capital `Ç` as in the current standard; a lower-case `ç` is not in the alphabet.
    static let basic: Set<Unicode.Scalar> = Set(
        ("@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
            + "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà").unicodeScalars)

    /// The extension table: each costs two septets (escape + code). Form feed, `^ { } \ [ ~ ] |` and `€`.
    static let extended: Set<Unicode.Scalar> = Set("\u{0C}^{}\\[~]|€".unicodeScalars)

    /// Septets for one character, or `nil` when it is not in the alphabet.
    static func septets(_ u: Unicode.Scalar) -> Int? {
        if basic.contains(u) { return 1 }
        if extended.contains(u) { return 2 }
        return nil
    }
}
