/// A person who works customers. `key` is the stable handle used everywhere (`customer.collector`, tokens, goals).
public struct Collector: Sendable, Hashable {
    public enum Role: String, Sendable, Hashable, CaseIterable { case collector, manager }
    public var key: String
    public var name: String
    public var email: String?
    public var phone: String?
    public var team: String?
    public var role: Role
    public var active: Bool

    public init(key: String, name: String, email: String? = nil, phone: String? = nil, team: String? = nil, role: Role = .collector, active: Bool = true) {
        self.key = key
        self.name = name
        self.email = email
        self.phone = phone
        self.team = team
        self.role = role
        self.active = active
    }

    /// Problems with a collector's fields, by field name. A key is 1–64 of `a-z 0-9 . _ -` so it reads the same in
    /// URLs, CSV files and tokens.
    public static func problems(key: String, name: String) -> [(field: String, message: String)] {
        var out: [(String, String)] = []
        let allowed = Set("abcdefghijklmnopqrstuvwxyz0123456789._-")
        if key.isEmpty || key.count > 64 || !key.allSatisfy(allowed.contains) {
            out.append(("key", "\"\(key)\" is not a collector key: use 1–64 lowercase letters, digits, '.', '_' or '-'"))
        }
        if name.allSatisfy(\.isWhitespace) { out.append(("name", "a collector needs a name")) }
        return out
    }
}

/// Who a matching customer goes to: one collector, or the active collectors of a team in turn.
public enum PortfolioTarget: Sendable, Hashable {
    case collector(String)
    case team(String)
}

/// One assignment rule. A customer matches when every condition that is set holds; the first matching rule wins.
public struct PortfolioRule: Sendable, Hashable {
    public var name: String
    /// Customer segments (exact, case-insensitive); nil = any.
    public var segments: [String]?
    /// ISO country codes; nil = any.
    public var countries: [String]?
    /// Open balance band in the company's base currency, minor units: `minBalance ≤ balance < maxBalance`.
    public var minBalance: Int64?
    public var maxBalance: Int64?
    public var target: PortfolioTarget

    public init(name: String, segments: [String]? = nil, countries: [String]? = nil, minBalance: Int64? = nil, maxBalance: Int64? = nil, target: PortfolioTarget) {
        self.name = name
        self.segments = segments
        self.countries = countries
        self.minBalance = minBalance
        self.maxBalance = maxBalance
        self.target = target
    }

    public func matches(_ c: PortfolioCustomer) -> Bool {
        if let segments, !segments.contains(where: { $0.caseInsensitiveCompare(c.segment ?? "") == .orderedSame }) { return false }
        if let countries, !countries.contains(where: { $0.caseInsensitiveCompare(c.country ?? "") == .orderedSame }) { return false }
        if let minBalance, c.balanceBase < minBalance { return false }
        if let maxBalance, c.balanceBase >= maxBalance { return false }
        return true
    }
}

/// What the rules need to know of a customer.
public struct PortfolioCustomer: Sendable, Hashable {
    public var id: Int64
    public var ref: String
    public var segment: String?
    public var country: String?
    /// Open balance converted to the base currency (minor units); currencies without a rate count as 0.
    public var balanceBase: Int64
    public var collector: String?
    /// Assigned by hand: rules never move it.
    public var manual: Bool

    public init(id: Int64, ref: String, segment: String?, country: String?, balanceBase: Int64, collector: String?, manual: Bool) {
        self.id = id
        self.ref = ref
        self.segment = segment
        self.country = country
        self.balanceBase = balanceBase
        self.collector = collector
        self.manual = manual
    }
}

/// One customer's new collector and the rule that chose it.
public struct PortfolioMove: Sendable, Hashable {
    public var customerID: Int64
    public var customerRef: String
    public var from: String?
    public var to: String
    public var rule: String
}

public enum PortfolioAssignment {
    /// Problems with a rule set against the known collectors, by JSON path (`rules[1].target`).
    public static func problems(_ rules: [PortfolioRule], collectors: [Collector]) -> [(field: String, message: String)] {
        var out: [(String, String)] = []
        let active = collectors.filter(\.active)
        for (i, r) in rules.enumerated() {
            let at = "rules[\(i)]"
            if r.name.isEmpty { out.append(("\(at).name", "a rule needs a name")) }
            if let lo = r.minBalance, let hi = r.maxBalance, lo >= hi {
                out.append(("\(at).max_balance", "must be above min_balance (\(lo) ≥ \(hi) in minor units)"))
            }
            if let lo = r.minBalance, lo < 0 { out.append(("\(at).min_balance", "must not be negative")) }
            switch r.target {
            case .collector(let k):
                if !active.contains(where: { $0.key == k }) { out.append(("\(at).collector", "\"\(k)\" is not an active collector")) }
            case .team(let t):
                if !active.contains(where: { $0.team == t }) { out.append(("\(at).team", "team \"\(t)\" has no active collector")) }
            }
        }
        if let dup = Dictionary(grouping: rules.indices, by: { rules[$0].name }).first(where: { $0.value.count > 1 && !$0.key.isEmpty }) {
            out.append(("rules[\(dup.value[1])].name", "\"\(dup.key)\" is used by rules[\(dup.value[0])] too"))
        }
        return out
    }

    /// Applies `rules` to `customers` (in the order given — callers pass them sorted by ref so a run is repeatable).
    ///
    /// Contract: a customer assigned by hand never moves; one that already has a collector moves only when
    /// `reassign` is true; a customer no rule matches keeps what it has. Team targets go round-robin over the team's
    /// active collectors sorted by key, starting at `cursors[team]` (0 when absent); the returned cursors are where
    /// the next run continues, so new customers keep rotating across runs.
    public static func plan(
        customers: [PortfolioCustomer], rules: [PortfolioRule], collectors: [Collector], reassign: Bool, cursors: [String: Int]
    ) -> (moves: [PortfolioMove], cursors: [String: Int]) {
        var cursors = cursors
        var teams: [String: [String]] = [:]
        for c in collectors where c.active { if let t = c.team { teams[t, default: []].append(c.key) } }
        for t in teams.keys { teams[t]!.sort() }
        var moves: [PortfolioMove] = []
        for cu in customers where !cu.manual && (reassign || cu.collector == nil) {
            guard let rule = rules.first(where: { $0.matches(cu) }) else { continue }
            let to: String
            switch rule.target {
            case .collector(let k): to = k
            case .team(let t):
                guard let members = teams[t], !members.isEmpty else { continue }
                let i = (cursors[t] ?? 0) % members.count
                to = members[i]
                cursors[t] = (i + 1) % members.count
            }
            if to != cu.collector { moves.append(PortfolioMove(customerID: cu.id, customerRef: cu.ref, from: cu.collector, to: to, rule: rule.name)) }
        }
        return (moves, cursors)
    }
}
