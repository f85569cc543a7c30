import CobroCore
import CobroStore
import CobroTestSupport
import Testing


@Suite("Ledger invariants over random ledgers") struct LedgerPropertyTests {
    /// A random ledger of 3 customers in USD and EUR: invoices, debit and credit notes, payments named or not,
    /// over- and under-payments, then random un-applications and re-applications.
    static func randomLedger(_ rng: inout SplitMix64) -> (customers: String, invoices: String, payments: String) {
        let start = d("2024-01-01")
        var inv = "invoice_ref,customer_ref,issue_date,due_date,currency,amount,kind\n"
        var pay = "payment_ref,customer_ref,payment_date,currency,amount,invoice_ref\n"
        var refs: [(String, String, String, LocalDate)] = []
        for i in 0..<Int.random(in: 5...25, using: &rng) {
            let cust = "C\(Int.random(in: 1...3, using: &rng))"
            let cur = Bool.random(using: &rng) ? "USD" : "EUR"
            let issue = start.adding(days: Int.random(in: 0...150, using: &rng))
            let roll = Int.random(in: 0..<10, using: &rng)
            let kind = roll == 0 ? "credit_note" : (roll == 1 ? "debit_note" : "invoice")
            let due = kind == "invoice" ? issue.adding(days: [0, 15, 30, 60][Int.random(in: 0..<4, using: &rng)]) : issue
            let amount = Money.format(minor: Int64.random(in: 1...500_000, using: &rng), exponent: 2)
            inv += "I\(i),\(cust),\(issue.iso),\(due.iso),\(cur),\(amount),\(kind)\n"
            if kind != "credit_note" { refs.append(("I\(i)", cust, cur, issue)) }
        }
        for p in 0..<Int.random(in: 0...20, using: &rng) {
            let named = !refs.isEmpty && Bool.random(using: &rng)
            let target = named ? refs.randomElement(using: &rng)! : ("", "C\(Int.random(in: 1...3, using: &rng))", Bool.random(using: &rng) ? "USD" : "EUR", start)
            let date = target.3.adding(days: Int.random(in: 0...120, using: &rng))
            let amount = Money.format(minor: Int64.random(in: 1...600_000, using: &rng), exponent: 2)
            pay += "P\(p),\(target.1),\(date.iso),\(target.2),\(amount),\(target.0)\n"
        }
        return ("customer_ref,name\nC1,One\nC2,Two\nC3,Three\n", inv, pay)
    }

    @Test("aging total = Σ statement closing balances per currency, at every date; balances stay within bounds", arguments: TestDatabases.kinds)
    func agingEqualsStatements(kind: SQLDialect) async throws {
        for seed in UInt64(1)...UInt64(kind == .sqlite ? 25 : 8) {
            var rng = SplitMix64(seed: seed)
            let ledger = Self.randomLedger(&rng)
            let probeDays = (0..<6).map { _ in d("2023-12-15").adding(days: Int.random(in: 0...320, using: &rng)) }
            let reversals = (0..<3).map { _ in (Int.random(in: 0..<100, using: &rng), d("2024-03-01").adding(days: Int.random(in: 0...200, using: &rng))) }
            try await TestDatabases.with(kind) { db, co in
                for (k, csv) in [(ImportKind.customers, ledger.customers), (.invoices, ledger.invoices), (.payments, ledger.payments)] {
                    let s = try await importer(db, co).run(k, csv: csv)
                    #expect(s.rejected == 0, "seed \(seed): \(s.issues)")
                }
                // Un-apply some allocations, then let each affected credit be applied again by hand where it fits.
                for (pick, day) in reversals {
                    let allocs = try await db.read { c in try await LedgerQueries(c, company: co.id).allocations() }.filter { $0.reversedOn == nil }
                    guard !allocs.isEmpty else { break }
                    let a = allocs[pick % allocs.count]
                    try await db.transaction { c in
                        let w = LedgerWriter(c, company: co.id, actor: "prop", now: 1, events: .none)
                        try await w.reverseAllocation(id: a.id, on: day)
                        _ = try? await w.applyManually(invoiceRef: a.invoiceRef, paymentRef: a.paymentRef, creditNoteRef: a.creditNoteRef, amount: a.amountMinor / 2 + 1, on: nil)
                    }
                }
                try await Self.checkInvariants(db, co, days: probeDays, seed: seed)
            }
        }
    }

    static func checkInvariants(_ db: any Database, _ co: CompanyRecord, days: [LocalDate], seed: UInt64) async throws {
        try await db.read { c in
            // Maintained balances equal amount − Σ active allocations and stay within 0…amount (DESIGN §4.2).
            let bad = try await c.query(
                """
                SELECT i.ref FROM invoice i WHERE i.company_id = $1 AND (i.open_amount < 0 OR i.open_amount > i.amount OR i.open_amount <> i.amount -
                  COALESCE((SELECT SUM(a.amount) FROM allocation a WHERE a.company_id = i.company_id AND a.reversed_day IS NULL
                            AND (a.invoice_id = i.id OR a.credit_note_id = i.id)), 0))
                UNION ALL
                SELECT p.ref FROM payment p WHERE p.company_id = $1 AND (p.unapplied_amount < 0 OR p.unapplied_amount <> p.amount -
                  COALESCE((SELECT SUM(a.amount) FROM allocation a WHERE a.company_id = p.company_id AND a.reversed_day IS NULL AND a.payment_id = p.id), 0))
                """, [.int(co.id)])
            #expect(bad.isEmpty, "seed \(seed): balances out of line for \(bad.map { $0.text(0) })")
            let store = ReportStore(c, company: co.id)
            for day in days {
                let aging = try await store.aging(asOf: day, basis: .dueDate, buckets: .standard, base: nil, rates: [])
                var closing: [Currency: Int64] = [:]
                for ref in ["C1", "C2", "C3"] {
                    for st in try await store.statements(customerRef: ref, from: d("2023-01-01"), to: day) ?? [] {
                        closing[st.currency, default: 0] += st.closingMinor
                        // Each statement's open items − unapplied equals its closing balance too.
                        #expect(st.openItems.reduce(0) { $0 + $1.openMinor } - st.unappliedMinor == st.closingMinor, "seed \(seed) \(ref) \(day.iso)")
                    }
                }
                for cur in [usd, eur] {
                    let total = aging.total(for: cur)?.totalMinor ?? 0
                    #expect(total == (closing[cur] ?? 0), "seed \(seed) \(cur.code) as of \(day.iso): aging \(total) vs statements \(closing[cur] ?? 0)")
                    for row in aging.rows where row.currency == cur {
                        #expect(row.buckets.allSatisfy { $0 >= 0 } && row.unappliedMinor >= 0, "seed \(seed): negative balance at \(day.iso)")
                    }
                }
            }
        }
    }
}
