/// One message to send: one customer, one step (the customer's level for the day), one currency.
public struct DunningMessage: Sendable, Hashable {
    public var customerID: CustomerID
    public var customerRef: String
    public var language: String?
    public var policyID: String
    public var stepID: String
    /// Index of the step in its policy (0 = first step).
    public var levelIndex: Int
    public var currency: Currency
    /// The channels to deliver on, each once, in step order (``channelSelection`` says how they were chosen).
    public var channels: [DunningChannel]
    public var channelSelection: DunningChannelSelection
    /// The invoices in the message: due date, then ref, then id.
    public var items: [DunningMessageItem]
    /// Σ item amounts (eligible amounts) in ``currency``.
    public var total: Money
    public var templateKey: String
    /// The step's escalations, to carry out when the message is sent.
    public var escalations: [DunningEscalation]
    /// The step's late fee, as data.
    public var lateFee: DunningLateFee?
    /// The policy's late-payment interest, as data (``LateChargePosting`` computes it when the message is recorded).
    public var lateInterest: LatePaymentPolicy?
    /// ``DunningPlanner/dedupeKey(customerID:stepID:currency:asOf:)``: the same message planned twice gets the same key,
    /// so the outbox can refuse a repeated enqueue.
    public var dedupeKey: String

    public init(
        customerID: CustomerID, customerRef: String, language: String?, policyID: String, stepID: String, levelIndex: Int,
        currency: Currency, channels: [DunningChannel], channelSelection: DunningChannelSelection, items: [DunningMessageItem],
        total: Money, templateKey: String, escalations: [DunningEscalation], lateFee: DunningLateFee?, lateInterest: LatePaymentPolicy? = nil,
        dedupeKey: String
    ) {
        self.customerID = customerID
        self.customerRef = customerRef
        self.language = language
        self.policyID = policyID
        self.stepID = stepID
        self.levelIndex = levelIndex
        self.currency = currency
        self.channels = channels
        self.channelSelection = channelSelection
        self.items = items
        self.total = total
        self.templateKey = templateKey
        self.escalations = escalations
        self.lateFee = lateFee
        self.lateInterest = lateInterest
        self.dedupeKey = dedupeKey
    }
}

/// An invoice listed in a message.
public struct DunningMessageItem: Sendable, Hashable {
    public var invoiceID: InvoiceID
    public var ref: String
    public var kind: DocumentKind
    public var issueDate: LocalDate
    public var dueDate: LocalDate
    /// asOf − due date (negative: not yet due).
    public var daysPastDue: Int
    public var open: Money
    /// The disputed part (0 or more), already left out of ``amount``.
    public var disputed: Money
    /// The amount dunned: open − disputed.
    public var amount: Money
    /// The invoice's own highest due step, recorded as `sent` (may be lower than the message's step).
    public var sentStepID: String
    /// Lower due steps recorded as `superseded`, in step order.
    public var supersededStepIDs: [String]

    public init(
        invoiceID: InvoiceID, ref: String, kind: DocumentKind, issueDate: LocalDate, dueDate: LocalDate, daysPastDue: Int,
        open: Money, disputed: Money, amount: Money, sentStepID: String, supersededStepIDs: [String]
    ) {
        self.invoiceID = invoiceID
        self.ref = ref
        self.kind = kind
        self.issueDate = issueDate
        self.dueDate = dueDate
        self.daysPastDue = daysPastDue
        self.open = open
        self.disputed = disputed
        self.amount = amount
        self.sentStepID = sentStepID
        self.supersededStepIDs = supersededStepIDs
    }
}
