import CobroCore
import Foundation

/// A payment plan as stored, with where it stands as of a date.
public struct PlanRecord: Sendable, Hashable {
    public var id: Int64
    public var customerRef: String
    /// The customer's collector now.
    public var collector: String?
    public var plan: PaymentPlan
    public var invoiceRefs: [String]
    public var status: String
    public var note: String?
    public var createdBy: String
    /// Annual interest rate (``PlanInterest``); `nil` when the plan bears none.
    public var interestRate: Percentage?
    /// The interest included in each installment's amount, in installment order (empty without a rate).
    public var interest: [Money]
    /// The debit note that books the interest (`PLAN-<id>-INT`), when there is any.
    public var interestNoteRef: String?
    /// The evaluation as of the day it was read (`nil` for a cancelled plan).
    public var report: PlanStatusReport?
}

/// Payment plans (acuerdos de pago): a customer settles some invoices in installments. While a plan is active its
/// invoices leave dunning; CobroCore's ``PaymentPlanEvaluation`` judges it against the payments applied to them.
/// A plan that defaults opens a `plan_defaulted` task and its invoices are dunned again; one paid in full completes.
public enum PlanStore {
    /// Creates a plan for `invoiceRefs` of customer `customerRef`. The plan's total must equal what is open on the
    /// invoices; the schedule is checked by ``PaymentPlan/validate()``. Throws `StoreError.invalid` with the field.
    ///
    /// With `interestRate` the installments are principal: each is raised by its ``PlanInterest``, and the interest is
    /// booked as a debit note `PLAN-<id>-INT` (issued on the start date, due with the last installment) that joins
    /// the plan's invoices, so the customer's balance, aging and statement show what the plan really asks for.
    public static func create(
        _ c: any Connection, company: Int64, customerRef: String, invoiceRefs: [String], plan draft: (PaymentPlan) throws -> PaymentPlan,
        interestRate: Percentage? = nil, note: String?, today: LocalDate, actor: String, now: Int64
    ) async throws -> PlanRecord {
        guard let customer = try await LedgerQueries.customerID(c, company: company, ref: customerRef)
        else { throw StoreError.notFound("customer \(customerRef) does not exist") }
        guard !invoiceRefs.isEmpty else { throw StoreError.invalid(field: "invoices", "name the invoices the plan settles") }
        if let dup = Dictionary(grouping: invoiceRefs.indices, by: { invoiceRefs[$0] }).first(where: { $0.value.count > 1 }) {
            throw StoreError.invalid(field: "invoices[\(dup.value[1])]", "\(dup.key) is named twice")
        }
        var ids: [Int64] = [], currencies: Set<String> = [], open: Int64 = 0
        for ref in invoiceRefs {
            guard let r = try await c.first(
                "SELECT id, customer_id, currency, open_amount, kind FROM invoice WHERE company_id = $1 AND ref = $2", [.int(company), .text(ref)])
            else { throw StoreError.invalid(field: "invoices", "unknown invoice \"\(ref)\"") }
            if r.int(1) != customer { throw StoreError.invalid(field: "invoices", "invoice \(ref) belongs to another customer") }
            if r.text(4) == "credit_note" || r.int(3) <= 0 { throw StoreError.invalid(field: "invoices", "\(ref) has nothing open to settle") }
            if try await c.first(
                "SELECT 1 FROM plan_item pi JOIN payment_plan p ON p.company_id = pi.company_id AND p.id = pi.plan_id WHERE pi.company_id = $1 AND pi.invoice_id = $2 AND p.status = 'active'",
                [.int(company), .int(r.int(0))]) != nil
            {
                throw StoreError.invalid(field: "invoices", "\(ref) is already in an active payment plan")
            }
            ids.append(r.int(0))
            currencies.insert(r.text(2))
            open += r.int(3)
        }
        guard currencies.count == 1, let currency = currencies.first.flatMap(Currency.init(code:)) else {
            throw StoreError.invalid(field: "invoices", "the invoices are in \(currencies.sorted().joined(separator: " and ")); a plan is in one currency")
        }
        let principal = try draft(PaymentPlan(
            currency: currency, total: Money(minor: open, currency), installments: [], graceDays: 7, missesToDefault: 2, startDate: today))
        if principal.total.minor != open {
            throw StoreError.invalid(field: "total", "\(principal.total.decimalString) differs from the \(Money(minor: open, currency).decimalString) open on the invoices")
        }
        if principal.startDate < today { throw StoreError.invalid(field: "start_date", "\(principal.startDate.iso) is in the past; a plan starts today (\(today.iso)) or later") }
        let issues = principal.validate()
        if !issues.isEmpty { throw StoreError.invalidFields(issues.map { StoreError.FieldProblem(snake($0.field), $0.message) }) }
        if let rate = interestRate, let problem = PlanInterest.problem(rate) { throw StoreError.invalid(field: "interest_rate", problem) }
        let interest = interestRate.map { PlanInterest.perInstallment(principal, annualRate: $0) } ?? []
        guard interest.reduce(Int128(open), { $0 + Int128($1.minor) }) <= Int128(Int64.max) else {
            throw StoreError.invalid(field: "interest_rate", "the interest does not fit in an amount; shorten the plan or lower the rate")
        }
        let interestTotal = interest.reduce(Int64(0)) { $0 + $1.minor }
        let plan = PlanInterest.applying(interest, to: principal)
        let id = try await c.first(
            """
            INSERT INTO payment_plan (company_id, customer_id, currency, total, down_payment, grace_days, misses_to_default, start_day, status,
                                      note, created_at, created_by, interest_rate_ppm)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'active', $9, $10, $11, $12) RETURNING id
            """,
            [.int(company), .int(customer), .text(currency.code), .int(plan.total.minor), .of(plan.downPayment?.minor), .int(Int64(plan.graceDays)),
             .int(Int64(plan.missesToDefault)), .int(Int64(plan.startDate.dayNumber)), .of(note), .int(now), .text(actor),
             .of(interestRate?.partsPerMillion)])!.int(0)
        try await c.insertRows(
            "plan_installment", columns: ["company_id", "plan_id", "seq", "due_day", "amount", "interest"],
            plan.installments.enumerated().map { (i: Int, row: PaymentPlan.Installment) -> [SQLValue] in
                let extra: Int64 = i < interest.count ? interest[i].minor : 0
                return [.int(company), .int(id), .int(Int64(i)), .int(Int64(row.dueDate.dayNumber)), .int(row.amount.minor), .int(extra)]
            })
        var items = ids
        if interestTotal > 0, let rate = interestRate {
            let ref = "PLAN-\(id)-INT"
            let writer = LedgerWriter(c, company: company, actor: actor, now: now, events: try await EventSink.load(c, company: company))
            let note = Document(
                ref: ref, customerRef: customerRef, kind: .debitNote, issueDate: plan.startDate, dueDate: plan.installments.last!.dueDate, currency: currency,
                amountMinor: interestTotal, description: "Interest at \(rate) a year on payment plan \(id)")
            guard case .success(.inserted(let noteID)) = try await writer.upsertDocument(note, customerID: customer, importID: nil) else {
                throw StoreError.invalid(field: "invoices", "a document \(ref) exists already; the plan's interest cannot be booked under that ref")
            }
            try await c.execute("UPDATE payment_plan SET interest_note_id = $3 WHERE company_id = $1 AND id = $2", [.int(company), .int(id), .int(noteID)])
            items.append(noteID)
        }
        try await c.insertRows("plan_item", columns: ["company_id", "plan_id", "invoice_id"], items.map { [.int(company), .int(id), .int($0)] })
        try await Audit.record(
            c, company: company, actor: actor, action: "plan.create", entity: "customer", ref: customerRef, before: nil,
            after: ["plan": String(id), "total": plan.total.decimalString, "currency": currency.code, "installments": String(plan.installments.count),
                    "invoices": invoiceRefs.joined(separator: " "), "interest_rate": interestRate?.description ?? "none",
                    "interest": Money(minor: interestTotal, currency).decimalString], at: now)
        return try await get(c, company: company, id: id, asOf: today)!
    }

