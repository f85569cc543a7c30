import CobroCore
import Testing

@Suite("dashboard snapshot freshness")
struct SnapshotFreshnessTests {
    @Test("today's missing is computed now; a past day's only when cheap; same version is fresh; stale is recomputed now only when cheap")
    func onRequest() {
        func decide(_ stored: (Int64, Int64)?, today: Bool = true, cost: Int64? = nil) -> SnapshotFreshness {
            SnapshotFreshness.decide(stored: stored, ledgerVersion: 7, isToday: today, costMillis: cost, inlineLimitMillis: 250)
        }
        #expect(decide(nil) == .computeNow)
        #expect(decide(nil, today: false, cost: 250) == .computeNow)
        #expect(decide(nil, today: false, cost: 900) == .later)
        #expect(decide(nil, today: false, cost: nil) == .later)
        #expect(decide((7, 4_000)) == .fresh)
        #expect(decide((6, 250)) == .computeNow)
        #expect(decide((6, 251)) == .stale)
        #expect(decide((6, 251), today: false, cost: 10) == .stale, "a day's own last cost counts before today's")
    }

    @Test("background: today's whenever stale, a past day's once a day, a fresh one never")
    func background() {
        let today = LocalDate(iso: "2024-07-01")!, monthEnd = LocalDate(iso: "2024-06-30")!
        #expect(SnapshotFreshness.backgroundRefresh(stored: nil, ledgerVersion: 3, day: monthEnd, today: today))
        #expect(!SnapshotFreshness.backgroundRefresh(stored: (3, today), ledgerVersion: 3, day: today, today: today))
        #expect(SnapshotFreshness.backgroundRefresh(stored: (2, today), ledgerVersion: 3, day: today, today: today))
        #expect(!SnapshotFreshness.backgroundRefresh(stored: (2, today), ledgerVersion: 3, day: monthEnd, today: today))
        #expect(SnapshotFreshness.backgroundRefresh(stored: (2, monthEnd), ledgerVersion: 3, day: monthEnd, today: today))
    }
}
