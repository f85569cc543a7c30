import CobroCore

/// Reads the ledger as of a date. SQL returns balances at the date; the report logic is CobroCore's.
///
/// Balances "as of D" count documents issued on or before D and allocations active on D
/// (`applied_day <= D` and not reversed on or before D). Rows whose allocations never changed after D
/// (`last_alloc_day <= D`) use their maintained balance directly, so "as of today" reads no allocations; rows
/// with no allocation started by D (`first_alloc_day > D`) count their full amount.
public struct ReportStore: Sendable {
    public let c: any Connection
    public let company: Int64

    public init(_ c: any Connection, company: Int64) {
        self.c = c
        self.company = company
    }

    /// The balance of a row of `table` on day `$2`: its maintained balance when no allocation changed after the day,
    /// its full amount when no allocation had started by the day, else the amount less the allocations active then.
    static func openAt(_ balance: String, _ table: String, _ key: String) -> String {
        """
        CAST(CASE WHEN \(table).last_alloc_day IS NULL OR \(table).last_alloc_day <= $2 THEN \(table).\(balance)
             WHEN \(table).first_alloc_day > $2 THEN \(table).amount
             ELSE \(table).amount - \(activeAllocations(table, key)) END AS BIGINT)
        """
    }

    /// The CAST keeps PostgreSQL in integers: its SUM of a bigint is numeric, which would make the whole balance
    /// expression numeric arithmetic (twice the time of the open-items scan on W1M).
    static func activeAllocations(_ table: String, _ key: String) -> String {
        """
        COALESCE((SELECT CAST(SUM(a.amount) AS BIGINT) FROM allocation a WHERE a.company_id = \(table).company_id AND a.\(key) = \(table).id
                  AND a.applied_day <= $2 AND (a.reversed_day IS NULL OR a.reversed_day > $2)), 0)
        """
    }

    /// One customer's open invoices and debit notes at `asOf` with their balance that day, and its unapplied
    /// payments and credit notes then, in one statement (`kind` is `payment` for payments).
    func openDocuments(asOf: LocalDate, customerID: Int64, _ row: (_ kind: String, _ ref: String, _ currency: String, _ issue: Int64, _ due: Int64, _ amount: Int64, _ open: Int64) -> Void) async throws {
        // `+` keeps SQLite on the customer's own indexes (it excludes a column from index use; PostgreSQL ignores it).
        let sql = """
            SELECT i.kind, i.ref, i.currency, i.issue_day, i.due_day, i.amount, \(ReportStore.openAt("open_amount", "i", "invoice_id")) FROM invoice i
            WHERE i.company_id = $1 AND i.customer_id = $3 AND i.kind <> 'credit_note' AND +i.issue_day <= $2
              AND (i.open_amount > 0 OR +i.last_alloc_day > $2)
            UNION ALL
            SELECT i.kind, i.ref, i.currency, i.issue_day, i.due_day, i.amount, \(ReportStore.openAt("open_amount", "i", "credit_note_id")) FROM invoice i
            WHERE i.company_id = $1 AND i.customer_id = $3 AND i.kind = 'credit_note' AND +i.issue_day <= $2
              AND (i.open_amount > 0 OR +i.last_alloc_day > $2)
            UNION ALL
            SELECT 'payment', p.ref, p.currency, p.payment_day, p.payment_day, p.amount, \(ReportStore.openAt("unapplied_amount", "p", "payment_id")) FROM payment p
            WHERE p.company_id = $1 AND p.customer_id = $3 AND +p.payment_day <= $2
              AND (p.unapplied_amount > 0 OR +p.last_alloc_day > $2)
            """
        try await c.forEach(sql, [.int(company), .int(Int64(asOf.dayNumber)), .int(customerID)]) { r in
            let open = r.int(6)
            guard open > 0 else { return }
            row(r.text(0), r.text(1), r.text(2), r.int(3), r.int(4), r.int(5), open)
        }
    }

