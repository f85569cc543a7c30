import CobroCore
import CobroStore
import Foundation
import Hummingbird
import NIOCore

/// The top bar, navigation and toast every page of the web app shares.
struct Chrome: Sendable {
    struct NavItem: Sendable {
        var href: String
        var label: String
        var current: Bool
    }
    var title: String
    var lang: String
    var company: String
    var userName: String
    var roleLabel: String
    var csrf: String
    var nav: [NavItem]
    var notice: String?
    /// The language switch offers the other language.
    var otherLang: String
    var otherLangLabel: String
}

/// What every template receives: the shared chrome, the words of the page's language (`t`) and the page's own model.
struct PageModel<Body: Sendable>: Sendable {
    var chrome: Chrome
    var t: [String: String]
    var page: Body
}

/// Everything a page handler needs about the signed-in request.
struct WebRequest {
    var session: WebSession
    var lang: String
    var format: WebFormat
    var notice: String?
    var company: CompanyRecord { session.company }
    var user: AppUser { session.user }

    init(_ req: Request, _ ctx: AppRequestContext) throws {
        guard let s = ctx.web else { throw Problem.unauthorized() }
        session = s
        lang = WebLanguage.pick(user: s.user.language, acceptLanguage: req.headers[.acceptLanguage], company: s.company.locale)
        format = WebFormat(language: lang, companyLocale: s.company.locale)
        notice = req.uri.queryParameters["notice"].map(String.init)
    }

    func t(_ key: String) -> String { WebText.word(key, lang) }

    func model<B: Sendable>(_ titleKey: String, current: String, _ body: B) -> PageModel<B> {
        let items: [(String, String)] = [
            ("/app", "nav_dashboard"), ("/app/worklist", "nav_worklist"), ("/app/customers", "nav_customers"), ("/app/invoices", "nav_invoices"),
            ("/app/disputes", "nav_disputes"), ("/app/promises", "nav_promises"), ("/app/messages", "nav_messages"), ("/app/tasks", "nav_tasks"),
            ("/app/credit-requests", "nav_credit"), ("/app/reports", "nav_reports"), ("/app/alerts", "my_alerts"),
            ("/app/policy", "nav_policy"), ("/app/templates", "nav_templates"), ("/app/imports", "nav_imports"), ("/app/settings", "nav_settings"), ("/app/tokens", "nav_tokens"),
        ]
        let nav = items.map { Chrome.NavItem(href: $0.0, label: t($0.1), current: $0.0 == current) }
        let other = lang == "es" ? "en" : "es"
        let chrome = Chrome(
            title: t(titleKey), lang: lang, company: company.name, userName: user.name, roleLabel: t("role_\(user.role.rawValue)"), csrf: session.csrf, nav: nav,
            notice: notice, otherLang: other, otherLangLabel: other == "es" ? "Español" : "English")
        return PageModel(chrome: chrome, t: WebText.table(lang), page: body)
    }
}

/// Standalone pages: login, reset, errors.
enum WebPages {
    struct Message: Sendable {
        var lang: String
        var title: String
        var t: [String: String]
    }
    static func message(status: HTTPResponse.Status, title: String, lang: String) -> Response {
        WebRenderer.shared.html("message", Message(lang: lang, title: title, t: WebText.table(lang)), status: status)
    }
}

/// The web app for collectors and managers: sign-in, dashboard, worklist with quick actions, customers, credit-limit
/// approvals. Pages are server-rendered; every `/app` route runs behind ``WebSessionMiddleware`` (sign-in, CSRF) and
/// checks the user's role and the session's company itself.
struct WebApp {
    let deps: AppDependencies
    let loginLimiter: RateLimiter
    /// The API's report handlers, asked in-process by the report pages.
    let reports: ReportRunner
    var db: any Database { deps.db }
    var clock: Clock { deps.clock }

    init(_ deps: AppDependencies, reports: ReportRunner) {
        self.deps = deps
        self.reports = reports
        loginLimiter = RateLimiter(limit: deps.web.loginAttemptsPerMinute, clock: deps.clock)
    }

