import CobroCore
import CobroStore
import Foundation

/// How email leaves: the SMTP server and the sender, from `COBRO_SMTP_URL` and `COBRO_SMTP_FROM`.
public struct EmailSettings: Sendable {
    public var smtp: SMTPConfiguration
    public var from: EmailAddress

    public init(smtp: SMTPConfiguration, from: EmailAddress) {
        self.smtp = smtp
        self.from = from
    }

    /// `nil` when `COBRO_SMTP_URL` is not set; an error naming the variable when a value is invalid.
    public static func fromEnvironment(_ env: [String: String] = ProcessInfo.processInfo.environment) throws -> EmailSettings? {
        guard let url = env["COBRO_SMTP_URL"], !url.isEmpty else { return nil }
        let smtp = try SMTPConfiguration.parse(url).get()
        guard let fromText = env["COBRO_SMTP_FROM"], !fromText.isEmpty else {
            throw DeliveryError.configuration("COBRO_SMTP_FROM is not set; give the sender address, e.g. cobranza@example.com")
        }
        do {
            return EmailSettings(smtp: smtp, from: try EmailAddress(address: fromText))
        } catch {
            throw DeliveryError.configuration("COBRO_SMTP_FROM: \(error)")
        }
    }
}

/// What a delivery pass did.
public struct DeliveryTotals: Sendable, Hashable {
    public var sent = 0
    /// Failed for good (refused address, 5xx reply, too many attempts).
    public var failed = 0
    /// Failed this time; queued again with backoff.
    public var retrying = 0
    public init() {}
}

/// Delivers the outbox's email (reminders and statements): claims due messages in batches, renders each as MIME
/// with a Message-ID derived from its row (the same on every attempt), submits a batch over one SMTP connection,
/// and records each outcome. Guarantee: at least once — a message is marked sent only after the server accepted it,
/// so a crash between acceptance and the mark sends it again, with the same Message-ID.
public struct OutboxWorker: Sendable {
    public let db: any Database
    public let email: EmailSettings
    public let clock: Clock
    /// How long a claimed batch is reserved for this worker; a worker that dies leaves its batch to be claimed
    /// again after this (`COBRO_OUTBOX_LEASE_SECONDS` in the CLI and server; default 2 minutes).
    public let leaseMillis: Int64
    /// Only this company's email (`nil`: every company's).
    public let company: Int64?
    static let channels: [DunningChannel] = [.email, .statement]

    public init(db: any Database, email: EmailSettings, clock: Clock = .system, leaseMillis: Int64 = 120_000, company: Int64? = nil) {
        self.db = db
        self.email = email
        self.clock = clock
        self.leaseMillis = leaseMillis
        self.company = company
    }

    /// One batch: up to `limit` messages due now. Returns what happened to them.
    public func deliverDue(limit: Int = 100) async throws -> DeliveryTotals {
        let now = clock.nowMillis()
        let leaseMillis = self.leaseMillis
        let claimed = try await db.transaction { c in
            try await OutboxStore.claim(c, channels: OutboxWorker.channels, now: now, leaseMillis: leaseMillis, limit: limit, company: company)
        }
        var totals = DeliveryTotals()
        guard !claimed.isEmpty else { return totals }
        var ready: [(OutboxMessage, [UInt8])] = []
        for m in claimed {
            do {
                let attachments = m.channel == .statement ? try await statementAttachment(m) : []
                ready.append((m, try render(m, at: now, attachments: attachments)))
            } catch {
                try await db.transaction { c in try await OutboxStore.markFailed(c, m, error: "\(error)", permanent: true, now: now) }
                totals.failed += 1
            }
        }
        let results: [Result<String, DeliveryError>]
        do {
            results = try await SMTPClient(email.smtp).send(batch: ready.map { (email.from.address, [$0.0.recipient], $0.1) })
        } catch let e as DeliveryError {
            results = Array(repeating: .failure(e), count: ready.count)
        } catch {
            results = Array(repeating: .failure(.connection("\(error)")), count: ready.count)
        }
        let done = clock.nowMillis()
        let outcomes = Array(zip(ready.map(\.0), results))
        try await db.transaction { c in
            for (m, result) in outcomes {
                switch result {
                case .success(let reply): try await OutboxStore.markSent(c, m, providerID: reply, now: done)
                case .failure(let e): try await OutboxStore.markFailed(c, m, error: e.description, permanent: e.permanent, now: done)
                }
            }
        }
        for r in results {
            switch r {
            case .success: totals.sent += 1
            case .failure(let e): if e.permanent { totals.failed += 1 } else { totals.retrying += 1 }
            }
        }
        return totals
    }

    /// Delivers batches until nothing is due now, or a batch made no progress (e.g. the server is down: those
    /// messages wait for their retry time).
    public func drain(limit: Int = 100) async throws -> DeliveryTotals {
        var totals = DeliveryTotals()
        while true {
            let t = try await deliverDue(limit: limit)
            totals.sent += t.sent
            totals.failed += t.failed
            totals.retrying += t.retrying
            if t.sent + t.failed == 0 { return totals }
        }
    }

    /// The account statement a `statement` message carries, as a PDF in the message's language and currency.
    func statementAttachment(_ m: OutboxMessage) async throws -> [EmailAttachment] {
        guard let f = try await db.read({ c in try await OutboxStore.statementFacts(c, m) }) else { return [] }
        let statement = f.statements.first { $0.currency == f.currency } ?? Statement.build(
            customerRef: f.customerRef, currency: f.currency, from: f.runDay.adding(days: -89), to: f.runDay, openingMinor: 0, movements: [],
            openItems: [], unappliedMinor: 0)
        let format = LocalizedFormat(languageTag: m.language)
        let document = StatementDocument(
            statement: statement, format: format, wording: .forLanguage(m.language), company: CompanyHeader(name: f.company, returnAddress: f.company),
            customer: [f.customer] + (f.address ?? "").split(whereSeparator: { $0 == "\n" || $0 == "," }).map { $0.trimmingCharacters(in: .whitespaces) },
            references: [f.customerRef, f.currency.code, format.date(f.runDay)])
        return [try EmailAttachment(filename: "statement-\(safeFileNamePart(f.customerRef))-\(f.runDay.iso).pdf", contentType: "application/pdf", data: StatementPDF.render(document))]
    }

    func render(_ m: OutboxMessage, at now: Int64, attachments: [EmailAttachment] = []) throws -> [UInt8] {
        let domain = email.from.address.split(separator: "@").last.map(String.init) ?? "cobro.invalid"
        let message = try EmailMessage(
            from: email.from, to: [try EmailAddress(address: m.recipient)], subject: m.subject, text: m.text, html: m.html, attachments: attachments,
            messageID: try EmailMessage.messageID(key: "cobro-\(m.companyID)-\(m.id)", domain: domain),
            date: Date(timeIntervalSince1970: Double(now) / 1000))
        return message.rendered()
    }
}
