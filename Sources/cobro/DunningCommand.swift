import ArgumentParser
import CobroCore
import CobroDelivery
import CobroServer
import CobroStore
import Foundation

struct DunningCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "dunning", abstract: "Automated reminders.", subcommands: [Run.self, Deliver.self, DunningConfigCommand.self])

    struct Deliver: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "deliver",
            abstract: "Deliver what the outbox holds that is due now and wait until it has gone: email (COBRO_SMTP_URL, COBRO_SMTP_FROM), letters as PDF (COBRO_LETTER_DIR), SMS (COBRO_SMS_URL).",
            discussion: "Safe to stop at any moment and run again: a message is marked sent only after the server accepted it, and a resend keeps its Message-ID.")
        @OptionGroup var global: GlobalOptions

        func run() async throws {
            for line in try await withDatabase(global, { db in try await deliverOutbox(db) }) { printOut(line + "\n") }
        }
    }

    struct Run: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "run",
            abstract: "Plan today's reminders, record them in the dunning ledger and queue them in the outbox.",
            discussion: """
                A step is sent at most once per invoice, even if the run is repeated or two runs overlap; after an outage each \
                due step is sent once, at the highest level due. Messages wait for the customer's contact window.
                """)

        @Option(name: .customLong("as-of"), help: "Run as if it were this date (YYYY-MM-DD), at 10:00 in each customer's time zone (default: today).")
        var asOf: String?
        @Option(help: "Act at this instant instead (ISO 8601, e.g. 2026-11-23T09:30:00Z).")
        var now: String?
        @Flag(name: .customLong("dry-run"), help: "Show what would be sent, with the rendered texts; change nothing.")
        var dryRun = false
        @Flag(name: .customLong("no-deliver"), help: "Only record and queue; do not deliver.")
        var noDeliver = false
        @Option(name: .customLong("rate"), help: "Exchange rate into the base currency for step minimums, e.g. --rate EUR=1.0850 (repeatable).")
        var rates: [String] = []
        @Option(help: "table or json.")
        var format: OutputFormat = .table
        @OptionGroup var global: GlobalOptions

        func validate() throws {
            if format == .csv { throw ValidationError("--format: csv is not available for dunning runs; use table or json") }
        }

        func run() async throws {
            let date = try parseDate(asOf, flag: "--as-of")
            var instant: Date?
            if let now {
                guard let d = ISO8601DateFormatter().date(from: now) else {
                    throw ValidationError("--now: \"\(now)\" is not an ISO 8601 timestamp with a time zone, e.g. 2026-11-23T09:30:00Z")
                }
                instant = d
            }
            let report = try await withDatabase(global) { db in
                let company = try await global.resolveCompany(db)
                let parsed = try parseRates(rates, base: company.baseCurrency)
                let day = date ?? instant.map { ZonedWallClock.localDate(of: $0, in: TimeZone(identifier: company.timezone) ?? .gmt) }
                    ?? Clock.system.today(in: company.timezone)
                return try await DunningRunner.run(
                    db, company: company, options: .init(asOf: day, now: instant, dryRun: dryRun, actor: "cli", rates: parsed, portalURL: publicURL()), clock: .system)
            }
            switch format {
            case .json: printOut(DunningRendering.runJSON(report).render(pretty: true) + "\n")
            default: printOut(DunningRendering.runTable(report))
            }
            guard !dryRun, !noDeliver else { return }
            // Deliver what is due now and wait until it has gone (messages outside a contact window wait for it).
            let lines = try await withDatabase(global) { db in try await deliverOutbox(db) }
            // Keeps stdout a single JSON document with --format json.
            for line in lines {
                if format == .json { FileHandle.standardError.write(Data((line + "\n").utf8)) } else { printOut(line + "\n") }
            }
        }
    }
}


/// Delivers the outbox's due messages on every configured channel; one summary line per channel.
func deliverOutbox(_ db: any Database) async throws -> [String] {
    try await OutboxDispatcher(db: db).deliverDue().lines
}
