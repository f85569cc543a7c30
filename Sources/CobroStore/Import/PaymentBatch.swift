import CobroCore
import Foundation

/// One batch of a payments import, leaving the ledger that ``LedgerWriter/recordPayment(_:customerID:importID:)``
/// leaves row by row (`PaymentBatchTests` compares the two on both databases) in a few dozen statements instead of
/// about eight per payment — on PostgreSQL each one is a round trip:
///
/// 1. The batch's customers, named invoices and already recorded payment refs are looked up many to a statement, and
///    the open items of the customers it pays are read at once, with the last day an allocation on each was
///    un-applied (a new allocation never starts before it).
/// 2. In file order each row is checked as row by row, with the same messages, and a new payment is applied with
///    CobroCore's ``CashApplication`` to those items in memory, each row seeing what the rows above it applied.
/// 3. The new payments go in with their final unapplied amounts, the touched invoices are updated — only where their
///    open amount is still the one read, so a concurrent writer makes the batch fail instead of over-applying — and the
///    allocations are inserted in the order the row-by-row path makes them; all many rows to a statement.
///
/// A row whose payment already exists, and a payment an early-payment discount may apply to (which books a credit
/// note), go through ``LedgerWriter/recordPayment`` after the pending writes. A company with webhook subscriptions
/// takes the row-by-row path, which announces each payment and settled invoice.
///
/// ``Importer`` takes this path on PostgreSQL only: SQLite has no round trip to save and measured faster row by row
/// (docs/benchmarks.md). Tests force it on both databases.
struct PaymentBatch {
    let run: Importer.Run
    let w: LedgerWriter
    let importID: Int64

    /// Rows per statement: 15 parameters a payment (7,500 a statement) stay far below both engines' limits.
    static let perStatement = 500

    /// An open item as read, then as this batch changed it.
    struct Item {
        let id: Int64, issueDate: LocalDate, dueDate: LocalDate, terms: String?
        /// The open amount the database holds: `open` until the next flush writes it.
        var stored: Int64
        var open: Int64
        var first: Int64?, last: Int64?
        /// The last day an allocation on the item was un-applied.
        var floor: Int64?
    }

    struct NewPayment {
        let p: Payment, customerID: Int64
        var unapplied: Int64, first: Int64?, last: Int64?
    }

    struct NewAllocation { let payment: Int, invoice: Int64, amount: Int64, day: Int64 }

    private var items: [Int64: Item] = [:]
    private var itemsOf: [Importer.CreditKey: [Int64]] = [:]
    private var touched: [Int64] = []
    private var touchedSet = Set<Int64>()
    private var payments: [NewPayment] = []
    private var allocations: [NewAllocation] = []
    private var termsByText: [String: DiscountTerms?] = [:]

    init(run: Importer.Run, w: LedgerWriter, importID: Int64) {
        self.run = run
        self.w = w
        self.importID = importID
    }

    /// Validates and writes `batch`, in one caller-owned transaction.
    mutating func write(_ batch: [CSVRecord]) async throws {
        guard let header = run.header else { return }
        let parsed = batch.map { ImportRows.payment($0, header: header) }
        let valid = parsed.compactMap { if case .success(let p) = $0 { return p } else { return nil } }

        let unknownCustomers = Set(valid.map(\.customerRef)).filter { run.customerIDs[$0] == nil }
        for r in try await rows("SELECT customer_ref, id FROM customer WHERE company_id = $1 AND customer_ref IN {LIST}", unknownCustomers.map { .text($0) }) {
            run.customerIDs[r.text(0)] = r.int(1)
        }
        let existing = Set(try await rows("SELECT ref FROM payment WHERE company_id = $1 AND ref IN {LIST}", valid.map { .text($0.ref) }).map { $0.text(0) })
        var named: [String: LedgerWriter.NamedInvoice] = [:]
        for r in try await rows(
            "SELECT ref, id, customer_id, currency, kind FROM invoice WHERE company_id = $1 AND ref IN {LIST}", Set(valid.compactMap(\.invoiceRef)).map { .text($0) })
        {
            named[r.text(0)] = LedgerWriter.NamedInvoice(id: r.int(1), customerID: r.int(2), currency: r.text(3), kind: r.text(4))
        }
        var keys = Set<Importer.CreditKey>(), customers = Set<Int64>()
        for p in valid where !existing.contains(p.ref) {
            guard let cid = run.customerIDs[p.customerRef] else { continue }
            keys.insert(Importer.CreditKey(customer: cid, currency: p.currency))
            customers.insert(cid)
        }
        try await load(customers: Array(customers), keys: keys)

        for (rec, result) in zip(batch, parsed) {
            run.summary.rows += 1
            let p: Payment
            switch result {
            case .failure(let issues):
                run.reject(issues.issues)
                continue
            case .success(let v): p = v
            }
            guard run.firstSeen(p.ref, rec) else { continue }
            guard let cid = run.customerIDs[p.customerRef] else {
                run.fail(.unknownCustomer(p.customerRef), rec)
                continue
            }
            let key = Importer.CreditKey(customer: cid, currency: p.currency)
            if existing.contains(p.ref) {
                try await rowByRow(p, customerID: cid, key: key, rec)
                continue
            }
            var namedID: Int64?
            if let ref = p.invoiceRef {
                switch LedgerWriter.check(named: named[ref], ref: ref, for: p, customerID: cid) {
                case .failure(let e):
                    run.fail(e, rec)
                    continue
                case .success(let id): namedID = id
                }
            }
            var candidates = (itemsOf[key] ?? []).compactMap { items[$0] }.filter { $0.open > 0 }
            if let namedID { candidates = candidates.filter { $0.id == namedID } }
            if candidates.contains(where: { discountAvailable($0, paymentDate: p.date) }) {
                try await rowByRow(p, customerID: cid, key: key, rec)
                continue
            }
            apply(p, customerID: cid, to: candidates, named: namedID)
            run.summary.inserted += 1
        }
        try await flush()
    }

