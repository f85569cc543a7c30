import CobroCore
import CobroDelivery
import CobroStore
import Foundation
import Hummingbird
import Logging
import NIOCore

/// Everything the application needs from outside: the database, the clock and where to log.
public struct AppDependencies: Sendable {
    public var db: any Database
    public var clock: Clock
    public var logger: Logger
    /// Memory for rendered reports (see `ReportCache`); 0 turns the cache off.
    public var reportCacheBytes: Int
    /// The daily dunning run and outbox delivery (`DunningScheduler`); `nil` leaves both to the CLI.
    public var dunning: DunningSchedule?
    /// Size limit, restore period and storage of attached files.
    public var attachments: AttachmentSettings
    /// The web app's and portal's settings (cookies, HSTS, portal address, payment provider).
    public var web: WebSettings
    /// Sends password-reset and fresh-portal-link emails.
    public var mailer: Mailer

    /// When the server runs dunning and where it delivers.
    public struct DunningSchedule: Sendable {
        /// Channel settings fall back to these variables (`COBRO_SMTP_URL`, …).
        public var environment: [String: String]
        public var minuteOfDay: Int
        public init(environment: [String: String], minuteOfDay: Int = DailyRunSchedule.defaultMinuteOfDay) {
            self.environment = environment
            self.minuteOfDay = minuteOfDay
        }
    }

    public init(
        db: any Database, clock: Clock = .system, logger: Logger = Logger(label: "cobro"), reportCacheBytes: Int = 64 << 20, dunning: DunningSchedule? = nil,
        attachments: AttachmentSettings = AttachmentSettings(), web: WebSettings = WebSettings(), mailer: Mailer? = nil
    ) {
        self.db = db
        self.clock = clock
        self.logger = logger
        self.reportCacheBytes = reportCacheBytes
        self.dunning = dunning
        self.attachments = attachments
        self.web = web
        self.mailer = mailer ?? Mailer.smtp(nil, logger: logger)
    }
}

/// The OpenAPI document served at `/api/v1/openapi.json` (the file in Sources/CobroServer is the contract).
public enum OpenAPIDocument {
    public static let json: String = {
        guard let url = Bundle.module.url(forResource: "openapi", withExtension: "json"), let s = try? String(contentsOf: url, encoding: .utf8) else { return "{}" }
        return s
    }()
}

/// All routes: `/health`, `/metrics`, `/api/v1/openapi.json` (public), the authenticated `/api/v1` API, the web
/// app (`/login`, `/app/…`) and the customer portal (`/portal/…`).
public func buildRouter(_ deps: AppDependencies) -> Router<AppRequestContext> {
    let router = Router(context: AppRequestContext.self)
    router.add(middleware: MetricsMiddleware())
    router.add(middleware: SecurityHeadersMiddleware(hsts: deps.web.hsts))
    router.add(middleware: ProblemMiddleware())
    router.get("health") { _, _ in
        let ok = (try? await deps.db.read { c in try await c.first("SELECT 1", []) }) != nil
        return Response.json(.object([("status", .string(ok ? "ok" : "degraded")), ("database", .string(deps.db.dialect.rawValue))]), status: ok ? .ok : .serviceUnavailable)
    }
    router.get("metrics") { _, _ in Response.text(CobroMetrics.render(), contentType: "text/plain; version=0.0.4") }
    router.get("api/v1/openapi.json") { _, _ in Response.text(OpenAPIDocument.json, contentType: "application/json") }
    let api = router.group("api/v1").add(middleware: BearerAuthMiddleware(db: deps.db))
    LedgerController(db: deps.db, clock: deps.clock).addRoutes(to: api)
    ReportsController(db: deps.db, clock: deps.clock, cache: ReportCache(maxBytes: deps.reportCacheBytes)).addRoutes(to: api)
    ImportsController(db: deps.db, clock: deps.clock).addRoutes(to: api)
    WebhooksController(db: deps.db, clock: deps.clock).addRoutes(to: api)
    DunningController(db: deps.db, clock: deps.clock, portalURL: deps.web.publicURL).addRoutes(to: api)
    SettingsController(db: deps.db, clock: deps.clock).addRoutes(to: api)
    PromisesController(db: deps.db, clock: deps.clock).addRoutes(to: api)
    PlansController(db: deps.db, clock: deps.clock).addRoutes(to: api)
    DisputesController(db: deps.db, clock: deps.clock).addRoutes(to: api)
    InteractionsController(db: deps.db, clock: deps.clock).addRoutes(to: api)
    CreditController(db: deps.db, clock: deps.clock).addRoutes(to: api)
    PortfolioController(db: deps.db, clock: deps.clock).addRoutes(to: api)
    GoalsController(db: deps.db, clock: deps.clock).addRoutes(to: api)
    AttachmentsController(db: deps.db, clock: deps.clock, settings: deps.attachments).addRoutes(to: api)
    HandOverController(db: deps.db, clock: deps.clock).addRoutes(to: api)
    CollectionsReportsController(db: deps.db, clock: deps.clock).addRoutes(to: api)
    RiskReportsController(db: deps.db, clock: deps.clock).addRoutes(to: api)
    RiskController(db: deps.db, clock: deps.clock).addRoutes(to: api)
    WebApp(deps, reports: ReportRunner(responder: reportRouter(deps).buildResponder())).addRoutes(to: router)
    PortalController(deps).addRoutes(to: router)
    return router
}

/// The report routes of the API without their authentication: never served, only asked in-process by the web
/// app's report pages with the signed-in user's company already in the context.
func reportRouter(_ deps: AppDependencies) -> Router<AppRequestContext> {
    let router = Router(context: AppRequestContext.self)
    router.add(middleware: ProblemMiddleware())
    let api = router.group("api/v1")
    ReportsController(db: deps.db, clock: deps.clock, cache: ReportCache(maxBytes: 0)).addRoutes(to: api)
    CollectionsReportsController(db: deps.db, clock: deps.clock).addRoutes(to: api)
    RiskReportsController(db: deps.db, clock: deps.clock).addRoutes(to: api)
    RiskController(db: deps.db, clock: deps.clock).addRoutes(to: api)
    PromisesController(db: deps.db, clock: deps.clock).addRoutes(to: api)
    GoalsController(db: deps.db, clock: deps.clock).addRoutes(to: api)
    return router
}

/// The application: the HTTP server plus the webhook worker and, when configured, the daily dunning scheduler;
/// shut down gracefully on SIGTERM/SIGINT.
public func buildApplication(_ deps: AppDependencies, host: String, port: Int, runWorker: Bool = true) -> some ApplicationProtocol {
    var app = Application(
        router: buildRouter(deps), configuration: .init(address: .hostname(host, port: port), serverName: "Cobro"), logger: deps.logger)
    if runWorker {
        app.addServices(WebhookWorker(db: deps.db, clock: deps.clock, logger: deps.logger))
        app.addServices(WebScheduler(
            db: deps.db, clock: deps.clock, logger: deps.logger, mailer: deps.mailer, reports: ReportRunner(responder: reportRouter(deps).buildResponder())))
    }
    if runWorker, let d = deps.dunning {
        app.addServices(DunningScheduler(db: deps.db, clock: deps.clock, logger: deps.logger, environment: d.environment, minuteOfDay: d.minuteOfDay, portalURL: deps.web.publicURL))
    }
    return app
}
