import CobroCore
import CobroStore
import Foundation

/// JSON and table forms of `cobro model evaluate`.
public enum ModelRendering {
    static func num(_ v: Double?, _ digits: Int = 4) -> JSONValue { v.map { .number(String(format: "%.\(digits)f", $0)) } ?? .null }
    public static func text(_ v: Double?, _ digits: Int = 3) -> String { v.map { String(format: "%.\(digits)f", $0) } ?? "—" }

    static func scoresFields(_ s: ModelEvaluation.Scores) -> [(String, JSONValue)] {
        [("auc", num(s.auc)), ("accuracy", num(s.accuracy)), ("precision_late", num(s.precisionLate)), ("recall_late", num(s.recallLate)),
         ("f1_late", num(s.f1Late)), ("brier", num(s.brier)), ("mae_days_late", num(s.maeDaysLate, 2)),
         ("mae_days_late_late_only", num(s.maeDaysLateLateOnly, 2)), ("rmse_days_to_settle", num(s.rmseDaysToSettle, 2))]
    }

    public static func evaluationJSON(_ r: ModelEvaluation.Report) -> JSONValue {
        .object(
            [("cut_date", .string(r.cutDate.iso)), ("late_days", .int(Int64(r.lateDays))), ("n_train", .int(Int64(r.nTrain))), ("n_test", .int(Int64(r.nTest))),
             ("late_share_test", num(r.lateShareTest))]
                + scoresFields(r.model)
                + [("calibration", .array(r.calibration.map { b in
                    .object([("low", num(b.low, 1)), ("high", num(b.high, 1)), ("count", .int(Int64(b.count))), ("mean_predicted", num(b.meanPredicted)),
                             ("observed_late", num(b.observedLate))])
                })),
                   ("baselines", .object(r.baselines.map { ($0.name, .object(scoresFields($0.scores))) }))])
    }

    public static func evaluationTable(_ r: ModelEvaluation.Report) -> String {
        var out = "Payment model, out of time: trained on \(r.nTrain) invoices issued before \(r.cutDate.iso), tested on \(r.nTest) issued since\n"
        out += "(late = settled more than \(r.lateDays) days after due; \(text(r.lateShareTest * 100, 1)) % of the test set was late)\n\n"
        let rows = ([("model", r.model)] + r.baselines).map { name, s in
            [name, text(s.auc), text(s.accuracy), text(s.precisionLate), text(s.recallLate), text(s.f1Late), text(s.brier), text(s.maeDaysLate, 2),
             text(s.maeDaysLateLateOnly, 2), text(s.rmseDaysToSettle, 2)]
        }
        out += TextTable(
            headers: ["", "AUC", "accuracy", "precision", "recall", "F1 late", "Brier", "MAE days", "MAE late", "RMSE settle"], rows: rows,
            rightAligned: Set(1...9)).render()
        out += "\nCalibration\n"
        out += TextTable(
            headers: ["predicted", "invoices", "mean predicted", "observed late"],
            rows: r.calibration.map { ["\(text($0.low, 1))–\(text($0.high, 1))", String($0.count), text($0.meanPredicted), text($0.observedLate)] },
            rightAligned: [1, 2, 3]).render()
        return out
    }
}

extension ModelRendering {
    static func currencies(_ f: CashForecast.Forecast) -> [Currency] {
        Set(f.weeks.flatMap(\.amounts.keys) + f.later.keys).sorted { $0.code < $1.code }
    }

    public static func forecastJSON(_ f: CashForecast.Forecast, today: LocalDate, version: Int64) -> JSONValue {
        func amounts(_ a: [Currency: Int64]) -> JSONValue {
            .array(a.sorted { $0.key.code < $1.key.code }.map { .object([("currency", .string($0.key.code)), ("amount", .number(Money(minor: $0.value, $0.key).decimalString))]) })
        }
        return .object([
            ("as_of", .string(today.iso)), ("model_version", .int(version)),
            ("weeks", .array(f.weeks.map { .object([("start", .string($0.start.iso)), ("amounts", amounts($0.amounts))]) })),
            ("later", amounts(f.later)),
        ])
    }

    public static func forecastCSV(_ f: CashForecast.Forecast) -> String {
        var out = CSVWriter.line(["week_start", "currency", "amount"])
        for w in f.weeks {
            for (cur, minor) in w.amounts.sorted(by: { $0.key.code < $1.key.code }) { out += CSVWriter.line([w.start.iso, cur.code, Money(minor: minor, cur).decimalString]) }
        }
        for (cur, minor) in f.later.sorted(by: { $0.key.code < $1.key.code }) { out += CSVWriter.line(["later", cur.code, Money(minor: minor, cur).decimalString]) }
        return out
    }

