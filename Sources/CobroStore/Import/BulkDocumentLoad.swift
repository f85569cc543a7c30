import CobroCore
import Foundation

extension Importer {
    /// The bulk path pays off when the file holds many more documents than the table: rebuilding the dropped
    /// indexes then costs about what the new rows cost, instead of one random B-tree insert per row and index.
    static let bulkMinimumRows = 20_000
    /// A low estimate of a document row's size (W1M's invoices average 122 bytes), so the row count is not underrated.
    static let bulkBytesPerRow = 150

    /// Also bounds the load's memory: rows whose ref already exists wait in memory for step 4, so they must be fewer
    /// than half the file.
    func useBulkLoad(sizeHint: Int?) async throws -> Bool {
        switch bulk {
        case .never: return false
        case .always: return true
        case .auto:
            guard let sizeHint, sizeHint / Importer.bulkBytesPerRow >= Importer.bulkMinimumRows else { return false }
            let stored = try await db.read { c in try await c.first("SELECT COUNT(*) FROM invoice")!.int(0) }
            return Int64(sizeHint / Importer.bulkBytesPerRow) > 2 * stored
        }
    }
}

/// A document import in one transaction that gives the same ledger as the row-by-row path
/// (``Importer/Run/process(_:_:importID:)``), several times faster (`BulkImportTests` compares the two on both
/// databases):
///
/// 1. On SQLite, the indexes every new row would land in at a random place (by customer, by issue date, the open
///    items) and the per-row ledger-version and aging-mark triggers are dropped — inside the transaction, so other
///    connections never see the table without them and a rollback restores them. PostgreSQL keeps its indexes (dropping
///    one there locks the table against every reader until the commit) and turns its ledger triggers off for this
///    transaction only (`SET LOCAL`).
/// 2. The file is parsed and validated on one core while the other inserts the previous batch, many rows per
///    statement. The unique `(company_id, ref)` index stays, so an existing ref is still found by the insert itself.
///    Credit notes of balances the load opens are applied in memory as they arrive (``FreshBalances``).
/// 3. Those allocations are written and the aging of every customer given documents is marked; then the dropped
///    indexes and triggers are rebuilt from their stored definitions, the ledger version moves once and the
///    company's aging summaries are dropped.
/// 4. What needs the indexes runs last, in file order: credit notes of balances that held items before the load,
///    invoices of those customers while they hold credit, and rows that already existed (updated). Each application
///    is bounded to the documents with smaller ids — the ones the row-by-row import would have seen at that line.
///
/// Disputes and `invoice.created` events are written during step 2, as the row-by-row path writes them.
/// Memory: one batch, ≈ 32 bytes per new document (``FreshBalances``), the rows step 4 revisits and the rows whose
/// ref already existed (fewer than half the file's rows, by ``Importer/useBulkLoad(sizeHint:)``).
struct BulkDocumentLoad {
    let c: any Connection
    let run: Importer.Run
    let company: Int64
    let actor: String
    let now: Int64
    let importID: Int64

    static let rebuiltIndexes = ["invoice_customer", "invoice_issue", "invoice_open"]
    /// Rows per INSERT on SQLite: it keeps its cursors open across the rows of one statement, where a statement per
    /// row would seek every B-tree from its root again (2.4× the time on W1M).
    static let rowsPerStatement = 64
    /// Rows per statement on PostgreSQL, where each statement is a round trip and a plan: 12 parameters a row stay
    /// far below its 65,535.
    static let rowsPerPostgresStatement = 500
    static let valuesPerRow = 12

