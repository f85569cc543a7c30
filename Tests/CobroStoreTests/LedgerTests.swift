import CobroCore
import CobroStore
import CobroTestSupport
import Testing

@Suite("Ledger: cash application, reports") struct LedgerTests {
    @Test("worked example: aging and KPIs match reference §2.3–2.4", arguments: TestDatabases.kinds)
    func workedExample(kind: SQLDialect) async throws {
        try await TestDatabases.with(kind) { db, co in
            try await WorkedExample.load(db, co)
            let report = try await db.read { c in
                try await ReportStore(c, company: co.id).aging(asOf: d("2024-06-30"), basis: .dueDate, buckets: .standard, base: usd, rates: [])
            }
            let t = try #require(report.total(for: usd))
            #expect(t.buckets == [900_000, 370_000, 300_000, 200_000, 250_000])
            #expect(t.totalMinor == 2_020_000 && t.unappliedMinor == 0)
            let byIssue = try await db.read { c in
                try await ReportStore(c, company: co.id).aging(asOf: d("2024-06-30"), basis: .issueDate, buckets: .standard, base: usd, rates: [])
            }
            #expect(byIssue.total(for: usd)?.buckets == [900_000, 120_000, 550_000, 450_000])
            let k = try #require(try await db.read { c in try await ReportStore(c, company: co.id).kpis(asOf: d("2024-06-30"), window: 90) }.first)
            #expect(k.creditSalesMinor == 3_000_000)
            #expect(abs((k.dsoSimple ?? 0) - 60.6) < 0.001)
            #expect(abs((k.bpdso ?? 0) - 27.0) < 0.001)
            #expect(abs((k.add ?? 0) - 33.6) < 0.001)
            #expect(abs((k.arPastDuePct ?? 0) - 55.445) < 0.01)
        }
    }

    @Test("the ledger version moves with every ledger write (import, payment, un-apply) and only for that company", arguments: TestDatabases.kinds)
    func ledgerVersion(kind: SQLDialect) async throws {
        try await TestDatabases.with(kind) { db, co in
            let other = try await db.transaction { c in try await CompanyStore.create(c, slug: "other-\(co.slug)", name: "Other", baseCurrency: usd, now: 0) }
            func versions() async throws -> (Int64, Int64) {
                try await db.read { c in (try await CompanyStore.ledgerVersion(c, company: co.id), try await CompanyStore.ledgerVersion(c, company: other.id)) }
            }
            var (v, o) = try await versions()
            func expectMoved(_ what: Comment) async throws {
                let (nv, no) = try await versions()
                #expect(nv > v, what)
                #expect(no == o, "another company's version stays: \(what)")
                v = nv
            }
            try await WorkedExample.load(db, co)
            try await expectMoved("import")
            _ = try await db.read { c in try await ReportStore(c, company: co.id).statements(customerRef: "K2", from: d("2024-01-01"), to: d("2024-06-30")) }
            #expect(try await versions().0 == v, "reads do not move it")
            _ = try await importer(db, co).run(.payments, csv: "payment_ref,customer_ref,payment_date,currency,amount\nPV,K2,2024-06-30,USD,10.00\n")
            try await expectMoved("payment with cash application")
            let allocation = try await db.read { c in
                try await c.first("SELECT MAX(id) FROM allocation WHERE company_id = $1", [.int(co.id)])!.int(0)
            }
            try await db.transaction { c in
                try await LedgerWriter(c, company: co.id, actor: "test", now: 0, events: .none).reverseAllocation(id: allocation, on: d("2024-07-01"))
            }
            try await expectMoved("un-apply")
            (v, o) = try await versions()
            _ = try await importer(db, other).run(.customers, csv: WorkedExample.customers)
            let (nv, no) = try await versions()
            #expect(nv == v && no > o, "a write in the other company moves only its version")
        }
    }

