/// RFC 2045 §6.7 quoted-printable for UTF-8 text bodies.
///
/// Line breaks (`\r\n`, `\n` or a lone `\r`) become CRLF hard breaks. Printable ASCII other than `=` stays as is;
/// `=`, control characters and every non-ASCII byte become `=XX` (upper-case hex). A space or tab at the end of a
/// line is encoded (`=20`, `=09`) so transports that strip trailing white space cannot change the text. Lines
/// longer than 76 characters get soft breaks (`=` CRLF) without ever cutting an `=XX` escape.
enum QuotedPrintable {
    static let maxLineLength = 76

    static func encode(_ text: String) -> [UInt8] {
        let bytes = Array(text.utf8)
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count + bytes.count / 8)
        var lineStart = 0
        var i = 0
        var first = true
        func emitLine(_ end: Int) {
            if !first { out += MailSyntax.crlf }
            first = false
            encodeLine(bytes[lineStart..<end], into: &out)
        }
        while i < bytes.count {
            let b = bytes[i]
            if b == 0x0D || b == 0x0A {
                emitLine(i)
                i += (b == 0x0D && i + 1 < bytes.count && bytes[i + 1] == 0x0A) ? 2 : 1
                lineStart = i
            } else {
                i += 1
            }
        }
        emitLine(bytes.count)
        return out
    }

    /// One hard line (no line break inside), soft-broken into encoded lines of at most 76 characters.
    private static func encodeLine(_ line: ArraySlice<UInt8>, into out: inout [UInt8]) {
        var width = 0
        let lastIndex = line.index(before: line.endIndex)
        for index in line.indices {
            let b = line[index]
            let isLast = index == lastIndex
            let literal = (b >= 0x21 && b <= 0x7E && b != UInt8(ascii: "=")) || ((b == 0x20 || b == 0x09) && !isLast)
            let length = literal ? 1 : 3
            // The last token of the line may use all 76 columns; any other must leave room for a soft break "=".
            if width + length > (isLast ? maxLineLength : maxLineLength - 1) {
                out.append(UInt8(ascii: "="))
                out += MailSyntax.crlf
                width = 0
            }
            if literal {
                out.append(b)
            } else {
                out.append(UInt8(ascii: "="))
                out.append(MailSyntax.upperHex[Int(b >> 4)])
                out.append(MailSyntax.upperHex[Int(b & 0x0F)])
            }
            width += length
        }
    }
}
