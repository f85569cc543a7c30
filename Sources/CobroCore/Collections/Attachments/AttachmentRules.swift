import Foundation

/// The kinds of file Cobro accepts as attachments (issue 4, point 8): documents, scans and photos, and e-mails
/// exported from a mail client. Each is recognised by its content, not only by what the sender says it is.
public enum AttachmentKind: String, Sendable, Hashable, CaseIterable, Codable {
    case pdf, png, jpeg, gif, webp, tiff, eml, msg

    public var contentType: String {
        switch self {
        case .pdf: return "application/pdf"
        case .png: return "image/png"
        case .jpeg: return "image/jpeg"
        case .gif: return "image/gif"
        case .webp: return "image/webp"
        case .tiff: return "image/tiff"
        case .eml: return "message/rfc822"
        case .msg: return "application/vnd.ms-outlook"
        }
    }

    public var extensions: [String] {
        switch self {
        case .pdf: return ["pdf"]
        case .png: return ["png"]
        case .jpeg: return ["jpg", "jpeg"]
        case .gif: return ["gif"]
        case .webp: return ["webp"]
        case .tiff: return ["tif", "tiff"]
        case .eml: return ["eml"]
        case .msg: return ["msg"]
        }
    }

    /// What the content of a file of this kind starts with, in words (for error messages).
    var signature: String {
        switch self {
        case .pdf: return "%PDF-"
        case .png: return "the PNG signature"
        case .jpeg: return "the JPEG start-of-image marker"
        case .gif: return "GIF87a or GIF89a"
        case .webp: return "a RIFF/WEBP header"
        case .tiff: return "a TIFF byte-order header"
        case .eml: return "mail header lines (including From:)"
        case .msg: return "the Outlook (OLE compound file) signature"
        }
    }

    /// Whether `bytes` look like a file of this kind.
    func matches(_ bytes: [UInt8]) -> Bool {
        func starts(_ prefix: [UInt8], at offset: Int = 0) -> Bool {
            bytes.count >= offset + prefix.count && Array(bytes[offset..<offset + prefix.count]) == prefix
        }
        switch self {
        case .pdf:
            // Readers accept the header anywhere in the first 1024 bytes.
            let head = Array(bytes.prefix(1024)), marker = Array("%PDF-".utf8)
            return head.count >= marker.count && (0...(head.count - marker.count)).contains { Array(head[$0..<$0 + marker.count]) == marker }
        case .png: return starts([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A])
        case .jpeg: return starts([0xFF, 0xD8, 0xFF])
        case .gif: return starts(Array("GIF87a".utf8)) || starts(Array("GIF89a".utf8))
        case .webp: return starts(Array("RIFF".utf8)) && starts(Array("WEBP".utf8), at: 8)
        case .tiff: return starts([0x49, 0x49, 0x2A, 0x00]) || starts([0x4D, 0x4D, 0x00, 0x2A])
        case .msg: return starts([0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1])
        case .eml: return Self.looksLikeMail(bytes)
        }
    }

    /// An RFC 5322 message: text without NUL bytes whose header block (up to the first empty line) is made of
    /// `Name: value` fields and folded continuation lines, and has a From field.
    static func looksLikeMail(_ bytes: [UInt8]) -> Bool {
        let head = Array(bytes.prefix(64 * 1024))
        guard !head.contains(0) else { return false }
        let text = String(decoding: head, as: UTF8.self)
        var sawFrom = false, lines = 0
        // "\r\n" is one Character in Swift, so split on newlines, not on "\n".
        for line in text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline) {
            if line.isEmpty { break }
            lines += 1
            if line.first == " " || line.first == "\t" {
                if lines == 1 { return false }
                continue
            }
            guard let colon = line.firstIndex(of: ":"), colon != line.startIndex else { return false }
            let name = line[..<colon]
            guard name.allSatisfy({ $0.isASCII && $0 != " " && ($0.asciiValue ?? 0) > 32 && ($0.asciiValue ?? 0) < 127 }) else { return false }
            if name.lowercased() == "from" { sawFrom = true }
        }
        return sawFrom
    }
}

/// What may be attached, and how a file given by a user is checked before anything is stored.
public enum AttachmentRules {
    /// Default largest file: 10 MiB (a scanned multi-page PDF fits; a video does not).
    public static let defaultMaxBytes = 10 << 20
    /// Default days a deleted attachment stays restorable before its content is purged.
    public static let defaultRetentionDays = 30

