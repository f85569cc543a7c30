import CobroCore
import CobroStore
import Foundation
import Hummingbird
import NIOCore

/// `/api/v1` routes for dunning: the configuration (policies, templates, contact rules) with its history, template
/// previews, runs, the outbox, channel opt-outs and the collectors' tasks.
struct DunningController {
    let db: any Database
    let clock: Clock
    /// Where customers reach the portal (the links in reminders).
    var portalURL: String? = nil

    func addRoutes(to api: RouterGroup<AppRequestContext>) {
        api.get("dunning/config", use: getConfig)
        api.put("dunning/config", use: putConfig)
        api.get("dunning/config/versions", use: listVersions)
        api.get("dunning/config/versions/:version", use: getVersion)
        api.post("dunning/preview", use: preview)
        api.get("dunning/runs", use: listRuns)
        api.post("dunning/runs", use: startRun)
        api.get("messages", use: listMessages)
        api.post("messages/:id/bounce", use: bounce)
        api.get("customers/:ref/opt-outs", use: listOptOuts)
        api.post("customers/:ref/opt-outs", use: addOptOut)
        api.delete("customers/:ref/opt-outs/:channel", use: removeOptOut)
        api.get("tasks", use: listTasks)
        api.post("tasks/:id/close", use: closeTask)
    }

    static let maxConfigBody = 4 << 20

    // MARK: Configuration

    /// The current configuration and its version; `?format=yaml` returns just the document as YAML, ready to edit
    /// and PUT back.
    @Sendable func getConfig(_ req: Request, ctx: AppRequestContext) async throws -> Response {
        let co = try ctx.requireCompany()
        var q = QueryInput(req)
        let format = q.oneOf("format", DunningConfigFile.Format.allCases) ?? .json
        try q.check()
        let (version, config) = try await db.read { c in try await DunningConfigStore.current(c, company: co.id) }
        if format == .yaml { return .text(DunningConfigFile.write(config, as: .yaml), contentType: "application/yaml; charset=utf-8") }
        return .json(.object([("version", .int(version)), ("config", .embedded(config.json()))]))
    }

    /// Replaces the configuration with the body (a whole configuration document, JSON, or YAML when the
    /// Content-Type says `yaml`) as a new version. Every problem is reported at once, with its field path and, for
    /// templates and YAML syntax, line and column.
    @Sendable func putConfig(_ req: Request, ctx: AppRequestContext) async throws -> Response {
        let co = try ctx.requireCompany()
        var r = req
        let body = try await r.collectBody(upTo: Self.maxConfigBody)
        guard body.readableBytes > 0 else { throw Problem.invalid("body", "a dunning configuration (JSON or YAML) is required") }
        let format: DunningConfigFile.Format = (req.headers[.contentType] ?? "").lowercased().contains("yaml") ? .yaml : .json
        let config: DunningConfig
        do {
            config = try DunningConfigFile.read(String(buffer: body), as: format)
        } catch {
            throw Problem.invalid(error.issues.map {
                Problem.FieldError(field: $0.path, message: $0.message, line: $0.position?.line, column: $0.position?.column)
            })
        }
        let version = try await db.transaction { c in
            try await DunningConfigStore.save(c, company: co.id, config: config, actor: ctx.actor, now: clock.nowMillis())
        }
        let warnings = config.warnings().map { JSONValue.object([("field", .string($0.path)), ("message", .string($0.message))]) }
        return .json(.object([("version", .int(version)), ("config", .embedded(config.json())), ("warnings", .array(warnings))]), status: .created)
    }

    @Sendable func listVersions(_ req: Request, ctx: AppRequestContext) async throws -> Response {
        let co = try ctx.requireCompany()
        let versions = try await db.read { c in try await DunningConfigStore.history(c, company: co.id) }
        return .json(.object([("data", .array(versions.map { v in
            .object([
                ("version", .int(v.version)), ("created_at", .string(DunningRendering.instant(v.createdAt))), ("created_by", .string(v.createdBy)),
                ("policies", .int(v.config.assignment.policies.count)), ("templates", .int(v.config.templates.texts.count)),
            ])
        })), ("next_cursor", .null)]))
    }

