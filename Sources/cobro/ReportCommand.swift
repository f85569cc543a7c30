import ArgumentParser
import CobroCore
import CobroServer
import CobroStore
import Foundation

struct ReportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report", abstract: "Aging, customer statements, KPIs, communication, audit and the collections reports.",
        subcommands: [AgingReportCommand.self, StatementReportCommand.self, KPIReportCommand.self, CommunicationReportCommand.self, AuditReportCommand.self,
                      ContactabilityReportCommand.self, DisputesReportCommand.self, DefaultReasonsReportCommand.self,
                      PromisesReportCommand.self, PlansReportCommand.self, GoalsReportCommand.self, DiscountsReportCommand.self,
                      RollRatesReportCommand.self, ProvisionReportCommand.self, PaymentTrendsReportCommand.self,
                      CashForecastReportCommand.self, ForecastAccuracyReportCommand.self])
}

struct AgingReportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "aging", abstract: "Aging of open items per customer and currency, with totals.")

    @Option(name: .customLong("as-of"), help: "Age as of this date (YYYY-MM-DD; default: today in the company's time zone).")
    var asOf: String?
    @Option(help: "Age by due date (due) or by issue date (issue).")
    var basis: AgingBasis = .dueDate
    @Option(help: "Bucket bounds in days, e.g. 30,60,90 (default: the company's).")
    var buckets: String?
    @Option(name: .customLong("rate"), help: "Exchange rate into the base currency, e.g. --rate EUR=1.0850 (repeatable); adds a TOTAL_BASE row.")
    var rates: [String] = []
    @Option(help: "table, csv or json.")
    var format: OutputFormat = .table
    @OptionGroup var global: GlobalOptions

    func run() async throws {
        let date = try parseDate(asOf, flag: "--as-of")
        let bucketOverride: AgingBuckets?
        if let buckets {
            switch AgingBuckets.parse(buckets) {
            case .success(let b): bucketOverride = b
            case .failure(let e): throw ValidationError("--buckets: \(e.message)")
            }
        } else { bucketOverride = nil }
        let out = try await withDatabase(global) { db in
            let company = try await global.resolveCompany(db)
            let rs = try parseRates(rates, base: company.baseCurrency)
            let day = date ?? Clock.system.today(in: company.timezone)
            let report = try await ReportStore.aging(
                db, company: company.id, asOf: day, basis: basis, buckets: bucketOverride ?? company.agingBuckets, base: company.baseCurrency, rates: rs)
            switch format {
            case .csv: return ReportRendering.agingCSV(report)
            case .json: return ReportRendering.agingJSON(report).render(pretty: true) + "\n"
            case .table: return ReportRendering.agingTable(report)
            }
        }
        printOut(out)
    }
}

extension AgingBasis: ExpressibleByArgument {}

struct StatementReportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "statement", abstract: "A customer's account statement (estado de cuenta) for a period.")

    @Option(help: "The customer's customer_ref.")
    var customer: String
    @Option(help: "First day of the period (YYYY-MM-DD; default: first day of --to's month).")
    var from: String?
    @Option(help: "Last day of the period (YYYY-MM-DD; default: today).")
    var to: String?
    @Option(help: "table, csv or json.")
    var format: OutputFormat = .table
    @OptionGroup var global: GlobalOptions

    func run() async throws {
        let fromDate = try parseDate(from, flag: "--from"), toDate = try parseDate(to, flag: "--to")
        let out = try await withDatabase(global) { db in
            let company = try await global.resolveCompany(db)
            let end = toDate ?? Clock.system.today(in: company.timezone)
            let start = fromDate ?? end.startOfMonth
            guard start <= end else { throw CLIError("--from \(start.iso) is after --to \(end.iso)") }
            let result = try await db.read { c -> ([Statement], String)? in
                guard let cu = try await LedgerQueries(c, company: company.id).customer(ref: customer) else { return nil }
                return (try await ReportStore(c, company: company.id).statements(customerRef: customer, from: start, to: end) ?? [], cu.customer.name)
            }
            guard let (statements, name) = result else { throw CLIError("--customer: no customer with customer_ref \"\(customer)\"") }
            switch format {
            case .csv: return ReportRendering.statementCSV(statements)
            case .json: return ReportRendering.statementJSON(statements, name: name).render(pretty: true) + "\n"
            case .table: return ReportRendering.statementTable(statements, name: name)
            }
        }
        printOut(out)
    }
}

struct KPIReportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "kpis", abstract: "DSO (simple, count-back), BPDSO, ADD, CEI, days to pay/late, % past due.")

    @Option(name: .customLong("as-of"), help: "As of this date (YYYY-MM-DD; default: today).")
    var asOf: String?
    @Option(help: "Window in days for DSO and CEI (default 90).")
    var window: Int = 90
    @Option(help: "table, csv or json.")
    var format: OutputFormat = .table
    @OptionGroup var global: GlobalOptions

    func validate() throws {
        guard (1...3650).contains(window) else { throw ValidationError("--window must be 1–3650 days") }
    }

    func run() async throws {
        let date = try parseDate(asOf, flag: "--as-of")
        let out = try await withDatabase(global) { db in
            let company = try await global.resolveCompany(db)
            let day = date ?? Clock.system.today(in: company.timezone)
            let ks = try await db.read { c in try await ReportStore(c, company: company.id).kpis(asOf: day, window: window) }
            switch format {
            case .csv: return ReportRendering.kpisCSV(ks)
            case .json: return ReportRendering.kpisJSON(ks, asOf: day, window: window, base: company.baseCurrency).render(pretty: true) + "\n"
            case .table: return ReportRendering.kpisTable(ks, asOf: day, window: window)
            }
        }
        printOut(out)
    }
}

struct CommunicationReportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "communication",
        abstract: "Communication effectiveness: messages by channel/step/template/language, delivery rate, share paid within 7 and 14 days, reminders per paid invoice.")

    @Option(help: "First run date of the period (YYYY-MM-DD; default: 29 days before --to).")
    var from: String?
    @Option(help: "Last run date of the period (YYYY-MM-DD; default: today).")
    var to: String?
    @Option(help: "table, csv or json.")
    var format: OutputFormat = .table
    @OptionGroup var global: GlobalOptions

    func run() async throws {
        let fromDate = try parseDate(from, flag: "--from"), toDate = try parseDate(to, flag: "--to")
        let out = try await withDatabase(global) { db in
            let company = try await global.resolveCompany(db)
            let end = toDate ?? Clock.system.today(in: company.timezone)
            let start = fromDate ?? end.adding(days: -29)
            guard start <= end else { throw CLIError("--from \(start.iso) is after --to \(end.iso)") }
            let tz = TimeZone(identifier: company.timezone) ?? .gmt
            let report = try await db.read { c in try await EffectivenessStore.report(c, company: company.id, timeZone: tz, from: start, to: end) }
            switch format {
            case .csv: return EffectivenessRendering.csv(report)
            case .json: return EffectivenessRendering.json(report).render(pretty: true) + "\n"
            case .table: return EffectivenessRendering.table(report)
            }
        }
        printOut(out)
    }
}