    public enum Verdict: Sendable, Hashable {
        case accepted(AttachmentKind)
        case refused([Problem])
    }

    public struct Problem: Sendable, Hashable {
        public var field: String
        public var message: String
        /// The file is larger than allowed (the API answers 413).
        public var tooLarge: Bool
        init(_ field: String, _ message: String, tooLarge: Bool = false) {
            self.field = field
            self.message = message
            self.tooLarge = tooLarge
        }
    }

    /// The file name to store: the last path component, without control characters, at most 200 characters (keeping
    /// the extension).
    public static func cleanFileName(_ name: String) -> String {
        let last = name.split(whereSeparator: { $0 == "/" || $0 == "\\" }).last.map(String.init) ?? ""
        let clean = String(last.unicodeScalars.filter { $0.value >= 32 && !(0x7F...0x9F).contains($0.value) }.map(Character.init))
            .trimmingCharacters(in: .whitespaces)
        guard clean.count > 200 else { return clean }
        // Keep the extension: it decides the type.
        let ext = clean.split(separator: ".").count > 1 ? String(clean.split(separator: ".").last!.prefix(16)) : ""
        return ext.isEmpty ? String(clean.prefix(200)) : String(clean.prefix(199 - ext.count)) + "." + ext
    }

    /// Checks a file: a name with an accepted extension, a declared content type that agrees with it (or none /
    /// `application/octet-stream`), a size within `maxBytes`, and content that really is of that kind. Returns the
    /// kind, or every problem found (the size problem alone when the file is too large).
    public static func check(fileName: String, declaredType: String?, bytes: [UInt8], maxBytes: Int) -> Verdict {
        if bytes.count > maxBytes {
            return .refused([Problem("content", "the file is \(megabytes(bytes.count)); the limit is \(megabytes(maxBytes))", tooLarge: true)])
        }
        var problems: [Problem] = []
        if bytes.isEmpty { problems.append(Problem("content", "the file is empty")) }
        let accepted = AttachmentKind.allCases.map { "." + $0.extensions[0] }.joined(separator: ", ")
        let name = cleanFileName(fileName)
        let ext = name.split(separator: ".").count > 1 ? name.split(separator: ".").last.map { $0.lowercased() } : nil
        let byName = ext.flatMap { e in AttachmentKind.allCases.first { $0.extensions.contains(e) } }
        if name.isEmpty {
            problems.append(Problem("file_name", "give the file's name, e.g. invoice-scan.pdf"))
        } else if byName == nil {
            problems.append(Problem("file_name", "\"\(name)\" does not end in an accepted extension (\(accepted))"))
        }
        let declared = declaredType.map { $0.split(separator: ";").first.map { $0.trimmingCharacters(in: .whitespaces).lowercased() } ?? "" }
        var byType: AttachmentKind?
        if let declared, !declared.isEmpty, declared != "application/octet-stream" {
            // Browsers and mail clients send a few aliases.
            let aliases = ["image/jpg": AttachmentKind.jpeg, "image/pjpeg": .jpeg, "application/x-pdf": .pdf, "application/vnd.ms-outlook-msg": .msg]
            byType = AttachmentKind.allCases.first { $0.contentType == declared } ?? aliases[declared]
            if byType == nil {
                problems.append(Problem("content_type", "\(declared) is not accepted; send \(AttachmentKind.allCases.map(\.contentType).joined(separator: ", "))"))
            }
        }
        if let byName, let byType, byName != byType {
            problems.append(Problem("content_type", "\(byType.contentType) does not match the file name \"\(name)\" (\(byName.contentType))"))
        }
        guard problems.isEmpty, let kind = byType ?? byName else { return .refused(problems) }
        guard kind.matches(bytes) else {
            return .refused([Problem("content", "the content is not a \(kind.extensions[0].uppercased()) file (it does not start with \(kind.signature))")])
        }
        return .accepted(kind)
    }

    /// A size for people, rounded up so a file just over the limit never reads as equal to it.
    static func megabytes(_ n: Int) -> String {
        if n < 1 << 20 { return "\((n + 1023) / 1024) KiB" }
        let tenths = (n * 10 + (1 << 20) - 1) >> 20
        return "\(tenths / 10).\(tenths % 10) MiB"
    }
}
