import CobroCore
import Foundation

/// One change of a customer's collector, as kept in the history.
public struct CollectorChange: Sendable, Hashable {
    public var id: Int64
    public var customerRef: String
    public var previous: String?
    public var collector: String?
    /// `rule`, `manual` or `escalation`.
    public var source: String
    public var reason: String?
    public var at: Int64
    public var by: String
}

/// Portfolios: collectors and teams, the company's assignment rules (CobroCore ``PortfolioAssignment``), manual
/// assignment, and the history of every customer's collector. Every change is audited.
public enum PortfolioStore {
    // MARK: collectors

    public static func collectors(_ c: any Connection, company: Int64) async throws -> [Collector] {
        try await c.query("SELECT handle, name, email, phone, team, role, active FROM collector WHERE company_id = $1 ORDER BY handle", [.int(company)]).map {
            Collector(
                key: $0.text(0), name: $0.text(1), email: $0.textOrNil(2), phone: $0.textOrNil(3), team: $0.textOrNil(4),
                role: Collector.Role(rawValue: $0.text(5)) ?? .collector, active: $0.bool(6))
        }
    }

    /// Creates or updates a collector (audited with the values before and after). Returns whether it was new.
    @discardableResult
    public static func upsertCollector(_ c: any Connection, company: Int64, _ v: Collector, actor: String, now: Int64) async throws -> Bool {
        if let p = Collector.problems(key: v.key, name: v.name).first { throw StoreError.invalid(field: p.field, p.message) }
        let before = try await collectors(c, company: company).first { $0.key == v.key }
        let binds: [SQLValue] = [.int(company), .text(v.key), .text(v.name), .of(v.email), .of(v.phone), .of(v.team), .text(v.role.rawValue), .of(v.active), .int(now)]
        if before == nil {
            try await c.execute(
                """
                INSERT INTO collector (company_id, handle, name, email, phone, team, role, active, created_at, updated_at)
                VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9)
                """, binds)
        } else {
            try await c.execute(
                "UPDATE collector SET name = $3, email = $4, phone = $5, team = $6, role = $7, active = $8, updated_at = $9 WHERE company_id = $1 AND handle = $2",
                binds)
        }
        try await Audit.record(
            c, company: company, actor: actor, action: before == nil ? "collector.create" : "collector.update", entity: "collector", ref: v.key,
            before: before.map(fields), after: fields(v), at: now)
        return before == nil
    }

    static func fields(_ v: Collector) -> [String: String] {
        ["name": v.name, "email": v.email ?? "", "phone": v.phone ?? "", "team": v.team ?? "", "role": v.role.rawValue, "active": v.active ? "true" : "false"]
    }

    // MARK: rules

    /// The company's assignment rules, in order (none until some are saved).
    public static func rules(_ c: any Connection, company: Int64) async throws -> [PortfolioRule] {
        guard let r = try await c.first("SELECT document FROM portfolio_rules WHERE company_id = $1", [.int(company)]),
            let list = (try? JSONSerialization.jsonObject(with: Data(r.text(0).utf8))) as? [[String: Any]]
        else { return [] }
        return list.compactMap { d in
            let target: PortfolioTarget
            if let k = d["collector"] as? String { target = .collector(k) } else if let t = d["team"] as? String { target = .team(t) } else { return nil }
            return PortfolioRule(
                name: d["name"] as? String ?? "", segments: d["segments"] as? [String], countries: d["countries"] as? [String],
                minBalance: (d["min_balance_minor"] as? NSNumber)?.int64Value, maxBalance: (d["max_balance_minor"] as? NSNumber)?.int64Value, target: target)
        }
    }

    /// Replaces the rules after checking them against the active collectors (every problem with its path).
    public static func saveRules(_ c: any Connection, company: Int64, _ rules: [PortfolioRule], actor: String, now: Int64) async throws {
        let problems = PortfolioAssignment.problems(rules, collectors: try await collectors(c, company: company))
        if !problems.isEmpty { throw StoreError.invalidFields(problems.map { StoreError.FieldProblem($0.field, $0.message) }) }
        let before = try await c.first("SELECT document FROM portfolio_rules WHERE company_id = $1", [.int(company)])?.text(0)
        let doc = document(rules)
        if before == nil {
            try await c.execute("INSERT INTO portfolio_rules (company_id, document, updated_at, updated_by) VALUES ($1, $2, $3, $4)", [.int(company), .text(doc), .int(now), .text(actor)])
        } else {
            try await c.execute("UPDATE portfolio_rules SET document = $2, updated_at = $3, updated_by = $4 WHERE company_id = $1", [.int(company), .text(doc), .int(now), .text(actor)])
        }
        try await Audit.record(
            c, company: company, actor: actor, action: "portfolio.rules", entity: "portfolio_rules", ref: nil, before: before.map { ["rules": $0] },
            after: ["rules": doc], at: now)
    }

