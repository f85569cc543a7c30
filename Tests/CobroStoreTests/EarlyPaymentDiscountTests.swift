import CobroCore
import CobroStore
import CobroTestSupport
import Foundation
import Testing

/// Early-payment discounts on cash application (reference §4.2): a 10,000.00 invoice dated 2024-06-01 on 2/10 net 30
/// is settled by 9,800.00 paid by 2024-06-11 (inclusive); from 06-12 the full 10,000.00 is due.
@Suite("Early-payment discount") struct EarlyPaymentDiscountTests {
    static let invoices = """
        invoice_ref,customer_ref,issue_date,due_date,currency,amount,terms
        D-1,K1,2024-06-01,2024-07-01,USD,10000.00,2/10 net 30
        D-2,K2,2024-06-01,2024-07-01,USD,10000.00,2/10 net 30
        D-3,K2,2024-06-01,2024-07-01,USD,10000.00,net 30

        """

    func open(_ db: any Database, _ co: CompanyRecord, _ ref: String) async throws -> Int64? {
        try await db.read { c in try await LedgerQueries(c, company: co.id).document(ref: ref)?.openMinor }
    }

    /// The credit note booking the discount `payment` earned on `invoice` (named by their ids).
    func discountNote(_ db: any Database, _ co: CompanyRecord, payment: String, invoice: String) async throws -> DocumentView? {
        try await db.read { c in
            guard let p = try await c.first("SELECT id FROM payment WHERE company_id = $1 AND ref = $2", [.int(co.id), .text(payment)])?.int(0),
                let i = try await c.first("SELECT id FROM invoice WHERE company_id = $1 AND ref = $2", [.int(co.id), .text(invoice)])?.int(0)
            else { return nil }
            return try await LedgerQueries(c, company: co.id).document(ref: "DISC-\(p)-\(i)")
        }
    }

    @Test("inside the window a payment settles the discounted amount and a credit note books the discount; outside it does not", arguments: TestDatabases.kinds)
    func discount(kind: SQLDialect) async throws {
        try await TestDatabases.with(kind) { db, co in
            let imp = Importer(db: db, company: co, actor: "test", clock: .fixed(1_719_835_200_000))
            #expect(try await imp.run(.customers, csv: WorkedExample.customers, strict: true).committed)
            #expect(try await imp.run(.invoices, csv: Self.invoices, strict: true).committed)
            let payments = """
                payment_ref,customer_ref,payment_date,currency,amount,invoice_ref
                P-IN,K1,2024-06-11,USD,9800.00,D-1
                P-LATE,K2,2024-06-12,USD,9800.00,D-2
                P-PLAIN,K2,2024-06-05,USD,4900.00,D-3

                """
            #expect(try await imp.run(.payments, csv: payments, strict: true).committed)
            // On the last day of the window: settled in full, 200.00 of discount.
            #expect(try await open(db, co, "D-1") == 0)
            let credit = try #require(try await discountNote(db, co, payment: "P-IN", invoice: "D-1"))
            #expect(credit.document.kind == .creditNote && credit.document.amountMinor == 200_00 && credit.openMinor == 0)
            #expect(credit.document.description == "Early-payment discount 2/10 net 30 on D-1, paid by P-IN")
            // A day late: no discount, 200.00 stays open.
            #expect(try await open(db, co, "D-2") == 200_00)
            #expect(try await discountNote(db, co, payment: "P-LATE", invoice: "D-2") == nil)
            // No discount terms: a plain partial payment.
            #expect(try await open(db, co, "D-3") == 5_100_00)
        }
    }

    @Test("a partial payment in the window earns the discount pro rata; an overpayment keeps its excess unapplied")
    func partialAndExcess() async throws {
        try await TestDatabases.with(.sqlite) { db, co in
            let imp = Importer(db: db, company: co, actor: "test", clock: .fixed(1_719_835_200_000))
            _ = try await imp.run(.customers, csv: WorkedExample.customers, strict: true)
            _ = try await imp.run(.invoices, csv: Self.invoices, strict: true)
            // 4,900 / 0.98 = 5,000 settled: 100.00 of discount. 10,000 paid in full in the window: 9,800 settles, 200 unapplied.
            let payments = """
                payment_ref,customer_ref,payment_date,currency,amount,invoice_ref
                P-HALF,K1,2024-06-05,USD,4900.00,D-1
                P-FULL,K2,2024-06-05,USD,10000.00,D-2

                """
            #expect(try await imp.run(.payments, csv: payments, strict: true).committed)
            #expect(try await open(db, co, "D-1") == 5_000_00)
            #expect(try await discountNote(db, co, payment: "P-HALF", invoice: "D-1")?.document.amountMinor == 100_00)
            #expect(try await open(db, co, "D-2") == 0)
            let unapplied = try await db.read { c in
                try await c.first("SELECT unapplied_amount FROM payment WHERE company_id = $1 AND ref = 'P-FULL'", [.int(co.id)])!.int(0)
            }
            #expect(unapplied == 200_00)
        }
    }

    @Test("un-applying the payment takes its discount back: the invoice is open in full and the discount note unapplied")
    func reversal() async throws {
        try await TestDatabases.with(.sqlite) { db, co in
            let imp = Importer(db: db, company: co, actor: "test", clock: .fixed(1_719_835_200_000))
            _ = try await imp.run(.customers, csv: WorkedExample.customers, strict: true)
            _ = try await imp.run(.invoices, csv: Self.invoices, strict: true)
            _ = try await imp.run(.payments, csv: "payment_ref,customer_ref,payment_date,currency,amount,invoice_ref\nP-IN,K1,2024-06-11,USD,9800.00,D-1\n", strict: true)
            #expect(try await open(db, co, "D-1") == 0)
            let allocation = try await db.read { c in
                try await c.first(
                    "SELECT a.id FROM allocation a JOIN payment p ON p.company_id = a.company_id AND p.id = a.payment_id WHERE a.company_id = $1 AND p.ref = 'P-IN'",
                    [.int(co.id)])!.int(0)
            }
            try await db.transaction { c in
                try await LedgerWriter(c, company: co.id, actor: "ana", now: 0, events: EventSink.none).reverseAllocation(id: allocation, on: LocalDate(year: 2024, month: 6, day: 20)!)
            }
            #expect(try await open(db, co, "D-1") == 10_000_00)
            #expect(try await discountNote(db, co, payment: "P-IN", invoice: "D-1")?.openMinor == 200_00)
        }
    }
}
