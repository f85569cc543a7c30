/// Payment plan performance over a cohort of plans (reference §2.8): installment kept rate, amount coverage,
/// completion rate and default (broken) rate, overall and per collector.
///
/// Rates are basis points (10 000 = 100 %) rounded half up, `nil` when the denominator is zero. Cancelled plans are
/// counted but left out of every rate: the customer neither kept nor broke them.
public enum PlanPerformance {
    public struct Plan: Sendable, Hashable {
        public var collector: String?
        public var currency: Currency
        /// The evaluation as of the report day; `nil` for a cancelled plan.
        public var report: PlanStatusReport?
        public init(collector: String?, currency: Currency, report: PlanStatusReport?) {
            self.collector = collector
            self.currency = currency
            self.report = report
        }
    }

    /// Amount coverage of one currency: what was paid on the slots due by the report day, of what they asked.
    public struct Coverage: Sendable, Hashable {
        public var currency: Currency
        public var dueMinor: Int64 = 0
        public var paidMinor: Int64 = 0
        public var rateBasisPoints: Int? { ratio(Int128(paidMinor), Int128(dueMinor)) }
        public init(currency: Currency, dueMinor: Int64 = 0, paidMinor: Int64 = 0) {
            self.currency = currency
            self.dueMinor = dueMinor
            self.paidMinor = paidMinor
        }
    }

    public struct Figures: Sendable, Hashable {
        public var plans = 0
        public var cancelled = 0
        public var active = 0
        public var completed = 0
        /// Plans that defaulted at some point, including those paid in full afterwards.
        public var defaulted = 0
        /// Completed, or past the last day of grace of their last slot.
        public var matured = 0
        public var installmentsKept = 0
        public var installmentsMissed = 0
        public var installmentsPending = 0
        public var coverage: [Coverage] = []

        /// Plans not cancelled.
        public var started: Int { plans - cancelled }
        /// kept / (kept + missed): of the installments judged, how many were paid in full within grace.
        public var installmentKeptRate: Int? { ratio(Int128(installmentsKept), Int128(installmentsKept + installmentsMissed)) }
        /// completed / matured.
        public var completionRate: Int? { ratio(Int128(completed), Int128(matured)) }
        /// defaulted / started.
        public var defaultRate: Int? { ratio(Int128(defaulted), Int128(started)) }
    }

    static func ratio(_ n: Int128, _ d: Int128) -> Int? { d == 0 ? nil : Int((2 * n * 10_000 + d) / (2 * d)) }

    public static func figures(_ plans: [Plan]) -> Figures {
        var f = Figures()
        var coverage: [Currency: Coverage] = [:]
        for p in plans {
            f.plans += 1
            guard let r = p.report else {
                f.cancelled += 1
                continue
            }
            switch r.status {
            case .active: f.active += 1
            case .completed: f.completed += 1
            case .defaulted: break
            }
            if r.defaultedOn != nil { f.defaulted += 1 }
            let slots = (r.downPayment.map { [$0] } ?? []) + r.installments
            if r.status == .completed || slots.allSatisfy({ $0.lastGraceDay < r.evaluatedOn }) { f.matured += 1 }
            f.installmentsKept += r.keptCount
            f.installmentsMissed += r.missedCount
            f.installmentsPending += r.pendingCount
            var cov = coverage[p.currency] ?? Coverage(currency: p.currency)
            for s in slots where s.dueDate <= r.evaluatedOn {
                cov.dueMinor += s.amount.minor
                cov.paidMinor += s.paid.minor
            }
            coverage[p.currency] = cov
        }
        f.coverage = coverage.values.sorted { $0.currency.code < $1.currency.code }
        return f
    }

    /// Overall and per collector (sorted; customers without a collector under `nil`, last).
    public static func report(_ plans: [Plan]) -> (total: Figures, byCollector: [(collector: String?, figures: Figures)]) {
        let groups = Dictionary(grouping: plans, by: \.collector)
        let keys = groups.keys.sorted { a, b in
            switch (a, b) {
            case let (a?, b?): return a < b
            case (.some, nil): return true
            default: return false
            }
        }
        return (figures(plans), keys.map { ($0, figures(groups[$0]!)) })
    }
}
