import CobroCore
import CobroStore
import Foundation

/// Where each channel goes: email by SMTP, letters to a print folder, SMS through a gateway. A channel left
/// unconfigured keeps its messages queued (they are delivered once it is configured).
public struct DeliverySettings: Sendable {
    public var email: EmailSettings?
    public var letterDirectory: URL?
    public var sms: SMSGateway?
    /// How long a claimed batch is reserved for one worker (`COBRO_OUTBOX_LEASE_SECONDS`).
    public var leaseMillis: Int64

    public init(email: EmailSettings? = nil, letterDirectory: URL? = nil, sms: SMSGateway? = nil, leaseMillis: Int64 = 120_000) {
        self.email = email
        self.letterDirectory = letterDirectory
        self.sms = sms
        self.leaseMillis = leaseMillis
    }

    /// From `COBRO_SMTP_URL`, `COBRO_SMTP_FROM`, `COBRO_LETTER_DIR`, `COBRO_SMS_*` and `COBRO_OUTBOX_LEASE_SECONDS`;
    /// an invalid value is an error naming its variable.
    public static func fromEnvironment(_ env: [String: String] = ProcessInfo.processInfo.environment) throws -> DeliverySettings {
        var lease: Int64 = 120
        if let text = env["COBRO_OUTBOX_LEASE_SECONDS"], !text.isEmpty {
            guard let n = Int64(text), (1...86_400).contains(n) else {
                throw DeliveryError.configuration("COBRO_OUTBOX_LEASE_SECONDS: \"\(text)\" is not a whole number of seconds from 1 to 86400")
            }
            lease = n
        }
        return DeliverySettings(
            email: try EmailSettings.fromEnvironment(env), letterDirectory: env["COBRO_LETTER_DIR"].flatMap { $0.isEmpty ? nil : URL(fileURLWithPath: $0) },
            sms: try SMSGateway.fromEnvironment(env), leaseMillis: lease * 1000)
    }
}

/// What one delivery pass did, per channel.
public struct DispatchSummary: Sendable, Hashable {
    public var email: DeliveryTotals?
    public var letters: Int?
    public var sms: DeliveryTotals?
    public var callTasks = 0

    /// One line per channel, for the CLI and the server log.
    public var lines: [String] {
        [
            email.map { "Email: \($0.sent) sent, \($0.retrying) to retry, \($0.failed) failed" } ?? "Email: COBRO_SMTP_URL is not set; email stays queued",
            letters.map { "Letters: \($0) PDF files written" } ?? "Letters: COBRO_LETTER_DIR is not set; letters stay queued",
            sms.map { "SMS: \($0.sent) sent, \($0.retrying) to retry, \($0.failed) failed" } ?? "SMS: COBRO_SMS_URL is not set; SMS stays queued",
            "Call tasks: \(callTasks) new tasks for the collectors",
        ]
    }
}

/// Delivers everything the outbox holds that is due now, on every configured channel, and turns due call steps
/// into collector tasks. Shared by `cobro dunning deliver` and the server's scheduler.
public struct OutboxDispatcher: Sendable {
    public let db: any Database
    public let settings: DeliverySettings
    public let clock: Clock

    public init(db: any Database, settings: DeliverySettings, clock: Clock = .system) {
        self.db = db
        self.settings = settings
        self.clock = clock
    }

    public func deliverDue() async throws -> DispatchSummary {
        var s = DispatchSummary()
        let now = clock.nowMillis()
        s.callTasks = try await db.transaction { c in try await TaskStore.releaseCalls(c, now: now) }
        if let email = settings.email {
            s.email = try await OutboxWorker(db: db, email: email, clock: clock, leaseMillis: settings.leaseMillis).drain()
        }
        if let dir = settings.letterDirectory {
            s.letters = try await LetterPrinter(db: db, directory: dir, clock: clock).printDue().count
        }
        if let gateway = settings.sms {
            s.sms = try await SMSWorker(db: db, gateway: gateway, clock: clock).drain()
        }
        return s
    }
}
