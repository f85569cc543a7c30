import CobroCore
import Foundation

/// A promise to pay as stored, with its invoices and where it stands.
public struct PromiseRecord: Sendable, Hashable {
    public var id: Int64
    public var customerRef: String
    public var collector: String?
    public var promise: PromiseToPay
    public var invoiceRefs: [String]
    public var channel: String?
    public var note: String?
    public var status: PromiseStatus
    public var paidInWindowMinor: Int64
    public var evaluatedOn: LocalDate?
    public var createdAt: Int64
    public var createdBy: String
}

/// Promises to pay: taken by collectors, judged by CobroCore's ``PromiseEvaluation`` once their window has passed.
///
/// While a promise is open its invoices (all the customer's open items in its currency, for a promise on account)
/// leave dunning (``DunningOpenItem/coveredByPromiseOrPlan``). A broken promise opens a `promise_broken` task and
/// counts on the customer (`broken_promises`); its invoices are dunned again by the next run. Every change is audited.
public enum PromiseStore {
    /// Takes a promise for customer `customerRef`: validates it (invoices of that customer, open, in one currency;
    /// amount at most what is open on them; date today or later) and stores it. Throws `StoreError.invalid` with the
    /// field at fault.
    public static func create(
        _ c: any Connection, company: Int64, customerRef: String, amountText: String, currency: Currency?, promiseDate: LocalDate,
        toleranceDays: Int, invoiceRefs: [String], channel: String?, note: String?, today: LocalDate, actor: String, now: Int64
    ) async throws -> PromiseRecord {
        guard let customer = try await c.first("SELECT id, currency FROM customer WHERE company_id = $1 AND customer_ref = $2", [.int(company), .text(customerRef)])
        else { throw StoreError.notFound("customer \(customerRef) does not exist") }
        if let dup = Dictionary(grouping: invoiceRefs.indices, by: { invoiceRefs[$0] }).first(where: { $0.value.count > 1 }) {
            throw StoreError.invalid(field: "invoices[\(dup.value[1])]", "\(dup.key) is named twice")
        }
        var invoiceIDs: [InvoiceID] = [], currencies: Set<String> = [], open: Int64 = 0
        for ref in invoiceRefs {
            guard let r = try await c.first(
                "SELECT id, customer_id, currency, open_amount, kind FROM invoice WHERE company_id = $1 AND ref = $2", [.int(company), .text(ref)])
            else { throw StoreError.invalid(field: "invoices", "unknown invoice \"\(ref)\"") }
            if r.int(1) != customer.int(0) { throw StoreError.invalid(field: "invoices", "invoice \(ref) belongs to another customer") }
            if r.text(4) == "credit_note" { throw StoreError.invalid(field: "invoices", "\(ref) is a credit note; promises cover invoices and debit notes") }
            if r.int(3) <= 0 { throw StoreError.invalid(field: "invoices", "invoice \(ref) is already paid") }
            invoiceIDs.append(InvoiceID(r.int(0)))
            currencies.insert(r.text(2))
            open += r.int(3)
        }
        if currencies.count > 1 { throw StoreError.invalid(field: "invoices", "the invoices are in \(currencies.sorted().joined(separator: " and ")); a promise is in one currency") }
        guard let cur = currency ?? currencies.first.flatMap(Currency.init(code:)) ?? customer.textOrNil(1).flatMap(Currency.init(code:)) else {
            throw StoreError.invalid(field: "currency", "give the currency of a promise on account (e.g. USD)")
        }
        if let invoiceCurrency = currencies.first, invoiceCurrency != cur.code {
            throw StoreError.invalid(field: "currency", "\(cur.code) differs from the invoices' currency \(invoiceCurrency)")
        }
        let amount: Money
        switch Money.parseMinor(amountText, currency: cur) {
        case .success(let m): amount = Money(minor: m, cur)
        case .failure(let e): throw StoreError.invalid(field: "amount", "\"\(amountText)\": \(e)")
        }
        let p = PromiseToPay(amount: amount, promiseDate: promiseDate, toleranceDays: toleranceDays, madeOn: today, invoiceIDs: invoiceIDs)
        let problems = p.validate(today: today, openMinor: invoiceIDs.isEmpty ? nil : open)
        if !problems.isEmpty { throw StoreError.invalidFields(problems.map { StoreError.FieldProblem($0.field, $0.message) }) }
        // One standing promise per invoice (and one on account per currency): a payment cannot keep two promises.
        for (i, id) in invoiceIDs.enumerated() {
            if let other = try await c.first(
                "SELECT pi.promise_id FROM promise_item pi JOIN promise p ON p.company_id = pi.company_id AND p.id = pi.promise_id WHERE pi.company_id = $1 AND pi.invoice_id = $2 AND p.status = 'open'",
                [.int(company), .int(id.rawValue)])
            {
                throw StoreError.invalid(field: "invoices[\(i)]", "\(invoiceRefs[i]) is already covered by open promise \(other.int(0))")
            }
        }
        if invoiceIDs.isEmpty, let other = try await c.first(
            """
            SELECT p.id FROM promise p WHERE p.company_id = $1 AND p.customer_id = $2 AND p.currency = $3 AND p.status = 'open'
              AND NOT EXISTS (SELECT 1 FROM promise_item pi WHERE pi.company_id = p.company_id AND pi.promise_id = p.id)
            """, [.int(company), .int(customer.int(0)), .text(cur.code)])
        {
            throw StoreError.invalid(field: "invoices", "\(customerRef) already has open promise \(other.int(0)) on account in \(cur.code)")
        }
        let id = try await c.first(
            """
            INSERT INTO promise (company_id, customer_id, currency, amount, promise_day, tolerance_days, made_day, channel, note, status,
                                 created_at, created_by)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 'open', $10, $11) RETURNING id
            """,
            [.int(company), .int(customer.int(0)), .text(cur.code), .int(amount.minor), .int(Int64(promiseDate.dayNumber)), .int(Int64(toleranceDays)),
             .int(Int64(today.dayNumber)), .of(channel), .of(note), .int(now), .text(actor)])!.int(0)
        try await c.insertRows("promise_item", columns: ["company_id", "promise_id", "invoice_id"], invoiceIDs.map { [.int(company), .int(id), .int($0.rawValue)] })
        try await Audit.record(
            c, company: company, actor: actor, action: "promise.create", entity: "customer", ref: customerRef, before: nil,
            after: ["promise": String(id), "amount": amount.decimalString, "currency": cur.code, "promise_date": promiseDate.iso,
                    "invoices": invoiceRefs.joined(separator: " ")], at: now)
        return try await get(c, company: company, id: id)!
    }

