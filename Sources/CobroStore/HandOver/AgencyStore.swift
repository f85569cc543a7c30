import CobroCore
import Foundation

public struct PlacementRecord: Sendable, Hashable {
    public var id: Int64
    public var customerRef: String
    public var agency: String
    public var kind: String
    public var currency: Currency
    public var placedOn: LocalDate
    public var placedMinor: Int64
    public var commissionBasisPoints: Int
    public var status: String
    public var collectedMinor: Int64
    public var commissionMinor: Int64
    public var endedOn: LocalDate?
    public var recallReason: String?
    /// What is still open of the placed items.
    public var outstandingMinor: Int64
    public var items: [(invoiceRef: String, placedMinor: Int64)]

    public static func == (a: Self, b: Self) -> Bool { a.id == b.id && a.status == b.status && a.collectedMinor == b.collectedMinor }
    public func hash(into h: inout Hasher) { h.combine(id) }
}

/// One amount an agency collected.
public struct AgencyCollection: Sendable, Hashable {
    public var paymentRef: String
    public var amountMinor: Int64
    public var commissionMinor: Int64
    /// What the agency owes the company: collected less its commission.
    public var remittedMinor: Int64
}

/// Hand-over to an agency or a lawyer (issue 4, point 9): place a customer's open items in one currency with an
/// agency at a commission rate (the customer leaves dunning), export the hand-over file, record what the agency
/// collects (a payment applied to the placed items; commission computed by ``AgencyCommission``), recall. A placement
/// whose items are all paid closes itself. Every change is audited.
public enum AgencyStore {
    static let select = """
        SELECT p.id, cu.customer_ref, p.agency, p.kind, p.currency, p.placed_day, p.placed_amount, p.commission_bp, p.status, p.collected,
               p.commission, p.ended_day, p.recall_reason,
               CAST(COALESCE((SELECT SUM(i.open_amount) FROM agency_placement_item pi JOIN invoice i ON i.company_id = pi.company_id AND i.id = pi.invoice_id
                              WHERE pi.company_id = p.company_id AND pi.placement_id = p.id), 0) AS BIGINT)
        FROM agency_placement p JOIN customer cu ON cu.company_id = p.company_id AND cu.id = p.customer_id
        """

    static func record(_ c: any Connection, company: Int64, _ r: SQLRow) async throws -> PlacementRecord {
        let items = try await c.query(
            """
            SELECT i.ref, pi.amount FROM agency_placement_item pi JOIN invoice i ON i.company_id = pi.company_id AND i.id = pi.invoice_id
            WHERE pi.company_id = $1 AND pi.placement_id = $2 ORDER BY i.due_day, i.ref
            """, [.int(company), .int(r.int(0))]).map { (invoiceRef: $0.text(0), placedMinor: $0.int(1)) }
        return PlacementRecord(
            id: r.int(0), customerRef: r.text(1), agency: r.text(2), kind: r.text(3), currency: Currency(code: r.text(4)) ?? Currency(code: "USD")!,
            placedOn: LocalDate(dayNumber: Int(r.int(5))), placedMinor: r.int(6), commissionBasisPoints: Int(r.int(7)), status: r.text(8),
            collectedMinor: r.int(9), commissionMinor: r.int(10), endedOn: r.intOrNil(11).map { LocalDate(dayNumber: Int($0)) }, recallReason: r.textOrNil(12),
            outstandingMinor: r.int(13), items: items)
    }

    public static func get(_ c: any Connection, company: Int64, id: Int64) async throws -> PlacementRecord? {
        guard let r = try await c.first("\(select) WHERE p.company_id = $1 AND p.id = $2", [.int(company), .int(id)]) else { return nil }
        return try await record(c, company: company, r)
    }

    public static func list(_ c: any Connection, company: Int64, status: String?, agency: String?) async throws -> [PlacementRecord] {
        var out: [PlacementRecord] = []
        for r in try await c.query(
            "\(select) WHERE p.company_id = $1 AND ($2 = '' OR p.status = $2) AND ($3 = '' OR p.agency = $3) ORDER BY p.id",
            [.int(company), .text(status ?? ""), .text(agency ?? "")])
        {
            out.append(try await record(c, company: company, r))
        }
        return out
    }

