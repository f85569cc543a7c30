/// The names a kind of template may use, as a tree: top-level fields, groups of fields (`customer.name`) and
/// lists whose items have their own fields (`invoices` → `ref`, `due_date`, …).
///
/// A template is checked against its schema when it is saved (``TemplateSchema/validate(_:)``), so a misspelt
/// name is rejected with its position instead of silently rendering as nothing.
public struct TemplateSchema: Hashable, Sendable, Codable {
    public var fields: [TemplateField]

    public init(_ fields: [TemplateField]) { self.fields = fields }

    /// The top-level field called `name`.
    public func field(named name: String) -> TemplateField? { fields.first { $0.name == name } }

    /// Every name usable outside any section, dotted for group members (`customer.name`), sorted.
    /// Item fields of lists are not included: they are valid only inside their list's section.
    public var topLevelNames: [String] { TemplateSchema.names(of: fields).sorted() }

    /// Names of `fields` as written in a template: groups expand to their dotted members.
    static func names(of fields: [TemplateField], prefix: String = "") -> [String] {
        var out: [String] = []
        for f in fields {
            let name = prefix + f.name
            out.append(name)
            if case .group(let members) = f.kind { out += names(of: members, prefix: name + ".") }
        }
        return out
    }
}

/// One declared name.
public struct TemplateField: Hashable, Sendable, Codable {
    /// What a name holds, which decides how a template may use it.
    public indirect enum Kind: Hashable, Sendable, Codable {
        /// Printable text: `{{name}}`; as a section, it renders when the text is not empty.
        case text
        /// Yes/no: only as a section, `{{#name}}…{{/name}}` or `{{^name}}…{{/name}}`.
        case flag
        /// A record whose members are reached as `name.member`, or by name inside `{{#name}}…{{/name}}`.
        case group([TemplateField])
        /// Records repeated by `{{#name}}…{{/name}}`; inside, the item fields are names too.
        case list([TemplateField])
    }

    public var name: String
    public var kind: Kind
    /// What the value is, for the template editor's help (English).
    public var summary: String

    public init(_ name: String, _ kind: Kind, _ summary: String) {
        self.name = name
        self.kind = kind
        self.summary = summary
    }

    public static func text(_ name: String, _ summary: String) -> TemplateField { TemplateField(name, .text, summary) }
    public static func flag(_ name: String, _ summary: String) -> TemplateField { TemplateField(name, .flag, summary) }
    public static func group(_ name: String, _ summary: String, _ members: [TemplateField]) -> TemplateField {
        TemplateField(name, .group(members), summary)
    }
    public static func list(_ name: String, _ summary: String, item: [TemplateField]) -> TemplateField {
        TemplateField(name, .list(item), summary)
    }
}
