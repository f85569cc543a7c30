/// A problem with a ``PaymentPlan`` or with the payments evaluated against it: the field and what would be valid.
///
/// `installments[2].dueDate: 2024-02-15 must be after installments[1].dueDate (2024-03-01): due dates increase strictly`
public struct PlanIssue: Error, Sendable, Hashable, CustomStringConvertible {
    /// The field, named as in Swift: `total`, `downPayment`, `installments`, `installments[2].amount`,
    /// `installments[0].dueDate`, `graceDays`, `missesToDefault`, `payments[3].amount`, `payments`.
    /// Indexes are 0-based positions in the array given.
    public var field: String
    /// What is wrong and what is valid.
    public var message: String

    public init(field: String, message: String) {
        self.field = field
        self.message = message
    }

    public var description: String { "\(field): \(message)" }
}