    /// Places the customer's open invoices and debit notes in `currency` (nil: its only currency with open items),
    /// or just `invoiceRefs`, with an agency. Refused when the customer already has an active placement.
    public static func place(
        _ c: any Connection, company: Int64, customerRef: String, agency: String, kind: PlacementKind, rateText: String, currency: Currency?,
        invoiceRefs: [String]?, on day: LocalDate, today: LocalDate, actor: String, now: Int64
    ) async throws -> PlacementRecord {
        var problems: [StoreError.FieldProblem] = []
        let agencyName = agency.trimmingCharacters(in: .whitespaces)
        if agencyName.isEmpty { problems.append(.init("agency", "name the agency or law firm")) }
        var bp = 0
        switch AgencyCommission.parseRate(rateText) {
        case .success(let v): bp = v
        case .failure(let e): problems.append(.init("commission_rate", e.message))
        }
        if day > today { problems.append(.init("date", "\(day.iso) is in the future")) }
        guard let cu = try await c.first("SELECT id, erased_at FROM customer WHERE company_id = $1 AND customer_ref = $2", [.int(company), .text(customerRef)])
        else { throw StoreError.notFound("customer \(customerRef) does not exist") }
        var open = try await c.query(
            """
            SELECT id, ref, currency, open_amount FROM invoice
            WHERE company_id = $1 AND customer_id = $2 AND kind <> 'credit_note' AND open_amount > 0 ORDER BY due_day, ref
            """, [.int(company), .int(cu.int(0))]).map { (id: $0.int(0), ref: $0.text(1), currency: $0.text(2), open: $0.int(3)) }
        if let invoiceRefs {
            if invoiceRefs.isEmpty { problems.append(.init("invoices", "name at least one invoice, or leave invoices out to place all that is open")) }
            for (i, ref) in invoiceRefs.enumerated() where !open.contains(where: { $0.ref == ref }) {
                problems.append(.init("invoices[\(i)]", "\(ref) is not an open invoice or debit note of \(customerRef)"))
            }
            open = open.filter { invoiceRefs.contains($0.ref) }
        }
        let currencies = Set(open.map(\.currency))
        var code = currency?.code
        if code == nil {
            if currencies.count > 1 { problems.append(.init("currency", "\(customerRef) has open items in \(currencies.sorted().joined(separator: ", ")); place one currency at a time")) }
            code = currencies.first
        }
        open = open.filter { $0.currency == code }
        if problems.isEmpty, open.isEmpty { problems.append(.init(invoiceRefs == nil ? "customer_ref" : "invoices", "\(customerRef) has nothing open\(code.map { " in \($0)" } ?? "") to place")) }
        if !problems.isEmpty { throw StoreError.invalidFields(problems) }
        if try await c.first("SELECT id FROM agency_placement WHERE company_id = $1 AND customer_id = $2 AND status = 'active'", [.int(company), .int(cu.int(0))]) != nil {
            throw StoreError.conflict("\(customerRef) is already placed; recall that placement first")
        }
        let total = open.reduce(Int64(0)) { $0 + $1.open }
        let id = try await c.first(
            """
            INSERT INTO agency_placement (company_id, customer_id, agency, kind, currency, placed_day, placed_amount, commission_bp, status, created_by, created_at)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'active', $9, $10) RETURNING id
            """,
            [.int(company), .int(cu.int(0)), .text(agencyName), .text(kind.rawValue), .text(code!), .int(Int64(day.dayNumber)), .int(total), .int(Int64(bp)),
             .text(actor), .int(now)])!.int(0)
        for item in open {
            try await c.execute(
                "INSERT INTO agency_placement_item (company_id, placement_id, invoice_id, amount) VALUES ($1, $2, $3, $4)",
                [.int(company), .int(id), .int(item.id), .int(item.open)])
        }
        try await c.execute("UPDATE customer SET handed_over = 1, hand_over = $3 WHERE company_id = $1 AND id = $2", [.int(company), .int(cu.int(0)), .text(kind.rawValue)])
        let cur = Currency(code: code!)!
        try await Audit.record(
            c, company: company, actor: actor, action: "customer.placed", entity: "customer", ref: customerRef, before: nil,
            after: ["placement": String(id), "agency": agencyName, "kind": kind.rawValue, "amount": Money(minor: total, cur).decimalString, "currency": cur.code,
                    "commission_rate": AgencyCommission.rateText(bp), "items": String(open.count)], at: now)
        return try await get(c, company: company, id: id)!
    }

