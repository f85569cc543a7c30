import CobroCore
import CobroStore
import Foundation

/// How a dunning run is shown: a table for people, JSON for scripts (same fields).
public enum DunningRendering {
    public static func instant(_ millis: Int64) -> String {
        Date(timeIntervalSince1970: Double(millis) / 1000).formatted(.iso8601)
    }

    public static func runTable(_ r: DunningRunReport, limit: Int = 50) -> String {
        var t = TextTable(headers: ["customer", "step", "channel", "total", "invoices", "deliver at (UTC)", "to", "subject"], rightAligned: [3])
        t.rows = r.messages.prefix(limit).map { m in
            let refs = m.invoiceRefs.count > 3 ? m.invoiceRefs.prefix(3).joined(separator: " ") + " +\(m.invoiceRefs.count - 3)" : m.invoiceRefs.joined(separator: " ")
            return [m.customerRef, m.stepID, m.channel.rawValue, "\(m.total.decimalString) \(m.currency.code)", refs, instant(m.deliverAt), m.recipient,
                    String(m.subject.prefix(60))]
        }
        var out = r.dryRun ? "Dry run as of \(r.asOf.iso) — nothing was recorded or queued\n" : "Dunning run as of \(r.asOf.iso)\n"
        out += "\(r.messages.count) messages, \(r.entries) dunning entries, \(r.skips.count) skipped"
        if !r.alreadyRecorded.isEmpty { out += ", \(r.alreadyRecorded.count) customers already recorded by another run" }
        if r.messages.count > limit { out += " — first \(limit) messages shown (use --format json for all)" }
        out += "\n\n" + t.render()
        if !r.skips.isEmpty {
            var byReason: [String: Int] = [:]
            for s in r.skips { byReason[s.reason.rawValue, default: 0] += 1 }
            out += "\nSkipped: " + byReason.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ") + "\n"
        }
        let took = r.timings
        out += "\nTook: read \(seconds(took.read)) s, plan \(seconds(took.plan)) s, compose and schedule \(seconds(took.compose)) s"
            + (r.dryRun ? "" : ", record \(seconds(took.record)) s") + "\n"
        return out
    }

    /// A duration as seconds with two decimals (`3.14`).
    public static func seconds(_ d: Duration) -> String {
        String(format: "%.2f", Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18)
    }

    public static func runJSON(_ r: DunningRunReport) -> JSONValue {
        .object([
            ("timings_s", .object([
                ("read", .number(seconds(r.timings.read))), ("plan", .number(seconds(r.timings.plan))),
                ("compose", .number(seconds(r.timings.compose))), ("record", .number(seconds(r.timings.record))),
            ])),
            ("as_of", .string(r.asOf.iso)), ("dry_run", .bool(r.dryRun)), ("config_version", .int(r.configVersion)), ("run_id", r.runID.map { .int($0) } ?? .null),
            ("entries", .int(r.entries)),
            ("messages", .array(r.messages.map { m in
                .object([
                    ("customer_ref", .string(m.customerRef)), ("step", .string(m.stepID)), ("channel", .string(m.channel.rawValue)),
                    ("currency", .string(m.currency.code)), ("total", .number(m.total.decimalString)), ("invoices", .array(m.invoiceRefs.map { .string($0) })),
                    ("recipient", .string(m.recipient)), ("language", .string(m.language)), ("deliver_at", .string(instant(m.deliverAt))),
                    ("subject", .string(m.subject)), ("text", .string(m.text)),
                ])
            })),
            ("skips", .array(r.skips.map { s in
                .object([
                    ("customer_ref", .string(s.customerRef)), ("reason", .string(s.reason.rawValue)), ("step", .optional(s.stepID)),
                    ("invoices", .array(s.invoiceIDs.map { .int($0.rawValue) })), ("detail", .string(s.detail)),
                ])
            })),
            ("already_recorded", .array(r.alreadyRecorded.map { .string($0) })),
        ])
    }
}
