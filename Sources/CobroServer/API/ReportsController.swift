import CobroCore
import Foundation
import CobroStore
import Hummingbird
import NIOCore

/// `/api/v1/reports/*`: aging, statement and KPIs as JSON (default) or CSV (`format=csv`).
struct ReportsController {
    let db: any Database
    let clock: Clock
    let cache: ReportCache

    func addRoutes(to api: RouterGroup<AppRequestContext>) {
        api.get("reports/aging", use: aging)
        api.get("reports/statement", use: statement)
        api.get("reports/kpis", use: kpis)
        api.get("reports/communication", use: communication)
    }

    /// Communication effectiveness of the messages of runs dated `from`…`to` (default: the last 30 days).
    @Sendable func communication(_ req: Request, ctx: AppRequestContext) async throws -> Response {
        let co = try ctx.requireCompany()
        var q = QueryInput(req)
        let to = q.date("to") ?? clock.today(in: co.timezone)
        let from = q.date("from") ?? to.adding(days: -29)
        let format = q.oneOf("format", [WireFormat.json, .csv]) ?? .json
        if from > to { q.errors.append(.init(field: "from", message: "\(from.iso) is after to (\(to.iso))")) }
        try q.check()
        let tz = TimeZone(identifier: co.timezone) ?? .gmt
        let report = try await db.read { c in try await EffectivenessStore.report(c, company: co.id, timeZone: tz, from: from, to: to) }
        if format == .csv { return .text(EffectivenessRendering.csv(report), contentType: "text/csv; charset=utf-8") }
        return .json(EffectivenessRendering.json(report))
    }


    @Sendable func aging(_ req: Request, ctx: AppRequestContext) async throws -> Response {
        let co = try ctx.requireCompany()
        var q = QueryInput(req)
        let asOf = q.date("as_of") ?? clock.today(in: co.timezone)
        let basis = q.oneOf("basis", AgingBasis.allCases) ?? .dueDate
        let format = q.oneOf("format", [WireFormat.json, .csv]) ?? .json
        var buckets = co.agingBuckets
        if let b = q.string("buckets") {
            switch AgingBuckets.parse(b) {
            case .success(let v): buckets = v
            case .failure(let e): q.errors.append(.init(field: "buckets", message: e.message))
            }
        }
        var rates: [ExchangeRate] = []
        for r in (q.string("rates") ?? "").split(separator: ",") {
            switch ExchangeRate.parse(String(r), base: co.baseCurrency) {
            case .success(let v): rates.append(v)
            case .failure(let e): q.errors.append(.init(field: "rates", message: e.message))
            }
        }
        try q.check()
        let key = ReportCache.key(
            company: co.id, version: ctx.ledgerVersion,
            "aging/\(asOf.iso)/\(basis.rawValue)/\(buckets.bounds)/\(co.baseCurrency)/\(rates.map { "\($0.from)\($0.to)\($0.rateNanos)" })/\(format)")
        if let hit = cache.response(for: key) { return hit }
        let (b, rs) = (buckets, rates)
        let report = try await ReportStore.aging(db, company: co.id, asOf: asOf, basis: basis, buckets: b, base: co.baseCurrency, rates: rs)
        if format == .csv { return cache.store(key, body: ByteBuffer(string: ReportRendering.agingCSV(report)), contentType: "text/csv; charset=utf-8") }
        return cache.store(key, body: ByteBuffer(bytes: ReportRendering.agingJSON(report).bytes()), contentType: "application/json; charset=utf-8")
    }