    func addRoutes(to router: Router<AppRequestContext>) {
        router.get("/") { _, _ in WebResponse.redirect("/app") }
        router.get("static/app.css") { _, _ in Self.asset("app.css", "text/css; charset=utf-8") }
        router.get("static/app.js") { _, _ in Self.asset("app.js", "text/javascript; charset=utf-8") }
        router.get("login", use: loginPage)
        router.post("login", use: login)
        router.get("password-reset", use: resetRequestPage)
        router.post("password-reset", use: resetRequest)
        router.get("password-reset/:token", use: resetPage)
        router.post("password-reset/:token", use: reset)

        let app = router.group("app").add(middleware: WebSessionMiddleware(db: db, clock: clock))
        app.get("", use: dashboard)
        app.get("worklist", use: worklist)
        app.get("customers", use: customers)
        app.get("customers/:ref", use: customer)
        app.get("customers/:ref/statement.pdf", use: statementPDF)
        app.post("customers/:ref/calls", use: logCall)
        app.post("customers/:ref/notes", use: addNote)
        app.post("customers/:ref/promises", use: recordPromise)
        app.post("customers/:ref/disputes", use: openDispute)
        app.post("customers/:ref/snooze", use: snooze)
        app.post("customers/:ref/credit-limit-requests", use: requestLimit)
        app.get("credit-requests", use: creditRequests)
        app.post("credit-requests/:id/approve", use: approveRequest)
        app.post("credit-requests/:id/reject", use: rejectRequest)
        app.get("invoices", use: invoices)
        app.post("invoices/bulk", use: invoicesBulk)
        app.get("disputes", use: disputesBoard)
        app.get("promises", use: promisesPage)
        app.get("messages", use: messagesPage)
        app.get("tasks", use: tasksPage)
        app.post("tasks/:id/close", use: closeTask)
        app.get("reports", use: reportsIndex)
        app.get("reports/:name", use: report)
        app.get("report-schedules", use: schedulesPage)
        app.post("report-schedules", use: createSchedule)
        app.post("report-schedules/:id/delete", use: deleteSchedule)
        app.get("alerts", use: alertsPage)
        app.post("alerts", use: subscribeAlert)
        app.post("alerts/:id/delete", use: unsubscribeAlert)
        app.post("notifications/read", use: markNotificationsRead)
        app.get("settings", use: settings)
        app.post("settings/buckets", use: saveBuckets)
        app.post("settings/channels", use: saveChannels)
        app.post("settings/channels/test", use: testChannel)
        app.post("settings/webhooks", use: addWebhook)
        app.post("settings/webhooks/:id/delete", use: deleteWebhook)
        app.post("settings/users", use: addUser)
        app.post("settings/users/:id/disable", use: disableUser)
        app.get("policy", use: policyPage)
        app.post("policy", use: savePolicy)
        app.get("templates", use: templatesPage)
        app.post("templates", use: templatesPage)
        app.get("imports", use: importsPage)
        app.post("imports", use: runImport)
        app.get("tokens", use: tokensPage)
        app.post("tokens", use: createToken)
        app.post("tokens/:id/revoke", use: revokeToken)
        app.post("language", use: setLanguage)
        app.post("logout", use: logout)
    }

    static let assets: [String: String] = {
        var out: [String: String] = [:]
        guard let dir = Bundle.module.url(forResource: "Templates", withExtension: nil) else { return out }
        for name in ["app.css", "app.js"] { out[name] = try? String(contentsOf: dir.appendingPathComponent(name), encoding: .utf8) }
        return out
    }()

    static func asset(_ name: String, _ type: String) -> Response {
        Response(status: .ok, headers: [.contentType: type, .cacheControl: "public, max-age=3600"], body: .init(byteBuffer: ByteBuffer(string: assets[name] ?? "")))
    }

    // MARK: sign-in

    struct LoginPage: Sendable {
        var lang: String
        var t: [String: String]
        var email: String
        var next: String
        var error: String?
        var notice: String?
    }

    func loginLanguage(_ req: Request) -> String { WebLanguage.pick(user: nil, acceptLanguage: req.headers[.acceptLanguage], company: nil) }

    @Sendable func loginPage(_ req: Request, ctx: AppRequestContext) async throws -> Response {
        let lang = loginLanguage(req)
        let next = Self.safeNext(req.uri.queryParameters["next"].map(String.init))
        return WebRenderer.shared.html(
            "login", LoginPage(lang: lang, t: WebText.table(lang), email: "", next: next, error: nil, notice: req.uri.queryParameters["notice"].map(String.init)))
    }

    /// Only paths inside the app, so a crafted link cannot send a user who signs in to another site.
    static func safeNext(_ next: String?) -> String {
        guard let next, next.hasPrefix("/app"), !next.hasPrefix("//") else { return "/app" }
        return next
    }

    @Sendable func login(_ req: Request, ctx: AppRequestContext) async throws -> Response {
        let lang = loginLanguage(req)
        let form = try await WebForm.parse(req)
        let email = form.string("email") ?? "", password = form.fields["password"]?.first ?? ""
        let next = Self.safeNext(form.string("next"))
        func page(_ error: String, _ status: HTTPResponse.Status) -> Response {
            WebRenderer.shared.html("login", LoginPage(lang: lang, t: WebText.table(lang), email: email, next: next, error: WebText.word(error, lang)), status: status)
        }
        guard loginLimiter.allow(req.clientKey) else { return page("login_rate", .tooManyRequests) }
        let now = clock.nowMillis()
        let result = try await db.transaction { c in try await UserStore.authenticate(c, email: email, password: password, now: now) }
        switch result {
        case .invalid: return page("login_invalid", .unauthorized)
        case .locked: return page("login_locked", .forbidden)
        case .ok(let user):
            let (token, _) = try await db.transaction { c in try await UserStore.startSession(c, user: user, now: now) }
            var r = WebResponse.redirect(next)
            r.setCookie(WebResponse.cookie(WebSessionMiddleware.cookie, token, maxAge: Int(UserStore.sessionMillis / 1000), secure: deps.web.secureCookies))
            return r
        }
    }

