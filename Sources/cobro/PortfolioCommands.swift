import ArgumentParser
import CobroCore
import CobroServer
import CobroStore
import Foundation

/// `cobro collectors add|list|goal|goals`: the people who work customers, and their monthly goals.
struct CollectorsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "collectors", abstract: "Collectors and teams, and their monthly goals.", subcommands: [Add.self, List.self, SetGoal.self, Goals.self])

    struct SetGoal: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "goal", abstract: "Set a collector's goal for a month, in the company's base currency.")
        @Argument(help: "The collector's key.") var key: String
        @Option(help: "The month, YYYY-MM.") var month: String
        @Option(help: "The amount to collect, e.g. 50000.00 (base currency).") var amount: String
        @OptionGroup var global: GlobalOptions

        func run() async throws {
            guard let m = YearMonth(iso: month) else { throw ValidationError("--month \"\(month)\" is not a month; use YYYY-MM, e.g. 2024-06") }
            let g = try await withDatabase(global) { db in
                let company = try await global.resolveCompany(db)
                return try await db.transaction { c in
                    try await GoalStore.set(c, company: company.id, base: company.baseCurrency, collector: key, month: m, amountText: amount, actor: "cli", now: Clock.system.nowMillis())
                }
            }
            printOut("goal of \(g.collector) for \(g.month.iso): \(g.amount.decimalString) \(g.amount.currency.code)\n")
        }
    }

    struct Goals: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "goals", abstract: "List goals (of one collector, or everyone's), newest month first.")
        @Argument(help: "The collector's key (default: all).") var key: String?
        @OptionGroup var global: GlobalOptions

        func run() async throws {
            let all = try await withDatabase(global) { db in
                let company = try await global.resolveCompany(db)
                return try await db.read { c in try await GoalStore.goals(c, company: company.id, collector: key) }
            }
            printOut(TextTable(
                headers: ["month", "collector", "goal", "currency", "set by"],
                rows: all.map { [$0.month.iso, $0.collector, $0.amount.decimalString, $0.amount.currency.code, $0.updatedBy] }, rightAligned: [2]
            ).render())
        }
    }

    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "add", abstract: "Create or update a collector.")
        @Argument(help: "The collector's key (lowercase letters, digits, . _ -), e.g. ana.") var key: String
        @Option(help: "Display name.") var name: String
        @Option(help: "Team (for round-robin rules).") var team: String?
        @Option(help: "Email.") var email: String?
        @Option(help: "Phone.") var phone: String?
        @Option(help: "collector or manager.") var role: String = "collector"
        @OptionGroup var global: GlobalOptions

        func run() async throws {
            guard let r = Collector.Role(rawValue: role) else { throw ValidationError("--role \"\(role)\" is not one of collector, manager") }
            let v = Collector(key: key, name: name, email: email, phone: phone, team: team, role: r)
            let created = try await withDatabase(global) { db in
                let company = try await global.resolveCompany(db)
                return try await db.transaction { c in try await PortfolioStore.upsertCollector(c, company: company.id, v, actor: "cli", now: Clock.system.nowMillis()) }
            }
            printOut("\(created ? "created" : "updated") collector \(key)\n")
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "list", abstract: "List collectors.")
        @OptionGroup var global: GlobalOptions

        func run() async throws {
            let all = try await withDatabase(global) { db in
                let company = try await global.resolveCompany(db)
                return try await db.read { c in try await PortfolioStore.collectors(c, company: company.id) }
            }
            printOut(TextTable(
                headers: ["key", "name", "team", "role", "active"],
                rows: all.map { [$0.key, $0.name, $0.team ?? "", $0.role.rawValue, $0.active ? "yes" : "no"] }
            ).render())
        }
    }
}

/// `cobro portfolio assign [--reassign] [--dry-run]`: applies the company's assignment rules.
struct PortfolioCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "portfolio", abstract: "Assign customers to collectors by the company's rules.", subcommands: [Assign.self])

    struct Assign: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "assign", abstract: "Apply the assignment rules (PUT /api/v1/portfolio/rules sets them).")
        @Flag(help: "Also move customers that have a collector (never those assigned by hand).") var reassign = false
        @Flag(name: .customLong("dry-run"), help: "Show the moves; change nothing.") var dryRun = false
        @OptionGroup var global: GlobalOptions

        func run() async throws {
            let (r, d) = (reassign, dryRun)
            let moves = try await withDatabase(global) { db in
                let company = try await global.resolveCompany(db)
                return try await db.transaction { c in
                    try await PortfolioStore.assign(c, company: company.id, base: company.baseCurrency, reassign: r, dryRun: d, actor: "cli", now: Clock.system.nowMillis())
                }
            }
            var out = "\(dryRun ? "Dry run — nothing changed. " : "")\(moves.count) customer\(moves.count == 1 ? "" : "s") \(dryRun ? "would move" : "moved")\n"
            if !moves.isEmpty {
                out += "\n" + TextTable(headers: ["customer", "from", "to", "rule"], rows: moves.prefix(200).map { [$0.customerRef, $0.from ?? "—", $0.to, $0.rule] }).render()
                if moves.count > 200 { out += "… and \(moves.count - 200) more\n" }
            }
            printOut(out)
        }
    }
}

/// `cobro worklist [--collector KEY | --unassigned]`: the prioritised queue, with each score's reasons.
struct WorklistCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "worklist", abstract: "The prioritised worklist of a collector (or everyone's).")
    @Option(help: "A collector's key (default: every customer with overdue items).") var collector: String?
    @Flag(help: "Only customers without a collector.") var unassigned = false
    @Option(name: .customLong("as-of"), help: "Day to rank as of (YYYY-MM-DD; default today in the company's time zone).") var asOf: String?
    @Option(help: "At most this many customers.") var limit: Int = 50
    @Option(help: "table, csv or json.") var format: OutputFormat = .table
    @OptionGroup var global: GlobalOptions

    func validate() throws {
        if collector != nil && unassigned { throw ValidationError("give either --collector or --unassigned, not both") }
        if limit < 1 { throw ValidationError("--limit must be at least 1") }
    }

    func run() async throws {
        let date = try parseDate(asOf, flag: "--as-of")
        let scope: WorklistScope = collector.map(WorklistScope.collector) ?? (unassigned ? .unassigned : .all)
        let (n, fmt) = (limit, format)
        let out = try await withDatabase(global) { db in
            let company = try await global.resolveCompany(db)
            let day = date ?? Clock.system.today(in: company.timezone)
            let entries = try await db.read { c in try await WorklistStore.worklist(c, company: company.id, base: company.baseCurrency, scope: scope, today: day, limit: n) }
            switch fmt {
            case .json: return WorklistRendering.json(entries, asOf: day, base: company.baseCurrency).render(pretty: true) + "\n"
            case .csv: return WorklistRendering.csv(entries, base: company.baseCurrency)
            case .table: return WorklistRendering.table(entries, asOf: day, base: company.baseCurrency)
            }
        }
        printOut(out)
    }
}
