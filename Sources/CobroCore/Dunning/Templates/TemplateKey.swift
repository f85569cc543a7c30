/// Names a template by purpose; a dunning step refers to its template by key.
///
/// Companies may add their own keys; the shipped ones match the default policy.
public struct TemplateKey: RawRepresentable, Hashable, Comparable, Sendable, Codable, CodingKeyRepresentable,
    ExpressibleByStringLiteral, CustomStringConvertible
{
    public let rawValue: String

    public init(rawValue: String) { self.rawValue = rawValue }
    public init(_ rawValue: String) { self.rawValue = rawValue }
    public init(stringLiteral value: String) { self.rawValue = value }

    /// Friendly heads-up 5 days before the due date.
    public static let reminderBeforeDue: TemplateKey = "reminder_before_due"
    /// On the due date.
    public static let dueToday: TemplateKey = "due_today"
    /// 7 days past due: the payment has not arrived, maybe an oversight.
    public static let overdue7: TemplateKey = "overdue_7"
    /// 15 days past due: second reminder, asks about problems.
    public static let overdue15: TemplateKey = "overdue_15"
    /// 30 days past due: firm request to settle or call.
    public static let overdue30: TemplateKey = "overdue_30"
    /// 45 days past due: final automatic reminder.
    public static let finalNotice45: TemplateKey = "final_notice_45"
    /// Statement of account, sent instead of reminders to strategic customers.
    public static let accountStatement: TemplateKey = "account_statement"

    /// A payment plan's next installment is due in a few days (``InstallmentReminders``).
    public static let planInstallmentDue: TemplateKey = "plan_installment_due"
    /// A payment plan's installment is past its due date but still within grace.
    public static let planInstallmentLate: TemplateKey = "plan_installment_late"

    /// The keys Cobro ships templates for, in policy order with the statement, then the payment plan reminders, last.
    public static let shipped: [TemplateKey] = [
        .reminderBeforeDue, .dueToday, .overdue7, .overdue15, .overdue30, .finalNotice45, .accountStatement, .planInstallmentDue, .planInstallmentLate,
    ]

    public var description: String { rawValue }
    public static func < (a: TemplateKey, b: TemplateKey) -> Bool { a.rawValue < b.rawValue }

    public init?<T: CodingKey>(codingKey: T) { self.rawValue = codingKey.stringValue }
    public var codingKey: any CodingKey { Key(stringValue: rawValue) }

    private struct Key: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    public init(from decoder: any Decoder) throws {
        self.rawValue = try decoder.singleValueContainer().decode(String.self)
    }
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(rawValue)
    }
}