    static func document(_ rules: [PortfolioRule]) -> String {
        let list: [[String: Any]] = rules.map { r in
            var d: [String: Any] = ["name": r.name]
            if let s = r.segments { d["segments"] = s }
            if let s = r.countries { d["countries"] = s }
            if let v = r.minBalance { d["min_balance_minor"] = v }
            if let v = r.maxBalance { d["max_balance_minor"] = v }
            switch r.target {
            case .collector(let k): d["collector"] = k
            case .team(let t): d["team"] = t
            }
            return d
        }
        let data = (try? JSONSerialization.data(withJSONObject: list, options: [.sortedKeys])) ?? Data("[]".utf8)
        return String(decoding: data, as: UTF8.self)
    }

    // MARK: exchange rates

    /// The company's rates into its base currency.
    public static func rates(_ c: any Connection, company: Int64, base: Currency) async throws -> [ExchangeRate] {
        try await c.query("SELECT currency, rate_nanos FROM fx_rate WHERE company_id = $1 ORDER BY currency", [.int(company)]).compactMap { r in
            Currency(code: r.text(0)).map { ExchangeRate(from: $0, to: base, rateNanos: r.int(1)) }
        }
    }

    /// Replaces the company's rates (audited).
    public static func saveRates(_ c: any Connection, company: Int64, _ rates: [ExchangeRate], actor: String, now: Int64) async throws {
        let before = try await c.query("SELECT currency, rate_nanos FROM fx_rate WHERE company_id = $1", [.int(company)])
        try await c.execute("DELETE FROM fx_rate WHERE company_id = $1", [.int(company)])
        try await c.insertRows(
            "fx_rate", columns: ["company_id", "currency", "rate_nanos", "updated_at", "updated_by"],
            rates.map { [.int(company), .text($0.from.code), .int($0.rateNanos), .int(now), .text(actor)] })
        try await Audit.record(
            c, company: company, actor: actor, action: "settings.rates", entity: "fx_rate", ref: nil,
            before: Dictionary(before.map { ($0.text(0), String($0.int(1))) }, uniquingKeysWith: { a, _ in a }),
            after: Dictionary(rates.map { ($0.from.code, String($0.rateNanos)) }, uniquingKeysWith: { a, _ in a }), at: now)
    }

    // MARK: assignment

