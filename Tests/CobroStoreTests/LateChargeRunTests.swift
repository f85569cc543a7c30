import CobroCore
import CobroStore
import CobroTestSupport
import Foundation
import Testing

/// What recording a run does besides queueing messages: late charges posted as a debit note, and escalations.
///
/// The worked example with the shipped policy plus 12 % a year fixed interest (actual/365), a flat USD 40.00
/// compensation per late invoice, and a USD 10.00 fee on the final notice. As of 2024-06-30 K1 gets the final notice
/// for INV-7 (1,500.00, due 03-31, 91 days late), INV-5 (3,000.00, due 05-25, 36 days) and INV-2 (4,000.00, due
/// that day). By hand:
/// - INV-7: 1,500 × 0.12 × 91 / 365 = 44.876… → 44.88, plus 40.00;
/// - INV-5: 3,000 × 0.12 × 36 / 365 = 35.506… → 35.51, plus 40.00;
/// - INV-2: not late yet, nothing;
/// - the fee: 10.00.
/// Debit note LC-K1-20240630-final_notice_45-USD: 44.88 + 40 + 35.51 + 40 + 10 = 170.39, due at once.
@Suite("Dunning runs: late charges and escalations") struct LateChargeRunTests {
    static let sunday = d("2024-06-30")

    func config() throws -> DunningConfig {
        var policy = DunningPolicy.cobroDefault
        policy.lateInterest = LatePaymentPolicy(
            interest: .fixed(annualRate: .percent(12)), compensation: FixedCompensation(flat: Money(minor: 40_00, Currency(code: "USD")!)))
        let last = policy.steps.count - 1
        policy.steps[last].lateFee = .fixed([.init(Currency(code: "USD")!, minor: 10_00)])
        var assignment = DunningPolicyAssignment.standard
        assignment.policies[0] = policy
        return DunningConfig(assignment: assignment)
    }

    func run(_ db: any Database, _ co: CompanyRecord, _ day: LocalDate) async throws -> DunningRunReport {
        try await DunningRunner.run(
            db, company: co, options: .init(asOf: day, actor: "test"), clock: .fixed(Int64(day.dayNumber) * 86_400_000 + 43_200_000))
    }

    @Test("a run posts its late charges once as a debit note shown in the next reminder, and carries out the step's escalations", arguments: TestDatabases.kinds)
    func chargesAndEscalations(kind: SQLDialect) async throws {
        try await TestDatabases.with(kind) { db, co in
            try await WorkedExample.load(db, co)
            let cfg = try config()
            try await db.transaction { c in try await DunningConfigStore.save(c, company: co.id, config: cfg, actor: "test", now: 0) }
            _ = try await run(db, co, Self.sunday)

            let note = try await db.read { c in try await LedgerQueries(c, company: co.id).document(ref: "LC-K1-20240630-final_notice_45-USD") }
            let k1 = try #require(note)
            #expect(k1.document.kind == .debitNote && k1.document.amountMinor == 170_39 && k1.document.dueDate == Self.sunday)
            #expect(k1.document.description?.contains("Late interest INV-7 2024-04-01–2024-06-30 44.88") == true)
            let lines = try await db.read { c in
                try await c.query(
                    "SELECT kind, amount FROM late_charge WHERE company_id = $1 AND debit_note_id = (SELECT id FROM invoice WHERE company_id = $1 AND ref = 'LC-K1-20240630-final_notice_45-USD') ORDER BY kind, amount",
                    [.int(co.id)]
                ).map { "\($0.text(0)) \($0.int(1))" }
            }
            #expect(lines == ["compensation 4000", "compensation 4000", "fee 1000", "interest 3551", "interest 4488"])
            let audited = try await db.read { c in
                try await c.first(
                    "SELECT actor FROM audit_event WHERE company_id = $1 AND action = 'debit_note.create' AND entity_ref = 'LC-K1-20240630-final_notice_45-USD'", [.int(co.id)]
                )?.text(0)
            }
            #expect(audited == "dunning")

            // Final notice escalations: credit hold and hand-over to an agency (pending a person's confirmation).
            let customer = try #require(try await db.read { c in try await LedgerQueries(c, company: co.id).customer(ref: "K1") })
            #expect(customer.collections.creditHold && customer.collections.handOver == "agency" && !customer.collections.handedOver)
            let task = try #require(try await db.read { c in
                try await TaskStore.list(c, company: co.id, status: .open, kind: .handOver, customerRef: "K1", after: 0, limit: 5).first
            })

