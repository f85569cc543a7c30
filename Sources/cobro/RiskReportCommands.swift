import ArgumentParser
import CobroCore
import CobroServer
import CobroStore
import Foundation

struct RollRatesReportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "roll-rates",
        abstract: "Roll rates and the migration matrix between aging buckets, month-end to month-end (migración / contención, reference §2.11).")
    @Option(help: "First month-end (YYYY-MM; default: 6 months before --to).") var from: String?
    @Option(help: "Last month-end (YYYY-MM; default: the last complete month).") var to: String?
    @Option(help: "table, csv or json.") var format: OutputFormat = .table
    @OptionGroup var global: GlobalOptions

    func run() async throws {
        let (first, last) = (try parseMonth(from, flag: "--from"), try parseMonth(to, flag: "--to"))
        let out = try await withDatabase(global) { db in
            let co = try await global.resolveCompany(db)
            let (start, end): (YearMonth, YearMonth)
            switch RiskReportStore.rollRateRange(from: first, to: last, today: Clock.system.today(in: co.timezone)) {
            case .success(let r): (start, end) = r
            case .failure(let e): throw CLIError("--from/--to: \(e.message)")
            }
            let r = try await db.read { c in try await RiskReportStore.rollRates(c, company: co.id, buckets: co.agingBuckets, from: start, to: end) }
            let labels = co.agingBuckets.labels(.dueDate)
            switch format {
            case .csv: return RiskReportRendering.rollRatesCSV(from: start, to: end, labels: labels, months: r.months, overall: r.overall)
            case .json: return RiskReportRendering.rollRatesJSON(from: start, to: end, labels: labels, months: r.months, overall: r.overall).render(pretty: true) + "\n"
            case .table: return RiskReportRendering.rollRatesTable(from: start, to: end, labels: labels, months: r.months, overall: r.overall)
            }
        }
        printOut(out)
    }
}

struct ProvisionReportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "provision",
        abstract: "Bad-debt allowance by aging bucket (IFRS 9 simplified approach / CECL provision matrix, reference §2.12).")
    @Option(name: .customLong("as-of"), help: "The day (YYYY-MM-DD; default today).") var asOf: String?
    @Option(name: .customLong("loss-rates"), help: "Loss rate per bucket in percent, e.g. 0.3,1.6,3.6,6.6,10.6 (default: chained roll rates of the last 12 months).")
    var lossRates: String?
    @Option(help: "table, csv or json.") var format: OutputFormat = .table
    @OptionGroup var global: GlobalOptions

    func run() async throws {
        let day = try parseDate(asOf, flag: "--as-of")
        var rates: [LossRate]?
        if let lossRates {
            switch LossRate.parseList(lossRates) {
            case .success(let r): rates = r
            case .failure(let e): throw CLIError("--loss-rates: \(e.message)")
            }
        }
        let given = rates
        let out = try await withDatabase(global) { db in
            let co = try await global.resolveCompany(db)
            let on = day ?? Clock.system.today(in: co.timezone)
            let r = try await db.read { c in try await RiskReportStore.provision(c, company: co.id, buckets: co.agingBuckets, asOf: on, lossRates: given) }
            let labels = co.agingBuckets.labels(.dueDate)
            switch format {
            case .csv: return RiskReportRendering.provisionCSV(r, labels: labels)
            case .json: return RiskReportRendering.provisionJSON(r, labels: labels).render(pretty: true) + "\n"
            case .table: return RiskReportRendering.provisionTable(r, labels: labels)
            }
        }
        printOut(out)
    }
}

extension RiskReportStore.TrendGrouping: ExpressibleByArgument {}

struct PaymentTrendsReportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "payment-trends", abstract: "Monthly average days late and share settled late, per segment, customer or the whole company.")
    @Option(help: "First month (YYYY-MM; default: 11 months before --to).") var from: String?
    @Option(help: "Last month (YYYY-MM; default: this month).") var to: String?
    @Option(help: "company, segment or customer.") var by: RiskReportStore.TrendGrouping = .segment
    @Option(help: "table, csv or json.") var format: OutputFormat = .table
    @OptionGroup var global: GlobalOptions

    func run() async throws {
        let (first, last) = (try parseMonth(from, flag: "--from"), try parseMonth(to, flag: "--to"))
        let out = try await withDatabase(global) { db in
            let co = try await global.resolveCompany(db)
            let (start, end): (YearMonth, YearMonth)
            switch RiskReportStore.trendRange(from: first, to: last, today: Clock.system.today(in: co.timezone)) {
            case .success(let r): (start, end) = r
            case .failure(let e): throw CLIError("--from/--to: \(e.message)")
            }
            let series = try await db.read { c in try await RiskReportStore.paymentTrends(c, company: co.id, by: by, from: start, to: end) }
            switch format {
            case .csv: return RiskReportRendering.trendsCSV(series)
            case .json: return RiskReportRendering.trendsJSON(from: start, to: end, by: by, series).render(pretty: true) + "\n"
            case .table: return RiskReportRendering.trendsTable(from: start, to: end, by: by, series)
            }
        }
        printOut(out)
    }
}

/// `YYYY-MM` given to `flag`, or `nil` when absent.
func parseMonth(_ text: String?, flag: String) throws -> YearMonth? {
    guard let text else { return nil }
    guard let m = YearMonth(iso: text) else { throw CLIError("\(flag) \"\(text)\" is not a month; use YYYY-MM, e.g. 2024-06") }
    return m
}