    /// Aging as of `asOf`. The database streams one narrow row per open item or credit (customer, currency, aging
    /// day, balance on the date) in index order; Swift buckets and sums them per customer and currency. Open items
    /// come from the open-items index, and for a past date also the items and credits settled after it (from the
    /// settled-items indexes, which cover every column read).
    public func aging(asOf: LocalDate, basis: AgingBasis, buckets: AgingBuckets, base: Currency?, rates: [ExchangeRate]) async throws -> AgingReport {
        try await agingWithSummary(asOf: asOf, basis: basis, buckets: buckets, base: base, rates: rates).report
    }

    /// Aging as of `asOf`, from the stored ``AgingSummary`` with the customers changed since it recomputed, or — with
    /// no summary, or too many changes — computed whole; `computed` is then the summary of that computation, for the
    /// caller to store with ``AgingSummaryStore/save(_:company:_:)`` in a write transaction.
    public func agingWithSummary(
        asOf: LocalDate, basis: AgingBasis, buckets: AgingBuckets, base: Currency?, rates: [ExchangeRate]
    ) async throws -> (report: AgingReport, computed: AgingSummary?) {
        var rows: [AgingSummary.Row]
        var version: Int64?
        if let stored = try await AgingSummaryStore.load(c, company: company, asOf: asOf, basis: basis, buckets: buckets),
           let changed = try await AgingSummaryStore.changedCustomers(c, company: company, since: stored.ledgerVersion, limit: AgingSummaryStore.patchLimit)
        {
            rows = changed.isEmpty ? stored.rows : stored.rows.filter { !changed.contains($0.customerID) }
            if !changed.isEmpty { rows += try await agingRows(asOf: asOf, basis: basis, buckets: buckets, changedSince: stored.ledgerVersion) }
        } else {
            // The version is read before the rows: a change the rows miss is marked at this version or later.
            version = try await CompanyStore.ledgerVersion(c, company: company)
            rows = try await agingRows(asOf: asOf, basis: basis, buckets: buckets, changedSince: nil)
        }
        // Currencies in code order, customers by ref: the order the report wants, so its own sort only confirms it.
        // A summary's rows are stored in that order and the patched ones follow, which the sort exploits.
        rows.sort { a, b in a.row.currency != b.row.currency ? a.row.currency < b.row.currency : a.row.customerRef < b.row.customerRef }
        let computed = version.map { AgingSummary(asOf: asOf, basis: basis, bounds: AgingSummary.key(buckets), ledgerVersion: $0, rows: rows) }
        let report = AgingReport.assemble(asOf: asOf, basis: basis, buckets: buckets, rows: rows.map(\.row), base: base, rates: rates)
        return (report, computed)
    }

