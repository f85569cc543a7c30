import CobroCore
import Foundation

/// The late-charge debit note of a message exists already: an earlier run posted these charges.
struct LateChargesAlreadyPosted: Error {}

/// What recording a message does besides queueing it: late charges posted as a debit note and the step's
/// escalations. Runs inside the customer's savepoint in ``DunningStore/record(customer:messages:entries:run:asOf:now:)``,
/// so it happens exactly once with the message, or not at all.
extension DunningStore {
    static let actor = "dunning"

    /// Posts the message's fee, interest and compensation (``LateChargePosting``) as one debit note due at once,
    /// with a `late_charge` row per line (unique per charge). Returns the debit note's ref, or `nil` when nothing
    /// is charged.
    @discardableResult
    func postLateCharges(_ m: DunningMessage, customer: CustomerID, asOf: LocalDate, now: Int64) async throws -> String? {
        var lines: [LateChargePosting.Line] = []
        // Earlier late-charge notes listed in the message bear no fee (no fee on fees); a message listing only such
        // notes charges none.
        if let fee = m.lateFee {
            let notes = try await lateChargeNotes(m.items.filter { $0.kind == .debitNote }.map(\.invoiceID))
            let feeBase = m.items.filter { !notes.contains($0.invoiceID.rawValue) }.reduce(Int64(0)) { $0 + $1.amount.minor }
            if feeBase > 0, let line = LateChargePosting.fee(fee, total: Money(minor: feeBase, m.currency), messageKey: m.dedupeKey) {
                lines.append(line)
            }
        }
        if let policy = m.lateInterest {
            for item in try await lateChargeItems(m.items.filter { $0.kind == .invoice }.map(\.invoiceID), asOf: asOf) {
                switch LateChargePosting.charges(policy, item: item, asOf: asOf) {
                case .success(let l): lines += l
                case .failure(let e): throw StoreError.invalid(field: "policy \(m.policyID) late_interest", "interest on \(item.ref): \(e)")
                }
            }
        }
        guard !lines.isEmpty else { return nil }
        let total = lines.reduce(Int64(0)) { $0 + $1.amount.minor }
        // One note per message: customer, date, step and currency name it.
        let ref = "LC-\(m.customerRef)-\(asOf.iso.replacing("-", with: ""))-\(m.stepID)-\(m.currency.code)"
        let writer = LedgerWriter(c, company: company, actor: Self.actor, now: now, events: try await EventSink.load(c, company: company))
        let document = Document(
            ref: ref, customerRef: m.customerRef, kind: .debitNote, issueDate: asOf, dueDate: asOf, currency: m.currency, amountMinor: total,
            description: LateChargePosting.description(lines))
        if try await c.first("SELECT 1 FROM invoice WHERE company_id = $1 AND ref = $2", [.int(company), .text(ref)]) != nil {
            throw LateChargesAlreadyPosted()
        }
        guard case .success(.inserted(let noteID)) = try await writer.upsertDocument(document, customerID: customer.rawValue, importID: nil) else {
            throw LateChargesAlreadyPosted()
        }
        for l in lines {
            try await c.execute(
                """
                INSERT INTO late_charge (company_id, source_key, customer_id, invoice_id, kind, from_day, through_day, currency, amount,
                                         debit_note_id, message_key, created_at)
                VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)
                """,
                [.int(company), .text(l.sourceKey), .int(customer.rawValue), .of(l.invoiceID?.rawValue), .text(l.kind.rawValue),
                 .of(l.from.map { Int64($0.dayNumber) }), .of(l.through.map { Int64($0.dayNumber) }), .text(m.currency.code), .int(l.amount.minor),
                 .int(noteID), .text(m.dedupeKey), .int(now)])
        }
        return ref
    }

    /// Which of `ids` are late-charge debit notes.
    func lateChargeNotes(_ ids: [InvoiceID]) async throws -> Set<Int64> {
        guard !ids.isEmpty else { return [] }
        let list = ids.map { String($0.rawValue) }.joined(separator: ", ")
        return Set(try await c.query(
            "SELECT DISTINCT debit_note_id FROM late_charge WHERE company_id = $1 AND debit_note_id IN (\(list))", [.int(company)]
        ).map { $0.int(0) })
    }

    /// The invoices' amounts, due dates, open-amount history up to `asOf` and what was charged on them before.
    func lateChargeItems(_ ids: [InvoiceID], asOf: LocalDate) async throws -> [LateChargePosting.Item] {
        guard !ids.isEmpty else { return [] }
        let list = ids.map { String($0.rawValue) }.joined(separator: ", ")
        let day = Int64(asOf.dayNumber)
        var changes: [Int64: [(day: Int, delta: Int64)]] = [:]
        try await c.forEach(
            "SELECT invoice_id, applied_day, reversed_day, amount FROM allocation WHERE company_id = $1 AND invoice_id IN (\(list)) AND applied_day <= $2",
            [.int(company), .int(day)]
        ) { r in
            changes[r.int(0), default: []].append((Int(r.int(1)), -r.int(3)))
            if let reversed = r.intOrNil(2), reversed <= day { changes[r.int(0), default: []].append((Int(reversed), r.int(3))) }
        }
        var chargedThrough: [Int64: LocalDate] = [:]
        var charged: [Int64: Int64] = [:]
        var compensated: Set<Int64> = []
        try await c.forEach(
            """
            SELECT invoice_id, kind, MAX(through_day), CAST(SUM(amount) AS BIGINT) FROM late_charge
            WHERE company_id = $1 AND invoice_id IN (\(list)) GROUP BY invoice_id, kind
            """, [.int(company)]
        ) { r in
            if r.text(1) == "interest", let through = r.intOrNil(2) {
                chargedThrough[r.int(0)] = LocalDate(dayNumber: Int(through))
                charged[r.int(0)] = r.int(3)
            }
            if r.text(1) == "compensation" { compensated.insert(r.int(0)) }
        }
        return try await c.query(
            "SELECT id, ref, amount, due_day, currency FROM invoice WHERE company_id = $1 AND id IN (\(list)) ORDER BY id", [.int(company)]
        ).compactMap { r in
            guard let currency = Currency(code: r.text(4)) else { return nil }
            var open = r.int(2)
            var history: [BalanceChange] = []
            for (d, delta) in (changes[r.int(0)] ?? []).sorted(by: { $0.day < $1.day }) {
                open += delta
                if let last = history.last, last.date.dayNumber == d { history.removeLast() }
                history.append(BalanceChange(date: LocalDate(dayNumber: d), openMinor: open))
            }
            return LateChargePosting.Item(
                invoiceID: InvoiceID(r.int(0)), ref: r.text(1), amount: Money(minor: r.int(2), currency), dueDate: LocalDate(dayNumber: Int(r.int(3))),
                balanceChanges: history, interestChargedThrough: chargedThrough[r.int(0)], interestChargedMinor: charged[r.int(0)] ?? 0,
                compensationCharged: compensated.contains(r.int(0)))
        }
    }