    @Sendable func getVersion(_ req: Request, ctx: AppRequestContext) async throws -> Response {
        let co = try ctx.requireCompany()
        let text = try ctx.parameters.require("version")
        guard let n = Int64(text), n > 0 else { throw Problem.invalid("version", "\"\(text)\" is not a version number (1, 2, …)") }
        guard let v = try await db.read({ c in try await DunningConfigStore.version(c, company: co.id, n) }) else {
            throw Problem.notFound("dunning configuration version \(n) does not exist")
        }
        return .json(.object([
            ("version", .int(v.version)), ("created_at", .string(DunningRendering.instant(v.createdAt))), ("created_by", .string(v.createdBy)),
            ("config", .embedded(v.config.json())),
        ]))
    }

    // MARK: Preview

    /// Body: `customer` (ref), `template` (key), optional `language`, `as_of`, and `texts` (unsaved parts:
    /// `subject`, `html`, `text`, `sms`, `letter`) to preview an edit before saving it.
    @Sendable func preview(_ req: Request, ctx: AppRequestContext) async throws -> Response {
        let co = try ctx.requireCompany()
        var j = try await JSONInput.parse(req)
        let customer = j.string("customer", required: true)
        let key = j.string("template", required: true)
        let language = j.string("language")
        if let language, !Validation.isLanguageTag(language) { j.fail("language", "\"\(language)\" is not a BCP 47 language tag (e.g. es-MX)") }
        let asOf = j.date("as_of") ?? clock.today(in: co.timezone)
        var edit: CompanyTemplates.Sources?
        if case .object(let parts)? = j.value("texts") {
            var sources = CompanyTemplates.Sources()
            for (name, value) in parts {
                guard let part = MessagePart(rawValue: name) else {
                    j.fail("texts.\(name)", "unknown part; use subject, html, text, sms or letter")
                    continue
                }
                guard case .string(let s) = value else {
                    j.fail("texts.\(name)", "expected a string")
                    continue
                }
                switch part {
                case .subject: sources.subject = s
                case .html: sources.html = s
                case .text: sources.text = s
                case .sms: sources.sms = s
                case .letter: sources.letter = s
                }
            }
            edit = sources
        } else if j.has("texts") {
            j.fail("texts", "expected an object of template parts")
        }
        try j.check()
        let p = try await DunningPreviewer.preview(
            db, company: co, customerRef: customer!, key: TemplateKey(key!), language: language, asOf: asOf, edit: edit)
        var sms: [(String, JSONValue)] = [
            ("encoding", .string(p.sms.encoding.rawValue)), ("units", .int(p.sms.units)), ("segments", .int(p.sms.segments)),
        ]
        if let w = p.sms.warning { sms.append(("warning", .string(w.description))) }
        return .json(.object([
            ("customer", .string(customer!)), ("template", .string(key!)), ("language", .string(p.language)), ("as_of", .string(asOf.iso)),
            ("subject", .string(p.rendered.subject)), ("html", .string(p.rendered.html)), ("text", .string(p.rendered.text)),
            ("sms", .string(p.rendered.sms)), ("sms_segments", .object(sms)), ("letter", .string(p.rendered.letter)),
        ]))
    }

    // MARK: Runs

    @Sendable func listRuns(_ req: Request, ctx: AppRequestContext) async throws -> Response {
        let co = try ctx.requireCompany()
        var q = QueryInput(req)
        let page = q.page()
        try q.check()
        let runs = try await db.read { c in try await DunningStore(c, company: co.id).runs(before: page.after, limit: page.limit) }
        return .json(Cursor.page(runs, limit: page.limit, id: \.id) { r in
            .object([
                ("id", .int(r.id)), ("as_of", .string(r.asOf.iso)), ("config_version", .int(r.configVersion)), ("actor", .string(r.actor)),
                ("started_at", .string(DunningRendering.instant(r.startedAt))),
                ("finished_at", r.finishedAt.map { .string(DunningRendering.instant($0)) } ?? .null),
                ("messages", .int(r.messages)), ("entries", .int(r.entries)), ("skips", .int(r.skips)),
            ])
        })
    }

    /// Body (optional): `as_of` (default today in the company's time zone), `dry_run` (default false). Records and
    /// queues; the server's outbox worker delivers.
    @Sendable func startRun(_ req: Request, ctx: AppRequestContext) async throws -> Response {
        let co = try ctx.requireCompany()
        var r = req
        let body = try await r.collectBody(upTo: JSONInput.maxBody)
        var asOf = clock.today(in: co.timezone)
        var dryRun = false
        if body.readableBytes > 0 {
            var j = try JSONInput.parse(body)
            asOf = j.date("as_of") ?? asOf
            dryRun = j.bool("dry_run") ?? false
            try j.check()
        }
        let report = try await DunningRunner.run(db, company: co, options: .init(asOf: asOf, dryRun: dryRun, actor: ctx.actor, portalURL: portalURL), clock: clock)
        return .json(DunningRendering.runJSON(report), status: dryRun ? .ok : .created)
    }

