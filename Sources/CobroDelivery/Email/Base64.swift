/// RFC 2045 §6.8 base64, written out here so the encoder needs no Foundation types and its line layout is exact.
enum Base64 {
    static let alphabet: [UInt8] = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)
    /// Encoded characters per line in a MIME body.
    static let lineLength = 76

    /// `bytes` as one run of base64 characters with `=` padding.
    static func encode(_ bytes: [UInt8]) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity((bytes.count + 2) / 3 * 4)
        var i = 0
        while i < bytes.count {
            let b0 = bytes[i]
            let b1 = i + 1 < bytes.count ? bytes[i + 1] : 0
            let b2 = i + 2 < bytes.count ? bytes[i + 2] : 0
            out.append(alphabet[Int(b0 >> 2)])
            out.append(alphabet[Int((b0 & 0x03) << 4 | b1 >> 4)])
            out.append(i + 1 < bytes.count ? alphabet[Int((b1 & 0x0F) << 2 | b2 >> 6)] : UInt8(ascii: "="))
            out.append(i + 2 < bytes.count ? alphabet[Int(b2 & 0x3F)] : UInt8(ascii: "="))
            i += 3
        }
        return out
    }

    /// A MIME body: base64 in lines of 76 characters separated by CRLF, with no CRLF after the last line.
    static func body(_ bytes: [UInt8]) -> [UInt8] {
        let encoded = encode(bytes)
        var out: [UInt8] = []
        out.reserveCapacity(encoded.count + encoded.count / lineLength * 2)
        var start = 0
        while start < encoded.count {
            if start > 0 { out += MailSyntax.crlf }
            let end = min(start + lineLength, encoded.count)
            out += encoded[start..<end]
            start = end
        }
        return out
    }
}