            // The same day again: nothing new is charged.
            let charged = try await db.read { c in try await c.first("SELECT COUNT(*) FROM late_charge WHERE company_id = $1", [.int(co.id)])!.int(0) }
            #expect(try await run(db, co, Self.sunday).messages.isEmpty)
            #expect(try await db.read { c in try await c.first("SELECT COUNT(*) FROM late_charge WHERE company_id = $1", [.int(co.id)])!.int(0) } == charged)

            // A month later (before the hand-over is confirmed) INV-5 reaches the final notice (67 days), so K1's next
            // reminder is a final notice again and lists the June debit note (31 days overdue). Charged by hand:
            // - fee 10.00;
            // - INV-1, due 07-20: 5,000 × 0.12 × 11 / 365 = 18.082… → 18.08, plus 40.00;
            // - INV-2, due 06-30: 4,000 × 0.12 × 31 / 365 = 40.767… → 40.77, plus 40.00;
            // - INV-5: interest to 07-31 is 3,000 × 0.12 × 67 / 365 = 66.082… → 66.08, less the 35.51 charged in June = 30.57
            //   (no second compensation);
            // - INV-7: not in this message (its last step was sent), so nothing.
            // 10.00 + 18.08 + 40.00 + 40.77 + 40.00 + 30.57 = 179.42.
            let later = try await run(db, co, d("2024-07-31"))
            let next = try #require(later.messages.first { $0.customerRef == "K1" })
            #expect(next.stepID == "final_notice_45" && next.invoiceRefs.contains("LC-K1-20240630-final_notice_45-USD"))
            let july = try #require(try await db.read { c in try await LedgerQueries(c, company: co.id).document(ref: "LC-K1-20240731-final_notice_45-USD") })
            #expect(july.document.amountMinor == 179_42, "\(july.document.description ?? "")")

            // Confirming the hand-over stops the reminders.
            _ = try await db.transaction { c in
                try await TaskStore.close(c, company: co.id, id: task.id, status: .done, outcome: "sent to Agencia Norte", actor: "ana", now: 0)
            }
            let after = try await DunningRunner.run(db, company: co, options: .init(asOf: d("2024-08-31"), dryRun: true, actor: "test"), clock: .fixed(0))
            #expect(after.skips.contains { $0.customerRef == "K1" && $0.reason == .handedOver })
        }
    }

    @Test("a customer whose interest cannot be computed is skipped with the reason; the others are recorded")
    func interestFailureSkipsOneCustomer() async throws {
        try await TestDatabases.with(.sqlite) { db, co in
            try await WorkedExample.load(db, co)
            // Reference rates from 2024-04-01 only: K1's oldest item (INV-7, due 03-31) accrues from 04-01, fine; K2's
            // INV-8 (due 02-14) would accrue from 02-15, when no rate is in force.
            var policy = DunningPolicy.cobroDefault
            policy.lateInterest = LatePaymentPolicy(interest: .euLatePaymentDirective(referenceRates: [
                ReferenceRate(effectiveFrom: d("2024-04-01"), rate: .percent(4)),
            ]))
            var assignment = DunningPolicyAssignment.standard
            assignment.policies[0] = policy
            let cfg = DunningConfig(assignment: assignment)
            try await db.transaction { c in try await DunningConfigStore.save(c, company: co.id, config: cfg, actor: "test", now: 0) }
            let r = try await run(db, co, Self.sunday)
            #expect(r.messages.map(\.customerRef) == ["K1"])
            let skip = try #require(r.skips.first { $0.customerRef == "K2" && $0.reason == .recordFailed })
            #expect(skip.detail.contains("INV-8") && skip.detail.contains("no reference rate"), "\(skip.detail)")
            let k2Messages = try await db.read { c in
                try await c.first(
                    "SELECT COUNT(*) FROM message m JOIN customer cu ON cu.company_id = m.company_id AND cu.id = m.customer_id WHERE m.company_id = $1 AND cu.customer_ref = 'K2'",
                    [.int(co.id)])!.int(0)
            }
            #expect(k2Messages == 0)
        }
    }
}