    /// `INSERT … VALUES (…), (…)` for `rows` documents: $1 company, $2 import, $3 time, then `valuesPerRow` per row.
    static func insertSQL(rows: Int) -> String {
        let values = (0..<rows).map { k -> String in
            let p = 4 + k * valuesPerRow
            let v = (0..<valuesPerRow).map { "$\(p + $0)" }
            // open_amount = amount (v[6]) at insert.
            return "($1, \(v[0...6].joined(separator: ", ")), \(v[6]), \(v[7...11].joined(separator: ", ")), $2, $3, $3)"
        }
        return """
            INSERT INTO invoice (company_id, ref, customer_id, kind, issue_day, due_day, currency, amount, open_amount, description,
                                 terms, po_number, billing_channel, disputed, import_id, created_at, updated_at)
            VALUES \(values.joined(separator: ", ")) ON CONFLICT (company_id, ref) DO NOTHING
            """
    }
    /// The per-row ledger-version and aging-mark triggers; the load moves the version once and drops the company's
    /// aging summaries instead.
    static let droppedTriggers = ["invoice_version_ins", "invoice_aging_ins", "invoice_aging_upd"]
    static let batchRows = 4096

    /// A validated row and the customer it belongs to.
    struct Row: Sendable {
        let record: CSVRecord
        let document: Document
        let customerID: Int64
    }

    /// Step 4's work, in file order.
    enum FollowUp {
        case creditNote(id: Int64, customerID: Int64, currency: Currency, issueDate: LocalDate, amount: Int64)
        /// An invoice of a customer that may hold credit in its currency.
        case invoice(id: Int64, customerID: Int64, currency: Currency)
        /// A row whose ref exists: updated as the row-by-row path would, seeing documents up to `lastID`.
        indirect case existing(Row, lastID: Int64)
    }

    func load(next: @escaping @Sendable () async throws -> [UInt8]?, progress: Importer.Progress?) async throws {
        let sqlite = c as? SQLiteConnection
        // Balances with open items or credit already: their credit is applied through SQL, after the rebuild.
        var opened = Set<Importer.CreditKey>()
        try await c.forEach(
            """
            SELECT customer_id, currency FROM invoice WHERE company_id = $1 AND open_amount > 0
            UNION SELECT customer_id, currency FROM payment WHERE company_id = $1 AND unapplied_amount > 0
            """, [.int(company)]
        ) { r in opened.insert(Importer.CreditKey(customer: r.int(0), currency: r.text(1))) }
        // PostgreSQL: its ledger-version and aging-mark trigger functions do nothing for the rest of this transaction.
        if sqlite == nil { try await c.executeScript("SET LOCAL \(Migrator.bulkLoadSetting) = 'on'") }
        let saved = sqlite == nil ? [] : try await c.query(
            "SELECT type, name, sql FROM sqlite_master WHERE tbl_name = 'invoice' AND name IN (\((BulkDocumentLoad.rebuiltIndexes + BulkDocumentLoad.droppedTriggers).map { "'\($0)'" }.joined(separator: ", ")))",
            [])
        for r in saved { try await c.executeScript("DROP \(r.text(0).uppercased()) \(r.text(1))") }
        try await c.forEach("SELECT customer_ref, id FROM customer WHERE company_id = $1", [.int(company)]) { r in
            run.customerIDs[r.text(0)] = r.int(1)
        }
        let w = LedgerWriter(c, company: company, actor: actor, now: now, events: try await EventSink.load(c, company: company))
        let (followUps, fresh, customers) = try await insertAll(
            DocumentInserter(c, company: company, importID: importID, now: now), w, opened: opened, next: next, progress: progress)
        if let sqlite { try await write(fresh, sqlite, w) } else { try await writeInBatches(fresh, w) }
        try await markAging(customers)
        for r in saved where r.text(0) == "index" { try await c.executeScript(r.text(2)) }
        for r in saved where r.text(0) == "trigger" { try await c.executeScript(r.text(2)) }
        if sqlite == nil { try await c.executeScript("SET LOCAL \(Migrator.bulkLoadSetting) = 'off'") }
        try await c.execute("UPDATE company SET ledger_version = ledger_version + 1 WHERE id = $1", [.int(company)])
        try await AgingSummaryStore.invalidate(c, company: company)
        try await finish(followUps, w)
    }

