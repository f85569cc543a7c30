import CobroCore
import CobroStore
import CobroTestSupport
import Foundation
import Testing

/// Dunning runs over the worked example (reference §2.4) with the shipped 6-step policy, as of Sunday 2024-06-30.
///
/// Expected by hand: K1 owes INV-2 (due that day), INV-5 (36 days late) and INV-7 (91 days); K2 owes INV-3 (11),
/// INV-4 (30), INV-6 (72) and INV-8 (137). Each customer gets one message at its highest due level (final notice),
/// by email (the letter has no postal address to go to); each item records its own highest due step as sent and
/// every lower one as superseded: K1 2 + 5 + 6 = 13 entries, K2 3 + 5 + 6 + 6 = 20.
@Suite("Dunning runs") struct DunningRunTests {
    static let sunday = d("2024-06-30")

    func run(_ db: any Database, _ co: CompanyRecord, _ day: LocalDate, dryRun: Bool = false) async throws -> DunningRunReport {
        // The clock stands at noon UTC of the run's date (a run that records cannot be dated in the future).
        try await DunningRunner.run(
            db, company: co, options: .init(asOf: day, dryRun: dryRun, actor: "test"), clock: .fixed(Int64(day.dayNumber) * 86_400_000 + 43_200_000))
    }

    func counts(_ db: any Database, _ co: CompanyRecord) async throws -> (messages: Int64, entries: Int64) {
        try await db.read { c in
            (try await c.first("SELECT COUNT(*) FROM message WHERE company_id = $1", [.int(co.id)])!.int(0),
             try await c.first("SELECT COUNT(*) FROM dunning_entry WHERE company_id = $1", [.int(co.id)])!.int(0))
        }
    }

