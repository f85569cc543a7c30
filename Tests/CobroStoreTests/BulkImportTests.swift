import CobroCore
import CobroStore
import CobroTestSupport
import Foundation
import Testing

/// The bulk document load must leave exactly the ledger the row-by-row import leaves, on both databases: same
/// balances, same allocations on the same days, same disputes, same summary and the same schema afterwards.
@Suite("Bulk document import") struct BulkImportTests {
    /// A ledger already holding invoices and payments (some unapplied credit), then a second invoice file with new
    /// invoices, debit and credit notes, disputed rows, rows that already exist (unchanged, changed, or changed in a
    /// way that is refused), duplicates, unknown customers and bad fields. Due dates vary so that a later line can
    /// fall due before an earlier one: a credit note must still only reach the lines above it.
    static func scenario(_ rng: inout SplitMix64) -> (customers: String, before: String, payments: String, file: String) {
        let start = d("2024-01-01")
        func amount() -> String { Money.format(minor: Int64.random(in: 1...300_000, using: &rng), exponent: 2) }
        func customer() -> String { "C\(Int.random(in: 1...4, using: &rng))" }
        func currency() -> String { Bool.random(using: &rng) ? "USD" : "EUR" }
        let header = "invoice_ref,customer_ref,issue_date,due_date,currency,amount,kind,disputed\n"
        var before = header, existing: [(ref: String, line: String)] = []
        for i in 0..<Int.random(in: 0...12, using: &rng) {
            let issue = start.adding(days: Int.random(in: 0...60, using: &rng))
            let kind = Int.random(in: 0..<6, using: &rng) == 0 ? "credit_note" : "invoice"
            let due = kind == "invoice" ? issue.adding(days: [0, 10, 30, 90][Int.random(in: 0..<4, using: &rng)]) : issue
            let line = "B\(i),\(customer()),\(issue.iso),\(due.iso),\(currency()),\(amount()),\(kind),false"
            before += line + "\n"
            existing.append(("B\(i)", line))
        }
        var payments = "payment_ref,customer_ref,payment_date,currency,amount\n"
        for p in 0..<Int.random(in: 0...6, using: &rng) {
            payments += "P\(p),\(customer()),\(start.adding(days: Int.random(in: 0...90, using: &rng)).iso),\(currency()),\(amount())\n"
        }
        var file = header
        for i in 0..<Int.random(in: 10...60, using: &rng) {
            let roll = Int.random(in: 0..<20, using: &rng)
            switch roll {
            case 0 where !existing.isEmpty:
                file += existing.randomElement(using: &rng)!.line + "\n"  // unchanged (or a duplicate, if seen twice)
            case 1 where !existing.isEmpty:
                let e = existing.randomElement(using: &rng)!
                var cells = e.line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
                if Bool.random(using: &rng) {
                    cells[5] = Money.format(minor: Int64.random(in: 300_000...600_000, using: &rng), exponent: 2)  // a bigger amount: more to apply
                } else {
                    cells[1] = cells[1] == "C1" ? "C2" : "C1"  // another customer: refused
                }
                file += cells.joined(separator: ",") + "\n"
            case 2: file += "X\(i),C9,2024-03-01,2024-03-31,USD,10.00,invoice,false\n"  // unknown customer
            case 3: file += "X\(i),C1,2024-03-01,2024-02-01,USD,10.00,invoice,false\n"  // due before issue
            case 4 where i > 0: file += "N\(i - 1),C1,2024-03-01,2024-03-31,USD,10.00,invoice,false\n"  // may repeat a ref
            default:
                let issue = start.adding(days: Int.random(in: 30...150, using: &rng))
                let kind = roll < 8 ? "credit_note" : (roll == 8 ? "debit_note" : "invoice")
                let due = kind == "credit_note" ? issue : issue.adding(days: [0, 5, 30, 60, 120][Int.random(in: 0..<5, using: &rng)])
                let disputed = kind == "invoice" && Int.random(in: 0..<8, using: &rng) == 0
                file += "N\(i),\(customer()),\(issue.iso),\(due.iso),\(currency()),\(amount()),\(kind),\(disputed)\n"
            }
        }
        return ("customer_ref,name\nC1,One\nC2,Two\nC3,Three\nC4,Four\n", before, payments, file)
    }

