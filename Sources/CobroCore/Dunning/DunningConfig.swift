import Foundation

/// A company's dunning configuration, as one document: its policies and who gets which, its own template texts,
/// and its contact rules. Exported and imported as JSON or YAML with the same keys; every saved change is a new
/// version (issue 3, point 3).
///
/// JSON: `{"assignment": {"policies": […], "default": "cobro_default", …}, "templates": {…}, "contact": {…}}`;
/// `templates` and `contact` may be omitted.
public struct DunningConfig: Codable, Sendable, Hashable {
    public var assignment: DunningPolicyAssignment
    public var templates: CompanyTemplates
    public var contact: ContactRules

    public init(assignment: DunningPolicyAssignment = .standard, templates: CompanyTemplates = .init(), contact: ContactRules = .standard) {
        self.assignment = assignment
        self.templates = templates
        self.contact = contact
    }

    /// What a company uses until it saves its own: the shipped policies, the 6-step default for everyone, the
    /// shipped templates and Cobro's contact rules.
    public static let shipped = DunningConfig()

    /// The shipped templates in every shipped language. Only a broken build could make this fail (a test checks).
    public static let shippedTemplates: TemplateSet = (try? DefaultTemplates.templateSet()) ?? TemplateSet()

    /// The templates runs use: the shipped ones with the company's texts laid over them.
    public func effectiveTemplates() -> Result<TemplateSet, DunningConfigRejection> {
        templates.compiled(over: Self.shippedTemplates)
    }

    /// Every problem that makes the configuration unusable, each with the path of the field at fault: invalid
    /// policies or assignments, templates that do not compile (with line and column), steps naming a template
    /// that exists in no language, and malformed contact rules.
    public func validate() -> [DunningPolicyIssue] {
        var issues = assignment.validate().map { $0.nested(under: "assignment") }
        let effective: TemplateSet
        switch effectiveTemplates() {
        case .success(let set): effective = set
        case .failure(let rejection):
            issues += rejection.issues
            effective = Self.shippedTemplates
        }
        let known = Set(effective.templates.keys).union(templates.texts.keys)
        for (i, policy) in assignment.policies.enumerated() {
            for (j, step) in policy.steps.enumerated() where !known.contains(TemplateKey(step.templateKey)) {
                issues.append(DunningPolicyIssue(
                    path: "assignment.policies[\(i)].steps[\(j)].template_key",
                    message: "no template \"\(step.templateKey)\" (known: \(known.map(\.rawValue).sorted().joined(separator: ", ")))"))
            }
        }
        issues += contact.validate().map { $0.nested(under: "contact") }
        return issues
    }

    /// What is allowed but deserves a second look: SMS texts of the company's that take more than 2 segments.
    public func warnings() -> [DunningPolicyIssue] {
        guard case .success(let compiled) = effectiveTemplates() else { return [] }
        return templates.smsWarnings(compiled: compiled)
    }

    /// Pretty JSON with sorted keys, so two equal configurations export identically.
    public func json() -> String {
        let e = JSONEncoder()
        e.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        return (try? e.encode(self)).map { String(decoding: $0, as: UTF8.self) } ?? "{}"
    }

    enum CodingKeys: String, CodingKey, CaseIterable { case assignment, templates, contact }

    public init(from decoder: any Decoder) throws {
        try StrictKeys.check(decoder, CodingKeys.self)
        let c = try decoder.container(keyedBy: CodingKeys.self)
        assignment = try c.decodeIfPresent(DunningPolicyAssignment.self, forKey: .assignment) ?? .standard
        templates = try c.decodeIfPresent(CompanyTemplates.self, forKey: .templates) ?? .init()
        contact = try c.decodeIfPresent(ContactRules.self, forKey: .contact) ?? .standard
    }
}