    @Test("payments: named invoice first (remainder unapplied), else oldest-due-first; overpayment stays as credit", arguments: TestDatabases.kinds)
    func cashApplication(kind: SQLDialect) async throws {
        try await TestDatabases.with(kind) { db, co in
            _ = try await importer(db, co).run(.customers, csv: WorkedExample.customers)
            _ = try await importer(db, co).run(.invoices, csv: """
                invoice_ref,customer_ref,issue_date,due_date,currency,amount
                A,K1,2024-01-01,2024-02-15,USD,100.00
                B,K1,2024-01-05,2024-01-31,USD,200.00
                C,K1,2024-01-10,2024-03-01,USD,300.00
                E,K1,2024-01-10,2024-03-01,EUR,50.00

                """)
            let s = try await importer(db, co).run(.payments, csv: """
                payment_ref,customer_ref,payment_date,currency,amount,invoice_ref
                P1,K1,2024-03-05,USD,250.00,
                P2,K1,2024-03-06,USD,120.00,C
                P3,K1,2024-03-07,USD,500.00,

                """)
            #expect(s.inserted == 3 && s.rejected == 0)
            let q = { (ref: String) in try await db.read { c in try await LedgerQueries(c, company: co.id).document(ref: ref)!.openMinor } }
            // P1 250: B (due 01-31) 200 first, then A 50. P2 names C: 120. P3 500: A 50, C 180, rest 270 unapplied.
            let opens = [try await q("A"), try await q("B"), try await q("C"), try await q("E")]
            #expect(opens == [0, 0, 0, 5000])
            let p = { (ref: String) in try await db.read { c in try await LedgerQueries(c, company: co.id).payment(ref: ref)!.unappliedMinor } }
            let unapplied = [try await p("P1"), try await p("P2"), try await p("P3")]
            #expect(unapplied == [0, 0, 27_000])
            let aging = try await db.read { c in try await ReportStore(c, company: co.id).aging(asOf: d("2024-03-31"), basis: .dueDate, buckets: .standard, base: nil, rates: []) }
            #expect(aging.total(for: usd)?.unappliedMinor == 27_000 && aging.total(for: usd)?.totalMinor == -27_000)
            // A later invoice takes the unapplied credit.
            _ = try await importer(db, co).run(.invoices, csv: "invoice_ref,customer_ref,issue_date,due_date,currency,amount\nD,K1,2024-04-01,2024-05-01,USD,100.00\n")
            let dOpen = try await q("D"), p3 = try await p("P3")
            #expect(dOpen == 0 && p3 == 17_000)
        }
    }

    @Test("credit notes are applied oldest-due-first and their remainder is credit", arguments: TestDatabases.kinds)
    func creditNotes(kind: SQLDialect) async throws {
        try await TestDatabases.with(kind) { db, co in
            _ = try await importer(db, co).run(.customers, csv: WorkedExample.customers)
            let s = try await importer(db, co).run(.invoices, csv: """
                invoice_ref,customer_ref,issue_date,due_date,currency,amount,kind
                A,K2,2024-01-01,2024-01-31,USD,100.00,invoice
                CN1,K2,2024-02-01,2024-02-01,USD,150.00,credit_note
                DN1,K2,2024-02-02,2024-02-02,USD,10.00,debit_note

                """)
            #expect(s.inserted == 3)
            let doc = { (ref: String) in try await db.read { c in try await LedgerQueries(c, company: co.id).document(ref: ref)!.openMinor } }
            #expect(try await doc("A") == 0)
            #expect(try await doc("DN1") == 0, "the debit note takes the credit note's remaining 50")
            #expect(try await doc("CN1") == 4000)
            let st = try #require(try await db.read { c in try await ReportStore(c, company: co.id).statements(customerRef: "K2", from: d("2024-01-01"), to: d("2024-02-28")) }?.first)
            #expect(st.closingMinor == -4000 && st.unappliedMinor == 4000 && st.openItems.isEmpty)
            #expect(st.lines.map(\.balanceMinor) == [10_000, -5_000, -4_000])
        }
    }

