import CobroCore
import Foundation

/// Every ledger write, inside one caller-owned transaction: customers, documents, payments and allocations,
/// with their audit records and outgoing events. Business rules come from `CobroCore`; this type turns them
/// into statements.
///
/// Contract: after any method returns, for every touched invoice `open_amount = amount − Σ active allocations`
/// and for every touched payment/credit note `unapplied = amount − Σ active allocations`, both within
/// `0…amount` (also enforced by CHECK constraints), `last_alloc_day` is the last day an allocation of the
/// row started or stopped counting, and `first_alloc_day` the first day any allocation of the row started.
public struct LedgerWriter: Sendable {
    public let c: any Connection
    public let company: Int64
    public let actor: String
    public let now: Int64
    public let events: EventSink

    public init(_ c: any Connection, company: Int64, actor: String, now: Int64, events: EventSink) {
        self.c = c
        self.company = company
        self.actor = actor
        self.now = now
        self.events = events
    }

    /// Audits an insert made outside an import; rows written by an import are recorded by their `import_batch`
    /// (who, when, file, counts) and carry its id, so bulk loads do not write one audit row per row.
    private func auditInsert(_ action: String, entity: String, ref: String, _ after: [String: String]) async throws {
        try await Audit.record(c, company: company, actor: actor, action: action, entity: entity, ref: ref, before: nil, after: after, at: now)
    }

    // MARK: Customers

    public func customerID(ref: String) async throws -> Int64? { try await LedgerQueries.customerID(c, company: company, ref: ref) }

    static let customerFields = ["name", "email", "phone", "language", "timezone", "country", "segment", "strategic", "credit_limit", "currency"]

    static func fieldValues(_ cu: Customer) -> [SQLValue] {
        [.text(cu.name), .of(cu.email), .of(cu.phone), .of(cu.language), .of(cu.timezone), .of(cu.country), .of(cu.segment),
         .of(cu.strategic), .of(cu.creditLimitMinor), .of(cu.currency?.code)]
    }

    /// Inserts the customer, or updates the fields that changed (audited), or does nothing. Refuses a customer whose
    /// personal data the retention run erased: writing it again would undo the erasure.
    public func upsertCustomer(_ cu: Customer, importID: Int64?) async throws -> Result<UpsertOutcome, LedgerError> {
        let values = LedgerWriter.fieldValues(cu)
        if let row = try await c.first(
            """
            INSERT INTO customer (company_id, customer_ref, name, email, phone, language, timezone, country, segment, strategic,
                                  credit_limit, currency, import_id, created_at, updated_at)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $14)
            ON CONFLICT (company_id, customer_ref) DO NOTHING RETURNING id
            """, [.int(company), .text(cu.ref)] + values + [.of(importID), .int(now)])
        {
            if importID == nil {
                try await auditInsert("customer.create", entity: "customer", ref: cu.ref, ["name": cu.name])
            }
            return .success(.inserted(row.int(0)))
        }
        let cols = LedgerWriter.customerFields.joined(separator: ", ")
        if let erased = try await c.first("SELECT erased_at FROM customer WHERE company_id = $1 AND customer_ref = $2", [.int(company), .text(cu.ref)])?.intOrNil(0) {
            return .failure(.erased(cu.ref, at: erased))
        }
        guard let old = try await c.first("SELECT id, \(cols) FROM customer WHERE company_id = $1 AND customer_ref = $2", [.int(company), .text(cu.ref)]) else {
            throw StoreError.conflict("customer \(cu.ref) vanished during the write")
        }
        let id = old.int(0)
        var before: [String: String] = [:], after: [String: String] = [:]
        for (i, f) in LedgerWriter.customerFields.enumerated() where old.values[i + 1] != values[i] {
            before[f] = old.textOrNil(i + 1) ?? ""
            after[f] = SQLRow(values).textOrNil(i) ?? ""
        }
        if before.isEmpty { return .success(.unchanged(id)) }
        let sets = LedgerWriter.customerFields.enumerated().map { "\($1) = $\($0 + 3)" }.joined(separator: ", ")
        try await c.execute("UPDATE customer SET \(sets), updated_at = $13 WHERE company_id = $1 AND id = $2", [.int(company), .int(id)] + values + [.int(now)])
        try await Audit.record(c, company: company, actor: actor, action: "customer.update", entity: "customer", ref: cu.ref, before: before, after: after, at: now)
        return .success(.updated(id))
    }

