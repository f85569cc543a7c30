/// Lexical pieces of PDF syntax: numbers and literal strings, written byte-exactly and without Foundation.
public enum PDFSyntax {
    /// A real number with at most two decimals, trailing zeros dropped: `595.28`, `12.5`, `-3`, `0`.
    /// Two decimals are 1/7200 inch, well below what any printer resolves.
    public static func number(_ value: Double) -> String {
        guard value.isFinite else { return "0" }
        let hundredths = Int64((value * 100).rounded())
        let negative = hundredths < 0
        let magnitude = hundredths.magnitude
        let whole = magnitude / 100
        let fraction = magnitude % 100
        var out = negative ? "-" : ""
        out += String(whole)
        if fraction != 0 {
            out += "."
            if fraction % 10 == 0 {
                out += String(fraction / 10)
            } else {
                out += fraction < 10 ? "0" + String(fraction) : String(fraction)
            }
        }
        return out
    }

    /// A PDF literal string `( … )` holding `bytes`: `(`, `)` and `\` are escaped with a backslash, bytes
    /// outside printable ASCII as three-digit octal (`\351` for `é`), so the file stays 7-bit and no reader
    /// normalises an end-of-line inside a string.
    public static func literalString(_ bytes: [UInt8]) -> [UInt8] {
        var out: [UInt8] = [0x28]
        out.reserveCapacity(bytes.count + 2)
        for b in bytes {
            switch b {
            case 0x28, 0x29, 0x5C:
                out.append(0x5C)
                out.append(b)
            case 0x20...0x7E:
                out.append(b)
            default:
                out.append(0x5C)
                out.append(0x30 + (b >> 6))
                out.append(0x30 + ((b >> 3) & 7))
                out.append(0x30 + (b & 7))
            }
        }
        out.append(0x29)
        return out
    }

    /// `text` encoded with ``WinAnsiEncoding`` as a literal string.
    public static func literalString(_ text: String) -> [UInt8] {
        literalString(WinAnsiEncoding.encode(text))
    }
}
