import CobroCore
import CobroStore

/// JSON, CSV and table forms of the roll-rate (migration) and provision-matrix reports.
public enum RiskReportRendering {
    static func money(_ m: Int64, _ c: Currency) -> String { Money(minor: m, c).decimalString }
    /// Percent with 4 decimals (`0.2800`) from parts per million.
    static func ppmText(_ ppm: Int?) -> String? { ppm.map { Money.format(minor: Int64($0), exponent: 4) } }
    static func rateText(_ r: LossRate) -> String { Money.format(minor: r.partsPerMillion, exponent: 4) }
    static func ppmJSON(_ ppm: Int?) -> JSONValue { ppmText(ppm).map(JSONValue.number) ?? .null }

    // MARK: Roll rates

    static func matrixJSON(_ m: RollMatrix, labels: [String]) -> JSONValue {
        let chain = m.chainedLossPartsPerMillion
        return .object([("currency", .string(m.currency.code)), ("rows", .array(m.rows.map { r in
            .object([
                ("bucket", .string(labels[r.bucket])), ("balance", .number(money(r.balance, m.currency))), ("items", .int(Int64(r.items))),
                ("to", .object(zip(labels, r.toBucket).map { ($0, .number(money($1, m.currency))) })),
                ("paid", .number(money(r.paid, m.currency))), ("written_off", .number(money(r.writtenOff, m.currency))),
                ("roll_rate_pct", .hundredths(r.rollRateBasisPoints)), ("containment_pct", .hundredths(r.containmentBasisPoints)),
                ("chained_loss_pct", ppmJSON(chain[r.bucket])),
            ])
        }))])
    }

    public static func rollRatesJSON(from: YearMonth, to: YearMonth, labels: [String], months: [RiskReportStore.MonthRoll], overall: [RollMatrix]) -> JSONValue {
        .object([
            ("from", .string(from.iso)), ("to", .string(to.iso)), ("buckets", .array(labels.map { .string($0) })),
            ("overall", .array(overall.map { matrixJSON($0, labels: labels) })),
            ("months", .array(months.map { mo in
                .object([("from", .string(mo.from.iso)), ("to", .string(mo.to.iso)), ("matrices", .array(mo.matrices.map { matrixJSON($0, labels: labels) }))])
            })),
        ])
    }

    /// One line per (scope, period, currency, bucket): `overall` over the whole range first, then each month.
    public static func rollRatesCSV(from: YearMonth, to: YearMonth, labels: [String], months: [RiskReportStore.MonthRoll], overall: [RollMatrix]) -> String {
        var out = CSVWriter.line(
            ["scope", "from_month", "to_month", "currency", "bucket", "balance", "items"] + labels.map { "to_\($0)" }
                + ["paid", "written_off", "roll_rate_pct", "containment_pct", "chained_loss_pct"])
        func lines(_ scope: String, _ a: YearMonth, _ b: YearMonth, _ ms: [RollMatrix]) {
            for m in ms {
                let chain = m.chainedLossPartsPerMillion
                for r in m.rows {
                    out += CSVWriter.line(
                        [scope, a.iso, b.iso, m.currency.code, labels[r.bucket], money(r.balance, m.currency), String(r.items)]
                            + r.toBucket.map { money($0, m.currency) }
                            + [money(r.paid, m.currency), money(r.writtenOff, m.currency), hundredthsText(r.rollRateBasisPoints) ?? "",
                               hundredthsText(r.containmentBasisPoints) ?? "", ppmText(chain[r.bucket]) ?? ""])
                }
            }
        }
        lines("overall", from, to, overall)
        for mo in months { lines("month", mo.from, mo.to, mo.matrices) }
        return out
    }

