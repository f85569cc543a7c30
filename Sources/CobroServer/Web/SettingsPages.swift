import CobroCore
import CobroDelivery
import CobroStore
import Foundation
import Hummingbird

/// Settings (admins): aging buckets, the company's email/SMS channels with a test button, webhooks and users.
struct SettingsPage: Sendable {
    struct Channel: Sendable {
        var key: String
        var value: String
        var secret: Bool
    }
    struct Hook: Sendable {
        var id: Int64
        var url: String
        var events: String
    }
    struct User: Sendable {
        var id: Int64
        var email: String
        var name: String
        var role: String
        var collector: String
    }
    var buckets: String
    var channels: [Channel]
    var hooks: [Hook]
    var users: [User]
    var roles: [Option]
    var events: String
    /// The contact windows and caps in force (the `contact:` part of the policy, edited in the policy editor).
    var contactYAML: String
}

/// The policy (dunning configuration: policies, steps, contact windows and caps) as YAML, and the template editor
/// with a live preview per language.
struct PolicyPage: Sendable {
    var yaml: String
    var version: Int64
    var errors: [String]
}

struct TemplatePage: Sendable {
    var keys: [Option]
    var languages: [Option]
    var key: String
    var language: String
    var customer: String
    var subject: String
    var text: String
    var html: String
    var sms: String
    var previewSubject: String
    var previewText: String
    var previewHTML: String
    var previewSMS: String
    var error: String?
}

struct ImportsPage: Sendable {
    struct Issue: Sendable {
        var line: Int
        var column: String
        var field: String
        var message: String
    }
    var summary: String?
    var issues: [Issue]
    var hasIssues: Bool
}

struct TokensPage: Sendable {
    struct Row: Sendable {
        var id: Int64
        var name: String
        var scope: String
        var created: String
    }
    var rows: [Row]
    var empty: Bool
    var newToken: String?
}

extension WebApp {
    func requireAdmin(_ w: WebRequest) throws {
        guard w.user.role.mayAdminister else { throw Problem(.forbidden, "Forbidden", detail: w.t("forbidden")) }
    }
    func requireManager(_ w: WebRequest) throws {
        guard w.user.role.mayApprove else { throw Problem(.forbidden, "Forbidden", detail: w.t("forbidden")) }
    }

    // MARK: settings

    @Sendable func settings(_ req: Request, ctx: AppRequestContext) async throws -> Response {
        let w = try WebRequest(req, ctx)
        try requireAdmin(w)
        let co = w.company
        let (channels, hooks, users, config) = try await db.read { c in
            (try await ChannelSettingsStore.get(c, company: co.id), try await WebhookStore.list(c, company: co.id), try await UserStore.list(c, company: co.id),
             try await DunningConfigStore.current(c, company: co.id).1)
        }
        let shown = ChannelSettings.redacted(channels)
        let page = SettingsPage(
            buckets: co.agingBuckets.bounds.map(String.init).joined(separator: ","),
            channels: ChannelSettings.variables.keys.sorted().map { k in SettingsPage.Channel(key: k, value: shown[k] ?? "", secret: k == "smtp_url" || k == "sms_auth") },
            hooks: hooks.filter(\.active).map { SettingsPage.Hook(id: $0.id, url: $0.url, events: $0.events.joined(separator: ", ")) },
            users: users.map { SettingsPage.User(id: $0.id, email: $0.email, name: $0.name, role: w.t("role_\($0.role.rawValue)"), collector: $0.collector ?? "") },
            roles: UserRole.allCases.map { Option(value: $0.rawValue, label: w.t("role_\($0.rawValue)")) }, events: EventType.allCases.map(\.rawValue).joined(separator: ", "),
            contactYAML: (try? DunningConfigFile.yaml(config.contact)) ?? "")
        return WebRenderer.shared.html("settings", w.model("nav_settings", current: "/app/settings", page))
    }

