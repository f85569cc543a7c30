import CobroCore
import CobroStore

/// Output formats every report supports.
public enum ReportFormat: String, Sendable, CaseIterable {
    case table, csv, json
}

/// Renders reports as table, CSV or JSON — the same text for the CLI and the API.
public enum ReportRendering {
    static func amount(_ minor: Int64, _ c: Currency) -> String { Money.format(minor: minor, exponent: c.exponent) }

    // MARK: Aging

    public static func agingCSV(_ r: AgingReport) -> String {
        var out = CSVWriter.line(["customer_ref", "currency"] + r.labels + ["unapplied", "total"])
        func row(_ x: AgingRow) -> [String] {
            [x.customerRef, x.currency.code] + x.buckets.map { amount($0, x.currency) } + [amount(x.unappliedMinor, x.currency), amount(x.totalMinor, x.currency)]
        }
        for x in r.rows { out += CSVWriter.line(row(x)) }
        for x in r.totals { out += CSVWriter.line(row(x)) }
        if let c = r.converted { out += CSVWriter.line(row(c)) }
        return out
    }

    public static func agingJSON(_ r: AgingReport, names: [String: String] = [:]) -> JSONValue {
        func row(_ x: AgingRow) -> JSONValue {
            var f: [(String, JSONValue)] = [("customer_ref", .string(x.customerRef))]
            if let n = names[x.customerRef] { f.append(("customer_name", .string(n))) }
            f.append(("currency", .string(x.currency.code)))
            for (l, v) in zip(r.labels, x.buckets) { f.append((l, .number(amount(v, x.currency)))) }
            f.append(("unapplied", .number(amount(x.unappliedMinor, x.currency))))
            f.append(("total", .number(amount(x.totalMinor, x.currency))))
            return .object(f)
        }
        return .object([
            ("as_of", .string(r.asOf.iso)), ("basis", .string(r.basis.rawValue)), ("buckets", .array(r.labels.map { .string($0) })),
            ("rows", .array(r.rows.map(row))), ("totals", .array(r.totals.map(row))), ("converted", r.converted.map(row) ?? .null),
        ])
    }

    public static func agingTable(_ r: AgingReport, limit: Int = 50) -> String {
        let headers = ["customer", "cur"] + r.labels + ["unapplied", "total"]
        var t = TextTable(headers: headers, rightAligned: Set(2..<headers.count))
        func row(_ x: AgingRow) -> [String] {
            [x.customerRef, x.currency.code] + x.buckets.map { amount($0, x.currency) } + [amount(x.unappliedMinor, x.currency), amount(x.totalMinor, x.currency)]
        }
        let shown = r.rows.sorted { $0.totalMinor > $1.totalMinor }.prefix(limit)
        t.rows = shown.map(row)
        var out = "Aging as of \(r.asOf.iso) by \(r.basis == .dueDate ? "due date" : "issue date")"
        if r.rows.count > limit { out += " — top \(limit) of \(r.rows.count) customers by balance (use --format csv for all)" }
        out += "\n\n" + t.render()
        var totals = TextTable(headers: headers, rightAligned: Set(2..<headers.count))
        totals.rows = r.totals.map(row) + (r.converted.map { [row($0)] } ?? [])
        out += "\n" + totals.render()
        return out
    }

    // MARK: Statement

    public static func statementJSON(_ s: [Statement], name: String?) -> JSONValue {
        .object([
            ("customer_ref", .string(s.first?.customerRef ?? "")), ("customer_name", .optional(name)),
            ("statements", .array(s.map { st in
                let c = st.currency
                return .object([
                    ("currency", .string(c.code)), ("from", .string(st.from.iso)), ("to", .string(st.to.iso)),
                    ("opening_balance", .number(amount(st.openingMinor, c))),
                    ("lines", .array(st.lines.map { l in
                        .object([
                            ("date", .string(l.date.iso)), ("kind", .string(l.kind.rawValue)), ("ref", .string(l.ref)),
                            ("description", .optional(l.description)), ("debit", .number(amount(l.debitMinor, c))),
                            ("credit", .number(amount(l.creditMinor, c))), ("balance", .number(amount(l.balanceMinor, c))),
                        ])
                    })),
                    ("closing_balance", .number(amount(st.closingMinor, c))),
                    ("open_items", .array(st.openItems.map { o in
                        .object([
                            ("ref", .string(o.ref)), ("kind", .string(o.kind.rawValue)), ("issue_date", .string(o.issueDate.iso)),
                            ("due_date", .string(o.dueDate.iso)), ("amount", .number(amount(o.amountMinor, c))),
                            ("open", .number(amount(o.openMinor, c))), ("days_past_due", .int(o.daysPastDue)),
                        ])
                    })),
                    ("unapplied_credit", .number(amount(st.unappliedMinor, c))),
                ])
            })),
        ])
    }

    public static func statementCSV(_ s: [Statement]) -> String {
        var out = CSVWriter.line(["currency", "date", "kind", "ref", "description", "debit", "credit", "balance"])
        for st in s {
            let c = st.currency
            out += CSVWriter.line([c.code, st.from.iso, "opening_balance", "", "", "", "", amount(st.openingMinor, c)])
            for l in st.lines {
                out += CSVWriter.line([c.code, l.date.iso, l.kind.rawValue, l.ref, l.description ?? "", amount(l.debitMinor, c), amount(l.creditMinor, c), amount(l.balanceMinor, c)])
            }
            out += CSVWriter.line([c.code, st.to.iso, "closing_balance", "", "", "", "", amount(st.closingMinor, c)])
        }
        return out
    }

