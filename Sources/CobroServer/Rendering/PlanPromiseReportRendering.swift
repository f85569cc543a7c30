import CobroCore
import CobroStore
import Foundation

/// JSON, CSV and table forms of the payment-plan and promise-to-pay performance reports. Rates are percentages with
/// two decimals (`_pct`), from basis points.
public enum PlanPromiseReportRendering {
    static func pct(_ bp: Int?) -> String { hundredthsText(bp).map { "\($0) %" } ?? "—" }

    // MARK: Payment plans

    public typealias PlanReport = (total: PlanPerformance.Figures, byCollector: [(collector: String?, figures: PlanPerformance.Figures)])

    static func coverageJSON(_ cs: [PlanPerformance.Coverage]) -> JSONValue {
        .array(cs.map { c in
            .object([("currency", .string(c.currency.code)), ("due", .number(Money(minor: c.dueMinor, c.currency).decimalString)),
                     ("paid", .number(Money(minor: c.paidMinor, c.currency).decimalString)), ("coverage_pct", .hundredths(c.rateBasisPoints))])
        })
    }

    static func planFigures(_ f: PlanPerformance.Figures) -> [(String, JSONValue)] {
        [("plans", .int(Int64(f.plans))), ("started", .int(Int64(f.started))), ("cancelled", .int(Int64(f.cancelled))), ("active", .int(Int64(f.active))),
         ("completed", .int(Int64(f.completed))), ("defaulted", .int(Int64(f.defaulted))), ("matured", .int(Int64(f.matured))),
         ("installments_kept", .int(Int64(f.installmentsKept))), ("installments_missed", .int(Int64(f.installmentsMissed))),
         ("installments_pending", .int(Int64(f.installmentsPending))), ("installment_kept_rate_pct", .hundredths(f.installmentKeptRate)),
         ("completion_rate_pct", .hundredths(f.completionRate)), ("default_rate_pct", .hundredths(f.defaultRate)), ("coverage", coverageJSON(f.coverage))]
    }

    public static func plansJSON(from: LocalDate, to: LocalDate, asOf: LocalDate, _ r: PlanReport) -> JSONValue {
        .object([("from", .string(from.iso)), ("to", .string(to.iso)), ("as_of", .string(asOf.iso)), ("total", .object(planFigures(r.total))),
                 ("by_collector", .array(r.byCollector.map { .object([("collector", .optional($0.collector))] + planFigures($0.figures)) }))])
    }

    /// One row per collector and currency (coverage is per currency), then the totals as `(all)`.
    public static func plansCSV(_ r: PlanReport) -> String {
        var out = CSVWriter.line(["collector", "plans", "started", "cancelled", "active", "completed", "defaulted", "matured", "installments_kept",
                                  "installments_missed", "installments_pending", "installment_kept_rate_pct", "completion_rate_pct", "default_rate_pct",
                                  "currency", "due", "paid", "coverage_pct"])
        for (name, f) in r.byCollector.map({ ($0.collector ?? "", $0.figures) }) + [("(all)", r.total)] {
            let counts = [String(f.plans), String(f.started), String(f.cancelled), String(f.active), String(f.completed), String(f.defaulted), String(f.matured),
                          String(f.installmentsKept), String(f.installmentsMissed), String(f.installmentsPending), hundredthsText(f.installmentKeptRate) ?? "",
                          hundredthsText(f.completionRate) ?? "", hundredthsText(f.defaultRate) ?? ""]
            if f.coverage.isEmpty { out += CSVWriter.line([name] + counts + ["", "", "", ""]) }
            for c in f.coverage {
                out += CSVWriter.line([name] + counts + [c.currency.code, Money(minor: c.dueMinor, c.currency).decimalString,
                                                         Money(minor: c.paidMinor, c.currency).decimalString, hundredthsText(c.rateBasisPoints) ?? ""])
            }
        }
        return out
    }

    public static func plansTable(from: LocalDate, to: LocalDate, asOf: LocalDate, _ r: PlanReport) -> String {
        let named: [(String, PlanPerformance.Figures)] = r.byCollector.map { ($0.collector ?? "(none)", $0.figures) } + [("all collectors", r.total)]
        let rows: [[String]] = named.map { (name, f) in
            let coverage: String = f.coverage.map { c in pct(c.rateBasisPoints) + " " + c.currency.code }.joined(separator: ", ")
            return [name, String(f.started), String(f.completed), String(f.defaulted), String(f.active), pct(f.installmentKeptRate),
                    coverage, pct(f.completionRate), pct(f.defaultRate)]
        }
        let cancelled = r.total.cancelled == 0 ? "" : "; \(r.total.cancelled) cancelled left out"
        return "Payment plans started \(from.iso) – \(to.iso), as of \(asOf.iso) (reference §2.8\(cancelled))\n\n"
            + TextTable(headers: ["collector", "plans", "completed", "defaulted", "active", "installments kept", "coverage", "completion", "default rate"],
                        rows: rows, rightAligned: [1, 2, 3, 4, 5, 6, 7, 8]).render()
    }

