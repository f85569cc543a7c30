/// A file attached to an email, sent base64-encoded with `Content-Disposition: attachment`.
///
/// The file name may be any Unicode text up to 255 UTF-8 bytes without control characters or folder separators
/// (`/`, `\`); non-ASCII names are written with RFC 2231. The content type is `type/subtype` in RFC 2045 token
/// characters, optionally followed by `; attribute=value` parameters (token or quoted-string values), e.g.
/// `application/pdf` or `text/csv; charset=utf-8`. Multipart and message types are refused: they cannot be
/// base64-encoded.
public struct EmailAttachment: Hashable, Sendable {
    public let filename: String
    /// The content type normalised to `type/subtype; attribute=value; …` (single spaces, as given otherwise).
    public let contentType: String
    public let data: [UInt8]
    /// `type/subtype` then each `attribute=value`, as parsed.
    private let contentTypeParts: [String]

    public init(filename: String, contentType: String, data: [UInt8]) throws(EmailRejection) {
        if let problem = Self.filenameProblem(filename) { throw EmailRejection(field: "attachment", reason: problem) }
        guard let parts = Self.parseContentType(contentType) else {
            throw EmailRejection(
                field: "attachment",
                reason: "the content type \"\(contentType)\" of \"\(filename)\" must be type/subtype in RFC 2045 token characters with optional "
                    + "; attribute=value parameters (token or quoted value), at most 255 characters, e.g. application/pdf or text/csv; charset=utf-8")
        }
        let major = parts[0].prefix { $0 != "/" }.lowercased()
        guard major != "multipart" && major != "message" else {
            throw EmailRejection(
                field: "attachment",
                reason: "the content type \"\(contentType)\" of \"\(filename)\" is a \(major) type, which cannot be sent base64-encoded; "
                    + "attach it as application/octet-stream (or message/rfc822 content as a .eml file)")
        }
        self.filename = filename
        self.contentType = parts.joined(separator: "; ")
        self.contentTypeParts = parts
        self.data = data
    }

    /// The content type as header tokens: `type/subtype;`, `attribute=value;`, …
    var contentTypeTokens: [String] {
        contentTypeParts.enumerated().map { i, p in i < contentTypeParts.count - 1 ? p + ";" : p }
    }

    static func filenameProblem(_ filename: String) -> String? {
        let valid = "a file name is 1–255 UTF-8 bytes of text without control characters, line breaks or folder separators (/ and \\)"
        guard !filename.isEmpty, filename.utf8.count <= 255 else {
            return "the file name \"\(filename)\" is \(filename.utf8.count) bytes long; \(valid)"
        }
        let bad = filename.unicodeScalars.contains { s in
            s.properties.generalCategory == .control || s == "/" || s == "\\" || s == "\u{2028}" || s == "\u{2029}"
        }
        return bad ? "the file name \(filename.debugDescription) is not allowed; \(valid)" : nil
    }

    /// `["type/subtype", "attr=value", …]`, or `nil` if `s` is not a well-formed RFC 2045 content type.
    static func parseContentType(_ s: String) -> [String]? {
        guard s.utf8.count <= 255, s.utf8.allSatisfy({ $0 >= 0x20 && $0 < 0x7F }) else { return nil }
        var rest = Substring(s)
        func skipSpaces() { rest = rest.drop { $0 == " " } }
        func token() -> Substring? {
            let t = rest.prefix { MailSyntax.isTokenChar($0.asciiValue ?? 0) }
            rest = rest.dropFirst(t.count)
            return t.isEmpty ? nil : t
        }
        skipSpaces()
        guard let type = token(), rest.first == "/" else { return nil }
        rest = rest.dropFirst()
        guard let subtype = token() else { return nil }
        var parts = ["\(type)/\(subtype)"]
        skipSpaces()
        while !rest.isEmpty {
            guard rest.first == ";" else { return nil }
            rest = rest.dropFirst()
            skipSpaces()
            guard let attribute = token(), rest.first == "=" else { return nil }
            rest = rest.dropFirst()
            var value: Substring
            if rest.first == "\"" {
                var end = rest.index(after: rest.startIndex)
                while end < rest.endIndex && rest[end] != "\"" {
                    if rest[end] == "\\" { end = rest.index(after: end) }
                    if end < rest.endIndex { end = rest.index(after: end) }
                }
                guard end < rest.endIndex else { return nil }
                value = rest[rest.startIndex...end]
                rest = rest[rest.index(after: end)...]
            } else {
                guard let t = token() else { return nil }
                value = t
            }
            parts.append("\(attribute)=\(value)")
            skipSpaces()
        }
        return parts
    }
}