    /// Records `amountText` collected by the agency on `day`: a payment (`paymentRef`, default `AG-<id>-<n>`) applied
    /// to the placed items oldest-due-first, and the commission on it. At most what is still open of the placed items.
    public static func collect(
        _ c: any Connection, company: Int64, id: Int64, amountText: String, on day: LocalDate, today: LocalDate, paymentRef: String?, actor: String, now: Int64
    ) async throws -> (PlacementRecord, AgencyCollection) {
        guard let p = try await get(c, company: company, id: id) else { throw StoreError.notFound("placement \(id) does not exist") }
        guard p.status == "active" else { throw StoreError.conflict("placement \(id) is \(p.status); only an active placement collects") }
        let amount: Int64
        switch Money.parseMinor(amountText, currency: p.currency) {
        case .success(let m): amount = m
        case .failure(let e): throw StoreError.invalid(field: "amount", "\"\(amountText)\": \(e)")
        }
        var problems: [StoreError.FieldProblem] = []
        if amount <= 0 || amount > p.outstandingMinor {
            problems.append(.init("amount", "\(Money(minor: amount, p.currency).decimalString) is not between \(Money(minor: 1, p.currency).decimalString) and the \(Money(minor: p.outstandingMinor, p.currency).decimalString) still open of the placed items"))
        }
        if day > today { problems.append(.init("date", "\(day.iso) is in the future")) }
        if day < p.placedOn { problems.append(.init("date", "\(day.iso) is before the placement on \(p.placedOn.iso)")) }
        if !problems.isEmpty { throw StoreError.invalidFields(problems) }
        let n = (try await c.first("SELECT COUNT(*) FROM agency_collection WHERE company_id = $1 AND placement_id = $2", [.int(company), .int(id)])?.int(0) ?? 0) + 1
        let ref = paymentRef ?? "AG-\(id)-\(n)"
        let customerID = try await c.first("SELECT customer_id FROM agency_placement WHERE company_id = $1 AND id = $2", [.int(company), .int(id)])!.int(0)
        guard let paymentID = try await c.first(
            """
            INSERT INTO payment (company_id, ref, customer_id, payment_day, currency, amount, unapplied_amount, method, reference, created_at, updated_at)
            VALUES ($1, $2, $3, $4, $5, $6, $6, 'agency', $7, $8, $8) ON CONFLICT (company_id, ref) DO NOTHING RETURNING id
            """,
            [.int(company), .text(ref), .int(customerID), .int(Int64(day.dayNumber)), .text(p.currency.code), .int(amount), .text("\(p.agency) placement \(id)"), .int(now)])?.int(0)
        else { throw StoreError.invalid(field: "payment_ref", "a payment \(ref) exists already; choose another ref") }
        let writer = LedgerWriter(c, company: company, actor: actor, now: now, events: try await EventSink.load(c, company: company))
        // Only the placed items, oldest due first: what the agency collects pays what it was given.
        let placed = try await c.query(
            """
            SELECT i.id FROM agency_placement_item pi JOIN invoice i ON i.company_id = pi.company_id AND i.id = pi.invoice_id
            WHERE pi.company_id = $1 AND pi.placement_id = $2 AND i.open_amount > 0 ORDER BY i.due_day, i.ref
            """, [.int(company), .int(id)]).map { $0.int(0) }
        for invoice in placed { _ = try await writer.applyCredit(.payment(paymentID), customerID: customerID, currency: p.currency, day: day, named: invoice) }
        let commission = AgencyCommission.commission(onMinor: amount, basisPoints: p.commissionBasisPoints)
        try await c.execute(
            "INSERT INTO agency_collection (company_id, placement_id, payment_id, day, amount, commission, created_by, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
            [.int(company), .int(id), .int(paymentID), .int(Int64(day.dayNumber)), .int(amount), .int(commission), .text(actor), .int(now)])
        try await c.execute(
            "UPDATE agency_placement SET collected = collected + $3, commission = commission + $4 WHERE company_id = $1 AND id = $2",
            [.int(company), .int(id), .int(amount), .int(commission)])
        let money = { (m: Int64) in Money(minor: m, p.currency).decimalString }
        try await Audit.record(
            c, company: company, actor: actor, action: "payment.create", entity: "payment", ref: ref, before: nil,
            after: ["amount": money(amount), "currency": p.currency.code, "placement": String(id), "commission": money(commission)], at: now)
        var after = try await get(c, company: company, id: id)!
        if after.outstandingMinor == 0 {
            try await end(c, company: company, id: id, status: "closed", reason: nil, day: day, customerID: customerID, actor: actor, now: now)
            after = try await get(c, company: company, id: id)!
        }
        return (after, AgencyCollection(paymentRef: ref, amountMinor: amount, commissionMinor: commission, remittedMinor: amount - commission))
    }

