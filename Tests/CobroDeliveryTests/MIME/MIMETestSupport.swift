import Foundation
import Testing

@testable import CobroDelivery

// Independent readers used as oracles: they follow the RFCs directly and share no code with the builder.

let CRLF = "\r\n"

func ascii(_ bytes: [UInt8]) -> String { String(decoding: bytes, as: UTF8.self) }

/// RFC 2045 §6.7 decoding: `=` CRLF is a soft break, `=XX` a byte, anything else itself.
func qpDecode(_ s: String) -> [UInt8] {
    let b = Array(s.utf8)
    var out: [UInt8] = []
    var i = 0
    func hex(_ c: UInt8) -> UInt8? {
        switch c {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return c - UInt8(ascii: "0")
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return c - UInt8(ascii: "A") + 10
        default: return nil
        }
    }
    while i < b.count {
        if b[i] == UInt8(ascii: "=") {
            if i + 2 < b.count, b[i + 1] == 0x0D, b[i + 2] == 0x0A {
                i += 3
                continue
            }
            if i + 2 < b.count, let h = hex(b[i + 1]), let l = hex(b[i + 2]) {
                out.append(h << 4 | l)
                i += 3
                continue
            }
            Issue.record("bad quoted-printable escape at \(i) in \(s.debugDescription)")
            return out
        }
        out.append(b[i])
        i += 1
    }
    return out
}

/// Splits on CRLF, recording an issue for any bare CR or LF. The text after the last CRLF is the last element.
func crlfLines(_ s: String) -> [String] {
    let parts = s.components(separatedBy: CRLF)
    for p in parts where p.contains("\r") || p.contains("\n") { Issue.record("bare CR or LF in line \(p.debugDescription)") }
    return parts
}

/// One RFC 2047 encoded-word `=?charset?B?text?=` decoded to bytes, or nil when `word` is not one.
func decodeEncodedWord(_ word: String) -> [UInt8]? {
    let upper = word.uppercased()
    guard upper.hasPrefix("=?UTF-8?B?"), word.hasSuffix("?=") else { return nil }
    let payload = String(word.dropFirst("=?UTF-8?B?".count).dropLast(2))
    guard let data = Data(base64Encoded: payload) else {
        Issue.record("bad base64 in encoded-word \(word)")
        return nil
    }
    return Array(data)
}

/// An unfolded unstructured header value with encoded-words decoded; white space between two adjacent
/// encoded-words is dropped (RFC 2047 §6.2).
func decodeUnstructured(_ value: String) -> String {
    var bytes: [UInt8] = []
    var previousEncoded = false
    for (i, token) in value.split(separator: " ", omittingEmptySubsequences: false).enumerated() {
        if let decoded = decodeEncodedWord(String(token)) {
            if i > 0 && !previousEncoded { bytes.append(UInt8(ascii: " ")) }
            bytes += decoded
            previousEncoded = true
        } else {
            if i > 0 { bytes.append(UInt8(ascii: " ")) }
            bytes += token.utf8
            previousEncoded = false
        }
    }
    return String(decoding: bytes, as: UTF8.self)
}

/// A MIME entity read back: header fields unfolded (in order) and the raw body.
struct ParsedEntity {
    var headers: [(name: String, value: String)]
    var rawHeaderLines: [String]
    var body: String

    init(_ text: String) {
        guard let split = text.range(of: CRLF + CRLF) else {
            Issue.record("no blank line after the headers in \(text.prefix(200).debugDescription)")
            headers = []
            rawHeaderLines = []
            body = ""
            return
        }
        rawHeaderLines = crlfLines(String(text[..<split.lowerBound]))
        body = String(text[split.upperBound...])
        headers = []
        for line in rawHeaderLines {
            if line.hasPrefix(" ") || line.hasPrefix("\t") {
                if headers.isEmpty { Issue.record("continuation line before any header: \(line)") } else { headers[headers.count - 1].value += line }
            } else if let colon = line.firstIndex(of: ":") {
                let value = line[line.index(after: colon)...]
                headers.append((String(line[..<colon]), String(value.drop { $0 == " " || $0 == "\t" })))
            } else {
                Issue.record("header line without a colon: \(line.debugDescription)")
            }
        }
    }

    init(_ bytes: [UInt8]) { self.init(ascii(bytes)) }

    var names: [String] { headers.map(\.name) }

    /// The unfolded value of the only field called `name` (case-insensitive).
    func value(_ name: String) -> String? {
        let matches = headers.filter { $0.name.lowercased() == name.lowercased() }
        if matches.count > 1 { Issue.record("\(matches.count) \(name) fields") }
        return matches.first?.value
    }

    /// The `boundary` parameter of the Content-Type, unquoted.
    var boundary: String? {
        guard let ct = value("Content-Type"), let start = ct.range(of: "boundary=\"") else { return nil }
        let rest = ct[start.upperBound...]
        guard let end = rest.firstIndex(of: "\"") else { return nil }
        return String(rest[..<end])
    }