    /// The aging rows of every customer, or with `changedSince` only of those marked changed at that version or later.
    func agingRows(asOf: LocalDate, basis: AgingBasis, buckets: AgingBuckets, changedSince: Int64?) async throws -> [AgingSummary.Row] {
        let day = basis == .dueDate ? "due_day" : "issue_day"
        let item = ReportStore.openAt("open_amount", "i", "invoice_id")
        let creditNote = ReportStore.openAt("open_amount", "i", "credit_note_id")
        let payment = ReportStore.openAt("unapplied_amount", "p", "payment_id")
        // Column 4: 1 for credit (payments, credit notes), 0 for items to age. The customer join is driven from the
        // documents (`+` keeps SQLite from starting at the customer table).
        // PostgreSQL leaves the customer out of the union and joins it after grouping (see below).
        let postgres = c.dialect == .postgres
        let customerOfI = postgres ? "" : "JOIN customer c ON c.company_id = i.company_id AND c.id = +i.customer_id"
        let customerOfP = postgres ? "" : "JOIN customer c ON c.company_id = p.company_id AND c.id = +p.customer_id"
        let ref = postgres ? "" : ", c.customer_ref"
        func only(_ t: String) -> String {
            changedSince == nil ? "" : " AND \(t).customer_id IN (SELECT customer_id FROM aging_dirty WHERE company_id = $1 AND ledger_version >= $3)"
        }
        var binds: [SQLValue] = [.int(company), .int(Int64(asOf.dayNumber))]
        if let changedSince { binds.append(.int(changedSince)) }
        let sql = """
            SELECT i.customer_id, i.currency, i.\(day), \(item), 0\(ref) FROM invoice i \(customerOfI)
            WHERE i.company_id = $1 AND i.open_amount > 0 AND i.kind <> 'credit_note' AND +i.issue_day <= $2\(only("i"))
            UNION ALL
            SELECT i.customer_id, i.currency, i.\(day), CASE WHEN i.kind = 'credit_note' THEN \(creditNote) ELSE \(item) END,
                   CASE WHEN i.kind = 'credit_note' THEN 1 ELSE 0 END\(ref) FROM invoice i \(customerOfI)
            WHERE i.company_id = $1 AND i.open_amount = 0 AND i.last_alloc_day IS NOT NULL AND i.last_alloc_day > $2 AND i.issue_day <= $2\(only("i"))
            UNION ALL
            SELECT i.customer_id, i.currency, 0, \(creditNote), 1\(ref) FROM invoice i \(customerOfI)
            WHERE i.company_id = $1 AND i.open_amount > 0 AND i.kind = 'credit_note' AND +i.issue_day <= $2\(only("i"))
            UNION ALL
            SELECT p.customer_id, p.currency, 0, \(payment), 1\(ref) FROM payment p \(customerOfP)
            WHERE p.company_id = $1 AND p.unapplied_amount > 0 AND +p.payment_day <= $2\(only("p"))
            UNION ALL
            SELECT p.customer_id, p.currency, 0, \(payment), 1\(ref) FROM payment p \(customerOfP)
            WHERE p.company_id = $1 AND p.unapplied_amount = 0 AND p.last_alloc_day > p.payment_day AND p.last_alloc_day > $2 AND p.payment_day <= $2\(only("p"))
            """
        let n = buckets.count(basis)
        // One group per (customer, currency), kept in flat arrays (no allocation per group): `sums` holds the n
        // buckets then the unapplied credit of each group. Rows arrive in runs of one group (index order) on SQLite
        // and in any order on PostgreSQL; a run needs one lookup.
        var codes: [String] = [], groupCurrency: [Int] = [], groupRef: [String] = [], groupCustomer: [Int64] = [], sums: [Int64] = []
        var groupOf: [Int64: Int] = [:]
        var last: (customer: Int64, code: String, group: Int)?
        /// The group of (customer, currency) for a row, created on first sight; `nil` for an unknown currency code.
        func group(_ r: SQLRow, customerColumn: Int, codeColumn: Int, refColumn: Int) -> Int? {
            let customer = r.int(customerColumn), code = r.text(codeColumn)
            if let l = last, l.customer == customer, l.code == code { return l.group }
            var currency = codes.firstIndex(of: code) ?? -1
            if currency < 0 {
                guard Currency(code: code) != nil, codes.count < 256 else { return nil }
                codes.append(code)
                currency = codes.count - 1
            }
            let key = customer << 8 | Int64(currency)
            let g: Int
            if let existing = groupOf[key] {
                g = existing
            } else {
                g = groupCurrency.count
                groupOf[key] = g
                groupCurrency.append(currency)
                groupRef.append(r.text(refColumn))
                groupCustomer.append(customer)
                sums.append(contentsOf: repeatElement(0, count: n + 1))
            }
            last = (customer, code, g)
            return g
        }
        if postgres {
            // PostgreSQL sums in the database, bucketing with the thresholds of CobroCore's rule
            // (`AgingBuckets.thresholds`), and joins the customer's ref once per group: one row per (customer,
            // currency, bucket) crosses the wire instead of one per document, and decoding rows is most of the cost on
            // the client.
            let thresholds = buckets.thresholds(basis).map(String.init).joined(separator: ", ")
            let bucket = thresholds.isEmpty ? "0" : "width_bucket($2 - u.d, ARRAY[\(thresholds)]::bigint[])"
            let grouped = """
                SELECT g.cid, g.cur, g.credit, g.b, g.s, c.customer_ref FROM (
                    SELECT u.cid, u.cur, u.credit, CASE WHEN u.credit = 1 THEN 0 ELSE \(bucket) END AS b, CAST(SUM(u.bal) AS BIGINT) AS s
                    FROM (\(sql)) AS u (cid, cur, d, bal, credit) WHERE u.bal > 0
                    GROUP BY 1, 2, 3, 4
                ) g JOIN customer c ON c.company_id = $1 AND c.id = g.cid
                """
            // The grouping sorts ≈ 160k rows on W1M: in memory rather than in temporary files (default 4 MB).
            try await c.executeScript("SET LOCAL work_mem = '64MB'")
            try await c.forEach(grouped, binds) { r in
                guard let g = group(r, customerColumn: 0, codeColumn: 1, refColumn: 5) else { return }
                sums[g * (n + 1) + (r.int(2) == 1 ? n : Int(r.int(3)))] += r.int(4)
            }
        } else {
            try await c.forEach(sql, binds) { r in
                let balance = r.int(3)
                guard balance > 0, let g = group(r, customerColumn: 0, codeColumn: 1, refColumn: 5) else { return }
                if r.int(4) == 1 {
                    sums[g * (n + 1) + n] += balance
                } else {
                    sums[g * (n + 1) + buckets.index(days: asOf.days(since: LocalDate(dayNumber: Int(r.int(2)))), basis: basis)] += balance
                }
            }
        }
        let currencies = codes.compactMap { Currency(code: $0) }
        return groupRef.indices.map { g in
            let base = g * (n + 1)
            return AgingSummary.Row(customerID: groupCustomer[g], row: AgingRow(
                customerRef: groupRef[g], currency: currencies[groupCurrency[g]], buckets: Array(sums[base..<base + n]), unappliedMinor: sums[base + n]))
        }
    }

