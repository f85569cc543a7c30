import CobroCore
import CobroStore
import Foundation
import Hummingbird

/// `/api/v1` routes for portfolios: collectors and teams, assignment rules and runs, manual assignment with history,
/// the company's exchange rates, and the prioritised worklist.
///
/// A token made for one collector (`cobro token create --collector KEY`) sees its own worklist by default, may not
/// ask for another collector's, and may not change portfolios; a company-wide token (a manager's) sees and changes all.
struct PortfolioController {
    let db: any Database
    let clock: Clock

    func addRoutes(to api: RouterGroup<AppRequestContext>) {
        api.get("collectors", use: listCollectors)
        api.put("collectors/:key", use: putCollector)
        api.get("portfolio/rules", use: getRules)
        api.put("portfolio/rules", use: putRules)
        api.post("portfolio/assign", use: assign)
        api.put("customers/:ref/collector", use: assignByHand)
        api.get("customers/:ref/collector-history", use: history)
        api.get("settings/rates", use: getRates)
        api.put("settings/rates", use: putRates)
        api.get("worklist", use: worklist)
    }

    static func forbidCollectorToken(_ ctx: AppRequestContext) throws {
        if let k = ctx.collector { throw Problem(.forbidden, "Forbidden", detail: "this token acts for collector \(k); portfolios are changed with a manager's token") }
    }

    static func collector(_ v: Collector) -> JSONValue {
        .object([
            ("key", .string(v.key)), ("name", .string(v.name)), ("email", .optional(v.email)), ("phone", .optional(v.phone)), ("team", .optional(v.team)),
            ("role", .string(v.role.rawValue)), ("active", .bool(v.active)),
        ])
    }

    @Sendable func listCollectors(_ req: Request, ctx: AppRequestContext) async throws -> Response {
        let co = try ctx.requireCompany()
        let all = try await db.read { c in try await PortfolioStore.collectors(c, company: co.id) }
        return .json(.object([("data", .array(all.map(Self.collector))), ("next_cursor", .null)]))
    }

    /// Body: `name` (required), `email`, `phone`, `team`, `role` (collector | manager), `active` (default true).
    @Sendable func putCollector(_ req: Request, ctx: AppRequestContext) async throws -> Response {
        let co = try ctx.requireCompany()
        try Self.forbidCollectorToken(ctx)
        let key = try ctx.parameters.require("key")
        var j = try await JSONInput.parse(req)
        let name = j.string("name", required: true)
        let roleText = j.string("role")
        let role = roleText.map { Collector.Role(rawValue: $0) } ?? .collector
        if let roleText, role == nil { j.fail("role", "\"\(roleText)\" is not one of collector, manager") }
        let v = Collector(
            key: key, name: name ?? "", email: j.string("email"), phone: j.string("phone"), team: j.string("team"), role: role ?? .collector, active: j.bool("active") ?? true)
        for p in Collector.problems(key: key, name: v.name) where p.field == "key" { j.fail("key", p.message) }
        try j.check()
        let created = try await db.transaction { c in try await PortfolioStore.upsertCollector(c, company: co.id, v, actor: ctx.actor, now: clock.nowMillis()) }
        return .json(Self.collector(v), status: created ? .created : .ok)
    }

    func rulesJSON(_ rules: [PortfolioRule], base: Currency) -> JSONValue {
        .object([("base_currency", .string(base.code)), ("rules", .array(rules.map { r in
            var f: [(String, JSONValue)] = [("name", .string(r.name))]
            f.append(("segments", r.segments.map { .array($0.map(JSONValue.string)) } ?? .null))
            f.append(("countries", r.countries.map { .array($0.map(JSONValue.string)) } ?? .null))
            f.append(("min_balance", r.minBalance.map { Representation.amount($0, base) } ?? .null))
            f.append(("max_balance", r.maxBalance.map { Representation.amount($0, base) } ?? .null))
            switch r.target {
            case .collector(let k): f += [("collector", .string(k)), ("team", .null)]
            case .team(let t): f += [("collector", .null), ("team", .string(t))]
            }
            return .object(f)
        }))])
    }

    @Sendable func getRules(_ req: Request, ctx: AppRequestContext) async throws -> Response {
        let co = try ctx.requireCompany()
        let rules = try await db.read { c in try await PortfolioStore.rules(c, company: co.id) }
        return .json(rulesJSON(rules, base: co.baseCurrency))
    }