    // MARK: Documents (invoices, debit notes, credit notes)

    struct ExistingDocument {
        let id: Int64, customerRef: String, kind: String, issueDay: Int64, dueDay: Int64, currency: String, amount: Int64, open: Int64
        let description: String?, terms: String?, po: String?, channel: String?, disputed: Bool
    }

    /// Inserts a document, or updates what may change (due date, amount not below what is already applied,
    /// descriptive fields, disputed), audited; refuses changes of customer, kind, currency or issue date.
    /// New invoices take any unapplied credit of the customer; new credit notes are applied oldest-due-first.
    ///
    /// `creditKnownAbsent` lets a caller that tracks which customers hold unapplied credit (the importer) skip
    /// looking for credit to apply.
    public func upsertDocument(_ d: Document, customerID: Int64, importID: Int64?, creditKnownAbsent: Bool = false) async throws -> Result<UpsertOutcome, LedgerError> {
        let binds: [SQLValue] = [
            .int(company), .text(d.ref), .int(customerID), .text(d.kind.rawValue), .int(Int64(d.issueDate.dayNumber)),
            .int(Int64(d.dueDate.dayNumber)), .text(d.currency.code), .int(d.amountMinor), .of(d.description), .of(d.terms),
            .of(d.poNumber), .of(d.billingChannel?.rawValue), .of(d.disputed), .of(importID), .int(now),
        ]
        if let row = try await c.first(
            """
            INSERT INTO invoice (company_id, ref, customer_id, kind, issue_day, due_day, currency, amount, open_amount, description,
                                 terms, po_number, billing_channel, disputed, import_id, created_at, updated_at)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8, $9, $10, $11, $12, $13, $14, $15, $15)
            ON CONFLICT (company_id, ref) DO NOTHING RETURNING id
            """, binds)
        {
            let id = row.int(0)
            if importID == nil {
                try await auditInsert("\(d.kind.rawValue).create", entity: "invoice", ref: d.ref,
                                      ["amount": Money(minor: d.amountMinor, d.currency).decimalString, "currency": d.currency.code])
            }
            try await afterInsert(d, id: id, customerID: customerID, creditKnownAbsent: creditKnownAbsent)
            return .success(.inserted(id))
        }
        return try await updateDocument(d, customerID: customerID)
    }

    private func afterInsert(_ d: Document, id: Int64, customerID: Int64, creditKnownAbsent: Bool) async throws {
        if d.kind == .creditNote {
            _ = try await applyCredit(.creditNote(id), customerID: customerID, currency: d.currency, day: d.issueDate, named: nil)
        } else {
            if d.disputed { try await openDispute(invoiceID: id, amount: d.amountMinor) }
            if !creditKnownAbsent { try await applyAvailableCredit(customerID: customerID, currency: d.currency) }
        }
        try await emitCreated(d, id: id)
    }

    /// Queues `invoice.created` for a new document, when the company has subscriptions.
    func emitCreated(_ d: Document, id: Int64) async throws {
        guard !events.isEmpty else { return }
        try await events.emit(c, .invoiceCreated, eventID: "invoice.created:\(id)", data: [
            "ref": d.ref, "customer_ref": d.customerRef, "kind": d.kind.rawValue, "issue_date": d.issueDate.iso,
            "due_date": d.dueDate.iso, "currency": d.currency.code, "amount": Money(minor: d.amountMinor, d.currency).decimalString,
        ], now: now)
    }