    /// Plans `p` against `candidates` (CobroCore's ``CashApplication``) and queues the writes.
    private mutating func apply(_ p: Payment, customerID: Int64, to candidates: [Item], named: Int64?) {
        let plan = CashApplication.plan(
            amount: p.amountMinor, items: candidates.map { OpenItem(id: $0.id, issueDate: $0.issueDate, dueDate: $0.dueDate, openMinor: $0.open) },
            namedItem: named)
        var new = NewPayment(p: p, customerID: customerID, unapplied: p.amountMinor, first: nil, last: nil)
        for a in plan {
            var item = items[a.itemID]!
            let effective = Int64(CashApplication.effectiveDate(creditDate: p.date, itemIssueDate: item.issueDate).dayNumber)
            let day = max(effective, item.floor ?? effective)
            item.open -= a.amountMinor
            item.first = min(item.first ?? day, day)
            item.last = max(item.last ?? day, day)
            items[a.itemID] = item
            if touchedSet.insert(a.itemID).inserted { touched.append(a.itemID) }
            new.unapplied -= a.amountMinor
            new.first = min(new.first ?? day, day)
            new.last = max(new.last ?? day, day)
            allocations.append(NewAllocation(payment: payments.count, invoice: a.itemID, amount: a.amountMinor, day: day))
        }
        payments.append(new)
    }

    /// Writes what is pending, then records `p` through the row-by-row path and reads its balance's items again.
    private mutating func rowByRow(_ p: Payment, customerID: Int64, key: Importer.CreditKey, _ rec: CSVRecord) async throws {
        try await flush()
        switch try await w.recordPayment(p, customerID: customerID, importID: importID) {
        case .success(let o):
            run.count(o)
            if case .inserted = o {
                for id in itemsOf.removeValue(forKey: key) ?? [] { items[id] = nil }
                try await load(customers: [customerID], keys: [key])
            }
        case .failure(let e): run.fail(e, rec)
        }
    }

    private mutating func discountAvailable(_ item: Item, paymentDate: LocalDate) -> Bool {
        guard let text = item.terms else { return false }
        let terms: DiscountTerms?
        if let known = termsByText[text] {
            terms = known
        } else {
            terms = try? DiscountTerms.parse(text).get()
            termsByText[text] = terms
        }
        return terms?.isDiscountAvailable(issueDate: item.issueDate, paymentDate: paymentDate) ?? false
    }

    /// Reads the open items of `keys` (customer and currency) and their reversal floors.
    ///
    /// The floor is a correlated subquery per item so it walks that invoice's allocations through
    /// `allocation_invoice`; a join from allocation would scan all of the company's allocations every batch.
    private mutating func load(customers: [Int64], keys: Set<Importer.CreditKey>) async throws {
        for r in try await rows(
            """
            SELECT i.id, i.customer_id, i.currency, i.issue_day, i.due_day, i.open_amount, i.terms, i.first_alloc_day, i.last_alloc_day,
                   (SELECT MAX(a.reversed_day) FROM allocation a WHERE a.company_id = i.company_id AND a.invoice_id = i.id AND a.reversed_day IS NOT NULL)
            FROM invoice i WHERE i.company_id = $1 AND i.open_amount > 0 AND i.kind <> 'credit_note' AND i.customer_id IN {LIST}
            """, customers.map { .int($0) })
        {
            let key = Importer.CreditKey(customer: r.int(1), currency: r.text(2))
            guard keys.contains(key) else { continue }
            let id = r.int(0)
            items[id] = Item(
                id: id, issueDate: LocalDate(dayNumber: Int(r.int(3))), dueDate: LocalDate(dayNumber: Int(r.int(4))), terms: r.textOrNil(6),
                stored: r.int(5), open: r.int(5), first: r.intOrNil(7), last: r.intOrNil(8), floor: r.intOrNil(9))
            itemsOf[key, default: []].append(id)
        }
    }

