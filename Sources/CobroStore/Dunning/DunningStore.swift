import CobroCore
import Foundation

/// What the store knows about a customer beyond the planner's input: contact details and where it lives.
public struct DunningCustomerFacts: Sendable, Hashable {
    public var recipient: DunningRecipient
    public var timeZone: TimeZone
    public var country: String?
}

/// Reads the planner's input from the ledger and writes a run's outcome: its dunning entries and its outbox
/// messages. SQL only; the rules are `DunningPlanner`'s.
public struct DunningStore: Sendable {
    public let c: any Connection
    public let company: Int64

    public init(_ c: any Connection, company: Int64) {
        self.c = c
        self.company = company
    }

    /// SQL for the disputed amount of invoice `table`: all of it when flagged disputed (the import's `disputed`
    /// column), else the sum of its open and in-review disputes.
    static func disputedAmount(_ table: String) -> String {
        """
        CAST(CASE WHEN \(table).disputed = 1 THEN \(table).amount
             ELSE COALESCE((SELECT SUM(d.amount) FROM dispute d WHERE d.company_id = \(table).company_id AND d.invoice_id = \(table).id
                            AND d.status IN ('open', 'in_review')), 0) END AS BIGINT)
        """
    }

    /// Every customer with an invoice or debit note open at `asOf` (balances as of that day), with what decides
    /// its dunning, the (invoice, step) keys already recorded for those items, and each customer's contact facts.
    /// With `only`, just that customer (for a preview).
    public func planInput(
        asOf: LocalDate, baseCurrency: Currency, rates: [ExchangeRate], assignment: DunningPolicyAssignment, only: CustomerID? = nil
    ) async throws -> (input: DunningPlanInput, facts: [CustomerID: DunningCustomerFacts]) {
        let day = Int64(asOf.dayNumber)
        let one = only.map { " AND i.customer_id = \($0.rawValue)" } ?? ""
        let oneCustomer = only.map { " AND customer_id = \($0.rawValue)" } ?? ""
        // Invoices whose reminders a collector paused leave dunning until resumed.
        let open = "i.company_id = $1 AND i.kind <> 'credit_note' AND i.reminders_paused = 0 AND i.issue_day <= $2 AND (i.open_amount > 0 OR (i.last_alloc_day IS NOT NULL AND i.last_alloc_day > $2))" + one
        // Items under a standing promise or an active plan leave dunning while it stands.
        let cover = try await StandingCoverage.read(c, company: company, day: asOf, customer: only?.rawValue)
        var items: [Int64: [DunningOpenItem]] = [:]
        try await c.forEach(
            """
            SELECT i.customer_id, i.id, i.ref, i.kind, i.issue_day, i.due_day, i.currency, \(ReportStore.openAt("open_amount", "i", "invoice_id")),
                   \(DunningStore.disputedAmount("i"))
            FROM invoice i WHERE \(open)
            """, [.int(company), .int(day)]
        ) { r in
            let balance = r.int(7)
            guard balance > 0, let currency = Currency(code: r.text(6)) else { return }
            items[r.int(0), default: []].append(DunningOpenItem(
                id: InvoiceID(r.int(1)), ref: r.text(2), kind: DocumentKind(rawValue: r.text(3)) ?? .invoice,
                issueDate: LocalDate(dayNumber: Int(r.int(4))), dueDate: LocalDate(dayNumber: Int(r.int(5))), currency: currency,
                openMinor: balance, disputedMinor: min(r.int(8), balance),
                coveredByPromiseOrPlan: cover.covers(invoice: r.int(1), customer: r.int(0), currency: r.text(6))))
        }
        var recorded: Set<DunningLedgerKey> = []
        try await c.forEach(
            "SELECT e.invoice_id, e.step_id FROM dunning_entry e JOIN invoice i ON i.company_id = e.company_id AND i.id = e.invoice_id WHERE \(open)",
            [.int(company), .int(day)]
        ) { r in recorded.insert(DunningLedgerKey(invoiceID: InvoiceID(r.int(0)), stepID: r.text(1))) }
        var lastDunned: [Int64: LocalDate] = [:]
        try await c.forEach(
            "SELECT customer_id, MAX(run_day) FROM message WHERE company_id = $1 AND status <> 'cancelled'\(oneCustomer) GROUP BY customer_id", [.int(company)]
        ) { r in lastDunned[r.int(0)] = LocalDate(dayNumber: Int(r.int(1))) }
        var optedOut: [Int64: Set<DunningChannel>] = [:]
        try await c.forEach("SELECT customer_id, channel FROM channel_opt_out WHERE company_id = $1\(oneCustomer)", [.int(company)]) { r in
            if let ch = DunningChannel(rawValue: r.text(1)) { optedOut[r.int(0), default: []].insert(ch) }
        }
        // The billing contact: the primary contact first, then the oldest; it fills what the customer row lacks.
        var contacts: [Int64: (name: String, email: String?, phone: String?)] = [:]
        try await c.forEach(
            "SELECT customer_id, name, email, phone FROM contact WHERE company_id = $1\(oneCustomer) ORDER BY customer_id, is_primary DESC, id", [.int(company)]
        ) { r in
            if contacts[r.int(0)] == nil { contacts[r.int(0)] = (r.text(1), r.textOrNil(2), r.textOrNil(3)) }
        }
        var risk: [Int64: Int] = [:]
        try await c.forEach("SELECT customer_id, score FROM customer_risk WHERE company_id = $1\(oneCustomer)", [.int(company)]) { r in risk[r.int(0)] = Int(r.int(1)) }
        var customers: [DunningCustomerInput] = []
        var facts: [CustomerID: DunningCustomerFacts] = [:]
        try await c.forEach(
            """
            SELECT id, customer_ref, name, email, phone, postal_address, language, timezone, country, segment, strategic, dunning_policy, handed_over
            FROM customer WHERE company_id = $1\(only.map { " AND id = \($0.rawValue)" } ?? "")
            """, [.int(company)]
        ) { r in
            guard let own = items[r.int(0)] else { return }
            let id = CustomerID(r.int(0))
            let contact = contacts[r.int(0)]
            let recipient = DunningRecipient(
                customerName: r.text(2), contactName: contact?.name ?? "", email: r.textOrNil(3) ?? contact?.email,
                phone: r.textOrNil(4) ?? contact?.phone, postalAddress: r.textOrNil(5), language: r.textOrNil(6))
            facts[id] = DunningCustomerFacts(
                recipient: recipient, timeZone: r.textOrNil(7).flatMap(TimeZone.init(identifier:)) ?? TimeZone(identifier: "UTC")!,
                country: r.textOrNil(8))
            customers.append(DunningCustomerInput(
                id: id, ref: r.text(1), language: r.textOrNil(6), strategic: r.bool(10), segment: r.textOrNil(9),
                policyOverride: r.textOrNil(11), handedOver: r.bool(12), optedOut: optedOut[r.int(0)] ?? [],
                reachability: recipient.reachability, lastDunnedOn: lastDunned[r.int(0)], items: own, risk: risk[r.int(0)]))
        }
        return (DunningPlanInput(baseCurrency: baseCurrency, rates: rates, policies: assignment, customers: customers, recorded: recorded), facts)
    }