    func updateDocument(_ d: Document, customerID: Int64, documentsUpTo: Int64? = nil) async throws -> Result<UpsertOutcome, LedgerError> {
        guard let r = try await c.first(
            """
            SELECT i.id, c.customer_ref, i.kind, i.issue_day, i.due_day, i.currency, i.amount, i.open_amount, i.description, i.terms,
                   i.po_number, i.billing_channel, i.disputed
            FROM invoice i JOIN customer c ON c.company_id = i.company_id AND c.id = i.customer_id
            WHERE i.company_id = $1 AND i.ref = $2
            """, [.int(company), .text(d.ref)])
        else { throw StoreError.conflict("document \(d.ref) vanished during the write") }
        let old = ExistingDocument(
            id: r.int(0), customerRef: r.text(1), kind: r.text(2), issueDay: r.int(3), dueDay: r.int(4), currency: r.text(5),
            amount: r.int(6), open: r.int(7), description: r.textOrNil(8), terms: r.textOrNil(9), po: r.textOrNil(10),
            channel: r.textOrNil(11), disputed: r.bool(12))
        let hint = "a recorded document keeps its customer, kind, currency and issue date; issue a credit note and a new document instead"
        if old.customerRef != d.customerRef { return .failure(.changed("customer_ref", "customer", from: old.customerRef, to: d.customerRef, hint: hint)) }
        if old.kind != d.kind.rawValue { return .failure(.changed("kind", "kind", from: old.kind, to: d.kind.rawValue, hint: hint)) }
        if old.currency != d.currency.code { return .failure(.changed("currency", "currency", from: old.currency, to: d.currency.code, hint: hint)) }
        if old.issueDay != Int64(d.issueDate.dayNumber) {
            return .failure(.changed("issue_date", "issue date", from: LocalDate(dayNumber: Int(old.issueDay)).iso, to: d.issueDate.iso, hint: hint))
        }
        let applied = old.amount - old.open
        if d.amountMinor < applied {
            let cur = d.currency
            return .failure(LedgerError(field: "amount", "new amount \(Money(minor: d.amountMinor, cur).decimalString) is below the \(Money(minor: applied, cur).decimalString) already applied to \(d.ref); un-apply first"))
        }
        var before: [String: String] = [:], after: [String: String] = [:]
        func diff(_ f: String, _ a: String?, _ b: String?) { if a != b { before[f] = a ?? ""; after[f] = b ?? "" } }
        diff("due_date", LocalDate(dayNumber: Int(old.dueDay)).iso, d.dueDate.iso)
        diff("amount", Money(minor: old.amount, d.currency).decimalString, Money(minor: d.amountMinor, d.currency).decimalString)
        diff("description", old.description, d.description)
        diff("terms", old.terms, d.terms)
        diff("po_number", old.po, d.poNumber)
        diff("billing_channel", old.channel, d.billingChannel?.rawValue)
        diff("disputed", String(old.disputed), String(d.disputed))
        if before.isEmpty { return .success(.unchanged(old.id)) }
        let newOpen = d.amountMinor - applied
        try await c.execute(
            """
            UPDATE invoice SET due_day = $3, amount = $4, open_amount = $5, description = $6, terms = $7, po_number = $8,
                   billing_channel = $9, disputed = $10, updated_at = $11
            WHERE company_id = $1 AND id = $2
            """,
            [.int(company), .int(old.id), .int(Int64(d.dueDate.dayNumber)), .int(d.amountMinor), .int(newOpen), .of(d.description),
             .of(d.terms), .of(d.poNumber), .of(d.billingChannel?.rawValue), .of(d.disputed), .int(now)])
        try await Audit.record(c, company: company, actor: actor, action: "\(d.kind.rawValue).update", entity: "invoice", ref: d.ref, before: before, after: after, at: now)
        if d.disputed && !old.disputed { try await openDispute(invoiceID: old.id, amount: d.amountMinor) }
        if newOpen > old.open {
            if d.kind == .creditNote {
                _ = try await applyCredit(.creditNote(old.id), customerID: customerID, currency: d.currency, day: d.issueDate, named: nil, itemsUpTo: documentsUpTo)
            } else {
                try await applyAvailableCredit(customerID: customerID, currency: d.currency, documentsUpTo: documentsUpTo)
            }
        }
        return .success(.updated(old.id))
    }

