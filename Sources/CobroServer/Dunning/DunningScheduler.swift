import CobroCore
import CobroDelivery
import CobroStore
import Foundation
import Logging
import ServiceLifecycle
import Synchronization

/// The server's own daily dunning: at `minuteOfDay` on each company's clock it runs that day's dunning once
/// (``DailyRunSchedule``), and every poll it delivers what the outbox holds that is due (contact windows open
/// through the day) and turns due call steps into tasks.
///
/// Several server instances may run it: a second run the same day finds every (invoice, step) recorded and sends
/// nothing, and outbox claims are leased.
public struct DunningScheduler: Service {
    let db: any Database
    let clock: Clock
    let logger: Logger
    /// The process environment the channels fall back to (``ChannelSettings``).
    let environment: [String: String]
    let minuteOfDay: Int
    let pollInterval: Duration
    /// Where customers reach the portal; reminders carry each customer's signed link (see DunningRunner.Options).
    let portalURL: String?
    /// Company → the instant (epoch ms) its failed daily run may be tried again.
    let retryAfter = RetryBook()

    final class RetryBook: Sendable {
        let times = Mutex<[Int64: Int64]>([:])
        func withLock<T: Sendable>(_ body: (inout [Int64: Int64]) -> T) -> T { times.withLock { body(&$0) } }
    }
    /// How long a company whose run failed waits before the next try.
    static let retryDelayMillis: Int64 = 10 * 60_000

    public init(
        db: any Database, clock: Clock, logger: Logger, environment: [String: String], minuteOfDay: Int = DailyRunSchedule.defaultMinuteOfDay,
        pollInterval: Duration = .seconds(30), portalURL: String? = nil
    ) {
        self.portalURL = portalURL
        self.db = db
        self.clock = clock
        self.logger = logger
        self.environment = environment
        self.minuteOfDay = minuteOfDay
        self.pollInterval = pollInterval
    }

    /// The actor recorded on scheduled runs (how the schedule knows it already ran today).
    public static let actor = "schedule"

    public func run() async throws {
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                await tick()
                try? await Task.sleep(for: pollInterval)
            }
        }
    }

    /// One check: every company whose daily run is due gets it, then the outbox is delivered. Failures are logged
    /// and retried on the next tick; they never stop the server. Returns the runs made.
    @discardableResult
    public func tick() async -> [DunningRunReport] {
        var reports: [DunningRunReport] = []
        do {
            let companies = try await db.read { c in
                var out: [(CompanyRecord, LocalDate?)] = []
                for co in try await CompanyStore.all(c) {
                    // Only finished runs count: a run that stopped part-way is run again (it records only the rest).
                    let last = try await c.first(
                        "SELECT MAX(as_of_day) FROM dunning_run WHERE company_id = $1 AND actor = $2 AND finished_at IS NOT NULL",
                        [.int(co.id), .text(Self.actor)]
                    )?.intOrNil(0).map { LocalDate(dayNumber: Int($0)) }
                    out.append((co, last))
                }
                return out
            }
            let nowMillis = clock.nowMillis()
            let now = Date(timeIntervalSince1970: Double(nowMillis) / 1000)
            for (co, last) in companies {
                guard let day = DailyRunSchedule.due(
                    now: now, timeZone: TimeZone(identifier: co.timezone) ?? .gmt, minuteOfDay: minuteOfDay, lastScheduled: last),
                    retryAfter.withLock({ $0[co.id] ?? 0 }) <= nowMillis
                else { continue }
                do {
                    let r = try await DunningRunner.run(db, company: co, options: .init(asOf: day, actor: Self.actor, portalURL: portalURL), clock: clock)
                    reports.append(r)
                    logger.info(
                        "daily dunning run", metadata: ["company": "\(co.slug)", "as_of": "\(day.iso)", "messages": "\(r.messages.count)", "entries": "\(r.entries)"])
                    retryAfter.withLock { $0[co.id] = nil }
                    // The nightly retraining of the payment model rides on the daily run: fresh risk scores for the
                    // worklist once a day. A failure is logged and does not undo the run.
                    do {
                        if let t = try await ModelStore.train(db, company: co.id, today: day, lateDays: 0, actor: Self.actor, now: clock.nowMillis()) {
                            logger.info("payment model trained", metadata: ["company": "\(co.slug)", "version": "\(t.version)", "customers": "\(t.customersScored)"])
                        }
                    } catch {
                        logger.error("payment model training failed", metadata: ["company": "\(co.slug)", "error": "\(error)"])
                    }
                } catch {
                    retryAfter.withLock { $0[co.id] = nowMillis + Self.retryDelayMillis }
                    logger.error("daily dunning run failed; next try in 10 minutes", metadata: ["company": "\(co.slug)", "error": "\(error)"])
                }
            }
        } catch {
            logger.error("dunning schedule check failed", metadata: ["error": "\(error)"])
        }
        do {
            let s = try await OutboxDispatcher(db: db, environment: environment, clock: clock).deliverDue()
            let moved = (s.email?.sent ?? 0) + (s.email?.failed ?? 0) + (s.letters ?? 0) + (s.sms?.sent ?? 0) + (s.sms?.failed ?? 0) + s.callTasks
            if moved > 0 { logger.info("outbox delivered", metadata: ["summary": "\(s.lines.joined(separator: "; "))"]) }
            for p in s.problems { logger.error("outbox delivery failed for a company", metadata: ["problem": "\(p)"]) }
        } catch {
            logger.error("outbox delivery failed", metadata: ["error": "\(error)"])
        }
        return reports
    }
}
