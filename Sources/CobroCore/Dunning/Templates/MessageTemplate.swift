/// A message template, parsed once and rendered many times.
///
/// The language is a logic-less subset of Mustache:
/// - `{{name}}` inserts a value, escaped for HTML when rendering ``TemplateOutputMode/html``;
///   `{{{name}}}` and `{{& name}}` insert it raw. Names may be dotted: `{{customer.name}}`.
/// - `{{#name}}…{{/name}}` repeats its content for each item of a list (the item's fields become names),
///   renders it once for any other truthy value (see ``TemplateValue/isTruthy``), or not at all.
/// - `{{^name}}…{{/name}}` renders its content only when the value is missing or falsy (e.g. an empty list).
/// - `{{! comment }}` renders nothing and may span lines.
/// - A section, inverted-section, closing or comment tag alone on its line (only spaces or tabs beside it)
///   removes that whole line, so block tags leave no blank lines (Mustache's "standalone" rule).
/// Left out on purpose: partials `{{> x}}`, delimiter changes `{{=<% %>=}}`, the implicit iterator `{{.}}`, lambdas.
///
/// The template is stored and encoded as its source text; decoding parses it again.
public struct MessageTemplate: Hashable, Sendable, Codable, CustomStringConvertible {
    /// The text the template was parsed from.
    public let source: String
    /// The parsed form.
    public let nodes: [TemplateNode]

    /// Parses `source`, or throws the first syntax error with its line and column.
    public init(_ source: String) throws(TemplateSyntaxError) {
        self.nodes = try TemplateParser(source).parse()
        self.source = source
    }

    /// ``init(_:)`` as a `Result`.
    public static func parse(_ source: String) -> Result<MessageTemplate, TemplateSyntaxError> {
        do { return .success(try MessageTemplate(source)) } catch { return .failure(error) }
    }

    public var description: String { source }

    public static func == (a: MessageTemplate, b: MessageTemplate) -> Bool { a.source == b.source }
    public func hash(into h: inout Hasher) { h.combine(source) }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.singleValueContainer()
        let text = try c.decode(String.self)
        do { try self.init(text) } catch {
            throw DecodingError.dataCorruptedError(in: c, debugDescription: "template does not parse: \(error)")
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(source)
    }
}
