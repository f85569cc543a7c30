import CobroCore
import CobroStore
import Foundation

/// The days a dashboard shows and where their figures come from: today and the five month ends before it, each
/// from its stored ``DashboardSnapshot``, computed or recomputed by the rules of ``SnapshotFreshness``.
enum DashboardSnapshots {
    /// Today's snapshot, the DSO trend (five month ends, then today) and whether today's figures are stale.
    struct Figures: Sendable {
        var today: DashboardSnapshot
        var trend: [(day: LocalDate, dso: Double?)]
        var stale: Bool
    }

    static func days(today: LocalDate) -> [LocalDate] {
        var out: [LocalDate] = []
        var monthEnd = today.startOfMonth.adding(days: -1)
        for _ in 0..<5 {
            out.insert(monthEnd, at: 0)
            monthEnd = monthEnd.startOfMonth.adding(days: -1)
        }
        return out + [today]
    }

    /// The figures for a request: stored snapshots where they may be shown, the rest computed now and stored.
    static func figures(_ db: any Database, company co: CompanyRecord, today: LocalDate, clock: Clock, inlineLimitMillis: Int64) async throws -> Figures {
        let days = days(today: today)
        let (version, stored) = try await db.read { c in
            (try await CompanyStore.ledgerVersion(c, company: co.id), try await DashboardSnapshotStore.load(c, company: co.id, days: days))
        }
        var snapshots = stored
        func decision(_ d: LocalDate, cost: Int64?) -> SnapshotFreshness {
            SnapshotFreshness.decide(
                stored: snapshots[d].map { ($0.ledgerVersion, $0.computeMillis) }, ledgerVersion: version, isToday: d == today, costMillis: cost,
                inlineLimitMillis: inlineLimitMillis)
        }
        // Today's first: its cost tells whether the month ends may be computed on the request too.
        let todays = decision(today, cost: nil)
        if todays == .computeNow, let s = try await compute(db, company: co, days: [today], clock: clock).first { snapshots[today] = s }
        guard let current = snapshots[today] else { throw StoreError.invalid(field: "dashboard", "no snapshot for \(today.iso)") }
        let past = days.filter { $0 != today && decision($0, cost: current.computeMillis) == .computeNow }
        for s in try await compute(db, company: co, days: past, clock: clock) { snapshots[s.asOf] = s }
        return Figures(today: current, trend: days.map { ($0, snapshots[$0]?.dso) }, stale: todays == .stale)
    }

    /// Background refresh (WebScheduler, every minute): recomputes what ``SnapshotFreshness/backgroundRefresh`` asks
    /// for. Returns how many snapshots were computed.
    @discardableResult
    static func refresh(_ db: any Database, company co: CompanyRecord, today: LocalDate, clock: Clock) async throws -> Int {
        let days = days(today: today)
        let tz = co.timezone
        let (version, stored) = try await db.read { c in
            (try await CompanyStore.ledgerVersion(c, company: co.id), try await DashboardSnapshotStore.load(c, company: co.id, days: days))
        }
        let due = days.filter { d in
            SnapshotFreshness.backgroundRefresh(
                stored: stored[d].map { ($0.ledgerVersion, Clock.fixed($0.computedAt).today(in: tz)) }, ledgerVersion: version, day: d, today: today)
        }
        return try await compute(db, company: co, days: due, clock: clock).count
    }

    /// Computes the snapshots of `days` (each with the ledger version read before its queries) and stores them.
    static func compute(_ db: any Database, company co: CompanyRecord, days: [LocalDate], clock: Clock) async throws -> [DashboardSnapshot] {
        guard !days.isEmpty else { return [] }
        let computed = try await db.read { c in
            var out: [DashboardSnapshot] = []
            for d in days {
                let version = try await CompanyStore.ledgerVersion(c, company: co.id)
                out.append(try await DashboardSnapshotStore.compute(c, company: co, asOf: d, version: version, now: clock.nowMillis()))
            }
            return out
        }
        try await db.transaction { c in
            for s in computed { try await DashboardSnapshotStore.save(c, company: co.id, s) }
        }
        return computed
    }
}