    func settingsAction(_ req: Request, _ ctx: AppRequestContext, done: String, _ body: @escaping @Sendable (any Connection, WebRequest, WebForm) async throws -> Void) async throws -> Response {
        let w = try WebRequest(req, ctx)
        try requireAdmin(w)
        let form = ctx.form ?? WebForm(body: "")
        do {
            try await db.transaction { c in try await body(c, w, form) }
        } catch {
            var f = form
            guard f.absorb(error) else { throw error }
            return WebResponse.redirect("/app/settings", notice: f.errors.sorted { $0.key < $1.key }.map { "\($0.key): \($0.value)" }.joined(separator: "; "))
        }
        return WebResponse.redirect("/app/settings", notice: w.t(done))
    }

    @Sendable func saveBuckets(_ req: Request, ctx: AppRequestContext) async throws -> Response {
        try await settingsAction(req, ctx, done: "saved") { c, w, form in
            switch AgingBuckets.parse(form.string("buckets") ?? "") {
            case .success(let b): try await CompanyStore.setAgingBuckets(c, company: w.company, buckets: b, actor: "user:\(w.user.email)", now: clock.nowMillis())
            case .failure(let e): throw StoreError.invalid(field: "buckets", e.message)
            }
        }
    }

    @Sendable func saveChannels(_ req: Request, ctx: AppRequestContext) async throws -> Response {
        try await settingsAction(req, ctx, done: "saved") { c, w, form in
            var values: [String: String] = [:]
            for k in ChannelSettings.variables.keys { if let v = form.string(k) { values[k] = v } }
            let saved = try await ChannelSettingsStore.get(c, company: w.company.id)
            let kept = ChannelSettings.keepingSecrets(values, saved: saved)
            let problems = kept.problems + ChannelSettings.validate(kept.values)
            if !problems.isEmpty { throw StoreError.invalidFields(problems.map { StoreError.FieldProblem($0.field, $0.message) }) }
            try await ChannelSettingsStore.save(
                c, company: w.company.id, values: kept.values, shown: ChannelSettings.redacted(kept.values), before: ChannelSettings.redacted(saved),
                actor: "user:\(w.user.email)", now: clock.nowMillis())
        }
    }

    /// Sends a test email to the signed-in user through the company's email channel (or the server's).
    @Sendable func testChannel(_ req: Request, ctx: AppRequestContext) async throws -> Response {
        let w = try WebRequest(req, ctx)
        try requireAdmin(w)
        let saved = try await db.read { c in try await ChannelSettingsStore.get(c, company: w.company.id) }
        let env = ChannelSettings.environment(saved, over: deps.dunning?.environment ?? ProcessInfo.processInfo.environment)
        do {
            guard let settings = try EmailSettings.fromEnvironment(env) else { return WebResponse.redirect("/app/settings", notice: w.t("no_smtp")) }
            try await Mailer.smtp(settings, logger: deps.logger).send(w.user.email, "Cobro: test email", "This is a test email from Cobro (\(w.company.name)).\n")
        } catch {
            return WebResponse.redirect("/app/settings", notice: w.t("test_failed") + ": \(error)")
        }
        return WebResponse.redirect("/app/settings", notice: w.t("test_sent") + " " + w.user.email)
    }

    @Sendable func addWebhook(_ req: Request, ctx: AppRequestContext) async throws -> Response {
        try await settingsAction(req, ctx, done: "saved") { c, w, form in
            guard let url = form.string("url"), let u = URL(string: url), ["http", "https"].contains(u.scheme ?? "") else {
                throw StoreError.invalid(field: "url", "give an http(s) URL")
            }
            let events = (form.string("events") ?? "").split(whereSeparator: { $0 == "," || $0 == " " }).map(String.init)
            if let bad = events.first(where: { !EventType.allCases.map(\.rawValue).contains($0) }) { throw StoreError.invalid(field: "events", "\"\(bad)\" is not one of \(EventType.allCases.map(\.rawValue).joined(separator: ", "))") }
            guard let secret = form.string("secret"), secret.count >= 16 else { throw StoreError.invalid(field: "secret", "at least 16 characters") }
            _ = try await WebhookStore.create(c, company: w.company.id, url: url, events: events.isEmpty ? EventType.allCases.map(\.rawValue) : events, secret: secret, actor: "user:\(w.user.email)", now: clock.nowMillis())
        }
    }