    /// One row per week, a column per currency, and a bar for the first currency's amount against its biggest week.
    public static func forecastTable(_ f: CashForecast.Forecast, today: LocalDate, version: Int64) -> String {
        let curs = currencies(f)
        let head = "Expected collections per week from \(today.iso) (payment model version \(version); overdue items are expected now)\n\n"
        guard let first = curs.first else { return head + "Nothing is open.\n" }
        let peak = max(1, f.weeks.map { $0.amounts[first] ?? 0 }.max() ?? 1)
        var rows = f.weeks.map { w in
            [w.start.iso] + curs.map { Money(minor: w.amounts[$0] ?? 0, $0).decimalString }
                + [String(repeating: "█", count: Int((Double(w.amounts[first] ?? 0) / Double(peak) * 24).rounded()))]
        }
        rows.append(["later"] + curs.map { Money(minor: f.later[$0] ?? 0, $0).decimalString } + [""])
        return head + TextTable(headers: ["week of"] + curs.map(\.code) + ["\(first.code)"], rows: rows, rightAligned: Set(1...curs.count)).render()
    }

    static func money(_ minor: Int64, _ cur: Currency) -> String { Money(minor: minor, cur).decimalString }

    public static func accuracyJSON(_ r: ModelStore.ForecastComparison, today: LocalDate) -> JSONValue {
        .object([
            ("made_on", .string(r.madeOn.iso)), ("model_version", .int(r.modelVersion)), ("as_of", .string(today.iso)),
            ("weeks", .array(r.rows.map { w in
                .object([
                    ("start", .string(w.weekStart.iso)), ("currency", .string(w.currency.code)), ("forecast", .number(money(w.forecastMinor, w.currency))),
                    ("actual", .number(money(w.actualMinor, w.currency))), ("difference", .number(money(w.differenceMinor, w.currency))),
                    ("error_pct", num(w.errorPct, 1)), ("complete", .bool(w.complete)),
                ])
            })),
            ("summary", .array(r.summary.map { s in
                .object([
                    ("currency", .string(s.currency.code)), ("weeks", .int(Int64(s.weeks))), ("forecast", .number(money(s.forecastMinor, s.currency))),
                    ("actual", .number(money(s.actualMinor, s.currency))), ("wape_pct", num(s.wapePct, 1)),
                ])
            })),
        ])
    }

    public static func accuracyCSV(_ r: ModelStore.ForecastComparison) -> String {
        var out = CSVWriter.line(["week_start", "currency", "forecast", "actual", "difference", "error_pct", "complete"])
        for w in r.rows {
            out += CSVWriter.line([
                w.weekStart.iso, w.currency.code, money(w.forecastMinor, w.currency), money(w.actualMinor, w.currency), money(w.differenceMinor, w.currency),
                w.errorPct.map { String(format: "%.1f", $0) } ?? "", w.complete ? "yes" : "no",
            ])
        }
        return out
    }

    public static func accuracyTable(_ r: ModelStore.ForecastComparison, today: LocalDate) -> String {
        var out = "Cash forecast made on \(r.madeOn.iso) (model version \(r.modelVersion)) against payments received, as of \(today.iso)\n"
        out += "(the forecast covers invoices open when it was made; payments include later invoices; * = week not over yet)\n\n"
        out += TextTable(
            headers: ["week of", "currency", "forecast", "actual", "difference", "error %"],
            rows: r.rows.map { w in
                [w.weekStart.iso + (w.complete ? "" : " *"), w.currency.code, money(w.forecastMinor, w.currency), money(w.actualMinor, w.currency),
                 money(w.differenceMinor, w.currency), text(w.errorPct, 1)]
            }, rightAligned: Set(2...5)).render()
        if !r.summary.isEmpty {
            out += "\nComplete weeks: weighted absolute error (Σ|actual − forecast| / Σ actual)\n"
            out += TextTable(
                headers: ["currency", "weeks", "forecast", "actual", "WAPE %"],
                rows: r.summary.map { [$0.currency.code, String($0.weeks), money($0.forecastMinor, $0.currency), money($0.actualMinor, $0.currency), text($0.wapePct, 1)] },
                rightAligned: Set(1...4)).render()
        }
        return out
    }
}
