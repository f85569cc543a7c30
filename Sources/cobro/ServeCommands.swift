import ArgumentParser
import CobroCore
import CobroDelivery
import CobroFixtures
import CobroServer
import CobroStore
import Foundation
import Hummingbird
import Logging

struct ServerOptions: ParsableArguments {
    @Option(help: "Address to listen on.") var host: String = "127.0.0.1"
    @Option(help: "Port to listen on.") var port: Int = 8080
    @Option(name: .customLong("log-format"), help: "text or json.") var logFormat: String = "text"
    @Option(
        name: .customLong("clock-start"),
        help: "Start the server's clock at this UTC instant (e.g. 2026-06-30T12:00:00Z) and let it run from there: for replaying a historical ledger such as the benchmark workload. Default: the system clock.")
    var clockStart: String?

    func validate() throws {
        guard (0...65535).contains(port) else { throw ValidationError("--port must be 0–65535") }
        guard ["text", "json"].contains(logFormat) else { throw ValidationError("--log-format must be text or json") }
        if let clockStart, Self.instant(clockStart) == nil {
            throw ValidationError("--clock-start: \"\(clockStart)\" is not an instant like 2026-06-30T12:00:00Z")
        }
    }

    static func instant(_ text: String) -> Int64? {
        ISO8601DateFormatter().date(from: text).map { Int64($0.timeIntervalSince1970 * 1000) }
    }

    /// The system clock, or one that started at `--clock-start` when this process did.
    func clock() -> Clock {
        guard let start = clockStart.flatMap(Self.instant) else { return .system }
        let offset = start - Clock.system.nowMillis()
        return Clock { Clock.system.nowMillis() + offset }
    }

    func logger() -> Logger {
        if logFormat == "json" {
            LoggingSystem.bootstrap { JSONLogHandler(label: $0) }
        }
        var l = Logger(label: "cobro")
        l.logLevel = ProcessInfo.processInfo.environment["LOG_LEVEL"].flatMap(Logger.Level.init(rawValue:)) ?? .info
        return l
    }
}

func serve(_ db: any Database, _ opts: ServerOptions, logger: Logger) async throws {
    CobroMetrics.bootstrap()
    let cacheMB = try environmentInt("COBRO_REPORT_CACHE_MB", default: 64, range: 0...65_536)
    let app = buildApplication(
        AppDependencies(
            db: db, clock: opts.clock(), logger: logger, reportCacheBytes: cacheMB << 20, dunning: try dunningSchedule(),
            attachments: try attachmentSettings(), web: webSettings(opts), mailer: Mailer.smtp(try EmailSettings.fromEnvironment(), logger: logger)),
        host: opts.host, port: opts.port)
    try await app.runService()
}

/// The web app's settings from the environment: `COBRO_PUBLIC_URL` (where customers reach the portal; default this
/// server's address), `COBRO_CHECKOUT_URL` (the payment provider's hosted checkout; unset = the built-in test
/// checkout), `COBRO_SECURE_COOKIES=1` and `COBRO_HSTS=1` behind HTTPS.
func webSettings(_ opts: ServerOptions) -> WebSettings {
    let env = ProcessInfo.processInfo.environment
    let on: (String) -> Bool = { ["1", "true", "yes"].contains(env[$0]?.lowercased() ?? "") }
    return WebSettings(
        bcryptCost: 12, secureCookies: on("COBRO_SECURE_COOKIES"), hsts: on("COBRO_HSTS"), publicURL: publicURL(host: opts.host, port: opts.port),
        checkoutURL: env["COBRO_CHECKOUT_URL"].flatMap { $0.isEmpty ? nil : $0 })
}

/// Where customers reach Cobro: `COBRO_PUBLIC_URL` (no trailing slash), else this machine's server address.
func publicURL(host: String = "127.0.0.1", port: Int = 8080) -> String {
    let url = ProcessInfo.processInfo.environment["COBRO_PUBLIC_URL"].flatMap { $0.isEmpty ? nil : $0 } ?? "http://\(host):\(port)"
    return url.hasSuffix("/") ? String(url.dropLast()) : url
}