    /// Applies the rules to the company's customers (sorted by ref): only unassigned ones, or every customer not
    /// assigned by hand when `reassign`. A dry run returns the moves and changes nothing.
    public static func assign(_ c: any Connection, company: Int64, base: Currency, reassign: Bool, dryRun: Bool, actor: String, now: Int64) async throws -> [PortfolioMove] {
        let rules = try await rules(c, company: company)
        if rules.isEmpty { throw StoreError.invalid(field: "rules", "the company has no assignment rules yet; PUT /api/v1/portfolio/rules first") }
        let collectors = try await collectors(c, company: company)
        let rateFor = Dictionary(try await rates(c, company: company, base: base).map { ($0.from.code, $0) }, uniquingKeysWith: { a, _ in a })
        var balance: [Int64: Int64] = [:]
        try await c.forEach(
            """
            SELECT customer_id, currency, CAST(SUM(open_amount) AS BIGINT) FROM invoice
            WHERE company_id = $1 AND open_amount > 0 AND kind <> 'credit_note' GROUP BY customer_id, currency
            """, [.int(company)]
        ) { r in
            let minor = r.int(2)
            let inBase = r.text(1) == base.code ? minor : rateFor[r.text(1)]?.convertChecked(minor)
            if let inBase { balance[r.int(0), default: 0] += inBase }
        }
        var customers: [PortfolioCustomer] = []
        try await c.forEach(
            "SELECT id, customer_ref, segment, country, collector, collector_manual FROM customer WHERE company_id = $1 ORDER BY customer_ref", [.int(company)]
        ) { r in
            customers.append(PortfolioCustomer(
                id: r.int(0), ref: r.text(1), segment: r.textOrNil(2), country: r.textOrNil(3), balanceBase: balance[r.int(0)] ?? 0, collector: r.textOrNil(4),
                manual: r.bool(5)))
        }
        var cursors: [String: Int] = [:]
        for r in try await c.query("SELECT team, next_index FROM portfolio_cursor WHERE company_id = $1", [.int(company)]) { cursors[r.text(0)] = Int(r.int(1)) }
        let (moves, next) = PortfolioAssignment.plan(customers: customers, rules: rules, collectors: collectors, reassign: reassign, cursors: cursors)
        if dryRun { return moves }
        for m in moves {
            try await change(c, company: company, customerID: m.customerID, customerRef: m.customerRef, from: m.from, to: m.to, manual: false, source: "rule", reason: m.rule, actor: actor, now: now)
        }
        if moves.count >= 1000 { try await c.refreshStatistics(["customer", "collector_assignment"]) }
        for (team, index) in next where cursors[team] != index {
            try await c.execute("DELETE FROM portfolio_cursor WHERE company_id = $1 AND team = $2", [.int(company), .text(team)])
            try await c.execute("INSERT INTO portfolio_cursor (company_id, team, next_index) VALUES ($1, $2, $3)", [.int(company), .text(team), .int(Int64(index))])
        }
        return moves
    }

    /// Assigns a customer by hand (rules leave it alone afterwards); `nil` unassigns it and hands it back to the rules.
    public static func assignByHand(_ c: any Connection, company: Int64, customerRef: String, collector: String?, reason: String?, actor: String, now: Int64) async throws -> CollectorChange? {
        guard let r = try await c.first("SELECT id, collector FROM customer WHERE company_id = $1 AND customer_ref = $2", [.int(company), .text(customerRef)])
        else { throw StoreError.notFound("customer \(customerRef) does not exist") }
        if let collector, try await collectors(c, company: company).first(where: { $0.key == collector && $0.active }) == nil {
            throw StoreError.invalid(field: "collector", "\"\(collector)\" is not an active collector")
        }
        try await change(c, company: company, customerID: r.int(0), customerRef: customerRef, from: r.textOrNil(1), to: collector, manual: collector != nil, source: "manual", reason: reason, actor: actor, now: now)
        return try await history(c, company: company, customerRef: customerRef)?.first
    }

    /// Sets the collector, records the change in the history and the audit log. Also used by dunning escalations.
    static func change(
        _ c: any Connection, company: Int64, customerID: Int64, customerRef: String, from: String?, to: String?, manual: Bool, source: String, reason: String?, actor: String, now: Int64
    ) async throws {
        try await c.execute(
            "UPDATE customer SET collector = $3, collector_manual = $4, updated_at = $5 WHERE company_id = $1 AND id = $2",
            [.int(company), .int(customerID), .of(to), .of(manual), .int(now)])
        try await c.execute(
            """
            INSERT INTO collector_assignment (company_id, customer_id, previous, collector, source, reason, at, changed_by)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
            """, [.int(company), .int(customerID), .of(from), .of(to), .text(source), .of(reason), .int(now), .text(actor)])
        try await Audit.record(
            c, company: company, actor: actor, action: "customer.collector", entity: "customer", ref: customerRef, before: ["collector": from ?? ""],
            after: ["collector": to ?? "", "source": source, "reason": reason ?? ""], at: now)
    }

    /// A customer's collector history, newest first; nil when the customer does not exist.
    public static func history(_ c: any Connection, company: Int64, customerRef: String) async throws -> [CollectorChange]? {
        guard let id = try await LedgerQueries.customerID(c, company: company, ref: customerRef) else { return nil }
        return try await c.query(
            "SELECT id, previous, collector, source, reason, at, changed_by FROM collector_assignment WHERE company_id = $1 AND customer_id = $2 ORDER BY id DESC",
            [.int(company), .int(id)]
        ).map {
            CollectorChange(id: $0.int(0), customerRef: customerRef, previous: $0.textOrNil(1), collector: $0.textOrNil(2), source: $0.text(3), reason: $0.textOrNil(4), at: $0.int(5), by: $0.text(6))
        }
    }
}
