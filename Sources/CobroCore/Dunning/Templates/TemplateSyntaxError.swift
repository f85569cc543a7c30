/// Why a template's text could not be parsed, and where.
public struct TemplateSyntaxError: Error, Hashable, Sendable, Codable, CustomStringConvertible {
    /// The kind of mistake, stable for API clients and tests.
    public enum Code: String, Hashable, Sendable, Codable {
        /// `{{` without its closing `}}` (or `{{{` without `}}}`).
        case unclosedTag = "unclosed_tag"
        /// `{{#name}}` or `{{^name}}` without `{{/name}}` before the end of the template.
        case unclosedSection = "unclosed_section"
        /// `{{/other}}` while the innermost open section is a different name.
        case mismatchedSection = "mismatched_section"
        /// `{{/name}}` with no section open.
        case unexpectedClose = "unexpected_close"
        /// The tag holds no name or a name that is not `letters.digits_and_underscores`.
        case invalidName = "invalid_name"
        /// A Mustache feature this subset leaves out (partials `{{>`, delimiter changes `{{=`).
        case unsupportedTag = "unsupported_tag"
    }

    public var code: Code
    /// For a section left open, the opening tag; otherwise the tag where the problem was found.
    public var position: TemplatePosition
    /// What was expected and what was found, in English.
    public var message: String

    public init(_ code: Code, at position: TemplatePosition, _ message: String) {
        self.code = code
        self.position = position
        self.message = message
    }

    /// `line 3, column 5: …`
    public var description: String { "\(position): \(message)" }
}
