import ArgumentParser
import CobroCore
import CobroServer
import CobroStore
import Foundation

struct UserCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "user", abstract: "Users of the web app.", subcommands: [Create.self, List.self, PortalLinkCommand.self])

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "create", abstract: "Create a web app user; the password is read from standard input.",
            discussion: "Example: echo 'a long secret' | cobro user create --company demo --email ana@example.com --name 'Ana Ruiz' --role collector --collector ana")
        @Option(help: "Sign-in email (unique).") var email: String
        @Option(help: "Display name.") var name: String
        @Option(help: "admin, manager, collector or viewer.") var role: String
        @Option(help: "The collector handle whose portfolio a collector works (required for --role collector).") var collector: String?
        @Option(help: "UI language (es or en); default: the browser's.") var language: String?
        @OptionGroup var global: GlobalOptions

        func run() async throws {
            guard let r = UserRole(rawValue: role) else { throw ValidationError("--role \"\(role)\" is not one of \(UserRole.allCases.map(\.rawValue).joined(separator: ", "))") }
            if let language, !["es", "en"].contains(language) { throw ValidationError("--language \"\(language)\" is not es or en") }
            if collector != nil && r != .collector { throw ValidationError("--collector is for --role collector only") }
            let password = (readLine(strippingNewline: true) ?? "")
            let user = try await withDatabase(global) { db in
                let company = try await global.resolveCompany(db)
                return try await db.transaction { c in
                    try await UserStore.create(
                        c, company: company.id, email: email, name: name, role: r, collector: collector, language: language, password: password, cost: 12, actor: "cli",
                        now: Clock.system.nowMillis())
                }
            }
            printOut("created \(user.role.rawValue) \(user.email)\n")
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "list", abstract: "List the company's users.")
        @OptionGroup var global: GlobalOptions

        func run() async throws {
            let users = try await withDatabase(global) { db in
                let company = try await global.resolveCompany(db)
                return try await db.read { c in try await UserStore.list(c, company: company.id) }
            }
            for u in users { printOut("\(u.email)\t\(u.role.rawValue)\t\(u.collector ?? "")\t\(u.name)\n") }
        }
    }

    struct PortalLinkCommand: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "portal-link", abstract: "Print a signed portal link for a customer (valid 30 days).",
            discussion: "Example: cobro user portal-link --company demo --customer C0001 --base-url https://cobro.example.com")
        @Option(help: "The customer's ref.") var customer: String
        @Option(name: .customLong("base-url"), help: "Where customers reach Cobro.") var baseURL: String = "http://127.0.0.1:8080"
        @OptionGroup var global: GlobalOptions

        func validate() throws {
            guard let u = URL(string: baseURL), ["http", "https"].contains(u.scheme ?? ""), u.host != nil else {
                throw ValidationError("--base-url \"\(baseURL)\" is not an http(s) address, e.g. https://cobro.example.com")
            }
        }

        func run() async throws {
            let link = try await withDatabase(global) { db in
                let company = try await global.resolveCompany(db)
                return try await portalLink(db, company: company, customerRef: customer, baseURL: baseURL)
            }
            printOut(link + "\n")
        }
    }
}

/// A signed portal link for `customerRef` (the customer must exist).
func portalLink(_ db: any Database, company: CompanyRecord, customerRef: String, baseURL: String) async throws -> String {
    try await db.transaction { c in
        guard try await LedgerQueries.customerID(c, company: company.id, ref: customerRef) != nil else {
            throw StoreError.invalid(field: "--customer", "customer \(customerRef) does not exist")
        }
        let today = Clock.system.today(in: company.timezone)
        return baseURL + "/portal/" + (try await PortalLinks.token(c, company: company.id, customerRef: customerRef, today: today))
    }
}
