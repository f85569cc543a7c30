/// Writes one header field, folded (RFC 5322 §2.2.3) at the spaces between its tokens.
///
/// A token is a piece that must stay on one line (a word, an encoded-word, an `<address>,`, a parameter). A fold is
/// placed before a token when adding it would push the line past 78 characters; the first token always shares the
/// line with the field name, and no fold is placed before an empty token, so no line is ever white space only.
/// Unfolding (removing each CRLF that precedes a space) gives back the tokens joined by single spaces.
enum HeaderFolding {
    static let preferredLineLength = 78

    static func field(_ name: String, _ tokens: [String]) -> [UInt8] {
        var out = Array(name.utf8) + [UInt8(ascii: ":")]
        var width = out.count
        for (i, token) in tokens.enumerated() {
            let length = token.utf8.count
            if i > 0 && length > 0 && width + 1 + length > preferredLineLength {
                out += MailSyntax.crlf
                width = 0
            }
            out.append(UInt8(ascii: " "))
            out += token.utf8
            width += 1 + length
        }
        return out + MailSyntax.crlf
    }

    /// Room left for the first token on the field's first line (`Name: ` already written).
    static func firstLineRoom(_ name: String) -> Int { preferredLineLength - name.utf8.count - 2 }

    /// Tokens of a free-text value (the subject): its words as they are when the text is printable ASCII, every
    /// word fits on a line and nothing looks like an encoded-word; otherwise RFC 2047 encoded-words.
    static func unstructuredTokens(_ text: String, fieldName: String) -> [String] {
        let room = firstLineRoom(fieldName)
        let words = text.split(separator: " ", omittingEmptySubsequences: false).map(String.init)
        let plain =
            MailSyntax.isPrintableASCII(text) && !text.contains("=?")
            && words.enumerated().allSatisfy { i, w in w.utf8.count <= (i == 0 ? room : preferredLineLength - 1) }
        return plain ? words : EncodedWord.encode(text, firstMax: room)
    }
}