    /// The customer's contact sends (email, SMS, statement) scheduled or made at or after `since` (epoch ms), for
    /// the frequency cap.
    public func contactHistory(since: Int64) async throws -> [CustomerID: [Date]] {
        var out: [CustomerID: [Date]] = [:]
        try await c.forEach(
            """
            SELECT customer_id, COALESCE(sent_at, next_attempt_at) FROM message
            WHERE company_id = $1 AND status <> 'cancelled' AND channel IN ('email', 'sms', 'statement') AND COALESCE(sent_at, next_attempt_at) >= $2
            """, [.int(company), .int(since)]
        ) { r in out[CustomerID(r.int(0)), default: []].append(Date(timeIntervalSince1970: Double(r.int(1)) / 1000)) }
        return out
    }

    /// A recorded run.
    public struct RunRecord: Sendable, Hashable {
        public var id: Int64
        public var asOf: LocalDate
        public var configVersion: Int64
        public var actor: String
        public var startedAt: Int64
        public var finishedAt: Int64?
        public var messages: Int64
        public var entries: Int64
        public var skips: Int64
    }

    /// Runs, newest first; `before` is the last id of the previous page (0: from the newest).
    public func runs(before: Int64, limit: Int) async throws -> [RunRecord] {
        try await c.query(
            """
            SELECT id, as_of_day, config_version, actor, started_at, finished_at, messages, entries, skips FROM dunning_run
            WHERE company_id = $1 AND ($2 = 0 OR id < $2) ORDER BY id DESC LIMIT $3
            """, [.int(company), .int(before), .int(Int64(limit))]
        ).map { r in
            RunRecord(
                id: r.int(0), asOf: LocalDate(dayNumber: Int(r.int(1))), configVersion: r.int(2), actor: r.text(3), startedAt: r.int(4),
                finishedAt: r.intOrNil(5), messages: r.int(6), entries: r.int(7), skips: r.int(8))
        }
    }

