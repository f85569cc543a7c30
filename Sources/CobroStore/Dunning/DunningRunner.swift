import CobroCore
import Foundation

/// One message of a run, as it was (or, in a dry run, would be) put in the outbox.
public struct DunningRunMessage: Sendable, Hashable {
    public var customerRef: String
    public var stepID: String
    public var channel: DunningChannel
    public var currency: Currency
    public var total: Money
    public var invoiceRefs: [String]
    public var recipient: String
    public var language: String
    public var subject: String
    public var text: String
    /// When delivery may start (epoch milliseconds): the run instant, or the next contact window opening.
    public var deliverAt: Int64
}

/// What a run did (or would do).
public struct DunningRunReport: Sendable {
    public var asOf: LocalDate
    public var dryRun: Bool
    public var configVersion: Int64
    public var messages: [DunningRunMessage]
    /// Dunning entries recorded (sent and superseded).
    public var entries: Int
    public var skips: [DunningSkip]
    /// Customers left alone because another run recorded the same (invoice, step) first.
    public var alreadyRecorded: [String]
    public var runID: Int64?
    /// Wall time of each phase, for people watching a large run (not a business time: no clock rule uses it).
    public var timings = Timings()

    public struct Timings: Sendable, Hashable {
        public var read: Duration = .zero
        public var plan: Duration = .zero
        public var compose: Duration = .zero
        public var record: Duration = .zero
    }
}

/// Plans, composes, schedules and records a dunning run for one company.
///
/// Contract: a dry run reads only. Otherwise each customer's share (entries + outbox messages) is written all or
/// nothing, in one transaction with the run record; an (invoice, step) already recorded — by an earlier run, or by
/// a concurrent one that committed first — is never recorded or sent again.
public enum DunningRunner {
    /// Customers recorded per transaction (keeps the write-ahead log and memory small on big runs).
    static let recordBatch = 2_000

    public struct Options: Sendable {
        public var asOf: LocalDate
        /// Act at this instant instead of `asOf` at 10:00 in each customer's time zone.
        public var now: Date?
        public var dryRun: Bool
        public var actor: String
        public var rates: [ExchangeRate]
        /// Where customers reach the portal (e.g. https://cobro.example.com): each message's `{{portal_link}}` is then
        /// the customer's own signed link, valid ``PortalLink/defaultDays`` from `asOf`. Nil leaves it empty.
        public var portalURL: String?

        public init(asOf: LocalDate, now: Date? = nil, dryRun: Bool = false, actor: String, rates: [ExchangeRate] = [], portalURL: String? = nil) {
            self.asOf = asOf
            self.now = now
            self.dryRun = dryRun
            self.actor = actor
            self.rates = rates
            self.portalURL = portalURL
        }
    }

