/// One piece of a parsed template. A template is a list of nodes; sections hold their own nodes.
public enum TemplateNode: Hashable, Sendable, Codable {
    /// Literal text, copied to the output unchanged.
    case text(String)
    /// `{{name}}` (escaped per output mode) or `{{{name}}}` / `{{& name}}` (raw).
    case variable(Variable)
    /// `{{#name}}…{{/name}}` or, inverted, `{{^name}}…{{/name}}`.
    case section(Section)

    /// A value inserted into the output.
    public struct Variable: Hashable, Sendable, Codable {
        public var path: TemplatePath
        /// `false` for `{{{name}}}` and `{{& name}}`: the value is inserted as is, even in HTML.
        public var escaped: Bool
        /// Where the tag's opening `{{` is.
        public var position: TemplatePosition

        public init(path: TemplatePath, escaped: Bool, position: TemplatePosition) {
            self.path = path
            self.escaped = escaped
            self.position = position
        }
    }

    /// A block rendered once per list item, once for a truthy value, or (inverted) once for a falsy one.
    public struct Section: Hashable, Sendable, Codable {
        public var path: TemplatePath
        public var inverted: Bool
        public var children: [TemplateNode]
        /// Where the opening tag's `{{` is.
        public var position: TemplatePosition

        public init(path: TemplatePath, inverted: Bool, children: [TemplateNode], position: TemplatePosition) {
            self.path = path
            self.inverted = inverted
            self.children = children
            self.position = position
        }
    }
}