    /// Body: `rules`, an ordered array of `{name, segments?, countries?, min_balance?, max_balance?, collector | team}`;
    /// balances in the base currency. The first matching rule wins.
    @Sendable func putRules(_ req: Request, ctx: AppRequestContext) async throws -> Response {
        let co = try ctx.requireCompany()
        try Self.forbidCollectorToken(ctx)
        var j = try await JSONInput.parse(req)
        guard case .array(let items)? = j.value("rules") else { throw Problem.invalid("rules", "rules is required: an array of rules") }
        var rules: [PortfolioRule] = []
        for (i, item) in items.enumerated() {
            let at = "rules[\(i)]"
            guard case .object(let o) = item else {
                j.fail(at, "expected an object")
                continue
            }
            var r = JSONInput(object: o)
            let name = r.string("name", required: true) ?? ""
            let segments = r.stringArray("segments"), countries = r.stringArray("countries")
            var band: [Int64?] = []
            for key in ["min_balance", "max_balance"] { band.append(r.amount(key, currency: co.baseCurrency, allowZero: true)) }
            let collector = r.string("collector"), team = r.string("team")
            for e in r.errors { j.fail("\(at).\(e.field)", e.message) }
            let target: PortfolioTarget
            switch (collector, team) {
            case (let k?, nil): target = .collector(k)
            case (nil, let t?): target = .team(t)
            default:
                j.fail("\(at).collector", "give exactly one of collector or team")
                continue
            }
            rules.append(PortfolioRule(name: name, segments: segments, countries: countries, minBalance: band[0], maxBalance: band[1], target: target))
        }
        for key in j.object.keys where key != "rules" { j.fail(key, "unknown field; the body has only rules") }
        try j.check()
        let saved = rules
        try await db.transaction { c in try await PortfolioStore.saveRules(c, company: co.id, saved, actor: ctx.actor, now: clock.nowMillis()) }
        return .json(rulesJSON(saved, base: co.baseCurrency))
    }

    /// Body (optional): `reassign` (also move customers that have a collector, except those assigned by hand),
    /// `dry_run` (report the moves, change nothing).
    @Sendable func assign(_ req: Request, ctx: AppRequestContext) async throws -> Response {
        let co = try ctx.requireCompany()
        try Self.forbidCollectorToken(ctx)
        var request = req
        let body = try await request.collectBody(upTo: JSONInput.maxBody)
        var j = body.readableBytes == 0 ? JSONInput(object: [:]) : try JSONInput.parse(body)
        let reassign = j.bool("reassign") ?? false, dryRun = j.bool("dry_run") ?? false
        try j.check()
        let moves = try await db.transaction { c in
            try await PortfolioStore.assign(c, company: co.id, base: co.baseCurrency, reassign: reassign, dryRun: dryRun, actor: ctx.actor, now: clock.nowMillis())
        }
        return .json(.object([
            ("dry_run", .bool(dryRun)), ("moved", .int(moves.count)),
            ("moves", .array(moves.map { m in
                .object([("customer_ref", .string(m.customerRef)), ("from", .optional(m.from)), ("to", .string(m.to)), ("rule", .string(m.rule))])
            })),
        ]))
    }

    static func change(_ v: CollectorChange) -> JSONValue {
        .object([
            ("id", .int(v.id)), ("customer_ref", .string(v.customerRef)), ("previous", .optional(v.previous)), ("collector", .optional(v.collector)),
            ("source", .string(v.source)), ("reason", .optional(v.reason)), ("at", .string(DunningRendering.instant(v.at))), ("by", .string(v.by)),
        ])
    }

    /// Body: `collector` (a key, or null to hand the customer back to the rules), `reason`.
    @Sendable func assignByHand(_ req: Request, ctx: AppRequestContext) async throws -> Response {
        let co = try ctx.requireCompany()
        try Self.forbidCollectorToken(ctx)
        let ref = try ctx.parameters.require("ref")
        var j = try await JSONInput.parse(req)
        if j.object["collector"] == nil { j.fail("collector", "collector is required (a collector key, or null to unassign)") }
        let collector = j.string("collector"), reason = j.string("reason")
        try j.check()
        let change = try await db.transaction { c in
            try await PortfolioStore.assignByHand(c, company: co.id, customerRef: ref, collector: collector, reason: reason, actor: ctx.actor, now: clock.nowMillis())
        }
        return .json(change.map(Self.change) ?? .null)
    }

