import CobroCore
import CobroStore
import CobroTestSupport
import Testing

@Suite("CSV import") struct ImportTests {
    @Test("worked example imports, re-import changes nothing", arguments: TestDatabases.kinds)
    func idempotentReimport(kind: SQLDialect) async throws {
        try await TestDatabases.with(kind) { db, co in
            try await WorkedExample.load(db, co)
            let again = try await importer(db, co).run(.invoices, csv: WorkedExample.invoices)
            #expect(again.inserted == 0 && again.updated == 0 && again.unchanged == 10 && again.rejected == 0)
            let pays = try await importer(db, co).run(.payments, csv: WorkedExample.payments)
            #expect(pays.unchanged == 2 && pays.inserted == 0)
            let count = try await db.read { c in try await c.first("SELECT COUNT(*) FROM allocation WHERE company_id = $1", [.int(co.id)])!.int(0) }
            #expect(count == 2, "re-importing payments must not allocate twice")
        }
    }

    @Test("a changed row updates the record and is audited with before and after", arguments: TestDatabases.kinds)
    func changedRowIsAudited(kind: SQLDialect) async throws {
        try await TestDatabases.with(kind) { db, co in
            try await WorkedExample.load(db, co)
            let changed = WorkedExample.invoices.replacing("INV-3,K2,2024-05-20,2024-06-19,USD,1200.00", with: "INV-3,K2,2024-05-20,2024-07-19,USD,1250.00")
            let s = try await importer(db, co).run(.invoices, csv: changed)
            #expect(s.updated == 1 && s.unchanged == 9)
            let audit = try await db.read { c in try await Audit.list(c, company: co.id, entity: "invoice", ref: "INV-3", afterID: 0, limit: 10) }
            #expect(audit.count == 1)
            #expect(audit.first?.before?.contains("\"due_date\":\"2024-06-19\"") == true)
            #expect(audit.first?.after?.contains("\"amount\":\"1250.00\"") == true)
            let doc = try await db.read { c in try await LedgerQueries(c, company: co.id).document(ref: "INV-3") }
            #expect(doc?.document.amountMinor == 125_000 && doc?.openMinor == 125_000 && doc?.document.dueDate == d("2024-07-19"))
        }
    }

    @Test("each bad row is reported with line, column and reason; good rows are written", arguments: TestDatabases.kinds)
    func badRowsReported(kind: SQLDialect) async throws {
        try await TestDatabases.with(kind) { db, co in
            _ = try await importer(db, co).run(.customers, csv: WorkedExample.customers)
            let csv = """
                currency,amount,invoice_ref,customer_ref,issue_date,due_date,extra
                USD,100.00,A1,K1,2024-01-01,2024-01-31,x
                USD,100.00,A2,K1,2024-02-30,2024-03-31,x
                USD,100.00,A3,K1,2024-02-01,2024-01-31,x
                USD,100.001,A4,K1,2024-02-01,2024-03-01,x
                USD,-5,A5,K1,2024-02-01,2024-03-01,x
                XYZ,5,A6,K1,2024-02-01,2024-03-01,x
                USD,5,A7,NOPE,2024-02-01,2024-03-01,x
                USD,5,A1,K1,2024-01-01,2024-01-31,x
                USD,5,"A9,K1,2024-01-01,2024-01-31,x
                """
            let s = try await importer(db, co).run(.invoices, csv: csv)
            #expect(s.inserted == 1)
            #expect(s.rejected == 8)
            func issue(_ line: Int) -> ImportIssue? { s.issues.first { $0.line == line && $0.severity == .error } }
            #expect(s.issues.contains { $0.severity == .warning && $0.field == "extra" && $0.line == 1 && $0.column == 62 })
            #expect(issue(3)?.field == "issue_date" && issue(3)?.column == 18 && issue(3)?.message.contains("2024-02-30") == true)
            #expect(issue(4)?.field == "due_date" && issue(4)?.message.contains("before issue date") == true)
            #expect(issue(5)?.field == "amount" && issue(5)?.column == 5 && issue(5)?.message.contains("more decimals") == true)
            #expect(issue(6)?.field == "amount" && issue(6)?.message.contains("negative") == true)
            #expect(issue(7)?.field == "currency" && issue(7)?.column == 1)
            #expect(issue(8)?.field == "customer_ref" && issue(8)?.message.contains("unknown customer") == true)
            #expect(issue(9)?.field == "invoice_ref" && issue(9)?.message.contains("duplicate") == true)
            #expect(issue(10)?.message.contains("malformed CSV") == true)
            let n = try await db.read { c in try await c.first("SELECT COUNT(*) FROM invoice WHERE company_id = $1", [.int(co.id)])!.int(0) }
            #expect(n == 1)
        }
    }

