import ArgumentParser
import CobroCore
import CobroServer
import CobroStore
import Foundation

/// `cobro report audit`: the append-only audit log by user, customer, entity and date.
struct AuditReportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "audit", abstract: "The audit log by user, customer, entity and date.")
    @Option(help: "Only this actor, e.g. token:erp, cli, dunning.") var user: String?
    @Option(help: "A customer's ref: its own events and those of its invoices and payments.") var customer: String?
    @Option(help: "Only this entity type (customer, invoice, payment, allocation, dispute, …).") var entity: String?
    @Option(help: "Only this entity ref.") var ref: String?
    @Option(help: "First UTC day (YYYY-MM-DD).") var from: String?
    @Option(help: "Last UTC day (YYYY-MM-DD), included.") var to: String?
    @Option(help: "At most this many events.") var limit: Int = 1000
    @Option(help: "table, csv or json.") var format: OutputFormat = .table
    @OptionGroup var global: GlobalOptions

    func run() async throws {
        let f = try parseDate(from, flag: "--from"), t = try parseDate(to, flag: "--to")
        if let f, let t, t < f { throw ValidationError("--to \(t.iso) is before --from \(f.iso)") }
        guard limit >= 1 else { throw ValidationError("--limit must be at least 1") }
        let filter = Audit.Filter(
            entity: entity, ref: ref, actor: user, customerRef: customer, fromMillis: f.map { Int64($0.dayNumber) * 86_400_000 },
            toMillis: t.map { Int64($0.dayNumber + 1) * 86_400_000 })
        let n = limit
        let events = try await withDatabase(global) { db in
            let company = try await global.resolveCompany(db)
            return try await db.read { c in try await Audit.list(c, company: company.id, filter, afterID: 0, limit: n) }
        }
        let when = { (ms: Int64) in ISO8601DateFormatter().string(from: Date(timeIntervalSince1970: Double(ms) / 1000)) }
        switch format {
        case .csv:
            var out = CSVWriter.line(["id", "at", "actor", "action", "entity", "entity_ref", "before", "after"])
            for e in events { out += CSVWriter.line([String(e.id), when(e.at), e.actor, e.action, e.entity, e.entityRef ?? "", e.before ?? "", e.after ?? ""]) }
            printOut(out)
        case .json:
            printOut(JSONValue.array(events.map { e in
                .object([
                    ("id", .int(e.id)), ("at", .string(when(e.at))), ("actor", .string(e.actor)), ("action", .string(e.action)), ("entity", .string(e.entity)),
                    ("entity_ref", .optional(e.entityRef)), ("before", e.before.map(JSONValue.embedded) ?? .null), ("after", e.after.map(JSONValue.embedded) ?? .null),
                ])
            }).render(pretty: true) + "\n")
        case .table:
            let rows = events.map { e in [when(e.at), e.actor, e.action, e.entity, e.entityRef ?? "", String((e.after ?? "").prefix(60))] }
            printOut("\(events.count) audit event\(events.count == 1 ? "" : "s")\n\n" + TextTable(headers: ["at (UTC)", "actor", "action", "entity", "ref", "after"], rows: rows).render())
        }
    }
}