    /// Step 2: inserts every new row, parsing the next batch while this one is written.
    private func insertAll(
        _ inserter: DocumentInserter, _ w: LedgerWriter, opened: Set<Importer.CreditKey>, next: @escaping @Sendable () async throws -> [UInt8]?,
        progress: Importer.Progress?
    ) async throws -> ([FollowUp], FreshBalances, customers: Set<Int64>) {
        var opened = opened
        var fresh = FreshBalances()
        let parser = BatchParser(run: run, next: next, progress: progress)
        let announces = !w.events.isEmpty
        var followUps: [FollowUp] = []
        var mayHaveCredit = run.mayHaveCredit
        var inserted = 0
        var customers = Set<Int64>()
        var lastID = try await c.first("SELECT COALESCE(MAX(id), 0) FROM invoice")!.int(0)
        var pending = Task { try await parser.batch() }
        defer { pending.cancel() }
        while let batch = try await pending.value {
            pending = Task { try await parser.batch() }
            for start in stride(from: 0, to: batch.count, by: inserter.rowsPerStatement) {
                let rows = start..<min(start + inserter.rowsPerStatement, batch.count)
                let ids = try await inserter.insert(batch, rows, after: lastID)
                var disputes: [(invoiceID: Int64, amount: Int64)] = []
                for (k, i) in rows.enumerated() {
                    let customerID = batch[i].customerID, kind = batch[i].document.kind, amount = batch[i].document.amountMinor
                    let key = Importer.CreditKey(customer: customerID, currency: batch[i].document.currency)
                    guard let id = ids[k] else {
                        followUps.append(.existing(batch[i], lastID: lastID))
                        // Its update may leave credit (a credit note raised), which later invoices of the customer take,
                        // through SQL from here on.
                        mayHaveCredit.insert(key)
                        opened.insert(key)
                        continue
                    }
                    inserted += 1
                    customers.insert(customerID)
                    lastID = id
                    if batch[i].document.disputed && kind != .creditNote { disputes.append((id, amount)) }
                    if !opened.contains(key) {
                        fresh.add(key, id: id, issueDay: batch[i].document.issueDate.dayNumber, dueDay: batch[i].document.dueDate.dayNumber, amount: amount,
                                  isCredit: kind == .creditNote)
                    } else if kind == .creditNote {
                        followUps.append(.creditNote(id: id, customerID: customerID, currency: batch[i].document.currency, issueDate: batch[i].document.issueDate, amount: amount))
                        mayHaveCredit.insert(key)
                    } else if mayHaveCredit.contains(key) {
                        followUps.append(.invoice(id: id, customerID: customerID, currency: batch[i].document.currency))
                    }
                    if announces { try await w.emitCreated(batch[i].document, id: id) }
                }
                try await w.openDisputes(disputes)
            }
        }
        run.summary.inserted += inserted
        return (followUps, fresh, customers)
    }

    /// Step 3 for the fresh balances: their final balances in id order, then their allocations in the order made.
    private func write(_ fresh: FreshBalances, _ sqlite: SQLiteConnection, _ w: LedgerWriter) async throws {
        let update = try sqlite.statement(
            "UPDATE invoice SET open_amount = $1, first_alloc_day = $2, last_alloc_day = $3, updated_at = $4 WHERE id = $5")
        let none = SQLiteTextArena()
        update.bind(4, now)
        for (i, days) in fresh.touched.sorted(by: { $0.key < $1.key }) {
            let item = fresh.items[Int(i)]
            update.bind(1, item.open)
            update.bind(2, Int64(days.first))
            update.bind(3, Int64(days.last))
            update.bind(5, item.id)
            try update.step(binding: none)
        }
        let insert = try sqlite.statement(
            """
            INSERT INTO allocation (company_id, invoice_id, credit_note_id, amount, applied_day, created_at, created_by)
            VALUES ($1, $2, $3, $4, $5, $6, $7)
            """)
        insert.bind(1, company)
        insert.bind(6, now)
        let texts = SQLiteTextArena()
        for a in fresh.allocations {
            let invoiceID = fresh.items[Int(a.invoice)].id
            insert.bind(2, invoiceID)
            insert.bind(3, fresh.items[Int(a.credit)].id)
            insert.bind(4, a.amount)
            insert.bind(5, Int64(a.day))
            texts.add(7, actor)
            try insert.step(binding: texts)
            if a.settles { try await w.emitPaid(invoiceID: invoiceID, allocationID: sqlite.lastInsertRowID, day: Int64(a.day)) }
        }
    }