    @Test("--strict writes nothing when any row is bad", arguments: TestDatabases.kinds)
    func strictWritesNothing(kind: SQLDialect) async throws {
        try await TestDatabases.with(kind) { db, co in
            _ = try await importer(db, co).run(.customers, csv: WorkedExample.customers)
            let bad = WorkedExample.invoices + "INV-X,K1,2024-13-01,2024-01-01,USD,1.00,net 30\n"
            let s = try await importer(db, co).run(.invoices, csv: bad, strict: true)
            #expect(!s.committed && s.rejected == 1 && s.inserted == 0)
            let n = try await db.read { c in try await c.first("SELECT COUNT(*) FROM invoice WHERE company_id = $1", [.int(co.id)])!.int(0) }
            #expect(n == 0)
        }
    }

    @Test("currency differing from the existing record is refused", arguments: TestDatabases.kinds)
    func currencyChangeRefused(kind: SQLDialect) async throws {
        try await TestDatabases.with(kind) { db, co in
            try await WorkedExample.load(db, co)
            let s = try await importer(db, co).run(.invoices, csv: "invoice_ref,customer_ref,issue_date,due_date,currency,amount\nINV-1,K1,2024-06-20,2024-07-20,EUR,5000.00\n")
            #expect(s.rejected == 1 && s.issues.first?.field == "currency" && s.issues.first?.column == 32)
        }
    }

    @Test("missing required column fails the whole file at line 1; empty file too", arguments: TestDatabases.kinds)
    func headerErrors(kind: SQLDialect) async throws {
        try await TestDatabases.with(kind) { db, co in
            let s = try await importer(db, co).run(.customers, csv: "customer_ref,email\nK1,a@b.co\n")
            #expect(!s.committed && s.issues.contains { $0.line == 1 && $0.message.contains("\"name\"") })
            let e = try await importer(db, co).run(.payments, csv: "")
            #expect(!e.committed && e.issues.first?.message.contains("empty") == true)
        }
    }

    @Test("BOM and CRLF are accepted; columns in any order")
    func bomAndCRLF() async throws {
        try await TestDatabases.with(.sqlite) { db, co in
            let csv = "\u{FEFF}name,customer_ref\r\n\"Ñandú, S.A.\",N1\r\n"
            let s = try await importer(db, co).run(.customers, csv: csv)
            #expect(s.inserted == 1 && s.rejected == 0)
            let cu = try await db.read { c in try await LedgerQueries(c, company: co.id).customer(ref: "N1") }
            #expect(cu?.customer.name == "Ñandú, S.A.")
        }
    }

    @Test("disputed=true opens a dispute for the full amount with reason other")
    func disputedOpensDispute() async throws {
        try await TestDatabases.with(.sqlite) { db, co in
            _ = try await importer(db, co).run(.customers, csv: WorkedExample.customers)
            _ = try await importer(db, co).run(.invoices, csv: "invoice_ref,customer_ref,issue_date,due_date,currency,amount,disputed\nD1,K1,2024-01-01,2024-01-31,USD,10.00,true\n")
            let r = try await db.read { c in try await c.first("SELECT amount, reason, status FROM dispute WHERE company_id = $1", [.int(co.id)]) }
            #expect(r?.int(0) == 1000 && r?.text(1) == "other" && r?.text(2) == "open")
        }
    }
}
