/// One rung of a dunning policy: when it is due, how it goes out, and what else it does.
///
/// JSON keys: `id`, `offset_days`, `channels`, `template_key`, `conditions` (optional), `escalations` (optional),
/// `late_fee` (optional).
public struct DunningStep: Sendable, Codable, Hashable, Identifiable {
    /// Stable key of the step. It is half of the dunning ledger key `(invoice, step id)`, so it must never be
    /// renamed once used: a renamed step counts as a new step and would be sent again.
    public var id: String
    /// Days relative to the item's due date (−5 = five days before, 0 = on the due date, 7 = a week after).
    /// The step is due for an item when `dueDate + offsetDays ≤ asOf`.
    public var offsetDays: Int
    /// The channels the step goes out on, **all** of them, each with its own fallback chain.
    public var channels: [DunningStepChannel]
    /// The message template to render (per language, resolved by the delivery layer).
    public var templateKey: String
    public var conditions: DunningStepConditions
    /// Actions to take when the step's message is sent, in order.
    public var escalations: [DunningEscalation]
    public var lateFee: DunningLateFee?

    public init(
        id: String, offsetDays: Int, channels: [DunningStepChannel], templateKey: String? = nil,
        conditions: DunningStepConditions = .standard, escalations: [DunningEscalation] = [], lateFee: DunningLateFee? = nil
    ) {
        self.id = id
        self.offsetDays = offsetDays
        self.channels = channels
        self.templateKey = templateKey ?? id
        self.conditions = conditions
        self.escalations = escalations
        self.lateFee = lateFee
    }

    /// The first date the step is due for an item with this due date.
    public func dueDate(forItemDueOn itemDueDate: LocalDate) -> LocalDate { itemDueDate.adding(days: offsetDays) }

    enum CodingKeys: String, CodingKey, CaseIterable {
        case id
        case offsetDays = "offset_days"
        case channels
        case templateKey = "template_key"
        case conditions, escalations
        case lateFee = "late_fee"
    }

    public init(from decoder: any Decoder) throws {
        try StrictKeys.check(decoder, CodingKeys.self)
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.id = try c.decode(String.self, forKey: .id)
        self.offsetDays = try c.decode(Int.self, forKey: .offsetDays)
        self.channels = try c.decode([DunningStepChannel].self, forKey: .channels)
        self.templateKey = try c.decode(String.self, forKey: .templateKey)
        self.conditions = try c.decodeIfPresent(DunningStepConditions.self, forKey: .conditions) ?? .standard
        self.escalations = try c.decodeIfPresent([DunningEscalation].self, forKey: .escalations) ?? []
        self.lateFee = try c.decodeIfPresent(DunningLateFee.self, forKey: .lateFee)
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(id, forKey: .id)
        try c.encode(offsetDays, forKey: .offsetDays)
        try c.encode(channels, forKey: .channels)
        try c.encode(templateKey, forKey: .templateKey)
        try c.encode(conditions, forKey: .conditions)
        try c.encode(escalations, forKey: .escalations)
        try c.encodeIfPresent(lateFee, forKey: .lateFee)
    }
}