    /// Everything an import can change, by ref (ids differ between the two paths).
    static func ledgerState(_ db: any Database, _ co: CompanyRecord) async throws -> [String] {
        try await db.read { c in
            var out: [String] = []
            let queries = [
                "SELECT 'doc', ref, kind, amount, open_amount, due_day, last_alloc_day, first_alloc_day, disputed FROM invoice WHERE company_id = $1 ORDER BY ref",
                "SELECT 'pay', ref, amount, unapplied_amount, last_alloc_day, first_alloc_day FROM payment WHERE company_id = $1 ORDER BY ref",
                """
                SELECT 'alloc', i.ref, COALESCE(p.ref, ''), COALESCE(cn.ref, ''), a.amount, a.applied_day, a.reversed_day FROM allocation a
                JOIN invoice i ON i.id = a.invoice_id LEFT JOIN payment p ON p.id = a.payment_id LEFT JOIN invoice cn ON cn.id = a.credit_note_id
                WHERE a.company_id = $1 ORDER BY 2, 3, 4, 5, 6
                """,
                "SELECT 'dispute', i.ref, d.amount, d.status FROM dispute d JOIN invoice i ON i.id = d.invoice_id WHERE d.company_id = $1 ORDER BY 2",
                "SELECT 'audit', action, entity_ref, before_json, after_json FROM audit_event WHERE company_id = $1 AND entity NOT IN ('import_batch', 'company', 'webhook_subscription') ORDER BY 2, 3",
                // Event ids carry row ids, which differ; what was announced must not.
                "SELECT 'events', event_type, COUNT(*) FROM webhook_delivery WHERE company_id = $1 GROUP BY event_type ORDER BY 2",
            ]
            for q in queries {
                for r in try await c.query(q, [.int(co.id)]) { out.append((0..<r.values.count).map { r.textOrNil($0) ?? "∅" }.joined(separator: "|")) }
            }
            return out
        }
    }

    /// The invoice table's indexes and triggers.
    static func schema(_ db: any Database) async throws -> [String] {
        let sql = db.dialect == .sqlite
            ? "SELECT name, sql FROM sqlite_master WHERE tbl_name = 'invoice' ORDER BY name"
            : """
              SELECT indexname, indexdef FROM pg_indexes WHERE tablename = 'invoice'
              UNION ALL SELECT tgname, pg_get_triggerdef(oid) FROM pg_trigger WHERE tgrelid = 'invoice'::regclass AND NOT tgisinternal ORDER BY 1
              """
        return try await db.read { c in try await c.query(sql, []).map { "\($0.text(0)): \($0.text(1))" } }
    }

    /// Imports the scenario's customers, earlier invoices and payments row by row, then its file with `mode`; with
    /// `webhooks`, a subscription to `invoice.created` and `invoice.paid` exists first.
    static func load(
        _ kind: SQLDialect, _ mode: Importer.BulkMode, _ s: (customers: String, before: String, payments: String, file: String), strict: Bool,
        webhooks: Bool = true
    ) async throws -> (summary: ImportSummary, state: [String], schemaKept: Bool, versionMoved: Bool) {
        var result: (ImportSummary, [String], Bool, Bool)?
        try await TestDatabases.with(kind) { db, co in
            if webhooks {
                _ = try await db.transaction { c in
                    try await WebhookStore.create(c, company: co.id, url: "http://127.0.0.1:9/hook", events: ["invoice.created", "invoice.paid"], secret: "s", actor: "test", now: 0)
                }
            }
            for (k, csv) in [(ImportKind.customers, s.customers), (.invoices, s.before), (.payments, s.payments)] {
                var imp = importer(db, co)
                imp.bulk = .never
                _ = try await imp.run(k, csv: csv)
            }
            let schemaBefore = try await schema(db)
            let version = try await db.read { c in try await c.first("SELECT ledger_version FROM company WHERE id = $1", [.int(co.id)])!.int(0) }
            var imp = importer(db, co)
            imp.bulk = mode
            let summary = try await imp.run(.invoices, csv: s.file, strict: strict)
            let after = try await db.read { c in try await c.first("SELECT ledger_version FROM company WHERE id = $1", [.int(co.id)])!.int(0) }
            result = (summary, try await ledgerState(db, co), try await schema(db) == schemaBefore, after > version)
        }
        return result!
    }

