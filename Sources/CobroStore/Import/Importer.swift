import CobroCore
import Foundation

public enum ImportKind: String, Sendable, CaseIterable, Codable {
    case customers, invoices, payments

    var required: [String] {
        switch self {
        case .customers: return ImportRows.customerRequired
        case .invoices: return ImportRows.invoiceRequired
        case .payments: return ImportRows.paymentRequired
        }
    }
    var optional: [String] {
        switch self {
        case .customers: return ImportRows.customerOptional
        case .invoices: return ImportRows.invoiceOptional
        case .payments: return ImportRows.paymentOptional
        }
    }
    var refField: String {
        switch self {
        case .customers: return "customer_ref"
        case .invoices: return "invoice_ref"
        case .payments: return "payment_ref"
        }
    }
}

/// What an import did.
public struct ImportSummary: Sendable, Codable, Equatable {
    public var kind: ImportKind
    public var strict: Bool
    /// False when nothing was written (strict mode with a bad row, or a bad header).
    public var committed: Bool
    public var rows: Int
    public var inserted: Int
    public var updated: Int
    public var unchanged: Int
    public var rejected: Int
    /// Errors (one or more per rejected row) and warnings (unknown columns). At most ``maxIssues`` are kept;
    /// `issuesOmitted` counts the rest.
    public var issues: [ImportIssue]
    public var issuesOmitted: Int

    public static let maxIssues = 1000

    public var errors: [ImportIssue] { issues.filter { $0.severity == .error } }
}

/// Streams a CSV file into the ledger.
///
/// - Rows are validated (CobroCore ``ImportRows``), then written through ``LedgerWriter``.
/// - Default mode commits good rows in batches and reports bad ones; `strict` runs the whole file in one
///   transaction and rolls it back if any row is bad. A row is never half-written: each batch is one transaction.
/// - Memory is bounded by the batch size, the parser's largest record and one entry per distinct ref (for the
///   duplicate-in-file check) and per customer (lookup cache) — not by the file size.
public struct Importer: Sendable {
    public let db: any Database
    public let company: CompanyRecord
    public let actor: String
    public let clock: Clock
    public var batchSize = 5000
    /// Whether a document import may take the bulk path (``BulkDocumentLoad``) — `.auto` decides by the size of the
    /// file against the rows already stored — and a payments import the batched one (``PaymentBatch``) — `.auto` takes
    /// it on PostgreSQL, where it saves a round trip per statement, and not on SQLite, where row by row measured faster
    /// (docs/benchmarks.md); tests force either path to compare them.
    public var bulk = BulkMode.auto

    public enum BulkMode: Sendable { case auto, never, always }

    public init(db: any Database, company: CompanyRecord, actor: String, clock: Clock) {
        self.db = db
        self.company = company
        self.actor = actor
        self.clock = clock
    }

    /// Progress: bytes consumed so far and rows handled so far.
    public typealias Progress = @Sendable (_ bytes: Int, _ rows: Int) -> Void

    /// A customer's balance in one currency, which unapplied credit belongs to: the customer id and the three
    /// letters of the currency code in one integer, because a bulk load looks it up several times per row.
    struct CreditKey: Hashable {
        let value: Int64

        init(customer: Int64, currency: String) {
            var packed: Int64 = 0
            for b in currency.utf8.prefix(3) { packed = packed << 8 | Int64(b) }
            value = customer << 24 | packed
        }

        init(customer: Int64, currency: Currency) { self.init(customer: customer, currency: currency.code) }
    }

    /// The mutable state of one import run. Used by one task at a time.
    final class Run: @unchecked Sendable {
        let kind: ImportKind
        let baseCurrency: Currency
        var summary: ImportSummary
        var parser = CSVParser()
        var header: CSVHeader?
        var headerFailed = false
        var pending: [CSVRecord] = []
        var bytes = 0
        var seenRefs = Set<String>()
        var customerIDs: [String: Int64] = [:]
        /// Customers (id + currency) that may hold unapplied credit; loaded at the start, grown as credit appears.
        var mayHaveCredit = Set<CreditKey>()

