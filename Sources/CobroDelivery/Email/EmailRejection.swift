/// Why a piece of an email was refused: which field, and what a valid value looks like.
public struct EmailRejection: Error, Hashable, Sendable, CustomStringConvertible {
    /// The field that was refused: `address`, `name`, `subject`, `header`, `message-id`, `attachment`, `to`, `dedupe key`.
    public let field: String
    /// What is wrong and what would be accepted, in one sentence.
    public let reason: String

    public init(field: String, reason: String) {
        self.field = field
        self.reason = reason
    }

    public var description: String { "\(field): \(reason)" }
}