/// Attachment limits and storage from the environment (`COBRO_ATTACHMENT_MAX_MB`, `COBRO_ATTACHMENT_RETENTION_DAYS`,
/// `COBRO_ATTACHMENTS_DIR`), with the variable named when a value is wrong.
func attachmentSettings() throws -> AttachmentSettings {
    do {
        return try AttachmentSettings.from(environment: ProcessInfo.processInfo.environment)
    } catch StoreError.invalid(let field, let message) {
        throw ValidationError("\(field): \(message)")
    }
}

struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "serve", abstract: "Serve the REST API (and deliver webhooks).")
    @OptionGroup var server: ServerOptions
    @OptionGroup var global: GlobalOptions

    func run() async throws {
        let logger = server.logger()
        try await withDatabase(global) { db in
            print("Cobro serving \(global.resolvedURL) on http://\(server.host):\(server.port)/api/v1 (OpenAPI at /api/v1/openapi.json)")
            try await serve(db, server, logger: logger)
        }
    }
}

struct DemoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo", abstract: "Seed realistic demo data (≈200 customers, ≈5,000 invoices, 18 months) into company 'demo' and serve.")
    @OptionGroup var server: ServerOptions
    @OptionGroup var global: GlobalOptions
    @Flag(help: "Seed (if needed), print the token and exit without serving.") var noServe = false

    func run() async throws {
        let logger = server.logger()
        try await withDatabase(global) { db in
            let clock = Clock.system
            let company = try await db.transaction { c in
                if let found = try await CompanyStore.find(c, slug: "demo") { return found }
                return try await CompanyStore.create(c, slug: "demo", name: "Demo Distribuciones S.A.", baseCurrency: Currency(code: "USD")!,
                                                     timezone: "America/Mexico_City", locale: "es", now: clock.nowMillis())
            }
            let invoices = try await db.read { c in try await c.first("SELECT COUNT(*) FROM invoice WHERE company_id = $1", [.int(company.id)])!.int(0) }
            if invoices == 0 {
                let today = clock.today(in: company.timezone)
                var files = ["", "", ""]
                let counts = LedgerGenerator(.demo(today: today)).generate(
                    customers: { files[0] += $0 }, invoices: { files[1] += $0 }, payments: { files[2] += $0 })
                for (kind, text) in zip([ImportKind.customers, .invoices, .payments], files) {
                    let bytes = Array(text.utf8)
                    let box = OnceChunk(bytes)
                    let s = try await Importer(db: db, company: company, actor: "demo", clock: clock).run(kind, source: "demo", strict: true, next: { box.take() })
                    guard s.committed else { throw CLIError("demo \(kind.rawValue) did not import: \(s.errors.first?.description ?? "unknown error")") }
                }
                print("Seeded demo data: \(counts.customers) customers, \(counts.invoices) invoices, \(counts.creditNotes) credit notes, \(counts.debitNotes) debit notes, \(counts.payments) payments.")
            } else {
                print("Demo data already present (\(invoices) documents).")
            }
            let token = try await db.transaction { c in try await TokenStore.create(c, company: company.id, name: "demo", now: clock.nowMillis()) }
            let users = try await seedDemoUsers(db, company: company, now: clock.nowMillis())
            let base = "http://\(server.host):\(server.port)"
            let sampleCustomer = try await db.read { c in
                try await c.first("SELECT customer_ref FROM customer WHERE company_id = $1 AND collector = 'ana' ORDER BY customer_ref LIMIT 1", [.int(company.id)])?.text(0)
            }
            let portal = try await sampleCustomer.asyncMap { try await portalLink(db, company: company, customerRef: $0, baseURL: base) }
            print("""

                Cobro demo — company "demo" in \(global.resolvedURL)
                  API:      \(base)/api/v1   (OpenAPI: \(base)/api/v1/openapi.json)
                  Token:    \(token)
                  Try:      curl -H 'Authorization: Bearer \(token)' '\(base)/api/v1/reports/aging?format=csv'
                            cobro report kpis --company demo
                  Web app:  \(base)/login — sign in as
                \(users.map { "              \($0.email)  password \($0.password)  (\($0.role))" }.joined(separator: "\n"))
                  Portal:   \(portal ?? "(no customer yet)")

                """)
            if !noServe { try await serve(db, server, logger: logger) }
        }
    }
}