    static let columns = """
        p.id, cu.customer_ref, cu.collector, p.currency, p.amount, p.promise_day, p.tolerance_days, p.made_day, p.channel, p.note, p.status,
        p.paid_in_window, p.evaluated_day, p.created_at, p.created_by
        """

    public static func get(_ c: any Connection, company: Int64, id: Int64) async throws -> PromiseRecord? {
        try await list(c, company: company, status: nil, customerRef: nil, after: id - 1, limit: 1).first { $0.id == id }
    }

    /// Promises in id order; `after` is the last id of the previous page.
    public static func list(
        _ c: any Connection, company: Int64, status: PromiseStatus?, customerRef: String?, after: Int64, limit: Int
    ) async throws -> [PromiseRecord] {
        var sql = "SELECT \(columns) FROM promise p JOIN customer cu ON cu.company_id = p.company_id AND cu.id = p.customer_id WHERE p.company_id = $1 AND p.id > $2"
        var binds: [SQLValue] = [.int(company), .int(after)]
        if let status {
            binds.append(.text(status.rawValue))
            sql += " AND p.status = $\(binds.count)"
        }
        if let customerRef {
            binds.append(.text(customerRef))
            sql += " AND cu.customer_ref = $\(binds.count)"
        }
        binds.append(.int(Int64(limit)))
        sql += " ORDER BY p.id LIMIT $\(binds.count)"
        var out = try await c.query(sql, binds).compactMap(record)
        guard let first = out.first, let last = out.last else { return out }
        var items: [Int64: [(InvoiceID, String)]] = [:]
        try await c.forEach(
            """
            SELECT pi.promise_id, pi.invoice_id, i.ref FROM promise_item pi JOIN invoice i ON i.company_id = pi.company_id AND i.id = pi.invoice_id
            WHERE pi.company_id = $1 AND pi.promise_id BETWEEN $2 AND $3 ORDER BY pi.promise_id, i.ref
            """, [.int(company), .int(first.id), .int(last.id)]
        ) { r in items[r.int(0), default: []].append((InvoiceID(r.int(1)), r.text(2))) }
        for i in out.indices {
            out[i].promise.invoiceIDs = (items[out[i].id] ?? []).map(\.0)
            out[i].invoiceRefs = (items[out[i].id] ?? []).map(\.1)
        }
        return out
    }

    static func record(_ r: SQLRow) -> PromiseRecord? {
        guard let cur = Currency(code: r.text(3)), let status = PromiseStatus(rawValue: r.text(10)) else { return nil }
        return PromiseRecord(
            id: r.int(0), customerRef: r.text(1), collector: r.textOrNil(2),
            promise: PromiseToPay(
                amount: Money(minor: r.int(4), cur), promiseDate: LocalDate(dayNumber: Int(r.int(5))), toleranceDays: Int(r.int(6)),
                madeOn: LocalDate(dayNumber: Int(r.int(7)))),
            invoiceRefs: [], channel: r.textOrNil(8), note: r.textOrNil(9), status: status, paidInWindowMinor: r.int(11),
            evaluatedOn: r.intOrNil(12).map { LocalDate(dayNumber: Int($0)) }, createdAt: r.int(13), createdBy: r.text(14))
    }