    @Test("bulk and row-by-row imports leave the same ledger, over random ledgers and files", arguments: TestDatabases.kinds)
    func sameLedgerAsRowByRow(_ kind: SQLDialect) async throws {
        var bulkRowsSeen = 0, eventsSeen = false, creditAllocationsWithoutWebhooks = 0
        for seed in UInt64(1)...40 {
            var rng = SplitMix64(seed: seed)
            let s = Self.scenario(&rng)
            let strict = seed % 5 == 0
            // Without subscriptions, PostgreSQL writes the allocations many to a statement.
            let webhooks = seed % 3 != 0
            let rows = try await Self.load(kind, .never, s, strict: strict, webhooks: webhooks)
            let bulk = try await Self.load(kind, .always, s, strict: strict, webhooks: webhooks)
            #expect(bulk.summary == rows.summary, "seed \(seed)")
            #expect(bulk.state == rows.state, "seed \(seed): \(zip(bulk.state, rows.state).first { $0 != $1 }.map { "\($0) ≠ \($1)" } ?? "different lengths")")
            #expect(bulk.schemaKept, "seed \(seed): the invoice table's indexes and triggers must be back as they were")
            #expect(bulk.versionMoved == rows.versionMoved, "seed \(seed)")
            bulkRowsSeen += bulk.summary.inserted
            if !webhooks { creditAllocationsWithoutWebhooks += bulk.state.filter { $0.hasPrefix("alloc|") && $0.split(separator: "|", omittingEmptySubsequences: false)[3] != "" }.count }
            eventsSeen = eventsSeen || bulk.state.contains { $0.hasPrefix("events|invoice.paid|") }
        }
        #expect(eventsSeen, "the scenarios must announce events")
        #expect(bulkRowsSeen > 500, "the scenarios must exercise the bulk insert")
        #expect(creditAllocationsWithoutWebhooks > 0, "the scenarios without subscriptions must apply credit notes")
    }

    /// An empty ledger with customer C1, and an invoices file of `rows` (kind column included).
    static func oneCustomer(_ rows: String) -> (customers: String, before: String, payments: String, file: String) {
        ("customer_ref,name\nC1,One\n", "invoice_ref,customer_ref,issue_date,due_date,currency,amount\n",
         "payment_ref,customer_ref,payment_date,currency,amount\n", "invoice_ref,customer_ref,issue_date,due_date,currency,amount,kind\n" + rows)
    }

    @Test("strict bulk load with a bad row writes nothing and keeps the schema", arguments: TestDatabases.kinds)
    func strictBulkWritesNothing(_ kind: SQLDialect) async throws {
        let s = Self.oneCustomer(
            "A1,C1,2024-01-01,2024-01-31,USD,10.00,invoice\nA2,C1,2024-01-02,2024-01-01,USD,10.00,invoice\nA3,C1,2024-01-05,2024-01-05,USD,4.00,credit_note\n")
        let r = try await Self.load(kind, .always, s, strict: true)
        #expect(!r.summary.committed && r.summary.rejected == 1 && r.summary.inserted == 0)
        #expect(r.summary.errors.first?.line == 3 && r.summary.errors.first?.field == "due_date")
        #expect(r.state.isEmpty, "nothing written: \(r.state)")
        #expect(r.schemaKept && !r.versionMoved)
    }

