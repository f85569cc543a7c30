import CobroCore

/// One company's aging rows as of a day, basis and bucket bounds, computed at a ledger version.
///
/// A summary stays usable after ledger writes: triggers mark each customer whose invoices or payments change in
/// `aging_dirty` with the ledger version of the change, so an aging reads the summary, drops the customers marked at
/// its version or later and recomputes only those (``ReportStore/agingWithSummary(asOf:basis:buckets:base:rates:)``).
/// It is derived data, like the dashboard snapshot and the report cache, so writing it is not audited.
public struct AgingSummary: Sendable, Equatable {
    public struct Row: Sendable, Equatable {
        public var customerID: Int64
        public var row: AgingRow

        public init(customerID: Int64, row: AgingRow) {
            self.customerID = customerID
            self.row = row
        }
    }

    public var asOf: LocalDate
    public var basis: AgingBasis
    /// The bucket bounds, as stored in the key (`30,60,90`).
    public var bounds: String
    /// The ledger version read before the rows were computed: every later change is marked at this version or later.
    public var ledgerVersion: Int64
    public var rows: [Row]

    public init(asOf: LocalDate, basis: AgingBasis, bounds: String, ledgerVersion: Int64, rows: [Row]) {
        self.asOf = asOf
        self.basis = basis
        self.bounds = bounds
        self.ledgerVersion = ledgerVersion
        self.rows = rows
    }

    static func key(_ buckets: AgingBuckets) -> String { buckets.bounds.map(String.init).joined(separator: ",") }

    /// One line per row: customer id, currency, unapplied credit, the buckets (comma-separated), then the customer's
    /// ref with `\`, tab and newline escaped. Text, so the same column serves both databases; read whole.
    public func payload() -> String {
        var out = ""
        out.reserveCapacity(rows.count * 64)
        for r in rows {
            out += String(r.customerID)
            out += "\t"
            out += r.row.currency.code
            out += "\t"
            out += String(r.row.unappliedMinor)
            out += "\t"
            out += r.row.buckets.map(String.init).joined(separator: ",")
            out += "\t"
            for ch in r.row.customerRef.unicodeScalars {
                switch ch {
                case "\\": out += "\\\\"
                case "\t": out += "\\t"
                case "\n": out += "\\n"
                default: out.unicodeScalars.append(ch)
                }
            }
            out += "\n"
        }
        return out
    }

    /// The rows of a ``payload()``; nil when it is not one (the summary is then recomputed).
    public static func rows(payload: String, buckets count: Int) -> [Row]? {
        var out: [Row] = []
        var currencies: [String: Currency] = [:]
        var ok = true
        var text = payload
        text.withUTF8 { bytes in
            var i = 0
            let n = bytes.count
            /// A decimal integer (optionally negative) ending at `end`; moves past the terminator.
            func int(_ end: UInt8) -> Int64? {
                var negative = false
                if i < n, bytes[i] == UInt8(ascii: "-") { negative = true; i += 1 }
                var v: Int64 = 0, digits = 0
                while i < n, bytes[i] >= 48, bytes[i] <= 57 {
                    v = v &* 10 &+ Int64(bytes[i] - 48)
                    digits += 1
                    i += 1
                }
                guard digits > 0, digits < 19, i < n, bytes[i] == end else { return nil }
                i += 1
                return negative ? -v : v
            }
            while i < n {
                guard let id = int(9) else { ok = false; return }
                let codeStart = i
                while i < n, bytes[i] != 9 { i += 1 }
                guard i < n else { ok = false; return }
                let code = String(decoding: UnsafeBufferPointer(rebasing: bytes[codeStart..<i]), as: UTF8.self)
                i += 1
                let currency: Currency
                if let c = currencies[code] { currency = c } else {
                    guard let c = Currency(code: code) else { ok = false; return }
                    currencies[code] = c
                    currency = c
                }
                guard let unapplied = int(9) else { ok = false; return }
                var buckets: [Int64] = []
                buckets.reserveCapacity(count)
                for k in 0..<count {
                    guard let b = int(k == count - 1 ? 9 : UInt8(ascii: ",")) else { ok = false; return }
                    buckets.append(b)
                }
                var ref = [UInt8]()
                while i < n, bytes[i] != 10 {
                    if bytes[i] == UInt8(ascii: "\\"), i + 1 < n {
                        i += 1
                        ref.append(bytes[i] == UInt8(ascii: "t") ? 9 : bytes[i] == UInt8(ascii: "n") ? 10 : bytes[i])
                    } else {
                        ref.append(bytes[i])
                    }
                    i += 1
                }
                guard i < n else { ok = false; return }
                i += 1
                out.append(Row(customerID: id, row: AgingRow(
                    customerRef: String(decoding: ref, as: UTF8.self), currency: currency, buckets: buckets, unappliedMinor: unapplied)))
            }
        }
        return ok ? out : nil
    }
}

public enum AgingSummaryStore {
    /// More customers changed than this since a summary, and the aging is recomputed whole (and the summary renewed):
    /// recomputing thousands of customers one index range each costs about what the whole aging costs.
    static let patchLimit = 2_000
    /// Summaries kept per company (the latest ledger versions); the rest are dropped when one is saved.
    static let kept = 8

