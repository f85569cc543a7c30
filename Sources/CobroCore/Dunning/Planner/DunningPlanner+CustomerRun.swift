/// An eligible item with at least one due, unrecorded step.
struct DunningCandidate {
    let item: DunningOpenItem
    let eligibleMinor: Int64
    /// Indices of the due, unrecorded steps, ascending (never empty).
    let dueSteps: [Int]

    /// Due steps at or below `level`, ascending.
    func dueSteps(upTo level: Int) -> [Int] { dueSteps.filter { $0 <= level } }
}

/// Plans one customer whose policy is resolved, valid and has steps (rules: ``DunningPlanner``).
struct CustomerRun {
    let asOf: LocalDate
    let customer: DunningCustomerInput
    let policy: DunningPolicy
    let recorded: Set<DunningLedgerKey>
    let baseCurrency: Currency
    let rates: [Currency: ExchangeRate]
    let duplicateInvoiceIDs: Set<InvoiceID>

    private(set) var messages: [DunningMessage] = []
    private(set) var entries: [DunningLedgerEntry] = []
    private(set) var skips: [DunningSkip] = []
    private var mentioned: Set<InvoiceID> = []

    init(
        asOf: LocalDate, customer: DunningCustomerInput, policy: DunningPolicy, recorded: Set<DunningLedgerKey>, baseCurrency: Currency,
        rates: [Currency: ExchangeRate], duplicateInvoiceIDs: Set<InvoiceID>
    ) {
        self.asOf = asOf
        self.customer = customer
        self.policy = policy
        self.recorded = recorded
        self.baseCurrency = baseCurrency
        self.rates = rates
        self.duplicateInvoiceIDs = duplicateInvoiceIDs
    }

    mutating func plan() {
        let candidates = collectCandidates()
        let levels = Set(candidates.flatMap(\.dueSteps)).sorted(by: >)
        for level in levels where tryLevel(level, candidates) { break }
        for c in candidates where c.item.coveredByPromiseOrPlan && !mentioned.contains(c.item.id) {
            skip(.promiseOrPlan, [c.item], detail: "\(c.item.ref) is covered by an open promise to pay or an active payment plan")
        }
    }

    /// Items with a due, unrecorded step, in message order; the ineligible ones are reported as skips.
    private mutating func collectCandidates() -> [DunningCandidate] {
        let items = customer.items.enumerated()
            .sorted {
                ($0.element.dueDate, $0.element.ref, $0.element.id, $0.offset) < ($1.element.dueDate, $1.element.ref, $1.element.id, $1.offset)
            }
            .map(\.element)
        var candidates: [DunningCandidate] = []
        for item in items {
            let due = policy.steps.indices.filter { i in
                let step = policy.steps[i]
                return step.dueDate(forItemDueOn: item.dueDate) <= asOf
                    && !recorded.contains(DunningLedgerKey(invoiceID: item.id, stepID: step.id))
            }
            guard !due.isEmpty else { continue }
            let eligible = item.eligibleMinor
            if duplicateInvoiceIDs.contains(item.id) {
                skip(.duplicateInvoice, [item], detail: "invoice id \(item.id) (\(item.ref)) appears more than once in the input")
            } else if item.issueDate > asOf {
                skip(.notYetIssued, [item], detail: "\(item.ref) is issued on \(item.issueDate), after the run date \(asOf)")
            } else if !item.kind.isOpenItem {
                skip(.creditNote, [item], detail: "\(item.ref) is a credit note; credit notes are never dunned")
            } else if item.openMinor <= 0 {
                skip(.paid, [item], detail: "\(item.ref) is paid")
            } else if eligible <= 0 {
                skip(.disputed, [item], detail: "\(item.ref): the whole open balance is disputed")
            } else {
                candidates.append(DunningCandidate(item: item, eligibleMinor: eligible, dueSteps: due))
            }
        }
        return candidates
    }

    /// Sends `level` when it qualifies (returns `true`), else reports why not and returns `false`.
    private mutating func tryLevel(_ level: Int, _ candidates: [DunningCandidate]) -> Bool {
        let step = policy.steps[level]
        let included = candidates.filter { c in
            c.dueSteps.contains { $0 <= level } && !(c.item.coveredByPromiseOrPlan && step.conditions.skipIfPromiseOrPlan)
        }
        guard included.contains(where: { $0.dueSteps.contains(level) }) else { return false }

        let selection = DunningChannelSelection.select(step.channels, optedOut: customer.optedOut, reachability: customer.reachability)
        guard selection.isDeliverable else {
            let reasons = selection.choices.flatMap(\.passedOver).map(\.description).joined(separator: "; ")
            skip(.noDeliverableChannel, included.map(\.item), step: step, detail: "no channel of step \(step.id) can be delivered (\(reasons))")
            return false
        }

        var passing: [(currency: Currency, members: [DunningCandidate], totalMinor: Int64)] = []
        var failing: [(members: [DunningCandidate], currency: Currency, reason: DunningSkip.Reason, detail: String)] = []
        let groups = Dictionary(grouping: included, by: \.item.currency).sorted { $0.key.code < $1.key.code }
        for (currency, members) in groups {
            switch check(members, currency: currency, step: step) {
            case .success(let total): passing.append((currency, members, total))
            case .failure(let f): failing.append((members, currency, f.reason, f.detail))
            }
        }
        for f in failing {
            skip(f.reason, f.members.map(\.item), step: step, currency: f.currency, detail: f.detail)
        }
        guard passing.contains(where: { $0.members.contains { $0.dueSteps.contains(level) } }) else { return false }

        for group in passing {
            sendMessage(
                level: level, step: step, selection: selection, currency: group.currency, members: group.members, totalMinor: group.totalMinor)
        }
        return true
    }

