/// A way a dunning step reaches a customer.
///
/// What each channel needs to be deliverable (see ``DunningReachability/unavailability(of:optedOut:)``):
/// - ``email``: an email address; the customer has not opted out of `email`.
/// - ``sms``: a phone number; not opted out of `sms`.
/// - ``letter``: a postal address (a PDF letter is printed and posted); not opted out of `letter`.
/// - ``call``: nothing: a call is a *task* for the collector, who finds the number; only an opt-out of `call` stops it.
/// - ``statement``: an account statement sent by email, so it needs an email address and no opt-out of `statement`
///   **or** of `email` (a customer who refused email gets no statement email either).
public enum DunningChannel: String, Sendable, Codable, Hashable, CaseIterable, Comparable, CustomStringConvertible {
    case email
    case sms
    case letter
    case call
    case statement

    public var description: String { rawValue }

    /// Declaration order (email < sms < letter < call < statement), used only to sort sets deterministically.
    public static func < (a: DunningChannel, b: DunningChannel) -> Bool { a.rank < b.rank }

    private var rank: Int {
        switch self {
        case .email: 0
        case .sms: 1
        case .letter: 2
        case .call: 3
        case .statement: 4
        }
    }
}
