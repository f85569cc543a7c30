import CobroCore
@testable import CobroServer
import CobroStore
import CobroTestSupport
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

/// The dashboard reads stored daily snapshots (today and five month ends). The fixture's clock is 2024-07-01, so the
/// month end 2024-06-30 is the worked example's date: its figures are the reference's.
@Suite("dashboard snapshots", .serialized)
struct DashboardSnapshotTests {
    static func snapshots(_ f: APIFixture) async throws -> [LocalDate: DashboardSnapshot] {
        let days = ["2024-02-29", "2024-03-31", "2024-04-30", "2024-05-31", "2024-06-30", "2024-07-01"].map { LocalDate(iso: $0)! }
        return try await f.db.read { c in try await DashboardSnapshotStore.load(c, company: f.a.id, days: days) }
    }

    static func version(_ f: APIFixture) async throws -> Int64 {
        try await f.db.read { c in try await CompanyStore.ledgerVersion(c, company: f.a.id) }
    }

    static let payment = #"{"ref":"PAY-D","customer_ref":"K1","date":"2024-07-01","currency":"USD","amount":"500.00","invoice_ref":"INV-2"}"#

    @Test("the first dashboard stores six snapshots; the month end 2024-06-30 has the worked example's DSO, % past due and aging")
    func workedExample() async throws {
        try await APITest.withFixture { f in
            try await WebTest.setUp(f)
            try await WebTest.app(f).test(.router) { client in
                let manager = try await WebTest.signIn(client, "manager@a.test")
                let page = try await WebTest.get(client, "/app", cookie: manager.cookie).1
                let stored = try await Self.snapshots(f)
                #expect(stored.count == 6)
                let version = try await Self.version(f)
                #expect(stored.values.allSatisfy { $0.ledgerVersion == version })
                let june = try #require(stored[LocalDate(iso: "2024-06-30")!])
                #expect(june.dso.map { abs($0 - 60.6) < 0.001 } == true)
                #expect(june.pastDuePct.map { abs($0 - 55.45) < 0.005 } == true, "\(String(describing: june.pastDuePct))")
                #expect(june.agingTotals == [900_000, 370_000, 300_000, 200_000, 250_000])
                #expect(page.contains(">60.6<"), "the trend chart labels June's DSO")
                #expect(!page.contains("stale-figures"))
                // The top overdue customer of today has its name and the amount past due.
                let today = try #require(stored[LocalDate(iso: "2024-07-01")!])
                let first = try #require(today.topOverdue.first)
                #expect(page.contains(first.name))
            }
        }
    }

    @Test("a ledger write makes snapshots stale; a cheap one is recomputed on the next dashboard")
    func cheapRecomputedInline() async throws {
        try await APITest.withFixture { f in
            try await WebTest.setUp(f)
            try await WebTest.app(f).test(.router) { client in
                let manager = try await WebTest.signIn(client, "manager@a.test")
                let before = try #require(try await Self.snapshots(f)[LocalDate(iso: "2024-07-01")!])
                #expect(try await send(client, .post, "/api/v1/payments", f.tokenA, Self.payment).0 == .created)
                let page = try await WebTest.get(client, "/app", cookie: manager.cookie).1
                let after = try #require(try await Self.snapshots(f)[LocalDate(iso: "2024-07-01")!])
                #expect(after.ledgerVersion == (try await Self.version(f)))
                #expect(after.agingTotals[1] == before.agingTotals[1] - 50_000, "500.00 paid on INV-2 (1 day past due)")
                #expect(!page.contains("stale-figures"))
            }
        }
    }

