import ArgumentParser
import CobroCore
import CobroStore
import Foundation

struct MigrateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "migrate", abstract: "Apply pending schema migrations (also done at start).")
    @OptionGroup var global: GlobalOptions

    func run() async throws {
        let db: any Database
        do { db = try openDatabase(url: global.resolvedURL) } catch { fail(error) }
        do {
            if let pg = db as? PostgresDatabase { try await pg.checkReachable() }
            let applied = try await Migrator.migrate(db, now: Clock.system.nowMillis())
            await db.close()
            printOut(applied.isEmpty ? "schema up to date (\(Migrator.allIDs.last ?? ""))\n" : "applied \(applied.joined(separator: ", "))\n")
        } catch {
            await db.close()
            fail(error)
        }
    }
}

struct TokenCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "token", abstract: "API tokens.", subcommands: [Create.self])

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "create", abstract: "Create an API token for a company; prints it once.")
        @Option(help: "A name to recognise the token by.")
        var name: String = "cli"
        @Option(help: "A collector's key: the token then acts for that collector (its own worklist; no portfolio changes).")
        var collector: String?
        @OptionGroup var global: GlobalOptions

        func run() async throws {
            let token = try await withDatabase(global) { db in
                let company = try await global.resolveCompany(db)
                let (n, k) = (name, collector)
                return try await db.transaction { c in
                    if let k, try await PortfolioStore.collectors(c, company: company.id).first(where: { $0.key == k }) == nil {
                        throw StoreError.invalid(field: "--collector", "\"\(k)\" is not a collector (cobro collectors add \(k) --name …)")
                    }
                    return try await TokenStore.create(c, company: company.id, name: n, collector: k, now: Clock.system.nowMillis())
                }
            }
            printOut(token + "\n")
        }
    }
}

struct CompanyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "company", abstract: "Companies (tenants).", subcommands: [Create.self, List.self])

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "create", abstract: "Create a company.")
        @Option(help: "Short unique name used by --company.") var slug: String
        @Option(help: "Display name.") var name: String
        @Option(name: .customLong("base-currency"), help: "ISO 4217 code.") var baseCurrency: String = "USD"
        @Option(help: "IANA time zone.") var timezone: String = "UTC"
        @Option(help: "Locale (es, en…).") var locale: String = "en"
        @Option(help: "Aging bucket bounds, e.g. 30,60,90.") var buckets: String = "30,60,90"
        @OptionGroup var global: GlobalOptions

        func validate() throws {
            guard Currency(code: baseCurrency.uppercased()) != nil else { throw ValidationError("--base-currency \"\(baseCurrency)\" is not an ISO 4217 code") }
            guard Validation.isTimeZone(timezone) else { throw ValidationError("--timezone \"\(timezone)\" is not an IANA time zone") }
            if case .failure(let e) = AgingBuckets.parse(buckets) { throw ValidationError("--buckets: \(e.message)") }
            guard !slug.isEmpty, slug.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" }) else { throw ValidationError("--slug must be letters, digits, - or _") }
        }

        func run() async throws {
            let company = try await withDatabase(global) { db in
                try await db.transaction { c in
                    if try await CompanyStore.find(c, slug: slug) != nil { throw CLIError("--slug: company \"\(slug)\" already exists") }
                    return try await CompanyStore.create(
                        c, slug: slug, name: name, baseCurrency: Currency(code: baseCurrency.uppercased())!, timezone: timezone, locale: locale,
                        buckets: try AgingBuckets.parse(buckets).get(), now: Clock.system.nowMillis())
                }
            }
            printOut("created company \(company.slug) (\(company.baseCurrency.code), \(company.timezone))\n")
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "list", abstract: "List companies.")
        @OptionGroup var global: GlobalOptions
        func run() async throws {
            let all = try await withDatabase(global) { db in try await db.read { c in try await CompanyStore.all(c) } }
            for c in all { printOut("\(c.slug)\t\(c.name)\t\(c.baseCurrency.code)\t\(c.timezone)\n") }
        }
    }
}
