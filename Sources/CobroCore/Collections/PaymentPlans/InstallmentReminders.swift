/// Reminders for the installments of an active payment plan, sent by the dunning run (issue 4, point 5).
///
/// While a plan is active its invoices leave ordinary dunning; instead, each scheduled payment (down payment or
/// installment) not yet fully paid gets at most two messages:
/// - ``Kind/upcoming`` from ``daysBefore`` days before its due date up to the due date, with template
///   ``TemplateKey/planInstallmentDue``;
/// - ``Kind/late`` after the due date while it is still within grace (the plan's ``PaymentPlan/graceDays``), with
///   ``TemplateKey/planInstallmentLate`` — the last chance before the installment counts as missed.
///
/// One reminder per plan and run: for the earliest unpaid slot whose reminder has not been sent yet. Each (plan, slot, kind) is recorded once, like any
/// dunning step, so a run that catches up after days off sends what is still useful and never repeats itself.
public enum InstallmentReminders {
    /// How many days ahead the upcoming reminder goes out.
    public static let daysBefore = 3
    /// Every reminder step id starts with this; policy step ids may not (``DunningPolicy/validate()``).
    public static let stepPrefix = "plan_"

    public enum Kind: String, Sendable, Hashable {
        case upcoming = "due"
        case late
    }

    public struct Reminder: Sendable, Hashable {
        public var planID: Int64
        public var slot: PlanSlot
        public var kind: Kind
        public var dueDate: LocalDate
        /// Still owed on the slot: what the message asks for.
        public var owed: Money

        /// The step id the dunning ledger records: `plan_<id>_down_due`, `plan_<id>_2_late` (1-based installment).
        public var stepID: String {
            let slotText: String
            switch slot {
            case .downPayment: slotText = "down"
            case .installment(let i): slotText = String(i + 1)
            }
            return "\(InstallmentReminders.stepPrefix)\(planID)_\(slotText)_\(kind.rawValue)"
        }

        public var templateKey: TemplateKey { kind == .upcoming ? .planInstallmentDue : .planInstallmentLate }
    }

    /// The reminder `report` (an active plan evaluated as of `asOf`) calls for on `asOf`, unless its step is in
    /// `recorded` (step ids already sent); `nil` when none.
    public static func due(planID: Int64, report: PlanStatusReport, asOf: LocalDate, recorded: Set<String>) -> Reminder? {
        guard report.status == .active else { return nil }
        let slots = (report.downPayment.map { [$0] } ?? []) + report.installments
        for s in slots where s.state == .pending && s.owed.minor > 0 {
            let kind: Kind
            if asOf <= s.dueDate {
                guard s.dueDate.adding(days: -daysBefore) <= asOf else { return nil }  // the earliest unpaid slot is not near yet
                kind = .upcoming
            } else {
                guard asOf <= s.lastGraceDay else { continue }
                kind = .late
            }
            let r = Reminder(planID: planID, slot: s.slot, kind: kind, dueDate: s.dueDate, owed: s.owed)
            if !recorded.contains(r.stepID) { return r }
        }
        return nil
    }
}

extension InstallmentReminders {
    /// An active plan as the dunning run sees it.
    public struct PlanInput: Sendable, Hashable {
        public var planID: Int64
        public var customerID: CustomerID
        /// The plan invoice the reminder is recorded and listed on: one still open, so that the outbox, which cancels
        /// a message whose invoices were all settled, sends it. Whether a reminder was sent is decided by its step id
        /// (unique per plan), so the choice of invoice can change between runs without a reminder being repeated.
        public var invoiceID: InvoiceID
        public var plan: PaymentPlan
        public var report: PlanStatusReport

        public init(planID: Int64, customerID: CustomerID, invoiceID: InvoiceID, plan: PaymentPlan, report: PlanStatusReport) {
            self.planID = planID
            self.customerID = customerID
            self.invoiceID = invoiceID
            self.plan = plan
            self.report = report
        }
    }

    /// The reminders of a run: messages with their ledger entries, and the plans that could not be reminded.
    public struct Planned: Sendable, Hashable {
        public var messages: [DunningMessage] = []
        public var entries: [DunningLedgerEntry] = []
        public var skips: [DunningSkip] = []
    }

    /// The channel chain of a reminder: email, else SMS (a plan reminder is never a letter: it would arrive late).
    static let channels = [DunningStepChannel(.email, fallback: [.sms])]

    /// The reminders due on `asOf` for `plans`, `customers` giving each plan's customer (a plan whose customer is
    /// missing is left alone), `recorded` the plan step ids already in the dunning ledger. A handed-over customer is
    /// not reminded (the agency speaks to it now); one with neither a usable email nor phone is reported.
    public static func plan(asOf: LocalDate, plans: [PlanInput], customers: [CustomerID: DunningCustomerInput], recorded: Set<String>) -> Planned {
        var out = Planned()
        for p in plans.sorted(by: { $0.planID < $1.planID }) {
            guard let customer = customers[p.customerID], let r = due(planID: p.planID, report: p.report, asOf: asOf, recorded: recorded) else { continue }
            if customer.handedOver {
                out.skips.append(DunningSkip(
                    customerID: customer.id, customerRef: customer.ref, invoiceIDs: [p.invoiceID], stepID: r.stepID, currency: r.owed.currency,
                    reason: .handedOver, detail: "payment plan \(p.planID): the customer was handed over"))
                continue
            }
            let selection = DunningChannelSelection.select(channels, optedOut: customer.optedOut, reachability: customer.reachability)
            guard selection.isDeliverable else {
                let why = selection.undeliverable.flatMap(\.passedOver).map(\.description).joined(separator: ", ")
                out.skips.append(DunningSkip(
                    customerID: customer.id, customerRef: customer.ref, invoiceIDs: [p.invoiceID], stepID: r.stepID, currency: r.owed.currency,
                    reason: .noDeliverableChannel, detail: "payment plan \(p.planID): \(why)"))
                continue
            }
            let key = "plan:\(p.planID):\(r.stepID):\(asOf.iso)"
            let item = DunningMessageItem(
                invoiceID: p.invoiceID, ref: label(r, plan: p), kind: .invoice, issueDate: p.plan.startDate, dueDate: r.dueDate,
                daysPastDue: asOf.days(since: r.dueDate), open: r.owed, disputed: Money(minor: 0, r.owed.currency), amount: r.owed, sentStepID: r.stepID,
                supersededStepIDs: [])
            out.messages.append(DunningMessage(
                customerID: customer.id, customerRef: customer.ref, language: customer.language, policyID: "payment_plan", stepID: r.stepID,
                levelIndex: 0, currency: r.owed.currency, channels: selection.channels, channelSelection: selection, items: [item], total: r.owed,
                templateKey: r.templateKey.rawValue, escalations: [], lateFee: nil, dedupeKey: key))
            out.entries.append(DunningLedgerEntry(
                key: DunningLedgerKey(invoiceID: p.invoiceID, stepID: r.stepID), customerID: customer.id, outcome: .sent, messageKey: key, date: asOf))
        }
        return out
    }

    /// The line the message lists: `PLAN-7 2/4` (installment 2 of 4), `PLAN-7 0/4` for the down payment.
    static func label(_ r: Reminder, plan p: PlanInput) -> String {
        let n: Int
        switch r.slot {
        case .downPayment: n = 0
        case .installment(let i): n = i + 1
        }
        return "PLAN-\(p.planID) \(n)/\(p.plan.installments.count)"
    }
}