    @Test("on an expensive ledger the request computes only today's; the background job fills the month ends, then recomputes a stale today's (past days wait a day)")
    func expensiveRefreshedInBackground() async throws {
        try await APITest.withFixture { f in
            try await WebTest.setUp(f)
            // Every computation counts as expensive.
            try await WebTest.app(f, snapshotInlineLimitMillis: -1).test(.router) { client in
                let manager = try await WebTest.signIn(client, "manager@a.test")
                let today = LocalDate(iso: "2024-07-01")!, june = LocalDate(iso: "2024-06-30")!
                #expect(try await Self.snapshots(f).keys.sorted() == [today], "the month ends are left to the background job")
                let deps = AppDependencies(db: f.db, clock: f.clock)
                let scheduler = WebScheduler(
                    db: f.db, clock: f.clock, logger: deps.logger, mailer: Mailer { _ in },
                    reports: ReportRunner(responder: reportRouter(deps).buildResponder()))
                #expect(await scheduler.tick().snapshots == 5 + 6, "A's five month ends and B's six, which nobody had opened")
                let filled = try await WebTest.get(client, "/app", cookie: manager.cookie).1
                #expect(filled.contains(">60.6<"), "June's DSO is on the trend now")

                let before = try #require(try await Self.snapshots(f)[today])
                let juneBefore = try #require(try await Self.snapshots(f)[june])
                #expect(try await send(client, .post, "/api/v1/payments", f.tokenA, Self.payment).0 == .created)
                let stale = try await WebTest.get(client, "/app", cookie: manager.cookie).1
                #expect(stale.contains("id=\"stale-figures\""))
                #expect(stale.firstMatch(of: /id="stale-figures">[^<]*\d\d:\d\d/) != nil, "the time the figures were computed")
                #expect(try await Self.snapshots(f)[today] == before, "not recomputed by the request")

                #expect(await scheduler.tick().snapshots == 1, "today's; the month ends were computed today and wait for tomorrow")
                #expect(try await Self.snapshots(f)[june] == juneBefore)
                #expect(await scheduler.tick().snapshots == 0)
                let after = try #require(try await Self.snapshots(f)[today])
                #expect(after.agingTotals[1] == before.agingTotals[1] - 50_000)
                let fresh = try await WebTest.get(client, "/app", cookie: manager.cookie).1
                #expect(!fresh.contains("stale-figures"))
            }
        }
    }

    @Test("today's alerts include customers put on credit hold today, not earlier holds")
    func newCreditHolds() async throws {
        try await APITest.withFixture { f in
            try await WebTest.setUp(f)
            try await f.db.transaction { c in
                try await c.execute("UPDATE customer SET credit_hold = 1 WHERE company_id = $1 AND customer_ref IN ('K1', 'K2')", [.int(f.a.id)])
                try await Audit.record(
                    c, company: f.a.id, actor: "test", action: "customer.credit_hold", entity: "customer", ref: "K1", before: nil, after: ["credit_hold": "true"],
                    at: APITest.now)
                try await Audit.record(
                    c, company: f.a.id, actor: "test", action: "customer.credit_hold", entity: "customer", ref: "K2", before: nil, after: ["credit_hold": "true"],
                    at: APITest.now - 3 * 86_400_000)
            }
            try await WebTest.app(f).test(.router) { client in
                let m = try await WebTest.signIn(client, "manager@a.test")
                let page = try await WebTest.get(client, "/app", cookie: m.cookie).1
                #expect(page.contains(#"<li class="alert credit_hold"><a href="/app/customers/K1">"#))
                #expect(!page.contains(#"<li class="alert credit_hold"><a href="/app/customers/K2">"#), "held three days ago")
            }
        }
    }

    @Test("collected this month against each collector's goal: the only July payment, 500.00 from ana's K1, is 25 % of her 2,000.00")
    func collectedVsGoal() async throws {
        try await APITest.withFixture { f in
            try await WebTest.setUp(f)
            let usd = Currency(code: "USD")!
            _ = try await f.db.transaction { c in
                try await GoalStore.set(c, company: f.a.id, base: usd, collector: "ana", month: YearMonth(LocalDate(iso: "2024-07-01")!), amountText: "2000.00", actor: "test", now: APITest.now)
            }
            try await WebTest.app(f).test(.router) { client in
                let m = try await WebTest.signIn(client, "manager@a.test")
                #expect(try await send(client, .post, "/api/v1/payments", f.tokenA, Self.payment).0 == .created)
                let page = try await WebTest.get(client, "/app", cookie: m.cookie).1
                let goals = try #require(page.firstMatch(of: /id="goals">[\s\S]*?<\/section>/)).0
                #expect(goals.contains("<td>ana</td><td class=\"num\">USD 500.00 / USD 2,000.00</td><td class=\"num\">25%</td>"), "\(goals)")
                #expect(!goals.contains("luis"), "no goal, no row")
            }
        }
    }
}
