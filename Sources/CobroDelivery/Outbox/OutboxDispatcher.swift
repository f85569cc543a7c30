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

/// What one delivery pass did, per channel (summed over companies).
public struct DispatchSummary: Sendable, Hashable {
    public var email: DeliveryTotals?
    public var letters: Int?
    public var sms: DeliveryTotals?
    public var callTasks = 0
    /// Companies whose delivery failed this pass (their messages wait; the others were delivered).
    public var problems: [String] = []

    /// One line per channel, for the CLI and the server log.
    public var lines: [String] {
        [
            email.map { "Email: \($0.sent) sent, \($0.retrying) to retry, \($0.failed) failed" } ?? "Email: not configured (COBRO_SMTP_URL or the company's smtp_url); email stays queued",
            letters.map { "Letters: \($0) PDF files written" } ?? "Letters: not configured (COBRO_LETTER_DIR or letter_dir); letters stay queued",
            sms.map { "SMS: \($0.sent) sent, \($0.retrying) to retry, \($0.failed) failed" } ?? "SMS: not configured (COBRO_SMS_URL or sms_url); SMS stays queued",
            "Call tasks: \(callTasks) new tasks for the collectors",
        ] + problems.map { "Problem: \($0)" }
    }

    mutating func add(_ t: DeliveryTotals, to keyPath: WritableKeyPath<DispatchSummary, DeliveryTotals?>) {
        var sum = self[keyPath: keyPath] ?? DeliveryTotals()
        sum.sent += t.sent
        sum.failed += t.failed
        sum.retrying += t.retrying
        self[keyPath: keyPath] = sum
    }
}

/// Delivers everything the outbox holds that is due now, company by company, each through its own channels (its
/// settings over the environment's, ``ChannelSettings``), and turns due call steps into collector tasks. Shared by
/// `cobro dunning deliver` and the server's scheduler.
public struct OutboxDispatcher: Sendable {
    public let db: any Database
    public let environment: [String: String]
    public let clock: Clock

    public init(db: any Database, environment: [String: String] = ProcessInfo.processInfo.environment, clock: Clock = .system) {
        self.db = db
        self.environment = environment
        self.clock = clock
    }

    /// Throws for invalid settings in the environment. A company whose delivery fails (its settings became invalid,
    /// its letter folder cannot be written) is reported in ``DispatchSummary/problems`` and the others go on.
    public func deliverDue() async throws -> DispatchSummary {
        _ = try DeliverySettings.fromEnvironment(environment)
        var s = DispatchSummary()
        let now = clock.nowMillis()
        s.callTasks = try await db.transaction { c in try await TaskStore.releaseCalls(c, now: now) }
        let companies = try await db.read { c in
            var out: [(Int64, [String: String])] = []
            for co in try await CompanyStore.all(c) { out.append((co.id, try await ChannelSettingsStore.get(c, company: co.id))) }
            return out
        }
        for (company, own) in companies {
            do {
                let settings = try ChannelSettings.resolve(own, environment: environment)
                if let email = settings.email {
                    s.add(try await OutboxWorker(db: db, email: email, clock: clock, leaseMillis: settings.leaseMillis, company: company).drain(), to: \.email)
                }
                if let dir = settings.letterDirectory {
                    s.letters = (s.letters ?? 0) + (try await LetterPrinter(db: db, directory: dir, clock: clock, company: company).printDue().count)
                }
                if let gateway = settings.sms {
                    s.add(try await SMSWorker(db: db, gateway: gateway, clock: clock, company: company).drain(), to: \.sms)
                }
            } catch {
                s.problems.append("company \(company): \(error)")
            }
        }
        return s
    }
}
