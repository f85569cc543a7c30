/// Which date an item is aged from.
public enum AgingBasis: String, Sendable, Codable, CaseIterable {
    /// Days past due = as-of − due date; due today is current (the default).
    case dueDate = "due"
    /// Age = as-of − issue date.
    case issueDate = "issue"
}

/// A company's aging buckets, given by the upper bounds (in days) of the closed buckets.
///
/// `[30, 60, 90]` by due date gives `current | 1–30 | 31–60 | 61–90 | 91+` (column names
/// `current,d1_30,d31_60,d61_90,d91_plus`); by issue date it gives `0–30 | 31–60 | 61–90 | 91+`
/// (`d0_30,d31_60,d61_90,d91_plus`). Boundaries are inclusive.
public struct AgingBuckets: Sendable, Equatable, Codable {
    public let bounds: [Int]

    public static let standard = AgingBuckets(validBounds: [30, 60, 90])

    private init(validBounds: [Int]) { self.bounds = validBounds }

    /// Validates bucket bounds: at least one, each ≥ 1, strictly increasing.
    public static func make(_ bounds: [Int]) -> Result<AgingBuckets, Invalid> {
        guard !bounds.isEmpty else { return .failure(Invalid("aging buckets need at least one bound, e.g. 30,60,90")) }
        guard bounds.allSatisfy({ $0 >= 1 }) else { return .failure(Invalid("aging bucket bounds must be whole days ≥ 1")) }
        guard zip(bounds, bounds.dropFirst()).allSatisfy({ $0 < $1 }) else {
            return .failure(Invalid("aging bucket bounds must increase strictly, e.g. 30,60,90"))
        }
        return .success(AgingBuckets(validBounds: bounds))
    }

    public init(from decoder: any Decoder) throws {
        enum Keys: String, CodingKey { case bounds }
        let bounds = try decoder.container(keyedBy: Keys.self).decode([Int].self, forKey: .bounds)
        switch AgingBuckets.make(bounds) {
        case .success(let b): self = b
        case .failure(let e): throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: e.message))
        }
    }

    /// Parses "30,60,90".
    public static func parse(_ text: String) -> Result<AgingBuckets, Invalid> {
        var values: [Int] = []
        for part in text.split(separator: ",", omittingEmptySubsequences: false) {
            guard let v = Int(part.trimmingSpaces) else {
                return .failure(Invalid("aging buckets \"\(text)\": \"\(part)\" is not a whole number of days (example: 30,60,90)"))
            }
            values.append(v)
        }
        return make(values)
    }

    /// Column labels in order, for the given basis.
    public func labels(_ basis: AgingBasis) -> [String] {
        var out: [String] = []
        var low = basis == .dueDate ? 1 : 0
        if basis == .dueDate { out.append("current") }
        for b in bounds {
            out.append("d\(low)_\(b)")
            low = b + 1
        }
        out.append("d\(low)_plus")
        return out
    }

    /// The bucket index for an item with `days` past due (or of age, by issue basis).
    public func index(days: Int, basis: AgingBasis) -> Int {
        let offset: Int
        if basis == .dueDate {
            if days <= 0 { return 0 }
            offset = 1
        } else {
            offset = 0
        }
        for (i, b) in bounds.enumerated() where days <= b { return i + offset }
        return bounds.count + offset
    }

    /// The same rule as ``index(days:basis:)`` as data, for a database to bucket with: the lowest day count of every
    /// bucket after the first, ascending, so that `index(days:basis:)` is the number of these at or below `days`
    /// (PostgreSQL's `width_bucket(days, thresholds)`). Due basis: 1 (first day past due), then each bound + 1;
    /// issue basis: each bound + 1.
    public func thresholds(_ basis: AgingBasis) -> [Int] {
        (basis == .dueDate ? [1] : []) + bounds.map { $0 + 1 }
    }

    public func count(_ basis: AgingBasis) -> Int { basis == .dueDate ? bounds.count + 2 : bounds.count + 1 }
}

extension Substring {
    var trimmingSpaces: Substring {
        var s = self
        while s.first == " " { s = s.dropFirst() }
        while s.last == " " { s = s.dropLast() }
        return s
    }
}

/// An open item's balance as of the report date.
public struct AgingItem: Sendable, Equatable {
    public var customerRef: String
    public var currency: Currency
    public var issueDate: LocalDate
    public var dueDate: LocalDate
    public var openMinor: Int64
    public init(customerRef: String, currency: Currency, issueDate: LocalDate, dueDate: LocalDate, openMinor: Int64) {
        self.customerRef = customerRef
        self.currency = currency
        self.issueDate = issueDate
        self.dueDate = dueDate
        self.openMinor = openMinor
    }
}

/// Unapplied credit (payments and credit notes not yet allocated) as of the report date.
public struct AgingCredit: Sendable, Equatable {
    public var customerRef: String
    public var currency: Currency
    public var unappliedMinor: Int64
    public init(customerRef: String, currency: Currency, unappliedMinor: Int64) {
        self.customerRef = customerRef
        self.currency = currency
        self.unappliedMinor = unappliedMinor
    }
}

private struct AgingKey: Hashable {
    let ref: String
    let cur: Currency
}