    /// `installments[2].amount` → `installments[2].amount`; `downPayment` → `down_payment` (the API's names).
    static func snake(_ field: String) -> String {
        field.replacing("downPayment", with: "down_payment").replacing("graceDays", with: "grace_days")
            .replacing("missesToDefault", with: "misses_to_default").replacing("startDate", with: "start_date").replacing("dueDate", with: "due_date")
    }

    public static func get(_ c: any Connection, company: Int64, id: Int64, asOf: LocalDate) async throws -> PlanRecord? {
        try await list(c, company: company, status: nil, customerRef: nil, after: id - 1, limit: 1, asOf: asOf).first { $0.id == id }
    }

    /// Plans in id order, each evaluated as of `asOf`; `after` is the last id of the previous page.
    public static func list(
        _ c: any Connection, company: Int64, status: String?, customerRef: String?, after: Int64, limit: Int, asOf: LocalDate
    ) async throws -> [PlanRecord] {
        var sql = """
            SELECT p.id, cu.customer_ref, p.currency, p.total, p.down_payment, p.grace_days, p.misses_to_default, p.start_day, p.status, p.note,
                   p.created_by, cu.collector, p.interest_rate_ppm, n.ref
            FROM payment_plan p JOIN customer cu ON cu.company_id = p.company_id AND cu.id = p.customer_id
            LEFT JOIN invoice n ON n.company_id = p.company_id AND n.id = p.interest_note_id
            WHERE p.company_id = $1 AND p.id > $2
            """
        var binds: [SQLValue] = [.int(company), .int(after)]
        if let status {
            binds.append(.text(status))
            sql += " AND p.status = $\(binds.count)"
        }
        if let customerRef {
            binds.append(.text(customerRef))
            sql += " AND cu.customer_ref = $\(binds.count)"
        }
        binds.append(.int(Int64(limit)))
        sql += " ORDER BY p.id LIMIT $\(binds.count)"
        var out: [PlanRecord] = []
        for r in try await c.query(sql, binds) {
            guard let cur = Currency(code: r.text(2)) else { continue }
            let id = r.int(0)
            let rows = try await c.query(
                "SELECT due_day, amount, interest FROM plan_installment WHERE company_id = $1 AND plan_id = $2 ORDER BY seq", [.int(company), .int(id)])
            let installments = rows.map { PaymentPlan.Installment(dueDate: LocalDate(dayNumber: Int($0.int(0))), amount: Money(minor: $0.int(1), cur)) }
            let rate = r.intOrNil(12).map(Percentage.init(partsPerMillion:))
            let plan = PaymentPlan(
                currency: cur, total: Money(minor: r.int(3), cur), downPayment: r.intOrNil(4).map { Money(minor: $0, cur) }, installments: installments,
                graceDays: Int(r.int(5)), missesToDefault: Int(r.int(6)), startDate: LocalDate(dayNumber: Int(r.int(7))))
            let refs = try await c.query(
                """
                SELECT i.ref FROM plan_item pi JOIN invoice i ON i.company_id = pi.company_id AND i.id = pi.invoice_id
                WHERE pi.company_id = $1 AND pi.plan_id = $2 ORDER BY i.ref
                """, [.int(company), .int(id)]
            ).map { $0.text(0) }
            var report: PlanStatusReport?
            if r.text(8) != "cancelled", case .success(let rep) = PaymentPlanEvaluation.evaluate(plan, payments: try await payments(c, company: company, plan: id, from: plan.startDate), on: asOf) {
                report = rep
            }
            out.append(PlanRecord(
                id: id, customerRef: r.text(1), collector: r.textOrNil(11), plan: plan, invoiceRefs: refs, status: r.text(8), note: r.textOrNil(9),
                createdBy: r.text(10), interestRate: rate, interest: rate == nil ? [] : rows.map { Money(minor: $0.int(2), cur) }, interestNoteRef: r.textOrNil(13),
                report: report))
        }
        return out
    }

