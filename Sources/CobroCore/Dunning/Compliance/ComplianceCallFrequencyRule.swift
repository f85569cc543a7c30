/// The US Regulation F telephone-call frequency presumptions (12 CFR 1006.14(b)(2)–(3)), evaluated for
/// **one person and one debt**: the caller passes only that pair's calls (across all of the person's numbers).
///
/// Contract (reference §3.1, test cases 1–3):
/// - **7 in 7**: a call is blocked if, counting it, any 7 consecutive local days that contain its date hold
///   more than `maxCalls` (7) counted calls.
/// - **After a conversation**: a call is blocked on the conversation date and the following
///   `quietDaysAfterConversation − 1` days (the conversation date is day 1, so after a Monday conversation the next call is
///   the next Monday). Conversations in either direction count (an inbound call from the person counts for
///   this presumption but is not a placed call).
/// - **Excluded calls**: a call placed within a direct prior consent period (consent given directly by the
///   person, for at most `consentDays` (7) consecutive days; it may end earlier), and a call that did not
///   connect to the dialed number, do not count toward either presumption. A call placed under consent is
///   allowed even inside a post-conversation quiet period.
/// - Which 7 days consent covers is ambiguous ("within seven consecutive days after receiving" it). The
///   default, ``ConsentDayCounting/followingDays``, follows reference test case 3 literally ("you may call me
///   tomorrow" → calls in the next 7 days are excluded): the 7 days after the day it was received. Calls on
///   the day of receipt still count, which also covers calls placed that day before the consent arrived
///   (only dates are known). ``ConsentDayCounting/receiptDayIsDayOne`` counts like the conversation rule.
/// - Days are local calendar dates at the consumer's location (convert instants with ``ZonedWallClock``).
/// - These are rebuttable presumptions, not a cap; this type reports whether a call would fall inside them.
public struct CallFrequencyRule: Hashable, Sendable, Codable {
    /// Calls allowed in any `windowDays` consecutive days (Reg F: 7).
    public var maxCalls: Int
    /// Width of the rolling window in days (Reg F: 7).
    public var windowDays: Int
    /// Days, starting with the conversation date, in which no call may be placed (Reg F: 7).
    public var quietDaysAfterConversation: Int
    /// Longest direct-prior-consent period in days (Reg F: 7).
    public var consentDays: Int
    /// Where the consent period starts.
    public var consentDayCounting: ConsentDayCounting

    /// Where a direct-prior-consent period starts.
    public enum ConsentDayCounting: String, Hashable, Sendable, Codable {
        /// Covers the `consentDays` days after the day of receipt (received Monday: Tuesday–Monday).
        case followingDays = "following_days"
        /// The day of receipt is day 1 (received Monday: Monday–Sunday).
        case receiptDayIsDayOne = "receipt_day_is_day_one"
    }

    public init(
        maxCalls: Int = 7, windowDays: Int = 7, quietDaysAfterConversation: Int = 7, consentDays: Int = 7,
        consentDayCounting: ConsentDayCounting = .followingDays
    ) {
        self.maxCalls = maxCalls
        self.windowDays = max(1, windowDays)
        self.quietDaysAfterConversation = max(0, quietDaysAfterConversation)
        self.consentDays = max(0, consentDays)
        self.consentDayCounting = consentDayCounting
    }

    enum CodingKeys: String, CodingKey {
        case maxCalls = "max_calls"
        case windowDays = "window_days"
        case quietDaysAfterConversation = "quiet_days_after_conversation"
        case consentDays = "consent_days"
        case consentDayCounting = "consent_day_counting"
    }