    /// A run that records and sends may not be dated after ``DailyRunSchedule/latestRecordableDate(today:)``.
    public static func run(_ db: any Database, company: CompanyRecord, options o: Options, clock: Clock) async throws -> DunningRunReport {
        let nowMillis = clock.nowMillis()
        let stopwatch = ContinuousClock()
        var lap = stopwatch.now
        var timings = DunningRunReport.Timings()
        func split() -> Duration {
            let t = stopwatch.now
            defer { lap = t }
            return t - lap
        }
        let tomorrow = DailyRunSchedule.latestRecordableDate(today: clock.today(in: company.timezone))
        if !o.dryRun, o.asOf > tomorrow {
            throw StoreError.invalid(
                field: "as_of", "\(o.asOf.iso) is in the future; a run that records and sends may be dated at most \(tomorrow.iso) (use a dry run to look ahead)")
        }
        // Promises whose window has ended are judged first, so their invoices are dunned again if they were broken.
        if !o.dryRun {
            // Judged as of today at the latest: a run dated tomorrow must not call a promise broken before today's payments.
            let judgeDay = min(o.asOf, clock.today(in: company.timezone))
            _ = try await db.transaction { c in
                try await PromiseStore.evaluateDue(c, company: company.id, today: judgeDay, now: nowMillis)
                try await DisputeStore.escalateOverdue(c, company: company.id, today: judgeDay, now: nowMillis)
                try await CreditStore.apply(c, company: company.id, today: judgeDay, actor: "credit_control", now: nowMillis)
                return try await PlanStore.evaluateActive(c, company: company.id, today: judgeDay, now: nowMillis)
            }
        }
        let (version, config, input, facts, recentSends, planReminders) = try await db.read { c in
            let store = DunningStore(c, company: company.id)
            let (version, config) = try await DunningConfigStore.current(c, company: company.id)
            let (input, facts) = try await store.planInput(asOf: o.asOf, baseCurrency: company.baseCurrency, rates: o.rates, assignment: config.assignment)
            let history = try await store.contactHistory(since: nowMillis - 8 * 86_400_000)
            let plans = try await store.planReminderInput(asOf: o.asOf)
            return (version, config, input, facts, history, plans)
        }
        timings.read = split()
        // Invoices under an active payment plan leave the policy's ladder; the plan's own installments are reminded instead.
        let ladder = DunningPlanner.plan(asOf: o.asOf, input: input)
        let installments = InstallmentReminders.plan(
            asOf: o.asOf, plans: planReminders.plans, customers: Dictionary(input.customers.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a }),
            recorded: planReminders.recorded)
        let plan = (messages: ladder.messages + installments.messages, entries: ladder.entries + installments.entries, skips: ladder.skips + installments.skips)
        timings.plan = split()
        let templates: TemplateSet
        switch config.effectiveTemplates() {
        case .success(let set): templates = set
        case .failure(let rejection): throw StoreError.invalid(field: rejection.issues[0].path, rejection.issues[0].message)
        }