    // MARK: Statement

    public func statements(customerRef: String, from: LocalDate, to: LocalDate) async throws -> [Statement]? {
        guard let cid = try await LedgerQueries.customerID(c, company: company, ref: customerRef) else {
            return nil
        }
        // Opening balances (first column 0, summed per currency) and the period's movements (1) in one statement.
        var opening: [Currency: Int64] = [:]
        var movements: [Currency: [StatementLine]] = [:]
        try await c.forEach(
            """
            SELECT 0, 0, '', '', NULL, CAST(SUM(CASE WHEN kind = 'credit_note' THEN -amount ELSE amount END) AS BIGINT), currency FROM invoice
            WHERE company_id = $1 AND customer_id = $2 AND issue_day < $3 GROUP BY currency
            UNION ALL
            SELECT 0, 0, '', '', NULL, CAST(-SUM(amount) AS BIGINT), currency FROM payment
            WHERE company_id = $1 AND customer_id = $2 AND payment_day < $3 GROUP BY currency
            UNION ALL
            SELECT 1, issue_day, kind, ref, description, amount, currency FROM invoice
            WHERE company_id = $1 AND customer_id = $2 AND issue_day >= $3 AND issue_day <= $4
            UNION ALL
            SELECT 1, payment_day, 'payment', ref, reference, amount, currency FROM payment
            WHERE company_id = $1 AND customer_id = $2 AND payment_day >= $3 AND payment_day <= $4
            """, [.int(company), .int(cid), .int(Int64(from.dayNumber)), .int(Int64(to.dayNumber))]
        ) { r in
            guard let cur = Currency(code: r.text(6)) else { return }
            let amount = r.int(5)
            guard r.int(0) == 1 else {
                opening[cur, default: 0] += amount
                return
            }
            let kind: StatementLine.Kind
            switch r.text(2) {
            case "invoice": kind = .invoice
            case "debit_note": kind = .debitNote
            case "credit_note": kind = .creditNote
            default: kind = .payment
            }
            let increases = kind == .invoice || kind == .debitNote
            movements[cur, default: []].append(StatementLine(
                date: LocalDate(dayNumber: Int(r.int(1))), kind: kind, ref: r.text(3), description: r.textOrNil(4),
                debitMinor: increases ? amount : 0, creditMinor: increases ? 0 : amount))
        }
        var open: [Currency: [StatementOpenItem]] = [:]
        var unapplied: [Currency: Int64] = [:]
        try await openDocuments(asOf: to, customerID: cid) { kind, ref, code, issue, due, amount, balance in
            guard let cur = Currency(code: code) else { return }
            switch kind {
            case "payment", DocumentKind.creditNote.rawValue:
                unapplied[cur, default: 0] += balance
            default:
                let dueDate = LocalDate(dayNumber: Int(due))
                open[cur, default: []].append(StatementOpenItem(
                    ref: ref, kind: DocumentKind(rawValue: kind) ?? .invoice, issueDate: LocalDate(dayNumber: Int(issue)), dueDate: dueDate,
                    amountMinor: amount, openMinor: balance, daysPastDue: to.days(since: dueDate)))
            }
        }
        let currencies = Set(opening.keys).union(movements.keys).union(open.keys).union(unapplied.keys).sorted()
        return currencies.map { cur in
            Statement.build(
                customerRef: customerRef, currency: cur, from: from, to: to, openingMinor: opening[cur] ?? 0,
                movements: movements[cur] ?? [], openItems: open[cur] ?? [], unappliedMinor: unapplied[cur] ?? 0)
        }
    }

