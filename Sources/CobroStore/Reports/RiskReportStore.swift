import CobroCore

/// Reads what the roll-rate and provision reports need from the ledger (issue 6, point 5). SQL only: the rules are
/// ``RollRates`` and ``ProvisionMatrix``.
public enum RiskReportStore {
    /// An invoice or debit note open at a day.
    struct OpenItem {
        var currency: Currency
        var dueDay: LocalDate
        var balance: Int64
    }

    /// Every invoice and debit note issued by `day` with a balance that day, by id.
    static func openItems(_ c: any Connection, company: Int64, at day: LocalDate) async throws -> [Int64: OpenItem] {
        var out: [Int64: OpenItem] = [:]
        try await c.forEach(
            """
            SELECT i.id, i.currency, i.due_day, \(ReportStore.openAt("open_amount", "i", "invoice_id")) FROM invoice i
            WHERE i.company_id = $1 AND i.kind <> 'credit_note' AND i.issue_day <= $2
              AND (i.open_amount > 0 OR (i.last_alloc_day IS NOT NULL AND i.last_alloc_day > $2))
            """, [.int(company), .int(Int64(day.dayNumber))]
        ) { r in
            guard r.int(3) > 0, let cur = Currency(code: r.text(1)) else { return }
            out[r.int(0)] = OpenItem(currency: cur, dueDay: LocalDate(dayNumber: Int(r.int(2))), balance: r.int(3))
        }
        return out
    }

    /// Write-off credit (credit notes `WO-…`) applied per invoice after `start` and by `end`, and still applied at `end`.
    static func writeOffs(_ c: any Connection, company: Int64, after start: LocalDate, through end: LocalDate) async throws -> [Int64: Int64] {
        var out: [Int64: Int64] = [:]
        try await c.forEach(
            """
            SELECT a.invoice_id, CAST(SUM(a.amount) AS BIGINT) FROM allocation a JOIN invoice n ON n.company_id = a.company_id AND n.id = a.credit_note_id
            WHERE a.company_id = $1 AND n.ref LIKE 'WO-%' AND a.applied_day > $2 AND a.applied_day <= $3 AND (a.reversed_day IS NULL OR a.reversed_day > $3)
            GROUP BY a.invoice_id
            """, [.int(company), .int(Int64(start.dayNumber)), .int(Int64(end.dayNumber))]
        ) { r in out[r.int(0)] = r.int(1) }
        return out
    }

    /// One month-end to the next.
    public struct MonthRoll: Sendable {
        public var from: YearMonth
        public var to: YearMonth
        public var matrices: [RollMatrix]
    }

    /// The migration of every month-end's open items to the next month-end, for each month `from`…`to` (the last
    /// transition ends at the end of `to`), with the matrices of all transitions together (balance-weighted).
    public static func rollRates(
        _ c: any Connection, company: Int64, buckets: AgingBuckets, from: YearMonth, to: YearMonth
    ) async throws -> (months: [MonthRoll], overall: [RollMatrix]) {
        var months: [MonthRoll] = []
        var all: [RollTransition] = []
        var start = from
        var before = try await openItems(c, company: company, at: from.lastDay)
        while start < to {
            let end = start.next
            let after = try await openItems(c, company: company, at: end.lastDay)
            let written = try await writeOffs(c, company: company, after: start.lastDay, through: end.lastDay)
            let transitions = before.map { id, item in
                let later = after[id]
                return RollTransition(
                    currency: item.currency, from: buckets.index(days: start.lastDay.days(since: item.dueDay), basis: .dueDate), balance: item.balance,
                    to: buckets.index(days: end.lastDay.days(since: item.dueDay), basis: .dueDate), remaining: later?.balance ?? 0,
                    writtenOff: written[id] ?? 0)
            }
            let count = buckets.count(.dueDate)
            months.append(MonthRoll(from: start, to: end, matrices: RollRates.matrices(transitions, bucketCount: count)))
            all += transitions
            before = after
            start = end
        }
        return (months, RollRates.matrices(all, bucketCount: buckets.count(.dueDate)))
    }

    /// Open balances per currency and aging bucket (due basis) at `day`, currencies in code order.
    public static func bucketBalances(_ c: any Connection, company: Int64, buckets: AgingBuckets, at day: LocalDate) async throws -> [(Currency, [Money])] {
        var sums: [Currency: [Int64]] = [:]
        for item in try await openItems(c, company: company, at: day).values {
            var row = sums[item.currency] ?? Array(repeating: 0, count: buckets.count(.dueDate))
            row[buckets.index(days: day.days(since: item.dueDay), basis: .dueDate)] += item.balance
            sums[item.currency] = row
        }
        return sums.keys.sorted { $0.code < $1.code }.map { cur in (cur, sums[cur]!.map { Money(minor: $0, cur) }) }
    }
}

extension RiskReportStore {
    /// A provision matrix as of a day, per currency.
    public struct ProvisionReport: Sendable {
        public enum Method: String, Sendable { case given, rollRate = "roll_rate" }
        public var asOf: LocalDate
        public var method: Method
        /// For ``Method/rollRate``: the month-ends the rates were observed over.
        public var ratesFrom: YearMonth?
        public var ratesTo: YearMonth?
        public var currencies: [(currency: Currency, lines: [ProvisionMatrix.Line])]
    }

    /// How many months of history the roll-rate method observes.
    public static let rollRateHistoryMonths = 12

