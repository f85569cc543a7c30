import ArgumentParser
import CobroCore
import CobroServer
import CobroStore
import Foundation

/// `--from/--to` (default: the report's usual period ending today) and `--format`.
struct PeriodOptions: ParsableArguments {
    @Option(help: "First day (YYYY-MM-DD; default: 30 days up to --to; 90 for promises and discounts, 365 for plans).") var from: String?
    @Option(help: "Last day (YYYY-MM-DD; default: today).") var to: String?
    @Option(help: "table, csv or json.") var format: OutputFormat = .table

    func resolve(today: LocalDate, days: Int = 30) throws -> (LocalDate, LocalDate) {
        let end = try parseDate(to, flag: "--to") ?? today
        let start = try parseDate(from, flag: "--from") ?? end.adding(days: -(days - 1))
        guard start <= end else { throw CLIError("--from \(start.iso) is after --to \(end.iso)") }
        return (start, end)
    }
}

struct ContactabilityReportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "contactability", abstract: "Calls: connect rate, right-party contacts per dial and per connect, promises per RPC, accounts reached (reference §2.9).")
    @OptionGroup var period: PeriodOptions
    @OptionGroup var global: GlobalOptions

    func run() async throws {
        let out = try await withDatabase(global) { db in
            let co = try await global.resolveCompany(db)
            let (from, to) = try period.resolve(today: Clock.system.today(in: co.timezone))
            let tz = TimeZone(identifier: co.timezone) ?? .gmt
            let r = try await db.read { c in try await CollectionsReportStore.contactability(c, company: co.id, timeZone: tz, from: from, to: to) }
            switch period.format {
            case .csv: return CollectionsReportRendering.contactabilityCSV(r)
            case .json: return CollectionsReportRendering.contactabilityJSON(from: from, to: to, r).render(pretty: true) + "\n"
            case .table: return CollectionsReportRendering.contactabilityTable(from: from, to: to, r)
            }
        }
        printOut(out)
    }
}

struct DisputesReportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "disputes", abstract: "Open disputes: age, amount, reason, owner and SLA (due date).")
    @Option(name: .customLong("as-of"), help: "As of (YYYY-MM-DD; default today).") var asOf: String?
    @Option(help: "table, csv or json.") var format: OutputFormat = .table
    @OptionGroup var global: GlobalOptions

    func run() async throws {
        let day = try parseDate(asOf, flag: "--as-of")
        let out = try await withDatabase(global) { db in
            let co = try await global.resolveCompany(db)
            let today = day ?? Clock.system.today(in: co.timezone)
            let tz = TimeZone(identifier: co.timezone) ?? .gmt
            let rows = try await db.read { c in try await CollectionsReportStore.openDisputes(c, company: co.id, timeZone: tz, today: today) }
            switch format {
            case .csv: return CollectionsReportRendering.disputesCSV(rows)
            case .json: return CollectionsReportRendering.disputesJSON(today: today, rows).render(pretty: true) + "\n"
            case .table: return CollectionsReportRendering.disputesTable(today: today, rows)
            }
        }
        printOut(out)
    }
}

struct DefaultReasonsReportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "default-reasons", abstract: "Default analysis: the most frequent dispute reasons and non-paying call outcomes of a period.")
    @OptionGroup var period: PeriodOptions
    @OptionGroup var global: GlobalOptions

    func run() async throws {
        let out = try await withDatabase(global) { db in
            let co = try await global.resolveCompany(db)
            let (from, to) = try period.resolve(today: Clock.system.today(in: co.timezone))
            let tz = TimeZone(identifier: co.timezone) ?? .gmt
            let rows = try await db.read { c in try await CollectionsReportStore.defaultReasons(c, company: co.id, timeZone: tz, from: from, to: to) }
            switch period.format {
            case .csv: return CollectionsReportRendering.reasonsCSV(rows)
            case .json: return CollectionsReportRendering.reasonsJSON(from: from, to: to, rows).render(pretty: true) + "\n"
            case .table: return CollectionsReportRendering.reasonsTable(from: from, to: to, rows)
            }
        }
        printOut(out)
    }
}

