import CobroCore
import CobroStore
import CobroTestSupport
import Foundation
import Testing

@Suite("Retention run: erase closed customers' personal data, keep the amounts") struct RetentionTests {
    static func ms(_ iso: String) -> Int64 { Int64(d(iso).dayNumber) * 86_400_000 + 15 * 3_600_000 }
    static let then = ms("2013-06-01")
    static let asOf = d("2026-12-01")

    /// Strings that identify people: none may survive the run anywhere in the database.
    static let personal = [
        "Olga Oldfield", "olga@old1.example", "+34 600 111 222", "Calle Vieja 1", "Oscar Contact", "oscar@old1.example", "+34 600 333 444",
        "spoke with Olga about the pallets", "Oscar at reception", "Olga says the pallets never arrived", "TRF-OLGA-778", "Olga-complaint.eml",
    ]
    static let mail = Array("From: Olga Oldfield <olga@old1.example>\r\nSubject: pallets\r\n\r\nThey never arrived.\r\n".utf8)

    static let customers = """
        customer_ref,name,email,phone,currency,language
        OLD1,Olga Oldfield,olga@old1.example,+34 600 111 222,EUR,es
        OLD2,Owing Old Co,owing@old2.example,,EUR,es
        OLD3,Disputing Old Co,disputing@old3.example,,EUR,es
        OLD4,Credit Old Co,credit@old4.example,,EUR,es
        NEW1,Nuevo Cliente,nuevo@new1.example,,EUR,es

        """
    static let invoices = """
        invoice_ref,customer_ref,issue_date,due_date,currency,amount
        O1-A,OLD1,2013-04-01,2013-05-01,EUR,1200.00
        O1-B,OLD1,2013-05-01,2013-05-31,EUR,300.00
        O2-A,OLD2,2012-03-01,2012-03-31,EUR,500.00
        O3-A,OLD3,2013-03-01,2013-03-31,EUR,700.00
        N1-A,NEW1,2026-10-01,2026-10-31,EUR,900.00

        """
    static let payments = """
        payment_ref,customer_ref,payment_date,currency,amount,reference
        P-O1,OLD1,2013-07-01,EUR,1500.00,TRF-OLGA-778
        P-O4,OLD4,2012-01-10,EUR,50.00,

        """

    /// Loads the five customers: OLD1 closed since 2013 with contacts, a call and a withdrawn dispute with a comment
    /// and an attached e-mail; OLD2 still owing
    /// since 2012; OLD3 with an open dispute; OLD4 holding an unapplied payment; NEW1 active.
    static func load(_ db: any Database, _ co: CompanyRecord) async throws {
        let imp = importer(db, co, now: then)
        for (k, csv) in [(ImportKind.customers, customers), (.invoices, invoices)] {
            let s = try await imp.run(k, csv: csv, strict: true)
            try #require(s.committed && s.rejected == 0, "\(s.issues)")
        }
        try await db.transaction { c in
            let old1 = try #require(try await LedgerQueries.customerID(c, company: co.id, ref: "OLD1"))
            try await c.execute("UPDATE customer SET postal_address = 'Calle Vieja 1' WHERE company_id = $1 AND id = $2", [.int(co.id), .int(old1)])
            _ = try await LedgerWriter(c, company: co.id, actor: "ana", now: then, events: .none).addContact(
                customerID: old1, customerRef: "OLD1", name: "Oscar Contact", role: "AP", email: "oscar@old1.example", phone: "+34 600 333 444",
                language: "es", preferredChannel: "email", isPrimary: true)
            _ = try await InteractionStore.record(
                c, company: co.id, customerRef: "OLD1", kind: .call, outcome: .rightPartyContact, atMillis: then - 3_600_000,
                summary: "spoke with Olga about the pallets", contactName: "Oscar at reception", invoiceRefs: ["O1-A"], actor: "ana", now: then)
            let opened = try await DisputeStore.open(
                c, company: co.id, invoices: [(ref: "O1-A", amount: nil)], reason: .notReceived, owner: "ana", dueDate: nil,
                comment: nil, today: d("2013-06-01"), actor: "ana", now: then)
            let id = try #require(opened.first?.id)
            try await DisputeStore.addComment(c, company: co.id, id: id, body: "Olga says the pallets never arrived", actor: "ana", now: then)
            _ = try await AttachmentStore.add(
                c, company: co.id, owner: .dispute(id), fileName: "Olga-complaint.eml", declaredType: "message/rfc822", bytes: mail,
                settings: AttachmentSettings(), actor: "ana", now: then)
            _ = try await DisputeStore.setStatus(c, company: co.id, id: id, to: .withdrawn, note: nil, actor: "ana", now: then + 1000)
            _ = try await DisputeStore.open(
                c, company: co.id, invoices: [(ref: "O3-A", amount: "100.00")], reason: .pricing, owner: "ana", dueDate: nil,
                comment: nil, today: d("2013-06-01"), actor: "ana", now: then)
        }
        let s = try await imp.run(.payments, csv: payments, strict: true)
        try #require(s.committed && s.rejected == 0, "\(s.issues)")
    }