    @Sendable func statement(_ req: Request, ctx: AppRequestContext) async throws -> Response {
        let co = try ctx.requireCompany()
        var q = QueryInput(req)
        let customer = q.required("customer")
        let to = q.date("to") ?? clock.today(in: co.timezone)
        let from = q.date("from") ?? to.startOfMonth
        let format = q.oneOf("format", [WireFormat.json, .csv]) ?? .json
        if from > to { q.errors.append(.init(field: "from", message: "from (\(from.iso)) is after to (\(to.iso))")) }
        try q.check()
        let key = ReportCache.key(company: co.id, version: ctx.ledgerVersion, "statement/\(customer!)/\(from.iso)/\(to.iso)/\(format)")
        if let hit = cache.response(for: key) { return hit }
        let result = try await db.read { c -> ([Statement], String)? in
            guard let cu = try await LedgerQueries(c, company: co.id).customer(ref: customer!) else { return nil }
            return (try await ReportStore(c, company: co.id).statements(customerRef: customer!, from: from, to: to) ?? [], cu.customer.name)
        }
        guard let (statements, name) = result else { throw Problem.notFound("customer \(customer!) does not exist") }
        if format == .csv { return cache.store(key, body: ByteBuffer(string: ReportRendering.statementCSV(statements)), contentType: "text/csv; charset=utf-8") }
        return cache.store(key, body: ByteBuffer(bytes: ReportRendering.statementJSON(statements, name: name).bytes()), contentType: "application/json; charset=utf-8")
    }

    @Sendable func kpis(_ req: Request, ctx: AppRequestContext) async throws -> Response {
        let co = try ctx.requireCompany()
        var q = QueryInput(req)
        let asOf = q.date("as_of") ?? clock.today(in: co.timezone)
        let window = q.int("window", range: 1...3650) ?? 90
        let format = q.oneOf("format", [WireFormat.json, .csv]) ?? .json
        try q.check()
        let key = ReportCache.key(company: co.id, version: ctx.ledgerVersion, "kpis/\(asOf.iso)/\(window)/\(co.baseCurrency)/\(format)")
        if let hit = cache.response(for: key) { return hit }
        let ks = try await db.read { c in try await ReportStore(c, company: co.id).kpis(asOf: asOf, window: window) }
        if format == .csv { return cache.store(key, body: ByteBuffer(string: ReportRendering.kpisCSV(ks)), contentType: "text/csv; charset=utf-8") }
        return cache.store(
            key, body: ByteBuffer(bytes: ReportRendering.kpisJSON(ks, asOf: asOf, window: window, base: co.baseCurrency).bytes()),
            contentType: "application/json; charset=utf-8")
    }
}

/// `POST /api/v1/imports/{customers|invoices|payments}` with a `text/csv` body (streamed, not buffered).
struct ImportsController {
    let db: any Database
    let clock: Clock

    func addRoutes(to api: RouterGroup<AppRequestContext>) {
        api.post("imports/:kind", use: run)
    }

    /// Lends a request body's chunks to the importer one at a time.
    final class BodyReader: @unchecked Sendable {
        var iterator: RequestBody.AsyncIterator
        init(_ body: RequestBody) { iterator = body.makeAsyncIterator() }
        func next() async throws -> [UInt8]? {
            guard let buf = try await iterator.next() else { return nil }
            return Array(buf.readableBytesView)
        }
    }

    @Sendable func run(_ req: Request, ctx: AppRequestContext) async throws -> Response {
        let co = try ctx.requireCompany()
        let kindText = try ctx.parameters.require("kind")
        guard let kind = ImportKind(rawValue: kindText) else {
            throw Problem.notFound("no import of \"\(kindText)\"; use customers, invoices or payments")
        }
        if let ct = req.headers[.contentType], !ct.lowercased().hasPrefix("text/csv") {
            throw Problem(.unsupportedMediaType, "Unsupported Media Type", detail: "send the file as Content-Type: text/csv (got \(ct))")
        }
        var q = QueryInput(req)
        let strict = q.bool("strict") ?? false
        try q.check()
        let reader = BodyReader(req.body)
        let summary = try await Importer(db: db, company: co, actor: ctx.actor, clock: clock)
            .run(kind, source: "api", strict: strict, sizeHint: req.headers[.contentLength].flatMap { Int($0) }, next: { try await reader.next() })
        CobroMetrics.recordImport(summary)
        return .json(Representation.importSummary(summary), status: summary.committed ? .ok : .unprocessableContent)
    }
}

/// `/api/v1/webhooks`: subscriptions and their delivery log.
struct WebhooksController {
    let db: any Database
    let clock: Clock

