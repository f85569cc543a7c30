/// Which contact details a customer has (on its billing contact), deciding which channels can be delivered.
public struct DunningReachability: Sendable, Codable, Hashable {
    public var hasEmail: Bool
    public var hasPhone: Bool
    public var hasPostalAddress: Bool

    public init(hasEmail: Bool, hasPhone: Bool, hasPostalAddress: Bool) {
        self.hasEmail = hasEmail
        self.hasPhone = hasPhone
        self.hasPostalAddress = hasPostalAddress
    }

    /// Email, phone and postal address.
    public static let all = DunningReachability(hasEmail: true, hasPhone: true, hasPostalAddress: true)

    /// Why `channel` cannot be delivered to this customer, or `nil` when it can (rules: ``DunningChannel``).
    /// An opt-out is reported before a missing contact detail.
    public func unavailability(of channel: DunningChannel, optedOut: Set<DunningChannel>) -> DunningChannelUnavailable.Reason? {
        if optedOut.contains(channel) { return .optedOut }
        switch channel {
        case .email: return hasEmail ? nil : .noEmailAddress
        case .sms: return hasPhone ? nil : .noPhoneNumber
        case .letter: return hasPostalAddress ? nil : .noPostalAddress
        case .call: return nil
        case .statement:
            if optedOut.contains(.email) { return .optedOut }
            return hasEmail ? nil : .noEmailAddress
        }
    }

    enum CodingKeys: String, CodingKey {
        case hasEmail = "has_email"
        case hasPhone = "has_phone"
        case hasPostalAddress = "has_postal_address"
    }
}
