/// When a stored dashboard snapshot may be shown and who recomputes it.
///
/// Any ledger write makes every snapshot of the company stale (the version is company-wide), but a write rarely
/// changes a past month end. The cost of a computation is known from the last one (a snapshot records how long it
/// took). So:
/// - today's missing snapshot is computed on the request (the first dashboard of the day, or ever);
/// - a past day's missing snapshot is computed on the request only when cheap (at most `inlineLimitMillis`, judged
///   by today's); otherwise its trend point stays empty until the background job has computed it;
/// - a stale snapshot that was cheap is recomputed on the request, so small ledgers always show exact figures;
/// - an expensive stale snapshot is shown as it is — today's with the time it was computed — and the background job
///   recomputes today's within a minute and a past day's once a day.
public enum SnapshotFreshness: Equatable, Sendable {
    /// Show the stored snapshot; it is exact.
    case fresh
    /// Compute it now, before answering.
    case computeNow
    /// Show the stored snapshot, marked with its time.
    case stale
    /// Missing and too expensive to compute on the request: show nothing for it yet.
    case later

    /// `costMillis`: how long this day's computation is expected to take (its own last one, else today's).
    public static func decide(
        stored: (version: Int64, computeMillis: Int64)?, ledgerVersion: Int64, isToday: Bool, costMillis: Int64?, inlineLimitMillis: Int64
    ) -> SnapshotFreshness {
        let cheap = (stored?.computeMillis ?? costMillis).map { $0 <= inlineLimitMillis } ?? false
        guard let s = stored else { return isToday || cheap ? .computeNow : .later }
        if s.version == ledgerVersion { return .fresh }
        return cheap ? .computeNow : .stale
    }

    /// Whether the background job should recompute a stored snapshot of `day` (`computedOn` is the business day it
    /// was computed on): today's whenever it is stale, a past day's when stale and not yet recomputed today.
    public static func backgroundRefresh(stored: (version: Int64, computedOn: LocalDate)?, ledgerVersion: Int64, day: LocalDate, today: LocalDate) -> Bool {
        guard let s = stored else { return true }
        if s.version == ledgerVersion { return false }
        return day == today || s.computedOn < today
    }
}