    @Test("allocations can be un-applied and re-applied, with history; past aging is unchanged", arguments: TestDatabases.kinds)
    func unapplyReapply(kind: SQLDialect) async throws {
        try await TestDatabases.with(kind) { db, co in
            _ = try await importer(db, co).run(.customers, csv: WorkedExample.customers)
            _ = try await importer(db, co).run(.invoices, csv: """
                invoice_ref,customer_ref,issue_date,due_date,currency,amount
                A,K1,2024-01-01,2024-01-31,USD,100.00
                B,K1,2024-01-01,2024-02-28,USD,100.00

                """)
            _ = try await importer(db, co).run(.payments, csv: "payment_ref,customer_ref,payment_date,currency,amount,invoice_ref\nP1,K1,2024-02-10,USD,100.00,A\n")
            let allocs = try await db.read { c in try await LedgerQueries(c, company: co.id).allocations() }
            #expect(allocs.count == 1 && allocs[0].invoiceRef == "A")
            let agingAt = { (day: String) in
                try await db.read { c in try await ReportStore(c, company: co.id).aging(asOf: d(day), basis: .dueDate, buckets: .standard, base: nil, rates: []) }.total(for: usd)!
            }
            let before = try await agingAt("2024-02-20")
            try await db.transaction { c in
                let w = LedgerWriter(c, company: co.id, actor: "test", now: 1, events: .none)
                try await w.reverseAllocation(id: allocs[0].id, on: d("2024-03-01"))
                _ = try await w.applyManually(invoiceRef: "B", paymentRef: "P1", creditNoteRef: nil, amount: 10_000, on: nil)
            }
            let after = try await db.read { c in try await LedgerQueries(c, company: co.id).allocations() }
            #expect(after.count == 2 && after[0].reversedOn == d("2024-03-01") && after[1].invoiceRef == "B")
            #expect(after[1].appliedOn == d("2024-03-01"), "re-application starts when the reversal ended, never double counting")
            #expect(try await agingAt("2024-02-20") == before, "history before the reversal is unchanged")
            let now = try await agingAt("2024-03-15")
            #expect(now.buckets == [0, 0, 10_000, 0, 0] && now.unappliedMinor == 0)
            await #expect(throws: StoreError.self) {
                try await db.transaction { c in try await LedgerWriter(c, company: co.id, actor: "t", now: 1, events: .none).reverseAllocation(id: allocs[0].id, on: d("2024-03-02")) }
            }
            let events = try await db.read { c in try await Audit.list(c, company: co.id, entity: "allocation", ref: nil, afterID: 0, limit: 10) }
            #expect(events.map(\.action) == ["allocation.reverse", "allocation.create"])
        }
    }

    @Test("over-application is refused")
    func overApplication() async throws {
        try await TestDatabases.with(.sqlite) { db, co in
            try await WorkedExample.load(db, co)
            await #expect(throws: StoreError.self) {
                try await db.transaction { c in
                    _ = try await LedgerWriter(c, company: co.id, actor: "t", now: 1, events: .none)
                        .applyManually(invoiceRef: "INV-1", paymentRef: "PAY-9", creditNoteRef: nil, amount: 1, on: nil)
                }
            }
        }
    }

    @Test("the audit log is append-only", arguments: TestDatabases.kinds)
    func auditAppendOnly(kind: SQLDialect) async throws {
        try await TestDatabases.with(kind) { db, co in
            try await WorkedExample.load(db, co)
            await #expect(throws: (any Error).self) {
                try await db.transaction { c in try await c.execute("UPDATE audit_event SET actor = 'x' WHERE company_id = $1", [.int(co.id)]) }
            }
            await #expect(throws: (any Error).self) {
                try await db.transaction { c in try await c.execute("DELETE FROM audit_event WHERE company_id = $1", [.int(co.id)]) }
            }
        }
    }

    @Test("a company never sees another company's rows", arguments: TestDatabases.kinds)
    func tenantIsolation(kind: SQLDialect) async throws {
        try await TestDatabases.with(kind) { db, co in
            try await WorkedExample.load(db, co)
            let other = try await db.transaction { c in try await CompanyStore.create(c, slug: "o-\(co.slug)", name: "Other", baseCurrency: usd, now: 1) }
            try await WorkedExample.load(db, other)
            let aging = try await db.read { c in try await ReportStore(c, company: other.id).aging(asOf: d("2024-06-30"), basis: .dueDate, buckets: .standard, base: nil, rates: []) }
            #expect(aging.total(for: usd)?.totalMinor == 2_020_000, "same refs in two companies stay separate")
            // The database itself refuses a cross-tenant reference.
            let k1 = try await db.read { c in try await LedgerQueries(c, company: co.id).customer(ref: "K1")!.id }
            await #expect(throws: (any Error).self) {
                try await db.transaction { c in
                    try await c.execute(
                        "INSERT INTO invoice (company_id, ref, customer_id, kind, issue_day, due_day, currency, amount, open_amount, created_at, updated_at) VALUES ($1, 'X', $2, 'invoice', 1, 1, 'USD', 1, 1, 0, 0)",
                        [.int(other.id), .int(k1 + 1_000_000)])
                }
            }
        }
    }
}
