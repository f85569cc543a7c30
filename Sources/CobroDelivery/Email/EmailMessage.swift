import Foundation

/// Everything needed to write one outgoing email; ``rendered()`` turns it into RFC 5322 bytes.
///
/// Pure: the date and the Message-ID are given by the caller (see ``messageID(key:domain:)``), so the same
/// message always renders to the same bytes. Nothing given here can add a header line: the subject and display
/// names are reduced to one line, and extra headers with a line break are refused.
public struct EmailMessage: Sendable {
    public let from: EmailAddress
    public let to: [EmailAddress]
    public let replyTo: EmailAddress?
    /// The subject reduced to one line (line breaks, tabs and control characters become single spaces).
    public let subject: String
    /// The plain-text body; `\n`, `\r\n` and `\r` all become CRLF line breaks.
    public let text: String
    /// The HTML twin of ``text``; when present the body is `multipart/alternative` (text first, HTML second).
    public let html: String?
    public let attachments: [EmailAttachment]
    /// `<id-left@id-right>`, angle brackets included.
    public let messageID: String
    public let date: Date
    /// Extra header fields written after the standard ones, in order (e.g. `List-Unsubscribe`).
    public let headers: [(name: String, value: String)]

    /// Fields the builder writes itself (or never writes, like `Bcc`), so they cannot be passed in `headers`.
    static let reservedHeaders: Set<String> = [
        "date", "from", "sender", "to", "cc", "bcc", "reply-to", "subject", "message-id", "mime-version",
        "content-type", "content-transfer-encoding", "content-disposition",
    ]

    /// - Throws: ``EmailRejection`` when `to` is empty, `messageID` is not `<left@domain>`, or an extra header has a
    ///   bad name, a reserved name, a line break or non-ASCII text in its value.
    public init(
        from: EmailAddress, to: [EmailAddress], replyTo: EmailAddress? = nil, subject: String, text: String, html: String? = nil,
        attachments: [EmailAttachment] = [], messageID: String, date: Date, headers: [(String, String)] = []
    ) throws(EmailRejection) {
        guard !to.isEmpty else { throw EmailRejection(field: "to", reason: "a message needs at least one recipient") }
        if let problem = Self.messageIDProblem(messageID) { throw EmailRejection(field: "message-id", reason: problem) }
        for (name, value) in headers {
            if let problem = Self.headerProblem(name: name, value: value) { throw EmailRejection(field: "header", reason: problem) }
        }
        self.from = from
        self.to = to
        self.replyTo = replyTo
        self.subject = MailSyntax.singleLine(subject)
        self.text = text
        self.html = html
        self.attachments = attachments
        self.messageID = messageID
        self.date = date
        self.headers = headers.map { (name: $0.0, value: $0.1.trimmingCharacters(in: [" ", "\t"])) }
    }

    static func messageIDProblem(_ id: String) -> String? {
        let valid =
            "a Message-ID is <left@domain> (angle brackets included, at most 500 characters) where left is letters, digits and "
            + "!#$%&'*+-/=?^_`{|}~ with single dots between them, e.g. <reminder-42@mail.example.com>; "
            + "EmailMessage.messageID(key:domain:) builds one from a dedupe key"
        guard id.utf8.count <= 500, id.utf8.allSatisfy({ $0 > 0x20 && $0 < 0x7F }), id.hasPrefix("<"), id.hasSuffix(">"), id.utf8.count > 2 else {
            return "\(id.debugDescription) is not valid; \(valid)"
        }
        let halves = id.dropFirst().dropLast().split(separator: "@", omittingEmptySubsequences: false)
        guard halves.count == 2, MailSyntax.isDotAtomText(halves[0]) else { return "\(id.debugDescription) is not valid; \(valid)" }
        if let domainProblem = MailSyntax.domainProblem(halves[1]) { return "in \(id.debugDescription), \(domainProblem)" }
        return nil
    }

    static func headerProblem(name: String, value: String) -> String? {
        guard !name.isEmpty, name.utf8.count <= 76, name.utf8.allSatisfy({ $0 > 0x20 && $0 < 0x7F && $0 != UInt8(ascii: ":") }) else {
            return "the header name \(name.debugDescription) must be 1–76 printable ASCII characters without spaces or colons, e.g. List-Unsubscribe"
        }
        guard !reservedHeaders.contains(name.lowercased()) else {
            return
                "\(name) is written by the message builder from its own fields (and Bcc is never written: blind copies go in the SMTP envelope only); "
                + "it cannot be passed as an extra header"
        }
        guard !value.unicodeScalars.contains(where: { $0 == "\r" || $0 == "\n" }) else {
            return "the value of \(name) contains a line break, which would start a new header line (header injection); give the value on one line"
        }
        let trimmed = value.trimmingCharacters(in: [" ", "\t"])
        guard !trimmed.isEmpty, trimmed.utf8.allSatisfy({ ($0 >= 0x20 && $0 < 0x7F) || $0 == 0x09 }) else {
            return "the value of \(name) must be non-empty printable ASCII (spaces and tabs allowed; encode other text with RFC 2047 first)"
        }
        let longest = trimmed.split(separator: " ").map(\.utf8.count).max() ?? 0
        guard name.utf8.count + 2 + longest <= MIMEMessage.maxLineLength else {
            return "the value of \(name) has a \(longest)-character word; a header line holds at most \(MIMEMessage.maxLineLength) characters "
                + "and can only be folded at spaces"
        }
        return nil
    }
}