    @Sendable func deleteWebhook(_ req: Request, ctx: AppRequestContext) async throws -> Response {
        let id = Int64(try ctx.parameters.require("id")) ?? 0
        return try await settingsAction(req, ctx, done: "saved") { c, w, _ in
            _ = try await WebhookStore.deactivate(c, company: w.company.id, id: id, actor: "user:\(w.user.email)", now: clock.nowMillis())
        }
    }

    @Sendable func addUser(_ req: Request, ctx: AppRequestContext) async throws -> Response {
        let cost = deps.web.bcryptCost
        return try await settingsAction(req, ctx, done: "user_created") { c, w, form in
            guard let role = form.string("role").flatMap(UserRole.init(rawValue:)) else { throw StoreError.invalid(field: "role", "choose a role") }
            _ = try await UserStore.create(
                c, company: w.company.id, email: form.string("email") ?? "", name: form.string("name") ?? "", role: role, collector: form.string("collector"),
                language: form.string("language"), password: form.fields["password"]?.first ?? "", cost: cost, actor: "user:\(w.user.email)", now: clock.nowMillis())
        }
    }

    @Sendable func disableUser(_ req: Request, ctx: AppRequestContext) async throws -> Response {
        let id = Int64(try ctx.parameters.require("id")) ?? 0
        return try await settingsAction(req, ctx, done: "saved") { c, w, _ in
            guard id != w.user.id else { throw StoreError.invalid(field: "user", "you cannot disable yourself") }
            try await UserStore.disable(c, company: w.company.id, id: id, actor: "user:\(w.user.email)", now: clock.nowMillis())
        }
    }

    // MARK: policy and templates

    @Sendable func policyPage(_ req: Request, ctx: AppRequestContext) async throws -> Response {
        let w = try WebRequest(req, ctx)
        try requireManager(w)
        let (version, config) = try await db.read { c in try await DunningConfigStore.current(c, company: w.company.id) }
        return WebRenderer.shared.html(
            "policy", w.model("nav_policy", current: "/app/policy", PolicyPage(yaml: DunningConfigFile.write(config, as: .yaml), version: version, errors: [])))
    }

    @Sendable func savePolicy(_ req: Request, ctx: AppRequestContext) async throws -> Response {
        let w = try WebRequest(req, ctx)
        try requireManager(w)
        let text = ctx.form?.fields["yaml"]?.first ?? ""
        let co = w.company.id
        do {
            let config = try DunningConfigFile.read(text, as: .yaml)
            let version = try await db.transaction { c in try await DunningConfigStore.save(c, company: co, config: config, actor: "user:\(w.user.email)", now: clock.nowMillis()) }
            return WebResponse.redirect("/app/policy", notice: w.t("saved") + " (v\(version))")
        } catch let e as DunningConfigFile.ReadError {
            let errors = e.issues.map { i in i.path + (i.position.map { " (\($0))" } ?? "") + ": " + i.message }
            return WebRenderer.shared.html("policy", w.model("nav_policy", current: "/app/policy", PolicyPage(yaml: text, version: 0, errors: errors)), status: .unprocessableContent)
        } catch let e as StoreError {
            return WebRenderer.shared.html("policy", w.model("nav_policy", current: "/app/policy", PolicyPage(yaml: text, version: 0, errors: [e.description])), status: .unprocessableContent)
        }
    }

