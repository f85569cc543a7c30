/// Conditions a step's message must meet to be sent. A message that fails them is not sent and nothing is recorded,
/// so the step is evaluated again on the next run.
///
/// JSON: `{"min_overdue_base_minor": 5000, "skip_if_promise_or_plan": true}`; both keys may be omitted.
public struct DunningStepConditions: Sendable, Codable, Hashable {
    /// The message is sent only when its total eligible amount, converted into the company's base currency, is at
    /// least this many **minor units of the base currency** (e.g. 5000 = 50.00 EUR for a EUR company). `nil`: no
    /// minimum. Must be ≥ 0.
    public var minOverdueBaseMinor: Int64?
    /// Leave out items covered by an open promise to pay or an active payment plan (default `true`).
    public var skipIfPromiseOrPlan: Bool

    public init(minOverdueBaseMinor: Int64? = nil, skipIfPromiseOrPlan: Bool = true) {
        self.minOverdueBaseMinor = minOverdueBaseMinor
        self.skipIfPromiseOrPlan = skipIfPromiseOrPlan
    }

    /// No minimum; promise/plan-covered items are left out.
    public static let standard = DunningStepConditions()

    enum CodingKeys: String, CodingKey {
        case minOverdueBaseMinor = "min_overdue_base_minor"
        case skipIfPromiseOrPlan = "skip_if_promise_or_plan"
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.minOverdueBaseMinor = try c.decodeIfPresent(Int64.self, forKey: .minOverdueBaseMinor)
        self.skipIfPromiseOrPlan = try c.decodeIfPresent(Bool.self, forKey: .skipIfPromiseOrPlan) ?? true
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encodeIfPresent(minOverdueBaseMinor, forKey: .minOverdueBaseMinor)
        try c.encode(skipIfPromiseOrPlan, forKey: .skipIfPromiseOrPlan)
    }
}