        // Compose and schedule every message, customer by customer.
        // A customer's share is recorded whole or not at all: if one of its messages cannot be composed or has no
        // moment it may be sent, none of its messages and entries are written (the next run tries again).
        var shares: [CustomerID: [(planned: DunningMessage, composed: [(ComposedMessage, deliverAt: Int64)])]] = [:]
        var failed: Set<CustomerID> = []
        var skips = plan.skips
        var history = recentSends
        // The portal key is made on first use; a dry run writes nothing, so it shows a placeholder until then.
        let portalKey: String?
        if o.portalURL == nil {
            portalKey = nil
        } else if o.dryRun {
            portalKey = try await db.read { c in try await SecretStore.existing(c, company: company.id, name: PortalLink.secretName) }
        } else {
            portalKey = try await db.transaction { c in try await SecretStore.secret(c, company: company.id, name: PortalLink.secretName) }
        }
        func portalLink(_ customerRef: String) -> String {
            guard let base = o.portalURL else { return "" }
            guard let portalKey else { return base + "/portal/…" }
            return base + "/portal/" + PortalLink(company: company.id, customerRef: customerRef, expires: o.asOf.adding(days: PortalLink.defaultDays)).token(secret: portalKey)
        }
        for m in plan.messages {
            guard let f = facts[m.customerID], !failed.contains(m.customerID) else { continue }
            func fail(_ detail: String) {
                skips.append(DunningSkip(customerID: m.customerID, customerRef: m.customerRef, stepID: m.stepID, currency: m.currency, reason: .noDeliverableChannel, detail: detail))
                failed.insert(m.customerID)
            }
            let composed: [ComposedMessage]
            switch DunningComposer.compose(
                m, to: f.recipient, companyName: company.name, companyLanguage: company.locale, templates: templates, portalLink: portalLink(m.customerRef),
                collectorName: company.name, asOf: o.asOf)
            {
            case .failure(let problem):
                fail(problem.description)
                continue
            case .success(let c): composed = c
            }
            let runAt = DunningSchedule.runInstant(asOf: o.asOf, now: o.now, timeZone: f.timeZone)
            var scheduled: [(ComposedMessage, deliverAt: Int64)] = []
            for cm in composed {
                guard let at = DunningSchedule.deliverAt(
                    cm.channel, runInstant: runAt, country: f.country, timeZone: f.timeZone, rules: config.contact, history: history[m.customerID] ?? [])
                else {
                    fail("no contact window or frequency cap ever allows a \(cm.channel.rawValue) message")
                    break
                }
                if DunningSchedule.isContact(cm.channel) { history[m.customerID, default: []].append(at) }
                scheduled.append((cm, Int64((at.timeIntervalSince1970 * 1000).rounded())))
            }
            shares[m.customerID, default: []].append((m, scheduled))
        }
        for customer in failed { shares[customer] = nil }
        let entriesByCustomer = Dictionary(grouping: plan.entries, by: \.customerID)
        let refs = Dictionary(plan.messages.map { ($0.customerID, $0.customerRef) }, uniquingKeysWith: { a, _ in a })
        timings.compose = split()
        var report = DunningRunReport(
            asOf: o.asOf, dryRun: o.dryRun, configVersion: version, messages: [], entries: 0, skips: skips, alreadyRecorded: [], runID: nil,
            timings: timings)
        func listed(_ customer: CustomerID) {
            for (planned, composed) in shares[customer] ?? [] {
                for (cm, at) in composed {
                    report.messages.append(DunningRunMessage(
                        customerRef: planned.customerRef, stepID: planned.stepID, channel: cm.channel, currency: planned.currency, total: planned.total,
                        invoiceRefs: planned.items.map(\.ref), recipient: cm.recipient, language: cm.language, subject: cm.subject, text: cm.text, deliverAt: at))
                }
            }
        }
        let customers = shares.keys.sorted()
        let (toWrite, skipCount) = (shares, skips.count)
        if o.dryRun {
            for customer in customers {
                listed(customer)
                report.entries += entriesByCustomer[customer]?.count ?? 0
            }
            return report
        }
        // The run record first, then customers in transactions of `recordBatch` (each customer's share in its own
        // savepoint), then the totals: a crash part-way leaves whole customers recorded and the run unfinished; the
        // next run completes the rest, never twice.
        let run = try await db.transaction { c in
            try await DunningStore(c, company: company.id).startRun(asOf: o.asOf, configVersion: version, actor: o.actor, now: nowMillis)
        }
        var done: [CustomerID] = [], lost: [CustomerID] = [], failures: [(CustomerID, String)] = []
        var start = 0
        while start < customers.count {
            let batch = Array(customers[start..<min(start + Self.recordBatch, customers.count)])
            start += Self.recordBatch
            let (ok, gone, failed) = try await db.transaction { c -> ([CustomerID], [CustomerID], [(CustomerID, String)]) in
                let store = DunningStore(c, company: company.id)
                var ok: [CustomerID] = [], gone: [CustomerID] = [], failed: [(CustomerID, String)] = []
                for customer in batch {
                    switch try await store.record(
                        customer: customer, messages: toWrite[customer] ?? [], entries: entriesByCustomer[customer] ?? [], run: run, asOf: o.asOf,
                        now: nowMillis)
                    {
                    case .recorded: ok.append(customer)
                    case .alreadyRecorded: gone.append(customer)
                    case .failed(let why): failed.append((customer, why))
                    }
                }
                return (ok, gone, failed)
            }
            done += ok
            lost += gone
            failures += failed
        }
        let messageCount = done.reduce(0) { n, cu in n + (toWrite[cu] ?? []).reduce(0) { $0 + $1.composed.count } }
        let entryCount = done.reduce(0) { $0 + (entriesByCustomer[$1]?.count ?? 0) }
        let (finishedDone, finishedLost, skipped) = (done, lost, lost.count + failures.count)
        try await db.transaction { c in
            try await DunningStore(c, company: company.id).finishRun(run, messages: messageCount, entries: entryCount, skips: skipCount + skipped, now: nowMillis)
        }
        for (customer, why) in failures {
            report.skips.append(DunningSkip(
                customerID: customer, customerRef: refs[customer] ?? String(customer.rawValue), stepID: nil, currency: nil, reason: .recordFailed, detail: why))
        }
        let written = (run, finishedDone, finishedLost)
        report.timings.record = split()
        report.runID = written.0
        for customer in written.1 {
            listed(customer)
            report.entries += entriesByCustomer[customer]?.count ?? 0
        }
        report.alreadyRecorded = written.2.map { refs[$0] ?? String($0.rawValue) }
        return report
    }
}
