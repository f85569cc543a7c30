import CobroCore
import Foundation

/// A dispute on one invoice (a dispute case over several invoices shares `caseID`).
public struct DisputeRecord: Sendable, Hashable {
    public var id: Int64
    public var caseID: Int64
    public var invoiceRef: String
    public var customerRef: String
    public var currency: Currency
    public var amountMinor: Int64
    public var reason: String
    public var status: String
    public var owner: String?
    public var dueDate: LocalDate?
    public var creditNoteRef: String?
    public var resolutionNote: String?
    public var openedAt: Int64
    public var openedBy: String
    public var closedAt: Int64?
    public var closedBy: String?
    public var comments: [DisputeComment]
}

public struct DisputeComment: Sendable, Hashable {
    public var at: Int64
    public var by: String
    public var body: String
}

/// Disputes (issue 4, point 6): opened on one or more invoices for all or part of what is open, worked through
/// review to a resolution. While open or in review the disputed amount leaves dunning (it stays in aging); resolving
/// by credit note books the credit note in the ledger, applied to the disputed invoice; rejecting or withdrawing lets
/// reminders resume. A dispute past its due date opens a `dispute_overdue` task for its owner once. All audited.
public enum DisputeStore {
    /// Opens a dispute per invoice (`amount` nil: all that is open and not yet disputed). Throws `StoreError.invalid`
    /// with the field (`invoices[1].amount`: more than the undisputed open amount, …).
    public static func open(
        _ c: any Connection, company: Int64, invoices: [(ref: String, amount: String?)], reason: DisputeReason, owner: String?, dueDate: LocalDate?,
        comment: String?, today: LocalDate, actor: String, now: Int64
    ) async throws -> [DisputeRecord] {
        guard !invoices.isEmpty else { throw StoreError.invalid(field: "invoices", "name at least one invoice") }
        if let dup = Dictionary(grouping: invoices.indices, by: { invoices[$0].ref }).first(where: { $0.value.count > 1 }) {
            throw StoreError.invalid(field: "invoices[\(dup.value[1])].ref", "\(dup.key) is named twice; give one amount per invoice")
        }
        if let dueDate, dueDate < today { throw StoreError.invalid(field: "due_date", "\(dueDate.iso) is in the past") }
        var rows: [(id: Int64, amount: Int64, ref: String, customer: Int64)] = []
        var customers: Set<Int64> = []
        for (i, item) in invoices.enumerated() {
            guard let r = try await c.first(
                """
                SELECT i.id, i.customer_id, i.currency, i.open_amount, i.kind,
                       CAST(COALESCE((SELECT SUM(d.amount) FROM dispute d WHERE d.company_id = i.company_id AND d.invoice_id = i.id AND d.status IN ('open', 'in_review')), 0) AS BIGINT)
                FROM invoice i WHERE i.company_id = $1 AND i.ref = $2
                """, [.int(company), .text(item.ref)])
            else { throw StoreError.invalid(field: "invoices[\(i)].ref", "unknown invoice \"\(item.ref)\"") }
            if r.text(4) == "credit_note" { throw StoreError.invalid(field: "invoices[\(i)].ref", "\(item.ref) is a credit note") }
            guard let cur = Currency(code: r.text(2)) else { continue }
            let free = r.int(3) - r.int(5)
            var amount = free
            if let text = item.amount {
                switch Money.parseMinor(text, currency: cur) {
                case .success(let m): amount = m
                case .failure(let e): throw StoreError.invalid(field: "invoices[\(i)].amount", "\"\(text)\": \(e)")
                }
            }
            guard amount > 0, amount <= free else {
                throw StoreError.invalid(
                    field: "invoices[\(i)].amount",
                    "\(Money(minor: amount, cur).decimalString) is not between 0.01 and the \(Money(minor: max(free, 0), cur).decimalString) of \(item.ref) open and not yet disputed")
            }
            rows.append((r.int(0), amount, item.ref, r.int(1)))
            customers.insert(r.int(1))
        }
        if customers.count > 1 { throw StoreError.invalid(field: "invoices", "the invoices belong to different customers; open one dispute per customer") }
        var caseID: Int64?
        for row in rows {
            let id = try await c.first(
                """
                INSERT INTO dispute (company_id, invoice_id, amount, reason, status, opened_at, opened_by, owner, due_day)
                VALUES ($1, $2, $3, $4, 'open', $5, $6, $7, $8) RETURNING id
                """,
                [.int(company), .int(row.id), .int(row.amount), .text(reason.rawValue), .int(now), .text(actor), .of(owner),
                 .of(dueDate.map { Int64($0.dayNumber) })])!.int(0)
            caseID = caseID ?? id
            try await c.execute("UPDATE dispute SET case_id = $3 WHERE company_id = $1 AND id = $2", [.int(company), .int(id), .int(caseID!)])
            if let comment { try await addComment(c, company: company, id: id, body: comment, actor: actor, now: now) }
            try await Audit.record(
                c, company: company, actor: actor, action: "dispute.open", entity: "invoice", ref: row.ref, before: nil,
                after: ["dispute": String(id), "amount": String(row.amount), "reason": reason.rawValue], at: now)
        }
        return try await list(c, company: company, status: nil, owner: nil, customerRef: nil, caseID: caseID, after: 0, limit: 500)
    }