    func openDispute(invoiceID: Int64, amount: Int64) async throws {
        try await openDisputes([(invoiceID, amount)])
    }

    /// Opens a dispute on each invoice of the whole amount, many to a statement (a bulk load's slice of rows).
    func openDisputes(_ invoices: [(invoiceID: Int64, amount: Int64)]) async throws {
        try await c.insertRows(
            "dispute", columns: ["company_id", "invoice_id", "amount", "reason", "status", "opened_at", "opened_by"],
            invoices.map { [.int(company), .int($0.invoiceID), .int($0.amount), .text("other"), .text("open"), .int(now), .text(actor)] }, chunk: 500)
    }

    // MARK: Payments

    /// The invoice a remittance names, as the ledger holds it.
    struct NamedInvoice {
        let id: Int64, customerID: Int64, currency: String, kind: String
    }

    /// The id of the invoice `ref` that payment `p` names, or why the payment cannot go to it (`inv` nil: no such invoice).
    static func check(named inv: NamedInvoice?, ref: String, for p: Payment, customerID: Int64) -> Result<Int64, LedgerError> {
        guard let inv else { return .failure(LedgerError(field: "invoice_ref", "unknown invoice \"\(ref)\"")) }
        if inv.customerID != customerID { return .failure(LedgerError(field: "invoice_ref", "invoice \(ref) belongs to another customer")) }
        if inv.currency != p.currency.code {
            return .failure(LedgerError(field: "currency", "payment currency \(p.currency.code) differs from invoice \(ref)'s currency \(inv.currency)"))
        }
        if inv.kind == DocumentKind.creditNote.rawValue { return .failure(LedgerError(field: "invoice_ref", "\(ref) is a credit note; a payment applies to invoices and debit notes")) }
        return .success(inv.id)
    }