    @Sendable func history(_ req: Request, ctx: AppRequestContext) async throws -> Response {
        let co = try ctx.requireCompany()
        let ref = try ctx.parameters.require("ref")
        guard let all = try await db.read({ c in try await PortfolioStore.history(c, company: co.id, customerRef: ref) }) else {
            throw Problem.notFound("customer \(ref) does not exist")
        }
        return .json(.object([("data", .array(all.map(Self.change))), ("next_cursor", .null)]))
    }

    func ratesJSON(_ rates: [ExchangeRate], base: Currency) -> JSONValue {
        .object([("base_currency", .string(base.code)), ("rates", .object(rates.map { r in (r.from.code, .number(Self.rateText(r.rateNanos))) }))])
    }

    /// A rate's exact decimal text, without trailing zeros (1085000000 → "1.085").
    static func rateText(_ nanos: Int64) -> String {
        var frac = String(nanos % 1_000_000_000)
        frac = String(repeating: "0", count: 9 - frac.count) + frac
        while frac.hasSuffix("0") { frac.removeLast() }
        return "\(nanos / 1_000_000_000)" + (frac.isEmpty ? "" : ".\(frac)")
    }

    @Sendable func getRates(_ req: Request, ctx: AppRequestContext) async throws -> Response {
        let co = try ctx.requireCompany()
        let rates = try await db.read { c in try await PortfolioStore.rates(c, company: co.id, base: co.baseCurrency) }
        return .json(ratesJSON(rates, base: co.baseCurrency))
    }

    /// Body: `rates`, an object of currency → units of the base currency per unit (`{"EUR": "1.085"}`); replaces all.
    @Sendable func putRates(_ req: Request, ctx: AppRequestContext) async throws -> Response {
        let co = try ctx.requireCompany()
        try Self.forbidCollectorToken(ctx)
        var j = try await JSONInput.parse(req)
        guard case .object(let o)? = j.value("rates") else { throw Problem.invalid("rates", "rates is required: an object such as {\"EUR\": \"1.085\"}") }
        var rates: [ExchangeRate] = []
        for (code, v) in o.sorted(by: { $0.key < $1.key }) {
            let text: String
            switch v {
            case .string(let s): text = s
            case .number(let n): text = "\(n)"
            default:
                j.fail("rates.\(code)", "expected a decimal rate, e.g. \"1.085\"")
                continue
            }
            if code == co.baseCurrency.code {
                j.fail("rates.\(code)", "\(code) is the base currency; its rate is 1")
                continue
            }
            switch ExchangeRate.parse("\(code)=\(text)", base: co.baseCurrency) {
            case .success(let r): rates.append(r)
            case .failure(let e): j.fail("rates.\(code)", e.message)
            }
        }
        try j.check()
        let saved = rates
        try await db.transaction { c in try await PortfolioStore.saveRates(c, company: co.id, saved, actor: ctx.actor, now: clock.nowMillis()) }
        return .json(ratesJSON(saved, base: co.baseCurrency))
    }

    /// Query: `collector` (a key; a collector's token defaults to its own), `unassigned=true` (customers nobody has),
    /// `limit` (1–5000, default 100). Without either, a company-wide token gets everyone's worklist.
    @Sendable func worklist(_ req: Request, ctx: AppRequestContext) async throws -> Response {
        let co = try ctx.requireCompany()
        var q = QueryInput(req)
        let asked = q.string("collector"), unassigned = q.bool("unassigned") ?? false
        let limit = q.int("limit", range: 1...5000) ?? 100
        if asked != nil && unassigned { q.errors.append(.init(field: "unassigned", message: "give either collector or unassigned=true, not both")) }
        try q.check()
        let scope: WorklistScope
        if let mine = ctx.collector {
            if let asked, asked != mine { throw Problem(.forbidden, "Forbidden", detail: "this token acts for collector \(mine); it cannot read \(asked)'s worklist") }
            if unassigned { throw Problem(.forbidden, "Forbidden", detail: "this token acts for collector \(mine); the unassigned list is a manager's") }
            scope = .collector(mine)
        } else {
            scope = asked.map(WorklistScope.collector) ?? (unassigned ? .unassigned : .all)
        }
        let today = clock.today(in: co.timezone)
        let entries = try await db.read { c in try await WorklistStore.worklist(c, company: co.id, base: co.baseCurrency, scope: scope, today: today, limit: limit) }
        return .json(WorklistRendering.json(entries, asOf: today, base: co.baseCurrency))
    }
}
