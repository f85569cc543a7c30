/// One channel a step must go out on, with the channels to try instead, in order, when it cannot be delivered.
///
/// A step holds a list of these and delivers on **all** of them ("email + call task"); each entry independently
/// falls back along its own chain ("email, else letter"). So `[email → letter, call]` means: a call task, plus an
/// email, or a letter when the email cannot be delivered. When two entries end on the same channel the channel is
/// used once. JSON: `{"channel": "email", "fallback": ["letter"]}` (`fallback` may be omitted).
public struct DunningStepChannel: Sendable, Codable, Hashable {
    /// The preferred channel.
    public var channel: DunningChannel
    /// Channels tried in order when the preferred one (and every earlier fallback) is not deliverable.
    public var fallback: [DunningChannel]

    public init(_ channel: DunningChannel, fallback: [DunningChannel] = []) {
        self.channel = channel
        self.fallback = fallback
    }

    /// The preferred channel followed by its fallbacks.
    public var chain: [DunningChannel] { [channel] + fallback }

    enum CodingKeys: String, CodingKey {
        case channel, fallback
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.channel = try c.decode(DunningChannel.self, forKey: .channel)
        self.fallback = try c.decodeIfPresent([DunningChannel].self, forKey: .fallback) ?? []
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(channel, forKey: .channel)
        try c.encode(fallback, forKey: .fallback)
    }
}
