import CobroCore
import Foundation

/// The dashboard's figures for one company and day, computed from the ledger and stored, so a dashboard over a
/// large ledger reads one row per day instead of running the aging and KPI queries (a W1M ledger needs ≈ 1 s of
/// queries per day, and the DSO trend wants six days).
///
/// A snapshot records the ledger version it was computed at: it is *fresh* while `company.ledger_version` is
/// unchanged and *stale* after any ledger write. It is derived data, like the report cache, so writing it is not
/// audited.
public struct DashboardSnapshot: Codable, Sendable, Equatable {
    public struct Overdue: Codable, Sendable, Equatable {
        public var ref: String
        public var name: String
        public var overdueMinor: Int64
        /// Index of the oldest aging bucket with an open amount.
        public var oldestBucket: Int
    }
    public var asOf: LocalDate
    public var ledgerVersion: Int64
    /// When it was computed (epoch milliseconds) and how long that took.
    public var computedAt: Int64
    public var computeMillis: Int64
    public var currency: Currency
    /// KPIs in the base currency (window 90 days); `nil` where the ledger gives no figure.
    public var dso: Double?
    public var bpdso: Double?
    public var add: Double?
    public var cei: Double?
    public var pastDuePct: Double?
    /// Aging totals in the base currency: converted when rates cover every currency, else the base currency's own.
    public var agingLabels: [String]
    public var agingTotals: [Int64]
    /// The ten customers with most overdue in the base currency, most first.
    public var topOverdue: [Overdue]
}

public enum DashboardSnapshotStore {
    /// Computes the snapshot of `asOf` from the ledger (read-only). `version` is the ledger version the caller read
    /// in the same transaction, so the snapshot is never marked fresher than its data.
    public static func compute(_ c: any Connection, company co: CompanyRecord, asOf: LocalDate, version: Int64, now: Int64) async throws -> DashboardSnapshot {
        let started = ContinuousClock.now
        let store = ReportStore(c, company: co.id)
        let base = co.baseCurrency
        let rates = try await PortfolioStore.rates(c, company: co.id, base: base)
        let aging = try await store.aging(asOf: asOf, basis: .dueDate, buckets: co.agingBuckets, base: base, rates: rates)
        let k = try await store.kpis(asOf: asOf, window: 90).first { $0.currency == base }
        let total = aging.converted ?? aging.totals.first { $0.currency == base }
        var overdue: [(ref: String, minor: Int64, oldest: Int)] = []
        for r in aging.rows where r.currency == base {
            let minor = r.buckets.dropFirst().reduce(0, +)
            if minor > 0 { overdue.append((r.customerRef, minor, r.buckets.lastIndex { $0 > 0 } ?? 0)) }
        }
        overdue.sort { a, b in a.minor != b.minor ? a.minor > b.minor : a.ref < b.ref }
        let top = Array(overdue.prefix(10))
        var names: [String: String] = [:]
        if !top.isEmpty {
            let binds: [SQLValue] = [.int(co.id)] + top.map { .text($0.ref) }
            let marks = (2...binds.count).map { "$\($0)" }.joined(separator: ", ")
            for r in try await c.query("SELECT customer_ref, name FROM customer WHERE company_id = $1 AND customer_ref IN (\(marks))", binds) {
                names[r.text(0)] = r.text(1)
            }
        }
        let elapsed = ContinuousClock.now - started
        return DashboardSnapshot(
            asOf: asOf, ledgerVersion: version, computedAt: now,
            computeMillis: elapsed.components.seconds * 1000 + elapsed.components.attoseconds / 1_000_000_000_000_000,
            currency: base, dso: k?.dsoSimple, bpdso: k?.bpdso, add: k?.add, cei: k?.cei, pastDuePct: k?.arPastDuePct,
            agingLabels: aging.labels, agingTotals: total?.buckets ?? Array(repeating: 0, count: aging.labels.count),
            topOverdue: top.map { .init(ref: $0.ref, name: names[$0.ref] ?? $0.ref, overdueMinor: $0.minor, oldestBucket: $0.oldest) })
    }

    /// Stores the company's snapshot of `s.asOf`, replacing one computed at the same or an older ledger version (two
    /// requests computing at once never leave the older figures).
    public static func save(_ c: any Connection, company: Int64, _ s: DashboardSnapshot) async throws {
        let payload = String(decoding: try JSONEncoder().encode(s), as: UTF8.self)
        try await c.execute(
            """
            INSERT INTO dashboard_snapshot (company_id, as_of_day, ledger_version, computed_at, payload) VALUES ($1, $2, $3, $4, $5)
            ON CONFLICT (company_id, as_of_day) DO UPDATE SET ledger_version = excluded.ledger_version, computed_at = excluded.computed_at, payload = excluded.payload
            WHERE dashboard_snapshot.ledger_version <= excluded.ledger_version
            """, [.int(company), .int(Int64(s.asOf.dayNumber)), .int(s.ledgerVersion), .int(s.computedAt), .text(payload)])
    }

    /// The stored snapshots of the given days (fresh or stale), by day.
    public static func load(_ c: any Connection, company: Int64, days: [LocalDate]) async throws -> [LocalDate: DashboardSnapshot] {
        guard !days.isEmpty else { return [:] }
        let binds: [SQLValue] = [.int(company)] + days.map { .int(Int64($0.dayNumber)) }
        let marks = (2...binds.count).map { "$\($0)" }.joined(separator: ", ")
        var out: [LocalDate: DashboardSnapshot] = [:]
        let decoder = JSONDecoder()
        for r in try await c.query("SELECT payload FROM dashboard_snapshot WHERE company_id = $1 AND as_of_day IN (\(marks))", binds) {
            // A payload from an older version of this struct fails to decode: it is then recomputed like a missing one.
            if let s = try? decoder.decode(DashboardSnapshot.self, from: Data(r.text(0).utf8)) { out[s.asOf] = s }
        }
        return out
    }
}