    public static func statementTable(_ s: [Statement], name: String?) -> String {
        guard let first = s.first else { return "No movements.\n" }
        var out = "Statement of account — \(first.customerRef)\(name.map { " · \($0)" } ?? "") — \(first.from.iso) to \(first.to.iso)\n"
        for st in s {
            let c = st.currency
            var t = TextTable(headers: ["date", "kind", "ref", "debit", "credit", "balance"], rightAligned: [3, 4, 5])
            t.rows.append([st.from.iso, "opening balance", "", "", "", amount(st.openingMinor, c)])
            for l in st.lines {
                t.rows.append([l.date.iso, l.kind.rawValue, l.ref, l.debitMinor == 0 ? "" : amount(l.debitMinor, c), l.creditMinor == 0 ? "" : amount(l.creditMinor, c), amount(l.balanceMinor, c)])
            }
            t.rows.append([st.to.iso, "closing balance", "", "", "", amount(st.closingMinor, c)])
            out += "\n\(c.code)\n" + t.render()
            if !st.openItems.isEmpty {
                var o = TextTable(headers: ["open item", "issued", "due", "amount", "open", "days past due"], rightAligned: [3, 4, 5])
                o.rows = st.openItems.map { [$0.ref, $0.issueDate.iso, $0.dueDate.iso, amount($0.amountMinor, c), amount($0.openMinor, c), String($0.daysPastDue)] }
                out += "\n" + o.render()
            }
            if st.unappliedMinor > 0 { out += "Unapplied credit: \(amount(st.unappliedMinor, c)) \(c.code)\n" }
        }
        return out
    }

    // MARK: KPIs

    static func kpiFields(_ k: KPISet) -> [(String, JSONValue)] {
        let c = k.currency
        var f: [(String, JSONValue)] = [
            ("currency", .string(c.code)),
            ("dso_simple", .ratio(k.dsoSimple)), ("dso_countback", .ratio(k.dsoCountback.days)),
            ("dso_countback_exhausted", .bool(k.dsoCountback.exhausted)),
            ("bpdso", .ratio(k.bpdso)), ("add", .ratio(k.add)), ("bpdso_countback", .ratio(k.bpdsoCountback)), ("add_countback", .ratio(k.addCountback)),
            ("cei", .ratio(k.cei)), ("ar_open", .number(amount(k.arOpenMinor, c))), ("ar_current", .number(amount(k.arCurrentMinor, c))),
            ("ar_past_due", .number(amount(k.arPastDueMinor, c))), ("ar_past_due_pct", .ratio(k.arPastDuePct)),
            ("credit_sales", .number(amount(k.creditSalesMinor, c))),
        ]
        let t = k.timeliness
        f += [
            ("paid_items", .int(t?.count ?? 0)), ("avg_days_to_pay", .ratio(t?.adpSimple)), ("avg_days_to_pay_weighted", .ratio(t?.adpWeighted)),
            ("avg_days_late", .ratio(t?.adlSimple)), ("avg_days_late_weighted", .ratio(t?.adlWeighted)),
        ]
        return f
    }

    /// Top-level keys are the KPIs of the company's base currency (or of the only currency); `by_currency` has all.
    public static func kpisJSON(_ ks: [KPISet], asOf: LocalDate, window: Int, base: Currency) -> JSONValue {
        let primary = ks.first { $0.currency == base } ?? (ks.count == 1 ? ks[0] : nil)
        var f: [(String, JSONValue)] = [("as_of", .string(asOf.iso)), ("window", .int(window))]
        if let primary { f += kpiFields(primary) } else { f.append(("currency", .string(base.code))) }
        f.append(("by_currency", .object(ks.map { ($0.currency.code, .object(kpiFields($0))) })))
        return .object(f)
    }

    public static func kpisCSV(_ ks: [KPISet]) -> String {
        guard let first = ks.first else { return "currency\n" }
        let names = kpiFields(first).map(\.0)
        var out = CSVWriter.line(names)
        for k in ks {
            out += CSVWriter.line(kpiFields(k).map { _, v in
                switch v {
                case .string(let s), .number(let s): return s
                case .bool(let b): return String(b)
                default: return ""
                }
            })
        }
        return out
    }

    public static func kpisTable(_ ks: [KPISet], asOf: LocalDate, window: Int) -> String {
        let out = "KPIs as of \(asOf.iso), window \(window) days\n\n"
        let labels: [(String, String)] = [
            ("dso_simple", "DSO (simple)"), ("dso_countback", "DSO (count-back)"), ("bpdso", "Best possible DSO"), ("add", "Average days delinquent"),
            ("cei", "CEI %"), ("ar_open", "AR open (net)"), ("ar_current", "AR current"), ("ar_past_due", "AR past due"),
            ("ar_past_due_pct", "% AR past due"), ("credit_sales", "Credit sales in window"), ("avg_days_to_pay", "Avg days to pay"),
            ("avg_days_to_pay_weighted", "Avg days to pay (weighted)"), ("avg_days_late", "Avg days late"), ("avg_days_late_weighted", "Avg days late (weighted)"),
        ]
        var t = TextTable(headers: ["KPI"] + ks.map(\.currency.code), rightAligned: Set(1...max(1, ks.count)))
        let fields = ks.map { Dictionary(kpiFields($0), uniquingKeysWith: { a, _ in a }) }
        for (key, label) in labels {
            t.rows.append([label] + fields.map { f in
                switch f[key] {
                case .number(let s)?: return s
                default: return "—"
                }
            })
        }
        return out + t.render()
    }
}

extension ReportRendering {
    /// The import summary as the API returns it.
    public static func importSummaryJSON(_ s: ImportSummary) -> JSONValue { Representation.importSummary(s) }
}