        init(kind: ImportKind, strict: Bool, baseCurrency: Currency) {
            self.kind = kind
            self.baseCurrency = baseCurrency
            summary = ImportSummary(kind: kind, strict: strict, committed: false, rows: 0, inserted: 0, updated: 0, unchanged: 0, rejected: 0, issues: [], issuesOmitted: 0)
        }

        func add(_ issues: [ImportIssue]) {
            for i in issues {
                if summary.issues.count < ImportSummary.maxIssues { summary.issues.append(i) } else { summary.issuesOmitted += 1 }
            }
        }

        func reject(_ issues: [ImportIssue]) {
            summary.rejected += 1
            add(issues)
        }

        /// Parses a chunk (nil = end of input) and queues complete records.
        func ingest(_ chunk: [UInt8]?) {
            let results: [Result<CSVRecord, CSVSyntaxError>]
            if let chunk {
                bytes += chunk.count
                results = parser.feed(chunk)
            } else {
                results = parser.finish()
            }
            for r in results {
                switch r {
                case .failure(let e):
                    summary.rows += 1
                    reject([ImportIssue(line: e.line, column: e.column, message: "malformed CSV: \(e.message)")])
                case .success(let rec):
                    if header != nil || headerFailed {
                        pending.append(rec)
                        continue
                    }
                    switch CSVHeader.resolve(rec, required: kind.required, optional: kind.optional) {
                    case .success(let h):
                        header = h
                        add(h.warnings)
                    case .failure(let issues):
                        headerFailed = true
                        add(issues.issues)
                    }
                }
            }
        }

        func takeBatch(max: Int) -> [CSVRecord] {
            let n = min(max, pending.count)
            let batch = Array(pending.prefix(n))
            pending.removeFirst(n)
            return batch
        }

        func customerID(_ ref: String, _ w: LedgerWriter) async throws -> Int64? {
            if let id = customerIDs[ref] { return id }
            guard let id = try await w.customerID(ref: ref) else { return nil }
            customerIDs[ref] = id
            return id
        }

        func count(_ o: UpsertOutcome) {
            switch o {
            case .inserted: summary.inserted += 1
            case .updated: summary.updated += 1
            case .unchanged: summary.unchanged += 1
            }
        }

        func fail(_ e: LedgerError, _ rec: CSVRecord) {
            let col = e.field.flatMap { header?.position(of: $0) }.flatMap { $0 < rec.columns.count ? rec.columns[$0] : nil }
            reject([ImportIssue(line: rec.line, column: col, field: e.field, message: e.message)])
        }

        /// False (and the row rejected) when `ref` was already on an earlier line of the file.
        func firstSeen(_ ref: String, _ rec: CSVRecord) -> Bool {
            if seenRefs.insert(ref).inserted { return true }
            let refColumn = header?.position(of: kind.refField).flatMap { $0 < rec.columns.count ? rec.columns[$0] : nil }
            reject([ImportIssue(line: rec.line, column: refColumn, field: kind.refField, message: "duplicate \(kind.refField) \"\(ref)\" (already on an earlier line of this file)")])
            return false
        }

        /// Counts and validates a document record (fields, first time its ref appears in the file); nil, with the row
        /// rejected, when it is bad. The customer is not looked up yet.
        func document(_ rec: CSVRecord) -> Document? {
            guard let header else { return nil }
            summary.rows += 1
            switch ImportRows.document(rec, header: header) {
            case .failure(let issues):
                reject(issues.issues)
                return nil
            case .success(let d):
                return firstSeen(d.ref, rec) ? d : nil
            }
        }

        /// Validates and writes a batch of records: a payments batch with `batched`, when no webhook subscription waits
        /// for each payment's events, through ``PaymentBatch``.
        func process(_ batch: [CSVRecord], _ w: LedgerWriter, importID: Int64, batched: Bool) async throws {
            if kind == .payments && batched && w.events.isEmpty {
                var payments = PaymentBatch(run: self, w: w, importID: importID)
                try await payments.write(batch)
            } else {
                for rec in batch { try await process(rec, w, importID: importID) }
            }
        }

