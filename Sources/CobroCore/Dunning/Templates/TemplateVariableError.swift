/// A name in a template that its ``TemplateSchema`` does not allow there.
public struct TemplateVariableError: Error, Hashable, Sendable, Codable, CustomStringConvertible {
    public enum Problem: Hashable, Sendable, Codable {
        /// No field of that name is visible at this place.
        case unknown
        /// An item field of `list` used outside `{{#list}}…{{/list}}` (e.g. `{{ref}}` or `{{invoices.ref}}`).
        case outsideSection(list: String)
        /// A list inserted with `{{name}}`; lists are only usable as sections.
        case listAsValue
        /// A group inserted with `{{name}}`; insert one of its members instead.
        case groupAsValue(members: [String])
        /// A yes/no flag inserted with `{{name}}`; flags are only usable as sections.
        case flagAsValue
    }

    /// The name as written (`custmer.name`).
    public var name: String
    /// The tag's opening `{{`.
    public var position: TemplatePosition
    public var problem: Problem
    /// Closest valid names, best first (at most 5); empty when nothing is close.
    public var suggestions: [String]
    /// Every name valid at this position, sorted.
    public var validNames: [String]

    public init(name: String, position: TemplatePosition, problem: Problem, suggestions: [String] = [], validNames: [String] = []) {
        self.name = name
        self.position = position
        self.problem = problem
        self.suggestions = suggestions
        self.validNames = validNames
    }

    /// What is wrong and how to fix it, in English.
    public var message: String {
        switch problem {
        case .unknown:
            var m = "unknown variable '\(name)'"
            if !suggestions.isEmpty { m += "; did you mean " + suggestions.map { "'\($0)'" }.joined(separator: " or ") + "?" }
            if !validNames.isEmpty { m += " Valid names here: " + validNames.joined(separator: ", ") + "." }
            return m
        case .outsideSection(let list):
            return "'\(name)' is a field of each item in '\(list)'; use it inside {{#\(list)}}…{{/\(list)}}"
        case .listAsValue:
            return "'\(name)' is a list; use {{#\(name)}}…{{/\(name)}} to repeat text for each item"
        case .groupAsValue(let members):
            return "'\(name)' is a group of fields; insert one of them: " + members.joined(separator: ", ")
        case .flagAsValue:
            return "'\(name)' is a yes/no flag; use it as {{#\(name)}}…{{/\(name)}} or {{^\(name)}}…{{/\(name)}}"
        }
    }

    /// `line 3, column 5: …`
    public var description: String { "\(position): \(message)" }
}

/// Why a template was not accepted for saving: it does not parse, or it uses names its schema does not allow.
public enum TemplateRejection: Error, Hashable, Sendable, CustomStringConvertible {
    case syntax(TemplateSyntaxError)
    /// Every offending name, in the order they appear.
    case variables([TemplateVariableError])

    /// Where the (first) problem is.
    public var position: TemplatePosition? {
        switch self {
        case .syntax(let e): return e.position
        case .variables(let errors): return errors.first?.position
        }
    }

    public var description: String {
        switch self {
        case .syntax(let e): return e.description
        case .variables(let errors): return errors.map(\.description).joined(separator: "\n")
        }
    }

    /// What is wrong at ``position``, without the position (for reports that show it separately); later
    /// offending names follow with their own positions.
    public var messageAtPosition: String {
        switch self {
        case .syntax(let e): return e.message
        case .variables(let errors):
            return ([errors.first?.message ?? ""] + errors.dropFirst().map(\.description)).joined(separator: "; ")
        }
    }
}