    public static func rollRatesTable(from: YearMonth, to: YearMonth, labels: [String], months: [RiskReportStore.MonthRoll], overall: [RollMatrix]) -> String {
        var out = "Roll rates between aging buckets, month-end \(from.iso) to month-end \(to.iso) (balance-tracked; reference §2.11)\n"
            + "(roll rate = share of a bucket's balance in a worse bucket a month later, for the last bucket the share written off;\n"
            + " containment = 1 − roll rate; chained loss = share expected to reach the last bucket)\n"
        guard !overall.isEmpty else { return out + "\nNo open items at the month-ends of the period.\n" }
        for m in overall {
            let chain = m.chainedLossPartsPerMillion
            out += "\n\(m.currency.code), all months together\n"
            out += TextTable(
                headers: ["bucket", "balance"] + labels.map { "→ \($0)" } + ["paid", "written off", "roll", "containment", "chained loss"],
                rows: m.rows.map { r in
                    [labels[r.bucket], money(r.balance, m.currency)] + r.toBucket.map { money($0, m.currency) }
                        + [money(r.paid, m.currency), money(r.writtenOff, m.currency), hundredthsText(r.rollRateBasisPoints).map { "\($0) %" } ?? "—",
                           hundredthsText(r.containmentBasisPoints).map { "\($0) %" } ?? "—", ppmText(chain[r.bucket]).map { "\($0) %" } ?? "—"]
                },
                rightAligned: Set(1..<(labels.count + 7))).render()
        }
        out += "\nRoll rate per month\n"
        var rows: [[String]] = []
        for mo in months {
            for m in mo.matrices {
                rows.append(["\(mo.from.iso) → \(mo.to.iso)", m.currency.code] + m.rows.map { hundredthsText($0.rollRateBasisPoints).map { "\($0) %" } ?? "—" })
            }
        }
        out += TextTable(headers: ["months", "cur"] + labels, rows: rows, rightAligned: Set(2..<(labels.count + 2))).render()
        return out
    }

    // MARK: Provision

    static func total(_ lines: [ProvisionMatrix.Line], _ key: KeyPath<ProvisionMatrix.Line, Money>) -> Int64 { lines.reduce(0) { $0 + $1[keyPath: key].minor } }

    public static func provisionJSON(_ r: RiskReportStore.ProvisionReport, labels: [String]) -> JSONValue {
        .object([
            ("as_of", .string(r.asOf.iso)), ("method", .string(r.method.rawValue)),
            ("rates_from", r.ratesFrom.map { .string($0.iso) } ?? .null), ("rates_to", r.ratesTo.map { .string($0.iso) } ?? .null),
            ("currencies", .array(r.currencies.map { cur, lines in
                let balance = total(lines, \.balance), allowance = total(lines, \.allowance)
                return .object([
                    ("currency", .string(cur.code)), ("balance", .number(money(balance, cur))), ("allowance", .number(money(allowance, cur))),
                    ("coverage_pct", .hundredths(RollRates.basisPoints(allowance, balance))),
                    ("lines", .array(lines.map { l in
                        .object([("bucket", .string(labels[l.bucket])), ("balance", .number(l.balance.decimalString)),
                                 ("loss_rate_pct", .number(rateText(l.rate))),
                                 ("allowance", .number(l.allowance.decimalString))])
                    })),
                ])
            })),
        ])
    }

    public static func provisionCSV(_ r: RiskReportStore.ProvisionReport, labels: [String]) -> String {
        var out = CSVWriter.line(["currency", "bucket", "balance", "loss_rate_pct", "allowance"])
        for (cur, lines) in r.currencies {
            for l in lines {
                out += CSVWriter.line([cur.code, labels[l.bucket], l.balance.decimalString, rateText(l.rate), l.allowance.decimalString])
            }
            out += CSVWriter.line([cur.code, "total", money(total(lines, \.balance), cur), "", money(total(lines, \.allowance), cur)])
        }
        return out
    }

