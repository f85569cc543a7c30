import CobroCore
import CobroStore
import Foundation

/// JSON, CSV and table forms of the contactability, open-disputes and default-analysis reports.
public enum CollectionsReportRendering {
    static func pct(_ v: Double?) -> String { v.map { String(format: "%.1f %%", $0 * 100) } ?? "—" }
    static func rate(_ v: Double?) -> JSONValue { v.map { .number(String(format: "%.4f", $0)) } ?? .null }
    static func rateCSV(_ v: Double?) -> String { v.map { String(format: "%.4f", $0) } ?? "" }

    // MARK: Contactability

    static func figuresJSON(_ f: Contactability.Figures) -> [(String, JSONValue)] {
        [("dials", .int(Int64(f.dials))), ("connects", .int(Int64(f.connects))), ("right_party_contacts", .int(Int64(f.rightPartyContacts))),
         ("promises", .int(Int64(f.promises))), ("accounts_worked", .int(Int64(f.accountsWorked))), ("accounts_reached", .int(Int64(f.accountsReached))),
         ("connect_rate", rate(f.connectRate)), ("rpc_per_dial", rate(f.rpcPerDial)), ("rpc_per_connect", rate(f.rpcPerConnect)),
         ("promise_per_rpc", rate(f.promisePerRPC)), ("contactability", rate(f.contactability))]
    }

    public static func contactabilityJSON(from: LocalDate, to: LocalDate, _ r: (total: Contactability.Figures, byCollector: [(collector: String, figures: Contactability.Figures)])) -> JSONValue {
        .object([("from", .string(from.iso)), ("to", .string(to.iso)), ("total", .object(figuresJSON(r.total))),
                 ("collectors", .array(r.byCollector.map { .object([("collector", .string($0.collector))] + figuresJSON($0.figures)) }))])
    }

    public static func contactabilityCSV(_ r: (total: Contactability.Figures, byCollector: [(collector: String, figures: Contactability.Figures)])) -> String {
        var out = CSVWriter.line(["collector", "dials", "connects", "right_party_contacts", "promises", "accounts_worked", "accounts_reached", "connect_rate",
                                  "rpc_per_dial", "rpc_per_connect", "promise_per_rpc", "contactability"])
        for (name, f) in r.byCollector.map({ ($0.collector, $0.figures) }) + [("(all)", r.total)] {
            out += CSVWriter.line([name, String(f.dials), String(f.connects), String(f.rightPartyContacts), String(f.promises), String(f.accountsWorked),
                                   String(f.accountsReached), rateCSV(f.connectRate), rateCSV(f.rpcPerDial), rateCSV(f.rpcPerConnect), rateCSV(f.promisePerRPC),
                                   rateCSV(f.contactability)])
        }
        return out
    }

    public static func contactabilityTable(from: LocalDate, to: LocalDate, _ r: (total: Contactability.Figures, byCollector: [(collector: String, figures: Contactability.Figures)])) -> String {
        let rows = (r.byCollector.map { ($0.collector, $0.figures) } + [("all collectors", r.total)]).map { (name, f) in
            [name, String(f.dials), pct(f.connectRate), pct(f.rpcPerDial), pct(f.rpcPerConnect), pct(f.promisePerRPC), "\(f.accountsReached)/\(f.accountsWorked)", pct(f.contactability)]
        }
        return "Contactability \(from.iso) – \(to.iso) (calls; reference §2.9)\n\n"
            + TextTable(headers: ["collector", "dials", "connect", "RPC/dials", "RPC/connects", "PTP/RPC", "reached/worked", "contactability"],
                        rows: rows, rightAligned: [1, 2, 3, 4, 5, 6, 7]).render()
    }

    // MARK: Open disputes

    public static func disputesJSON(today: LocalDate, _ rows: [OpenDisputeRow]) -> JSONValue {
        var byReason: [String: (Int, [String: Int64])] = [:]
        for r in rows {
            byReason[r.reason, default: (0, [:])].0 += 1
            byReason[r.reason]!.1[r.currency.code, default: 0] += r.amountMinor
        }
        return .object([
            ("as_of", .string(today.iso)), ("open", .int(Int64(rows.count))), ("overdue", .int(Int64(rows.filter { $0.sla == .overdue }.count))),
            ("by_reason", .array(byReason.keys.sorted().map { k in
                .object([("reason", .string(k)), ("count", .int(Int64(byReason[k]!.0))),
                         ("amount", .object(byReason[k]!.1.sorted { $0.key < $1.key }.map { ($0.key, .number(Money(minor: $0.value, Currency(code: $0.key)!).decimalString)) }))])
            })),
            ("disputes", .array(rows.map { r in
                .object([("id", .int(r.id)), ("invoice_ref", .string(r.invoiceRef)), ("customer_ref", .string(r.customerRef)), ("reason", .string(r.reason)),
                         ("status", .string(r.status)), ("owner", .optional(r.owner)), ("currency", .string(r.currency.code)),
                         ("amount", .number(Money(minor: r.amountMinor, r.currency).decimalString)), ("opened_on", .string(r.openedOn.iso)), ("age_days", .int(Int64(r.ageDays))),
                         ("due_date", r.dueDate.map { .string($0.iso) } ?? .null), ("sla", .string(r.sla.rawValue)), ("days_overdue", .int(Int64(r.daysOverdue)))])
            })),
        ])
    }

