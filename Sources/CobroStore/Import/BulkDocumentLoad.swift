import CobroCore
import Foundation

extension Importer {
    /// The bulk path pays off when the file holds many more documents than the table: rebuilding the dropped
    /// indexes then costs about what the new rows cost, instead of one random B-tree insert per row and index.
    static let bulkMinimumRows = 20_000
    /// A low estimate of a document row's size (W1M's invoices average 122 bytes), so the row count is not underrated.
    static let bulkBytesPerRow = 150

    func useBulkLoad(sizeHint: Int?) async throws -> Bool {
        switch bulk {
        case .never: return false
        case .always: return db.dialect == .sqlite
        case .auto:
            guard db.dialect == .sqlite, let sizeHint, sizeHint / Importer.bulkBytesPerRow >= Importer.bulkMinimumRows else { return false }
            let stored = try await db.read { c in try await c.first("SELECT COUNT(*) FROM invoice")!.int(0) }
            return Int64(sizeHint / Importer.bulkBytesPerRow) > 2 * stored
        }
    }
}

/// A document import in one SQLite transaction that gives the same ledger as the row-by-row path
/// (``Importer/Run/process(_:_:importID:)``), several times faster:
///
/// 1. The indexes every new row would land in at a random place (by customer, by issue date, the open items) and the
///    per-row ledger-version trigger are dropped — inside the transaction, so other connections never see the table
///    without them and a rollback restores them.
/// 2. The file is parsed and validated on one core while the other inserts the previous batch through one prepared
///    statement. The unique `(company_id, ref)` index stays, so an existing ref is still found by the insert itself.
/// 3. The dropped indexes and trigger are rebuilt from their stored definitions, and the ledger version moves once.
/// 4. What needs the indexes runs last, in file order: credit notes are applied, invoices of customers holding credit
///    take it, and rows that already existed are updated. Each application is bounded to the documents with smaller
///    ids — the ones the row-by-row import would have seen at that line — so the allocations are the same.
///
/// Disputes and `invoice.created` events are written during step 2, as the row-by-row path writes them.
/// Memory: one batch, the ids of the rows step 4 revisits (credit notes, invoices of customers with credit) and the
/// rows whose ref already existed (fewer than half the file's rows, by ``Importer/useBulkLoad(sizeHint:)``).
struct BulkDocumentLoad {
    let c: any Connection
    let run: Importer.Run
    let company: Int64
    let actor: String
    let now: Int64
    let importID: Int64