    static let columns = """
        d.id, COALESCE(d.case_id, d.id), i.ref, cu.customer_ref, i.currency, d.amount, d.reason, d.status, d.owner, d.due_day, cn.ref, d.resolution_note,
        d.opened_at, d.opened_by, d.closed_at, d.closed_by
        """

    /// Disputes in id order, filtered.
    public static func list(
        _ c: any Connection, company: Int64, status: DisputeStatus?, owner: String?, customerRef: String?, caseID: Int64? = nil, after: Int64, limit: Int
    ) async throws -> [DisputeRecord] {
        var sql = """
            SELECT \(columns) FROM dispute d JOIN invoice i ON i.company_id = d.company_id AND i.id = d.invoice_id
            JOIN customer cu ON cu.company_id = i.company_id AND cu.id = i.customer_id
            LEFT JOIN invoice cn ON cn.company_id = d.company_id AND cn.id = d.credit_note_id
            WHERE d.company_id = $1 AND d.id > $2
            """
        var binds: [SQLValue] = [.int(company), .int(after)]
        for (column, value) in [("d.status", status?.rawValue), ("d.owner", owner), ("cu.customer_ref", customerRef)] {
            guard let value else { continue }
            binds.append(.text(value))
            sql += " AND \(column) = $\(binds.count)"
        }
        if let caseID {
            binds.append(.int(caseID))
            sql += " AND COALESCE(d.case_id, d.id) = $\(binds.count)"
        }
        binds.append(.int(Int64(limit)))
        sql += " ORDER BY d.id LIMIT $\(binds.count)"
        var out: [DisputeRecord] = try await c.query(sql, binds).compactMap { r in
            guard let cur = Currency(code: r.text(4)) else { return nil }
            return DisputeRecord(
                id: r.int(0), caseID: r.int(1), invoiceRef: r.text(2), customerRef: r.text(3), currency: cur, amountMinor: r.int(5), reason: r.text(6),
                status: r.text(7), owner: r.textOrNil(8), dueDate: r.intOrNil(9).map { LocalDate(dayNumber: Int($0)) }, creditNoteRef: r.textOrNil(10),
                resolutionNote: r.textOrNil(11), openedAt: r.int(12), openedBy: r.text(13), closedAt: r.intOrNil(14), closedBy: r.textOrNil(15), comments: [])
        }
        guard let first = out.first, let last = out.last else { return out }
        var comments: [Int64: [DisputeComment]] = [:]
        try await c.forEach(
            "SELECT dispute_id, created_at, created_by, body FROM dispute_comment WHERE company_id = $1 AND dispute_id BETWEEN $2 AND $3 ORDER BY id",
            [.int(company), .int(first.id), .int(last.id)]
        ) { r in comments[r.int(0), default: []].append(DisputeComment(at: r.int(1), by: r.text(2), body: r.text(3))) }
        for i in out.indices { out[i].comments = comments[out[i].id] ?? [] }
        return out
    }

