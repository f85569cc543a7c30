/// Data given to a template when it is rendered: text, yes/no flags, lists of records and records.
///
/// Encoded as plain JSON (`"text"`, `true`, `[{…}]`, `{…}`), so a preview request can send a context as is;
/// JSON integers are accepted and become text. Lists hold records (objects), because templates reach list items
/// only through their fields (`{{#invoices}}{{ref}}{{/invoices}}`).
public enum TemplateValue: Hashable, Sendable, Codable {
    case string(String)
    case bool(Bool)
    case list([[String: TemplateValue]])
    case object([String: TemplateValue])

    /// Whether a section `{{#name}}` renders: non-empty text, `true`, a non-empty list, any object.
    /// An inverted section `{{^name}}` renders exactly when this is `false` (or the name is missing).
    public var isTruthy: Bool {
        switch self {
        case .string(let s): return !s.isEmpty
        case .bool(let b): return b
        case .list(let items): return !items.isEmpty
        case .object: return true
        }
    }

    /// The field `name` of an object; `nil` for anything else or a missing field.
    public subscript(_ name: String) -> TemplateValue? {
        if case .object(let fields) = self { return fields[name] }
        return nil
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.singleValueContainer()
        if let b = try? c.decode(Bool.self) {
            self = .bool(b)
        } else if let s = try? c.decode(String.self) {
            self = .string(s)
        } else if let i = try? c.decode(Int64.self) {
            self = .string(String(i))
        } else if let o = try? c.decode([String: TemplateValue].self) {
            self = .object(o)
        } else if let l = try? c.decode([[String: TemplateValue]].self) {
            self = .list(l)
        } else {
            throw DecodingError.dataCorruptedError(
                in: c, debugDescription: "expected text, true/false, an integer, an object or a list of objects")
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        switch self {
        case .string(let s): try c.encode(s)
        case .bool(let b): try c.encode(b)
        case .list(let l): try c.encode(l)
        case .object(let o): try c.encode(o)
        }
    }
}

extension TemplateValue: ExpressibleByStringLiteral, ExpressibleByBooleanLiteral, ExpressibleByDictionaryLiteral,
    ExpressibleByArrayLiteral
{
    public init(stringLiteral value: String) { self = .string(value) }
    public init(booleanLiteral value: Bool) { self = .bool(value) }
    public init(dictionaryLiteral elements: (String, TemplateValue)...) {
        self = .object(Dictionary(elements, uniquingKeysWith: { _, last in last }))
    }
    public init(arrayLiteral elements: [String: TemplateValue]...) { self = .list(elements) }
}