    public static func disputesCSV(_ rows: [OpenDisputeRow]) -> String {
        var out = CSVWriter.line(["id", "invoice_ref", "customer_ref", "reason", "status", "owner", "currency", "amount", "opened_on", "age_days", "due_date", "sla", "days_overdue"])
        for r in rows {
            out += CSVWriter.line([String(r.id), r.invoiceRef, r.customerRef, r.reason, r.status, r.owner ?? "", r.currency.code, Money(minor: r.amountMinor, r.currency).decimalString,
                                   r.openedOn.iso, String(r.ageDays), r.dueDate?.iso ?? "", r.sla.rawValue, String(r.daysOverdue)])
        }
        return out
    }

    public static func disputesTable(today: LocalDate, _ rows: [OpenDisputeRow]) -> String {
        let head = "Open disputes as of \(today.iso): \(rows.count) open, \(rows.filter { $0.sla == .overdue }.count) past their due date\n\n"
        guard !rows.isEmpty else { return head }
        return head + TextTable(
            headers: ["id", "invoice", "customer", "reason", "status", "owner", "amount", "age", "due", "SLA"],
            rows: rows.map { r in
                [String(r.id), r.invoiceRef, r.customerRef, r.reason, r.status, r.owner ?? "—", "\(Money(minor: r.amountMinor, r.currency).decimalString) \(r.currency.code)",
                 "\(r.ageDays) d", r.dueDate?.iso ?? "—", r.sla == .overdue ? "overdue \(r.daysOverdue) d" : r.sla == .withinSLA ? "within" : "—"]
            }, rightAligned: [0, 6, 7]).render()
    }

    // MARK: Default analysis

    public static func reasonsJSON(from: LocalDate, to: LocalDate, _ rows: [DefaultReasons.Reason]) -> JSONValue {
        .object([("from", .string(from.iso)), ("to", .string(to.iso)), ("reasons", .array(rows.map { r in
            .object([("source", .string(r.source)), ("reason", .string(r.reason)), ("count", .int(Int64(r.count))), ("share", rate(r.share)),
                     ("amount", .object(r.amountMinorByCurrency.sorted { $0.key < $1.key }.map { ($0.key, .number(Money(minor: $0.value, Currency(code: $0.key)!).decimalString)) }))])
        }))])
    }

    public static func reasonsCSV(_ rows: [DefaultReasons.Reason]) -> String {
        var out = CSVWriter.line(["source", "reason", "count", "share", "amounts"])
        for r in rows {
            let amounts = r.amountMinorByCurrency.sorted { $0.key < $1.key }.map { "\(Money(minor: $0.value, Currency(code: $0.key)!).decimalString) \($0.key)" }.joined(separator: "; ")
            out += CSVWriter.line([r.source, r.reason, String(r.count), rateCSV(r.share), amounts])
        }
        return out
    }

    public static func reasonsTable(from: LocalDate, to: LocalDate, _ rows: [DefaultReasons.Reason]) -> String {
        let head = "Why customers do not pay, \(from.iso) – \(to.iso): dispute reasons and call outcomes that did not reach or convince the payer\n\n"
        guard !rows.isEmpty else { return head + "Nothing recorded in the period.\n" }
        let widest = rows.map(\.count).max() ?? 1
        return head + TextTable(
            headers: ["source", "reason", "count", "share", "", "disputed"],
            rows: rows.map { r in
                let bar = String(repeating: "█", count: max(1, r.count * 20 / max(1, widest)))
                return [r.source, r.reason.replacingOccurrences(of: "_", with: " "), String(r.count), pct(r.share), bar,
                        r.amountMinorByCurrency.sorted { $0.key < $1.key }.map { "\(Money(minor: $0.value, Currency(code: $0.key)!).decimalString) \($0.key)" }.joined(separator: ", ")]
            }, rightAligned: [2, 3]).render()
    }
}
