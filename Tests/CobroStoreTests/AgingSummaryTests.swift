import CobroCore
import CobroStore
import CobroTestSupport
import Testing

/// A stored aging summary plus the customers changed since must give exactly the aging computed from the ledger.
@Suite("Aging summaries") struct AgingSummaryTests {
    static func summaries(_ db: any Database, _ co: CompanyRecord) async throws -> Int64 {
        try await db.read { c in try await c.first("SELECT COUNT(*) FROM aging_summary WHERE company_id = $1", [.int(co.id)])!.int(0) }
    }

    /// The aging computed from the ledger alone (the stored summaries dropped first).
    static func whole(_ db: any Database, _ co: CompanyRecord, _ day: LocalDate, _ basis: AgingBasis = .dueDate) async throws -> AgingReport {
        try await db.transaction { c in try await c.execute("DELETE FROM aging_summary WHERE company_id = $1", [.int(co.id)]) }
        let (report, computed) = try await db.read { c in
            try await ReportStore(c, company: co.id).agingWithSummary(asOf: day, basis: basis, buckets: .standard, base: nil, rates: [])
        }
        #expect(computed != nil)
        return report
    }

    /// The aging as a reader sees it with the summary stored at `day`, and whether the summary was used.
    static func fromSummary(_ db: any Database, _ co: CompanyRecord, _ day: LocalDate, _ basis: AgingBasis = .dueDate) async throws -> (AgingReport, usedSummary: Bool) {
        let (report, computed) = try await db.read { c in
            try await ReportStore(c, company: co.id).agingWithSummary(asOf: day, basis: basis, buckets: .standard, base: nil, rates: [])
        }
        return (report, computed == nil)
    }

    @Test("summary + changed customers = the aging computed whole, after reversals, re-applications and new documents", arguments: TestDatabases.kinds)
    func patchedEqualsWhole(kind: SQLDialect) async throws {
        for seed in UInt64(1)...UInt64(kind == .sqlite ? 12 : 4) {
            var rng = SplitMix64(seed: seed)
            let ledger = LedgerPropertyTests.randomLedger(&rng)
            let day = d("2024-03-15").adding(days: Int.random(in: 0...120, using: &rng))
            try await TestDatabases.with(kind) { db, co in
                for (k, csv) in [(ImportKind.customers, ledger.customers), (.invoices, ledger.invoices), (.payments, ledger.payments)] {
                    _ = try await importer(db, co).run(k, csv: csv)
                }
                let first = try await ReportStore.aging(db, company: co.id, asOf: day, basis: .dueDate, buckets: .standard, base: nil, rates: [])
                #expect(try await Self.summaries(db, co) == 1, "seed \(seed): the computation stored its summary")
                let read = try await Self.fromSummary(db, co, day)
                #expect(read.usedSummary && read.0 == first, "seed \(seed)")

                // Changes to some customers: an allocation reversed and part re-applied, a new invoice for C2 due
                // before the day, a payment of C3.
                let allocs = try await db.read { c in try await LedgerQueries(c, company: co.id).allocations() }.filter { $0.reversedOn == nil }
                if let a = allocs.randomElement(using: &rng) {
                    try await db.transaction { c in
                        let w = LedgerWriter(c, company: co.id, actor: "test", now: 1, events: .none)
                        try await w.reverseAllocation(id: a.id, on: day.adding(days: -1))
                        _ = try? await w.applyManually(invoiceRef: a.invoiceRef, paymentRef: a.paymentRef, creditNoteRef: a.creditNoteRef, amount: a.amountMinor / 2 + 1, on: nil)
                    }
                }
                _ = try await importer(db, co).run(.invoices, csv: """
                    invoice_ref,customer_ref,issue_date,due_date,currency,amount
                    NEW1,C2,\(day.adding(days: -40).iso),\(day.adding(days: -10).iso),USD,123.45
                    """)
                _ = try await importer(db, co).run(.payments, csv: """
                    payment_ref,customer_ref,payment_date,currency,amount
                    NEWP,C3,\(day.adding(days: -2).iso),EUR,50.00
                    """)
                let patched = try await Self.fromSummary(db, co, day)
                #expect(patched.usedSummary, "seed \(seed): a few changed customers are recomputed, not the whole aging")
                let whole = try await Self.whole(db, co, day)
                #expect(patched.0 == whole, "seed \(seed)")
                #expect(whole != first, "seed \(seed): the changes moved the aging (else this test shows nothing)")
            }
        }
    }

    @Test("a summary serves only its own day, basis and bucket bounds", arguments: TestDatabases.kinds)
    func keyed(kind: SQLDialect) async throws {
        try await TestDatabases.with(kind) { db, co in
            _ = try await importer(db, co).run(.customers, csv: "customer_ref,name\nC1,One\n")
            _ = try await importer(db, co).run(.invoices, csv: "invoice_ref,customer_ref,issue_date,due_date,currency,amount\nI1,C1,2024-01-01,2024-01-31,USD,100.00\n")
            _ = try await ReportStore.aging(db, company: co.id, asOf: d("2024-03-01"), basis: .dueDate, buckets: .standard, base: nil, rates: [])
            #expect(try await Self.fromSummary(db, co, d("2024-03-01")).usedSummary)
            #expect(try await !Self.fromSummary(db, co, d("2024-03-02")).usedSummary)
            #expect(try await !Self.fromSummary(db, co, d("2024-03-01"), .issueDate).usedSummary)
            let other = try AgingBuckets.parse("15,45").get()
            let (report, computed) = try await db.read { c in
                try await ReportStore(c, company: co.id).agingWithSummary(asOf: d("2024-03-01"), basis: .dueDate, buckets: other, base: nil, rates: [])
            }
            #expect(computed != nil)
            #expect(report.rows.first?.buckets.count == other.count(.dueDate))
        }
    }

