import ArgumentParser
import CobroCore
import CobroServer
import CobroStore
import Foundation

/// Who a CLI change is recorded as (four-eyes rules compare it): `--user NAME`, default `cli`.
struct ActorOptions: ParsableArguments {
    @Option(help: "Your name in the audit log (a write-off is approved by another --user than the one who requested it).") var user: String = "cli"
}

/// `cobro write-offs`: request, approve, reject, list.
struct WriteOffsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "write-offs", abstract: "Write-offs: requested by one person, approved by another, booked as credit notes WO-<id>.",
        subcommands: [List.self, Request.self, Approve.self, Reject.self])

    static func table(_ all: [WriteOffRecord]) -> String {
        all.isEmpty ? "No write-offs.\n" : TextTable(
            headers: ["id", "invoice", "customer", "amount", "reason", "status", "requested by", "decided by", "credit note"],
            rows: all.map { [String($0.id), $0.invoiceRef, $0.customerRef, "\(Money(minor: $0.amountMinor, $0.currency).decimalString) \($0.currency.code)", $0.reason, $0.status,
                             $0.requestedBy, $0.decidedBy ?? "", $0.creditNoteRef ?? ""] },
            rightAligned: [0, 3]).render()
    }

    struct List: AsyncParsableCommand {
        @Option(help: "pending, approved or rejected.") var status: String?
        @OptionGroup var global: GlobalOptions
        func run() async throws {
            if let status, !["pending", "approved", "rejected"].contains(status) { throw ValidationError("--status \"\(status)\" is not pending, approved or rejected") }
            let all = try await withDatabase(global) { db in
                let co = try await global.resolveCompany(db)
                return try await db.read { c in try await WriteOffStore.list(c, company: co.id, status: status) }
            }
            printOut(WriteOffsCommand.table(all))
        }
    }

    struct Request: AsyncParsableCommand {
        @Argument(help: "The invoice or debit note.") var invoice: String
        @Option(help: "uncollectible, small_balance, bankruptcy, settlement or other.") var reason: String
        @Option(help: "Amount (default: all that is open).") var amount: String?
        @Option(help: "Why, in words.") var note: String?
        @OptionGroup var actor: ActorOptions
        @OptionGroup var global: GlobalOptions
        func run() async throws {
            guard let why = WriteOffReason(rawValue: reason) else {
                throw ValidationError("--reason \"\(reason)\" is not one of \(WriteOffReason.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            let (ref, amountText, text, user) = (invoice, amount, note, actor.user)
            let w = try await withDatabase(global) { db in
                let co = try await global.resolveCompany(db)
                return try await db.transaction { c in
                    try await WriteOffStore.request(c, company: co.id, invoiceRef: ref, amountText: amountText, reason: why, note: text, actor: user, now: Clock.system.nowMillis())
                }
            }
            printOut("write-off \(w.id) of \(w.invoiceRef) for \(Money(minor: w.amountMinor, w.currency).decimalString) \(w.currency.code) is waiting for approval by someone other than \(w.requestedBy)\n")
        }
    }

    struct Approve: AsyncParsableCommand {
        @Argument(help: "The write-off id.") var id: Int64
        @Option(help: "A note.") var note: String?
        @OptionGroup var actor: ActorOptions
        @OptionGroup var global: GlobalOptions
        func run() async throws { try await decide(id: id, approve: true, note: note, user: actor.user, global) }
    }

    struct Reject: AsyncParsableCommand {
        @Argument(help: "The write-off id.") var id: Int64
        @Option(help: "A note.") var note: String?
        @OptionGroup var actor: ActorOptions
        @OptionGroup var global: GlobalOptions
        func run() async throws { try await decide(id: id, approve: false, note: note, user: actor.user, global) }
    }

    static func decide(id: Int64, approve: Bool, note: String?, user: String, _ global: GlobalOptions) async throws {
        let w = try await withDatabase(global) { db in
            let co = try await global.resolveCompany(db)
            return try await db.transaction { c in
                try await WriteOffStore.decide(c, company: co.id, id: id, approve: approve, note: note, today: Clock.system.today(in: co.timezone), actor: user, now: Clock.system.nowMillis())
            }
        }
        printOut(approve ? "write-off \(w.id) approved: credit note \(w.creditNoteRef ?? "?") applied to \(w.invoiceRef)\n" : "write-off \(w.id) rejected\n")
    }
}

/// `cobro agency`: place accounts with an agency or lawyer, export the hand-over file, record collections, recall.
struct AgencyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "agency", abstract: "Hand-over to collection agencies and lawyers.", subcommands: [List.self, Place.self, Export.self, Collect.self, Recall.self])

    static func table(_ all: [PlacementRecord]) -> String {
        all.isEmpty ? "No placements.\n" : TextTable(
            headers: ["id", "customer", "agency", "kind", "placed", "amount", "rate", "collected", "commission", "outstanding", "status"],
            rows: all.map { p in
                let m = { (x: Int64) in Money(minor: x, p.currency).decimalString }
                return [String(p.id), p.customerRef, p.agency, p.kind, p.placedOn.iso, "\(m(p.placedMinor)) \(p.currency.code)", AgencyCommission.rateText(p.commissionBasisPoints),
                        m(p.collectedMinor), m(p.commissionMinor), m(p.outstandingMinor), p.status]
            }, rightAligned: [0, 5, 6, 7, 8, 9]).render()
    }

    struct List: AsyncParsableCommand {
        @Option(help: "active, recalled or closed.") var status: String?
        @Option(help: "Only this agency.") var agency: String?
        @OptionGroup var global: GlobalOptions
        func run() async throws {
            if let status, !["active", "recalled", "closed"].contains(status) { throw ValidationError("--status \"\(status)\" is not active, recalled or closed") }
            let all = try await withDatabase(global) { db in
                let co = try await global.resolveCompany(db)
                return try await db.read { c in try await AgencyStore.list(c, company: co.id, status: status, agency: agency) }
            }
            printOut(AgencyCommand.table(all))
        }
    }

    struct Place: AsyncParsableCommand {
        @Argument(help: "The customer's ref.") var customer: String
        @Option(help: "The agency or law firm.") var agency: String
        @Option(name: .customLong("commission"), help: "Commission rate in percent, e.g. 25 or 12.5.") var commission: String
        @Flag(help: "A lawyer rather than an agency.") var legal = false
        @Option(help: "The currency to place (needed when the customer owes in several).") var currency: String?
        @Option(name: .customLong("invoice"), help: "Place only these invoices (repeat).") var invoices: [String] = []
        @Option(help: "Placement date (default today).") var date: String?
        @OptionGroup var actor: ActorOptions
        @OptionGroup var global: GlobalOptions
        func run() async throws {
            let day = try parseDate(date, flag: "--date")
            let cur = try currency.map { code -> Currency in
                guard let c = Currency(code: code.uppercased()) else { throw ValidationError("--currency \"\(code)\" is not an ISO 4217 code") }
                return c
            }
            let (ref, name, rate, refs, user, kind) = (customer, agency, commission, invoices.isEmpty ? nil : invoices, actor.user, legal ? PlacementKind.legal : .agency)
            let p = try await withDatabase(global) { db in
                let co = try await global.resolveCompany(db)
                let today = Clock.system.today(in: co.timezone)
                return try await db.transaction { c in
                    try await AgencyStore.place(c, company: co.id, customerRef: ref, agency: name, kind: kind, rateText: rate, currency: cur, invoiceRefs: refs, on: day ?? today,
                                                today: today, actor: user, now: Clock.system.nowMillis())
                }
            }
            printOut("placement \(p.id): \(p.customerRef) with \(p.agency), \(p.items.count) item(s), \(Money(minor: p.placedMinor, p.currency).decimalString) \(p.currency.code) at \(AgencyCommission.rateText(p.commissionBasisPoints)); the customer leaves dunning\n")
        }
    }

    struct Export: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Write the hand-over file (CSV) for the agency.")
        @Argument(help: "The placement id.") var id: Int64
        @OptionGroup var global: GlobalOptions
        func run() async throws {
            let csv = try await withDatabase(global) { db in
                let co = try await global.resolveCompany(db)
                return try await db.read { c in try await AgencyStore.exportCSV(c, company: co.id, id: id, today: Clock.system.today(in: co.timezone)) }
            }
            printOut(csv)
        }
    }

    struct Collect: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Record an amount the agency collected (a payment on the placed items; commission computed).")
        @Argument(help: "The placement id.") var id: Int64
        @Option(help: "The amount collected.") var amount: String
        @Option(help: "Collection date (default today).") var date: String?
        @Option(name: .customLong("payment-ref"), help: "The payment's ref (default AG-<placement>-<n>).") var paymentRef: String?
        @OptionGroup var actor: ActorOptions
        @OptionGroup var global: GlobalOptions
        func run() async throws {
            let day = try parseDate(date, flag: "--date")
            let (text, ref, user) = (amount, paymentRef, actor.user)
            let (p, got) = try await withDatabase(global) { db in
                let co = try await global.resolveCompany(db)
                let today = Clock.system.today(in: co.timezone)
                return try await db.transaction { c in
                    try await AgencyStore.collect(c, company: co.id, id: id, amountText: text, on: day ?? today, today: today, paymentRef: ref, actor: user, now: Clock.system.nowMillis())
                }
            }
            let m = { (x: Int64) in "\(Money(minor: x, p.currency).decimalString) \(p.currency.code)" }
            printOut("payment \(got.paymentRef): \(m(got.amountMinor)) collected, commission \(m(got.commissionMinor)), to remit \(m(got.remittedMinor)); outstanding \(m(p.outstandingMinor))\(p.status == "closed" ? " — placement closed" : "")\n")
        }
    }

    struct Recall: AsyncParsableCommand {
        @Argument(help: "The placement id.") var id: Int64
        @Option(help: "Why.") var reason: String?
        @OptionGroup var actor: ActorOptions
        @OptionGroup var global: GlobalOptions
        func run() async throws {
            let (why, user) = (reason, actor.user)
            let p = try await withDatabase(global) { db in
                let co = try await global.resolveCompany(db)
                return try await db.transaction { c in
                    try await AgencyStore.recall(c, company: co.id, id: id, reason: why, on: Clock.system.today(in: co.timezone), actor: user, now: Clock.system.nowMillis())
                }
            }
            printOut("placement \(p.id) recalled; \(p.customerRef) is back in dunning\n")
        }
    }
}
