/// Character classes and small checks from RFC 5322 (atext, dot-atom), RFC 2045 (token) and RFC 1035 (host names).
enum MailSyntax {
    static let crlf: [UInt8] = [0x0D, 0x0A]

    /// RFC 5322 atext: letters, digits and ! # $ % & ' * + - / = ? ^ _ ` { | } ~.
    static func isAtext(_ b: UInt8) -> Bool {
        isAlphanumeric(b) || "!#$%&'*+-/=?^_`{|}~".utf8.contains(b)
    }

    static func isAlphanumeric(_ b: UInt8) -> Bool {
        (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A)
    }

    /// RFC 2045 token character: printable ASCII except SPACE and the tspecials ( ) < > @ , ; : \ " / [ ] ? =.
    static func isTokenChar(_ b: UInt8) -> Bool {
        b > 0x20 && b < 0x7F && !"()<>@,;:\\\"/[]?=".utf8.contains(b)
    }

    static func isToken(_ s: Substring) -> Bool {
        !s.isEmpty && s.utf8.allSatisfy(isTokenChar)
    }

    /// RFC 5322 dot-atom-text: atext runs separated by single dots, no leading or trailing dot.
    static func isDotAtomText(_ s: Substring) -> Bool {
        let parts = s.utf8.split(separator: UInt8(ascii: "."), omittingEmptySubsequences: false)
        return parts.allSatisfy { !$0.isEmpty && $0.allSatisfy(isAtext) }
    }

    /// `nil` when `s` is a host name Cobro can address mail to, otherwise why not.
    static func domainProblem(_ s: Substring) -> String? {
        let valid =
            "must be dot-separated labels of ASCII letters, digits and hyphens (each 1–63 characters, no leading or trailing hyphen), "
            + "at least two labels, at most 253 characters, e.g. example.com; write internationalised domains in their xn-- form"
        guard s.utf8.count <= 253 else { return "the domain \"\(s)\" is \(s.utf8.count) characters long; it " + valid }
        let labels = s.utf8.split(separator: UInt8(ascii: "."), omittingEmptySubsequences: false)
        let labelsOK =
            labels.count >= 2
            && labels.allSatisfy { label in
                !label.isEmpty && label.count <= 63 && label.first != UInt8(ascii: "-") && label.last != UInt8(ascii: "-")
                    && label.allSatisfy { isAlphanumeric($0) || $0 == UInt8(ascii: "-") }
            }
        guard labelsOK else { return "the domain \"\(s)\" " + valid }
        if let top = labels.last, top.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) {
            return "the domain \"\(s)\" ends in a numeric label; it " + valid
        }
        return nil
    }

    /// Human text reduced to one line: every run of white space, line breaks and control characters becomes one
    /// space, and the ends are trimmed (the template renderer's subject-line rule, plus control characters). This keeps
    /// a subject or display name from ever starting a new header line.
    static func singleLine(_ s: String) -> String {
        s.split(whereSeparator: { c in c.isWhitespace || c.isNewline || c.unicodeScalars.contains { $0.properties.generalCategory == .control } })
            .joined(separator: " ")
    }

    /// `s` as an RFC 5322 quoted-string (`"` and `\` escaped with a backslash).
    static func quoted(_ s: String) -> String {
        var out = "\""
        for c in s.unicodeScalars {
            if c == "\"" || c == "\\" { out.unicodeScalars.append("\\") }
            out.unicodeScalars.append(c)
        }
        out += "\""
        return out
    }

    static func isPrintableASCII(_ s: String) -> Bool {
        s.utf8.allSatisfy { $0 >= 0x20 && $0 < 0x7F }
    }

    static let upperHex: [UInt8] = Array("0123456789ABCDEF".utf8)

    /// `=XX` / `%XX` style escape of one byte with upper-case hex digits.
    static func escape(_ b: UInt8, with marker: UInt8) -> [UInt8] {
        [marker, upperHex[Int(b >> 4)], upperHex[Int(b & 0x0F)]]
    }
}
