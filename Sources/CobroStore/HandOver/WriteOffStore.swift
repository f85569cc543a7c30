import CobroCore
import Foundation

public struct WriteOffRecord: Sendable, Hashable {
    public var id: Int64
    public var customerRef: String
    public var invoiceRef: String
    public var currency: Currency
    public var amountMinor: Int64
    public var reason: String
    public var note: String?
    public var status: String
    public var requestedBy: String
    public var requestedAt: Int64
    public var decidedBy: String?
    public var decidedAt: Int64?
    public var decisionNote: String?
    public var creditNoteRef: String?
}

/// Write-offs (issue 4, point 9): a collector requests writing off all or part of an invoice's open amount with a
/// reason; another person approves (four eyes) and the write-off is booked as a credit note `WO-<id>` applied to that
/// invoice, or rejects it. A collector-scoped token cannot decide (the API answers 403).
public enum WriteOffStore {
    static let select = """
        SELECT w.id, cu.customer_ref, i.ref, w.currency, w.amount, w.reason, w.note, w.status, w.requested_by, w.requested_at, w.decided_by,
               w.decided_at, w.decision_note, (SELECT n.ref FROM invoice n WHERE n.company_id = w.company_id AND n.id = w.credit_note_id)
        FROM write_off w JOIN customer cu ON cu.company_id = w.company_id AND cu.id = w.customer_id
        JOIN invoice i ON i.company_id = w.company_id AND i.id = w.invoice_id
        """

    static func record(_ r: SQLRow) -> WriteOffRecord {
        WriteOffRecord(
            id: r.int(0), customerRef: r.text(1), invoiceRef: r.text(2), currency: Currency(code: r.text(3)) ?? Currency(code: "USD")!, amountMinor: r.int(4),
            reason: r.text(5), note: r.textOrNil(6), status: r.text(7), requestedBy: r.text(8), requestedAt: r.int(9), decidedBy: r.textOrNil(10),
            decidedAt: r.intOrNil(11), decisionNote: r.textOrNil(12), creditNoteRef: r.textOrNil(13))
    }

    public static func get(_ c: any Connection, company: Int64, id: Int64) async throws -> WriteOffRecord? {
        try await c.first("\(select) WHERE w.company_id = $1 AND w.id = $2", [.int(company), .int(id)]).map(record)
    }

    public static func list(_ c: any Connection, company: Int64, status: String?) async throws -> [WriteOffRecord] {
        try await c.query("\(select) WHERE w.company_id = $1 AND ($2 = '' OR w.status = $2) ORDER BY w.id", [.int(company), .text(status ?? "")]).map(record)
    }

    /// Requests a write-off of `amountText` (nil: all that is open) of an invoice or debit note. Throws
    /// `StoreError.invalidFields` naming every field at fault, or conflict when one is already pending for it.
    public static func request(
        _ c: any Connection, company: Int64, invoiceRef: String, amountText: String?, reason: WriteOffReason, note: String?, actor: String, now: Int64
    ) async throws -> WriteOffRecord {
        guard let inv = try await c.first(
            "SELECT id, customer_id, currency, open_amount, kind FROM invoice WHERE company_id = $1 AND ref = $2", [.int(company), .text(invoiceRef)])
        else { throw StoreError.invalid(field: "invoice_ref", "unknown invoice \"\(invoiceRef)\"") }
        if inv.text(4) == DocumentKind.creditNote.rawValue { throw StoreError.invalid(field: "invoice_ref", "\(invoiceRef) is a credit note; write off invoices and debit notes") }
        guard let currency = Currency(code: inv.text(2)) else { throw StoreError.conflict("invoice \(invoiceRef) has an unknown currency") }
        let open = inv.int(3)
        guard open > 0 else { throw StoreError.invalid(field: "invoice_ref", "\(invoiceRef) is paid; nothing is open to write off") }
        var amount = open
        if let amountText {
            switch Money.parseMinor(amountText, currency: currency) {
            case .success(let m): amount = m
            case .failure(let e): throw StoreError.invalid(field: "amount", "\"\(amountText)\": \(e)")
            }
        }
        guard amount > 0, amount <= open else {
            throw StoreError.invalid(field: "amount", "\(Money(minor: amount, currency).decimalString) is not between \(Money(minor: 1, currency).decimalString) and the open \(Money(minor: open, currency).decimalString)")
        }
        if try await c.first("SELECT id FROM write_off WHERE company_id = $1 AND invoice_id = $2 AND status = 'pending'", [.int(company), .int(inv.int(0))]) != nil {
            throw StoreError.conflict("a write-off of \(invoiceRef) is already waiting for approval")
        }
        let id = try await c.first(
            """
            INSERT INTO write_off (company_id, customer_id, invoice_id, currency, amount, reason, note, status, requested_by, requested_at)
            VALUES ($1, $2, $3, $4, $5, $6, $7, 'pending', $8, $9) RETURNING id
            """,
            [.int(company), .int(inv.int(1)), .int(inv.int(0)), .text(currency.code), .int(amount), .text(reason.rawValue), .of(note), .text(actor), .int(now)])!.int(0)
        try await Audit.record(
            c, company: company, actor: actor, action: "write_off.request", entity: "invoice", ref: invoiceRef, before: nil,
            after: ["write_off": String(id), "amount": Money(minor: amount, currency).decimalString, "currency": currency.code, "reason": reason.rawValue], at: now)
        return try await get(c, company: company, id: id)!
    }