    /// What settled the plan's invoices since the plan was agreed: payments and credit notes (a dispute resolved by a
    /// credit note, an early-payment discount) applied to them; an allocation since un-applied does not count.
    static func payments(_ c: any Connection, company: Int64, plan: Int64, from: LocalDate) async throws -> [PlanPayment] {
        var out: [PlanPayment] = []
        try await c.forEach(
            """
            SELECT a.applied_day, a.amount, i.currency FROM allocation a
            JOIN plan_item pi ON pi.company_id = a.company_id AND pi.invoice_id = a.invoice_id JOIN invoice i ON i.company_id = a.company_id AND i.id = a.invoice_id
            JOIN payment_plan p ON p.company_id = pi.company_id AND p.id = pi.plan_id
            WHERE a.company_id = $1 AND pi.plan_id = $2 AND a.reversed_day IS NULL AND a.applied_day >= p.created_at / 86400000
            """, [.int(company), .int(plan)]
        ) { r in
            if let cur = Currency(code: r.text(2)) { out.append(PlanPayment(day: LocalDate(dayNumber: Int(r.int(0))), amount: Money(minor: r.int(1), cur))) }
        }
        return out
    }

    /// Records what active plans have become as of `today`: completed, or defaulted (with a `plan_defaulted` task and
    /// an audit entry; their invoices are dunned again). Returns how many changed.
    @discardableResult
    public static func evaluateActive(_ c: any Connection, company: Int64, today: LocalDate, now: Int64) async throws -> Int {
        var changed = 0
        var after: Int64 = 0
        while true {
            let page = try await list(c, company: company, status: "active", customerRef: nil, after: after, limit: 200, asOf: today)
            for p in page {
                guard let r = p.report, r.status != .active else { continue }
                let status = r.status == .completed ? "completed" : "defaulted"
                guard try await c.first(
                    "UPDATE payment_plan SET status = $3, defaulted_day = $4, completed_day = $5 WHERE company_id = $1 AND id = $2 AND status = 'active' RETURNING id",
                    [.int(company), .int(p.id), .text(status), .of(r.defaultedOn.map { Int64($0.dayNumber) }), .of(r.completedOn.map { Int64($0.dayNumber) })]) != nil
                else { continue }
                try await Audit.record(
                    c, company: company, actor: "plans", action: "plan.\(status)", entity: "customer", ref: p.customerRef, before: ["status": "active"],
                    after: ["plan": String(p.id), "status": status, "paid": r.paidTotal.decimalString], at: now)
                if status == "defaulted" {
                    try await EventSink.load(c, company: company).emit(
                        c, .paymentPlanDefaulted, eventID: "payment_plan.defaulted:\(p.id)",
                        data: ["customer_ref": p.customerRef, "plan_id": p.id, "currency": r.remaining.currency.code, "remaining": r.remaining.decimalString,
                               "missed": r.missedCount, "defaulted_on": (r.defaultedOn ?? today).iso], now: now)
                    try await creditUnearnedInterest(c, company: company, plan: p, endedOn: r.defaultedOn ?? today, today: today, actor: "plans", now: now)
                    try await c.execute(
                        """
                        INSERT INTO task (company_id, customer_id, kind, status, due_day, title, detail, created_at)
                        SELECT $1, id, 'plan_defaulted', 'open', $3, $4, $5, $6 FROM customer WHERE company_id = $1 AND customer_ref = $2
                        """,
                        [.int(company), .text(p.customerRef), .int(Int64(today.dayNumber)),
                         .text("Payment plan \(p.id) of \(p.customerRef) defaulted"),
                         .text("\(r.missedCount) installments missed; \(r.remaining.decimalString) \(r.remaining.currency.code) remains. Reminders for its invoices resume with the next run."),
                         .int(now)])
                }
                changed += 1
            }
            guard let last = page.last, page.count == 200 else { return changed }
            after = last.id
        }
    }

