import CobroCore
import Testing

@Suite("Report cadence")
struct ReportCadenceTests {
    func d(_ s: String) -> LocalDate { LocalDate(iso: s)! }

    @Test("daily, weekly (Mondays) and monthly (the 1st) next days", arguments: [
        (ReportCadence.daily, "2026-12-06", "2026-12-07"),
        (.weekly, "2026-12-06", "2026-12-07"),  // Sunday → Monday
        (.weekly, "2026-12-07", "2026-12-14"),  // Monday → next Monday
        (.weekly, "2026-12-10", "2026-12-14"),  // Thursday
        (.monthly, "2026-12-01", "2027-01-01"),
        (.monthly, "2026-01-31", "2026-02-01"),
    ])
    func next(cadence: ReportCadence, from: String, to: String) {
        #expect(cadence.next(after: d(from)) == d(to))
    }

    @Test("a new schedule's first day is today for daily, else the next Monday or 1st (today when it is one)")
    func first() {
        #expect(ReportCadence.daily.first(onOrAfter: d("2026-12-06")) == d("2026-12-06"))
        #expect(ReportCadence.weekly.first(onOrAfter: d("2026-12-07")) == d("2026-12-07"))
        #expect(ReportCadence.weekly.first(onOrAfter: d("2026-12-08")) == d("2026-12-14"))
        #expect(ReportCadence.monthly.first(onOrAfter: d("2026-12-01")) == d("2026-12-01"))
        #expect(ReportCadence.monthly.first(onOrAfter: d("2026-12-02")) == d("2027-01-01"))
    }
}
