import Testing

@testable import CobroCore

// Property tests of the dunning planner: random customers and items, 120 days of daily runs with outages, payments
// and repeated runs, applying each plan's ledger entries as the store would. Every case has its own seed, printed in
// the failure message.


private let EUR = Currency(code: "EUR")!
private let USD = Currency(code: "USD")!
private let GBP = Currency(code: "GBP")!

private let baseSeed: UInt64 = 0xD0_2024
private func seeds(_ property: UInt64, count: Int) -> [UInt64] {
    (0..<UInt64(count)).map { baseSeed &+ property &* 1_000_003 &+ $0 }
}

/// Which policy the generator meant a customer to get.
private enum Intended { case standard, noReminders, strategic, withMinimum }

private let withMinimum = DunningPolicy(
    id: "with_minimum",
    steps: [
        DunningStep(id: "soft", offsetDays: -3, channels: [.init(.email, fallback: [.letter])]),
        DunningStep(
            id: "firm", offsetDays: 10, channels: [.init(.email), .init(.sms)], conditions: DunningStepConditions(minOverdueBaseMinor: 50_000)),
        DunningStep(
            id: "final", offsetDays: 40, channels: [.init(.letter, fallback: [.call])],
            conditions: DunningStepConditions(minOverdueBaseMinor: 200_000)),
    ])

private let policies = DunningPolicyAssignment(
    policies: DunningPolicy.builtIn + [withMinimum], defaultPolicyID: "cobro_default", strategicPolicyID: "strategic_statement",
    segmentPolicyIDs: ["large": "with_minimum"])

private struct World {
    var customers: [DunningCustomerInput] = []
    var intended: [CustomerID: Intended] = [:]
    /// The first day an item stopped being eligible (paid, or open no longer above the disputed part).
    var ineligibleOn: [InvoiceID: LocalDate] = [:]
}

private func makeWorld(_ g: inout SplitMix64, start: LocalDate) -> World {
    var w = World()
    var nextInvoice: Int64 = 1
    for c in 1...g.int(1...8) {
        let intended = g.pick([Intended.standard, .standard, .standard, .noReminders, .strategic, .withMinimum])
        var optedOut: Set<DunningChannel> = []
        for ch in DunningChannel.allCases where g.chance(15) { optedOut.insert(ch) }
        var items: [DunningOpenItem] = []
        for _ in 0..<g.int(0...6) {
            let due = start.adding(days: g.int(-20...90))
            let open: Int64 = g.int(1...300_000)
            let disputed: Int64 = g.chance(70) ? 0 : (g.chance(50) ? g.int(0...open) : open)
            items.append(
                DunningOpenItem(
                    id: InvoiceID(nextInvoice), ref: "I\(nextInvoice)", kind: g.chance(8) ? .creditNote : (g.chance(10) ? .debitNote : .invoice),
                    issueDate: due.adding(days: -g.pick([0, 3, 10, 30])), dueDate: due, currency: g.pick([EUR, EUR, USD, GBP]),
                    openMinor: open, disputedMinor: disputed, coveredByPromiseOrPlan: g.chance(10)))
            nextInvoice += 1
        }
        let customer = DunningCustomerInput(
            id: CustomerID(Int64(c)), ref: "C\(c)", strategic: intended == .strategic, segment: intended == .withMinimum ? "large" : nil,
            policyOverride: intended == .noReminders ? "no_reminders" : nil, handedOver: g.chance(8), optedOut: optedOut,
            reachability: DunningReachability(hasEmail: g.chance(80), hasPhone: g.chance(60), hasPostalAddress: g.chance(85)),
            items: items)
        w.customers.append(customer)
        w.intended[customer.id] = intended
    }
    return w
}