    /// Cancels an active plan (audited); its invoices are dunned again.
    public static func cancel(_ c: any Connection, company: Int64, id: Int64, reason: String, actor: String, now: Int64, today: LocalDate) async throws -> PlanRecord {
        guard let p = try await get(c, company: company, id: id, asOf: today) else { throw StoreError.notFound("payment plan \(id) does not exist") }
        guard p.status == "active", try await c.first(
            "UPDATE payment_plan SET status = 'cancelled' WHERE company_id = $1 AND id = $2 AND status = 'active' RETURNING id", [.int(company), .int(id)]) != nil
        else { throw StoreError.conflict("payment plan \(id) is \(p.status); only an active plan can be cancelled") }
        try await Audit.record(
            c, company: company, actor: actor, action: "plan.cancel", entity: "customer", ref: p.customerRef, before: ["status": "active"],
            after: ["plan": String(id), "reason": reason], at: now)
        try await creditUnearnedInterest(c, company: company, plan: p, endedOn: today, today: today, actor: actor, now: now)
        return try await get(c, company: company, id: id, asOf: today)!
    }

    /// Credits the interest a plan that ended early on `day` did not earn (``PlanInterest/unearned(_:plan:endedOn:)``),
    /// at most what is still open on its interest note: a credit note `PLAN-<id>-INT-CN` dated `today`, applied to
    /// that note and audited. Nothing for a plan without interest, or when nothing is left to credit.
    static func creditUnearnedInterest(
        _ c: any Connection, company: Int64, plan p: PlanRecord, endedOn day: LocalDate, today: LocalDate, actor: String, now: Int64
    ) async throws {
        let unearned = PlanInterest.unearned(p.interest, plan: p.plan, endedOn: day)
        guard unearned.minor > 0, let noteRef = p.interestNoteRef, let note = try await c.first(
            "SELECT id, customer_id, open_amount FROM invoice WHERE company_id = $1 AND ref = $2", [.int(company), .text(noteRef)])
        else { return }
        let amount = min(unearned.minor, note.int(2))
        guard amount > 0 else { return }
        let ref = "\(noteRef)-CN"
        guard let creditID = try await c.first(
            """
            INSERT INTO invoice (company_id, ref, customer_id, kind, issue_day, due_day, currency, amount, open_amount, description, created_at, updated_at)
            VALUES ($1, $2, $3, 'credit_note', $4, $4, $5, $6, $6, $7, $8, $8)
            ON CONFLICT (company_id, ref) DO NOTHING RETURNING id
            """,
            [.int(company), .text(ref), .int(note.int(1)), .int(Int64(today.dayNumber)), .text(p.plan.currency.code), .int(amount),
             .text("Interest not earned on payment plan \(p.id), ended \(day.iso)"), .int(now)])?.int(0)
        else { return }
        let writer = LedgerWriter(c, company: company, actor: actor, now: now, events: try await EventSink.load(c, company: company))
        _ = try await writer.applyCredit(.creditNote(creditID), customerID: note.int(1), currency: p.plan.currency, day: today, named: note.int(0))
        try await Audit.record(
            c, company: company, actor: actor, action: "credit_note.create", entity: "invoice", ref: ref, before: nil,
            after: ["amount": Money(minor: amount, p.plan.currency).decimalString, "currency": p.plan.currency.code, "plan": String(p.id), "invoice": noteRef],
            at: now)
    }
}
