import ArgumentParser
import CobroCore
import CobroServer
import CobroStore
import Foundation

/// `cobro retention run`: erase the personal data of customers closed for more than N years.
struct RetentionCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "retention", abstract: "Personal-data retention.", subcommands: [Run.self])

    struct Run: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Erase the personal data of customers closed for more than N years (amounts, dates and refs stay).",
            discussion: """
                A customer is erased when nothing happened on its account (documents, payments, contacts, messages, \
                disputes, promises, plans) for more than --years years. Customers that still owe, hold unapplied \
                credit, have an open dispute or are with an agency are refused and listed with the reason. \
                Deleted attachments past their restore period lose their content. Use --dry-run first: it lists what would be erased and writes nothing.
                """)
        @Flag(help: "List what would be erased, refused and purged; write nothing.") var dryRun = false
        @Option(help: "Years a customer must have been closed (default 10, the longest accounting retention of FR and IT).") var years: Int = 10
        @Option(name: .customLong("as-of"), help: "Count the years back from this date (YYYY-MM-DD; default: today in the company's time zone).")
        var asOf: String?
        @Option(help: "table, csv or json.") var format: OutputFormat = .table
        @OptionGroup var global: GlobalOptions

        func run() async throws {
            guard years >= 1 else { throw ValidationError("--years must be 1 or more (got \(years))") }
            let date = try parseDate(asOf, flag: "--as-of")
            let (dry, n) = (dryRun, years)
            let report = try await withDatabase(global) { db in
                let company = try await global.resolveCompany(db)
                let day = date ?? Clock.system.today(in: company.timezone)
                return try await RetentionStore.run(db, company: company.id, asOf: day, years: n, dryRun: dry, actor: "cli", now: Clock.system.nowMillis())
            }
            printOut(render(report))
        }

        func render(_ r: RetentionReport) -> String {
            let reasons = { (o: RetentionOutcome) in o.refusals.map(\.explanation).joined(separator: "; ") }
            switch format {
            case .csv:
                var out = CSVWriter.line(["customer_ref", "last_activity", "action", "reasons"])
                for o in r.outcomes { out += CSVWriter.line([o.customerRef, o.lastActivity.iso, o.action, o.refusals.map(\.rawValue).joined(separator: " ")]) }
                return out
            case .json:
                return JSONValue.object([
                    ("as_of", .string(r.asOf.iso)), ("years", .int(Int64(r.years))), ("cutoff", .string(r.cutoff.iso)), ("dry_run", .bool(r.dryRun)),
                    ("checked", .int(Int64(r.checked))), ("too_recent", .int(Int64(r.tooRecent))),
                    (r.dryRun ? "would_erase" : "erased", .int(Int64(r.erased))), ("refused", .int(Int64(r.refused))),
                    (r.dryRun ? "attachments_to_purge" : "attachments_purged", .int(Int64(r.attachmentsPurged))),
                    ("customers", .array(r.outcomes.map { o in
                        .object([("customer_ref", .string(o.customerRef)), ("last_activity", .string(o.lastActivity.iso)), ("action", .string(o.action)),
                                 ("reasons", .array(o.refusals.map { .string($0.rawValue) }))])
                    })),
                ]).render(pretty: true) + "\n"
            case .table:
                let verb = r.dryRun ? "would erase" : "erased"
                var out = """
                    Retention \(r.dryRun ? "dry run" : "run") as of \(r.asOf.iso): customers with no activity since before \(r.cutoff.iso) (\(r.years) years)
                    \(r.checked) checked, \(r.tooRecent) active since, \(r.erased) \(verb), \(r.refused) refused
                    \(r.attachmentsPurged) deleted attachment(s) past their restore period \(r.dryRun ? "to purge" : "purged")


                    """
                if !r.outcomes.isEmpty {
                    out += TextTable(headers: ["customer", "last activity", "action", "why kept"],
                                     rows: r.outcomes.map { [$0.customerRef, $0.lastActivity.iso, $0.action.replacingOccurrences(of: "_", with: " "), reasons($0)] }).render()
                }
                if r.dryRun && r.erased > 0 { out += "\nNothing was written. Run again without --dry-run to erase.\n" }
                return out
            }
        }
    }
}