    @Sendable func logout(_ req: Request, ctx: AppRequestContext) async throws -> Response {
        if let token = req.cookies[WebSessionMiddleware.cookie]?.value {
            let now = clock.nowMillis()
            try await db.transaction { c in try await UserStore.endSession(c, token: token, now: now) }
        }
        var r = WebResponse.redirect("/login")
        r.setCookie(WebResponse.cookie(WebSessionMiddleware.cookie, "", maxAge: 0, secure: deps.web.secureCookies))
        return r
    }

    @Sendable func setLanguage(_ req: Request, ctx: AppRequestContext) async throws -> Response {
        let w = try WebRequest(req, ctx)
        let lang = ctx.form?.string("lang").flatMap(WebLanguage.supported) ?? w.lang
        let now = clock.nowMillis()
        try await db.transaction { c in try await UserStore.setLanguage(c, user: w.user, language: lang, now: now) }
        return WebResponse.redirect(Self.safeNext(ctx.form?.string("back")))
    }

    // MARK: password reset

    struct ResetPage: Sendable {
        var lang: String
        var t: [String: String]
        var token: String?
        var error: String?
        var notice: String?
    }

    @Sendable func resetRequestPage(_ req: Request, ctx: AppRequestContext) async throws -> Response {
        let lang = loginLanguage(req)
        return WebRenderer.shared.html("reset", ResetPage(lang: lang, t: WebText.table(lang), token: nil, error: nil, notice: nil))
    }

    /// Always answers the same, whether or not the address has an account.
    @Sendable func resetRequest(_ req: Request, ctx: AppRequestContext) async throws -> Response {
        let lang = loginLanguage(req)
        let form = try await WebForm.parse(req)
        guard loginLimiter.allow(req.clientKey) else {
            return WebRenderer.shared.html("reset", ResetPage(lang: lang, t: WebText.table(lang), token: nil, error: WebText.word("login_rate", lang)), status: .tooManyRequests)
        }
        let now = clock.nowMillis()
        if let email = form.string("email"), let (user, token) = try await db.transaction({ c in try await UserStore.requestReset(c, email: email, now: now) }) {
            let link = deps.web.publicURL + "/password-reset/" + token
            let text = lang == "es"
                ? "Hola \(user.name):\n\nPara elegir una contraseña nueva para Cobro abra este enlace (válido una hora):\n\(link)\n\nSi no lo pidió, ignore este mensaje."
                : "Hello \(user.name),\n\nTo choose a new Cobro password, open this link (valid for one hour):\n\(link)\n\nIf you did not ask for it, ignore this message."
            do { try await deps.mailer.send(user.email, lang == "es" ? "Restablecer su contraseña de Cobro" : "Reset your Cobro password", text) } catch {
                deps.logger.error("password reset email to \(user.email) failed: \(error)")
            }
        }
        return WebRenderer.shared.html("reset", ResetPage(lang: lang, t: WebText.table(lang), token: nil, error: nil, notice: WebText.word("reset_sent", lang)))
    }

    @Sendable func resetPage(_ req: Request, ctx: AppRequestContext) async throws -> Response {
        let lang = loginLanguage(req)
        return WebRenderer.shared.html("reset", ResetPage(lang: lang, t: WebText.table(lang), token: try ctx.parameters.require("token"), error: nil, notice: nil))
    }

    @Sendable func reset(_ req: Request, ctx: AppRequestContext) async throws -> Response {
        let lang = loginLanguage(req)
        let token = try ctx.parameters.require("token")
        let form = try await WebForm.parse(req)
        let now = clock.nowMillis(), cost = deps.web.bcryptCost
        do {
            _ = try await db.transaction { c in try await UserStore.reset(c, token: token, password: form.fields["password"]?.first ?? "", cost: cost, now: now) }
        } catch let e as StoreError {
            var f = form
            _ = f.absorb(e)
            return WebRenderer.shared.html(
                "reset", ResetPage(lang: lang, t: WebText.table(lang), token: token, error: f.errors.values.sorted().joined(separator: " ")), status: .unprocessableContent)
        }
        return WebResponse.redirect("/login", notice: WebText.word("reset_done", lang))
    }

    // MARK: permissions

    /// Refuses a change to `customerRef` unless the user's role may work that customer (a collector: their own
    /// portfolio only): 404 for a customer the company does not have, 403 otherwise.
    func requireWork(_ w: WebRequest, customerRef: String) async throws {
        let co = w.company.id
        guard let row = try await db.read({ c in try await c.first("SELECT collector FROM customer WHERE company_id = $1 AND customer_ref = $2", [.int(co), .text(customerRef)]) })
        else { throw Problem.notFound("customer \(customerRef) does not exist") }
        guard w.user.role.mayWork(customerCollector: row.textOrNil(0), ownHandle: w.user.collector) else {
            throw Problem(.forbidden, "Forbidden", detail: w.t("read_only"))
        }
    }
}
