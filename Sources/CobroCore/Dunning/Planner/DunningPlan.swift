/// The result of one planning run: what to send, what to record, and what was skipped (the dry run shows all three).
///
/// Carrying out a plan means appending ``entries`` to the dunning ledger and enqueueing ``messages`` (with their
/// ``DunningMessage/dedupeKey``) **in one transaction**: the ledger then guarantees no (invoice, step) is planned
/// again, and the key lets the outbox refuse a repeated enqueue of the same message.
public struct DunningPlan: Sendable, Hashable {
    public var asOf: LocalDate
    /// Ordered by customer id, then currency code.
    public var messages: [DunningMessage]
    /// Ordered like the messages and their items; per invoice, superseded steps first, then the sent step.
    public var entries: [DunningLedgerEntry]
    /// Ordered by customer id, then in the order the planner met them.
    public var skips: [DunningSkip]

    public init(asOf: LocalDate, messages: [DunningMessage] = [], entries: [DunningLedgerEntry] = [], skips: [DunningSkip] = []) {
        self.asOf = asOf
        self.messages = messages
        self.entries = entries
        self.skips = skips
    }

    /// Nothing to send and nothing to record.
    public var isEmpty: Bool { messages.isEmpty && entries.isEmpty }
}