    /// Takes the account back from the agency: it returns to the collector and to dunning.
    public static func recall(_ c: any Connection, company: Int64, id: Int64, reason: String?, on day: LocalDate, actor: String, now: Int64) async throws -> PlacementRecord {
        guard let p = try await get(c, company: company, id: id) else { throw StoreError.notFound("placement \(id) does not exist") }
        guard p.status == "active" else { throw StoreError.conflict("placement \(id) is already \(p.status)") }
        if day < p.placedOn { throw StoreError.invalid(field: "date", "\(day.iso) is before the placement on \(p.placedOn.iso)") }
        let customerID = try await c.first("SELECT customer_id FROM agency_placement WHERE company_id = $1 AND id = $2", [.int(company), .int(id)])!.int(0)
        try await end(c, company: company, id: id, status: "recalled", reason: reason, day: day, customerID: customerID, actor: actor, now: now)
        return try await get(c, company: company, id: id)!
    }

    static func end(_ c: any Connection, company: Int64, id: Int64, status: String, reason: String?, day: LocalDate, customerID: Int64, actor: String, now: Int64) async throws {
        guard try await c.first(
            "UPDATE agency_placement SET status = $3, ended_day = $4, recall_reason = $5 WHERE company_id = $1 AND id = $2 AND status = 'active' RETURNING id",
            [.int(company), .int(id), .text(status), .int(Int64(day.dayNumber)), .of(reason)]) != nil
        else { throw StoreError.conflict("placement \(id) changed meanwhile") }
        try await c.execute("UPDATE customer SET handed_over = 0, hand_over = NULL WHERE company_id = $1 AND id = $2", [.int(company), .int(customerID)])
        let ref = try await c.first("SELECT customer_ref FROM customer WHERE company_id = $1 AND id = $2", [.int(company), .int(customerID)])!.text(0)
        try await Audit.record(
            c, company: company, actor: actor, action: status == "closed" ? "placement.closed" : "placement.recalled", entity: "customer", ref: ref,
            before: ["handed_over": "true"], after: ["placement": String(id), "handed_over": "false", "reason": reason ?? ""], at: now)
    }

    /// The hand-over file for the agency: one line per placed item with the customer's contact details and what is
    /// open as of `today` (CSV, header first).
    public static func exportCSV(_ c: any Connection, company: Int64, id: Int64, today: LocalDate) async throws -> String {
        guard let p = try await get(c, company: company, id: id) else { throw StoreError.notFound("placement \(id) does not exist") }
        let rows = try await c.query(
            """
            SELECT cu.customer_ref, cu.name, cu.email, cu.phone, cu.postal_address, cu.country, i.ref, i.kind, i.issue_day, i.due_day, i.amount, pi.amount, i.open_amount, i.po_number
            FROM agency_placement_item pi JOIN invoice i ON i.company_id = pi.company_id AND i.id = pi.invoice_id
            JOIN customer cu ON cu.company_id = i.company_id AND cu.id = i.customer_id
            WHERE pi.company_id = $1 AND pi.placement_id = $2 ORDER BY i.due_day, i.ref
            """, [.int(company), .int(id)])
        let money = { (m: Int64) in Money(minor: m, p.currency).decimalString }
        var out = CSVWriter.line([
            "placement_id", "agency", "placed_date", "commission_rate", "customer_ref", "customer_name", "email", "phone", "postal_address", "country",
            "invoice_ref", "kind", "issue_date", "due_date", "currency", "amount", "placed_amount", "open_amount", "days_past_due", "po_number",
        ])
        for r in rows {
            let due = LocalDate(dayNumber: Int(r.int(9)))
            out += CSVWriter.line([
                String(id), p.agency, p.placedOn.iso, AgencyCommission.rateText(p.commissionBasisPoints).replacingOccurrences(of: " %", with: ""), r.text(0), r.text(1),
                r.textOrNil(2) ?? "", r.textOrNil(3) ?? "", r.textOrNil(4) ?? "", r.textOrNil(5) ?? "", r.text(6), r.text(7),
                LocalDate(dayNumber: Int(r.int(8))).iso, due.iso, p.currency.code, money(r.int(10)), money(r.int(11)), money(r.int(12)),
                String(max(0, today.dayNumber - due.dayNumber)), r.textOrNil(13) ?? "",
            ])
        }
        return out
    }
}