/// One line of the aging report: a customer in one currency, or a total.
public struct AgingRow: Sendable, Equatable {
    public var customerRef: String
    public var currency: Currency
    /// Open amounts per bucket, in the order of ``AgingBuckets/labels(_:)``.
    public var buckets: [Int64]
    public var unappliedMinor: Int64

    public init(customerRef: String, currency: Currency, buckets: [Int64], unappliedMinor: Int64) {
        self.customerRef = customerRef
        self.currency = currency
        self.buckets = buckets
        self.unappliedMinor = unappliedMinor
    }

    /// Σ buckets − unapplied credit (the customer's net balance).
    public var totalMinor: Int64 { buckets.reduce(0, +) - unappliedMinor }
    /// Σ buckets (open items only).
    public var openItemsMinor: Int64 { buckets.reduce(0, +) }
}

/// Aging as of a date: per customer and currency, a total per currency, and optionally everything converted
/// into the company's base currency.
public struct AgingReport: Sendable, Equatable {
    public var asOf: LocalDate
    public var basis: AgingBasis
    public var labels: [String]
    /// Sorted by currency, then customer ref.
    public var rows: [AgingRow]
    /// One per currency, sorted by currency.
    public var totals: [AgingRow]
    /// Totals converted into the base currency (present when some total is in another currency and a rate was
    /// given for every non-base currency).
    public var converted: AgingRow?

    /// Ages the given items and credits. Items with a zero or negative open balance are ignored.
    public static func build(
        asOf: LocalDate, basis: AgingBasis = .dueDate, buckets: AgingBuckets = .standard,
        items: some Sequence<AgingItem>, credits: some Sequence<AgingCredit>,
        base: Currency? = nil, rates: [ExchangeRate] = []
    ) -> AgingReport {
        let n = buckets.count(basis)
        var byKey: [AgingKey: AgingRow] = [:]
        for item in items where item.openMinor > 0 {
            let days = basis == .dueDate ? asOf.days(since: item.dueDate) : asOf.days(since: item.issueDate)
            let k = AgingKey(ref: item.customerRef, cur: item.currency)
            byKey[k, default: AgingRow(customerRef: k.ref, currency: k.cur, buckets: Array(repeating: 0, count: n), unappliedMinor: 0)]
                .buckets[buckets.index(days: days, basis: basis)] += item.openMinor
        }
        for credit in credits where credit.unappliedMinor > 0 {
            let k = AgingKey(ref: credit.customerRef, cur: credit.currency)
            byKey[k, default: AgingRow(customerRef: k.ref, currency: k.cur, buckets: Array(repeating: 0, count: n), unappliedMinor: 0)]
                .unappliedMinor += credit.unappliedMinor
        }
        return assemble(asOf: asOf, basis: basis, buckets: buckets, rows: Array(byKey.values), base: base, rates: rates)
    }

    /// Builds the report from rows already aggregated per customer and currency (e.g. by the database):
    /// sorts them, adds a total per currency and the base-currency conversion. Each (customer, currency) must
    /// appear once and have `buckets.count(basis)` buckets.
    public static func assemble(
        asOf: LocalDate, basis: AgingBasis, buckets: AgingBuckets, rows: [AgingRow],
        base: Currency? = nil, rates: [ExchangeRate] = []
    ) -> AgingReport {
        let n = buckets.count(basis)
        var rows = rows
        rows.sort { a, b in a.currency == b.currency ? a.customerRef < b.customerRef : a.currency < b.currency }
        // Rows are sorted by currency, so each currency's total is one run (summed in place, no copies).
        var totals: [AgingRow] = []
        for r in rows {
            if totals.last?.currency != r.currency {
                totals.append(AgingRow(customerRef: "TOTAL", currency: r.currency, buckets: Array(repeating: 0, count: n), unappliedMinor: 0))
            }
            let t = totals.count - 1
            for i in 0..<n { totals[t].buckets[i] += r.buckets[i] }
            totals[t].unappliedMinor += r.unappliedMinor
        }
        var converted: AgingRow?
        if let base, totals.contains(where: { $0.currency != base }) {
            let rateFor = Dictionary(rates.filter { $0.to == base }.map { ($0.from, $0) }, uniquingKeysWith: { a, _ in a })
            if totals.allSatisfy({ $0.currency == base || rateFor[$0.currency] != nil }) {
                var c = AgingRow(customerRef: "TOTAL_BASE", currency: base, buckets: Array(repeating: 0, count: n), unappliedMinor: 0)
                var representable = true
                for t in totals {
                    let conv: (Int64) -> Int64? = t.currency == base ? { $0 } : { rateFor[t.currency]!.convertChecked($0) }
                    for i in 0..<n {
                        guard let v = conv(t.buckets[i]) else { representable = false; continue }
                        c.buckets[i] += v
                    }
                    if let v = conv(t.unappliedMinor) { c.unappliedMinor += v } else { representable = false }
                }
                converted = representable ? c : nil
            }
        }
        return AgingReport(asOf: asOf, basis: basis, labels: buckets.labels(basis), rows: rows, totals: totals, converted: converted)
    }

    public func total(for currency: Currency) -> AgingRow? { totals.first { $0.currency == currency } }
}
