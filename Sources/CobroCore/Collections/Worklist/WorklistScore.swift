/// What the worklist knows of one customer with overdue items, as of a day. Amounts are minor units of the
/// company's base currency, converted with the company's stored rates.
public struct WorklistFacts: Sendable, Hashable {
    public var overdueBase: Int64
    /// Part of `overdueBase` under an open or in-review dispute.
    public var disputedBase: Int64
    /// Part of `overdueBase` (not disputed) covered by an open promise to pay or an active payment plan.
    public var coveredBase: Int64
    /// Currencies with overdue items but no rate to the base currency: not in the amounts above.
    public var unconvertedCurrencies: [String]
    public var oldestDaysPastDue: Int
    public var brokenPromises: Int
    /// 0–100 from the payment-prediction model; nil while none is trained.
    public var risk: Int?
    /// Open tasks due on or before the day, oldest first.
    public var dueTasks: [WorklistTask]
    public var hasPhone: Bool
    public var hasEmail: Bool
    /// `agency` or `legal` once handed over.
    public var handOver: String?
    public var creditHold: Bool

    public init(
        overdueBase: Int64, disputedBase: Int64 = 0, coveredBase: Int64 = 0, unconvertedCurrencies: [String] = [], oldestDaysPastDue: Int,
        brokenPromises: Int = 0, risk: Int? = nil, dueTasks: [WorklistTask] = [], hasPhone: Bool = true, hasEmail: Bool = true, handOver: String? = nil,
        creditHold: Bool = false
    ) {
        self.overdueBase = overdueBase
        self.disputedBase = disputedBase
        self.coveredBase = coveredBase
        self.unconvertedCurrencies = unconvertedCurrencies
        self.oldestDaysPastDue = oldestDaysPastDue
        self.brokenPromises = brokenPromises
        self.risk = risk
        self.dueTasks = dueTasks
        self.hasPhone = hasPhone
        self.hasEmail = hasEmail
        self.handOver = handOver
        self.creditHold = creditHold
    }
}

/// Something due for the customer: an open task, or a follow-up the worklist derives from a standing promise or an
/// open dispute.
public struct WorklistTask: Sendable, Hashable {
    /// The task's id; `nil` for a derived follow-up (it is closed by what it follows, not as a task).
    public var id: Int64?
    /// A task kind as stored (`call`, `promise_broken`, `plan_defaulted`, `dispute_overdue`, `delivery_failed`,
    /// `hand_over`), or a derived follow-up: `promise_follow_up` (a standing promise has reached its date: check the
    /// payment came in) or `dispute_deadline` (an open dispute is due within ``WorklistScore/disputeDeadlineDays``).
    public var kind: String
    public var title: String
    public var due: LocalDate
    /// What a derived follow-up is about: `promise 3`, `dispute 5`.
    public var about: String?

    public init(id: Int64?, kind: String, title: String, due: LocalDate, about: String? = nil) {
        self.id = id
        self.kind = kind
        self.title = title
        self.due = due
        self.about = about
    }
}

/// One line of a score's explanation. `points` are hundredths (1234 = 12.34 points).
public struct ScoreFactor: Sendable, Hashable {
    public var factor: String
    public var points: Int
    public var detail: String
}

/// What the collector should do next, with the reason in words.
public struct NextAction: Sendable, Hashable {
    public enum Kind: String, Sendable, Hashable, CaseIterable {
        case resolveDispute = "resolve_dispute"
        case callBrokenPromise = "call_broken_promise"
        case callDefaultedPlan = "call_defaulted_plan"
        case call
        case fixContact = "fix_contact"
        case findContact = "find_contact"
        case followUpAgency = "follow_up_agency"
        case considerHandOver = "consider_hand_over"
        case sendStatement = "send_statement"
        case wait
    }
    public var kind: Kind
    public var reason: String
}

/// The worklist's priority score: a sum of a few factors, each shown to the collector with its points.
///
/// Factors (points; the score is their sum, never below 0):
/// - `overdue_amount`: up to 40, `40 × A / (A + H)` where A is the overdue amount in the base currency and H =
///   10,000 units of it (so 10,000 overdue scores 20, 30,000 scores 30): big balances first, without one customer
///   dwarfing everyone else.
/// - `disputed`, `promised_or_planned`: minus the amount points of the overdue part under an open dispute, or
///   covered by an open promise or an active plan — those wait on someone else, so they lower the priority.
/// - `days_past_due`: the oldest overdue item's days / 3, up to 30 (90 days and more).
/// - `broken_promises`: 10 per broken promise, up to 20.
/// - `risk`: predicted risk / 10, up to 10 (0 until a prediction model is trained).
/// - `tasks_due`: 10 when a task is due today or earlier.
public enum WorklistScore {
    public static let amountCap = 4000, halfAmountUnits: Int64 = 10_000, ageCap = 3000, brokenEach = 1000, brokenCap = 2000, riskCap = 1000, taskPoints = 1000
    /// An open dispute shows as a `dispute_deadline` follow-up from this many days before its due date.
    public static let disputeDeadlineDays = 3

