/// A problem with a policy (or a policy assignment): the field, as a path of JSON keys, and what would be valid.
///
/// `steps[2].offset_days: must be greater than 7 (steps[1].offset_days): offsets increase strictly from step to step`
public struct DunningPolicyIssue: Sendable, Codable, Hashable, CustomStringConvertible {
    /// JSON path of the field, e.g. `steps[2].offset_days`, `policies[1].steps[0].channels`, `segments["retail"]`.
    public var path: String
    /// What is wrong and what is valid.
    public var message: String
    /// Where in a template's text, for a template that does not compile.
    public var position: TemplatePosition?

    public init(path: String, message: String, position: TemplatePosition? = nil) {
        self.path = path
        self.message = message
        self.position = position
    }

    public var description: String { "\(path): \(message)" }

    /// The same issue under a parent path (`steps[0].id` → `policies[3].steps[0].id`).
    func nested(under parent: String) -> DunningPolicyIssue {
        DunningPolicyIssue(path: path.isEmpty ? parent : "\(parent).\(path)", message: message, position: position)
    }
}

/// Why a configuration (or part of one) was not accepted: every problem, in document order.
public struct DunningConfigRejection: Error, Sendable, Hashable, CustomStringConvertible {
    public var issues: [DunningPolicyIssue]
    public init(_ issues: [DunningPolicyIssue]) { self.issues = issues }
    public var description: String { issues.map(\.description).joined(separator: "\n") }
}