/// The demo's collectors (ana and luis share the team "norte", which the portfolio rule gives every customer) and
/// one web user per role. The passwords are fixed and printed: this is a local demo, not a deployment.
func seedDemoUsers(_ db: any Database, company: CompanyRecord, now: Int64) async throws -> [(email: String, password: String, role: String)] {
    let users: [(String, String, UserRole, String?)] = [
        ("admin@demo.cobro", "Administración", .admin, nil), ("gerente@demo.cobro", "Gabriela Gerente", .manager, nil),
        ("ana@demo.cobro", "Ana Ruiz", .collector, "ana"), ("luis@demo.cobro", "Luis Pérez", .collector, "luis"), ("ventas@demo.cobro", "Ventas", .viewer, nil),
    ]
    try await db.transaction { c in
        if try await PortfolioStore.collectors(c, company: company.id).isEmpty {
            try await PortfolioStore.upsertCollector(c, company: company.id, Collector(key: "ana", name: "Ana Ruiz", email: "ana@demo.cobro", team: "norte"), actor: "demo", now: now)
            try await PortfolioStore.upsertCollector(c, company: company.id, Collector(key: "luis", name: "Luis Pérez", email: "luis@demo.cobro", team: "norte"), actor: "demo", now: now)
            try await PortfolioStore.saveRules(c, company: company.id, [PortfolioRule(name: "everyone", target: .team("norte"))], actor: "demo", now: now)
            _ = try await PortfolioStore.assign(c, company: company.id, base: company.baseCurrency, reassign: false, dryRun: false, actor: "demo", now: now)
        }
        for (email, name, role, collector) in users where try await UserStore.find(c, email: email) == nil {
            _ = try await UserStore.create(
                c, company: company.id, email: email, name: name, role: role, collector: collector, language: "es", password: demoPassword(role), cost: 10, actor: "demo", now: now)
        }
    }
    return users.map { ($0.0, demoPassword($0.2), $0.2.rawValue) }
}

func demoPassword(_ role: UserRole) -> String { "demo-\(role.rawValue)-2026" }

extension Optional {
    func asyncMap<T>(_ f: (Wrapped) async throws -> T) async rethrows -> T? {
        guard let v = self else { return nil }
        return try await f(v)
    }
}

/// Hands out one buffer, then end-of-input.
final class OnceChunk: @unchecked Sendable {
    var bytes: [UInt8]?
    init(_ b: [UInt8]) { bytes = b }
    func take() -> [UInt8]? {
        defer { bytes = nil }
        return bytes
    }
}

/// The server's daily dunning from the environment: `COBRO_DUNNING_AT` (`HH:MM` on each company's clock, default
/// 10:00; `off` turns the schedule and the server's outbox delivery off) and the channel settings of
/// `cobro dunning deliver`.
func dunningSchedule() throws -> AppDependencies.DunningSchedule? {
    let at = ProcessInfo.processInfo.environment["COBRO_DUNNING_AT"] ?? ""
    if at == "off" { return nil }
    var minute = DailyRunSchedule.defaultMinuteOfDay
    if !at.isEmpty {
        guard let m = DailyRunSchedule.minuteOfDay(at) else { throw CLIError("COBRO_DUNNING_AT \"\(at)\" is not a time of day HH:MM (e.g. 09:30) or off") }
        minute = m
    }
    _ = try DeliverySettings.fromEnvironment()  // invalid channel variables stop the server at start, naming the variable
    return AppDependencies.DunningSchedule(environment: ProcessInfo.processInfo.environment, minuteOfDay: minute)
}