    @Test("changing a column the aging does not read marks no customer", arguments: TestDatabases.kinds)
    func onlyAgingColumnsMark(kind: SQLDialect) async throws {
        try await TestDatabases.with(kind) { db, co in
            _ = try await importer(db, co).run(.customers, csv: "customer_ref,name\nC1,One\nC2,Two\n")
            _ = try await importer(db, co).run(.invoices, csv: "invoice_ref,customer_ref,issue_date,due_date,currency,amount\nI1,C1,2024-01-01,2024-01-31,USD,100.00\nI2,C2,2024-01-01,2024-01-31,USD,100.00\n")
            try await db.transaction { c in try await c.execute("DELETE FROM aging_dirty WHERE company_id = $1", [.int(co.id)]) }
            func marked() async throws -> [Int64] {
                try await db.read { c in try await c.query("SELECT customer_id FROM aging_dirty WHERE company_id = $1 ORDER BY 1", [.int(co.id)]).map { $0.int(0) } }
            }
            try await db.transaction { c in try await c.execute("UPDATE invoice SET overdue_notified = 1 WHERE company_id = $1", [.int(co.id)]) }
            #expect(try await marked().isEmpty)
            try await db.transaction { c in try await c.execute("UPDATE invoice SET due_day = due_day + 1 WHERE company_id = $1 AND ref = 'I2'", [.int(co.id)]) }
            let c2 = try await db.read { c in try await c.first("SELECT id FROM customer WHERE company_id = $1 AND customer_ref = 'C2'", [.int(co.id)])!.int(0) }
            #expect(try await marked() == [c2])
        }
    }

    @Test("the bulk document load drops the summaries it would otherwise leave stale")
    func bulkLoadInvalidates() async throws {
        try await TestDatabases.with(.sqlite) { db, co in
            _ = try await importer(db, co).run(.customers, csv: "customer_ref,name\nC1,One\n")
            _ = try await importer(db, co).run(.invoices, csv: "invoice_ref,customer_ref,issue_date,due_date,currency,amount\nI1,C1,2024-01-01,2024-01-31,USD,100.00\n")
            let before = try await ReportStore.aging(db, company: co.id, asOf: d("2024-03-01"), basis: .dueDate, buckets: .standard, base: nil, rates: [])
            var imp = importer(db, co)
            imp.bulk = .always
            _ = try await imp.run(.invoices, csv: "invoice_ref,customer_ref,issue_date,due_date,currency,amount\nI2,C1,2024-01-05,2024-02-04,USD,50.00\n")
            #expect(try await Self.summaries(db, co) == 0)
            let after = try await Self.fromSummary(db, co, d("2024-03-01"))
            #expect(!after.usedSummary)
            #expect(after.0.rows.first?.openItemsMinor == before.rows.first!.openItemsMinor + 5_000)
        }
    }

    @Test("refresh computes a summary only when none is usable", arguments: TestDatabases.kinds)
    func refresh(kind: SQLDialect) async throws {
        try await TestDatabases.with(kind) { db, co in
            _ = try await importer(db, co).run(.customers, csv: "customer_ref,name\nC1,One\n")
            _ = try await importer(db, co).run(.invoices, csv: "invoice_ref,customer_ref,issue_date,due_date,currency,amount\nI1,C1,2024-01-01,2024-01-31,USD,100.00\n")
            let day = d("2024-03-01")
            #expect(try await AgingSummaryStore.refresh(db, company: co.id, asOf: day, basis: .dueDate, buckets: .standard))
            #expect(try await Self.fromSummary(db, co, day).usedSummary)
            _ = try await importer(db, co).run(.invoices, csv: "invoice_ref,customer_ref,issue_date,due_date,currency,amount\nI2,C1,2024-01-05,2024-02-04,USD,50.00\n")
            #expect(try await !AgingSummaryStore.refresh(db, company: co.id, asOf: day, basis: .dueDate, buckets: .standard), "one changed customer is patched on read")
            let read = try await Self.fromSummary(db, co, day)
            #expect(read.usedSummary && read.0.rows.first?.openItemsMinor == 15_000)
        }
    }

    @Test("a summary's stored rows read back as written, refs with tabs, newlines and backslashes included")
    func payloadRoundTrip() throws {
        let rows = [
            AgingSummary.Row(customerID: 7, row: AgingRow(customerRef: "A\tB\\n\nC", currency: usd, buckets: [1, 0, -3, 4, 5, 6], unappliedMinor: 9)),
            AgingSummary.Row(customerID: 123_456_789_012, row: AgingRow(customerRef: "Ñandú", currency: eur, buckets: [0, 0, 0, 0, 0, 700], unappliedMinor: 0)),
        ]
        let s = AgingSummary(asOf: d("2024-01-01"), basis: .dueDate, bounds: "30,60,90,120", ledgerVersion: 3, rows: rows)
        #expect(AgingSummary.rows(payload: s.payload(), buckets: 6) == rows)
        #expect(AgingSummary.rows(payload: "7\tUSD\t9\t1,2\tA\n", buckets: 6) == nil)
        #expect(AgingSummary.rows(payload: "7\tXXX\t9\t1,2,3,4,5,6\tA\n", buckets: 6) == nil)
    }
}
