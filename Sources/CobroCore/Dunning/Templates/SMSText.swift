/// Preparing rendered text for SMS.
public enum SMSText {
    /// `text` with typographic characters that have a plain GSM-7 twin replaced by it, so that one curly quote
    /// or no-break space does not switch a whole message to UCS-2 (which holds 70 instead of 160 characters).
    ///
    /// Replaced: no-break, narrow, thin and other fixed-width spaces → space; `‘ ’ ‚ ‛ ′` → `'`;
    /// `“ ” „ ‟ ″ « »` → `"`; hyphens and dashes `‐ ‑ ‒ – — ― −` → `-`; `…` → `...`; soft hyphen, zero-width
    /// space and byte-order mark are removed. Letters are never changed (`á` stays `á`), so spelling is kept.
    public static func gsmFriendly(_ text: String) -> String {
        var out = String.UnicodeScalarView()
        for u in text.unicodeScalars {
            switch u.value {
            case 0x00A0, 0x2000...0x200A, 0x202F, 0x205F, 0x3000: out.append(" ")
            case 0x2018, 0x2019, 0x201A, 0x201B, 0x2032: out.append("'")
            case 0x201C, 0x201D, 0x201E, 0x201F, 0x2033, 0x00AB, 0x00BB: out.append("\"")
            case 0x2010...0x2015, 0x2212: out.append("-")
            case 0x2026: out.append(contentsOf: "...".unicodeScalars)
            case 0x00AD, 0x200B, 0xFEFF: continue
            default: out.append(u)
            }
        }
        return String(out)
    }
}
