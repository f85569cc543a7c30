/// Which scheduled payment of a ``PaymentPlan`` an ``InstallmentStatus`` is about.
public enum PlanSlot: Sendable, Hashable, CustomStringConvertible {
    /// ``PaymentPlan/downPayment``, due on ``PaymentPlan/startDate``.
    case downPayment
    /// `installments[index]` (0-based).
    case installment(index: Int)

    /// The field name: `downPayment` or `installments[2]`.
    public var description: String {
        switch self {
        case .downPayment: return "downPayment"
        case .installment(let i): return "installments[\(i)]"
        }
    }
}

/// How a scheduled payment stands on the evaluation date (see ``PaymentPlanEvaluation`` for the rule).
public enum InstallmentState: String, Sendable, Hashable {
    /// Fully paid on or before the last day of grace (`dueDate + graceDays`, inclusive).
    case kept
    /// Not fully paid by the last day of grace, and the evaluation date is after it. Stays missed even when paid
    /// in full later (then ``InstallmentStatus/paidOn`` is after ``InstallmentStatus/lastGraceDay``).
    case missed
    /// Not yet judged: not fully paid, and the evaluation date is on or before the last day of grace.
    /// ``InstallmentStatus/paid`` shows any partial payment.
    case pending
}

/// One scheduled payment (the down payment or an installment) as of the evaluation date.
public struct InstallmentStatus: Sendable, Hashable {
    public var slot: PlanSlot
    public var dueDate: LocalDate
    /// `dueDate + graceDays`: the last day a payment still counts as on time.
    public var lastGraceDay: LocalDate
    public var amount: Money
    /// What the evaluation applied to this slot, `0 … amount`.
    public var paid: Money
    /// The day of the payment that made ``paid`` reach ``amount``; `nil` while not fully paid.
    public var paidOn: LocalDate?
    public var state: InstallmentState

    public init(
        slot: PlanSlot, dueDate: LocalDate, lastGraceDay: LocalDate, amount: Money, paid: Money, paidOn: LocalDate?,
        state: InstallmentState
    ) {
        self.slot = slot
        self.dueDate = dueDate
        self.lastGraceDay = lastGraceDay
        self.amount = amount
        self.paid = paid
        self.paidOn = paidOn
        self.state = state
    }

    /// The 0-based index in ``PaymentPlan/installments``; `nil` for the down payment.
    public var index: Int? {
        if case .installment(let i) = slot { return i }
        return nil
    }
    /// `amount - paid`: what is still owed on this slot.
    public var owed: Money { amount - paid }

    /// How the slot is tracked for people on `day` (the evaluation date): ``InstallmentState`` judges it; this also
    /// tells an on-time payment from one that came in grace, and an installment not yet due from a late one.
    public func tracking(on day: LocalDate) -> InstallmentTracking {
        switch state {
        case .missed: return .missed
        case .kept: return (paidOn ?? dueDate) <= dueDate ? .paid : .paidLate
        case .pending: return day > dueDate ? .late : .due
        }
    }
}

/// A slot as tracked for people (issue 4, point 5: paid, late, missed).
public enum InstallmentTracking: String, Sendable, Hashable, CaseIterable {
    /// Not yet due (or due today), not fully paid.
    case due
    /// Fully paid on or before its due date.
    case paid
    /// Fully paid after its due date but within grace: kept, late.
    case paidLate = "paid_late"
    /// Past its due date, not fully paid, still within grace: it becomes missed the day after grace.
    case late
    /// Not fully paid by the last day of grace.
    case missed
}

/// The plan as a whole.
public enum PlanStatus: String, Sendable, Hashable {
    /// Neither completed nor defaulted.
    case active
    /// Every scheduled payment is fully paid (even if the plan defaulted on the way: see
    /// ``PlanStatusReport/defaultedOn``).
    case completed
    /// Defaulted (broken) and not fully paid.
    case defaulted
}

/// The first scheduled payment not fully paid, and what is still owed on it.
public struct PlanNextDue: Sendable, Hashable {
    public var slot: PlanSlot
    public var dueDate: LocalDate
    /// Still owed on that slot (its amount less any partial payment).
    public var amount: Money

    public init(slot: PlanSlot, dueDate: LocalDate, amount: Money) {
        self.slot = slot
        self.dueDate = dueDate
        self.amount = amount
    }
}

/// The result of ``PaymentPlanEvaluation/evaluate(_:payments:on:)``. Every amount is in the plan's currency.
public struct PlanStatusReport: Sendable, Hashable {
    /// The evaluation date given.
    public var evaluatedOn: LocalDate
    /// The down payment, when the plan has one.
    public var downPayment: InstallmentStatus?
    /// One entry per ``PaymentPlan/installments`` element, same order.
    public var installments: [InstallmentStatus]
    public var status: PlanStatus
    /// The day the plan defaulted: `lastGraceDay + 1` of the missed slot that completed the first run of
    /// ``PaymentPlan/missesToDefault`` consecutive misses. Set whenever that happened, also when ``status`` is
    /// ``PlanStatus/completed`` because everything was paid later.
    public var defaultedOn: LocalDate?
    /// The day the last scheduled payment became fully paid; `nil` unless ``status`` is ``PlanStatus/completed``.
    public var completedOn: LocalDate?
    /// Slots (down payment included) in each state.
    public var keptCount: Int
    public var missedCount: Int
    public var pendingCount: Int
    /// `kept / (kept + missed)` in basis points (10 000 = 100 %), rounded half up; `nil` when nothing is judged yet.
    public var keptRateBasisPoints: Int?
    /// `Σ paid / Σ amount` over the slots with `dueDate <= evaluatedOn`, in basis points, rounded half up; `nil` when
    /// nothing is due yet. Payments made in advance on slots not yet due are not counted.
    public var coverageBasisPoints: Int?
    /// Σ ``InstallmentStatus/paid``: what the payments settled, at most the plan total.
    public var paidTotal: Money
    /// Plan total less ``paidTotal``.
    public var remaining: Money
    /// Payments (dated on or before the evaluation date) beyond the plan total: overpayment, not applied to anything.
    public var unapplied: Money
    /// Payments dated after the evaluation date: not applied, not counted anywhere else.
    public var paidAfterEvaluation: Money
    /// The first slot not fully paid and what is still owed on it; `nil` when the plan is fully paid.
    public var nextDue: PlanNextDue?

    public init(
        evaluatedOn: LocalDate, downPayment: InstallmentStatus?, installments: [InstallmentStatus], status: PlanStatus,
        defaultedOn: LocalDate?, completedOn: LocalDate?, keptCount: Int, missedCount: Int, pendingCount: Int,
        keptRateBasisPoints: Int?, coverageBasisPoints: Int?, paidTotal: Money, remaining: Money, unapplied: Money,
        paidAfterEvaluation: Money, nextDue: PlanNextDue?
    ) {
        self.evaluatedOn = evaluatedOn
        self.downPayment = downPayment
        self.installments = installments
        self.status = status
        self.defaultedOn = defaultedOn
        self.completedOn = completedOn
        self.keptCount = keptCount
        self.missedCount = missedCount
        self.pendingCount = pendingCount
        self.keptRateBasisPoints = keptRateBasisPoints
        self.coverageBasisPoints = coverageBasisPoints
        self.paidTotal = paidTotal
        self.remaining = remaining
        self.unapplied = unapplied
        self.paidAfterEvaluation = paidAfterEvaluation
        self.nextDue = nextDue
    }

    /// The down payment (if any) then the installments: the due order the rules use.
    public var schedule: [InstallmentStatus] { (downPayment.map { [$0] } ?? []) + installments }
}
