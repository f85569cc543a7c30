/// Writing an ``EmailMessage`` as RFC 5322 / MIME bytes.
enum MIMEMessage {
    /// RFC 5322 §2.1.1: a line holds at most 998 characters before its CRLF.
    static let maxLineLength = 998
}

extension EmailMessage {
    /// The complete message, ready for SMTP `DATA` (before dot-stuffing): CRLF line endings throughout, ASCII only,
    /// every line at most 998 characters (78 wherever the content allows), ending with CRLF.
    ///
    /// Header order: Date, From, To, Reply-To, Subject, Message-ID, MIME-Version, the extra headers, then the
    /// content headers. Body: text only → `text/plain`; text and HTML → `multipart/alternative`; with attachments →
    /// `multipart/mixed` holding the text (or alternative) part and then each attachment.
    public func rendered() -> [UInt8] {
        var out: [UInt8] = []
        out += HeaderFolding.field("Date", [RFC5322Date.format(date)])
        out += HeaderFolding.field("From", addressTokens([from], field: "From"))
        out += HeaderFolding.field("To", addressTokens(to, field: "To"))
        if let replyTo { out += HeaderFolding.field("Reply-To", addressTokens([replyTo], field: "Reply-To")) }
        out += HeaderFolding.field("Subject", HeaderFolding.unstructuredTokens(subject, fieldName: "Subject"))
        out += HeaderFolding.field("Message-ID", [messageID])
        out += HeaderFolding.field("MIME-Version", ["1.0"])
        for (name, value) in headers {
            out += HeaderFolding.field(name, value.split(separator: " ", omittingEmptySubsequences: false).map(String.init))
        }
        out += body().serialized()
        if out.suffix(2) != MailSyntax.crlf[...] { out += MailSyntax.crlf }
        return out
    }

    /// The content entity: its headers become the message's content headers.
    func body() -> MIMEEntity {
        var content = MIMEEntity.text("plain", text)
        if let html {
            content = MIMEEntity.multipart("alternative", [content, MIMEEntity.text("html", html)], seed: messageID)
        }
        if !attachments.isEmpty {
            content = MIMEEntity.multipart("mixed", [content] + attachments.map(MIMEEntity.attachment), seed: messageID)
        }
        return content
    }

    /// Mailboxes separated by commas; each display name's first piece is sized to fit after `field: `.
    private func addressTokens(_ addresses: [EmailAddress], field: String) -> [String] {
        var tokens: [String] = []
        for (i, address) in addresses.enumerated() {
            var mailbox = address.headerTokens(firstLineRoom: HeaderFolding.firstLineRoom(field))
            if i < addresses.count - 1 { mailbox[mailbox.count - 1] += "," }
            tokens += mailbox
        }
        return tokens
    }
}