    /// Withdraws an open promise (audited); its invoices are dunned again.
    public static func cancel(_ c: any Connection, company: Int64, id: Int64, reason: String, actor: String, now: Int64) async throws -> PromiseRecord {
        guard let p = try await get(c, company: company, id: id) else { throw StoreError.notFound("promise \(id) does not exist") }
        guard p.status == .open, try await c.first(
            "UPDATE promise SET status = 'cancelled' WHERE company_id = $1 AND id = $2 AND status = 'open' RETURNING id", [.int(company), .int(id)]) != nil
        else { throw StoreError.conflict("promise \(id) is \(p.status.rawValue); only an open promise can be cancelled") }
        try await Audit.record(
            c, company: company, actor: actor, action: "promise.cancel", entity: "customer", ref: p.customerRef, before: ["status": "open"],
            after: ["promise": String(id), "status": "cancelled", "reason": reason], at: now)
        return try await get(c, company: company, id: id)!
    }

    /// Judges every open promise whose window ended before `today` against the payments applied to its invoices (on
    /// account: the customer's payments in its currency), records the outcome, and for a broken promise opens a task
    /// and counts it on the customer. Returns how many were judged.
    @discardableResult
    public static func evaluateDue(_ c: any Connection, company: Int64, today: LocalDate, now: Int64) async throws -> Int {
        let due = try await c.query(
            "SELECT \(columns) FROM promise p JOIN customer cu ON cu.company_id = p.company_id AND cu.id = p.customer_id WHERE p.company_id = $1 AND p.status = 'open' AND p.promise_day + p.tolerance_days < $2",
            [.int(company), .int(Int64(today.dayNumber))]
        ).compactMap(record)
        for p in due {
            let end = Int64(p.promise.windowEnd.dayNumber)
            let items = try await c.query("SELECT invoice_id FROM promise_item WHERE company_id = $1 AND promise_id = $2", [.int(company), .int(p.id)])
            var payments: [PromiseEvaluation.Payment] = []
            if items.isEmpty {
                try await c.forEach(
                    """
                    SELECT py.payment_day, py.amount FROM payment py JOIN customer cu ON cu.company_id = py.company_id AND cu.id = py.customer_id
                    WHERE py.company_id = $1 AND cu.customer_ref = $2 AND py.currency = $3 AND py.payment_day BETWEEN $4 AND $5
                    """, [.int(company), .text(p.customerRef), .text(p.promise.amount.currency.code), .int(Int64(p.promise.madeOn.dayNumber)), .int(end)]
                ) { r in payments.append(.init(day: LocalDate(dayNumber: Int(r.int(0))), amountMinor: r.int(1))) }
            } else {
                // Payments applied to the promised invoices, not un-applied within the window.
                try await c.forEach(
                    """
                    SELECT a.applied_day, a.amount FROM allocation a JOIN promise_item pi ON pi.company_id = a.company_id AND pi.invoice_id = a.invoice_id
                    WHERE a.company_id = $1 AND pi.promise_id = $2 AND a.payment_id IS NOT NULL AND (a.reversed_day IS NULL OR a.reversed_day > $3)
                    """, [.int(company), .int(p.id), .int(end)]
                ) { r in payments.append(.init(day: LocalDate(dayNumber: Int(r.int(0))), amountMinor: r.int(1))) }
            }
            let result = PromiseEvaluation.evaluate(p.promise, payments: payments, evalDate: today)
            guard result.status != .open else { continue }
            // Only the caller that moves the promise out of `open` records its consequences (two at once: one wins).
            guard try await c.first(
                "UPDATE promise SET status = $3, paid_in_window = $4, evaluated_day = $5 WHERE company_id = $1 AND id = $2 AND status = 'open' RETURNING id",
                [.int(company), .int(p.id), .text(result.status.rawValue), .int(result.paidInWindowMinor), .int(Int64(today.dayNumber))]) != nil
            else { continue }
            try await Audit.record(
                c, company: company, actor: "promises", action: "promise.\(result.status.rawValue)", entity: "customer", ref: p.customerRef,
                before: ["status": "open"], after: ["promise": String(p.id), "paid_in_window": Money(minor: result.paidInWindowMinor, p.promise.amount.currency).decimalString],
                at: now)
            if result.status == .broken {
                try await c.execute(
                    "UPDATE customer SET broken_promises = broken_promises + 1 WHERE company_id = $1 AND customer_ref = $2", [.int(company), .text(p.customerRef)])
                try await c.execute(
                    """
                    INSERT INTO task (company_id, customer_id, kind, status, due_day, title, detail, created_at)
                    SELECT $1, id, 'promise_broken', 'open', $3, $4, $5, $6 FROM customer WHERE company_id = $1 AND customer_ref = $2
                    """,
                    [.int(company), .text(p.customerRef), .int(Int64(today.dayNumber)),
                     .text("Broken promise: \(p.customerRef) promised \(p.promise.amount.decimalString) \(p.promise.amount.currency.code) by \(p.promise.promiseDate.iso)"),
                     .text("Nothing was paid by \(p.promise.windowEnd.iso) (tolerance \(p.promise.toleranceDays) days). Reminders for its invoices resume with the next run."),
                     .int(now)])
            }
        }
        return due.count
    }
}