    /// Marks the aging of every customer the load gave documents, as the triggers it turned off would have: the
    /// company's summaries are dropped, but a reader that computed one before the commit may still store it.
    private func markAging(_ customers: Set<Int64>) async throws {
        let version = try await c.first("SELECT ledger_version FROM company WHERE id = $1", [.int(company)])!.int(0)
        try await c.insertRows(
            "aging_dirty", columns: ["company_id", "customer_id", "ledger_version"], customers.sorted().map { [.int(company), .int($0), .int(version)] },
            chunk: 1000,
            suffix: """
                ON CONFLICT (company_id, customer_id) DO UPDATE SET ledger_version =
                  CASE WHEN excluded.ledger_version > aging_dirty.ledger_version THEN excluded.ledger_version ELSE aging_dirty.ledger_version END
                """)
    }

    /// Step 3 on PostgreSQL: the same writes as ``write(_:_:_:)``, many rows per statement (each is a round trip).
    private func writeInBatches(_ fresh: FreshBalances, _ w: LedgerWriter) async throws {
        let perStatement = 1000
        let touched = fresh.touched.sorted { $0.key < $1.key }
        for start in stride(from: 0, to: touched.count, by: perStatement) {
            let slice = touched[start..<min(start + perStatement, touched.count)]
            var binds: [SQLValue] = [.int(company), .int(now)]
            let values = slice.enumerated().map { k, t -> String in
                let item = fresh.items[Int(t.key)]
                binds += [.int(item.id), .int(item.open), .int(Int64(t.value.first)), .int(Int64(t.value.last))]
                return "($\(3 + 4 * k), $\(4 + 4 * k), $\(5 + 4 * k), $\(6 + 4 * k))"
            }
            try await c.execute(
                """
                UPDATE invoice AS i SET open_amount = v.open, first_alloc_day = v.first, last_alloc_day = v.last, updated_at = $2
                FROM (VALUES \(values.joined(separator: ", "))) AS v (id, open, first, last) WHERE i.company_id = $1 AND i.id = v.id
                """, binds)
        }
        if !w.events.isEmpty {
            // `invoice.paid` names the allocation that settled the invoice, so each one's id is needed.
            for a in fresh.allocations {
                let invoiceID = fresh.items[Int(a.invoice)].id
                let id = try await c.first(
                    """
                    INSERT INTO allocation (company_id, invoice_id, credit_note_id, amount, applied_day, created_at, created_by)
                    VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id
                    """,
                    [.int(company), .int(invoiceID), .int(fresh.items[Int(a.credit)].id), .int(a.amount), .int(Int64(a.day)), .int(now), .text(actor)])!.int(0)
                if a.settles { try await w.emitPaid(invoiceID: invoiceID, allocationID: id, day: Int64(a.day)) }
            }
            return
        }
        try await c.insertRows(
            "allocation", columns: ["company_id", "invoice_id", "credit_note_id", "amount", "applied_day", "created_at", "created_by"],
            fresh.allocations.map { a in
                [.int(company), .int(fresh.items[Int(a.invoice)].id), .int(fresh.items[Int(a.credit)].id), .int(a.amount), .int(Int64(a.day)), .int(now), .text(actor)]
            }, chunk: perStatement)
    }

