/// Unicode text to WinAnsiEncoding (Windows code page 1252), the single-byte encoding the standard fonts are
/// written with. It covers every letter of Spanish, French and Portuguese (á é í ó ú ñ ç ã õ â ê à è ü œ),
/// the punctuation they use (« » ¿ ¡ – — “ ” ‘ ’ …) and `€`.
///
/// - Characters are looked up as grapheme clusters, so a decomposed `e` + U+0301 encodes like the precomposed
///   `é` (Swift compares `Character`s by canonical equivalence).
/// - Space variants cp1252 lacks (U+202F narrow no-break space, which French number grouping uses, U+2007,
///   U+2009, …) become 0xA0 (no-break space); non-breaking and figure hyphens and U+2212 minus become `-`;
///   tab becomes a space. They would otherwise print as `?` inside every French amount.
/// - Anything else outside cp1252 (and control characters) becomes `?`, one per grapheme cluster.
public enum WinAnsiEncoding {
    /// The byte written for characters that cp1252 cannot represent.
    public static let replacement: UInt8 = 0x3F  // "?"

    /// cp1252 bytes 0x80…0x9F and the Unicode scalars they stand for (0x81, 0x8D, 0x8F, 0x90, 0x9D are unused).
    static let high: [(UInt8, UInt32)] = [
        (0x80, 0x20AC), (0x82, 0x201A), (0x83, 0x0192), (0x84, 0x201E), (0x85, 0x2026), (0x86, 0x2020),
        (0x87, 0x2021), (0x88, 0x02C6), (0x89, 0x2030), (0x8A, 0x0160), (0x8B, 0x2039), (0x8C, 0x0152),
        (0x8E, 0x017D), (0x91, 0x2018), (0x92, 0x2019), (0x93, 0x201C), (0x94, 0x201D), (0x95, 0x2022),
        (0x96, 0x2013), (0x97, 0x2014), (0x98, 0x02DC), (0x99, 0x2122), (0x9A, 0x0161), (0x9B, 0x203A),
        (0x9C, 0x0153), (0x9E, 0x017E), (0x9F, 0x0178),
    ]

    /// Typographic stand-ins for characters outside cp1252 that Cobro's own formatting produces.
    static let substitutes: [UInt32: UInt8] = [
        0x0009: 0x20,  // tab
        0x2007: 0xA0, 0x2008: 0xA0, 0x2009: 0xA0, 0x200A: 0xA0, 0x202F: 0xA0, 0x205F: 0xA0,  // spaces
        0x2002: 0x20, 0x2003: 0x20, 0x2004: 0x20, 0x2005: 0x20, 0x2006: 0x20,
        0x2010: 0x2D, 0x2011: 0x2D, 0x2012: 0x2D, 0x2212: 0x2D,  // hyphens, minus
    ]

    /// Character → byte for every character cp1252 encodes (printable ASCII, 0x80…0x9F, Latin-1 0xA0…0xFF).
    static let table: [Character: UInt8] = {
        var t: [Character: UInt8] = [:]
        func add(_ scalar: UInt32, _ byte: UInt8) {
            if let s = Unicode.Scalar(scalar) { t[Character(s)] = byte }
        }
        for b in UInt32(0x20)...0x7E { add(b, UInt8(b)) }
        for (byte, scalar) in high { add(scalar, byte) }
        for b in UInt32(0xA0)...0xFF { add(b, UInt8(b)) }
        for (scalar, byte) in substitutes { add(scalar, byte) }
        return t
    }()

    /// The WinAnsi byte for one character, or `nil` when cp1252 has none.
    public static func byte(for character: Character) -> UInt8? {
        table[character]
    }

    /// `text` as WinAnsi bytes; characters outside cp1252 become ``replacement``. Line breaks become `?` too:
    /// callers split lines first (see ``TextWrapper``).
    public static func encode(_ text: String) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(text.utf8.count)
        for ch in text { out.append(table[ch] ?? replacement) }
        return out
    }

    /// The Unicode character a WinAnsi byte stands for (`nil` for control and undefined codes); for tests and
    /// diagnostics.
    public static func character(for byte: UInt8) -> Character? {
        switch byte {
        case 0x20...0x7E, 0xA0...0xFF: return Character(Unicode.Scalar(byte))
        default:
            guard let pair = high.first(where: { $0.0 == byte }), let s = Unicode.Scalar(pair.1) else { return nil }
            return Character(s)
        }
    }
}
