import CobroCore
import Foundation

/// Where a customer stands on credit.
public struct CreditPosition: Sendable, Hashable {
    public var customerRef: String
    public var currency: Currency?
    public var limitMinor: Int64?
    /// Open invoices and debit notes less unapplied credit, in the customer's currency, plus open orders.
    public var exposureMinor: Int64
    public var openOrdersMinor: Int64
    public var oldestDaysPastDue: Int?
    public var hold: Bool
    public var holdReason: String?
}

/// A request to change a customer's credit limit, decided by someone else (four eyes).
public struct CreditLimitRequest: Sendable, Hashable {
    public var id: Int64
    public var customerRef: String
    public var currency: Currency
    public var currentMinor: Int64?
    public var requestedMinor: Int64
    public var reason: String
    public var status: String
    public var requestedBy: String
    public var decidedBy: String?
    public var decisionNote: String?
}

/// Credit control: automatic holds by CobroCore's ``CreditControl`` rule (events `customer.credit_hold` and
/// `customer.credit_release` for the ERP), open orders reported by the ERP, and four-eyes credit-limit changes.
public enum CreditStore {
    /// Positions of the company's customers (or one), as of `today`.
    /// `everyone` false leaves out customers without a limit and not on hold (the rule cannot concern them unless the
    /// company has a days-past-due rule).
    public static func positions(_ c: any Connection, company: Int64, customerRef: String?, today: LocalDate, everyone: Bool = true) async throws -> [CreditPosition] {
        var sql = """
            SELECT cu.customer_ref, cu.currency, cu.credit_limit, cu.open_orders, cu.credit_hold, cu.credit_hold_reason,
                   CAST(COALESCE((SELECT SUM(i.open_amount) FROM invoice i WHERE i.company_id = cu.company_id AND i.customer_id = cu.id AND i.kind <> 'credit_note'
                             AND i.open_amount > 0 AND i.currency = cu.currency), 0) AS BIGINT),
                   CAST(COALESCE((SELECT SUM(i.open_amount) FROM invoice i WHERE i.company_id = cu.company_id AND i.customer_id = cu.id AND i.kind = 'credit_note'
                             AND i.open_amount > 0 AND i.currency = cu.currency), 0) AS BIGINT),
                   CAST(COALESCE((SELECT SUM(p.unapplied_amount) FROM payment p WHERE p.company_id = cu.company_id AND p.customer_id = cu.id
                             AND p.unapplied_amount > 0 AND p.currency = cu.currency), 0) AS BIGINT),
                   (SELECT MIN(i.due_day) FROM invoice i WHERE i.company_id = cu.company_id AND i.customer_id = cu.id AND i.kind <> 'credit_note' AND i.open_amount > 0)
            FROM customer cu WHERE cu.company_id = $1
            """
        var binds: [SQLValue] = [.int(company)]
        if let customerRef {
            binds.append(.text(customerRef))
            sql += " AND cu.customer_ref = $2"
        } else if !everyone {
            // Only customers the rule can concern: with a limit, or on hold.
            sql += " AND (cu.credit_limit IS NOT NULL OR cu.credit_hold = 1)"
        }
        return try await c.query(sql, binds).map { r in
            CreditPosition(
                customerRef: r.text(0), currency: r.textOrNil(1).flatMap(Currency.init(code:)), limitMinor: r.intOrNil(2),
                exposureMinor: CreditControl.exposure(openItemsMinor: r.int(6), unappliedCreditMinor: r.int(7) + r.int(8), openOrdersMinor: r.int(3)),
                openOrdersMinor: r.int(3),
                oldestDaysPastDue: r.intOrNil(9).map { today.dayNumber - Int($0) }, hold: r.bool(4), holdReason: r.textOrNil(5))
        }
    }

