/// Contactability of calls (reference §2.9): dials, connects, right-party contacts and promises, with the rates
/// both ways the industry labels them.
public enum Contactability {
    public struct Call: Sendable, Hashable {
        public var customer: String
        public var collector: String
        public var outcome: CallOutcome
        public init(customer: String, collector: String, outcome: CallOutcome) {
            self.customer = customer
            self.collector = collector
            self.outcome = outcome
        }
    }

    public struct Figures: Sendable, Hashable {
        public var dials = 0
        public var connects = 0
        public var rightPartyContacts = 0
        public var promises = 0
        /// Customers called at least once.
        public var accountsWorked = 0
        /// Customers reached (a right-party contact) at least once.
        public var accountsReached = 0

        public var connectRate: Double? { ratio(connects, dials) }
        public var rpcPerDial: Double? { ratio(rightPartyContacts, dials) }
        public var rpcPerConnect: Double? { ratio(rightPartyContacts, connects) }
        public var promisePerRPC: Double? { ratio(promises, rightPartyContacts) }
        public var contactability: Double? { ratio(accountsReached, accountsWorked) }

        func ratio(_ a: Int, _ b: Int) -> Double? { b == 0 ? nil : Double(a) / Double(b) }
    }

    /// Someone answered: every outcome but no answer and a message left on a machine.
    public static func isConnect(_ o: CallOutcome) -> Bool { o != .noAnswer && o != .leftMessage }

    public static func figures(_ calls: [Call]) -> Figures {
        var f = Figures()
        var worked: Set<String> = [], reached: Set<String> = []
        for call in calls {
            f.dials += 1
            worked.insert(call.customer)
            if isConnect(call.outcome) { f.connects += 1 }
            if call.outcome.isRightPartyContact {
                f.rightPartyContacts += 1
                reached.insert(call.customer)
            }
            if call.outcome == .promise { f.promises += 1 }
        }
        f.accountsWorked = worked.count
        f.accountsReached = reached.count
        return f
    }

    /// Overall and per collector (sorted by collector).
    public static func report(_ calls: [Call]) -> (total: Figures, byCollector: [(collector: String, figures: Figures)]) {
        let groups = Dictionary(grouping: calls, by: \.collector)
        return (figures(calls), groups.keys.sorted().map { ($0, figures(groups[$0]!)) })
    }
}

/// Where an open dispute stands against its due date (the SLA the owner committed to).
public enum DisputeSLA: String, Sendable, Hashable, Codable {
    case noDueDate = "no_due_date"
    case withinSLA = "within"
    case overdue

    public static func of(dueDate: LocalDate?, today: LocalDate) -> DisputeSLA {
        guard let dueDate else { return .noDueDate }
        return dueDate < today ? .overdue : .withinSLA
    }
}

/// Default analysis: the most frequent reasons customers give (dispute reasons) or that stop collection (call
/// outcomes that did not reach or convince the payer), ranked by count.
public enum DefaultReasons {
    public struct Reason: Sendable, Hashable {
        /// `dispute` or `call`.
        public var source: String
        public var reason: String
        public var count: Int
        /// Disputed amount per currency (calls carry none).
        public var amountMinorByCurrency: [String: Int64]
        public var share: Double
    }

    /// Call outcomes that count as a reason for non-payment: the payer was not reached or refused.
    public static func isNonPayment(_ o: CallOutcome) -> Bool { o != .rightPartyContact && o != .promise }

    public static func rank(disputes: [(reason: String, currency: String, amountMinor: Int64)], calls: [CallOutcome]) -> [Reason] {
        var rows: [String: Reason] = [:]
        for d in disputes {
            rows["dispute/\(d.reason)", default: Reason(source: "dispute", reason: d.reason, count: 0, amountMinorByCurrency: [:], share: 0)].count += 1
            rows["dispute/\(d.reason)"]!.amountMinorByCurrency[d.currency, default: 0] += d.amountMinor
        }
        for o in calls where isNonPayment(o) {
            rows["call/\(o.rawValue)", default: Reason(source: "call", reason: o.rawValue, count: 0, amountMinorByCurrency: [:], share: 0)].count += 1
        }
        let total = rows.values.reduce(0) { $0 + $1.count }
        return rows.values.map { r in
            var r = r
            r.share = total == 0 ? 0 : Double(r.count) / Double(total)
            return r
        }.sorted { ($0.count, $1.source, $1.reason) > ($1.count, $0.source, $0.reason) }
    }
}