    @Test("foreign keys are checked again once a bulk load is over")
    func foreignKeysBackOn() async throws {
        try await TestDatabases.with(.sqlite) { db, co in
            _ = try await importer(db, co).run(.customers, csv: "customer_ref,name\nC1,One\n")
            var imp = importer(db, co)
            imp.bulk = .always
            let s = try await imp.run(.invoices, csv: "invoice_ref,customer_ref,issue_date,due_date,currency,amount\nA1,C1,2024-01-01,2024-01-31,USD,10.00\n")
            #expect(s.committed && s.inserted == 1)
            await #expect(throws: (any Error).self, "a document of a customer that does not exist must be refused") {
                try await db.transaction { c in
                    try await c.execute(
                        """
                        INSERT INTO invoice (company_id, ref, customer_id, kind, issue_day, due_day, currency, amount, open_amount, created_at, updated_at)
                        VALUES ($1, 'X1', 999999, 'invoice', 1, 1, 'USD', 100, 100, 0, 0)
                        """, [.int(co.id)])
                }
            }
        }
    }

    @Test("after a bulk load, later writes move the ledger version and mark the aging again", arguments: TestDatabases.kinds)
    func ledgerTriggersBackAfterwards(_ kind: SQLDialect) async throws {
        try await TestDatabases.with(kind) { db, co in
            _ = try await importer(db, co).run(.customers, csv: "customer_ref,name\nC1,One\nC2,Two\n")
            _ = try await db.transaction { c in try await c.execute("DELETE FROM aging_dirty WHERE company_id = $1", [.int(co.id)]) }
            var bulk = importer(db, co)
            bulk.bulk = .always
            let header = "invoice_ref,customer_ref,issue_date,due_date,currency,amount,disputed\n"
            let s = try await bulk.run(.invoices, csv: header + "A1,C1,2024-01-01,2024-01-31,USD,10.00,true\n")
            #expect(s.committed && s.inserted == 1)
            func marks(_ ref: String) async throws -> [Int64] {
                try await db.read { c in
                    try await c.query(
                        "SELECT ledger_version FROM aging_dirty a JOIN customer c ON c.id = a.customer_id WHERE a.company_id = $1 AND c.customer_ref = $2",
                        [.int(co.id), .text(ref)]).map { $0.int(0) }
                }
            }
            func state() async throws -> (version: Int64, marks: [Int64]) {
                (try await db.read { c in try await c.first("SELECT ledger_version FROM company WHERE id = $1", [.int(co.id)])!.int(0) }, try await marks("C2"))
            }
            // The load marks C1 itself (its aging triggers are off), so a summary a reader computed before the load and
            // stored after it still recomputes C1.
            #expect(try await marks("C1").count == 1)
            if kind == .postgres {
                // The load's setting must end with its transaction: no pooled connection may keep it.
                let leaked = try await withThrowingTaskGroup(of: Bool.self) { g in
                    for _ in 0..<8 {
                        g.addTask { try await db.read { c in try await c.first("SELECT current_setting('cobro.bulk_load', true) FROM pg_sleep(0.05)", [])?.textOrNil(0) == "on" } }
                    }
                    return try await g.contains(true)
                }
                #expect(!leaked)
            }
            let before = try await state()
            var rows = importer(db, co)
            rows.bulk = .never
            #expect(try await rows.run(.invoices, csv: header + "A2,C2,2024-02-01,2024-02-28,USD,20.00,false\n").inserted == 1)
            let after = try await state()
            #expect(after.version > before.version, "a write after the bulk load must move the ledger version")
            #expect(before.marks.isEmpty && after.marks.count == 1 && after.marks[0] >= before.version, "the new invoice must mark C2's aging: \(after.marks)")
            let disputes = try await db.read { c in try await c.first("SELECT COUNT(*) FROM dispute WHERE company_id = $1", [.int(co.id)])!.int(0) }
            #expect(disputes == 1)
        }
    }

    @Test("a credit note in a bulk load reaches only the documents above it, oldest due first", arguments: TestDatabases.kinds)
    func creditNoteSeesOnlyEarlierLines(_ kind: SQLDialect) async throws {
        // A2 falls due before A1 but comes after the credit note: row by row, the note goes to A1 only.
        let s = Self.oneCustomer(
            "A1,C1,2024-01-01,2024-03-31,USD,100.00,invoice\nCN1,C1,2024-01-10,2024-01-10,USD,150.00,credit_note\nA2,C1,2024-01-15,2024-01-20,USD,80.00,invoice\n")
        let r = try await Self.load(kind, .always, s, strict: false)
        let allocations = r.state.filter { $0.hasPrefix("alloc|") }
        // 100.00 to A1 on the note's day, then the 50.00 left over to A2 when it arrives.
        let jan10 = d("2024-01-10").dayNumber, jan15 = d("2024-01-15").dayNumber
        #expect(allocations == ["alloc|A1||CN1|10000|\(jan10)|∅", "alloc|A2||CN1|5000|\(jan15)|∅"])
    }
}