        /// Validates and writes one record.
        func process(_ rec: CSVRecord, _ w: LedgerWriter, importID: Int64) async throws {
            guard let header else { return }
            switch kind {
            case .customers:
                summary.rows += 1
                switch ImportRows.customer(rec, header: header, baseCurrency: baseCurrency) {
                case .failure(let issues): reject(issues.issues)
                case .success(let cu):
                    guard firstSeen(cu.ref, rec) else { return }
                    switch try await w.upsertCustomer(cu, importID: importID) {
                    case .success(let o):
                        customerIDs[cu.ref] = o.id
                        count(o)
                    case .failure(let e): fail(e, rec)
                    }
                }
            case .invoices:
                guard let d = document(rec) else { return }
                guard let cid = try await customerID(d.customerRef, w) else { return fail(.unknownCustomer(d.customerRef), rec) }
                let key = CreditKey(customer: cid, currency: d.currency)
                switch try await w.upsertDocument(d, customerID: cid, importID: importID, creditKnownAbsent: !mayHaveCredit.contains(key)) {
                case .success(let o):
                    count(o)
                    if d.kind == .creditNote { mayHaveCredit.insert(key) }
                case .failure(let e): fail(e, rec)
                }
            case .payments:
                summary.rows += 1
                switch ImportRows.payment(rec, header: header) {
                case .failure(let issues): reject(issues.issues)
                case .success(let p):
                    guard firstSeen(p.ref, rec) else { return }
                    guard let cid = try await customerID(p.customerRef, w) else { return fail(.unknownCustomer(p.customerRef), rec) }
                    switch try await w.recordPayment(p, customerID: cid, importID: importID) {
                    case .success(let o): count(o)
                    case .failure(let e): fail(e, rec)
                    }
                }
            }
        }
    }

    struct Rollback: Error {}