    /// Step 4, with the indexes back. Tracks exactly which customers hold credit, so an invoice of a customer whose
    /// credit was used up costs no query.
    private func finish(_ followUps: [FollowUp], _ w: LedgerWriter) async throws {
        var holdsCredit = run.mayHaveCredit
        for f in followUps {
            switch f {
            case .creditNote(let id, let customerID, let currency, let issueDate, let amount):
                let applied = try await w.applyCredit(.creditNote(id), customerID: customerID, currency: currency, day: issueDate, named: nil, itemsUpTo: id)
                if applied < amount { holdsCredit.insert(Importer.CreditKey(customer: customerID, currency: currency)) }
            case .invoice(let id, let customerID, let currency):
                let key = Importer.CreditKey(customer: customerID, currency: currency)
                guard holdsCredit.contains(key) else { continue }
                try await w.applyAvailableCredit(customerID: customerID, currency: currency, documentsUpTo: id)
                if try await w.availableCredit(customerID: customerID, currency: currency, documentsUpTo: id).isEmpty { holdsCredit.remove(key) }
            case .existing(let row, let lastID):
                switch try await w.updateDocument(row.document, customerID: row.customerID, documentsUpTo: lastID) {
                case .success(let o): run.count(o)
                case .failure(let e): run.fail(e, row.record)
                }
                holdsCredit.insert(Importer.CreditKey(customer: row.customerID, currency: row.document.currency))
            }
        }
        // Refused updates were reported after the rest of the file; the summary lists issues in line order.
        run.summary.issues = run.summary.issues.enumerated().sorted { ($0.element.line, $0.offset) < ($1.element.line, $1.offset) }.map(\.element)
    }
}

/// Step 2's statements: inserts a slice of a batch with one INSERT and says which id each row got, nil where the
/// ref already existed. New rows take their ids in the order of the VALUES list, which is file order.
final class DocumentInserter {
    let c: any Connection
    let sqlite: SQLiteConnection?
    let company: Int64, importID: Int64, now: Int64
    let rowsPerStatement: Int
    private var statements: [Int: SQLiteStatement] = [:]
    private var sql: [Int: String] = [:]
    private let texts = SQLiteTextArena()

    init(_ c: any Connection, company: Int64, importID: Int64, now: Int64) {
        self.c = c
        self.sqlite = c as? SQLiteConnection
        self.company = company
        self.importID = importID
        self.now = now
        rowsPerStatement = sqlite == nil ? BulkDocumentLoad.rowsPerPostgresStatement : BulkDocumentLoad.rowsPerStatement
    }

    func insert(_ batch: [BulkDocumentLoad.Row], _ rows: Range<Int>, after lastID: Int64) async throws -> [Int64?] {
        guard let sqlite else { return try await insertReturning(batch, rows) }
        if statements[rows.count] == nil { statements[rows.count] = try sqlite.statement(BulkDocumentLoad.insertSQL(rows: rows.count)) }
        let insert = statements[rows.count]!
        insert.bind(1, company)
        insert.bind(2, importID)
        insert.bind(3, now)
        for (k, i) in rows.enumerated() {
            // Fields are read in place (`batch[i]…`): copying a row retains each of its strings and arrays.
            let p = Int32(4 + k * BulkDocumentLoad.valuesPerRow)
            texts.add(p, batch[i].document.ref)
            insert.bind(p + 1, batch[i].customerID)
            texts.add(p + 2, batch[i].document.kind.rawValue)
            insert.bind(p + 3, Int64(batch[i].document.issueDate.dayNumber))
            insert.bind(p + 4, Int64(batch[i].document.dueDate.dayNumber))
            texts.add(p + 5, batch[i].document.currency.code)
            insert.bind(p + 6, batch[i].document.amountMinor)
            texts.add(p + 7, batch[i].document.description)
            texts.add(p + 8, batch[i].document.terms)
            texts.add(p + 9, batch[i].document.poNumber)
            texts.add(p + 10, batch[i].document.billingChannel?.rawValue)
            insert.bind(p + 11, batch[i].document.disputed ? 1 : 0)
        }
        try insert.step(binding: texts)
        // New rows get the next rowids in VALUES order; when a ref already existed, read back which rows went in.
        let added = Int(sqlite.changes)
        if added == rows.count { return (1...Int64(added)).map { lastID + $0 } }
        var byRef: [String: Int64] = [:]
        try await c.forEach("SELECT ref, id FROM invoice WHERE id > $1", [.int(lastID)]) { r in byRef[r.text(0)] = r.int(1) }
        return rows.map { byRef[batch[$0].document.ref] }
    }