    static let rebuiltIndexes = ["invoice_customer", "invoice_issue", "invoice_open"]
    static let droppedTriggers = ["invoice_version_ins"]
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
        let saved = try await c.query(
            "SELECT type, name, sql FROM sqlite_master WHERE tbl_name = 'invoice' AND name IN (\((BulkDocumentLoad.rebuiltIndexes + BulkDocumentLoad.droppedTriggers).map { "'\($0)'" }.joined(separator: ", ")))",
            [])
        for r in saved { try await c.executeScript("DROP \(r.text(0).uppercased()) \(r.text(1))") }
        try await c.forEach("SELECT customer_ref, id FROM customer WHERE company_id = $1", [.int(company)]) { r in
            run.customerIDs[r.text(0)] = r.int(1)
        }
        let w = LedgerWriter(c, company: company, actor: actor, now: now, events: try await EventSink.load(c, company: company))
        let followUps = try await insertAll(sqlite, w, next: next, progress: progress)
        for r in saved where r.text(0) == "index" { try await c.executeScript(r.text(2)) }
        for r in saved where r.text(0) == "trigger" { try await c.executeScript(r.text(2)) }
        try await c.execute("UPDATE company SET ledger_version = ledger_version + 1 WHERE id = $1", [.int(company)])
        try await finish(followUps, w)
    }

    /// Step 2: inserts every new row, parsing the next batch while this one is written.
    private func insertAll(
        _ sqlite: SQLiteConnection, _ w: LedgerWriter, next: @escaping @Sendable () async throws -> [UInt8]?, progress: Importer.Progress?
    ) async throws -> [FollowUp] {
        let insert = try sqlite.statement(
            """
            INSERT INTO invoice (company_id, ref, customer_id, kind, issue_day, due_day, currency, amount, open_amount, description,
                                 terms, po_number, billing_channel, disputed, import_id, created_at, updated_at)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8, $9, $10, $11, $12, $13, $14, $15, $15)
            ON CONFLICT (company_id, ref) DO NOTHING
            """)
        insert.bind(1, company)
        insert.bind(14, importID)
        insert.bind(15, now)
        let parser = BatchParser(run: run, next: next, progress: progress)
        let texts = SQLiteTextArena()
        var followUps: [FollowUp] = []
        var mayHaveCredit = run.mayHaveCredit
        var inserted = 0
        var lastID = try await c.first("SELECT COALESCE(MAX(id), 0) FROM invoice")!.int(0)
        var pending = Task { try await parser.batch() }
        defer { pending.cancel() }
        while let batch = try await pending.value {
            pending = Task { try await parser.batch() }
            for i in batch.indices {
                let row = batch[i], d = row.document
                texts.add(2, d.ref)
                insert.bind(3, row.customerID)
                texts.add(4, d.kind.rawValue)
                insert.bind(5, Int64(d.issueDate.dayNumber))
                insert.bind(6, Int64(d.dueDate.dayNumber))
                texts.add(7, d.currency.code)
                insert.bind(8, d.amountMinor)
                texts.add(9, d.description)
                texts.add(10, d.terms)
                texts.add(11, d.poNumber)
                texts.add(12, d.billingChannel?.rawValue)
                insert.bind(13, d.disputed ? 1 : 0)
                // No RETURNING: SQLite buffers returned rows in a temporary table; the change count and rowid are free.
                try insert.step(binding: texts)
                guard sqlite.changes == 1 else {
                    followUps.append(.existing(row, lastID: lastID))
                    // Its update may leave credit (a credit note raised), which later invoices of the customer take.
                    mayHaveCredit.insert(run.creditKey(row.customerID, d.currency))
                    continue
                }
                let id = sqlite.lastInsertRowID
                inserted += 1
                lastID = id
                let key = run.creditKey(row.customerID, d.currency)
                if d.kind == .creditNote {
                    followUps.append(.creditNote(id: id, customerID: row.customerID, currency: d.currency, issueDate: d.issueDate, amount: d.amountMinor))
                    mayHaveCredit.insert(key)
                } else {
                    if d.disputed { try await w.openDispute(invoiceID: id, amount: d.amountMinor) }
                    if mayHaveCredit.contains(key) { followUps.append(.invoice(id: id, customerID: row.customerID, currency: d.currency)) }
                }
                try await w.emitCreated(d, id: id)
            }
        }
        run.summary.inserted += inserted
        return followUps
    }

    /// Step 4, with the indexes back. Tracks exactly which customers hold credit, so an invoice of a customer whose
    /// credit was used up costs no query.
    private func finish(_ followUps: [FollowUp], _ w: LedgerWriter) async throws {
        var holdsCredit = run.mayHaveCredit
        for f in followUps {
            switch f {
            case .creditNote(let id, let customerID, let currency, let issueDate, let amount):
                let applied = try await w.applyCredit(.creditNote(id), customerID: customerID, currency: currency, day: issueDate, named: nil, itemsUpTo: id)
                if applied < amount { holdsCredit.insert(run.creditKey(customerID, currency)) }
            case .invoice(let id, let customerID, let currency):
                let key = run.creditKey(customerID, currency)
                guard holdsCredit.contains(key) else { continue }
                try await w.applyAvailableCredit(customerID: customerID, currency: currency, documentsUpTo: id)
                if try await w.availableCredit(customerID: customerID, currency: currency, documentsUpTo: id).isEmpty { holdsCredit.remove(key) }
            case .existing(let row, let lastID):
                switch try await w.updateDocument(row.document, customerID: row.customerID, documentsUpTo: lastID) {
                case .success(let o): run.count(o)
                case .failure(let e): run.fail(e, row.record)
                }
                holdsCredit.insert(run.creditKey(row.customerID, row.document.currency))
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
