import CobroCore
import CobroStore
import Foundation

/// JSON, CSV and table forms of collector goals and the goals-vs-actual report.
public enum GoalsRendering {
    static func goal(_ g: GoalRecord) -> JSONValue {
        .object([("collector", .string(g.collector)), ("month", .string(g.month.iso)), ("currency", .string(g.amount.currency.code)),
                 ("amount", .number(g.amount.decimalString)), ("updated_at", .string(DunningRendering.instant(g.updatedAt))), ("updated_by", .string(g.updatedBy))])
    }

    static func amount(_ minor: Int64?, _ c: Currency) -> String? { minor.map { Money(minor: $0, c).decimalString } }

    static func unconverted(_ m: [String: Int64]) -> [(String, Int64)] { m.sorted { $0.key < $1.key } }

    static func row(_ r: CollectorGoals.Row, base: Currency) -> [(String, JSONValue)] {
        [("goal", amount(r.goalMinor, base).map(JSONValue.number) ?? .null), ("collected", .number(Money(minor: r.collectedMinor, base).decimalString)),
         ("payments", .int(Int64(r.payments))), ("attainment_pct", .hundredths(r.attainmentBasisPoints)),
         ("remaining", amount(r.remainingMinor, base).map(JSONValue.number) ?? .null),
         ("unconverted", .object(unconverted(r.unconvertedMinor).map { ($0.0, .number(Money(minor: $0.1, Currency(code: $0.0)!).decimalString)) }))]
    }

    public static func reportJSON(_ r: GoalReport) -> JSONValue {
        .object([("month", .string(r.month.iso)), ("currency", .string(r.base.code)),
                 ("collectors", .array(r.rows.map { .object([("collector", .optional($0.collector))] + row($0, base: r.base)) })),
                 ("total", .object(row(r.total, base: r.base)))])
    }

    public static func reportCSV(_ r: GoalReport) -> String {
        var out = CSVWriter.line(["collector", "month", "currency", "goal", "collected", "payments", "attainment_pct", "remaining", "unconverted"])
        for (name, x) in r.rows.map({ ($0.collector ?? "(unassigned)", $0) }) + [("(all)", r.total)] {
            out += CSVWriter.line([name, r.month.iso, r.base.code, amount(x.goalMinor, r.base) ?? "", Money(minor: x.collectedMinor, r.base).decimalString,
                                   String(x.payments), hundredthsText(x.attainmentBasisPoints) ?? "", amount(x.remainingMinor, r.base) ?? "",
                                   unconvertedText(x.unconvertedMinor)])
        }
        return out
    }

    static func unconvertedText(_ m: [String: Int64]) -> String {
        unconverted(m).map { "\(Money(minor: $0.1, Currency(code: $0.0)!).decimalString) \($0.0)" }.joined(separator: "; ")
    }

    /// A bar per collector: collected against the goal, 20 cells to 100 %.
    static func bar(_ bp: Int?) -> String {
        guard let bp else { return "" }
        let cells = min(bp, 10_000) * 20 / 10_000
        return String(repeating: "█", count: cells) + String(repeating: "░", count: 20 - cells) + (bp > 10_000 ? "▶" : "")
    }

    public static func reportTable(_ r: GoalReport) -> String {
        let rows = (r.rows.map { ($0.collector ?? "(unassigned)", $0) } + [("all collectors", r.total)]).map { (name, x) -> [String] in
            [name, amount(x.goalMinor, r.base) ?? "—", Money(minor: x.collectedMinor, r.base).decimalString, hundredthsText(x.attainmentBasisPoints).map { "\($0) %" } ?? "—",
             bar(x.attainmentBasisPoints), amount(x.remainingMinor, r.base) ?? "—"]
        }
        var out = "Collector goals \(r.month.iso) in \(r.base.code): payments counted for the customer's collector on the payment day;\n"
            + "attainment counts collectors with a goal; customers nobody held are listed apart, not in the total\n\n"
            + TextTable(headers: ["collector", "goal", "collected", "attained", "", "to go"], rows: rows, rightAligned: [1, 2, 3, 5]).render()
        let unconverted = r.rows.reduce(into: [String: Int64]()) { $0.merge($1.unconvertedMinor, uniquingKeysWith: +) }
        if !unconverted.isEmpty {
            out += "\nNot converted (no rate; set one with PUT /settings/rates): \(unconvertedText(unconverted))\n"
        }
        return out
    }
}
