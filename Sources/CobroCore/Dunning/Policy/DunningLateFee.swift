/// A late fee a step charges, held as data only: the planner copies it onto the message and neither computes nor
/// books it (charging fees is a separate feature).
///
/// JSON: `{"type": "fixed", "amounts": [{"currency": "EUR", "amount_minor": 4000}]}` or
/// `{"type": "percent", "basis_points": 150}`.
public enum DunningLateFee: Sendable, Codable, Hashable {
    /// A fixed fee per currency: the amount for the message's currency applies (none if the currency is not listed).
    case fixed([Amount])
    /// A percentage of the overdue (eligible) amount of the message, in basis points (150 = 1.50 %), 0…10000.
    case percent(basisPoints: Int)

    /// A fee amount in one currency, in minor units.
    public struct Amount: Sendable, Codable, Hashable {
        public var currency: Currency
        public var amountMinor: Int64

        public init(_ currency: Currency, minor: Int64) {
            self.currency = currency
            self.amountMinor = minor
        }

        enum CodingKeys: String, CodingKey {
            case currency
            case amountMinor = "amount_minor"
        }
    }

    enum CodingKeys: String, CodingKey {
        case type, amounts
        case basisPoints = "basis_points"
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let type = try c.decode(String.self, forKey: .type)
        switch type {
        case "fixed": self = .fixed(try c.decode([Amount].self, forKey: .amounts))
        case "percent": self = .percent(basisPoints: try c.decode(Int.self, forKey: .basisPoints))
        default:
            throw DecodingError.dataCorruptedError(
                forKey: .type, in: c, debugDescription: "unknown late fee type \"\(type)\" (use \"fixed\" or \"percent\")")
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        switch self {
        case .fixed(let amounts):
            try c.encode("fixed", forKey: .type)
            try c.encode(amounts, forKey: .amounts)
        case .percent(let bp):
            try c.encode("percent", forKey: .type)
            try c.encode(bp, forKey: .basisPoints)
        }
    }
}
