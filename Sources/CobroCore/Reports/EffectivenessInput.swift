/// One dunning message as seen by the ``CommunicationEffectiveness`` report.
///
/// A message belongs to one customer and one currency and lists the invoices it dunned, each with the open amount it
/// had when the message was composed.
public struct EffectivenessMessage: Sendable, Hashable {
    /// Where the message is in its life. Raw values are the lowercase case names.
    public enum Status: String, Sendable, Hashable, Codable, CaseIterable {
        case queued
        case sending
        case sent
        case failed
        case bounced
        case cancelled
    }

    /// One invoice listed in a message and its open amount, in minor units of the message's currency, at compose time.
    public struct Item: Sendable, Hashable {
        public var invoiceID: Int64
        public var amountMinor: Int64

        public init(invoiceID: Int64, amountMinor: Int64) {
            self.invoiceID = invoiceID
            self.amountMinor = amountMinor
        }
    }

    public var channel: DunningChannel
    public var stepID: String
    public var template: String
    public var language: String
    public var currency: Currency
    public var status: Status
    /// The day the message was delivered. Only read when `status` is ``Status/sent``; `nil` otherwise.
    public var sentOn: LocalDate?
    public var items: [Item]

    public init(
        channel: DunningChannel, stepID: String, template: String, language: String, currency: Currency,
        status: Status, sentOn: LocalDate?, items: [Item]
    ) {
        self.channel = channel
        self.stepID = stepID
        self.template = template
        self.language = language
        self.currency = currency
        self.status = status
        self.sentOn = sentOn
        self.items = items
    }
}

/// An amount applied to an invoice on a day, in minor units of the invoice's currency. Positive for a payment or a
/// credit applied; negative for a reversal.
public struct EffectivenessPayment: Sendable, Hashable {
    public var day: LocalDate
    public var amountMinor: Int64

    public init(day: LocalDate, amountMinor: Int64) {
        self.day = day
        self.amountMinor = amountMinor
    }
}