    /// Amount points (hundredths) of `amount` minor units of a currency with `exponent` decimals.
    public static func amountPoints(_ amount: Int64, exponent: Int) -> Int {
        guard amount > 0 else { return 0 }
        var h = halfAmountUnits
        for _ in 0..<exponent { h *= 10 }
        // 40 × A / (A + H) in hundredths, rounded half up, in wide integers so any amount is safe.
        let num = Int128(amountCap) * Int128(amount) * 2 + Int128(amount) + Int128(h)
        return Int(num / (2 * (Int128(amount) + Int128(h))))
    }

    /// The score's factors for one customer; `money` formats a base-currency amount for the explanations.
    public static func factors(_ f: WorklistFacts, exponent: Int, money: (Int64) -> String) -> [ScoreFactor] {
        let all = amountPoints(f.overdueBase, exponent: exponent)
        let afterDisputes = amountPoints(max(0, f.overdueBase - f.disputedBase), exponent: exponent)
        let actionable = amountPoints(max(0, f.overdueBase - f.disputedBase - f.coveredBase), exponent: exponent)
        var unconverted = ""
        if !f.unconvertedCurrencies.isEmpty { unconverted = "; \(f.unconvertedCurrencies.joined(separator: ", ")) not counted (no rate)" }
        var out = [ScoreFactor(factor: "overdue_amount", points: all, detail: "\(money(f.overdueBase)) overdue\(unconverted)")]
        if f.disputedBase > 0 { out.append(ScoreFactor(factor: "disputed", points: afterDisputes - all, detail: "\(money(f.disputedBase)) under dispute")) }
        if f.coveredBase > 0 {
            out.append(ScoreFactor(factor: "promised_or_planned", points: actionable - afterDisputes, detail: "\(money(f.coveredBase)) under a promise or plan"))
        }
        out.append(ScoreFactor(
            factor: "days_past_due", points: min(ageCap, max(0, f.oldestDaysPastDue) * 100 / 3), detail: "oldest item \(f.oldestDaysPastDue) days past due"))
        if f.brokenPromises > 0 {
            out.append(ScoreFactor(
                factor: "broken_promises", points: min(brokenCap, f.brokenPromises * brokenEach),
                detail: "\(f.brokenPromises) broken promise\(f.brokenPromises == 1 ? "" : "s")"))
        }
        if let risk = f.risk {
            out.append(ScoreFactor(factor: "risk", points: min(riskCap, max(0, risk) * 10), detail: "predicted risk \(risk)/100"))
        } else {
            out.append(ScoreFactor(factor: "risk", points: 0, detail: "no prediction yet"))
        }
        if let t = f.dueTasks.first {
            out.append(ScoreFactor(factor: "tasks_due", points: taskPoints, detail: "\(f.dueTasks.count) task\(f.dueTasks.count == 1 ? "" : "s") due, oldest \(t.due.iso)"))
        }
        return out
    }

    /// The score in hundredths: the sum of the factors, at least 0.
    public static func total(_ factors: [ScoreFactor]) -> Int { max(0, factors.reduce(0) { $0 + $1.points }) }

    /// The next best action, first rule that applies: an agency or lawyer has the account; a due task says what to
    /// do (dispute past its date, broken promise, defaulted plan, a call step, a failed delivery); nothing to chase
    /// while all of it is disputed, promised or planned; no way to reach the customer; long overdue; otherwise call
    /// (or email a statement when there is no phone).
    public static func nextAction(_ f: WorklistFacts) -> NextAction {
        if let h = f.handOver { return NextAction(kind: .followUpAgency, reason: "the account is handed over (\(h)); follow up with them") }
        let kinds = Set(f.dueTasks.map(\.kind))
        if kinds.contains("dispute_overdue") { return NextAction(kind: .resolveDispute, reason: "a dispute is past its due date") }
        if kinds.contains("dispute_deadline") { return NextAction(kind: .resolveDispute, reason: "a dispute is due in the next days") }
        if kinds.contains("promise_broken") { return NextAction(kind: .callBrokenPromise, reason: "a promise to pay was broken") }
        if kinds.contains("plan_defaulted") { return NextAction(kind: .callDefaultedPlan, reason: "a payment plan defaulted") }
        if kinds.contains("call") { return NextAction(kind: .call, reason: "a reminder step asks for a call") }
        if kinds.contains("delivery_failed") { return NextAction(kind: .fixContact, reason: "a reminder could not be delivered") }
        if f.overdueBase > 0, f.overdueBase - f.disputedBase - f.coveredBase <= 0, f.unconvertedCurrencies.isEmpty {
            return NextAction(kind: .wait, reason: "everything overdue is disputed, promised or in a plan")
        }
        if !f.hasPhone && !f.hasEmail { return NextAction(kind: .findContact, reason: "no phone or email on file") }
        if f.oldestDaysPastDue > 120 { return NextAction(kind: .considerHandOver, reason: "oldest item more than 120 days past due") }
        if f.hasPhone { return NextAction(kind: .call, reason: "overdue for \(f.oldestDaysPastDue) days") }
        return NextAction(kind: .sendStatement, reason: "no phone on file; send the statement by email")
    }
}
