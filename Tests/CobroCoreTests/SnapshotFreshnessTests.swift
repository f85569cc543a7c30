import CobroCore
import Testing

@Suite("dashboard snapshot freshness")
struct SnapshotFreshnessTests {
    @Test("missing is computed now; same version is fresh; stale is recomputed now only when it was cheap")
    func onRequest() {
        #expect(SnapshotFreshness.decide(stored: nil, ledgerVersion: 7, inlineLimitMillis: 250) == .computeNow)
        #expect(SnapshotFreshness.decide(stored: (7, 4_000), ledgerVersion: 7, inlineLimitMillis: 250) == .fresh)
        #expect(SnapshotFreshness.decide(stored: (6, 250), ledgerVersion: 7, inlineLimitMillis: 250) == .computeNow)
        #expect(SnapshotFreshness.decide(stored: (6, 251), ledgerVersion: 7, inlineLimitMillis: 250) == .stale)
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