    // MARK: Promises to pay

    public typealias PromiseReport = (total: [PromiseRecord], byCollector: [(collector: String?, promises: [PromiseRecord])])

    public static func groupPromises(_ all: [PromiseRecord]) -> PromiseReport {
        let groups = Dictionary(grouping: all, by: \.collector)
        let keys = groups.keys.sorted { ($0 ?? "\u{10FFFF}") < ($1 ?? "\u{10FFFF}") }
        return (all, keys.map { ($0, groups[$0]!) })
    }

    struct PromiseFigures {
        var promises = 0, kept = 0, partiallyKept = 0, broken = 0, open = 0, cancelled = 0
        var rates: PromiseEvaluation.KeptRates

        init(_ ps: [PromiseRecord]) {
            rates = PromiseEvaluation.keptRates(ps.map { (promisedMinor: $0.promise.amount.minor, result: PromiseEvaluation.Result(status: $0.status, paidInWindowMinor: $0.paidInWindowMinor)) })
            promises = ps.count
            for p in ps {
                switch p.status {
                case .kept: kept += 1
                case .partiallyKept: partiallyKept += 1
                case .broken: broken += 1
                case .open: open += 1
                case .cancelled: cancelled += 1
                }
            }
        }
    }

    static func promiseFigures(_ ps: [PromiseRecord]) -> [(String, JSONValue)] {
        let f = PromiseFigures(ps)
        return [("promises", .int(Int64(f.promises))), ("resolved", .int(Int64(f.rates.resolved))), ("kept", .int(Int64(f.kept))),
                ("partially_kept", .int(Int64(f.partiallyKept))), ("broken", .int(Int64(f.broken))), ("open", .int(Int64(f.open))),
                ("cancelled", .int(Int64(f.cancelled))), ("kept_rate_count_pct", .hundredths(f.rates.byCount)), ("kept_rate_amount_pct", .hundredths(f.rates.byAmount)),
                ("kept_rate_strict_amount_pct", .hundredths(f.rates.strictByAmount)), ("kept_rate_partial_fraction_pct", .hundredths(f.rates.partialAsFraction))]
    }

    public static func promisesJSON(from: LocalDate, to: LocalDate, _ r: PromiseReport) -> JSONValue {
        .object([("from", .string(from.iso)), ("to", .string(to.iso)), ("total", .object(promiseFigures(r.total))),
                 ("by_collector", .array(r.byCollector.map { .object([("collector", .optional($0.collector))] + promiseFigures($0.promises)) }))])
    }

    public static func promisesCSV(_ r: PromiseReport) -> String {
        var out = CSVWriter.line(["collector", "promises", "resolved", "kept", "partially_kept", "broken", "open", "cancelled", "kept_rate_count_pct",
                                  "kept_rate_amount_pct", "kept_rate_strict_amount_pct", "kept_rate_partial_fraction_pct"])
        for (name, ps) in r.byCollector.map({ ($0.collector ?? "", $0.promises) }) + [("(all)", r.total)] {
            let f = PromiseFigures(ps)
            out += CSVWriter.line([name, String(f.promises), String(f.rates.resolved), String(f.kept), String(f.partiallyKept), String(f.broken), String(f.open),
                                   String(f.cancelled), hundredthsText(f.rates.byCount) ?? "", hundredthsText(f.rates.byAmount) ?? "",
                                   hundredthsText(f.rates.strictByAmount) ?? "", hundredthsText(f.rates.partialAsFraction) ?? ""])
        }
        return out
    }

    public static func promisesTable(from: LocalDate, to: LocalDate, _ r: PromiseReport) -> String {
        let rows = (r.byCollector.map { ($0.collector ?? "(none)", $0.promises) } + [("all collectors", r.total)]).map { (name, ps) in
            let f = PromiseFigures(ps)
            return [name, String(f.promises), String(f.kept), String(f.partiallyKept), String(f.broken), String(f.open), pct(f.rates.byCount), pct(f.rates.byAmount)]
        }
        return "Promises to pay due \(from.iso) – \(to.iso) (reference §2.7; open and cancelled ones left out of the rates)\n\n"
            + TextTable(headers: ["collector", "promises", "kept", "partly kept", "broken", "open", "kept by count", "kept by amount"],
                        rows: rows, rightAligned: [1, 2, 3, 4, 5, 6, 7]).render()
    }
}