    /// Records a payment and applies it: to the named invoice when `invoiceRef` is given (the remainder stays
    /// unapplied), else oldest-due-first. Re-recording the same payment changes nothing; only method and
    /// reference text may change on an existing payment.
    public func recordPayment(_ p: Payment, customerID: Int64, importID: Int64?) async throws -> Result<UpsertOutcome, LedgerError> {
        var namedID: Int64?
        if let invRef = p.invoiceRef {
            let found = try await c.first("SELECT id, customer_id, currency, kind FROM invoice WHERE company_id = $1 AND ref = $2", [.int(company), .text(invRef)])
            switch Self.check(named: found.map { NamedInvoice(id: $0.int(0), customerID: $0.int(1), currency: $0.text(2), kind: $0.text(3)) }, ref: invRef, for: p, customerID: customerID) {
            case .failure(let e): return .failure(e)
            case .success(let id): namedID = id
            }
        }
        if let row = try await c.first(
            """
            INSERT INTO payment (company_id, ref, customer_id, payment_day, currency, amount, unapplied_amount, invoice_ref, method,
                                 reference, import_id, created_at, updated_at)
            VALUES ($1, $2, $3, $4, $5, $6, $6, $7, $8, $9, $10, $11, $11)
            ON CONFLICT (company_id, ref) DO NOTHING RETURNING id
            """,
            [.int(company), .text(p.ref), .int(customerID), .int(Int64(p.date.dayNumber)), .text(p.currency.code), .int(p.amountMinor),
             .of(p.invoiceRef), .of(p.method), .of(p.reference), .of(importID), .int(now)])
        {
            let id = row.int(0)
            if importID == nil {
                try await auditInsert("payment.create", entity: "payment", ref: p.ref,
                                      ["amount": Money(minor: p.amountMinor, p.currency).decimalString, "currency": p.currency.code])
            }
            if !events.isEmpty {
                try await events.emit(c, .paymentReceived, eventID: "payment.received:\(id)", data: [
                    "ref": p.ref, "customer_ref": p.customerRef, "date": p.date.iso, "currency": p.currency.code,
                    "amount": Money(minor: p.amountMinor, p.currency).decimalString,
                ], now: now)
            }
            _ = try await applyCredit(.payment(id), customerID: customerID, currency: p.currency, day: p.date, named: namedID)
            return .success(.inserted(id))
        }
        guard let old = try await c.first(
            """
            SELECT p.id, c.customer_ref, p.payment_day, p.currency, p.amount, p.invoice_ref, p.method, p.reference
            FROM payment p JOIN customer c ON c.company_id = p.company_id AND c.id = p.customer_id
            WHERE p.company_id = $1 AND p.ref = $2
            """, [.int(company), .text(p.ref)])
        else { throw StoreError.conflict("payment \(p.ref) vanished during the write") }
        let hint = "a recorded payment keeps its customer, date, currency, amount and invoice; reverse it through the API instead"
        if old.text(1) != p.customerRef { return .failure(.changed("customer_ref", "customer", from: old.text(1), to: p.customerRef, hint: hint)) }
        if old.int(2) != Int64(p.date.dayNumber) {
            return .failure(.changed("payment_date", "payment date", from: LocalDate(dayNumber: Int(old.int(2))).iso, to: p.date.iso, hint: hint))
        }
        if old.text(3) != p.currency.code { return .failure(.changed("currency", "currency", from: old.text(3), to: p.currency.code, hint: hint)) }
        if old.int(4) != p.amountMinor {
            return .failure(.changed("amount", "amount", from: Money(minor: old.int(4), p.currency).decimalString, to: Money(minor: p.amountMinor, p.currency).decimalString, hint: hint))
        }
        if old.textOrNil(5) != p.invoiceRef { return .failure(.changed("invoice_ref", "invoice", from: old.textOrNil(5) ?? "(none)", to: p.invoiceRef ?? "(none)", hint: hint)) }
        var before: [String: String] = [:], after: [String: String] = [:]
        if old.textOrNil(6) != p.method { before["method"] = old.textOrNil(6) ?? ""; after["method"] = p.method ?? "" }
        if old.textOrNil(7) != p.reference { before["reference"] = old.textOrNil(7) ?? ""; after["reference"] = p.reference ?? "" }
        if before.isEmpty { return .success(.unchanged(old.int(0))) }
        try await c.execute("UPDATE payment SET method = $3, reference = $4, updated_at = $5 WHERE company_id = $1 AND id = $2",
                            [.int(company), .int(old.int(0)), .of(p.method), .of(p.reference), .int(now)])
        try await Audit.record(c, company: company, actor: actor, action: "payment.update", entity: "payment", ref: p.ref, before: before, after: after, at: now)
        return .success(.updated(old.int(0)))
    }

    // MARK: Allocations

    /// Where credit comes from.
    public enum CreditSource: Sendable, Equatable {
        case payment(Int64)
        case creditNote(Int64)
    }

