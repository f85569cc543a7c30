/// Payment plan performance (reference §2.8): applies the payments received to a ``PaymentPlan``'s schedule and
/// judges each scheduled payment and the plan as of an evaluation date. Pure: the evaluation date is a parameter.
///
/// ### Schedule
///
/// The *slots* of a plan, in due order: the down payment (if any, due on `startDate`) then the installments.
/// Each slot's *last grace day* is `dueDate + graceDays`.
///
/// ### Applying payments
///
/// Only payments dated on or before the evaluation date are applied (later ones are reported in
/// ``PlanStatusReport/paidAfterEvaluation`` and nothing else). They are applied in date order (the order given does
/// not matter), each fully consumed before the next, always to the oldest slot not yet fully paid: a payment larger
/// than what is owed now pays the following slots in advance. What is left once every slot is paid is
/// ``PlanStatusReport/unapplied``. A slot's `paidOn` is the day of the payment that completed it.
///
/// ### Judging a slot
///
/// - **kept**: fully paid on or before its last grace day (inclusive), whatever the evaluation date: a slot paid
///   in advance is kept before it is due.
/// - **missed**: not fully paid on its last grace day and the evaluation date is after that day. A partial payment
///   is a miss (§2.8). A missed slot paid later stays missed (and has a `paidOn`).
/// - **pending**: otherwise, i.e. not fully paid and the evaluation date is on or before the last grace day.
///
/// ### The plan
///
/// Walking the slots in due order, a missed slot lengthens the current run of misses and a kept slot ends it
/// (pending slots come only after all judged ones). The plan *defaulted* when a run reached `missesToDefault`;
/// ``PlanStatusReport/defaultedOn`` is the day after the last grace day of the slot that completed the first such
/// run. The down payment counts as a slot like any installment. ``PlanStatusReport/status`` is
/// ``PlanStatus/completed`` when every slot is fully paid (``PlanStatusReport/defaultedOn`` stays set if the plan
/// defaulted on the way), else ``PlanStatus/defaulted`` if it defaulted, else ``PlanStatus/active``.
/// Because payments are applied in date order, the result for an evaluation date depends only on the payments up
/// to that date, and a plan that defaulted stays defaulted (or becomes completed) on every later date.
///
/// ### Rates
///
/// Basis points (10 000 = 100 %), rounded half up (`1/3` → 3333, `2/3` → 6667, `1/20 000` → 1), `nil` when the
/// denominator is zero:
/// - ``PlanStatusReport/keptRateBasisPoints`` = kept / (kept + missed) slots;
/// - ``PlanStatusReport/coverageBasisPoints`` = Σ paid / Σ amount over the slots with `dueDate <= evalDate`.
///
/// ### Complexity
///
/// O(P log P + S) for P payments and S slots.
public enum PaymentPlanEvaluation {
    /// Evaluates `plan` with `payments` as of `evalDate`.
    ///
    /// Fails with the first issue of ``PaymentPlan/validate()`` when the plan is not valid, or with an issue on
    /// `payments[i].amount` (0-based index in `payments`) when a payment is not in the plan's currency or is not
    /// greater than zero, or on `payments` when the payments sum beyond what an amount can hold.
    public static func evaluate(
        _ plan: PaymentPlan, payments: [PlanPayment], on evalDate: LocalDate
    ) -> Result<PlanStatusReport, PlanIssue> {
        if let issue = plan.validate().first { return .failure(issue) }
        let currency = plan.currency

        var received = Int128(0)
        for (i, p) in payments.enumerated() {
            if p.amount.currency != currency {
                return .failure(
                    PlanIssue(
                        field: "payments[\(i)].amount",
                        message: "currency \(p.amount.currency.code) must be the plan's currency \(currency.code)"))
            }
            if p.amount.minor <= 0 {
                return .failure(
                    PlanIssue(field: "payments[\(i)].amount", message: "\(p.amount.decimalString) must be greater than 0"))
            }
            received += Int128(p.amount.minor)
        }
        if received > Int128(Int64.max) {
            return .failure(
                PlanIssue(field: "payments", message: "the payments must sum to at most \(Money(minor: .max, currency))"))
        }

        // The slots in due order.
        var slots: [(slot: PlanSlot, dueDate: LocalDate, amount: Int64)] = []
        if let down = plan.downPayment { slots.append((.downPayment, plan.startDate, down.minor)) }
        for (i, inst) in plan.installments.enumerated() {
            slots.append((.installment(index: i), inst.dueDate, inst.amount.minor))
        }

        // Apply the payments up to evalDate, in date order, oldest unpaid slot first.
        let applicable = payments.filter { $0.day <= evalDate }.sorted { $0.day < $1.day }
        var paid = [Int64](repeating: 0, count: slots.count)
        var paidOn = [LocalDate?](repeating: nil, count: slots.count)
        var cursor = 0
        var unapplied: Int64 = 0
        for p in applicable {
            var left = p.amount.minor
            while left > 0, cursor < slots.count {
                let take = min(left, slots[cursor].amount - paid[cursor])
                paid[cursor] += take
                left -= take
                if paid[cursor] == slots[cursor].amount {
                    paidOn[cursor] = p.day
                    cursor += 1
                }
            }
            unapplied += left
        }
        let paidAfterEvaluation = payments.reduce(Int64(0)) { $0 + ($1.day > evalDate ? $1.amount.minor : 0) }

        // Judge each slot, and walk the runs of misses.
        var statuses: [InstallmentStatus] = []
        var kept = 0, missed = 0, pending = 0
        var run = 0
        var defaultedOn: LocalDate?
        var dueAmount: Int64 = 0, duePaid: Int64 = 0
        for (i, s) in slots.enumerated() {
            let lastGraceDay = s.dueDate.adding(days: plan.graceDays)
            let state: InstallmentState
            if let on = paidOn[i], on <= lastGraceDay {
                state = .kept
                kept += 1
                run = 0
            } else if evalDate > lastGraceDay {
                state = .missed
                missed += 1
                run += 1
                if run >= plan.missesToDefault, defaultedOn == nil { defaultedOn = lastGraceDay.adding(days: 1) }
            } else {
                state = .pending
                pending += 1
            }
            if s.dueDate <= evalDate {
                dueAmount += s.amount
                duePaid += paid[i]
            }
            statuses.append(
                InstallmentStatus(
                    slot: s.slot, dueDate: s.dueDate, lastGraceDay: lastGraceDay, amount: Money(minor: s.amount, currency),
                    paid: Money(minor: paid[i], currency), paidOn: paidOn[i], state: state))
        }

        let completed = cursor == slots.count
        let status: PlanStatus = completed ? .completed : (defaultedOn != nil ? .defaulted : .active)
        let paidTotal = paid.reduce(0, +)
        let nextDue = completed
            ? nil
            : PlanNextDue(
                slot: slots[cursor].slot, dueDate: slots[cursor].dueDate,
                amount: Money(minor: slots[cursor].amount - paid[cursor], currency))

        let downStatus = plan.downPayment == nil ? nil : statuses[0]
        return .success(
            PlanStatusReport(
                evaluatedOn: evalDate,
                downPayment: downStatus,
                installments: plan.downPayment == nil ? statuses : Array(statuses.dropFirst()),
                status: status,
                defaultedOn: defaultedOn,
                completedOn: completed ? paidOn[slots.count - 1] : nil,
                keptCount: kept, missedCount: missed, pendingCount: pending,
                keptRateBasisPoints: basisPoints(Int64(kept), of: Int64(kept + missed)),
                coverageBasisPoints: basisPoints(duePaid, of: dueAmount),
                paidTotal: Money(minor: paidTotal, currency),
                remaining: Money(minor: plan.total.minor - paidTotal, currency),
                unapplied: Money(minor: unapplied, currency),
                paidAfterEvaluation: Money(minor: paidAfterEvaluation, currency),
                nextDue: nextDue))
    }

    /// `part / whole` in basis points, rounded half up; `nil` when `whole` is not positive. `part` ≥ 0.
    static func basisPoints(_ part: Int64, of whole: Int64) -> Int? {
        guard whole > 0 else { return nil }
        let twice = 2 * Int128(part) * 10_000 + Int128(whole)
        return Int(twice / (2 * Int128(whole)))
    }
}
