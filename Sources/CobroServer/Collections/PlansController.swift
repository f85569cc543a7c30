import CobroCore
import CobroStore
import Foundation
import Hummingbird

/// `/api/v1` routes for payment plans (acuerdos de pago).
struct PlansController {
    let db: any Database
    let clock: Clock

    func addRoutes(to api: RouterGroup<AppRequestContext>) {
        api.post("customers/:ref/plans", use: create)
        api.get("plans", use: list)
        api.post("plans/:id/cancel", use: cancel)
    }

    static func render(_ p: PlanRecord) -> JSONValue {
        let evaluated = p.report?.evaluatedOn ?? p.plan.startDate
        func slot(_ s: InstallmentStatus) -> JSONValue {
            let interest = s.index.flatMap { $0 < p.interest.count ? p.interest[$0] : nil } ?? Money(minor: 0, s.amount.currency)
            return .object([
                ("due_date", .string(s.dueDate.iso)), ("amount", .number(s.amount.decimalString)), ("interest", .number(interest.decimalString)),
                ("paid", .number(s.paid.decimalString)),
                ("paid_on", s.paidOn.map { .string($0.iso) } ?? .null), ("state", .string(s.state.rawValue)),
                ("tracking", .string(s.tracking(on: evaluated).rawValue)),
            ])
        }
        var fields: [(String, JSONValue)] = [
            ("id", .int(p.id)), ("customer_ref", .string(p.customerRef)), ("currency", .string(p.plan.currency.code)),
            ("total", .number(p.plan.total.decimalString)), ("down_payment", p.plan.downPayment.map { .number($0.decimalString) } ?? .null),
            ("start_date", .string(p.plan.startDate.iso)), ("grace_days", .int(p.plan.graceDays)), ("misses_to_default", .int(p.plan.missesToDefault)),
            ("invoices", .array(p.invoiceRefs.map { .string($0) })), ("status", .string(p.status)), ("note", .optional(p.note)),
            ("created_by", .string(p.createdBy)),
            ("interest_rate", p.interestRate.map { .number($0.percentText) } ?? .null),
            ("interest", p.interestRate.map { _ in .number(p.interest.reduce(Money(minor: 0, p.plan.currency), +).decimalString) } ?? .null),
            ("interest_note", .optional(p.interestNoteRef)),
        ]
        if let r = p.report {
            fields += [
                ("evaluated_on", .string(r.evaluatedOn.iso)), ("evaluation", .string(r.status.rawValue)),
                ("paid", .number(r.paidTotal.decimalString)), ("remaining", .number(r.remaining.decimalString)),
                ("kept_rate_pct", .hundredths(r.keptRateBasisPoints)),
                ("coverage_pct", .hundredths(r.coverageBasisPoints)),
                ("schedule", .array(r.schedule.map(slot))),
            ]
        } else {
            fields += [
                ("evaluated_on", .null), ("evaluation", .null), ("paid", .null), ("remaining", .null), ("kept_rate_pct", .null), ("coverage_pct", .null),
                ("schedule", .array([])),
            ]
        }
        return .object(fields)
    }