struct PlansReportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plans", abstract: "Payment plans started in a period: installment kept rate, coverage, completion and default rates (reference §2.8).")
    @OptionGroup var period: PeriodOptions
    @OptionGroup var global: GlobalOptions

    func run() async throws {
        let out = try await withDatabase(global) { db in
            let co = try await global.resolveCompany(db)
            let today = Clock.system.today(in: co.timezone)
            let (from, to) = try period.resolve(today: today, days: 365)
            let asOf = min(to, today)
            let r = try await db.read { c in try await CollectionsReportStore.planPerformance(c, company: co.id, from: from, to: to, asOf: asOf) }
            switch period.format {
            case .csv: return PlanPromiseReportRendering.plansCSV(r)
            case .json: return PlanPromiseReportRendering.plansJSON(from: from, to: to, asOf: asOf, r).render(pretty: true) + "\n"
            case .table: return PlanPromiseReportRendering.plansTable(from: from, to: to, asOf: asOf, r)
            }
        }
        printOut(out)
    }
}

struct PromisesReportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "promises", abstract: "Promises to pay due in a period: kept rate by count and by amount, per collector (reference §2.7).")
    @OptionGroup var period: PeriodOptions
    @OptionGroup var global: GlobalOptions

    func run() async throws {
        let out = try await withDatabase(global) { db in
            let co = try await global.resolveCompany(db)
            let today = Clock.system.today(in: co.timezone)
            let (from, to) = try period.resolve(today: today, days: 90)
            _ = try await db.transaction { c in try await PromiseStore.evaluateDue(c, company: co.id, today: today, now: Clock.system.nowMillis()) }
            let r = PlanPromiseReportRendering.groupPromises(try await db.read { c in try await CollectionsReportStore.promises(c, company: co.id, from: from, to: to) })
            switch period.format {
            case .csv: return PlanPromiseReportRendering.promisesCSV(r)
            case .json: return PlanPromiseReportRendering.promisesJSON(from: from, to: to, r).render(pretty: true) + "\n"
            case .table: return PlanPromiseReportRendering.promisesTable(from: from, to: to, r)
            }
        }
        printOut(out)
    }
}

struct GoalsReportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "goals", abstract: "Collector goals vs collected for a month (payments counted for the customer's collector on the payment day).")
    @Option(help: "The month, YYYY-MM (default: this month).") var month: String?
    @Option(help: "table, csv or json.") var format: OutputFormat = .table
    @OptionGroup var global: GlobalOptions

    func run() async throws {
        var chosen: YearMonth?
        if let month {
            guard let m = YearMonth(iso: month) else { throw ValidationError("--month \"\(month)\" is not a month; use YYYY-MM, e.g. 2024-06") }
            chosen = m
        }
        let picked = chosen
        let out = try await withDatabase(global) { db in
            let co = try await global.resolveCompany(db)
            let m = picked ?? YearMonth(Clock.system.today(in: co.timezone))
            let tz = TimeZone(identifier: co.timezone) ?? .gmt
            let r = try await db.read { c in try await GoalStore.report(c, company: co.id, base: co.baseCurrency, timeZone: tz, month: m) }
            switch format {
            case .csv: return GoalsRendering.reportCSV(r)
            case .json: return GoalsRendering.reportJSON(r).render(pretty: true) + "\n"
            case .table: return GoalsRendering.reportTable(r)
            }
        }
        printOut(out)
    }
}

struct DiscountsReportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "discounts", abstract: "Early-payment discount effectiveness: take rate, discount given, days saved and what they cost a year.")
    @OptionGroup var period: PeriodOptions
    @Option(name: .customLong("as-of"), help: "Judge as of this day (YYYY-MM-DD; default today; not before --to).") var asOf: String?
    @OptionGroup var global: GlobalOptions

    func run() async throws {
        let day = try parseDate(asOf, flag: "--as-of")
        let out = try await withDatabase(global) { db in
            let co = try await global.resolveCompany(db)
            let today = Clock.system.today(in: co.timezone)
            let (from, to) = try period.resolve(today: today, days: 90)
            let judged = day ?? today
            guard judged >= to else { throw CLIError("--as-of \(judged.iso) is before --to \(to.iso)") }
            let groups = try await db.read { c in try await CollectionsReportStore.discountEffectiveness(c, company: co.id, from: from, to: to, asOf: judged) }
            switch period.format {
            case .csv: return DiscountReportRendering.csv(groups)
            case .json: return DiscountReportRendering.json(from: from, to: to, asOf: judged, groups).render(pretty: true) + "\n"
            case .table: return DiscountReportRendering.table(from: from, to: to, asOf: judged, groups)
            }
        }
        printOut(out)
    }
}