    /// The company's summary for the day, basis and bounds, if one is stored and readable.
    static func load(_ c: any Connection, company: Int64, asOf: LocalDate, basis: AgingBasis, buckets: AgingBuckets) async throws -> AgingSummary? {
        guard let r = try await stored("ledger_version, payload", c, company: company, asOf: asOf, basis: basis, buckets: buckets),
            let rows = AgingSummary.rows(payload: r.text(1), buckets: buckets.count(basis))
        else { return nil }
        return AgingSummary(asOf: asOf, basis: basis, bounds: AgingSummary.key(buckets), ledgerVersion: r.int(0), rows: rows)
    }

    /// `columns` of the stored summary of the day, basis and bounds.
    private static func stored(_ columns: String, _ c: any Connection, company: Int64, asOf: LocalDate, basis: AgingBasis, buckets: AgingBuckets) async throws -> SQLRow? {
        try await c.first(
            "SELECT \(columns) FROM aging_summary WHERE company_id = $1 AND as_of_day = $2 AND basis = $3 AND thresholds = $4",
            [.int(company), .int(Int64(asOf.dayNumber)), .text(basis.rawValue), .text(AgingSummary.key(buckets))])
    }

    /// The customers marked at `version` or later; nil when there are more than `limit`.
    static func changedCustomers(_ c: any Connection, company: Int64, since version: Int64, limit: Int) async throws -> Set<Int64>? {
        var out = Set<Int64>()
        try await c.forEach(
            "SELECT customer_id FROM aging_dirty WHERE company_id = $1 AND ledger_version >= $2 LIMIT $3",
            [.int(company), .int(version), .int(Int64(limit + 1))]
        ) { r in out.insert(r.int(0)) }
        return out.count > limit ? nil : out
    }

    /// Stores `s` (never over a summary of a later ledger version), keeps the company's latest ``kept`` summaries and
    /// forgets the marks none of them needs any more.
    public static func save(_ c: any Connection, company: Int64, _ s: AgingSummary) async throws {
        try await c.execute(
            """
            INSERT INTO aging_summary (company_id, as_of_day, basis, thresholds, ledger_version, payload) VALUES ($1, $2, $3, $4, $5, $6)
            ON CONFLICT (company_id, as_of_day, basis, thresholds) DO UPDATE SET ledger_version = excluded.ledger_version, payload = excluded.payload
            WHERE aging_summary.ledger_version < excluded.ledger_version
            """, [.int(company), .int(Int64(s.asOf.dayNumber)), .text(s.basis.rawValue), .text(s.bounds), .int(s.ledgerVersion), .text(s.payload())])
        try await c.execute(
            """
            DELETE FROM aging_summary WHERE company_id = $1 AND ledger_version <
              (SELECT ledger_version FROM aging_summary WHERE company_id = $1 ORDER BY ledger_version DESC LIMIT 1 OFFSET \(kept - 1))
            """, [.int(company)])
        try await c.execute(
            "DELETE FROM aging_dirty WHERE company_id = $1 AND ledger_version < (SELECT MIN(ledger_version) FROM aging_summary WHERE company_id = $1)",
            [.int(company)])
    }

    /// Computes and stores the summary of the day, basis and bounds when none is stored or too many customers changed
    /// since (the web scheduler keeps today's aging ready this way, so no reader pays for the whole computation).
    /// True when it computed one.
    @discardableResult
    public static func refresh(_ db: any Database, company: Int64, asOf: LocalDate, basis: AgingBasis, buckets: AgingBuckets) async throws -> Bool {
        let usable = try await db.read { c -> Bool in
            guard let version = try await stored("ledger_version", c, company: company, asOf: asOf, basis: basis, buckets: buckets)?.int(0) else { return false }
            return try await changedCustomers(c, company: company, since: version, limit: patchLimit) != nil
        }
        if usable { return false }
        _ = try await ReportStore.aging(db, company: company, asOf: asOf, basis: basis, buckets: buckets, base: nil, rates: [])
        return true
    }

    /// Drops the company's summaries, for a load that changed documents with the marking triggers off.
    static func invalidate(_ c: any Connection, company: Int64) async throws {
        try await c.execute("DELETE FROM aging_summary WHERE company_id = $1", [.int(company)])
    }
}

extension ReportStore {
    /// Aging as of `asOf` over `db`: read from the stored summary where one is usable, else computed, and then the
    /// summary that computation made is stored for the next reader.
    public static func aging(
        _ db: any Database, company: Int64, asOf: LocalDate, basis: AgingBasis, buckets: AgingBuckets, base: Currency?, rates: [ExchangeRate]
    ) async throws -> AgingReport {
        let (report, computed) = try await db.read { c in
            try await ReportStore(c, company: company).agingWithSummary(asOf: asOf, basis: basis, buckets: buckets, base: base, rates: rates)
        }
        if let computed { try await db.transaction { c in try await AgingSummaryStore.save(c, company: company, computed) } }
        return report
    }
}