    /// Every TEXT-like value of the company in every table of the database (both dialects), as "table.column: value".
    /// Tables with a company_id are read for the company only (PostgreSQL is shared by concurrent tests).
    static func allText(_ db: any Database, _ kind: SQLDialect, company: Int64) async throws -> [String] {
        try await db.read { c in
            var columns: [(table: String, column: String, type: String)] = []
            switch kind {
            case .sqlite:
                for t in try await c.query("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'", []).map({ $0.text(0) }) {
                    for col in try await c.query("SELECT name, type FROM pragma_table_info($1)", [.text(t)]) { columns.append((t, col.text(0), col.text(1).lowercased())) }
                }
            case .postgres:
                columns = try await c.query(
                    "SELECT table_name, column_name, data_type FROM information_schema.columns WHERE table_schema = current_schema()", []
                ).map { ($0.text(0), $0.text(1), $0.text(2)) }
            }
            let scoped = Set(columns.filter { $0.column == "company_id" }.map(\.table))
            var out: [String] = []
            for (t, col, type) in columns where ["text", "character varying", "json", "jsonb"].contains(type) {
                let own = t == "company" ? " AND id = \(company)" : scoped.contains(t) ? " AND company_id = \(company)" : ""
                for r in try await c.query("SELECT CAST(\"\(col)\" AS TEXT) FROM \"\(t)\" WHERE \"\(col)\" IS NOT NULL\(own)", []) { out.append("\(t).\(col): \(r.text(0))") }
            }
            // Sorted: without ORDER BY, PostgreSQL may return a table's rows in another order under concurrent load.
            return out.sorted()
        }
    }

    func run(_ db: any Database, _ co: CompanyRecord, dryRun: Bool) async throws -> RetentionReport {
        try await RetentionStore.run(db, company: co.id, asOf: Self.asOf, years: 10, dryRun: dryRun, actor: "dpo", now: Self.ms("2026-12-01"))
    }

    func auditCount(_ db: any Database, _ co: CompanyRecord) async throws -> Int64 {
        try await db.read { c in try await c.first("SELECT COUNT(*) FROM audit_event WHERE company_id = $1", [.int(co.id)])!.int(0) }
    }

    @Test("a dry run lists who would be erased and who is refused, and writes nothing", arguments: TestDatabases.kinds)
    func dryRun(kind: SQLDialect) async throws {
        try await TestDatabases.with(kind, base: "EUR") { db, co in
            try await Self.load(db, co)
            let before = try await Self.allText(db, kind, company: co.id)
            let audits = try await auditCount(db, co)
            let report = try await run(db, co, dryRun: true)
            #expect(report.cutoff == d("2016-12-01"))
            #expect(report.checked == 5 && report.tooRecent == 1)
            let byRef = Dictionary(uniqueKeysWithValues: report.outcomes.map { ($0.customerRef, $0) })
            #expect(byRef["OLD1"]?.action == "would_erase")
            #expect(byRef["OLD1"]?.lastActivity == d("2013-07-01"), "the payment is the last thing that happened")
            #expect(byRef["OLD2"]?.refusals == [.openBalance])
            #expect(byRef["OLD3"]?.refusals == [.openBalance, .openDispute])
            #expect(byRef["OLD4"]?.refusals == [.unappliedCredit])
            #expect(byRef["NEW1"] == nil)
            #expect(try await Self.allText(db, kind, company: co.id) == before)
            #expect(try await auditCount(db, co) == audits)
        }
    }