    /// Carries out the step's escalations for the customer, audited: credit hold, reassignment to the manager, or
    /// marking for hand-over (with a task for a person to confirm it; confirming sets `handed_over`, after which the
    /// planner skips the customer).
    func escalate(_ m: DunningMessage, customer: CustomerID, messageID: Int64?, asOf: LocalDate, now: Int64) async throws {
        for e in m.escalations {
            let change: (column: String, value: String)
            switch e {
            case .creditHold: change = ("credit_hold", "1")
            case .reassignToManager: change = ("collector", "manager")
            case .handOverToAgency: change = ("hand_over", "agency")
            case .handOverToLegal: change = ("hand_over", "legal")
            }
            let value: SQLValue = e == .creditHold ? .int(1) : .text(change.value)
            // Only a real change is written and audited (NULL counts as different).
            let changed = try await c.query(
                """
                UPDATE customer SET \(change.column) = $3
                WHERE company_id = $1 AND id = $2 AND (\(change.column) IS NULL OR \(change.column) <> $3) RETURNING id
                """, [.int(company), .int(customer.rawValue), value]
            ).count > 0
            if e == .creditHold {
                // A dunning hold stays until a person lifts it, even over an automatic one (credit control never
                // releases it); the ERP hears of it like of any hold.
                try await c.execute(
                    "UPDATE customer SET credit_hold_reason = 'dunning' WHERE company_id = $1 AND id = $2", [.int(company), .int(customer.rawValue)])
                if changed {
                    try await EventSink.load(c, company: company).emit(
                        c, .customerCreditHold, eventID: "customer.credit_hold:\(m.customerRef):\(now)",
                        data: ["customer_ref": m.customerRef, "reason": "dunning", "step": m.stepID], now: now)
                }
            }
            guard changed else { continue }
            if e == .reassignToManager {
                // Part of the customer's collector history like any other move (the previous collector is not kept
                // by the single-column update above, so the history shows the step as the reason).
                try await c.execute(
                    """
                    INSERT INTO collector_assignment (company_id, customer_id, previous, collector, source, reason, at, changed_by)
                    VALUES ($1, $2, NULL, $3, 'escalation', $4, $5, $6)
                    """, [.int(company), .int(customer.rawValue), .text(change.value), .text("dunning step \(m.stepID)"), .int(now), .text(Self.actor)])
            }
            try await Audit.record(
                c, company: company, actor: Self.actor, action: "customer.\(e.rawValue)", entity: "customer", ref: m.customerRef, before: nil,
                after: [change.column: e == .creditHold ? "true" : change.value, "step": m.stepID], at: now)
            if e == .handOverToAgency || e == .handOverToLegal {
                let to = e == .handOverToAgency ? "a collection agency" : "legal"
                try await c.execute(
                    """
                    INSERT INTO task (company_id, customer_id, kind, status, due_day, title, detail, message_id, created_at)
                    VALUES ($1, $2, 'hand_over', 'open', $3, $4, $5, $6, $7)
                    ON CONFLICT DO NOTHING
                    """,
                    [.int(company), .int(customer.rawValue), .int(Int64(asOf.dayNumber)), .text("Confirm hand-over of \(m.customerRef) to \(to)"),
                     .text("Step \(m.stepID) asks to hand \(m.customerRef) over to \(to) for \(m.total.decimalString) \(m.currency.code). Close this task as done once it is handed over; Cobro then stops sending reminders."),
                     .of(messageID), .int(now)])
            }
        }
    }
}

extension DunningStore {
    /// Pauses (or resumes) the reminders of the named invoices; each change is audited. Returns the refs changed.
    public static func setRemindersPaused(_ c: any Connection, company: Int64, invoiceRefs: [String], paused: Bool, actor: String, now: Int64) async throws -> [String] {
        var changed: [String] = []
        for ref in invoiceRefs {
            guard try await c.first(
                "UPDATE invoice SET reminders_paused = $3 WHERE company_id = $1 AND ref = $2 AND reminders_paused <> $3 RETURNING id",
                [.int(company), .text(ref), .int(paused ? 1 : 0)]) != nil
            else { continue }
            try await Audit.record(
                c, company: company, actor: actor, action: paused ? "invoice.reminders_paused" : "invoice.reminders_resumed", entity: "invoice", ref: ref,
                before: ["reminders_paused": paused ? "false" : "true"], after: ["reminders_paused": paused ? "true" : "false"], at: now)
            changed.append(ref)
        }
        return changed
    }
}