    /// Imports from `next`, which returns successive chunks of the file and `nil` at the end. `sizeHint` is the
    /// file's size in bytes when known; a large document file may then go through ``BulkDocumentLoad``.
    public func run(
        _ kind: ImportKind, source: String, strict: Bool, sizeHint: Int? = nil, next: @escaping @Sendable () async throws -> [UInt8]?,
        progress: Progress? = nil
    ) async throws -> ImportSummary {
        let run = Run(kind: kind, strict: strict, baseCurrency: company.baseCurrency)
        let now = clock.nowMillis()
        let company = self.company, actor = self.actor, batchSize = self.batchSize
        let importID = try await db.transaction { c in
            try await c.first(
                "INSERT INTO import_batch (company_id, kind, source, actor, strict, started_at, status) VALUES ($1, $2, $3, $4, $5, $6, 'running') RETURNING id",
                [.int(company.id), .text(kind.rawValue), .text(source), .text(actor), .of(strict), .int(now)])!.int(0)
        }
        let writerActor = "\(actor) (import \(importID))"
        if kind == .invoices {
            try await db.read { c in
                try await c.forEach(
                    """
                    SELECT customer_id, currency FROM payment WHERE company_id = $1 AND unapplied_amount > 0
                    UNION SELECT customer_id, currency FROM invoice WHERE company_id = $1 AND open_amount > 0 AND kind = 'credit_note'
                    """, [.int(company.id)]
                ) { r in run.mayHaveCredit.insert(CreditKey(customer: r.int(0), currency: r.text(1))) }
            }
        }

        /// Reads the whole input, handing full batches (and the final partial one) to `write`.
        @Sendable func pump(_ write: @Sendable ([CSVRecord]) async throws -> Void) async throws {
            var done = false
            while !done {
                let chunk = try await next()
                done = chunk == nil
                run.ingest(chunk)
                if run.headerFailed { return }
                while run.pending.count >= batchSize || (done && !run.pending.isEmpty) {
                    try await write(run.takeBatch(max: batchSize))
                }
                progress?(run.bytes, run.summary.rows)
            }
            if run.header == nil && !run.headerFailed {
                run.headerFailed = true
                run.add([ImportIssue(line: 1, message: "the file is empty; expected a header row with \(kind.required.joined(separator: ","))")])
            }
        }

        let bulk = kind == .invoices ? try await useBulkLoad(sizeHint: sizeHint) : false
        let batchedPayments = self.bulk == .always || (self.bulk == .auto && db.dialect == .postgres)
        if strict || bulk {
            do {
                try await ((bulk ? (db as? SQLiteDatabase)?.transactionWithoutForeignKeyChecks : nil) ?? db.transaction) { c in
                    if bulk {
                        try await BulkDocumentLoad(c: c, run: run, company: company.id, actor: writerActor, now: now, importID: importID)
                            .load(next: next, progress: progress)
                    } else {
                        let w = LedgerWriter(c, company: company.id, actor: writerActor, now: now, events: try await EventSink.load(c, company: company.id))
                        try await pump { batch in try await run.process(batch, w, importID: importID, batched: batchedPayments) }
                    }
                    if run.headerFailed || (strict && run.summary.rejected > 0) { throw Rollback() }
                }
                run.summary.committed = true
            } catch is Rollback {
                run.summary.committed = false
                run.summary.inserted = 0
                run.summary.updated = 0
                run.summary.unchanged = 0
            } catch {
                // One transaction: nothing of the file was written. The import is recorded as failed, then the error goes up.
                try? await db.transaction { c in
                    try await c.execute(
                        "UPDATE import_batch SET finished_at = $3, status = 'failed' WHERE company_id = $1 AND id = $2",
                        [.int(company.id), .int(importID), .int(clock.nowMillis())])
                }
                throw error
            }
        } else {
            do {
                try await pump { batch in
                    try await db.transaction { c in
                        let w = LedgerWriter(c, company: company.id, actor: writerActor, now: now, events: try await EventSink.load(c, company: company.id))
                        try await run.process(batch, w, importID: importID, batched: batchedPayments)
                    }
                }
            } catch {
                // Earlier batches stay committed (each is whole rows); the import is recorded as failed, then the error goes up.
                let s = run.summary
                try? await db.transaction { c in
                    try await c.execute(
                        "UPDATE import_batch SET finished_at = $3, inserted = $4, updated = $5, unchanged = $6, rejected = $7, status = 'failed' WHERE company_id = $1 AND id = $2",
                        [.int(company.id), .int(importID), .int(clock.nowMillis()), .int(Int64(s.inserted)), .int(Int64(s.updated)), .int(Int64(s.unchanged)), .int(Int64(s.rejected))])
                }
                throw error
            }
            run.summary.committed = !run.headerFailed
        }
        let s = run.summary
        if s.committed && s.inserted + s.updated >= 1000 {
            // Refresh planner statistics after a bulk load so report queries keep using the right indexes.
            let tables: [ImportKind: [String]] = [.customers: ["customer"], .invoices: ["invoice"], .payments: ["payment", "invoice"]]
            try await db.transaction { c in try await c.refreshStatistics(tables[kind]!) }
        }
        try await db.transaction { c in
            try await c.execute(
                "UPDATE import_batch SET finished_at = $3, inserted = $4, updated = $5, unchanged = $6, rejected = $7, status = $8 WHERE company_id = $1 AND id = $2",
                [.int(company.id), .int(importID), .int(clock.nowMillis()), .int(Int64(s.inserted)), .int(Int64(s.updated)),
                 .int(Int64(s.unchanged)), .int(Int64(s.rejected)), .text(s.committed ? "committed" : "rolled_back")])
            try await Audit.record(
                c, company: company.id, actor: actor, action: "import.\(kind.rawValue)", entity: "import_batch", ref: String(importID), before: nil,
                after: ["source": source, "inserted": String(s.inserted), "updated": String(s.updated), "unchanged": String(s.unchanged),
                        "rejected": String(s.rejected), "committed": String(s.committed), "strict": String(strict)],
                at: clock.nowMillis())
        }
        return s
    }
}