    /// PostgreSQL: the same INSERT through the connection, whose `RETURNING` names the rows that went in.
    private func insertReturning(_ batch: [BulkDocumentLoad.Row], _ rows: Range<Int>) async throws -> [Int64?] {
        if sql[rows.count] == nil { sql[rows.count] = BulkDocumentLoad.insertSQL(rows: rows.count) + " RETURNING ref, id" }
        var binds: [SQLValue] = [.int(company), .int(importID), .int(now)]
        binds.reserveCapacity(3 + rows.count * BulkDocumentLoad.valuesPerRow)
        for i in rows {
            let d = batch[i].document
            binds += [.text(d.ref), .int(batch[i].customerID), .text(d.kind.rawValue), .int(Int64(d.issueDate.dayNumber)), .int(Int64(d.dueDate.dayNumber)),
                      .text(d.currency.code), .int(d.amountMinor), .of(d.description), .of(d.terms), .of(d.poNumber), .of(d.billingChannel?.rawValue),
                      .of(d.disputed)]
        }
        var byRef: [String: Int64] = [:]
        byRef.reserveCapacity(rows.count)
        try await c.forEach(sql[rows.count]!, binds) { r in byRef[r.text(0)] = r.int(1) }
        return rows.map { byRef[batch[$0].document.ref] }
    }
}

/// Reads, parses and validates the file a batch at a time for ``BulkDocumentLoad``. Used by one task at a time
/// (each batch is awaited before the next is asked for); the writer does not touch the run until the file is read.
final class BatchParser: @unchecked Sendable {
    let run: Importer.Run
    let next: @Sendable () async throws -> [UInt8]?
    let progress: Importer.Progress?
    private var done = false

    init(run: Importer.Run, next: @escaping @Sendable () async throws -> [UInt8]?, progress: Importer.Progress?) {
        self.run = run
        self.next = next
        self.progress = progress
    }

    /// The next batch of valid rows (bad ones are rejected on the run), or nil at the end of the file.
    func batch() async throws -> [BulkDocumentLoad.Row]? {
        var out: [BulkDocumentLoad.Row] = []
        out.reserveCapacity(BulkDocumentLoad.batchRows)
        while out.count < BulkDocumentLoad.batchRows {
            if run.pending.isEmpty {
                if done { break }
                let chunk = try await next()
                done = chunk == nil
                run.ingest(chunk)
                progress?(run.bytes, run.summary.rows)
                if run.headerFailed {
                    run.pending.removeAll()
                    done = true
                }
                if done && run.header == nil && !run.headerFailed {
                    run.headerFailed = true
                    run.add([ImportIssue(line: 1, message: "the file is empty; expected a header row with \(run.kind.required.joined(separator: ","))")])
                }
                continue
            }
            for rec in run.pending {
                guard let d = run.document(rec) else { continue }
                guard let cid = run.customerIDs[d.customerRef] else {
                    run.fail(.unknownCustomer(d.customerRef), rec)
                    continue
                }
                out.append(BulkDocumentLoad.Row(record: rec, document: d, customerID: cid))
            }
            run.pending.removeAll(keepingCapacity: true)
        }
        return out.isEmpty && done ? nil : out
    }
}