    /// Applies the hold rule to every customer (or one): holds whoever should be held, releases the holds this rule set
    /// when they no longer apply. Audited, with a webhook event each. Returns the positions after.
    @discardableResult
    public static func apply(_ c: any Connection, company: Int64, customerRef: String? = nil, today: LocalDate, actor: String, now: Int64) async throws -> [CreditPosition] {
        let days = try await c.first("SELECT credit_hold_days FROM company WHERE id = $1", [.int(company)])?.intOrNil(0).map(Int.init)
        let events = try await EventSink.load(c, company: company)
        var out: [CreditPosition] = []
        for var p in try await positions(c, company: company, customerRef: customerRef, today: today, everyone: days != nil) {
            let reasons = CreditControl.holdReasons(
                limitMinor: p.currency == nil ? nil : p.limitMinor, exposureMinor: p.exposureMinor, oldestDaysPastDue: p.oldestDaysPastDue, maxDaysPastDue: days)
            // Only a hold this rule set is released by it (no reason recorded: a person or an older version set it).
            let automatic = p.holdReason.map { $0.split(separator: ",").allSatisfy { CreditControl.Reason(rawValue: String($0)) != nil } } ?? false
            if !reasons.isEmpty, !p.hold {
                let why = reasons.map(\.rawValue).joined(separator: ",")
                guard try await c.first(
                    "UPDATE customer SET credit_hold = 1, credit_hold_reason = $3 WHERE company_id = $1 AND customer_ref = $2 AND credit_hold = 0 RETURNING id",
                    [.int(company), .text(p.customerRef), .text(why)]) != nil
                else { continue }
                try await Audit.record(
                    c, company: company, actor: actor, action: "customer.credit_hold", entity: "customer", ref: p.customerRef, before: ["credit_hold": "false"],
                    after: ["credit_hold": "true", "reason": why], at: now)
                try await events.emit(
                    c, .customerCreditHold, eventID: "customer.credit_hold:\(p.customerRef):\(now)",
                    data: ["customer_ref": p.customerRef, "reason": why, "exposure": String(p.exposureMinor)], now: now)
                p.hold = true
                p.holdReason = why
            } else if reasons.isEmpty, p.hold, automatic {
                guard try await c.first(
                    "UPDATE customer SET credit_hold = 0, credit_hold_reason = NULL WHERE company_id = $1 AND customer_ref = $2 AND credit_hold = 1 AND credit_hold_reason = $3 RETURNING id",
                    [.int(company), .text(p.customerRef), .of(p.holdReason)]) != nil
                else { continue }
                try await Audit.record(
                    c, company: company, actor: actor, action: "customer.credit_release", entity: "customer", ref: p.customerRef,
                    before: ["credit_hold": "true", "reason": p.holdReason ?? ""], after: ["credit_hold": "false"], at: now)
                try await events.emit(
                    c, .customerCreditRelease, eventID: "customer.credit_release:\(p.customerRef):\(now)", data: ["customer_ref": p.customerRef], now: now)
                p.hold = false
                p.holdReason = nil
            }
            out.append(p)
        }
        return out
    }

    /// Records the ERP's open orders of a customer (they count toward exposure).
    /// Customers put on credit hold since `sinceMillis` (by credit control, a dunning step or a person), newest first,
    /// from the audit trail: (customer ref, name, when).
    public static func newHolds(_ c: any Connection, company: Int64, sinceMillis: Int64, limit: Int) async throws -> [(ref: String, name: String, at: Int64)] {
        try await c.query(
            """
            SELECT a.entity_ref, cu.name, a.at FROM audit_event a JOIN customer cu ON cu.company_id = a.company_id AND cu.customer_ref = a.entity_ref
            WHERE a.company_id = $1 AND a.entity = 'customer' AND a.action = 'customer.credit_hold' AND a.at >= $2 AND cu.credit_hold = 1
            ORDER BY a.id DESC LIMIT $3
            """, [.int(company), .int(sinceMillis), .int(Int64(limit))]
        ).map { ($0.text(0), $0.text(1), $0.int(2)) }
    }

    public static func setOpenOrders(_ c: any Connection, company: Int64, customerRef: String, amountMinor: Int64, actor: String, now: Int64) async throws {
        guard amountMinor >= 0 else { throw StoreError.invalid(field: "amount", "must be 0 or more") }
        guard let old = try await c.first("SELECT open_orders FROM customer WHERE company_id = $1 AND customer_ref = $2", [.int(company), .text(customerRef)])?.int(0)
        else { throw StoreError.notFound("customer \(customerRef) does not exist") }
        try await c.execute("UPDATE customer SET open_orders = $3 WHERE company_id = $1 AND customer_ref = $2", [.int(company), .text(customerRef), .int(amountMinor)])
        try await Audit.record(
            c, company: company, actor: actor, action: "customer.open_orders", entity: "customer", ref: customerRef, before: ["open_orders": String(old)],
            after: ["open_orders": String(amountMinor)], at: now)
    }

    public static func requestLimit(
        _ c: any Connection, company: Int64, customerRef: String, amountText: String, reason: String, actor: String, now: Int64
    ) async throws -> CreditLimitRequest {
        guard let cu = try await c.first("SELECT id, currency, credit_limit FROM customer WHERE company_id = $1 AND customer_ref = $2", [.int(company), .text(customerRef)])
        else { throw StoreError.notFound("customer \(customerRef) does not exist") }
        guard let cur = cu.textOrNil(1).flatMap(Currency.init(code:)) else {
            throw StoreError.invalid(field: "customer", "\(customerRef) has no currency; set the customer's currency first (its limit is in that currency)")
        }
        let amount: Int64
        switch Money.parseMinor(amountText, currency: cur) {
        case .success(let m) where m >= 0: amount = m
        case .success: throw StoreError.invalid(field: "limit", "must be 0 or more")
        case .failure(let e): throw StoreError.invalid(field: "limit", "\"\(amountText)\": \(e)")
        }
        if try await c.first("SELECT 1 FROM credit_limit_request WHERE company_id = $1 AND customer_id = $2 AND status = 'pending'", [.int(company), .int(cu.int(0))]) != nil {
            throw StoreError.conflict("\(customerRef) already has a pending credit-limit request; decide it first")
        }
        let id = try await c.first(
            """
            INSERT INTO credit_limit_request (company_id, customer_id, currency, current_limit, requested_limit, reason, status, requested_by, requested_at)
            VALUES ($1, $2, $3, $4, $5, $6, 'pending', $7, $8) RETURNING id
            """, [.int(company), .int(cu.int(0)), .text(cur.code), .of(cu.intOrNil(2)), .int(amount), .text(reason), .text(actor), .int(now)])!.int(0)
        try await Audit.record(
            c, company: company, actor: actor, action: "credit_limit.request", entity: "customer", ref: customerRef,
            before: ["credit_limit": cu.intOrNil(2).map { String($0) } ?? ""], after: ["requested": String(amount), "request": String(id)], at: now)
        return try await request(c, company: company, id: id)!
    }