    // MARK: Outbox

    @Sendable func listMessages(_ req: Request, ctx: AppRequestContext) async throws -> Response {
        let co = try ctx.requireCompany()
        var q = QueryInput(req)
        let page = q.page()
        let status = q.string("status")
        if let status, !MessageQueries.statuses.contains(status) {
            q.errors.append(.init(field: "status", message: "\"\(status)\" is not a message status; use one of \(MessageQueries.statuses.joined(separator: ", "))"))
        }
        let channel = q.oneOf("channel", DunningChannel.allCases)
        let customer = q.string("customer")
        try q.check()
        let rows = try await db.read { c in
            try await MessageQueries.list(c, company: co.id, status: status, channel: channel, customerRef: customer, after: page.after, limit: page.limit)
        }
        return .json(Cursor.page(rows, limit: page.limit, id: \.id) { m in
            .object([
                ("id", .int(m.id)), ("customer_ref", .string(m.customerRef)), ("step", .string(m.stepID)), ("template", .optional(m.template)),
                ("channel", .string(m.channel)), ("status", .string(m.status)), ("currency", .string(m.currency)),
                ("total", .number(Money(minor: m.total, Currency(code: m.currency) ?? co.baseCurrency).decimalString)),
                ("language", .string(m.language)), ("recipient", .string(m.recipient)), ("subject", .string(m.subject)),
                ("invoices", .array(m.invoiceRefs.map { .string($0) })), ("attempts", .int(m.attempts)),
                ("next_attempt_at", .string(DunningRendering.instant(m.nextAttemptAt))), ("last_error", .optional(m.lastError)),
                ("provider_id", .optional(m.providerID)), ("run_day", .string(m.runDay.iso)),
                ("created_at", .string(DunningRendering.instant(m.createdAt))), ("sent_at", m.sentAt.map { .string(DunningRendering.instant($0)) } ?? .null),
            ])
        })
    }

    /// Body: `reason` (the provider's diagnostic, e.g. `550 5.1.1 user unknown`). For the mail provider's bounce
    /// webhook or a person reading a bounce; the message becomes `bounced` and the collector gets a task.
    @Sendable func bounce(_ req: Request, ctx: AppRequestContext) async throws -> Response {
        let co = try ctx.requireCompany()
        let text = try ctx.parameters.require("id")
        guard let id = Int64(text) else { throw Problem.invalid("id", "\"\(text)\" is not a message id") }
        var j = try await JSONInput.parse(req)
        let reason = j.string("reason", required: true)
        try j.check()
        let found = try await db.transaction { c in
            try await OutboxStore.markBounced(c, company: co.id, id: id, reason: reason!, actor: ctx.actor, now: clock.nowMillis())
        }
        guard found else { throw Problem.notFound("message \(id) does not exist") }
        return Response(status: .noContent)
    }

    // MARK: Opt-outs

    func customerID(_ c: any Connection, _ company: Int64, _ ref: String) async throws -> Int64 {
        guard let id = try await LedgerQueries.customerID(c, company: company, ref: ref)
        else { throw Problem.notFound("customer \(ref) does not exist") }
        return id
    }

    static func optOutJSON(_ o: ChannelOptOut) -> JSONValue {
        .object([
            ("channel", .string(o.channel.rawValue)), ("since", .string(o.since.iso)), ("reason", .string(o.reason)),
            ("created_at", .string(DunningRendering.instant(o.createdAt))), ("created_by", .string(o.createdBy)),
        ])
    }

    @Sendable func listOptOuts(_ req: Request, ctx: AppRequestContext) async throws -> Response {
        let co = try ctx.requireCompany()
        let ref = try ctx.parameters.require("ref")
        let list = try await db.read { c in try await OptOutStore.list(c, company: co.id, customer: try await customerID(c, co.id, ref)) }
        return .json(.object([("data", .array(list.map(Self.optOutJSON))), ("next_cursor", .null)]))
    }