    @Test("the run erases every personal value of the closed customer, keeps its amounts and audits the erasure", arguments: TestDatabases.kinds)
    func erase(kind: SQLDialect) async throws {
        try await TestDatabases.with(kind, base: "EUR") { db, co in
            try await Self.load(db, co)
            let before = try await Self.allText(db, kind, company: co.id)
            for s in Self.personal { #expect(before.contains { $0.contains(s) }, "the fixture holds \(s)") }
            let statementBefore = try #require(try await db.read { c in
                try await ReportStore(c, company: co.id).statements(customerRef: "OLD1", from: d("2013-01-01"), to: d("2013-12-31"))
            })
            let audits = try await auditCount(db, co)

            let report = try await run(db, co, dryRun: false)
            #expect(report.outcomes.filter { $0.action == "erased" }.map(\.customerRef) == ["OLD1"])
            #expect(report.erased == 1 && report.refused == 3)

            let after = try await Self.allText(db, kind, company: co.id)
            for s in Self.personal {
                #expect(!after.contains { $0.contains(s) }, "\(s) is gone: \(after.filter { $0.contains(s) })")
            }
            // Other customers' data is untouched.
            for kept in ["Owing Old Co", "owing@old2.example", "Nuevo Cliente", "nuevo@new1.example"] { #expect(after.contains { $0.contains(kept) }) }
            let statementAfter = try #require(try await db.read { c in
                try await ReportStore(c, company: co.id).statements(customerRef: "OLD1", from: d("2013-01-01"), to: d("2013-12-31"))
            })
            #expect(statementAfter.map(\.closingMinor) == statementBefore.map(\.closingMinor))
            #expect(statementAfter.map { $0.lines.count } == statementBefore.map { $0.lines.count })
            let (name, erasedAt, invoices) = try await db.read { c in
                let r = try #require(try await c.first("SELECT name, erased_at FROM customer WHERE company_id = $1 AND customer_ref = 'OLD1'", [.int(co.id)]))
                let amounts = try await c.query(
                    "SELECT i.ref, i.amount FROM invoice i JOIN customer cu ON cu.company_id = i.company_id AND cu.id = i.customer_id WHERE i.company_id = $1 AND cu.customer_ref = 'OLD1' ORDER BY i.ref",
                    [.int(co.id)]).map { "\($0.text(0))=\($0.int(1))" }
                return (r.text(0), r.intOrNil(1), amounts)
            }
            #expect(name == "[erased]" && erasedAt == Self.ms("2026-12-01"))
            #expect(invoices == ["O1-A=120000", "O1-B=30000"])
            #expect(try await auditCount(db, co) == audits + 2, "customer.erased and attachment.purge; redaction adds none")
            let contents = try await db.read { c in try await c.first("SELECT COUNT(*) FROM attachment_content WHERE company_id = $1", [.int(co.id)])!.int(0) }
            #expect(contents == 0, "the attached e-mail's content is gone")
            let erasedEvent = try await db.read { c in
                try await c.first("SELECT actor, after_json FROM audit_event WHERE company_id = $1 AND action = 'customer.erased' AND entity_ref = 'OLD1'", [.int(co.id)])
            }
            #expect(erasedEvent?.text(0) == "dpo")

