/// Everything the planner needs for one company and one run. Built by the store; the planner does no I/O.
public struct DunningPlanInput: Sendable, Hashable {
    /// The company's base currency (minimum amounts are in it).
    public var baseCurrency: Currency
    /// Rates into ``baseCurrency`` (`from` = item currency, `to` = base). Rates to other currencies are ignored; when a
    /// currency has several, the first is used.
    public var rates: [ExchangeRate]
    public var policies: DunningPolicyAssignment
    public var customers: [DunningCustomerInput]
    /// Every (invoice, step) already in the dunning ledger, whatever its outcome.
    public var recorded: Set<DunningLedgerKey>

    public init(
        baseCurrency: Currency, rates: [ExchangeRate] = [], policies: DunningPolicyAssignment = .standard,
        customers: [DunningCustomerInput], recorded: Set<DunningLedgerKey> = []
    ) {
        self.baseCurrency = baseCurrency
        self.rates = rates
        self.policies = policies
        self.customers = customers
        self.recorded = recorded
    }
}

/// A customer with what decides its dunning, and its open items.
public struct DunningCustomerInput: Sendable, Hashable {
    public var id: CustomerID
    public var ref: String
    /// BCP 47 language for the message template (`nil`: the company's locale).
    public var language: String?
    public var strategic: Bool
    public var segment: String?
    /// The customer's own policy id (wins over every other assignment).
    public var policyOverride: String?
    /// The customer was handed over to an agency or legal: Cobro no longer dunns it.
    public var handedOver: Bool
    /// Channels the customer refused.
    public var optedOut: Set<DunningChannel>
    public var reachability: DunningReachability
    /// Date of the customer's latest recorded `sent` dunning entry. When it is on or after the run's as-of date the
    /// customer is skipped, so a second run on the same day can never send a second level.
    public var lastDunnedOn: LocalDate?
    public var items: [DunningOpenItem]
    /// The customer's score under the latest payment model (for ``DunningPolicyAssignment/HighRiskRule``).
    public var risk: Int?

    public init(
        id: CustomerID, ref: String, language: String? = nil, strategic: Bool = false, segment: String? = nil,
        policyOverride: String? = nil, handedOver: Bool = false, optedOut: Set<DunningChannel> = [],
        reachability: DunningReachability = .all, lastDunnedOn: LocalDate? = nil, items: [DunningOpenItem], risk: Int? = nil
    ) {
        self.risk = risk
        self.id = id
        self.ref = ref
        self.language = language
        self.strategic = strategic
        self.segment = segment
        self.policyOverride = policyOverride
        self.handedOver = handedOver
        self.optedOut = optedOut
        self.reachability = reachability
        self.lastDunnedOn = lastDunnedOn
        self.items = items
    }
}

/// A receivable document of the customer, with its balance as of the run date.
///
/// Promise / payment-plan interface: the caller (which evaluates promises and plans) sets
/// ``coveredByPromiseOrPlan`` on every item an open promise to pay or an active payment plan covers as of the run
/// date; a customer-wide promise sets it on all the customer's items.
public struct DunningOpenItem: Sendable, Hashable {
    public var id: InvoiceID
    public var ref: String
    public var kind: DocumentKind
    public var issueDate: LocalDate
    public var dueDate: LocalDate
    public var currency: Currency
    /// Open balance in minor units (0 or less: paid).
    public var openMinor: Int64
    /// Part of the open balance under an open dispute, in minor units (negative counts as 0).
    public var disputedMinor: Int64
    public var coveredByPromiseOrPlan: Bool

    public init(
        id: InvoiceID, ref: String, kind: DocumentKind = .invoice, issueDate: LocalDate, dueDate: LocalDate, currency: Currency,
        openMinor: Int64, disputedMinor: Int64 = 0, coveredByPromiseOrPlan: Bool = false
    ) {
        self.id = id
        self.ref = ref
        self.kind = kind
        self.issueDate = issueDate
        self.dueDate = dueDate
        self.currency = currency
        self.openMinor = openMinor
        self.disputedMinor = disputedMinor
        self.coveredByPromiseOrPlan = coveredByPromiseOrPlan
    }

    /// The amount that may be dunned: open − disputed (a negative dispute counts as 0). Dunned only when > 0.
    public var eligibleMinor: Int64 {
        let (v, overflow) = openMinor.subtractingReportingOverflow(max(disputedMinor, 0))
        return overflow ? Int64.min : v
    }
}