    /// Body: `channel` (email, sms, letter, call, statement), `reason`, optional `since` (default today).
    @Sendable func addOptOut(_ req: Request, ctx: AppRequestContext) async throws -> Response {
        let co = try ctx.requireCompany()
        let ref = try ctx.parameters.require("ref")
        var j = try await JSONInput.parse(req)
        let channelText = j.string("channel", required: true)
        let channel = channelText.flatMap(DunningChannel.init(rawValue:))
        if let channelText, channel == nil {
            j.fail("channel", "\"\(channelText)\" is not a channel; use one of \(DunningChannel.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        let reason = j.string("reason", required: true)
        if let reason, reason.trimmingCharacters(in: .whitespaces).isEmpty { j.fail("reason", "must not be empty") }
        let today = clock.today(in: co.timezone)
        let since = j.date("since") ?? today
        if since > today { j.fail("since", "\(since.iso) is after today (\(today.iso)); record an opt-out once it applies") }
        try j.check()
        let (list, cancelled) = try await db.transaction { c in
            let id = try await customerID(c, co.id, ref)
            let n = try await OptOutStore.add(
                c, company: co.id, customer: id, customerRef: ref, channel: channel!, since: since, reason: reason!, actor: ctx.actor, now: clock.nowMillis())
            return (try await OptOutStore.list(c, company: co.id, customer: id), n)
        }
        return .json(.object([("data", .array(list.map(Self.optOutJSON))), ("cancelled_messages", .int(cancelled))]), status: .created)
    }

    @Sendable func removeOptOut(_ req: Request, ctx: AppRequestContext) async throws -> Response {
        let co = try ctx.requireCompany()
        let ref = try ctx.parameters.require("ref")
        let text = try ctx.parameters.require("channel")
        guard let channel = DunningChannel(rawValue: text) else {
            throw Problem.invalid("channel", "\"\(text)\" is not a channel; use one of \(DunningChannel.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        let removed = try await db.transaction { c in
            try await OptOutStore.remove(
                c, company: co.id, customer: try await customerID(c, co.id, ref), customerRef: ref, channel: channel, actor: ctx.actor, now: clock.nowMillis())
        }
        guard removed else { throw Problem.notFound("customer \(ref) has not opted out of \(channel.rawValue)") }
        return Response(status: .noContent)
    }

    // MARK: Tasks

    static func taskJSON(_ t: CollectorTask) -> JSONValue {
        .object([
            ("id", .int(t.id)), ("kind", .string(t.kind.rawValue)), ("status", .string(t.status.rawValue)), ("customer_ref", .string(t.customerRef)),
            ("customer_name", .string(t.customerName)), ("due", .string(t.dueDay.iso)), ("title", .string(t.title)), ("detail", .string(t.detail)),
            ("message_id", t.messageID.map { .int($0) } ?? .null), ("outcome", .optional(t.outcome)),
            ("created_at", .string(DunningRendering.instant(t.createdAt))), ("closed_at", t.closedAt.map { .string(DunningRendering.instant($0)) } ?? .null),
            ("closed_by", .optional(t.closedBy)),
        ])
    }

    @Sendable func listTasks(_ req: Request, ctx: AppRequestContext) async throws -> Response {
        let co = try ctx.requireCompany()
        var q = QueryInput(req)
        let page = q.page()
        let status = q.oneOf("status", CollectorTask.Status.allCases)
        let kind = q.oneOf("kind", CollectorTask.Kind.allCases)
        let customer = q.string("customer")
        try q.check()
        // Call messages that have come due become tasks before the list is read.
        try await db.transaction { c in _ = try await TaskStore.releaseCalls(c, now: clock.nowMillis(), company: co.id) }
        let rows = try await db.read { c in
            try await TaskStore.list(c, company: co.id, status: status, kind: kind, customerRef: customer, after: page.after, limit: page.limit)
        }
        return .json(Cursor.page(rows, limit: page.limit, id: \.id, render: Self.taskJSON))
    }

    /// Body: `outcome` (what happened), optional `status` (`done`, the default, or `cancelled`).
    @Sendable func closeTask(_ req: Request, ctx: AppRequestContext) async throws -> Response {
        let co = try ctx.requireCompany()
        let text = try ctx.parameters.require("id")
        guard let id = Int64(text) else { throw Problem.invalid("id", "\"\(text)\" is not a task id") }
        var j = try await JSONInput.parse(req)
        let outcome = j.string("outcome", required: true)
        let statusText = j.string("status") ?? "done"
        let status = CollectorTask.Status(rawValue: statusText)
        if status == nil || status == .open { j.fail("status", "\"\(statusText)\" cannot close a task; use done or cancelled") }
        try j.check()
        let task = try await db.transaction { c in
            try await TaskStore.close(c, company: co.id, id: id, status: status!, outcome: outcome!, actor: ctx.actor, now: clock.nowMillis())
        }
        return .json(Self.taskJSON(task))
    }
}