    /// Opens a run record and returns its id.
    public func startRun(asOf: LocalDate, configVersion: Int64, actor: String, now: Int64) async throws -> Int64 {
        try await c.first(
            "INSERT INTO dunning_run (company_id, as_of_day, config_version, actor, started_at) VALUES ($1, $2, $3, $4, $5) RETURNING id",
            [.int(company), .int(Int64(asOf.dayNumber)), .int(configVersion), .text(actor), .int(now)])!.int(0)
    }

    public func finishRun(_ run: Int64, messages: Int, entries: Int, skips: Int, now: Int64) async throws {
        try await c.execute(
            "UPDATE dunning_run SET finished_at = $3, messages = $4, entries = $5, skips = $6 WHERE company_id = $1 AND id = $2",
            [.int(company), .int(run), .int(now), .int(Int64(messages)), .int(Int64(entries)), .int(Int64(skips))])
    }

    /// What became of a customer's share.
    public enum RecordOutcome: Sendable, Equatable {
        case recorded
        /// Another run recorded one of these (invoice, step) keys, messages or charges first; nothing was written.
        case alreadyRecorded
        /// Something about this customer could not be recorded (the reason); nothing of it was written.
        case failed(String)
    }

    /// Records one customer's share of a plan — its dunning entries, one outbox message per composed channel, its
    /// late charges and escalations — all or nothing (a savepoint). The unique keys make a second send impossible,
    /// whichever run commits first. Database failures other than those keys are thrown.
    public func record(
        customer: CustomerID, messages: [(planned: DunningMessage, composed: [(ComposedMessage, deliverAt: Int64)])],
        entries: [DunningLedgerEntry], run: Int64, asOf: LocalDate, now: Int64
    ) async throws -> RecordOutcome {
        do {
            try await c.savepoint {
                for (planned, composed) in messages {
                    var firstID: Int64?
                    for (m, at) in composed {
                        let id = try await c.first(
                            """
                            INSERT INTO message (company_id, dedupe_key, run_id, customer_id, step_id, channel, currency, total, language, recipient,
                                                 subject, body_text, body_html, status, next_attempt_at, run_day, created_at, template)
                            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, 'queued', $14, $15, $16, $17) RETURNING id
                            """,
                            [.int(company), .text(planned.dedupeKey), .int(run), .int(customer.rawValue), .text(planned.stepID), .text(m.channel.rawValue),
                             .text(planned.currency.code), .int(planned.total.minor), .text(m.language), .text(m.recipient), .text(m.subject),
                             .text(m.text), .of(m.html), .int(at), .int(Int64(asOf.dayNumber)), .int(now), .text(planned.templateKey)])!.int(0)
                        if firstID == nil { firstID = id }
                        try await c.insertRows(
                            "message_item", columns: ["company_id", "message_id", "invoice_id", "amount"],
                            planned.items.map { [.int(company), .int(id), .int($0.invoiceID.rawValue), .int($0.amount.minor)] })
                    }
                    try await postLateCharges(planned, customer: customer, asOf: asOf, now: now)
                    try await escalate(planned, customer: customer, messageID: firstID, asOf: asOf, now: now)
                }
                try await c.insertRows(
                    "dunning_entry", columns: ["company_id", "invoice_id", "step_id", "outcome", "message_key", "run_id", "run_day", "created_at"],
                    entries.map { e in
                        [.int(company), .int(e.key.invoiceID.rawValue), .text(e.key.stepID), .text(e.outcome.rawValue), .text(e.messageKey),
                         .int(run), .int(Int64(e.date.dayNumber)), .int(now)]
                    })
            }
            return .recorded
        } catch let e as DatabaseError where e.kind == .constraint {
            return .alreadyRecorded
        } catch is LateChargesAlreadyPosted {
            return .alreadyRecorded
        } catch let e as StoreError {
            return .failed(e.description)
        }
    }
}
