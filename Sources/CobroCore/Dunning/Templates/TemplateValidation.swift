extension TemplateSchema {
    /// Every name in `template` that this schema does not allow where it is used, in source order.
    ///
    /// Names are resolved like the renderer does: the first segment in the innermost enclosing scope that has it,
    /// the rest inside that field. `{{#list}}` makes the list's item fields visible inside it, `{{#group}}` the
    /// group's members; an inverted section adds nothing (it renders only when there is no item).
    /// `{{name}}` must name text; lists, groups and flags are only usable as sections.
    public func validate(_ template: MessageTemplate) -> [TemplateVariableError] {
        var errors: [TemplateVariableError] = []
        walk(template.nodes, scopes: [fields], errors: &errors)
        return errors
    }

    /// Parses and validates `source`: the template to save, or why it is rejected (with positions).
    public func compile(_ source: String) throws(TemplateRejection) -> MessageTemplate {
        let template: MessageTemplate
        do { template = try MessageTemplate(source) } catch { throw .syntax(error) }
        let errors = validate(template)
        if !errors.isEmpty { throw .variables(errors) }
        return template
    }

    private func walk(_ nodes: [TemplateNode], scopes: [[TemplateField]], errors: inout [TemplateVariableError]) {
        for node in nodes {
            switch node {
            case .text:
                continue
            case .variable(let v):
                switch resolve(v.path, scopes: scopes) {
                case .field(let kind):
                    let problem: TemplateVariableError.Problem?
                    switch kind {
                    case .text: problem = nil
                    case .flag: problem = .flagAsValue
                    case .list: problem = .listAsValue
                    case .group(let members): problem = .groupAsValue(members: TemplateSchema.names(of: members, prefix: v.path.dotted + "."))
                    }
                    if let problem { errors.append(TemplateVariableError(name: v.path.dotted, position: v.position, problem: problem)) }
                case .problem(let problem):
                    errors.append(error(problem, path: v.path, at: v.position, scopes: scopes))
                }
            case .section(let s):
                var inner = scopes
                switch resolve(s.path, scopes: scopes) {
                case .field(.list(let item)) where !s.inverted: inner.append(item)
                case .field(.group(let members)) where !s.inverted: inner.append(members)
                case .field: break
                case .problem(let problem): errors.append(error(problem, path: s.path, at: s.position, scopes: scopes))
                }
                walk(s.children, scopes: inner, errors: &errors)
            }
        }
    }

    private enum Resolution {
        case field(TemplateField.Kind)
        case problem(TemplateVariableError.Problem)
    }

    private func resolve(_ path: TemplatePath, scopes: [[TemplateField]]) -> Resolution {
        guard let first = path.segments.first else { return .problem(.unknown) }
        guard let field = scopes.reversed().lazy.compactMap({ $0.first { $0.name == first } }).first else {
            if let list = listHaving(itemField: first, in: fields) { return .problem(.outsideSection(list: list)) }
            return .problem(.unknown)
        }
        var kind = field.kind
        var walked = first
        for segment in path.segments.dropFirst() {
            switch kind {
            case .group(let members):
                guard let member = members.first(where: { $0.name == segment }) else { return .problem(.unknown) }
                kind = member.kind
                walked += "." + segment
            case .list(let item) where item.contains(where: { $0.name == segment }):
                return .problem(.outsideSection(list: walked))
            case .list, .text, .flag:
                return .problem(.unknown)
            }
        }
        return .field(kind)
    }

    /// The name of a list (anywhere in `fields`) whose items have a field called `name`: dotted for a list inside
    /// a group, bare for a list inside another list's items.
    private func listHaving(itemField name: String, in fields: [TemplateField], prefix: String = "") -> String? {
        for f in fields {
            switch f.kind {
            case .list(let item):
                if item.contains(where: { $0.name == name }) { return prefix + f.name }
                // A list inside list items is opened by its bare name within the outer section.
                if let found = listHaving(itemField: name, in: item) { return found }
            case .group(let members):
                if let found = listHaving(itemField: name, in: members, prefix: prefix + f.name + ".") { return found }
            case .text, .flag:
                continue
            }
        }
        return nil
    }

    private func error(
        _ problem: TemplateVariableError.Problem, path: TemplatePath, at position: TemplatePosition, scopes: [[TemplateField]]
    ) -> TemplateVariableError {
        let visible = Array(Set(scopes.flatMap { TemplateSchema.names(of: $0) })).sorted()
        let name = path.dotted
        let suggestions = problem == .unknown ? TemplateSchema.suggestions(for: name, among: visible) : []
        return TemplateVariableError(name: name, position: position, problem: problem, suggestions: suggestions, validNames: visible)
    }

    /// Names close to `name`: by edit distance (at most a third of its length, at least 1, at most 3), or, for
    /// an undotted name, members whose last part is that name (`name` → `customer.name`). Best first, at most 5.
    static func suggestions(for name: String, among candidates: [String]) -> [String] {
        let limit = max(1, min(3, name.count / 3))
        let dotted = name.contains(".")
        var scored: [(score: Int, name: String)] = []
        for c in candidates {
            var score = editDistance(name, c)
            if !dotted, let last = c.split(separator: ".").last, c.contains(".") {
                score = min(score, editDistance(name, String(last)) + 1)
            }
            if score > 0, score <= limit { scored.append((score, c)) }
        }
        return scored.sorted { ($0.score, $0.name) < ($1.score, $1.name) }.prefix(5).map(\.name)
    }
}
