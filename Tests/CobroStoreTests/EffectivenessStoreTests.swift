import CobroCore
import CobroStore
import CobroTestSupport
import Foundation
import Testing

/// The communication-effectiveness report read from the database after a real run over the worked example.
///
/// As of Sunday 2024-06-30 each customer gets one final notice by email (see DunningRunTests): K1 (es) for
/// INV-7 + INV-5 + INV-2 = 1,500 + 3,000 + 4,000 = 8,500.00 and K2 (en) for INV-8 + INV-6 + INV-4 + INV-3 =
/// 1,000 + 2,000 + 2,500 + 1,200 = 6,700.00. Both are sent on Monday 2024-07-01. K2 then pays INV-3 (1,200.00)
/// on 07-05 — within 7 days — and INV-4 (2,500.00) on 07-12 — day 11, within 14 only; a payment of 500.00 on
/// INV-7 for K1 on 07-20 is outside both windows.
/// - en row: paid ≤7 = 1,200.00 → 1,200 / 6,700 = 17.910 % → 1791 bp; paid ≤14 = 3,700.00 → 55.224 % → 5522 bp.
/// - es row: 0 paid in both windows → 0 bp.
/// - Paid invoices with a reminder: INV-3 and INV-4, one reminder each → 1.00 per paid invoice.
@Suite("Communication effectiveness (store)") struct EffectivenessStoreTests {
    @Test("figures from a run, its deliveries and later payments", arguments: TestDatabases.kinds)
    func fromRun(kind: SQLDialect) async throws {
        try await TestDatabases.with(kind) { db, co in
            try await WorkedExample.load(db, co)
            let sunday = LocalDate(year: 2024, month: 6, day: 30)!
            _ = try await DunningRunner.run(db, company: co, options: .init(asOf: sunday, actor: "test"), clock: .fixed(1_719_835_200_000))
            let mondayAfternoon: Int64 = 1_719_846_000_000  // 2024-07-01T15:00:00Z
            try await db.transaction { c in
                for m in try await OutboxStore.claim(c, channels: [.email], now: mondayAfternoon, leaseMillis: 60_000, limit: 10, company: co.id) {
                    try await OutboxStore.markSent(c, m, providerID: "250 ok", now: mondayAfternoon)
                }
            }
            let payments = """
                payment_ref,customer_ref,payment_date,currency,amount,invoice_ref
                PAY-A,K2,2024-07-05,USD,1200.00,INV-3
                PAY-B,K2,2024-07-12,USD,2500.00,INV-4
                PAY-C,K1,2024-07-20,USD,500.00,INV-7

                """
            let s = try await Importer(db: db, company: co, actor: "test", clock: .fixed(1_722_000_000_000)).run(.payments, csv: payments, strict: true)
            #expect(s.committed)

            let r = try await db.read { c in
                try await EffectivenessStore.report(
                    c, company: co.id, timeZone: TimeZone(identifier: "America/Bogota")!, from: sunday, to: LocalDate(year: 2024, month: 7, day: 31)!)
            }
            let usd = Currency(code: "USD")!
            #expect(r.rows.map { "\($0.channel.rawValue) \($0.stepID) \($0.template) \($0.language)" } == [
                "email final_notice_45 final_notice_45 en", "email final_notice_45 final_notice_45 es",
            ])
            let en = r.rows[0], es = r.rows[1]
            #expect(en.sent == 1 && en.deliveryRate == 10_000)
            #expect(en.dunned == Money(minor: 670_000, usd))
            #expect(en.paidWithin7 == Money(minor: 120_000, usd) && en.shareWithin7 == 1791)
            #expect(en.paidWithin14 == Money(minor: 370_000, usd) && en.shareWithin14 == 5522)
            #expect(es.dunned == Money(minor: 850_000, usd) && es.paidWithin14 == Money(minor: 0, usd) && es.shareWithin14 == 0)
            #expect(r.paidInvoices == 2 && r.remindersPerPaidInvoiceHundredths == 100)
            // Runs outside the period are not counted.
            let before = try await db.read { c in
                try await EffectivenessStore.report(
                    c, company: co.id, timeZone: .gmt, from: LocalDate(year: 2024, month: 6, day: 1)!, to: LocalDate(year: 2024, month: 6, day: 29)!)
            }
            #expect(before.rows.isEmpty)
        }
    }
}
