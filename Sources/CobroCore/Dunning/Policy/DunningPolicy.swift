/// An ordered list of dunning steps, exported and imported as JSON (or YAML with the same keys).
///
/// A policy with **no steps is the "no reminders" policy**: customers on it are skipped, and the dry run says so.
/// The planner only runs policies that pass ``validate()``.
///
/// JSON: `{"id": "cobro_default", "name": "Cobro default", "steps": [ … ]}` (`name` defaults to the id).
public struct DunningPolicy: Sendable, Codable, Hashable, Identifiable {
    /// Stable key the company's assignments and customer overrides refer to.
    public var id: String
    /// Display name.
    public var name: String
    /// Steps in order of strictly increasing ``DunningStep/offsetDays``; the index is the step's *level*.
    public var steps: [DunningStep]
    /// Late-payment interest (and fixed compensation) charged as a debit note with each message of this policy
    /// (``LateChargePosting``); `nil` charges none.
    public var lateInterest: LatePaymentPolicy?

    public init(id: String, name: String? = nil, steps: [DunningStep], lateInterest: LatePaymentPolicy? = nil) {
        self.id = id
        self.name = name ?? id
        self.steps = steps
        self.lateInterest = lateInterest
    }

    /// Whether this is a "no reminders" policy (no steps).
    public var sendsNoReminders: Bool { steps.isEmpty }

    enum CodingKeys: String, CodingKey, CaseIterable {
        case id, name, steps
        case lateInterest = "late_interest"
    }

    public init(from decoder: any Decoder) throws {
        try StrictKeys.check(decoder, CodingKeys.self)
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.id = try c.decode(String.self, forKey: .id)
        self.name = try c.decodeIfPresent(String.self, forKey: .name) ?? id
        self.steps = try c.decode([DunningStep].self, forKey: .steps)
        self.lateInterest = try c.decodeIfPresent(LatePaymentPolicy.self, forKey: .lateInterest)
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(id, forKey: .id)
        try c.encode(name, forKey: .name)
        try c.encode(steps, forKey: .steps)
        try c.encodeIfPresent(lateInterest, forKey: .lateInterest)
    }
}
