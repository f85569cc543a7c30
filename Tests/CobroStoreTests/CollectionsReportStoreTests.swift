import CobroCore
import CobroStore
import CobroTestSupport
import Foundation
import Testing

@Suite("Collections reports over the store") struct CollectionsReportStoreTests {
    static let now: Int64 = 1_719_835_200_000  // 2024-07-01T12:00:00Z

    @Test("calls and disputes recorded through the stores feed contactability, open disputes and default reasons", arguments: TestDatabases.kinds)
    func reports(kind: SQLDialect) async throws {
        try await TestDatabases.with(kind) { db, co in
            try await WorkedExample.load(db, co)
            let id = co.id
            try await db.transaction { c in
                let calls: [(String, CallOutcome, String, Int64)] = [
                    ("K1", .noAnswer, "ana", Self.now - 86_400_000), ("K1", .promise, "ana", Self.now - 3_600_000),
                    ("K2", .refused, "beto", Self.now - 7_200_000), ("K2", .noAnswer, "beto", Self.now - 40 * 86_400_000),  // outside the period
                ]
                for (cust, outcome, who, at) in calls {
                    _ = try await InteractionStore.record(
                        c, company: id, customerRef: cust, kind: .call, outcome: outcome, atMillis: at, summary: outcome == .noAnswer ? nil : "spoke",
                        contactName: nil, invoiceRefs: [], actor: who, now: Self.now)
                }
                _ = try await DisputeStore.open(c, company: id, invoices: [(ref: "INV-3", amount: "200.00")], reason: .pricing, owner: "ana", dueDate: d("2024-07-05"),
                                                comment: nil, today: d("2024-07-01"), actor: "ana", now: Self.now)
                _ = try await DisputeStore.open(c, company: id, invoices: [(ref: "INV-4", amount: nil)], reason: .quality, owner: nil, dueDate: nil,
                                                comment: nil, today: d("2024-07-01"), actor: "ana", now: Self.now)
            }
            let tz = TimeZone(identifier: "UTC")!
            let (contact, open, reasons) = try await db.read { c in
                (try await CollectionsReportStore.contactability(c, company: id, timeZone: tz, from: d("2024-06-02"), to: d("2024-07-01")),
                 try await CollectionsReportStore.openDisputes(c, company: id, timeZone: tz, today: d("2024-07-10")),
                 try await CollectionsReportStore.defaultReasons(c, company: id, timeZone: tz, from: d("2024-06-02"), to: d("2024-07-01")))
            }
            #expect(contact.total.dials == 3 && contact.total.rightPartyContacts == 2 && contact.total.promises == 1)
            #expect(contact.total.accountsWorked == 2 && contact.total.accountsReached == 2)
            #expect(contact.byCollector.map { "\($0.collector):\($0.figures.dials)" } == ["ana:2", "beto:1"])
            #expect(open.map(\.invoiceRef) == ["INV-3", "INV-4"])
            #expect(open[0].sla == .overdue && open[0].daysOverdue == 5 && open[0].ageDays == 9 && open[0].amountMinor == 20_000)
            #expect(open[1].sla == .noDueDate && open[1].amountMinor == 250_000, "the whole open amount of INV-4")
            #expect(reasons.map { "\($0.source)/\($0.reason)=\($0.count)" } == ["call/no_answer=1", "call/refused=1", "dispute/pricing=1", "dispute/quality=1"])
        }
    }

    @Test("discount effectiveness reads the DISC credit notes and settlement days as the ledger stood on the day asked", arguments: TestDatabases.kinds)
    func discounts(kind: SQLDialect) async throws {
        try await TestDatabases.with(kind) { db, co in
            let imp = Importer(db: db, company: co, actor: "test", clock: .fixed(1_719_835_200_000))
            #expect(try await imp.run(.customers, csv: WorkedExample.customers, strict: true).committed)
            let invoices = """
                invoice_ref,customer_ref,issue_date,due_date,currency,amount,terms
                D-1,K1,2024-06-01,2024-07-01,USD,10000.00,2/10 net 30
                D-2,K2,2024-06-01,2024-07-01,USD,10000.00,2/10 net 30
                D-3,K2,2024-06-01,2024-07-01,USD,10000.00,net 30
                D-4,K2,2024-06-25,2024-07-25,USD,10000.00,2/10 net 30
                D-5,K1,2024-06-01,2024-07-01,USD,10000.00,2/10 net 30

                """
            #expect(try await imp.run(.invoices, csv: invoices, strict: true).committed)
            // D-1 takes the discount on day 10; D-2 pays 9,800 a day late and the rest on 07-11 (day 40).
            let payments = """
                payment_ref,customer_ref,payment_date,currency,amount,invoice_ref
                P-IN,K1,2024-06-11,USD,9800.00,D-1
                P-LATE,K2,2024-06-12,USD,9800.00,D-2
                P-REST,K2,2024-07-11,USD,200.00,D-2

                """
            #expect(try await imp.run(.payments, csv: payments, strict: true).committed)
            let (july1, july31) = try await db.read { c in
                (try await CollectionsReportStore.discountEffectiveness(c, company: co.id, from: d("2024-06-01"), to: d("2024-06-30"), asOf: d("2024-07-01")),
                 try await CollectionsReportStore.discountEffectiveness(c, company: co.id, from: d("2024-06-01"), to: d("2024-06-30"), asOf: d("2024-07-31")))
            }
            // "net 30" has no discount: not in the report. On 07-31 every window has closed: 1 of 4 took it.
            let g = try #require(july31.first)
            #expect(july31.count == 1 && g.invoices == 4 && g.decided == 4 && g.taken == 1 && g.takeRateBasisPoints == 2_500)
            #expect(g.discountMinor == 200_00 && g.averageDaysToPayTaken == 10 && g.averageDaysToPayOthers == 40 && g.daysSaved == 30)
            #expect(abs(try #require(g.annualisedCost) - 0.248299) < 0.000001)
            // On 07-01 D-4's window is still open and D-2's last 200.00 has not arrived: nobody paid in full without it.
            let e = try #require(july1.first)
            #expect(e.decided == 3 && e.takeRateBasisPoints == 3_333 && e.paidWithoutDiscount == 0 && e.daysSaved == nil)
        }
    }
}
