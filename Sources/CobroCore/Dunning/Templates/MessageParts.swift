/// One of the texts a template key has per language.
public enum MessagePart: String, CaseIterable, Hashable, Sendable, Codable {
    /// Email subject line.
    case subject
    /// Email HTML body (inline styles only, no external resources).
    case html
    /// Email plain-text twin of the HTML.
    case text
    /// SMS text; see ``SMSSegments``.
    case sms
    /// Body of a printed A4 letter (the letter layout adds the address block, date and page numbers).
    case letter

    /// How values are escaped in this part: HTML for ``html``, none for the others.
    public var outputMode: TemplateOutputMode { self == .html ? .html : .text }
}

/// The parsed texts of one template key in one language.
public struct MessageParts: Hashable, Sendable, Codable {
    public var subject: MessageTemplate
    public var html: MessageTemplate
    public var text: MessageTemplate
    public var sms: MessageTemplate
    public var letter: MessageTemplate

    public init(subject: MessageTemplate, html: MessageTemplate, text: MessageTemplate, sms: MessageTemplate, letter: MessageTemplate) {
        self.subject = subject
        self.html = html
        self.text = text
        self.sms = sms
        self.letter = letter
    }

    /// Parses and validates every part of `sources` against `schema`; the first part that fails is reported
    /// with its problem.
    public init(_ sources: MessageSources, schema: TemplateSchema) throws(MessagePartRejection) {
        func compile(_ part: MessagePart) throws(MessagePartRejection) -> MessageTemplate {
            do { return try schema.compile(sources[part]) } catch { throw MessagePartRejection(part: part, rejection: error) }
        }
        self.init(
            subject: try compile(.subject), html: try compile(.html), text: try compile(.text),
            sms: try compile(.sms), letter: try compile(.letter))
    }

    /// The source texts of the parts.
    public var sources: MessageSources {
        MessageSources(subject: subject.source, html: html.source, text: text.source, sms: sms.source, letter: letter.source)
    }

    public subscript(part: MessagePart) -> MessageTemplate {
        switch part {
        case .subject: return subject
        case .html: return html
        case .text: return text
        case .sms: return sms
        case .letter: return letter
        }
    }

    /// Renders every part with its own output mode. The subject is reduced to one line (line breaks and runs of
    /// spaces from inserted values become one space) because a mail header cannot hold a line break; the SMS goes
    /// through ``SMSText/gsmFriendly(_:)`` so that typographic spaces in amounts do not force UCS-2.
    public func render(_ context: TemplateValue) -> RenderedMessage {
        RenderedMessage(
            subject: render(.subject, context), html: render(.html, context), text: render(.text, context), sms: render(.sms, context),
            letter: render(.letter, context))
    }

    /// Renders one part, as ``render(_:)`` does (for a channel that needs only some parts).
    public func render(_ part: MessagePart, _ context: TemplateValue) -> String {
        let out = self[part].render(context, mode: part.outputMode)
        switch part {
        case .subject: return RenderedMessage.singleLine(out)
        case .sms: return SMSText.gsmFriendly(out)
        default: return out
        }
    }
}

/// The unparsed texts of one template key in one language, as an editor or a file holds them.
public struct MessageSources: Hashable, Sendable, Codable {
    public var subject: String
    public var html: String
    public var text: String
    public var sms: String
    public var letter: String

    public init(subject: String, html: String, text: String, sms: String, letter: String) {
        self.subject = subject
        self.html = html
        self.text = text
        self.sms = sms
        self.letter = letter
    }

    public subscript(part: MessagePart) -> String {
        switch part {
        case .subject: return subject
        case .html: return html
        case .text: return text
        case .sms: return sms
        case .letter: return letter
        }
    }
}

/// A part that was not accepted, and why.
public struct MessagePartRejection: Error, Hashable, Sendable, CustomStringConvertible {
    public var part: MessagePart
    public var rejection: TemplateRejection

    public init(part: MessagePart, rejection: TemplateRejection) {
        self.part = part
        self.rejection = rejection
    }

    public var description: String { "\(part.rawValue): \(rejection)" }
}

/// The texts of one message, ready for delivery.
public struct RenderedMessage: Hashable, Sendable, Codable {
    public var subject: String
    public var html: String
    public var text: String
    public var sms: String
    public var letter: String

    public init(subject: String, html: String, text: String, sms: String, letter: String) {
        self.subject = subject
        self.html = html
        self.text = text
        self.sms = sms
        self.letter = letter
    }

    static func singleLine(_ s: String) -> String {
        s.split(whereSeparator: { $0 == " " || $0 == "\t" || $0.isNewline }).joined(separator: " ")
    }
}