    /// Writes the queued payments, invoice balances and allocations.
    private mutating func flush() async throws {
        guard !payments.isEmpty else { return }
        let c = w.c, company = w.company, now = w.now
        let paymentRows = payments.map { n -> [SQLValue] in
            [.int(company), .text(n.p.ref), .int(n.customerID), .int(Int64(n.p.date.dayNumber)), .text(n.p.currency.code), .int(n.p.amountMinor),
             .int(n.unapplied), .of(n.p.invoiceRef), .of(n.p.method), .of(n.p.reference), .of(n.first), .of(n.last), .int(importID), .int(now), .int(now)]
        }
        var paymentIDs: [String: Int64] = [:]
        for r in try await c.insertRows(
            "payment",
            columns: ["company_id", "ref", "customer_id", "payment_day", "currency", "amount", "unapplied_amount", "invoice_ref", "method", "reference",
                      "first_alloc_day", "last_alloc_day", "import_id", "created_at", "updated_at"],
            paymentRows, chunk: Self.perStatement, suffix: "ON CONFLICT (company_id, ref) DO NOTHING RETURNING ref, id")
        {
            paymentIDs[r.text(0)] = r.int(1)
        }
        try await updateInvoices()
        if let lost = payments.first(where: { paymentIDs[$0.p.ref] == nil }) {
            throw StoreError.conflict("payment \(lost.p.ref) was recorded by another writer during this import; import the file again")
        }
        let allocationRows = allocations.map { a -> [SQLValue] in
            [.int(company), .int(a.invoice), .int(paymentIDs[payments[a.payment].p.ref]!), .int(a.amount), .int(a.day), .int(now), .text(w.actor)]
        }
        try await c.insertRows(
            "allocation", columns: ["company_id", "invoice_id", "payment_id", "amount", "applied_day", "created_at", "created_by"], allocationRows,
            chunk: Self.perStatement)
        for id in touched { items[id]!.stored = items[id]!.open }
        touched = []
        touchedSet = []
        payments = []
        allocations = []
    }

    /// Writes the touched invoices' new open amounts and allocation days, each only where its open amount is still
    /// the one read, so a concurrent writer makes the batch fail instead of over-applying.
    private func updateInvoices() async throws {
        let c = w.c, company = w.company, now = w.now
        for start in stride(from: 0, to: touched.count, by: Self.perStatement) {
            let part = touched[start..<min(start + Self.perStatement, touched.count)]
            var binds: [SQLValue] = [.int(company), .int(now)]
            let values = part.enumerated().map { k, id -> String in
                let item = items[id]!
                binds += [.int(id), .int(item.stored), .int(item.open), .of(item.first), .of(item.last)]
                let b = 3 + 5 * k
                return "($\(b), $\(b + 1), $\(b + 2), $\(b + 3), $\(b + 4))"
            }
            let updated = try await c.query(
                """
                UPDATE invoice AS i SET open_amount = v.column3, first_alloc_day = v.column4, last_alloc_day = v.column5, updated_at = $2
                FROM (VALUES \(values.joined(separator: ", "))) AS v
                WHERE i.company_id = $1 AND i.id = v.column1 AND i.open_amount = v.column2 RETURNING id
                """, binds)
            guard updated.count == part.count else { throw Self.invoiceChanged }
        }
    }

    private static let invoiceChanged = StoreError.conflict(
        "an invoice this import applies payments to was changed by another writer meanwhile; import the file again")

    /// Runs `sql`, whose `{LIST}` stands for a parenthesised list of `values`, over slices of them: $1 is the company.
    private func rows(_ sql: String, _ values: [SQLValue]) async throws -> [SQLRow] {
        var out: [SQLRow] = []
        for start in stride(from: 0, to: values.count, by: Self.perStatement) {
            let part = values[start..<min(start + Self.perStatement, values.count)]
            let list = "(" + (0..<part.count).map { "$\($0 + 2)" }.joined(separator: ", ") + ")"
            out += try await w.c.query(sql.replacingOccurrences(of: "{LIST}", with: list), [.int(w.company)] + part)
        }
        return out
    }
}