    /// GET shows the saved texts of a template in a language and their preview for a customer; POST with
    /// `action=preview` renders the edited texts without saving, `save` stores them in the company's templates,
    /// `test` emails the preview to the signed-in user.
    @Sendable func templatesPage(_ req: Request, ctx: AppRequestContext) async throws -> Response {
        let w = try WebRequest(req, ctx)
        try requireManager(w)
        let q = req.uri.queryParameters
        let form = ctx.form
        let co = w.company
        let key = TemplateKey(form?.string("key") ?? q["key"].map(String.init) ?? TemplateKey.overdue7.rawValue)
        let language = form?.string("language") ?? q["language"].map(String.init) ?? w.lang
        let (_, config) = try await db.read { c in try await DunningConfigStore.current(c, company: co.id) }
        var customer = form?.string("customer") ?? q["customer"].map(String.init) ?? ""
        if customer.isEmpty {
            customer = try await db.read { c in
                try await c.first(
                    "SELECT cu.customer_ref FROM customer cu JOIN invoice i ON i.company_id = cu.company_id AND i.customer_id = cu.id WHERE cu.company_id = $1 AND i.open_amount > 0 ORDER BY cu.id LIMIT 1",
                    [.int(co.id)])?.text(0)
            } ?? ""
        }
        let saved: MessageParts? = (try? config.effectiveTemplates().get())?[key, language]
        var sources = CompanyTemplates.Sources(
            subject: saved?.subject.source, html: saved?.html.source, text: saved?.text.source, sms: saved?.sms.source, letter: saved?.letter.source)
        if let form {
            sources = CompanyTemplates.Sources(
                subject: form.fields["subject"]?.first, html: form.fields["html"]?.first, text: form.fields["text"]?.first, sms: form.fields["sms"]?.first, letter: sources.letter)
        }
        var error: String?
        var preview: DunningPreview?
        let today = clock.today(in: co.timezone)
        if !customer.isEmpty {
            do {
                preview = try await DunningPreviewer.preview(
                    db, company: co, customerRef: customer, key: key, language: language, asOf: today, edit: form == nil ? nil : sources, portalLink: deps.web.publicURL + "/portal/…")
            } catch let e as StoreError { error = e.description }
        }
        let action = form?.string("action")
        if action == "save", error == nil {
            var edited = config
            edited.templates.texts[key, default: [:]][language] = sources
            let next = edited
            do {
                let v = try await db.transaction { c in try await DunningConfigStore.save(c, company: co.id, config: next, actor: "user:\(w.user.email)", now: clock.nowMillis()) }
                return WebResponse.redirect("/app/templates?key=\(key.rawValue)&language=\(language)", notice: w.t("saved") + " (v\(v))")
            } catch let e as StoreError { error = e.description }
        }
        if action == "test", error == nil, let p = preview {
            do { try await deps.mailer.send(w.user.email, "[test] " + p.rendered.subject, p.rendered.text) } catch { self.deps.logger.error("test email failed: \(error)") }
            return WebResponse.redirect("/app/templates?key=\(key.rawValue)&language=\(language)&customer=\(customer)", notice: w.t("test_sent") + " " + w.user.email)
        }
        let keys = Set(TemplateKey.shipped + Array(config.templates.texts.keys)).sorted { $0.rawValue < $1.rawValue }
        let page = TemplatePage(
            keys: keys.map { Option(value: $0.rawValue, label: $0.rawValue, selected: $0 == key) },
            languages: ["es", "en", "pt", "fr"].map { Option(value: $0, label: $0, selected: $0 == language) }, key: key.rawValue,
            language: language, customer: customer, subject: sources.subject ?? "", text: sources.text ?? "", html: sources.html ?? "", sms: sources.sms ?? "",
            previewSubject: preview?.rendered.subject ?? "", previewText: preview?.rendered.text ?? "", previewHTML: preview?.rendered.html ?? "", previewSMS: preview?.rendered.sms ?? "",
            error: error)
        return WebRenderer.shared.html("templates", w.model("nav_templates", current: "/app/templates", page), status: error == nil ? .ok : .unprocessableContent)
    }

    // MARK: imports

    @Sendable func importsPage(_ req: Request, ctx: AppRequestContext) async throws -> Response {
        let w = try WebRequest(req, ctx)
        try requireManager(w)
        return WebRenderer.shared.html("imports", w.model("nav_imports", current: "/app/imports", ImportsPage(summary: nil, issues: [], hasIssues: false)))
    }