    public static func get(_ c: any Connection, company: Int64, id: Int64) async throws -> DisputeRecord? {
        try await list(c, company: company, status: nil, owner: nil, customerRef: nil, after: id - 1, limit: 1).first { $0.id == id }
    }

    public static func addComment(_ c: any Connection, company: Int64, id: Int64, body: String, actor: String, now: Int64) async throws {
        try await c.execute(
            "INSERT INTO dispute_comment (company_id, dispute_id, body, created_at, created_by) VALUES ($1, $2, $3, $4, $5)",
            [.int(company), .int(id), .text(body), .int(now), .text(actor)])
        try await Audit.record(
            c, company: company, actor: actor, action: "dispute.comment", entity: "dispute", ref: String(id), before: nil, after: ["body": body], at: now)
    }

    /// Moves a dispute to `in_review`, `rejected` or `withdrawn` (resolving needs ``resolve(_:company:id:amountText:creditNoteRef:note:today:actor:now:)``).
    public static func setStatus(
        _ c: any Connection, company: Int64, id: Int64, to next: DisputeStatus, note: String?, actor: String, now: Int64
    ) async throws -> DisputeRecord {
        guard let d = try await get(c, company: company, id: id) else { throw StoreError.notFound("dispute \(id) does not exist") }
        let current = DisputeStatus(rawValue: d.status) ?? .open
        if next == .resolved { throw StoreError.invalid(field: "status", "resolve a dispute with POST /disputes/\(id)/resolve (it books the credit note)") }
        if let why = current.refusal(to: next) { throw StoreError.conflict(why) }
        let closing = !next.isActive
        guard try await c.first(
            """
            UPDATE dispute SET status = $3, resolution_note = COALESCE($4, resolution_note), closed_at = $5, closed_by = $6
            WHERE company_id = $1 AND id = $2 AND status = $7 RETURNING id
            """, [.int(company), .int(id), .text(next.rawValue), .of(note), .of(closing ? now : nil), .of(closing ? actor : nil), .text(d.status)]) != nil
        else { throw StoreError.conflict("dispute \(id) changed meanwhile; read it again") }
        if let note { try await addComment(c, company: company, id: id, body: note, actor: actor, now: now) }
        try await Audit.record(
            c, company: company, actor: actor, action: "dispute.\(next.rawValue)", entity: "invoice", ref: d.invoiceRef, before: ["status": d.status],
            after: ["dispute": String(id), "status": next.rawValue], at: now)
        return try await get(c, company: company, id: id)!
    }