    /// The provision matrix of the items open at `asOf`: with `lossRates` (one per bucket), those; else the chained
    /// roll rates of each currency over the ``rollRateHistoryMonths`` months ending at the last month-end on or
    /// before `asOf`. Throws `StoreError.invalid(field: "loss_rates")` when a currency has a bucket without history.
    public static func provision(
        _ c: any Connection, company: Int64, buckets: AgingBuckets, asOf: LocalDate, lossRates: [LossRate]?
    ) async throws -> ProvisionReport {
        let balances = try await bucketBalances(c, company: company, buckets: buckets, at: asOf)
        if let lossRates {
            guard lossRates.count == buckets.count(.dueDate) else {
                throw StoreError.invalid(
                    field: "loss_rates",
                    "give \(buckets.count(.dueDate)) rates, one per bucket (\(buckets.labels(.dueDate).joined(separator: ", "))); got \(lossRates.count)")
            }
            return ProvisionReport(
                asOf: asOf, method: .given, currencies: balances.map { ($0.0, ProvisionMatrix.lines(balances: $0.1, rates: lossRates)) })
        }
        let end = asOf == YearMonth(asOf).lastDay ? YearMonth(asOf) : YearMonth(asOf).minus(months: 1)
        let start = end.minus(months: rollRateHistoryMonths)
        let history = try await rollRates(c, company: company, buckets: buckets, from: start, to: end).overall
        var out: [(Currency, [ProvisionMatrix.Line])] = []
        let labels = buckets.labels(.dueDate)
        for (currency, amounts) in balances {
            let chain = history.first { $0.currency == currency }?.chainedLossPartsPerMillion ?? Array(repeating: nil, count: amounts.count)
            var rates: [LossRate] = []
            for (i, ppm) in chain.enumerated() {
                guard let ppm, let rate = LossRate(Int64(ppm), over: 1_000_000) else {
                    throw StoreError.invalid(
                        field: "loss_rates",
                        "\(currency.code) has no \(labels[i]) history between \(start.lastDay.iso) and \(end.lastDay.iso) to derive its loss rate from; give loss_rates")
                }
                rates.append(rate)
            }
            out.append((currency, ProvisionMatrix.lines(balances: amounts, rates: rates)))
        }
        return ProvisionReport(asOf: asOf, method: .rollRate, ratesFrom: start, ratesTo: end, currencies: out)
    }
}

extension RiskReportStore {
    /// The most month-to-month transitions one roll-rate report covers.
    public static let maxMonths = 36

    /// The months of a roll-rate report: `to` defaults to the last complete month before `today`, `from` to 6 months
    /// before `to`. Returns the problem (flag or field named by the caller) when the range is empty or too long.
    public static func rollRateRange(from: YearMonth?, to: YearMonth?, today: LocalDate) -> Result<(YearMonth, YearMonth), Invalid> {
        let end = to ?? YearMonth(today).minus(months: 1)
        let start = from ?? end.minus(months: 6)
        guard start < end else { return .failure(Invalid("from \(start.iso) must be before to \(end.iso): a roll rate needs two month-ends")) }
        guard start.minus(months: -maxMonths) >= end else {
            return .failure(Invalid("from \(start.iso) to \(end.iso) is more than \(maxMonths) months; ask for a shorter range"))
        }
        return .success((start, end))
    }
}

extension RiskReportStore {
    /// What payment trends are grouped by.
    public enum TrendGrouping: String, Sendable, CaseIterable {
        case company, segment, customer
    }

    /// Payment trends of the invoices and debit notes fully settled in the months `from`…`to` (settlement day = last
    /// allocation day), by `grouping` (customers without a segment are `(none)`).
    public static func paymentTrends(
        _ c: any Connection, company: Int64, by grouping: TrendGrouping, from: YearMonth, to: YearMonth
    ) async throws -> [PaymentTrends.Series] {
        var items: [(group: String, item: KPI.PaidItem)] = []
        try await c.forEach(
            """
            SELECT cu.customer_ref, cu.segment, i.amount, i.issue_day, i.due_day, i.last_alloc_day FROM invoice i
            JOIN customer cu ON cu.company_id = i.company_id AND cu.id = i.customer_id
            WHERE i.company_id = $1 AND i.last_alloc_day >= $2 AND i.last_alloc_day <= $3 AND i.open_amount = 0 AND i.kind <> 'credit_note'
            """, [.int(company), .int(Int64(from.firstDay.dayNumber)), .int(Int64(to.lastDay.dayNumber))]
        ) { r in
            let group: String
            switch grouping {
            case .company: group = "all"
            case .segment: group = r.textOrNil(1) ?? "(none)"
            case .customer: group = r.text(0)
            }
            items.append((group, KPI.PaidItem(
                amountMinor: r.int(2), issueDate: LocalDate(dayNumber: Int(r.int(3))), dueDate: LocalDate(dayNumber: Int(r.int(4))),
                paidDate: LocalDate(dayNumber: Int(r.int(5))))))
        }
        return PaymentTrends.series(items, from: from, to: to)
    }

    /// The months of a trend report: `to` defaults to the month of `today`, `from` to 11 months before `to` (a year).
    public static func trendRange(from: YearMonth?, to: YearMonth?, today: LocalDate) -> Result<(YearMonth, YearMonth), Invalid> {
        let end = to ?? YearMonth(today)
        let start = from ?? end.minus(months: 11)
        guard start <= end else { return .failure(Invalid("from \(start.iso) is after to \(end.iso)")) }
        guard start.minus(months: -maxMonths) >= end else {
            return .failure(Invalid("from \(start.iso) to \(end.iso) is more than \(maxMonths) months; ask for a shorter range"))
        }
        return .success((start, end))
    }
}