    public static func request(_ c: any Connection, company: Int64, id: Int64) async throws -> CreditLimitRequest? {
        try await requests(c, company: company, status: nil, after: id - 1, limit: 1).first { $0.id == id }
    }

    public static func requests(_ c: any Connection, company: Int64, status: String?, after: Int64, limit: Int) async throws -> [CreditLimitRequest] {
        var sql = """
            SELECT r.id, cu.customer_ref, r.currency, r.current_limit, r.requested_limit, r.reason, r.status, r.requested_by, r.decided_by, r.decision_note
            FROM credit_limit_request r JOIN customer cu ON cu.company_id = r.company_id AND cu.id = r.customer_id WHERE r.company_id = $1 AND r.id > $2
            """
        var binds: [SQLValue] = [.int(company), .int(after)]
        if let status {
            binds.append(.text(status))
            sql += " AND r.status = $3"
        }
        binds.append(.int(Int64(limit)))
        sql += " ORDER BY r.id LIMIT $\(binds.count)"
        return try await c.query(sql, binds).compactMap { r in
            guard let cur = Currency(code: r.text(2)) else { return nil }
            return CreditLimitRequest(
                id: r.int(0), customerRef: r.text(1), currency: cur, currentMinor: r.intOrNil(3), requestedMinor: r.int(4), reason: r.text(5), status: r.text(6),
                requestedBy: r.text(7), decidedBy: r.textOrNil(8), decisionNote: r.textOrNil(9))
        }
    }

    /// Approves (the customer's limit becomes the requested one) or rejects a pending request. The requester cannot
    /// decide it: ``FourEyesViolation``.
    public static func decide(
        _ c: any Connection, company: Int64, id: Int64, approve: Bool, note: String?, actor: String, now: Int64
    ) async throws -> CreditLimitRequest {
        guard let r = try await request(c, company: company, id: id) else { throw StoreError.notFound("credit-limit request \(id) does not exist") }
        guard r.status == "pending" else { throw StoreError.conflict("credit-limit request \(id) is already \(r.status)") }
        if let problem = CreditControl.decisionProblem(requestedBy: r.requestedBy, decidedBy: actor) { throw FourEyesViolation(message: problem) }
        guard try await c.first(
            "UPDATE credit_limit_request SET status = $3, decided_by = $4, decided_at = $5, decision_note = $6 WHERE company_id = $1 AND id = $2 AND status = 'pending' RETURNING id",
            [.int(company), .int(id), .text(approve ? "approved" : "rejected"), .text(actor), .int(now), .of(note)]) != nil
        else { throw StoreError.conflict("credit-limit request \(id) was decided meanwhile") }
        if approve {
            try await c.execute(
                "UPDATE customer SET credit_limit = $3 WHERE company_id = $1 AND customer_ref = $2", [.int(company), .text(r.customerRef), .int(r.requestedMinor)])
        }
        try await Audit.record(
            c, company: company, actor: actor, action: approve ? "credit_limit.approve" : "credit_limit.reject", entity: "customer", ref: r.customerRef,
            before: ["credit_limit": r.currentMinor.map { String($0) } ?? ""], after: ["credit_limit": approve ? String(r.requestedMinor) : (r.currentMinor.map { String($0) } ?? ""),
                                                                                   "request": String(id), "requested_by": r.requestedBy], at: now)
        return try await request(c, company: company, id: id)!
    }

    /// Sets the company's past-due rule (`nil`: no hold for lateness).
    public static func setHoldDays(_ c: any Connection, company: Int64, days: Int?, actor: String, now: Int64) async throws {
        if let days, !(1...3650).contains(days) { throw StoreError.invalid(field: "hold_days_past_due", "\(days) is not 1–3650 days (or null for no rule)") }
        try await c.execute("UPDATE company SET credit_hold_days = $2 WHERE id = $1", [.int(company), .of(days.map { Int64($0) })])
        try await Audit.record(
            c, company: company, actor: actor, action: "settings.credit", entity: "company", ref: nil, before: nil,
            after: ["hold_days_past_due": days.map(String.init) ?? "none"], at: now)
    }
}

/// A decision by the person who asked for it.
public struct FourEyesViolation: Error, Sendable, CustomStringConvertible {
    public var message: String
    public var description: String { message }
}