    /// Applies up to all the unapplied credit of `source` to the customer's open items in `currency`
    /// (CobroCore's ``CashApplication/plan(amount:items:namedItem:)``). Returns the amount applied.
    ///
    /// `itemsUpTo` limits the items to ids up to it: a bulk load, which inserts a file's documents before applying
    /// its credit, applies each credit to the items that existed when the row-by-row import would have applied it.
    public func applyCredit(
        _ source: CreditSource, customerID: Int64, currency: Currency, day: LocalDate, named: Int64?, itemsUpTo: Int64? = nil
    ) async throws -> Int64 {
        let available: Int64
        switch source {
        case .payment(let id):
            available = try await c.first("SELECT unapplied_amount FROM payment WHERE company_id = $1 AND id = $2", [.int(company), .int(id)])?.int(0) ?? 0
        case .creditNote(let id):
            available = try await c.first("SELECT open_amount FROM invoice WHERE company_id = $1 AND id = $2", [.int(company), .int(id)])?.int(0) ?? 0
        }
        guard available > 0 else { return 0 }
        var sql = """
            SELECT id, issue_day, due_day, open_amount, terms, ref FROM invoice
            WHERE company_id = $1 AND customer_id = $2 AND currency = $3 AND open_amount > 0 AND kind <> 'credit_note'
            """
        var binds: [SQLValue] = [.int(company), .int(customerID), .text(currency.code)]
        if let named { sql += " AND id = $\(binds.count + 1)"; binds.append(.int(named)) }
        // `+id`: the bound must not lead SQLite to scan the id range instead of the open-items index.
        if let itemsUpTo { sql += " AND +id <= $\(binds.count + 1)"; binds.append(.int(itemsUpTo)) }
        let rows = try await c.query(sql, binds)
        // A payment inside an invoice's early-payment window settles it at the discounted amount (CobroCore's
        // DiscountTerms): the plan asks the payment for the discounted open amount only.
        var discounts: [Int64: (terms: DiscountTerms, open: Int64, ref: String)] = [:]
        let items = rows.map { r -> OpenItem in
            let item = OpenItem(id: r.int(0), issueDate: LocalDate(dayNumber: Int(r.int(1))), dueDate: LocalDate(dayNumber: Int(r.int(2))), openMinor: r.int(3))
            guard case .payment = source, let text = r.textOrNil(4), case .success(let terms) = DiscountTerms.parse(text),
                terms.isDiscountAvailable(issueDate: item.issueDate, paymentDate: day)
            else { return item }
            discounts[item.id] = (terms, item.openMinor, r.text(5))
            let full = terms.discount(on: Money(minor: item.openMinor, currency), issueDate: item.issueDate, paymentDate: day).minor
            return OpenItem(id: item.id, issueDate: item.issueDate, dueDate: item.dueDate, openMinor: item.openMinor - full)
        }
        let plan = CashApplication.plan(amount: available, items: items, namedItem: named)
        let issueByID = Dictionary(uniqueKeysWithValues: items.map { ($0.id, $0.issueDate) })
        var total: Int64 = 0
        for p in plan {
            let eff = CashApplication.effectiveDate(creditDate: day, itemIssueDate: issueByID[p.itemID]!)
            try await allocate(source: source, invoiceID: p.itemID, amount: p.amountMinor, day: eff)
            total += p.amountMinor
            if case .payment(let paymentID) = source, let d = discounts[p.itemID],
                case .success(let applied) = d.terms.apply(
                    payment: Money(minor: p.amountMinor, currency), toOpen: Money(minor: d.open, currency), issueDate: issueByID[p.itemID]!, paymentDate: day),
                applied.discount.minor > 0
            {
                try await grantDiscount(applied.discount, terms: d.terms, invoiceID: p.itemID, invoiceRef: d.ref, paymentID: paymentID, customerID: customerID, day: eff)
            }
        }
        return total
    }

    /// The ref of the credit note that books the discount a payment earned on an invoice: by their ids, which are
    /// unique (refs joined with a separator could collide); the note's description names both refs.
    static func discountRef(paymentID: Int64, invoiceID: Int64) -> String { "DISC-\(paymentID)-\(invoiceID)" }