    /// A CSV uploaded as `multipart/form-data` (fields `kind`, `strict`, `file`; the session middleware checked the
    /// form token). Written like `cobro import`: good rows in, bad rows reported; `strict` writes nothing if any is bad.
    @Sendable func runImport(_ req: Request, ctx: AppRequestContext) async throws -> Response {
        let w = try WebRequest(req, ctx)
        try requireManager(w)
        let form = ctx.form ?? WebForm(body: "")
        guard let kind = form.string("kind").flatMap(ImportKind.init(rawValue:)), let file = form.files.first else {
            return WebRenderer.shared.html("imports", w.model("nav_imports", current: "/app/imports", ImportsPage(summary: w.t("choose_file"), issues: [], hasIssues: false)), status: .unprocessableContent)
        }
        let chunk = OnceBuffer(file.bytes)
        let summary = try await Importer(db: db, company: w.company, actor: "user:\(w.user.email)", clock: clock)
            .run(kind, source: file.fileName, strict: form.string("strict") == "1", sizeHint: file.bytes.count, next: { chunk.take() })
        let text = "\(file.fileName): \(summary.rows) — inserted \(summary.inserted), updated \(summary.updated), unchanged \(summary.unchanged), rejected \(summary.rejected)"
            + (summary.committed ? "" : " — nothing written (strict)")
        let issues = summary.issues.map { ImportsPage.Issue(line: $0.line, column: $0.column.map(String.init) ?? "", field: $0.field ?? "", message: $0.message) }
        return WebRenderer.shared.html(
            "imports", w.model("nav_imports", current: "/app/imports", ImportsPage(summary: text, issues: issues, hasIssues: !issues.isEmpty)),
            status: summary.committed ? .ok : .unprocessableContent)
    }

    // MARK: personal API tokens

    @Sendable func tokensPage(_ req: Request, ctx: AppRequestContext) async throws -> Response {
        let w = try WebRequest(req, ctx)
        return try await renderTokens(w, newToken: nil)
    }

    func renderTokens(_ w: WebRequest, newToken: String?) async throws -> Response {
        let tokens = try await db.read { c in try await TokenStore.personal(c, company: w.company.id, userID: w.user.id) }
        let tz = TimeZone(identifier: w.company.timezone) ?? .gmt
        let rows = tokens.map { TokensPage.Row(id: $0.id, name: $0.name, scope: $0.scope, created: Self.localTime($0.createdAt, tz, w.format)) }
        return WebRenderer.shared.html("tokens", w.model("nav_tokens", current: "/app/tokens", TokensPage(rows: rows, empty: rows.isEmpty, newToken: newToken)))
    }

    @Sendable func createToken(_ req: Request, ctx: AppRequestContext) async throws -> Response {
        let w = try WebRequest(req, ctx)
        let form = ctx.form ?? WebForm(body: "")
        let scope = form.string("scope") == "write" && w.user.role != .viewer ? "write" : "read"
        let name = form.string("name") ?? "personal"
        let token = try await db.transaction { c in
            try await TokenStore.createPersonal(c, user: w.user, name: name, scope: scope, now: clock.nowMillis())
        }
        return try await renderTokens(w, newToken: token)
    }

    @Sendable func revokeToken(_ req: Request, ctx: AppRequestContext) async throws -> Response {
        let w = try WebRequest(req, ctx)
        let id = Int64(try ctx.parameters.require("id")) ?? 0
        try await db.transaction { c in try await TokenStore.revokePersonal(c, user: w.user, id: id, now: clock.nowMillis()) }
        return WebResponse.redirect("/app/tokens", notice: w.t("token_revoked"))
    }
}

/// Hands out one buffer, then end-of-input (an uploaded file, already in memory).
final class OnceBuffer: @unchecked Sendable {
    private var bytes: [UInt8]?
    private let lock = NSLock()
    init(_ b: [UInt8]) { bytes = b }
    func take() -> [UInt8]? { lock.withLock { defer { bytes = nil }; return bytes } }
}