    /// Approves (books credit note `WO-<id>` dated `today`, applied to the invoice) or rejects a pending write-off.
    /// The requester cannot decide it (``FourEyesViolation``). Approval is refused when the invoice's open amount
    /// has fallen below the write-off meanwhile (a payment arrived): reject it and request again.
    public static func decide(
        _ c: any Connection, company: Int64, id: Int64, approve: Bool, note: String?, today: LocalDate, actor: String, now: Int64
    ) async throws -> WriteOffRecord {
        guard let w = try await get(c, company: company, id: id) else { throw StoreError.notFound("write-off \(id) does not exist") }
        guard w.status == "pending" else { throw StoreError.conflict("write-off \(id) is already \(w.status)") }
        if let problem = CreditControl.decisionProblem(requestedBy: w.requestedBy, decidedBy: actor) { throw FourEyesViolation(message: problem) }
        guard try await c.first(
            "UPDATE write_off SET status = $3, decided_by = $4, decided_at = $5, decision_note = $6 WHERE company_id = $1 AND id = $2 AND status = 'pending' RETURNING id",
            [.int(company), .int(id), .text(approve ? "approved" : "rejected"), .text(actor), .int(now), .of(note)]) != nil
        else { throw StoreError.conflict("write-off \(id) was decided meanwhile") }
        if approve {
            let inv = try await c.first("SELECT id, customer_id, open_amount FROM invoice WHERE company_id = $1 AND ref = $2", [.int(company), .text(w.invoiceRef)])!
            guard inv.int(2) >= w.amountMinor else {
                throw StoreError.conflict(
                    "\(w.invoiceRef) has only \(Money(minor: inv.int(2), w.currency).decimalString) open now (a payment or credit arrived); reject this write-off and request a new one")
            }
            let ref = "WO-\(id)"
            guard let noteID = try await c.first(
                """
                INSERT INTO invoice (company_id, ref, customer_id, kind, issue_day, due_day, currency, amount, open_amount, description, created_at, updated_at)
                VALUES ($1, $2, $3, 'credit_note', $4, $4, $5, $6, $6, $7, $8, $8)
                ON CONFLICT (company_id, ref) DO NOTHING RETURNING id
                """,
                [.int(company), .text(ref), .int(inv.int(1)), .int(Int64(today.dayNumber)), .text(w.currency.code), .int(w.amountMinor),
                 .text("Write-off \(id) of \(w.invoiceRef) (\(w.reason))"), .int(now)])?.int(0)
            else { throw StoreError.conflict("a document \(ref) exists already; the write-off cannot be booked under that ref") }
            let writer = LedgerWriter(c, company: company, actor: actor, now: now, events: try await EventSink.load(c, company: company))
            _ = try await writer.applyCredit(.creditNote(noteID), customerID: inv.int(1), currency: w.currency, day: today, named: inv.int(0))
            try await c.execute("UPDATE write_off SET credit_note_id = $3 WHERE company_id = $1 AND id = $2", [.int(company), .int(id), .int(noteID)])
            try await Audit.record(
                c, company: company, actor: actor, action: "credit_note.create", entity: "invoice", ref: ref, before: nil,
                after: ["amount": Money(minor: w.amountMinor, w.currency).decimalString, "currency": w.currency.code, "write_off": String(id), "invoice": w.invoiceRef], at: now)
        }
        try await Audit.record(
            c, company: company, actor: actor, action: approve ? "write_off.approve" : "write_off.reject", entity: "invoice", ref: w.invoiceRef,
            before: ["status": "pending"], after: ["write_off": String(id), "status": approve ? "approved" : "rejected", "requested_by": w.requestedBy], at: now)
        return try await get(c, company: company, id: id)!
    }
}