    /// Decodes through ``init(maxCalls:windowDays:quietDaysAfterConversation:consentDays:consentDayCounting:)``
    /// so stored rules get the same bounds; missing fields take the Regulation F values.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            maxCalls: try c.decodeIfPresent(Int.self, forKey: .maxCalls) ?? 7,
            windowDays: try c.decodeIfPresent(Int.self, forKey: .windowDays) ?? 7,
            quietDaysAfterConversation: try c.decodeIfPresent(Int.self, forKey: .quietDaysAfterConversation) ?? 7,
            consentDays: try c.decodeIfPresent(Int.self, forKey: .consentDays) ?? 7,
            consentDayCounting: try c.decodeIfPresent(ConsentDayCounting.self, forKey: .consentDayCounting) ?? .followingDays)
    }

    /// 12 CFR 1006.14(b): 7 calls in 7 days, 7 quiet days after a conversation, 7-day consent.
    public static let regulationF = CallFrequencyRule()

    /// One telephone event with the person about the debt.
    public struct Call: Hashable, Sendable, Codable {
        public enum Kind: String, Hashable, Sendable, Codable {
            /// An outbound call that connected to the dialed number (answered or not) without a conversation.
            case placed
            /// An outbound call in which the collector spoke with the person: a placed call that also starts
            /// the quiet period.
            case conversation
            /// The person called in and spoke with the collector: starts the quiet period, is not a placed call.
            case inboundConversation = "inbound_conversation"
            /// An outbound call that did not connect to the dialed number: excluded from both presumptions.
            case notConnected = "not_connected"
        }

        public var date: LocalDate
        public var kind: Kind

        public init(_ kind: Kind, on date: LocalDate) {
            self.kind = kind
            self.date = date
        }

        var isPlaced: Bool { kind == .placed || kind == .conversation }
        var isConversation: Bool { kind == .conversation || kind == .inboundConversation }
    }

    /// Direct prior consent to further calls, given by the person to the collector.
    public struct Consent: Hashable, Sendable, Codable {
        /// The date the collector received the consent.
        public var receivedOn: LocalDate
        /// An earlier last day, when the consent ended sooner (revoked, or given for fewer days).
        public var endsOn: LocalDate?

        enum CodingKeys: String, CodingKey {
            case receivedOn = "received_on"
            case endsOn = "ends_on"
        }

        public init(receivedOn: LocalDate, endsOn: LocalDate? = nil) {
            self.receivedOn = receivedOn
            self.endsOn = endsOn
        }
    }

    /// Why a call is blocked.
    public enum Block: Hashable, Sendable {
        /// The 7-consecutive-day window `from...through` would hold `calls` counted calls (more than allowed).
        case tooManyCalls(from: LocalDate, through: LocalDate, calls: Int)
        /// A conversation on `conversationOn` puts the date inside the quiet period.
        case afterConversation(conversationOn: LocalDate)
    }

    /// The outcome for a proposed call.
    public enum Decision: Hashable, Sendable {
        /// Allowed, and counts toward the presumptions once placed.
        case allowed
        /// Allowed and excluded from the count: placed under the consent received on `consentReceivedOn`.
        case allowedUnderConsent(consentReceivedOn: LocalDate)
        case blocked(Block)

        public var isAllowed: Bool {
            if case .blocked = self { return false }
            return true
        }
    }

    /// The days a consent covers: `consentDays` days from the receipt day (``ConsentDayCounting/receiptDayIsDayOne``)
    /// or from the day after (``ConsentDayCounting/followingDays``), cut at `endsOn`. Empty when it ends first.
    public func coveredDays(by consent: Consent) -> ClosedRange<LocalDate>? {
        let first = consentDayCounting == .followingDays ? consent.receivedOn.adding(days: 1) : consent.receivedOn
        var last = first.adding(days: consentDays - 1)
        if let e = consent.endsOn, e < last { last = e }
        return first <= last ? first...last : nil
    }

    /// The consent covering a call on `date`, if any.
    public func consent(covering date: LocalDate, in consents: [Consent]) -> Consent? {
        consents.first { coveredDays(by: $0)?.contains(date) ?? false }
    }

    /// Whether placing one more call on `date` stays outside the presumptions, given the person's calls about
    /// this debt (`history`, any order; later-dated calls already scheduled count too) and consents.
    public func evaluate(callOn date: LocalDate, history: [Call], consents: [Consent] = []) -> Decision {
        if let c = consent(covering: date, in: consents) { return .allowedUnderConsent(consentReceivedOn: c.receivedOn) }
        // Latest conversation on or before the date whose quiet period still covers it.
        let conversations = history.filter { $0.isConversation && $0.date <= date && date.days(since: $0.date) < quietDaysAfterConversation }
        if let last = conversations.map(\.date).max() { return .blocked(.afterConversation(conversationOn: last)) }
        var perDay: [Int: Int] = [:]
        for call in history where call.isPlaced && consent(covering: call.date, in: consents) == nil {
            perDay[call.date.dayNumber, default: 0] += 1
        }
        for offset in stride(from: windowDays - 1, through: 0, by: -1) {
            let from = date.adding(days: -offset)
            let through = from.adding(days: windowDays - 1)
            var calls = 1
            for n in from.dayNumber...through.dayNumber { calls += perDay[n] ?? 0 }
            if calls > maxCalls { return .blocked(.tooManyCalls(from: from, through: through, calls: calls)) }
        }
        return .allowed
    }

    /// The first date on or after `date` on which a call is allowed. `nil` only if `maxCalls < 1` and no
    /// consent ever covers a date in the searched span.
    public func earliestAllowedDate(onOrAfter date: LocalDate, history: [Call], consents: [Consent] = []) -> LocalDate? {
        let lastEvent = history.map(\.date).max() ?? date
        let last = max(date, lastEvent).adding(days: max(windowDays, quietDaysAfterConversation) + 1)
        var d = date
        while d <= last {
            if evaluate(callOn: d, history: history, consents: consents).isAllowed { return d }
            d = d.adding(days: 1)
        }
        return nil
    }
}
