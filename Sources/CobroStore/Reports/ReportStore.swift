import CobroCore

/// Reads the ledger as of a date. SQL returns balances at the date; the report logic is CobroCore's.
///
/// Balances "as of D" count documents issued on or before D and allocations active on D
/// (`applied_day <= D` and not reversed on or before D). Rows whose allocations never changed after D
/// (`last_alloc_day <= D`) use their maintained balance directly, so "as of today" reads no allocations.
public struct ReportStore: Sendable {
    public let c: any Connection
    public let company: Int64

    public init(_ c: any Connection, company: Int64) {
        self.c = c
        self.company = company
    }

    static func openAt(_ balance: String, _ table: String, _ key: String) -> String {
        """
        CAST(CASE WHEN \(table).last_alloc_day IS NULL OR \(table).last_alloc_day <= $2 THEN \(table).\(balance)
             ELSE \(table).amount - COALESCE((SELECT SUM(a.amount) FROM allocation a
                  WHERE a.company_id = \(table).company_id AND a.\(key) = \(table).id AND a.applied_day <= $2
                    AND (a.reversed_day IS NULL OR a.reversed_day > $2)), 0) END AS BIGINT)
        """
    }

    /// Open invoices and debit notes at `asOf` (optionally of one customer), with their balance on that day.
    ///
    /// Without `details` the query reads only columns of the open-items index (no table lookups), which is what
    /// aging needs; `ref`, `kind` and `amount` are then empty/zero.
    public func openItems(asOf: LocalDate, customerID: Int64? = nil, details: Bool = true, _ row: (AgingItem, _ ref: String, _ kind: String, _ amount: Int64) -> Void) async throws {
        // Index choice is spelled out with unary `+` (which excludes a column from index use on SQLite and is a
        // no-op on PostgreSQL): open items come from the partial index of open items, items closed after the date
        // from the allocation-day index, and a customer's items from its own index. Without this SQLite may walk
        // the issue-date index over the whole ledger.
        let filter = customerID == nil ? "" : " AND i.customer_id = $3"
        let select = """
            SELECT c.customer_ref, i.currency, i.issue_day, i.due_day, \(ReportStore.openAt("open_amount", "i", "invoice_id")), \(details ? "i.ref, i.kind, i.amount" : "'', '', 0")
            FROM invoice i JOIN customer c ON c.company_id = i.company_id AND c.id = i.customer_id
            WHERE i.company_id = $1 AND i.kind <> 'credit_note' AND +i.issue_day <= $2\(filter)
            """
        var binds: [SQLValue] = [.int(company), .int(Int64(asOf.dayNumber))]
        if let customerID { binds.append(.int(customerID)) }
        let closedAfter: String
        if customerID == nil {
            // Drive from the allocation-day index (rows that changed after the date), not customer by customer.
            closedAfter = select.replacing("c.id = i.customer_id", with: "c.id = +i.customer_id")
                + " AND i.open_amount = 0 AND i.last_alloc_day IS NOT NULL AND i.last_alloc_day > $2"
        } else {
            closedAfter = select + " AND i.open_amount = 0 AND +i.last_alloc_day > $2"
        }
        let sql = "\(select) AND i.open_amount > 0 UNION ALL \(closedAfter)"
        try await c.forEach(sql, binds) { r in
            let open = r.int(4)
            guard open > 0, let cur = Currency(code: r.text(1)) else { return }
            row(AgingItem(customerRef: r.text(0), currency: cur, issueDate: LocalDate(dayNumber: Int(r.int(2))), dueDate: LocalDate(dayNumber: Int(r.int(3))), openMinor: open),
                r.text(5), r.text(6), r.int(7))
        }
    }

