/// How inserted values are written into the output.
public enum TemplateOutputMode: String, Hashable, Sendable, Codable {
    /// HTML: `{{name}}` escapes `& < > " '`; raw tags do not.
    case html
    /// Plain text (email text part, SMS, letters, subjects): values are inserted unchanged.
    case text
}

extension MessageTemplate {
    /// Renders the template against `context` (normally an object).
    ///
    /// Rendering never fails: a name that resolves to nothing renders as empty text and makes a section false.
    /// Only text values print; flags, lists and objects inserted with `{{name}}` print nothing (validation
    /// against a ``TemplateSchema`` rejects such templates before they are saved).
    public func render(_ context: TemplateValue, mode: TemplateOutputMode) -> String {
        var out = ""
        var stack = [context]
        TemplateRenderer(mode: mode).render(nodes, stack: &stack, into: &out)
        return out
    }
}

struct TemplateRenderer {
    let mode: TemplateOutputMode

    func render(_ nodes: [TemplateNode], stack: inout [TemplateValue], into out: inout String) {
        for node in nodes {
            switch node {
            case .text(let t):
                out += t
            case .variable(let v):
                guard case .string(let s)? = TemplateRenderer.resolve(v.path, in: stack) else { continue }
                out += (v.escaped && mode == .html) ? TemplateRenderer.escapeHTML(s) : s
            case .section(let section):
                let value = TemplateRenderer.resolve(section.path, in: stack)
                let truthy = value?.isTruthy ?? false
                if section.inverted {
                    if !truthy { render(section.children, stack: &stack, into: &out) }
                } else if truthy, let value {
                    if case .list(let items) = value {
                        for item in items {
                            stack.append(.object(item))
                            render(section.children, stack: &stack, into: &out)
                            stack.removeLast()
                        }
                    } else {
                        stack.append(value)
                        render(section.children, stack: &stack, into: &out)
                        stack.removeLast()
                    }
                }
            }
        }
    }

    /// Mustache lookup: the first segment in the innermost context that has it, the rest inside that value.
    static func resolve(_ path: TemplatePath, in stack: [TemplateValue]) -> TemplateValue? {
        guard let first = path.segments.first else { return nil }
        var found: TemplateValue?
        for context in stack.reversed() {
            if let v = context[first] {
                found = v
                break
            }
        }
        for segment in path.segments.dropFirst() {
            found = found?[segment]
        }
        return found
    }

    /// Replaces `& < > " '` with character references.
    static func escapeHTML(_ s: String) -> String {
        guard s.unicodeScalars.contains(where: { "&<>\"'".unicodeScalars.contains($0) }) else { return s }
        var out = ""
        out.reserveCapacity(s.utf8.count + 16)
        for u in s.unicodeScalars {
            switch u {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.unicodeScalars.append(u)
            }
        }
        return out
    }
}