    /// Body: `invoices` (refs; the plan settles what is open on them), `installments` ([{`due_date`, `amount`}]),
    /// optional `down_payment` (due on `start_date`, default today), `grace_days` (default 7), `misses_to_default`
    /// (default 2), `interest_rate` (annual percent: the installments are then principal, each raised by its
    /// ``PlanInterest``), `note`. Down payment + installments must equal what is open on the invoices.
    @Sendable func create(_ req: Request, ctx: AppRequestContext) async throws -> Response {
        let co = try ctx.requireCompany()
        let ref = try ctx.parameters.require("ref")
        var j = try await JSONInput.parse(req)
        let invoices = j.stringArray("invoices", required: true) ?? []
        var schedule: [(due: LocalDate?, amount: String?)] = []
        if case .array(let items)? = j.value("installments") {
            for (i, item) in items.enumerated() {
                guard case .object(let o) = item else {
                    j.fail("installments[\(i)]", "expected {\"due_date\": \"YYYY-MM-DD\", \"amount\": \"250.00\"}")
                    continue
                }
                var due: LocalDate?
                if case .string(let s)? = o["due_date"] { due = LocalDate(iso: s) }
                if due == nil { j.fail("installments[\(i)].due_date", "expected a date YYYY-MM-DD") }
                var amount: String?
                switch o["amount"] {
                case .string(let s)?: amount = s
                case .number(let n)?: amount = "\(n)"
                default: j.fail("installments[\(i)].amount", "expected a decimal amount, e.g. \"250.00\"")
                }
                schedule.append((due, amount))
            }
        } else {
            j.fail("installments", "installments is required: a list of {\"due_date\", \"amount\"}")
        }
        let down = j.decimalText("down_payment")
        let start = j.date("start_date")
        let grace = j.int("grace_days", range: 0...90) ?? 7, misses = j.int("misses_to_default", range: 1...12) ?? 2
        let note = j.string("note")
        var rate: Percentage?
        if let text = j.decimalText("interest_rate") {
            switch Percentage.parse(text) {
            case .success(let r):
                if let problem = PlanInterest.problem(r) { j.fail("interest_rate", problem) } else { rate = r }
            case .failure(let e): j.fail("interest_rate", e.description)
            }
        }
        try j.check()
        let today = clock.today(in: co.timezone)
        let (rows, downText, interestRate) = (schedule, down, rate)
        let p = try await db.transaction { c in
            try await PlanStore.create(
                c, company: co.id, customerRef: ref, invoiceRefs: invoices,
                plan: { base in
                    func money(_ text: String, _ field: String) throws -> Money {
                        switch Money.parseMinor(text, currency: base.currency) {
                        case .success(let m): return Money(minor: m, base.currency)
                        case .failure(let e): throw StoreError.invalid(field: field, "\"\(text)\": \(e)")
                        }
                    }
                    var plan = base
                    plan.downPayment = try downText.map { try money($0, "down_payment") }
                    plan.installments = try rows.enumerated().map { i, row in
                        PaymentPlan.Installment(dueDate: row.due!, amount: try money(row.amount!, "installments[\(i)].amount"))
                    }
                    plan.graceDays = grace
                    plan.missesToDefault = misses
                    plan.startDate = start ?? today
                    return plan
                }, interestRate: interestRate, note: note, today: today, actor: ctx.actor, now: clock.nowMillis())
        }
        return .json(Self.render(p), status: .created)
    }

    @Sendable func list(_ req: Request, ctx: AppRequestContext) async throws -> Response {
        let co = try ctx.requireCompany()
        var q = QueryInput(req)
        let page = q.page()
        let status = q.string("status")
        if let status, !["active", "completed", "defaulted", "cancelled"].contains(status) {
            q.errors.append(.init(field: "status", message: "\"\(status)\" is not active, completed, defaulted or cancelled"))
        }
        let customer = q.string("customer")
        try q.check()
        let today = clock.today(in: co.timezone)
        _ = try await db.transaction { c in try await PlanStore.evaluateActive(c, company: co.id, today: today, now: clock.nowMillis()) }
        let rows = try await db.read { c in
            try await PlanStore.list(c, company: co.id, status: status, customerRef: customer, after: page.after, limit: page.limit, asOf: today)
        }
        return .json(Cursor.page(rows, limit: page.limit, id: \.id, render: Self.render))
    }

    /// Body: `reason`.
    @Sendable func cancel(_ req: Request, ctx: AppRequestContext) async throws -> Response {
        let co = try ctx.requireCompany()
        let text = try ctx.parameters.require("id")
        guard let id = Int64(text) else { throw Problem.invalid("id", "\"\(text)\" is not a plan id") }
        var j = try await JSONInput.parse(req)
        let reason = j.string("reason", required: true)
        try j.check()
        let today = clock.today(in: co.timezone)
        let p = try await db.transaction { c in
            try await PlanStore.cancel(c, company: co.id, id: id, reason: reason!, actor: ctx.actor, now: clock.nowMillis(), today: today)
        }
        return .json(Self.render(p))
    }
}
