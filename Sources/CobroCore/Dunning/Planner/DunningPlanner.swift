/// The daily dunning planner: pure and deterministic (same input, same plan, in the same order).
///
/// ## Contract
/// - **Eligible item**: an invoice or debit note (credit notes are never dunned), issued on or before `asOf`, with
///   open > 0 and eligible amount = open − disputed > 0. The disputed part is never dunned.
/// - **Due step**: step *s* is due for an item when `dueDate + s.offsetDays ≤ asOf` ("on or after", never "exactly
///   today") and `(invoice, s.id)` is not in the ledger. After an outage every missed step is therefore still due.
/// - **Level** (per customer): the highest step *L*, trying due steps from the highest down, such that
///   1. some included item has *L* due (items with a due step ≤ *L*; promise/plan-covered items are left out when
///      *L*'s conditions say so),
///   2. at least one of *L*'s channels can be delivered, and
///   3. at least one currency message containing such an item passes *L*'s minimum.
///   A step that fails 2 or 3 is reported as a skip and the next lower due step is tried; nothing is recorded for it,
///   so it is evaluated again on the next run.
/// - **Messages**: one per currency at level *L*, listing every included item of that currency (even those whose own
///   highest due step is lower than *L*), except currencies whose message fails *L*'s minimum (skipped, nothing
///   recorded). A customer never gets two levels on one day: all its messages of a run share *L*, and a customer
///   whose ``DunningCustomerInput/lastDunnedOn`` is on or after `asOf` is skipped.
/// - **Ledger entries**: each listed item records its highest due step ≤ *L* as `sent` and every lower due step as
///   `superseded`, so a missed lower step is never sent later: catch-up sends once, at the highest due level.
///   No (invoice, step) is ever planned when recorded, nor twice in one plan. Items whose steps are all recorded are
///   not listed.
/// - **Minimum**: the message total (Σ eligible amounts, one currency) is converted into the base currency with the
///   given rate (banker's rounding) and compared with ``DunningStepConditions/minOverdueBaseMinor``; no rate → skip
///   "no rate for XXX" (currencies are never added without a rate). Without a minimum no rate is needed.
/// - **Channels**: see ``DunningChannelSelection/select(_:optedOut:reachability:)``.
/// - **Whole-customer skips**, checked in this order: duplicate customer id, handed over, unknown or invalid policy,
///   "no reminders" policy (no steps), already dunned on or after `asOf`. Each is reported only when the customer has
///   an issued, unpaid invoice or debit note (duplicates always).
/// - **Item skips** (duplicate invoice id, not yet issued, credit note, paid, fully disputed, promise/plan) are
///   reported only for items that have a due, unrecorded step, of customers that passed the whole-customer checks.
///   Every such item ends up in a message or a skip (nothing is dropped silently).
public enum DunningPlanner {
    /// Plans the run for `asOf`. See the type's documentation for the rules.
    public static func plan(asOf: LocalDate, input: DunningPlanInput) -> DunningPlan {
        var plan = DunningPlan(asOf: asOf)
        let customers = input.customers.enumerated()
            .sorted { ($0.element.id, $0.offset) < ($1.element.id, $1.offset) }
            .map(\.element)
        var customerCount: [CustomerID: Int] = [:]
        var invoiceCount: [InvoiceID: Int] = [:]
        for c in customers {
            customerCount[c.id, default: 0] += 1
            for item in c.items { invoiceCount[item.id, default: 0] += 1 }
        }
        let duplicateInvoiceIDs = Set(invoiceCount.filter { $0.value > 1 }.keys)
        var rates: [Currency: ExchangeRate] = [:]
        for rate in input.rates where rate.to == input.baseCurrency && rates[rate.from] == nil { rates[rate.from] = rate }
        var policyIssues: [String: [DunningPolicyIssue]] = [:]

        for customer in customers {
            func skip(_ reason: DunningSkip.Reason, _ detail: String) {
                plan.skips.append(DunningSkip(customerID: customer.id, customerRef: customer.ref, reason: reason, detail: detail))
            }
            if customerCount[customer.id, default: 0] > 1 {
                skip(.duplicateCustomer, "customer id \(customer.id) appears \(customerCount[customer.id, default: 0]) times in the input")
                continue
            }
            // Whole-customer skips are reported only for customers who owe something, to keep the dry run readable.
            let owesSomething = customer.items.contains { $0.kind.isOpenItem && $0.openMinor > 0 && $0.issueDate <= asOf }
            func skipCustomer(_ reason: DunningSkip.Reason, _ detail: String) {
                if owesSomething { skip(reason, detail) }
            }
            if customer.handedOver {
                skipCustomer(.handedOver, "handed over to an agency or legal; Cobro no longer sends reminders")
                continue
            }
            let resolved: DunningPolicyAssignment.Resolved
            switch input.policies.resolve(override: customer.policyOverride, strategic: customer.strategic, segment: customer.segment, risk: customer.risk) {
            case .success(let r): resolved = r
            case .failure(let unknown):
                skipCustomer(.unknownPolicy, unknown.description)
                continue
            }
            let policy = resolved.policy
            let issues = policyIssues[policy.id] ?? policy.validate()
            policyIssues[policy.id] = issues
            if let first = issues.first {
                let more = issues.count > 1 ? " (and \(issues.count - 1) more)" : ""
                skipCustomer(.invalidPolicy, "policy \"\(policy.id)\" is invalid: \(first)\(more)")
                continue
            }
            if policy.sendsNoReminders {
                skipCustomer(.noReminders, "policy \"\(policy.id)\" (\(resolved.source.rawValue)) sends no reminders")
                continue
            }
            if let last = customer.lastDunnedOn, last >= asOf {
                skipCustomer(.alreadyDunned, "already dunned on \(last), on or after the run date \(asOf); one level per day at most")
                continue
            }
            var run = CustomerRun(
                asOf: asOf, customer: customer, policy: policy, recorded: input.recorded, baseCurrency: input.baseCurrency,
                rates: rates, duplicateInvoiceIDs: duplicateInvoiceIDs)
            run.plan()
            plan.messages += run.messages
            plan.entries += run.entries
            plan.skips += run.skips
        }
        return plan
    }

    /// The deterministic key of a message: `dunning:<customer id>:<step id>:<currency>:<asOf>`, e.g.
    /// `dunning:42:overdue_30:EUR:2024-06-30`. It names no company (the outbox row carries the company), and is
    /// unambiguous because step ids cannot contain `:`.
    public static func dedupeKey(customerID: CustomerID, stepID: String, currency: Currency, asOf: LocalDate) -> String {
        "dunning:\(customerID.rawValue):\(stepID):\(currency.code):\(asOf.iso)"
    }
}