    // MARK: KPIs

    /// Credit sales (invoices + debit notes − credit notes) issued in `(from, to]`, per currency.
    public func creditSales(after from: LocalDate, through to: LocalDate) async throws -> [Currency: Int64] {
        var out: [Currency: Int64] = [:]
        try await c.forEach(
            """
            SELECT currency, CAST(SUM(CASE WHEN kind = 'credit_note' THEN -amount ELSE amount END) AS BIGINT) FROM invoice
            WHERE company_id = $1 AND issue_day > $2 AND issue_day <= $3 GROUP BY currency
            """, [.int(company), .int(Int64(from.dayNumber)), .int(Int64(to.dayNumber))]
        ) { r in if let cur = Currency(code: r.text(0)) { out[cur] = r.int(1) } }
        return out
    }

    /// Invoices and debit notes fully settled in `(from, to]` (settlement day = last allocation day).
    public func settled(after from: LocalDate, through to: LocalDate) async throws -> [Currency: [KPI.PaidItem]] {
        var out: [Currency: [KPI.PaidItem]] = [:]
        try await c.forEach(
            """
            SELECT currency, amount, issue_day, due_day, last_alloc_day FROM invoice
            WHERE company_id = $1 AND last_alloc_day > $2 AND last_alloc_day <= $3 AND open_amount = 0 AND kind <> 'credit_note'
            """, [.int(company), .int(Int64(from.dayNumber)), .int(Int64(to.dayNumber))]
        ) { r in
            guard let cur = Currency(code: r.text(0)) else { return }
            out[cur, default: []].append(KPI.PaidItem(
                amountMinor: r.int(1), issueDate: LocalDate(dayNumber: Int(r.int(2))), dueDate: LocalDate(dayNumber: Int(r.int(3))),
                paidDate: LocalDate(dayNumber: Int(r.int(4)))))
        }
        return out
    }

    /// KPIs per currency as of `asOf` over a `window`-day period.
    public func kpis(asOf: LocalDate, window: Int) async throws -> [KPISet] {
        let start = asOf.adding(days: -window)
        let end = try await aging(asOf: asOf, basis: .dueDate, buckets: .standard, base: nil, rates: [])
        let begin = try await aging(asOf: start, basis: .dueDate, buckets: .standard, base: nil, rates: [])
        let sales = try await creditSales(after: start, through: asOf)
        let paid = try await settled(after: start, through: asOf)
        let currencies = Set(end.totals.map(\.currency)).union(sales.keys).sorted()
        var out: [KPISet] = []
        for cur in currencies {
            let t = end.total(for: cur)
            let ar = t?.totalMinor ?? 0
            // Count-back walks months back until the AR is explained (at most 24 months).
            var months: [KPI.MonthSales] = []
            var explained: Int64 = 0
            for (from, to) in KPI.countbackMonths(asOf: asOf, count: 24) where explained < ar {
                let s = try await creditSales(after: from.adding(days: -1), through: to)[cur] ?? 0
                months.append(KPI.MonthSales(sales: s, days: to.days(since: from) + 1))
                if s <= 0 { break }
                explained += s
            }
            out.append(KPISet.compute(
                currency: cur, asOf: asOf, window: window, endOpenItems: t?.openItemsMinor ?? 0, endUnapplied: t?.unappliedMinor ?? 0,
                endCurrent: t?.buckets.first ?? 0, beginAR: begin.total(for: cur)?.totalMinor ?? 0, creditSales: sales[cur] ?? 0,
                months: months, paid: paid[cur] ?? []))
        }
        return out
    }
}