    private struct ConditionFailure: Error {
        let reason: DunningSkip.Reason
        let detail: String
    }

    /// The message total when the group meets the step's minimum.
    private func check(_ members: [DunningCandidate], currency: Currency, step: DunningStep) -> Result<Int64, ConditionFailure> {
        var total: Int64 = 0
        for m in members {
            let (sum, overflow) = total.addingReportingOverflow(m.eligibleMinor)
            guard !overflow else {
                return .failure(ConditionFailure(reason: .amountOverflow, detail: "the total of the \(currency) items does not fit in 64 bits"))
            }
            total = sum
        }
        guard let minimum = step.conditions.minOverdueBaseMinor else { return .success(total) }
        let minimumText = Money(minor: minimum, baseCurrency).description
        let totalInBase: Int64
        if currency == baseCurrency {
            totalInBase = total
        } else if let rate = rates[currency] {
            // A total too large for 64 bits in the base currency is certainly above any minimum.
            totalInBase = rate.convertChecked(total) ?? Int64.max
        } else {
            return .failure(
                ConditionFailure(
                    reason: .noRate, detail: "no rate for \(currency) into \(baseCurrency) (needed to compare with the minimum of \(minimumText))"))
        }
        guard totalInBase >= minimum else {
            let totalText = Money(minor: total, currency).description
            let converted = currency == baseCurrency ? "" : " = \(Money(minor: totalInBase, baseCurrency))"
            return .failure(
                ConditionFailure(
                    reason: .belowMinimum, detail: "total \(totalText)\(converted) is below the minimum of \(minimumText) for step \(step.id)"))
        }
        return .success(total)
    }

    private mutating func sendMessage(
        level: Int, step: DunningStep, selection: DunningChannelSelection, currency: Currency, members: [DunningCandidate], totalMinor: Int64
    ) {
        let key = DunningPlanner.dedupeKey(customerID: customer.id, stepID: step.id, currency: currency, asOf: asOf)
        var items: [DunningMessageItem] = []
        for m in members {
            let due = m.dueSteps(upTo: level)
            guard let sent = due.last else { continue }
            let superseded = due.dropLast()
            for i in superseded { record(m.item.id, policy.steps[i].id, .superseded, key) }
            record(m.item.id, policy.steps[sent].id, .sent, key)
            mentioned.insert(m.item.id)
            items.append(
                DunningMessageItem(
                    invoiceID: m.item.id, ref: m.item.ref, kind: m.item.kind, issueDate: m.item.issueDate, dueDate: m.item.dueDate,
                    daysPastDue: asOf.days(since: m.item.dueDate), open: Money(minor: m.item.openMinor, currency),
                    disputed: Money(minor: max(m.item.disputedMinor, 0), currency), amount: Money(minor: m.eligibleMinor, currency),
                    sentStepID: policy.steps[sent].id, supersededStepIDs: superseded.map { policy.steps[$0].id }))
        }
        messages.append(
            DunningMessage(
                customerID: customer.id, customerRef: customer.ref, language: customer.language, policyID: policy.id, stepID: step.id,
                levelIndex: level, currency: currency, channels: selection.channels, channelSelection: selection, items: items,
                total: Money(minor: totalMinor, currency), templateKey: step.templateKey, escalations: step.escalations,
                lateFee: step.lateFee, lateInterest: policy.lateInterest, dedupeKey: key))
    }

    private mutating func record(_ invoice: InvoiceID, _ stepID: String, _ outcome: DunningOutcome, _ messageKey: String) {
        entries.append(
            DunningLedgerEntry(
                key: DunningLedgerKey(invoiceID: invoice, stepID: stepID), customerID: customer.id, outcome: outcome, messageKey: messageKey,
                date: asOf))
    }

    private mutating func skip(
        _ reason: DunningSkip.Reason, _ items: [DunningOpenItem], step: DunningStep? = nil, currency: Currency? = nil, detail: String
    ) {
        for item in items { mentioned.insert(item.id) }
        skips.append(
            DunningSkip(
                customerID: customer.id, customerRef: customer.ref, invoiceIDs: items.map(\.id), stepID: step?.id, currency: currency,
                reason: reason, detail: detail))
    }
}