    @Test("a run records each due step once, at the highest level; a dry run shows the same and writes nothing", arguments: TestDatabases.kinds)
    func firstRun(kind: SQLDialect) async throws {
        try await TestDatabases.with(kind) { db, co in
            try await WorkedExample.load(db, co)
            let dry = try await run(db, co, Self.sunday, dryRun: true)
            #expect(dry.messages.map { "\($0.customerRef) \($0.stepID) \($0.channel.rawValue)" }.sorted() == ["K1 final_notice_45 email", "K2 final_notice_45 email"])
            #expect(dry.entries == 33)
            #expect(try await counts(db, co) == (0, 0))

            let real = try await run(db, co, Self.sunday)
            #expect(real.messages.map(\.subject) == dry.messages.map(\.subject))
            #expect(try await counts(db, co) == (2, 33))
            let k1 = try #require(real.messages.first { $0.customerRef == "K1" })
            #expect(k1.invoiceRefs == ["INV-7", "INV-5", "INV-2"])
            #expect(k1.total == Money(minor: 850_000, Currency(code: "USD")!))
            #expect(k1.recipient == "cxp@kappa.example" && k1.language == "es")
            // Sunday: no contact; Monday 08:00 in Bogotá (UTC−5) is 13:00 UTC.
            #expect(k1.deliverAt == Int64(Date(timeIntervalSince1970: 1_719_838_800).timeIntervalSince1970 * 1000))
            let outcomes = try await db.read { c in
                try await c.query(
                    """
                    SELECT i.ref, e.step_id, e.outcome FROM dunning_entry e JOIN invoice i ON i.company_id = e.company_id AND i.id = e.invoice_id
                    WHERE e.company_id = $1 AND i.ref IN ('INV-7', 'INV-2') ORDER BY i.ref, e.outcome, e.step_id
                    """, [.int(co.id)]
                ).map { "\($0.text(0)) \($0.text(1)) \($0.text(2))" }
            }
            #expect(outcomes == [
                "INV-2 due_today sent", "INV-2 reminder_before_due superseded",
                "INV-7 final_notice_45 sent", "INV-7 due_today superseded", "INV-7 overdue_15 superseded", "INV-7 overdue_30 superseded",
                "INV-7 overdue_7 superseded", "INV-7 reminder_before_due superseded",
            ])
        }
    }

    @Test("repeating a run, or running on later days, never sends a step twice", arguments: TestDatabases.kinds)
    func neverTwice(kind: SQLDialect) async throws {
        try await TestDatabases.with(kind) { db, co in
            try await WorkedExample.load(db, co)
            _ = try await run(db, co, Self.sunday)
            let again = try await run(db, co, Self.sunday)
            #expect(again.messages.isEmpty)
            #expect(Set(again.skips.map(\.reason)) == [.alreadyDunned])
            // Nothing new falls due on 1 July; on 4 July INV-3 reaches +15 days, and only that step goes out.
            #expect(try await run(db, co, d("2024-07-01")).messages.isEmpty)
            let july4 = try await run(db, co, d("2024-07-04"))
            #expect(july4.messages.map { "\($0.customerRef) \($0.stepID) \($0.channel.rawValue) \($0.invoiceRefs)" } == ["K2 overdue_15 email [\"INV-3\"]"])
            #expect(try await counts(db, co) == (3, 34))
            #expect(try await run(db, co, d("2024-07-04")).messages.isEmpty)
        }
    }

    @Test("two runs at the same time record every (invoice, step) once between them", arguments: TestDatabases.kinds)
    func concurrentRuns(kind: SQLDialect) async throws {
        try await TestDatabases.with(kind) { db, co in
            try await WorkedExample.load(db, co)
            async let a = run(db, co, Self.sunday)
            async let b = run(db, co, Self.sunday)
            let (ra, rb) = try await (a, b)
            #expect(ra.messages.count + rb.messages.count == 2)
            #expect(try await counts(db, co) == (2, 33))
        }
    }

    @Test("a paid or fully disputed invoice is not dunned; the customer's other items still are", arguments: TestDatabases.kinds)
    func skips(kind: SQLDialect) async throws {
        try await TestDatabases.with(kind) { db, co in
            try await WorkedExample.load(db, co)
            _ = try await importer(db, co).run(.payments, csv: "payment_ref,customer_ref,payment_date,currency,amount,invoice_ref\nP7,K1,2024-06-29,USD,1500.00,INV-7\n")
            _ = try await importer(db, co).run(.invoices, csv: """
                invoice_ref,customer_ref,issue_date,due_date,currency,amount,disputed
                INV-6,K2,2024-03-20,2024-04-19,USD,2000.00,true

                """)
            let r = try await run(db, co, Self.sunday, dryRun: true)
            let k1 = try #require(r.messages.first { $0.customerRef == "K1" })
            #expect(k1.invoiceRefs == ["INV-5", "INV-2"] && k1.stepID == "overdue_30")
            let k2 = try #require(r.messages.first { $0.customerRef == "K2" })
            #expect(k2.invoiceRefs == ["INV-8", "INV-4", "INV-3"])
            #expect(r.skips.contains { $0.customerRef == "K2" && $0.reason == .disputed })
        }
    }

    @Test("a saved configuration is versioned and used by the next run; an invalid one is refused with the field at fault", arguments: TestDatabases.kinds)
    func configuration(kind: SQLDialect) async throws {
        try await TestDatabases.with(kind) { db, co in
            try await WorkedExample.load(db, co)
            let quiet = DunningPolicyAssignment(
                policies: DunningPolicy.builtIn, defaultPolicyID: DunningPolicy.cobroDefault.id, segmentPolicyIDs: ["retail": DunningPolicy.noReminders.id])
            let version = try await db.transaction { c in
                try await DunningConfigStore.save(c, company: co.id, config: DunningConfig(assignment: quiet), actor: "test", now: 0)
            }
            #expect(version == 1)
            // K2 is in segment "retail": no reminders; K1 (industrial) keeps the default policy.
            let r = try await run(db, co, Self.sunday, dryRun: true)
            #expect(r.configVersion == 1)
            #expect(r.messages.map(\.customerRef) == ["K1"])
            #expect(r.skips.contains { $0.customerRef == "K2" && $0.reason == .noReminders })
            let broken = DunningPolicyAssignment(policies: DunningPolicy.builtIn, defaultPolicyID: "missing")
            do {
                _ = try await db.transaction { c in
                    try await DunningConfigStore.save(c, company: co.id, config: DunningConfig(assignment: broken), actor: "test", now: 0)
                }
                Issue.record("a configuration naming a missing default policy was saved")
            } catch let StoreError.invalid(field, message) {
                #expect(field == "assignment.default" && message.contains("missing"), "\(field): \(message)")
            }
            #expect(try await db.read { c in try await DunningConfigStore.current(c, company: co.id).version } == 1)
        }
    }

    @Test("a run that records may be dated at most tomorrow on the company's clock; a dry run may look further ahead")
    func futureRuns() async throws {
        try await TestDatabases.with(.sqlite) { db, co in
            try await WorkedExample.load(db, co)
            let monday = Clock.fixed(1_719_835_200_000)  // 2024-07-01 12:00 UTC; the company's zone is UTC
            do {
                _ = try await DunningRunner.run(db, company: co, options: .init(asOf: d("2024-07-03"), actor: "test"), clock: monday)
                Issue.record("a run dated the day after tomorrow was recorded")
            } catch let StoreError.invalid(field, message) {
                #expect(field == "as_of" && message.contains("2024-07-02"), "\(message)")
            }
            #expect(try await DunningRunner.run(db, company: co, options: .init(asOf: d("2024-09-30"), dryRun: true, actor: "test"), clock: monday).messages.count == 2)
            #expect(try await DunningRunner.run(db, company: co, options: .init(asOf: d("2024-07-02"), actor: "test"), clock: monday).runID != nil)
        }
    }
}