@Suite("Dunning: planner properties")
struct DunningPlannerPropertyTests {
    @Test func dailyRunsNeverSendTwiceAndReachTheFinalStep() {
        let start = LocalDate(year: 2024, month: 1, day: 1)!
        let rates = [ExchangeRate(from: USD, to: EUR, rateNanos: 920_000_000)]  // no GBP rate on purpose
        var totalFinalNotices = 0
        for seed in seeds(1, count: 60) {
            var g = SplitMix64(seed: seed)
            var w = makeWorld(&g, start: start)
            let initial = w.customers
            var ledger: [DunningLedgerKey: DunningLedgerEntry] = [:]
            var levelsByDay: [CustomerID: [LocalDate: Set<String>]] = [:]
            var runDays: [LocalDate] = []
            let ctx = "seed \(seed)"

            for d in 0..<120 {
                let asOf = start.adding(days: d)
                // Payments arrive before the run: some items are paid in full, some in part.
                for ci in w.customers.indices {
                    for ii in w.customers[ci].items.indices where w.customers[ci].items[ii].openMinor > 0 {
                        if g.chance(1) {
                            w.customers[ci].items[ii].openMinor = 0
                        } else if g.chance(1) {
                            w.customers[ci].items[ii].openMinor -= w.customers[ci].items[ii].openMinor / 2
                        }
                        let item = w.customers[ci].items[ii]
                        if item.openMinor <= item.disputedMinor && w.ineligibleOn[item.id] == nil { w.ineligibleOn[item.id] = asOf }
                    }
                }
                if g.chance(15) { continue }  // outage: no run today
                runDays.append(asOf)
                for _ in 0..<(g.chance(10) ? 2 : 1) {  // sometimes the job runs twice on a day
                    for ci in w.customers.indices {
                        let id = w.customers[ci].id
                        w.customers[ci].lastDunnedOn = ledger.values.filter { $0.customerID == id && $0.outcome == .sent }.map(\.date).max()
                    }
                    let input = DunningPlanInput(
                        baseCurrency: EUR, rates: rates, policies: policies, customers: w.customers, recorded: Set(ledger.keys))
                    let plan = DunningPlanner.plan(asOf: asOf, input: input)
                    check(plan, world: w, ledger: ledger, asOf: asOf, ctx: "\(ctx) day \(asOf)")
                    for m in plan.messages { levelsByDay[m.customerID, default: [:]][asOf, default: []].insert(m.stepID) }
                    for e in plan.entries {
                        #expect(ledger[e.key] == nil, "\(ctx) day \(asOf): \(e.key) planned twice")
                        ledger[e.key] = e
                    }
                }
            }

            // At most one level per customer per day, across repeated runs.
            for (customer, days) in levelsByDay {
                for (date, steps) in days { #expect(steps.count == 1, "\(ctx): customer \(customer) got \(steps.sorted()) on \(date)") }
            }
            // Every item on the default ladder that stays open and eligible until a run on or after due + 45 has its
            // final notice recorded (as sent: nothing is above it to supersede it).
            var finalNotices = 0
            for c in initial where w.intended[c.id] == .standard && !c.handedOver {
                let letterOK = c.reachability.hasPostalAddress && !c.optedOut.contains(.letter)
                let emailOK = c.reachability.hasEmail && !c.optedOut.contains(.email)
                guard letterOK || emailOK else { continue }
                for item in c.items where item.kind != .creditNote && !item.coveredByPromiseOrPlan && item.openMinor > item.disputedMinor {
                    guard let firstRun = runDays.first(where: { $0 >= item.dueDate.adding(days: 45) }) else { continue }
                    if let gone = w.ineligibleOn[item.id], gone <= firstRun { continue }
                    finalNotices += 1
                    let entry = ledger[DunningLedgerKey(invoiceID: item.id, stepID: "final_notice_45")]
                    #expect(entry?.outcome == .sent, "\(ctx): \(item.ref) due \(item.dueDate) has no final notice (first run \(firstRun))")
                    #expect(entry?.date == firstRun, "\(ctx): \(item.ref) final notice on \(String(describing: entry?.date)), expected \(firstRun)")
                }
            }
            totalFinalNotices += finalNotices
            // Ledger: within an invoice, each step is recorded once (a dictionary key), and a superseded step is always
            // below the step sent in the same message.
            let byMessage = Dictionary(grouping: ledger.values, by: { "\($0.messageKey)|\($0.key.invoiceID)" })
            for (_, group) in byMessage {
                #expect(group.filter { $0.outcome == .sent }.count == 1, "\(ctx): \(group)")
            }
        }
        // The generator must exercise the final-step property, not skip it everywhere.
        #expect(totalFinalNotices >= 50, "only \(totalFinalNotices) items reached the final step")
    }

    /// Checks one plan against the world it was made from.
    private func check(_ plan: DunningPlan, world: World, ledger: [DunningLedgerKey: DunningLedgerEntry], asOf: LocalDate, ctx: String) {
        let customers = Dictionary(world.customers.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        var items: [InvoiceID: DunningOpenItem] = [:]
        for c in world.customers { for i in c.items { items[i.id] = i } }

        // No (invoice, step) twice in one plan, none already recorded.
        #expect(Set(plan.entries.map(\.key)).count == plan.entries.count, "\(ctx): duplicate keys in one plan")
        #expect(plan.entries.allSatisfy { ledger[$0.key] == nil }, "\(ctx): a recorded key planned again")

        // One level per customer in a plan; one message per (customer, currency).
        for (customer, messages) in Dictionary(grouping: plan.messages, by: \.customerID) {
            #expect(Set(messages.map(\.stepID)).count == 1, "\(ctx): customer \(customer) at two levels")
            #expect(Set(messages.map(\.currency)).count == messages.count, "\(ctx): customer \(customer) two messages in one currency")
        }

        for m in plan.messages {
            guard let customer = customers[m.customerID], let policy = policies.policy(id: m.policyID) else {
                Issue.record("\(ctx): message for unknown customer or policy \(m)")
                continue
            }
            #expect(!customer.handedOver && !policy.steps.isEmpty, "\(ctx): customer \(customer.ref) should not be dunned")
            #expect(!m.channels.isEmpty, "\(ctx)")
            #expect(m.total.minor == m.items.reduce(Int64(0)) { $0 + $1.amount.minor }, "\(ctx): total of \(m.dedupeKey)")
            let stepIndex = Dictionary(uniqueKeysWithValues: policy.steps.enumerated().map { ($1.id, $0) })
            for it in m.items {
                guard let item = items[it.invoiceID] else {
                    Issue.record("\(ctx): unknown invoice \(it.invoiceID)")
                    continue
                }
                #expect(item.kind != .creditNote && !item.coveredByPromiseOrPlan, "\(ctx): \(item.ref) must not be dunned")
                #expect(item.currency == m.currency, "\(ctx)")
                #expect(it.amount.minor == item.openMinor - item.disputedMinor && it.amount.minor > 0, "\(ctx): \(item.ref) amount")
                #expect((stepIndex[it.sentStepID] ?? Int.max) <= m.levelIndex, "\(ctx): \(item.ref) sent above the message level")
                // Catch-up sends once: after this plan every step up to the sent one is recorded, so no lower step can
                // ever be sent later.
                for lower in policy.steps.prefix((stepIndex[it.sentStepID] ?? -1) + 1) {
                    let key = DunningLedgerKey(invoiceID: item.id, stepID: lower.id)
                    #expect(ledger[key] != nil || plan.entries.contains { $0.key == key }, "\(ctx): \(key) left unrecorded below a sent step")
                }
            }
        }

        // Every entry: its step was due that day, it belongs to a planned message, lower steps are superseded.
        let keys = Set(plan.messages.map(\.dedupeKey))
        for e in plan.entries {
            guard let item = items[e.key.invoiceID], let m = plan.messages.first(where: { $0.dedupeKey == e.messageKey }),
                let policy = policies.policy(id: m.policyID), let step = policy.steps.first(where: { $0.id == e.key.stepID })
            else {
                Issue.record("\(ctx): entry without its message, item or step: \(e)")
                continue
            }
            #expect(keys.contains(e.messageKey) && e.date == asOf, "\(ctx)")
            #expect(item.dueDate.adding(days: step.offsetDays) <= asOf, "\(ctx): \(e.key) recorded before it was due")
            #expect(m.items.contains { $0.invoiceID == e.key.invoiceID }, "\(ctx): \(e.key) not in its message")
        }

        // Nothing silently dropped: every invoice with a due, unrecorded step of a customer that is not skipped as a
        // whole is in a message or a skip.
        let skippedCustomers = Set(plan.skips.filter(\.invoiceIDs.isEmpty).map(\.customerID))
        let mentioned = Set(plan.messages.flatMap { $0.items.map(\.invoiceID) } + plan.skips.flatMap(\.invoiceIDs))
        for c in world.customers where !skippedCustomers.contains(c.id) {
            guard case .success(let resolved) = policies.resolve(override: c.policyOverride, strategic: c.strategic, segment: c.segment),
                !c.handedOver, !resolved.policy.steps.isEmpty, (c.lastDunnedOn.map { $0 < asOf } ?? true)
            else { continue }
            for item in c.items {
                let due = resolved.policy.steps.contains {
                    item.dueDate.adding(days: $0.offsetDays) <= asOf && ledger[DunningLedgerKey(invoiceID: item.id, stepID: $0.id)] == nil
                }
                if due { #expect(mentioned.contains(item.id), "\(ctx): \(item.ref) silently dropped") }
            }
        }
    }
}