    /// Books an early-payment discount as a credit note applied to the invoice it was earned on, audited. When the
    /// payment's allocation is later un-applied, so is the discount (``reverseAllocation(id:on:)``); when the payment
    /// is applied again inside the window, the same note is applied again.
    func grantDiscount(
        _ amount: Money, terms: DiscountTerms, invoiceID: Int64, invoiceRef: String, paymentID: Int64, customerID: Int64, day: LocalDate
    ) async throws {
        let paymentRef = try await c.first("SELECT ref FROM payment WHERE company_id = $1 AND id = $2", [.int(company), .int(paymentID)])?.text(0) ?? String(paymentID)
        let ref = Self.discountRef(paymentID: paymentID, invoiceID: invoiceID)
        if let existing = try await c.first(
            "SELECT id, open_amount FROM invoice WHERE company_id = $1 AND ref = $2 AND kind = 'credit_note'", [.int(company), .text(ref)])
        {
            let again = min(existing.int(1), amount.minor)
            if again > 0 { try await allocate(source: .creditNote(existing.int(0)), invoiceID: invoiceID, amount: again, day: day) }
            return
        }
        guard let noteID = try await c.first(
            """
            INSERT INTO invoice (company_id, ref, customer_id, kind, issue_day, due_day, currency, amount, open_amount, description,
                                 created_at, updated_at)
            VALUES ($1, $2, $3, 'credit_note', $4, $4, $5, $6, $6, $7, $8, $8)
            ON CONFLICT (company_id, ref) DO NOTHING RETURNING id
            """,
            [.int(company), .text(ref), .int(customerID), .int(Int64(day.dayNumber)), .text(amount.currency.code), .int(amount.minor),
             .text("Early-payment discount \(terms) on \(invoiceRef), paid by \(paymentRef)"), .int(now)])?.int(0)
        else { return }
        try await auditInsert("credit_note.create", entity: "invoice", ref: ref, [
            "amount": amount.decimalString, "currency": amount.currency.code, "reason": "early-payment discount \(terms)", "invoice": invoiceRef,
            "payment": paymentRef,
        ])
        try await allocate(source: .creditNote(noteID), invoiceID: invoiceID, amount: amount.minor, day: day)
    }

    /// Applies the customer's unapplied payments and credit notes in `currency` (oldest first) to open items —
    /// with `documentsUpTo`, only credit notes and items with ids up to it (see ``applyCredit``).
    public func applyAvailableCredit(customerID: Int64, currency: Currency, documentsUpTo: Int64? = nil) async throws {
        for r in try await availableCredit(customerID: customerID, currency: currency, documentsUpTo: documentsUpTo) {
            let source: CreditSource = r.int(0) == 0 ? .payment(r.int(1)) : .creditNote(r.int(1))
            let applied = try await applyCredit(
                source, customerID: customerID, currency: currency, day: LocalDate(dayNumber: Int(r.int(2))), named: nil, itemsUpTo: documentsUpTo)
            if applied == 0 { break }
        }
    }

    /// The customer's unapplied payments and open credit notes in `currency`, oldest first: (0 payment | 1 credit
    /// note, id, day).
    func availableCredit(customerID: Int64, currency: Currency, documentsUpTo: Int64? = nil) async throws -> [SQLRow] {
        try await c.query(
            """
            SELECT 0, id, payment_day FROM payment WHERE company_id = $1 AND customer_id = $2 AND currency = $3 AND unapplied_amount > 0
            UNION ALL
            SELECT 1, id, issue_day FROM invoice WHERE company_id = $1 AND customer_id = $2 AND currency = $3 AND open_amount > 0 AND kind = 'credit_note'
                AND +id <= $4
            ORDER BY 3, 1, 2
            """, [.int(company), .int(customerID), .text(currency.code), .int(documentsUpTo ?? Int64.max)])
    }

