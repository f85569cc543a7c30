import CobroCore
import CobroStore
import CobroTestSupport
import Foundation
import Testing

/// The batched payments import must leave exactly the ledger the row-by-row import leaves, on both databases: same
/// payments and balances, same allocations on the same days, same discount notes, same audit, same summary.
@Suite("Batched payments import") struct PaymentBatchTests {
    struct Scenario {
        var invoices: String
        var payments: String
        /// Allocations (by order of creation) to un-apply before the file, and from which day.
        var reversals: [(index: Int, day: LocalDate)]
        var file: String
        var batchSize: Int
    }

    /// A ledger of invoices, debit and credit notes (some with early-payment discount terms) and payments, some of whose
    /// allocations are then un-applied; then a payments file with new payments (oldest-due-first, or naming an invoice
    /// that may belong to another customer, be in another currency, be a credit note or not exist; overpayments), rows
    /// that already exist (unchanged, with a new method, or with a refused change), duplicates and bad rows.
    static func scenario(_ rng: inout SplitMix64) -> Scenario {
        let start = d("2024-01-01")
        func amount(_ top: Int64 = 300_000) -> String { Money.format(minor: Int64.random(in: 1...top, using: &rng), exponent: 2) }
        func customer() -> String { "C\(Int.random(in: 1...3, using: &rng))" }
        func currency() -> String { Int.random(in: 0..<4, using: &rng) == 0 ? "EUR" : "USD" }
        var invoices = "invoice_ref,customer_ref,issue_date,due_date,currency,amount,kind,terms\n"
        var refs: [String] = []
        for i in 0..<Int.random(in: 0...24, using: &rng) {
            let issue = start.adding(days: Int.random(in: 0...90, using: &rng))
            let roll = Int.random(in: 0..<10, using: &rng)
            let kind = roll == 0 ? "credit_note" : (roll == 1 ? "debit_note" : "invoice")
            let due = kind == "credit_note" ? issue : issue.adding(days: [0, 10, 30, 30, 60][Int.random(in: 0..<5, using: &rng)])
            let terms = kind == "invoice" ? ["", "net 30", "2/10 net 30", "5/40 net 60"][Int.random(in: 0..<4, using: &rng)] : ""
            invoices += "I\(i),\(customer()),\(issue.iso),\(due.iso),\(currency()),\(amount()),\(kind),\(terms)\n"
            refs.append("I\(i)")
        }
        func namedRef() -> String {
            Int.random(in: 0..<8, using: &rng) == 0 || refs.isEmpty ? "NOPE\(Int.random(in: 0...3, using: &rng))" : refs.randomElement(using: &rng)!
        }
        let header = "payment_ref,customer_ref,payment_date,currency,amount,invoice_ref,method\n"
        var payments = header, existing: [String] = []
        for p in 0..<Int.random(in: 0...8, using: &rng) {
            let named = Int.random(in: 0..<3, using: &rng) == 0 ? namedRef() : ""
            let line = "E\(p),\(customer()),\(start.adding(days: Int.random(in: 0...120, using: &rng)).iso),\(currency()),\(amount()),\(named),wire"
            payments += line + "\n"
            existing.append(line)
        }
        let reversals = (0..<Int.random(in: 0...3, using: &rng)).map { _ in
            (Int.random(in: 0..<12, using: &rng), start.adding(days: Int.random(in: 60...200, using: &rng)))
        }
        var file = header
        for i in 0..<Int.random(in: 5...50, using: &rng) {
            switch Int.random(in: 0..<24, using: &rng) {
            case 0 where !existing.isEmpty: file += existing.randomElement(using: &rng)! + "\n"  // unchanged (or a duplicate)
            case 1 where !existing.isEmpty: file += existing.randomElement(using: &rng)!.replacingOccurrences(of: ",wire", with: ",cheque") + "\n"  // updated
            case 2 where !existing.isEmpty:
                var cells = existing.randomElement(using: &rng)!.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
                cells[4] = amount()  // a changed amount: refused
                file += cells.joined(separator: ",") + "\n"
            case 3: file += "X\(i),C9,2024-03-01,USD,10.00,,\n"  // unknown customer
            case 4: file += "X\(i),C1,2024-02-30,USD,10.00,,\n"  // bad date
            case 5: file += "X\(i),C1,2024-03-01,USD,10.001,,\n"  // too many decimals
            case 6 where i > 0: file += "N\(i - 1),C1,2024-03-01,USD,10.00,,\n"  // may repeat a ref
            default:
                let named = Int.random(in: 0..<3, using: &rng) == 0 ? namedRef() : ""
                let big = Int.random(in: 0..<5, using: &rng) == 0 ? 2_000_000 : 300_000  // some overpay everything
                file += "N\(i),\(customer()),\(start.adding(days: Int.random(in: 0...220, using: &rng)).iso),\(currency()),\(amount(Int64(big))),\(named),\n"
            }
        }
        return Scenario(invoices: invoices, payments: payments, reversals: reversals, file: file, batchSize: Int.random(in: 1...12, using: &rng))
    }