    /// RFC 2046 §5.1.1: the body parts of a multipart entity with no preamble and no epilogue.
    var parts: [ParsedEntity] {
        guard let boundary else {
            Issue.record("no boundary in \(value("Content-Type") ?? "nil")")
            return []
        }
        let pieces = (CRLF + body).components(separatedBy: CRLF + "--" + boundary)
        #expect(pieces.first == "", "preamble before the first delimiter")
        guard pieces.count >= 3, let close = pieces.last else {
            Issue.record("fewer than one part between delimiters")
            return []
        }
        #expect(close == "--" || close == "--" + CRLF, "close delimiter followed by \(close.debugDescription)")
        return pieces.dropFirst().dropLast().map { piece in
            #expect(piece.hasPrefix(CRLF), "delimiter line continues with \(piece.prefix(20).debugDescription)")
            return ParsedEntity(String(piece.dropFirst(CRLF.count)))
        }
    }

    /// The decoded text of a quoted-printable part.
    var qpText: String {
        #expect(value("Content-Transfer-Encoding") == "quoted-printable")
        return String(decoding: qpDecode(body), as: UTF8.self)
    }
}

/// RFC 2231 §3/§4: a parameter's value from `name=`, `name*=` or `name*0…`/`name*0*…` pieces in `headerValue`.
func rfc2231Value(_ name: String, in headerValue: String) -> String? {
    var params: [(String, String)] = []
    for raw in headerValue.split(separator: ";").dropFirst() {
        let p = raw.trimmingCharacters(in: .whitespaces)
        guard let eq = p.firstIndex(of: "=") else { continue }
        params.append((String(p[..<eq]), String(p[p.index(after: eq)...])))
    }
    func unquote(_ v: String) -> String {
        guard v.hasPrefix("\""), v.hasSuffix("\""), v.count >= 2 else { return v }
        var out = ""
        var escaped = false
        for c in v.dropFirst().dropLast() {
            if !escaped && c == "\\" { escaped = true } else { out.append(c); escaped = false }
        }
        return out
    }
    func percentDecode(_ v: String) -> [UInt8] {
        var out: [UInt8] = []
        var it = Array(v.utf8)[...]
        while let c = it.popFirst() {
            if c == UInt8(ascii: "%"), it.count >= 2, let b = UInt8(String(decoding: it.prefix(2), as: UTF8.self), radix: 16) {
                out.append(b)
                it = it.dropFirst(2)
            } else {
                out.append(c)
            }
        }
        return out
    }
    if let plain = params.first(where: { $0.0 == name }) { return unquote(plain.1) }
    if let extended = params.first(where: { $0.0 == name + "*" }) {
        let v = extended.1
        guard v.hasPrefix("UTF-8''") else { return nil }
        return String(decoding: percentDecode(String(v.dropFirst(7))), as: UTF8.self)
    }
    var bytes: [UInt8] = []
    var n = 0
    while true {
        if let seg = params.first(where: { $0.0 == "\(name)*\(n)" }) {
            bytes += unquote(seg.1).utf8
        } else if let seg = params.first(where: { $0.0 == "\(name)*\(n)*" }) {
            var v = seg.1
            if n == 0 {
                guard v.hasPrefix("UTF-8''") else { return nil }
                v = String(v.dropFirst(7))
            }
            bytes += percentDecode(v)
        } else {
            break
        }
        n += 1
    }
    return n == 0 ? nil : String(decoding: bytes, as: UTF8.self)
}

/// Every line of a rendered message: at most 998 octets, CRLF-terminated, ASCII only.
func checkLines(_ message: [UInt8], maxLength: Int = 998, sourceLocation: SourceLocation = #_sourceLocation) {
    #expect(message.allSatisfy { $0 < 0x80 }, "non-ASCII byte in the message", sourceLocation: sourceLocation)
    #expect(message.suffix(2) == [0x0D, 0x0A], "message does not end with CRLF", sourceLocation: sourceLocation)
    var lineLength = 0
    var i = 0
    while i < message.count {
        let b = message[i]
        if b == 0x0D {
            #expect(i + 1 < message.count && message[i + 1] == 0x0A, "bare CR at \(i)", sourceLocation: sourceLocation)
            #expect(lineLength <= maxLength, "line of \(lineLength) octets ending at \(i)", sourceLocation: sourceLocation)
            lineLength = 0
            i += 2
            continue
        }
        #expect(b != 0x0A, "bare LF at \(i)", sourceLocation: sourceLocation)
        lineLength += 1
        i += 1
    }
}

func address(_ a: String, _ name: String? = nil) -> EmailAddress {
    do { return try EmailAddress(address: a, name: name) } catch { fatalError("bad test address \(a): \(error)") }
}

let july1 = ISO8601DateFormatter().date(from: "2024-07-01T12:00:00Z")!

func message(
    from: EmailAddress = address("cobro@example.com", "Cobranzas"), to: [EmailAddress] = [address("ana@example.org")],
    replyTo: EmailAddress? = nil, subject: String = "Invoice INV-1 is overdue", text: String = "Hello", html: String? = nil,
    attachments: [EmailAttachment] = [], messageID: String = "<inv-1@mail.example.com>", headers: [(String, String)] = []
) throws -> EmailMessage {
    try EmailMessage(
        from: from, to: to, replyTo: replyTo, subject: subject, text: text, html: html, attachments: attachments, messageID: messageID,
        date: july1, headers: headers)
}
