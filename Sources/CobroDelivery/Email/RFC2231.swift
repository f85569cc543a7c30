/// MIME parameters that can carry any file name: a quoted-string for printable ASCII, RFC 2231 `name*=UTF-8''…`
/// percent-encoding otherwise, and RFC 2231 continuations (`name*0`, `name*1`, …) for long values so header lines
/// stay short. Segments are cut between characters, never inside an escape or a UTF-8 sequence.
enum RFC2231 {
    /// Longest encoded value in one parameter or continuation segment: what fits on a folded line
    /// (` name*NN*=UTF-8''…;` within 78 characters).
    static func segmentLength(_ name: String) -> Int {
        HeaderFolding.preferredLineLength - 1 - name.utf8.count - "*NN*=".utf8.count - "UTF-8''".utf8.count - 1
    }

    /// Parameter tokens (`filename="a.pdf"` or `filename*0*=UTF-8''…`), without separators.
    static func parameter(_ name: String, _ value: String) -> [String] {
        let limit = segmentLength(name)
        if MailSyntax.isPrintableASCII(value) {
            let segments = split(value, limit) { MailSyntax.quoted(String($0)).utf8.count }.map { MailSyntax.quoted($0) }
            if segments.count == 1 { return ["\(name)=\(segments[0])"] }
            return segments.enumerated().map { i, s in "\(name)*\(i)=\(s)" }
        }
        let segments = split(value, limit) { percentEncoded($0).utf8.count }.map { percentEncoded($0) }
        if segments.count == 1 { return ["\(name)*=UTF-8''\(segments[0])"] }
        return segments.enumerated().map { i, s in "\(name)*\(i)*=" + (i == 0 ? "UTF-8''" : "") + s }
    }

    /// Unreserved ASCII (letters, digits, `-._~`) as is, every other UTF-8 byte as `%XX`.
    static func percentEncoded(_ s: some StringProtocol) -> String {
        var out: [UInt8] = []
        for b in s.utf8 {
            if MailSyntax.isAlphanumeric(b) || "-._~".utf8.contains(b) {
                out.append(b)
            } else {
                out += MailSyntax.escape(b, with: UInt8(ascii: "%"))
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// `value` cut at character boundaries into pieces whose `encodedLength` is at most `limit` (a single
    /// character longer than that stays whole).
    private static func split(_ value: String, _ limit: Int, encodedLength: (Substring) -> Int) -> [String] {
        var segments: [String] = []
        var start = value.startIndex
        var end = value.startIndex
        while end < value.endIndex {
            let next = value.index(after: end)
            if end > start && encodedLength(value[start..<next]) > limit {
                segments.append(String(value[start..<end]))
                start = end
            }
            end = next
        }
        segments.append(String(value[start..<end]))
        return segments
    }
}
