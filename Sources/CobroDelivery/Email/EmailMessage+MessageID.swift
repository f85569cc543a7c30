extension EmailMessage {
    /// Longest encoded key kept whole in a Message-ID; longer keys are shortened and fingerprinted.
    static let maxEncodedKeyLength = 160

    /// A stable Message-ID `<encoded-key@domain>` for a dedupe key, so a retried send carries the same id.
    ///
    /// The key's UTF-8 bytes are written with ASCII letters, digits, `-` and `_` as they are and every other byte as
    /// `=XX` (upper-case hex), e.g. `dunning:C1` → `<dunning=3AC1@mail.example.com>`. The encoding is one-to-one, so
    /// different keys give different ids. A key whose encoding passes 160 characters is written as the first 140 of
    /// them, a dot and the key's 64-bit FNV-1a hash in hex.
    public static func messageID(key: String, domain: String) throws(EmailRejection) -> String {
        guard !key.isEmpty else { throw EmailRejection(field: "dedupe key", reason: "the dedupe key must not be empty") }
        if let problem = MailSyntax.domainProblem(Substring(domain)) { throw EmailRejection(field: "message-id", reason: problem) }
        var encoded: [UInt8] = []
        var cuts: [Int] = []  // positions where an escape or a plain byte starts
        for b in key.utf8 {
            cuts.append(encoded.count)
            if MailSyntax.isAlphanumeric(b) || b == UInt8(ascii: "-") || b == UInt8(ascii: "_") {
                encoded.append(b)
            } else {
                encoded += MailSyntax.escape(b, with: UInt8(ascii: "="))
            }
        }
        if encoded.count > maxEncodedKeyLength {
            let cut = cuts.last { $0 <= 140 } ?? 0
            encoded = Array(encoded[..<cut]) + [UInt8(ascii: ".")] + Array(StableHash.hex(key.utf8).utf8)
        }
        return "<\(String(decoding: encoded, as: UTF8.self))@\(domain)>"
    }
}