    public static func provisionTable(_ r: RiskReportStore.ProvisionReport, labels: [String]) -> String {
        var out = "Bad-debt allowance (provision matrix) of the items open on \(r.asOf.iso)\n"
        switch r.method {
        case .given: out += "(loss rates as given)\n"
        case .rollRate: out += "(loss rates: chained roll rates, month-end \(r.ratesFrom?.iso ?? "") to \(r.ratesTo?.iso ?? ""))\n"
        }
        guard !r.currencies.isEmpty else { return out + "\nNo open items.\n" }
        for (cur, lines) in r.currencies {
            let balance = total(lines, \.balance), allowance = total(lines, \.allowance)
            out += "\n" + TextTable(
                headers: ["bucket", "balance \(cur.code)", "loss rate", "allowance"],
                rows: lines.map { [labels[$0.bucket], $0.balance.decimalString, rateText($0.rate) + " %", $0.allowance.decimalString] }
                    + [["total", money(balance, cur), hundredthsText(RollRates.basisPoints(allowance, balance)).map { "\($0) %" } ?? "—", money(allowance, cur)]],
                rightAligned: [1, 2, 3]).render()
        }
        return out
    }
}

extension RiskReportRendering {
    // MARK: Payment trends

    public static func trendsJSON(from: YearMonth, to: YearMonth, by: RiskReportStore.TrendGrouping, _ series: [PaymentTrends.Series]) -> JSONValue {
        .object([
            ("from", .string(from.iso)), ("to", .string(to.iso)), ("by", .string(by.rawValue)),
            ("series", .array(series.map { s in
                .object([("group", .string(s.group)), ("points", .array(s.points.map { p in
                    .object([("month", .string(p.month.iso)), ("settled", .int(Int64(p.settled))), ("late", .int(Int64(p.late))),
                             ("late_pct", .hundredths(p.latePercentBasisPoints)), ("average_days_late", .hundredths(p.averageDaysLateHundredths))])
                }))])
            })),
        ])
    }

    public static func trendsCSV(_ series: [PaymentTrends.Series]) -> String {
        var out = CSVWriter.line(["group", "month", "settled", "late", "late_pct", "average_days_late"])
        for s in series {
            for p in s.points {
                out += CSVWriter.line([s.group, p.month.iso, String(p.settled), String(p.late), hundredthsText(p.latePercentBasisPoints) ?? "",
                                       hundredthsText(p.averageDaysLateHundredths) ?? ""])
            }
        }
        return out
    }

    /// One row per group: settled count, average days late and % late over the period, the latest month's average,
    /// and a sparkline of the monthly average days late (▁ earliest-or-best … █ worst; · no settlement that month).
    public static func trendsTable(from: YearMonth, to: YearMonth, by: RiskReportStore.TrendGrouping, _ series: [PaymentTrends.Series]) -> String {
        let head = "Payment trends by \(by.rawValue), invoices settled \(from.iso) – \(to.iso) (days late: settlement − due date; negative = early)\n"
        guard !series.isEmpty else { return head + "\nNothing was settled in the period.\n" }
        let bars = Array("▁▂▃▄▅▆▇█")
        let rows: [[String]] = series.map { s in
            let settled = s.points.reduce(0) { $0 + $1.settled }, late = s.points.reduce(0) { $0 + $1.late }
            let daysTotal = s.points.reduce(0) { $0 + ($1.averageDaysLateHundredths ?? 0) * $1.settled }
            let average = settled == 0 ? nil : Int((Double(daysTotal) / Double(settled)).rounded(.toNearestOrAwayFromZero))
            let values = s.points.compactMap(\.averageDaysLateHundredths)
            let (low, high) = (values.min() ?? 0, values.max() ?? 0)
            let spark = String(s.points.map { p -> Character in
                guard let v = p.averageDaysLateHundredths else { return "·" }
                return high == low ? bars[0] : bars[(v - low) * (bars.count - 1) / (high - low)]
            })
            let last = s.points.last { $0.settled > 0 }
            return [s.group, String(settled), hundredthsText(average) ?? "—", hundredthsText(RollRates.basisPoints(Int64(late), Int64(settled))).map { "\($0) %" } ?? "—",
                    last.map { "\($0.month.iso): \(hundredthsText($0.averageDaysLateHundredths) ?? "—")" } ?? "—", spark]
        }
        return head + "\n" + TextTable(
            headers: [by.rawValue, "settled", "avg days late", "late", "latest month", "\(from.iso) … \(to.iso)"], rows: rows, rightAligned: [1, 2, 3]).render()
    }
}