    /// Unapplied payments and credit notes at `asOf`, summed per customer and currency.
    public func credits(asOf: LocalDate, customerID: Int64? = nil) async throws -> [AgingCredit] {
        let filterP = customerID == nil ? "" : " AND p.customer_id = $3"
        let filterI = customerID == nil ? "" : " AND i.customer_id = $3"
        let pay = """
            SELECT c.customer_ref, p.currency, \(ReportStore.openAt("unapplied_amount", "p", "payment_id"))
            FROM payment p JOIN customer c ON c.company_id = p.company_id AND c.id = p.customer_id
            WHERE p.company_id = $1 AND +p.payment_day <= $2\(filterP)
            """
        let cn = """
            SELECT c.customer_ref, i.currency, \(ReportStore.openAt("open_amount", "i", "credit_note_id"))
            FROM invoice i JOIN customer c ON c.company_id = i.company_id AND c.id = i.customer_id
            WHERE i.company_id = $1 AND i.kind = 'credit_note' AND +i.issue_day <= $2\(filterI)
            """
        let sql: String
        if customerID == nil {
            let payAfter = pay.replacing("c.id = p.customer_id", with: "c.id = +p.customer_id")
            let cnAfter = cn.replacing("c.id = i.customer_id", with: "c.id = +i.customer_id")
            sql = """
                \(pay) AND p.unapplied_amount > 0
                UNION ALL \(payAfter) AND p.unapplied_amount = 0 AND p.last_alloc_day IS NOT NULL AND p.last_alloc_day > $2
                UNION ALL \(cn) AND i.open_amount > 0
                UNION ALL \(cnAfter) AND i.open_amount = 0 AND i.last_alloc_day IS NOT NULL AND i.last_alloc_day > $2
                """
        } else {
            sql = """
                \(pay) AND p.unapplied_amount > 0 UNION ALL \(pay) AND p.unapplied_amount = 0 AND +p.last_alloc_day > $2
                UNION ALL \(cn) AND i.open_amount > 0 UNION ALL \(cn) AND i.open_amount = 0 AND +i.last_alloc_day > $2
                """
        }
        var binds: [SQLValue] = [.int(company), .int(Int64(asOf.dayNumber))]
        if let customerID { binds.append(.int(customerID)) }
        var sums: [String: AgingCredit] = [:]
        try await c.forEach(sql, binds) { r in
            let v = r.int(2)
            guard v > 0, let cur = Currency(code: r.text(1)) else { return }
            let key = r.text(0) + "\u{1}" + cur.code
            sums[key, default: AgingCredit(customerRef: r.text(0), currency: cur, unappliedMinor: 0)].unappliedMinor += v
        }
        return Array(sums.values)
    }

    public func aging(asOf: LocalDate, basis: AgingBasis, buckets: AgingBuckets, base: Currency?, rates: [ExchangeRate]) async throws -> AgingReport {
        var items: [AgingItem] = []
        try await openItems(asOf: asOf, details: false) { item, _, _, _ in items.append(item) }
        let credits = try await credits(asOf: asOf)
        return AgingReport.build(asOf: asOf, basis: basis, buckets: buckets, items: items, credits: credits, base: base, rates: rates)
    }

    // MARK: Statement

    public func statements(customerRef: String, from: LocalDate, to: LocalDate) async throws -> [Statement]? {
        guard let cid = try await c.first("SELECT id FROM customer WHERE company_id = $1 AND customer_ref = $2", [.int(company), .text(customerRef)])?.int(0) else {
            return nil
        }
        var opening: [Currency: Int64] = [:]
        try await c.forEach(
            """
            SELECT currency, CAST(SUM(CASE WHEN kind = 'credit_note' THEN -amount ELSE amount END) AS BIGINT) FROM invoice
            WHERE company_id = $1 AND customer_id = $2 AND issue_day < $3 GROUP BY currency
            UNION ALL
            SELECT currency, CAST(-SUM(amount) AS BIGINT) FROM payment WHERE company_id = $1 AND customer_id = $2 AND payment_day < $3 GROUP BY currency
            """, [.int(company), .int(cid), .int(Int64(from.dayNumber))]
        ) { r in if let cur = Currency(code: r.text(0)) { opening[cur, default: 0] += r.int(1) } }
        var movements: [Currency: [StatementLine]] = [:]
        try await c.forEach(
            """
            SELECT issue_day, kind, ref, description, amount, currency FROM invoice
            WHERE company_id = $1 AND customer_id = $2 AND issue_day >= $3 AND issue_day <= $4
            UNION ALL
            SELECT payment_day, 'payment', ref, reference, amount, currency FROM payment
            WHERE company_id = $1 AND customer_id = $2 AND payment_day >= $3 AND payment_day <= $4
            """, [.int(company), .int(cid), .int(Int64(from.dayNumber)), .int(Int64(to.dayNumber))]
        ) { r in
            guard let cur = Currency(code: r.text(5)) else { return }
            let kind: StatementLine.Kind
            switch r.text(1) {
            case "invoice": kind = .invoice
            case "debit_note": kind = .debitNote
            case "credit_note": kind = .creditNote
            default: kind = .payment
            }
            let amount = r.int(4)
            let increases = kind == .invoice || kind == .debitNote
            movements[cur, default: []].append(StatementLine(
                date: LocalDate(dayNumber: Int(r.int(0))), kind: kind, ref: r.text(2), description: r.textOrNil(3),
                debitMinor: increases ? amount : 0, creditMinor: increases ? 0 : amount))
        }
        var open: [Currency: [StatementOpenItem]] = [:]
        try await openItems(asOf: to, customerID: cid) { item, ref, kind, amount in
            open[item.currency, default: []].append(StatementOpenItem(
                ref: ref, kind: DocumentKind(rawValue: kind) ?? .invoice, issueDate: item.issueDate, dueDate: item.dueDate,
                amountMinor: amount, openMinor: item.openMinor, daysPastDue: to.days(since: item.dueDate)))
        }
        var unapplied: [Currency: Int64] = [:]
        for cr in try await credits(asOf: to, customerID: cid) { unapplied[cr.currency, default: 0] += cr.unappliedMinor }
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
