/// One MIME entity: its header fields (as foldable tokens) and its already-encoded body.
struct MIMEEntity {
    var headers: [(name: String, tokens: [String])]
    var body: [UInt8]

    /// Header fields, the blank line and the body (the body is not followed by a line break).
    func serialized() -> [UInt8] {
        var out: [UInt8] = []
        for (name, tokens) in headers { out += HeaderFolding.field(name, tokens) }
        return out + MailSyntax.crlf + body
    }

    /// A `text/<subtype>; charset=utf-8` part in quoted-printable.
    static func text(_ subtype: String, _ content: String) -> MIMEEntity {
        MIMEEntity(
            headers: [("Content-Type", ["text/\(subtype);", "charset=utf-8"]), ("Content-Transfer-Encoding", ["quoted-printable"])],
            body: QuotedPrintable.encode(content))
    }

    /// A base64 attachment part.
    static func attachment(_ a: EmailAttachment) -> MIMEEntity {
        MIMEEntity(
            headers: [
                ("Content-Type", a.contentTypeTokens),
                ("Content-Transfer-Encoding", ["base64"]),
                ("Content-Disposition", ["attachment;"] + separated(RFC2231.parameter("filename", a.filename))),
            ],
            body: Base64.body(a.data))
    }

    /// A `multipart/<subtype>` entity around `parts` (RFC 2046 §5.1.1: each delimiter is preceded by CRLF).
    static func multipart(_ subtype: String, _ parts: [MIMEEntity], seed: String) -> MIMEEntity {
        let serialized = parts.map { $0.serialized() }
        let boundary = MIMEBoundary.choose(kind: String(subtype.prefix(3)), seed: seed, avoiding: serialized)
        let delimiter = Array("--\(boundary)".utf8)
        var body: [UInt8] = []
        for (i, part) in serialized.enumerated() {
            if i > 0 { body += MailSyntax.crlf }
            body += delimiter + MailSyntax.crlf + part
        }
        body += MailSyntax.crlf + delimiter + Array("--".utf8)
        return MIMEEntity(headers: [("Content-Type", ["multipart/\(subtype);", "boundary=\"\(boundary)\""])], body: body)
    }

    /// `tokens` with `;` after all but the last, for a parameter list.
    private static func separated(_ tokens: [String]) -> [String] {
        tokens.enumerated().map { i, t in i < tokens.count - 1 ? t + ";" : t }
    }
}
