import CobroCore
import CobroStore

/// The worklist as JSON (API and `cobro worklist --format json`), CSV and a terminal table.
public enum WorklistRendering {
    public static func json(_ entries: [WorklistEntry], asOf: LocalDate, base: Currency) -> JSONValue {
        .object([
            ("as_of", .string(asOf.iso)), ("base_currency", .string(base.code)), ("data", .array(entries.map { entry($0, base: base) })), ("next_cursor", .null),
        ])
    }

    static func entry(_ e: WorklistEntry, base: Currency) -> JSONValue {
        .object([
            ("customer_ref", .string(e.customerRef)), ("name", .string(e.name)), ("collector", .optional(e.collector)), ("score", .hundredths(e.score)),
            ("overdue_base", Representation.amount(e.facts.overdueBase, base)),
            ("overdue", .array(e.overdue.map { m in .object([("currency", .string(m.currency.code)), ("amount", Representation.amount(m.minor, m.currency))]) })),
            ("oldest_days_past_due", .int(e.facts.oldestDaysPastDue)), ("broken_promises", .int(e.facts.brokenPromises)),
            ("credit_hold", .bool(e.facts.creditHold)),
            ("breakdown", .array(e.factors.map { f in .object([("factor", .string(f.factor)), ("points", .hundredths(f.points)), ("detail", .string(f.detail))]) })),
            ("next_action", .object([("kind", .string(e.action.kind.rawValue)), ("reason", .string(e.action.reason))])),
            ("tasks_due", .array(e.facts.dueTasks.map { t in
                .object([("id", t.id.map { .int($0) } ?? .null), ("kind", .string(t.kind)), ("title", .string(t.title)), ("due_date", .string(t.due.iso)),
                         ("about", .optional(t.about))])
            })),
        ])
    }

    static func why(_ e: WorklistEntry) -> String {
        e.factors.filter { $0.points != 0 }.map { "\($0.factor) \(hundredthsText($0.points) ?? "")" }.joined(separator: ", ")
    }

    public static func csv(_ entries: [WorklistEntry], base: Currency) -> String {
        var out = CSVWriter.line(["rank", "customer_ref", "name", "collector", "score", "overdue_\(base.code.lowercased())", "oldest_days_past_due", "next_action", "tasks_due", "breakdown"])
        for (i, e) in entries.enumerated() {
            out += CSVWriter.line([
                String(i + 1), e.customerRef, e.name, e.collector ?? "", hundredthsText(e.score) ?? "", Money(minor: e.facts.overdueBase, base).decimalString,
                String(e.facts.oldestDaysPastDue), e.action.kind.rawValue, String(e.facts.dueTasks.count), why(e),
            ])
        }
        return out
    }

    public static func table(_ entries: [WorklistEntry], asOf: LocalDate, base: Currency) -> String {
        let t = TextTable(
            headers: ["#", "customer", "collector", "score", "overdue \(base.code)", "days", "next action", "why"],
            rows: entries.enumerated().map { i, e in
                [String(i + 1), e.customerRef, e.collector ?? "—", hundredthsText(e.score) ?? "", Money(minor: e.facts.overdueBase, base).decimalString,
                 String(e.facts.oldestDaysPastDue), e.action.kind.rawValue.replacing("_", with: " "), why(e)]
            }, rightAligned: [0, 3, 4, 5])
        return "Worklist as of \(asOf.iso) — \(entries.count) customer\(entries.count == 1 ? "" : "s") with overdue items\n\n" + t.render()
    }
}