            // A second run has nothing more to erase, and OLD1 is no longer considered.
            let again = try await run(db, co, dryRun: false)
            #expect(again.checked == 4 && again.erased == 0 && !again.outcomes.contains { $0.customerRef == "OLD1" })
        }
    }

    @Test("an erased customer cannot come back by import or get new contacts", arguments: TestDatabases.kinds)
    func noResurrection(kind: SQLDialect) async throws {
        try await TestDatabases.with(kind, base: "EUR") { db, co in
            try await Self.load(db, co)
            _ = try await run(db, co, dryRun: false)
            let s = try await importer(db, co).run(.customers, csv: "customer_ref,name,email\nNEW2,Otro,otro@x.example\nOLD1,Olga Oldfield,olga@old1.example\n")
            #expect(s.inserted == 1 && s.rejected == 1)
            let issue = try #require(s.errors.first)
            #expect(issue.line == 3 && issue.field == "customer_ref" && issue.column == 1)
            #expect(issue.message.contains("erased") && issue.message.contains("new customer_ref"))
            let strict = try await importer(db, co).run(.customers, csv: "customer_ref,name\nNEW3,Otro Más\nOLD1,Olga\n", strict: true)
            #expect(!strict.committed && strict.rejected == 1)
            #expect(!(try await Self.allText(db, kind, company: co.id)).contains { $0.contains("Olga") || $0.contains("NEW3") })
            await #expect(throws: LedgerError.self) {
                try await db.transaction { c in
                    let id = try #require(try await LedgerQueries.customerID(c, company: co.id, ref: "OLD1"))
                    _ = try await LedgerWriter(c, company: co.id, actor: "ana", now: 1, events: .none).addContact(
                        customerID: id, customerRef: "OLD1", name: "Olga", role: nil, email: nil, phone: nil, language: nil, preferredChannel: nil, isPrimary: false)
                }
            }
        }
    }

    @Test("the audit log allows one redaction and nothing else", arguments: TestDatabases.kinds)
    func auditStaysAppendOnly(kind: SQLDialect) async throws {
        try await TestDatabases.with(kind, base: "EUR") { db, co in
            try await Self.load(db, co)
            _ = try await run(db, co, dryRun: false)
            let redacted = try await db.read { c in
                try await c.first("SELECT id FROM audit_event WHERE company_id = $1 AND redacted_at IS NOT NULL ORDER BY id", [.int(co.id)])?.int(0)
            }
            let id = try #require(redacted, "the run redacted the events about OLD1")
            let key: [SQLValue] = [.int(co.id), .int(id)]
            await #expect(throws: (any Error).self, "a second redaction") {
                try await db.transaction { c in try await c.execute("UPDATE audit_event SET after_json = '{}', redacted_at = 5 WHERE company_id = $1 AND id = $2", key) }
            }
            let fresh = try await db.read { c in
                try await c.first("SELECT id FROM audit_event WHERE company_id = $1 AND redacted_at IS NULL ORDER BY id", [.int(co.id)])!.int(0)
            }
            await #expect(throws: (any Error).self, "changing who did it, even while redacting") {
                try await db.transaction { c in
                    try await c.execute("UPDATE audit_event SET actor = 'x', redacted_at = 5 WHERE company_id = $1 AND id = $2", [.int(co.id), .int(fresh)])
                }
            }
            await #expect(throws: (any Error).self, "an update that is not a redaction") {
                try await db.transaction { c in try await c.execute("UPDATE audit_event SET after_json = '{}' WHERE company_id = $1 AND id = $2", [.int(co.id), .int(fresh)]) }
            }
            await #expect(throws: (any Error).self, "deleting") {
                try await db.transaction { c in try await c.execute("DELETE FROM audit_event WHERE company_id = $1 AND id = $2", key) }
            }
        }
    }

    @Test("years must be 1 or more", arguments: TestDatabases.kinds)
    func badYears(kind: SQLDialect) async throws {
        try await TestDatabases.with(kind) { db, co in
            await #expect(throws: StoreError.self) {
                _ = try await RetentionStore.run(db, company: co.id, asOf: Self.asOf, years: 0, dryRun: true, actor: "dpo", now: 0)
            }
        }
    }
}