    /// Loads the scenario's ledger row by row, un-applies its allocations, then imports its file with `mode`.
    static func load(_ kind: SQLDialect, _ mode: Importer.BulkMode, _ s: Scenario, strict: Bool) async throws -> (summary: ImportSummary, state: [String]) {
        var result: (ImportSummary, [String])?
        try await TestDatabases.with(kind) { db, co in
            for (k, csv) in [(ImportKind.customers, "customer_ref,name\nC1,One\nC2,Two\nC3,Three\n"), (.invoices, s.invoices), (.payments, s.payments)] {
                var imp = importer(db, co)
                imp.bulk = .never
                _ = try await imp.run(k, csv: csv)
            }
            try await db.transaction { c in
                let ids = try await c.query("SELECT id FROM allocation WHERE company_id = $1 ORDER BY id", [.int(co.id)]).map { $0.int(0) }
                let w = LedgerWriter(c, company: co.id, actor: "test", now: 1_700_000_000_000, events: try await EventSink.load(c, company: co.id))
                for r in s.reversals where r.index < ids.count {
                    if try await c.first("SELECT reversed_day FROM allocation WHERE id = $1", [.int(ids[r.index])])?.intOrNil(0) == nil {
                        try await w.reverseAllocation(id: ids[r.index], on: r.day)
                    }
                }
            }
            var imp = importer(db, co)
            imp.bulk = mode
            imp.batchSize = s.batchSize
            let summary = try await imp.run(.payments, csv: s.file, strict: strict)
            result = (summary, normalized(try await BulkImportTests.ledgerState(db, co)))
        }
        return result!
    }

    /// The ledger state without row ids, which differ between runs on a shared database: discount notes are named by
    /// the ids of their payment and invoice (their audit names both refs), reversal audits by the allocation id.
    static func normalized(_ state: [String]) -> [String] {
        state.map { $0.replacing(/DISC-[0-9]+-[0-9]+/, with: "DISC-#").replacing(/allocation\.reverse\|[0-9]+/, with: "allocation.reverse|#") }.sorted()
    }

    @Test("batched and row-by-row payment imports leave the same ledger, over random ledgers and files", arguments: TestDatabases.kinds)
    func sameLedgerAsRowByRow(_ kind: SQLDialect) async throws {
        var inserted = 0, discounts = 0, allocated = 0, named = 0, refused = 0
        for seed in UInt64(1)...40 {
            var rng = SplitMix64(seed: seed)
            let s = Self.scenario(&rng)
            let strict = seed % 7 == 0
            let rows = try await Self.load(kind, .never, s, strict: strict)
            let batched = try await Self.load(kind, .always, s, strict: strict)
            #expect(batched.summary == rows.summary, "seed \(seed)")
            #expect(batched.state == rows.state, "seed \(seed): \(zip(batched.state, rows.state).first { $0 != $1 }.map { "\($0) ≠ \($1)" } ?? "different lengths")")
            inserted += batched.summary.inserted
            refused += batched.summary.errors.count
            discounts += batched.state.filter { $0.hasPrefix("doc|DISC-#") }.count
            named += s.file.split(separator: "\n").filter { $0.hasPrefix("N") && !$0.hasSuffix(",,") }.count
            allocated += batched.state.filter { $0.hasPrefix("alloc|") && $0.contains("|N") }.count
        }
        #expect(inserted > 300, "the files must insert payments")
        #expect(discounts > 0, "some payments must earn an early-payment discount")
        #expect(named > 50 && refused > 50, "rows must name invoices and be refused")
        #expect(allocated > 300, "the file's payments must be applied")
    }

    @Test("a payment of a batch starts after an earlier reversal on its invoice", arguments: TestDatabases.kinds)
    func allocationStartsAfterReversal(_ kind: SQLDialect) async throws {
        // E0 paid I0 on Jan 20; that allocation is un-applied from Mar 1. N1 (Feb 10) pays I0 again: from Mar 1, not Feb 10.
        let s = Scenario(
            invoices: "invoice_ref,customer_ref,issue_date,due_date,currency,amount\nI0,C1,2024-01-01,2024-01-31,USD,100.00\n",
            payments: "payment_ref,customer_ref,payment_date,currency,amount\nE0,C1,2024-01-20,USD,100.00\n",
            reversals: [(0, d("2024-03-01"))],
            file: "payment_ref,customer_ref,payment_date,currency,amount\nN1,C1,2024-02-10,USD,60.00\nN2,C1,2024-02-11,USD,60.00\n", batchSize: 10)
        let r = try await Self.load(kind, .always, s, strict: false)
        let mar1 = d("2024-03-01").dayNumber
        #expect(r.state.filter { $0.hasPrefix("alloc|I0|N") } == ["alloc|I0|N1||6000|\(mar1)|∅", "alloc|I0|N2||4000|\(mar1)|∅"])
        #expect(r.state.contains("pay|N2|6000|2000|\(mar1)|\(mar1)"), "N2 keeps 20.00 unapplied: \(r.state.filter { $0.hasPrefix("pay|") })")
        #expect(r.summary.inserted == 2 && r.summary.committed)
    }
}