    /// Allocates `amount` from `source` to an invoice, effective `day` — or later, if either side was un-applied
    /// after `day` (an allocation never starts before a reversal on the same invoice or credit ended, so no
    /// historical balance counts one amount twice). Fails (throws) rather than letting either side go below
    /// zero, so concurrent writers cannot over-apply. Returns the allocation id.
    @discardableResult
    func allocate(source: CreditSource, invoiceID: Int64, amount: Int64, day: LocalDate) async throws -> Int64 {
        let sourceID: Int64, sourceColumn: String, paymentID: SQLValue, creditID: SQLValue, sourceSQL: String
        let bump = """
            last_alloc_day = CASE WHEN last_alloc_day IS NULL OR last_alloc_day < $4 THEN $4 ELSE last_alloc_day END,
            first_alloc_day = CASE WHEN first_alloc_day IS NULL OR first_alloc_day > $4 THEN $4 ELSE first_alloc_day END, updated_at = $5
            """
        switch source {
        case .payment(let id):
            (sourceID, sourceColumn, paymentID, creditID) = (id, "payment_id", .int(id), .null)
            sourceSQL = "UPDATE payment SET unapplied_amount = unapplied_amount - $3, \(bump) WHERE company_id = $1 AND id = $2 AND unapplied_amount >= $3 RETURNING id"
        case .creditNote(let id):
            (sourceID, sourceColumn, paymentID, creditID) = (id, "credit_note_id", .null, .int(id))
            sourceSQL = "UPDATE invoice SET open_amount = open_amount - $3, \(bump) WHERE company_id = $1 AND id = $2 AND open_amount >= $3 AND kind = 'credit_note' RETURNING id"
        }
        var d = Int64(day.dayNumber)
        if let floor = try await c.first(
            """
            SELECT MAX(d) FROM (SELECT MAX(reversed_day) AS d FROM allocation WHERE company_id = $1 AND invoice_id = $2 AND reversed_day IS NOT NULL
                                UNION ALL SELECT MAX(reversed_day) FROM allocation WHERE company_id = $1 AND \(sourceColumn) = $3 AND reversed_day IS NOT NULL) AS floors
            """,
            [.int(company), .int(invoiceID), .int(sourceID)])?.intOrNil(0), floor > d {
            d = floor
        }
        guard let inv = try await c.first(
            """
            UPDATE invoice SET open_amount = open_amount - $3, \(bump)
            WHERE company_id = $1 AND id = $2 AND open_amount >= $3 AND kind <> 'credit_note'
            RETURNING open_amount, ref, currency
            """, [.int(company), .int(invoiceID), .int(amount), .int(d), .int(now)])
        else { throw StoreError.conflict("invoice \(invoiceID) no longer has \(amount) open") }
        guard try await c.first(sourceSQL, [.int(company), .int(sourceID), .int(amount), .int(d), .int(now)]) != nil else {
            throw StoreError.conflict("credit \(sourceID) no longer has \(amount) unapplied")
        }
        let id = try await c.first(
            """
            INSERT INTO allocation (company_id, invoice_id, payment_id, credit_note_id, amount, applied_day, created_at, created_by)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id
            """, [.int(company), .int(invoiceID), paymentID, creditID, .int(amount), .int(d), .int(now), .text(actor)])!.int(0)
        if inv.int(0) == 0 { try await announcePaid(invoiceID: invoiceID, allocationID: id, ref: inv.text(1), currency: inv.text(2), day: d) }
        return id
    }

    /// Queues `invoice.paid` for an invoice that allocation `allocationID` settled on `day` (bulk loads, which
    /// allocate outside ``allocate(source:invoiceID:amount:day:)``), when the company has subscriptions.
    func emitPaid(invoiceID: Int64, allocationID: Int64, day: Int64) async throws {
        guard !events.isEmpty, let inv = try await c.first("SELECT ref, currency FROM invoice WHERE company_id = $1 AND id = $2", [.int(company), .int(invoiceID)])
        else { return }
        try await announcePaid(invoiceID: invoiceID, allocationID: allocationID, ref: inv.text(0), currency: inv.text(1), day: day)
    }

    /// `invoice.paid`, one event per settling allocation (its id keeps a later re-settlement a new event).
    private func announcePaid(invoiceID: Int64, allocationID: Int64, ref: String, currency: String, day: Int64) async throws {
        guard !events.isEmpty else { return }
        try await events.emit(c, .invoicePaid, eventID: "invoice.paid:\(invoiceID):\(allocationID)", data: [
            "ref": ref, "currency": currency, "paid_on": LocalDate(dayNumber: Int(day)).iso,
        ], now: now)
    }
}
