import CobroCore
import Foundation

extension Importer {
    /// The bulk path pays off when the file holds many more documents than the table: rebuilding the dropped
    /// indexes then costs about what the new rows cost, instead of one random B-tree insert per row and index.
    static let bulkMinimumRows = 20_000
    /// A low estimate of a document row's size (W1M's invoices average 122 bytes), so the row count is not underrated.
    static let bulkBytesPerRow = 150

    /// True only on ``SQLiteDatabase``, whose write transaction without foreign-key checks the bulk load runs in.
    func useBulkLoad(sizeHint: Int?) async throws -> Bool {
        switch bulk {
        case .never: return false
        case .always: return db is SQLiteDatabase
        case .auto:
            guard db is SQLiteDatabase, let sizeHint, sizeHint / Importer.bulkBytesPerRow >= Importer.bulkMinimumRows else { return false }
            let stored = try await db.read { c in try await c.first("SELECT COUNT(*) FROM invoice")!.int(0) }
            return Int64(sizeHint / Importer.bulkBytesPerRow) > 2 * stored
        }
    }
}

/// A document import in one SQLite transaction that gives the same ledger as the row-by-row path
/// (``Importer/Run/process(_:_:importID:)``), several times faster (`BulkImportTests` compares the two):
///
/// 1. The indexes every new row would land in at a random place (by customer, by issue date, the open items) and the
///    per-row ledger-version and aging-mark triggers are dropped — inside the transaction, so other connections never see the table
///    without them and a rollback restores them.
/// 2. The file is parsed and validated on one core while the other inserts the previous batch, 64 rows per
///    statement. The unique `(company_id, ref)` index stays, so an existing ref is still found by the insert itself.
///    Credit notes of balances the load opens are applied in memory as they arrive (``FreshBalances``).
/// 3. Those allocations are written, then the dropped indexes and trigger are rebuilt from their stored definitions,
///    the ledger version moves once and the company's aging summaries are dropped.
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
    /// Rows per INSERT: SQLite keeps its cursors open across the rows of one statement, where a statement per row
    /// would seek every B-tree from its root again (2.4× the time on W1M).
    static let rowsPerStatement = 64
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
        guard let sqlite = c as? SQLiteConnection else { throw StoreError.conflict("the bulk document load needs SQLite") }
        // Balances with open items or credit already: their credit is applied through SQL, after the rebuild.
        var opened = Set<Importer.CreditKey>()
        try await c.forEach(
            """
            SELECT customer_id, currency FROM invoice WHERE company_id = $1 AND open_amount > 0
            UNION SELECT customer_id, currency FROM payment WHERE company_id = $1 AND unapplied_amount > 0
            """, [.int(company)]
        ) { r in opened.insert(Importer.CreditKey(customer: r.int(0), currency: r.text(1))) }
        let saved = try await c.query(
            "SELECT type, name, sql FROM sqlite_master WHERE tbl_name = 'invoice' AND name IN (\((BulkDocumentLoad.rebuiltIndexes + BulkDocumentLoad.droppedTriggers).map { "'\($0)'" }.joined(separator: ", ")))",
            [])
        for r in saved { try await c.executeScript("DROP \(r.text(0).uppercased()) \(r.text(1))") }
        try await c.forEach("SELECT customer_ref, id FROM customer WHERE company_id = $1", [.int(company)]) { r in
            run.customerIDs[r.text(0)] = r.int(1)
        }
        let w = LedgerWriter(c, company: company, actor: actor, now: now, events: try await EventSink.load(c, company: company))
        let (followUps, fresh) = try await insertAll(sqlite, w, opened: opened, next: next, progress: progress)
        try await write(fresh, sqlite, w)
        for r in saved where r.text(0) == "index" { try await c.executeScript(r.text(2)) }
        for r in saved where r.text(0) == "trigger" { try await c.executeScript(r.text(2)) }
        try await c.execute("UPDATE company SET ledger_version = ledger_version + 1 WHERE id = $1", [.int(company)])
        try await AgingSummaryStore.invalidate(c, company: company)
        try await finish(followUps, w)
    }

    /// Step 2: inserts every new row, parsing the next batch while this one is written.
    private func insertAll(
        _ sqlite: SQLiteConnection, _ w: LedgerWriter, opened: Set<Importer.CreditKey>, next: @escaping @Sendable () async throws -> [UInt8]?,
        progress: Importer.Progress?
    ) async throws -> ([FollowUp], FreshBalances) {
        var opened = opened
        var fresh = FreshBalances()
        let parser = BatchParser(run: run, next: next, progress: progress)
        let texts = SQLiteTextArena()
        let announces = !w.events.isEmpty
        var statements: [Int: SQLiteStatement] = [:]
        var followUps: [FollowUp] = []
        var mayHaveCredit = run.mayHaveCredit
        var inserted = 0
        var lastID = try await c.first("SELECT COALESCE(MAX(id), 0) FROM invoice")!.int(0)
        var ids: [Int64?] = []
        var pending = Task { try await parser.batch() }
        defer { pending.cancel() }
        while let batch = try await pending.value {
            pending = Task { try await parser.batch() }
            for start in stride(from: 0, to: batch.count, by: BulkDocumentLoad.rowsPerStatement) {
                let rows = start..<min(start + BulkDocumentLoad.rowsPerStatement, batch.count)
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
                ids.removeAll(keepingCapacity: true)
                if added == rows.count {
                    ids.append(contentsOf: (1...Int64(added)).map { lastID + $0 })
                } else {
                    var byRef: [String: Int64] = [:]
                    try await c.forEach("SELECT ref, id FROM invoice WHERE id > $1", [.int(lastID)]) { r in byRef[r.text(0)] = r.int(1) }
                    ids.append(contentsOf: rows.map { byRef[batch[$0].document.ref] })
                }
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
                    lastID = id
                    if batch[i].document.disputed && kind != .creditNote { try await w.openDispute(invoiceID: id, amount: amount) }
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
            }
        }
        run.summary.inserted += inserted
        return (followUps, fresh)
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
