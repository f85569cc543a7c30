import CobroCore
import CobroDelivery
import CobroStore
import Foundation
import Hummingbird
import Logging
import NIOEmbedded
import ServiceLifecycle

/// The web app's background work, once a minute: scheduled reports due today are claimed (exactly once, see
/// ``ReportScheduleStore/claimDue(_:company:today:)``), run through the API's own report handler and emailed as CSV, PDF or both;
/// custom alerts are checked and told in the app or by email; stale dashboard snapshots are recomputed (see
/// ``SnapshotFreshness``). Failures are logged and recorded on the schedule;
/// they never stop the server.
public struct WebScheduler: Service {
    let db: any Database
    let clock: Clock
    let logger: Logger
    let mailer: Mailer
    let reports: ReportRunner
    let pollInterval: Duration

    init(db: any Database, clock: Clock, logger: Logger, mailer: Mailer, reports: ReportRunner, pollInterval: Duration = .seconds(60)) {
        self.db = db
        self.clock = clock
        self.logger = logger
        self.mailer = mailer
        self.reports = reports
        self.pollInterval = pollInterval
    }

    public func run() async throws {
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                await tick()
                try? await Task.sleep(for: pollInterval)
            }
        }
    }

    /// A request context acting for `company` (the report handlers read the company from it).
    func context(_ company: CompanyRecord) -> AppRequestContext {
        var ctx = AppRequestContext(source: .init(channel: EmbeddedChannel(), logger: logger))
        ctx.company = company
        ctx.actor = "schedule"
        return ctx
    }

    /// One check of every company; returns the reports sent, the alerts told and the snapshots computed (for tests).
    @discardableResult
    func tick() async -> (reports: Int, alerts: Int, snapshots: Int) {
        var sent = 0, told = 0, snapshots = 0
        let companies = (try? await db.read { c in try await CompanyStore.all(c) }) ?? []
        for co in companies {
            let today = clock.today(in: co.timezone)
            do {
                let due = try await db.transaction { c in try await ReportScheduleStore.claimDue(c, company: co.id, today: today) }
                for s in due {
                    var error: String?
                    do {
                        let (ok, body) = try await reports.csv(s.report, query: s.query, ctx: context(co))
                        if !ok { throw StoreError.invalid(field: "query", body) }
                        let title = ReportCatalog.entry(s.report).map { "\($0.en) / \($0.es)" } ?? s.report
                        var attachments: [EmailAttachment] = []
                        if s.format.csv {
                            attachments.append(try EmailAttachment(filename: "\(s.report)-\(today.iso).csv", contentType: "text/csv", data: Array(body.utf8)))
                        }
                        if s.format.pdf {
                            let pdf = ReportRunner.pdf(title: title, company: co, query: s.query, today: today, csv: body, pageLabel: .english)
                            attachments.append(try EmailAttachment(filename: "\(s.report)-\(today.iso).pdf", contentType: "application/pdf", data: pdf))
                        }
                        let kind = s.format == .both ? "CSV, PDF" : s.format.rawValue.uppercased()
                        for to in s.recipients {
                            try await mailer.send(
                                to, "\(co.name): \(title) \(today.iso)",
                                "The \(s.cadence.rawValue) report \"\(title)\" of \(co.name) is attached (\(kind)).\n\nEl reporte \"\(title)\" de \(co.name) va adjunto (\(kind)).\n",
                                attachments: attachments)
                        }
                        sent += 1
                    } catch let e {
                        error = String(describing: e)
                        logger.error("scheduled report failed", metadata: ["company": "\(co.slug)", "schedule": "\(s.id)", "error": "\(e)"])
                    }
                    let failure = error
                    try await db.transaction { c in try await ReportScheduleStore.recordSend(c, company: co.id, id: s.id, error: failure, now: clock.nowMillis()) }
                }
                let now = clock.nowMillis()
                let hits = try await db.transaction { c in try await AlertStore.check(c, company: co.id, now: now) }
                for h in hits {
                    told += 1
                    guard h.subscription.channel == "email",
                        let to = try await db.read({ c in try await AlertStore.email(c, company: co.id, userID: h.subscription.userID) })
                    else { continue }
                    do { try await mailer.send(to, "Cobro alert: \(co.name)", h.text + "\n") } catch {
                        logger.error("alert email failed", metadata: ["company": "\(co.slug)", "error": "\(error)"])
                    }
                }
                snapshots += try await DashboardSnapshots.refresh(db, company: co, today: today, clock: clock)
                try await AgingSummaryStore.refresh(db, company: co.id, asOf: today, basis: .dueDate, buckets: co.agingBuckets)
            } catch {
                logger.error("web schedule check failed", metadata: ["company": "\(co.slug)", "error": "\(error)"])
            }
        }
        return (sent, told, snapshots)
    }
}
