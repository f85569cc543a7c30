/// A channel that was passed over, and why.
public struct DunningChannelUnavailable: Sendable, Codable, Hashable, CustomStringConvertible {
    public enum Reason: String, Sendable, Codable, Hashable {
        case optedOut = "opted_out"
        case noEmailAddress = "no_email_address"
        case noPhoneNumber = "no_phone_number"
        case noPostalAddress = "no_postal_address"
    }

    public var channel: DunningChannel
    public var reason: Reason

    public init(_ channel: DunningChannel, _ reason: Reason) {
        self.channel = channel
        self.reason = reason
    }

    /// `email: no email address`
    public var description: String {
        let text =
            switch reason {
            case .optedOut: "opted out"
            case .noEmailAddress: "no email address"
            case .noPhoneNumber: "no phone number"
            case .noPostalAddress: "no postal address"
            }
        return "\(channel): \(text)"
    }
}

/// How one ``DunningStepChannel`` of a step resolved for a customer.
public struct DunningChannelChoice: Sendable, Codable, Hashable {
    /// The step's preferred channel for this entry.
    public var requested: DunningChannel
    /// The first deliverable channel of the chain, or `nil` when none is.
    public var chosen: DunningChannel?
    /// Channels of the chain tried before ``chosen`` (all of them when nothing was chosen), with the reason.
    public var passedOver: [DunningChannelUnavailable]

    public init(requested: DunningChannel, chosen: DunningChannel?, passedOver: [DunningChannelUnavailable]) {
        self.requested = requested
        self.chosen = chosen
        self.passedOver = passedOver
    }
}

/// The channels a step goes out on for one customer.
public struct DunningChannelSelection: Sendable, Codable, Hashable {
    /// One choice per step channel entry, in the step's order.
    public var choices: [DunningChannelChoice]

    public init(choices: [DunningChannelChoice]) { self.choices = choices }

    /// Resolves every entry of `channels` independently: the first channel of its chain (preferred, then fallbacks in
    /// order) that is not opted out and is reachable (rules: ``DunningChannel``).
    public static func select(
        _ channels: [DunningStepChannel], optedOut: Set<DunningChannel>, reachability: DunningReachability
    ) -> DunningChannelSelection {
        var choices: [DunningChannelChoice] = []
        for entry in channels {
            var passedOver: [DunningChannelUnavailable] = []
            var chosen: DunningChannel?
            for channel in entry.chain {
                if let reason = reachability.unavailability(of: channel, optedOut: optedOut) {
                    passedOver.append(DunningChannelUnavailable(channel, reason))
                } else {
                    chosen = channel
                    break
                }
            }
            choices.append(DunningChannelChoice(requested: entry.channel, chosen: chosen, passedOver: passedOver))
        }
        return DunningChannelSelection(choices: choices)
    }

    /// The channels to deliver on, in step order, each once.
    public var channels: [DunningChannel] {
        var seen: Set<DunningChannel> = []
        return choices.compactMap(\.chosen).filter { seen.insert($0).inserted }
    }

    /// Whether at least one channel can be delivered.
    public var isDeliverable: Bool { choices.contains { $0.chosen != nil } }

    /// Entries that could not be delivered on any channel of their chain.
    public var undeliverable: [DunningChannelChoice] { choices.filter { $0.chosen == nil } }
}