    /// Resolves a dispute by a credit note of `amount` (default: the disputed amount; at most it), booked in the ledger
    /// and applied to the disputed invoice.
    public static func resolve(
        _ c: any Connection, company: Int64, id: Int64, amountText: String?, creditNoteRef: String?, note: String?, today: LocalDate, actor: String, now: Int64
    ) async throws -> DisputeRecord {
        guard let d = try await get(c, company: company, id: id) else { throw StoreError.notFound("dispute \(id) does not exist") }
        let current = DisputeStatus(rawValue: d.status) ?? .open
        if let why = current.refusal(to: .resolved) { throw StoreError.conflict(why) }
        var amount = d.amountMinor
        if let amountText {
            switch Money.parseMinor(amountText, currency: d.currency) {
            case .success(let m): amount = m
            case .failure(let e): throw StoreError.invalid(field: "amount", "\"\(amountText)\": \(e)")
            }
        }
        guard amount > 0, amount <= d.amountMinor else {
            throw StoreError.invalid(field: "amount", "\(Money(minor: amount, d.currency).decimalString) is not between 0.01 and the disputed \(Money(minor: d.amountMinor, d.currency).decimalString)")
        }
        let ref = creditNoteRef ?? "CN-DISPUTE-\(id)"
        // Closed first, conditionally: of two resolutions at once only one books a credit note.
        guard try await c.first(
            "UPDATE dispute SET status = 'resolved', closed_at = $3, closed_by = $4 WHERE company_id = $1 AND id = $2 AND status IN ('open', 'in_review') RETURNING id",
            [.int(company), .int(id), .int(now), .text(actor)]) != nil
        else { throw StoreError.conflict("dispute \(id) was closed meanwhile") }
        guard let inv = try await c.first(
            "SELECT i.id, i.customer_id, i.open_amount FROM invoice i JOIN dispute d ON d.company_id = i.company_id AND d.invoice_id = i.id WHERE d.company_id = $1 AND d.id = $2",
            [.int(company), .int(id)])
        else { throw StoreError.notFound("dispute \(id) does not exist") }
        guard let noteID = try await c.first(
            """
            INSERT INTO invoice (company_id, ref, customer_id, kind, issue_day, due_day, currency, amount, open_amount, description, created_at, updated_at)
            VALUES ($1, $2, $3, 'credit_note', $4, $4, $5, $6, $6, $7, $8, $8)
            ON CONFLICT (company_id, ref) DO NOTHING RETURNING id
            """,
            [.int(company), .text(ref), .int(inv.int(1)), .int(Int64(today.dayNumber)), .text(d.currency.code), .int(amount),
             .text("Credit for dispute \(id) on \(d.invoiceRef) (\(d.reason))"), .int(now)])?.int(0)
        else { throw StoreError.invalid(field: "credit_note_ref", "a document \(ref) exists already; choose another ref") }
        let writer = LedgerWriter(c, company: company, actor: actor, now: now, events: try await EventSink.load(c, company: company))
        _ = try await writer.applyCredit(.creditNote(noteID), customerID: inv.int(1), currency: d.currency, day: today, named: inv.int(2) > 0 ? inv.int(0) : nil)
        try await c.execute(
            """
            UPDATE dispute SET credit_note_id = $3, resolution_note = $4 WHERE company_id = $1 AND id = $2
            """, [.int(company), .int(id), .int(noteID), .of(note)])
        if let note { try await addComment(c, company: company, id: id, body: note, actor: actor, now: now) }
        try await Audit.record(
            c, company: company, actor: actor, action: "credit_note.create", entity: "invoice", ref: ref, before: nil,
            after: ["amount": Money(minor: amount, d.currency).decimalString, "currency": d.currency.code, "dispute": String(id), "invoice": d.invoiceRef], at: now)
        try await Audit.record(
            c, company: company, actor: actor, action: "dispute.resolved", entity: "invoice", ref: d.invoiceRef, before: ["status": d.status],
            after: ["dispute": String(id), "credit_note": ref], at: now)
        return try await get(c, company: company, id: id)!
    }

    /// Opens a `dispute_overdue` task (once) for every active dispute past its due date as of `today`.
    @discardableResult
    public static func escalateOverdue(_ c: any Connection, company: Int64, today: LocalDate, now: Int64) async throws -> Int {
        let overdue = try await c.query(
            """
            SELECT d.id, i.customer_id, i.ref, d.owner, d.due_day FROM dispute d JOIN invoice i ON i.company_id = d.company_id AND i.id = d.invoice_id
            WHERE d.company_id = $1 AND d.status IN ('open', 'in_review') AND d.due_day IS NOT NULL AND d.due_day < $2 AND d.escalated = 0
            """, [.int(company), .int(Int64(today.dayNumber))])
        for r in overdue {
            guard try await c.first(
                "UPDATE dispute SET escalated = 1 WHERE company_id = $1 AND id = $2 AND escalated = 0 RETURNING id", [.int(company), .int(r.int(0))]) != nil
            else { continue }
            try await c.execute(
                """
                INSERT INTO task (company_id, customer_id, kind, status, due_day, title, detail, assignee, created_at)
                VALUES ($1, $2, 'dispute_overdue', 'open', $3, $4, $5, $6, $7)
                """,
                [.int(company), .int(r.int(1)), .int(Int64(today.dayNumber)), .text("Dispute \(r.int(0)) on \(r.text(2)) is overdue"),
                 .text("Due \(LocalDate(dayNumber: Int(r.int(4))).iso); still \(r.textOrNil(3).map { "with \($0)" } ?? "unassigned"). Resolve, reject or escalate."),
                 .of(r.textOrNil(3)), .int(now)])
            try await Audit.record(
                c, company: company, actor: "disputes", action: "dispute.overdue", entity: "invoice", ref: r.text(2), before: nil,
                after: ["dispute": String(r.int(0))], at: now)
        }
        return overdue.count
    }
}