    func addRoutes(to api: RouterGroup<AppRequestContext>) {
        api.get("webhooks", use: list)
        api.post("webhooks", use: create)
        api.delete("webhooks/:id", use: deactivate)
        api.get("webhooks/:id/deliveries", use: deliveries)
    }

    static func render(_ s: WebhookSubscription) -> JSONValue {
        .object([("id", .int(s.id)), ("url", .string(s.url)), ("events", .array(s.events.map { .string($0) })), ("active", .bool(s.active))])
    }

    @Sendable func list(_ req: Request, ctx: AppRequestContext) async throws -> Response {
        let co = try ctx.requireCompany()
        let subs = try await db.read { c in try await WebhookStore.list(c, company: co.id) }
        return .json(.object([("data", .array(subs.map(WebhooksController.render))), ("next_cursor", .null)]))
    }

    @Sendable func create(_ req: Request, ctx: AppRequestContext) async throws -> Response {
        let co = try ctx.requireCompany()
        var j = try await JSONInput.parse(req)
        let url = j.string("url", required: true)
        if let url, !(url.hasPrefix("http://") || url.hasPrefix("https://")) { j.fail("url", "must be an http:// or https:// URL") }
        let events = j.stringArray("events") ?? EventType.allCases.map(\.rawValue)
        let known = Set(EventType.allCases.map(\.rawValue))
        for e in events where !known.contains(e) { j.fail("events", "unknown event \"\(e)\"; known: \(known.sorted().joined(separator: ", "))") }
        if events.isEmpty { j.fail("events", "subscribe to at least one event") }
        var secret = j.string("secret") ?? WebhookSigner.newSecret()
        if secret.count < 16 { j.fail("secret", "must be at least 16 characters"); secret = "" }
        try j.check()
        let actor = ctx.actor, now = clock.nowMillis(), s = secret
        let sub = try await db.transaction { c in try await WebhookStore.create(c, company: co.id, url: url!, events: events, secret: s, actor: actor, now: now) }
        guard case .object(var f) = WebhooksController.render(sub) else { fatalError("renders an object") }
        f.append(("secret", .string(s)))
        return .json(.object(f), status: .created)
    }

    @Sendable func deactivate(_ req: Request, ctx: AppRequestContext) async throws -> Response {
        let co = try ctx.requireCompany()
        guard let id = Int64(try ctx.parameters.require("id")) else { throw Problem.notFound("webhook ids are numbers") }
        let actor = ctx.actor, now = clock.nowMillis()
        guard try await db.transaction({ c in try await WebhookStore.deactivate(c, company: co.id, id: id, actor: actor, now: now) }) else {
            throw Problem.notFound("webhook \(id) does not exist or is already deactivated")
        }
        return Response(status: .noContent)
    }

    @Sendable func deliveries(_ req: Request, ctx: AppRequestContext) async throws -> Response {
        let co = try ctx.requireCompany()
        guard let id = Int64(try ctx.parameters.require("id")) else { throw Problem.notFound("webhook ids are numbers") }
        var q = QueryInput(req)
        let page = q.page()
        try q.check()
        let rows = try await db.read { c -> [WebhookDelivery]? in
            guard try await WebhookStore.list(c, company: co.id).contains(where: { $0.id == id }) else { return nil }
            return try await WebhookStore.deliveries(c, company: co.id, subscriptionID: id, after: page.after, limit: page.limit)
        }
        guard let rows else { throw Problem.notFound("webhook \(id) does not exist") }
        return .json(Cursor.page(rows, limit: page.limit, id: \.id) { d in
            .object([
                ("id", .int(d.id)), ("event_id", .string(d.eventID)), ("event_type", .string(d.eventType)), ("status", .string(d.status)),
                ("attempts", .int(d.attempts)), ("last_status", d.lastStatus.map { .int($0) } ?? .null), ("last_error", .optional(d.lastError)),
                ("delivered_at", d.deliveredAt.map { .int($0) } ?? .null),
            ])
        })
    }
}
