import AsyncHTTPClient
import CobroStore
import Foundation
import Logging
import NIOCore
import NIOHTTP1
import ServiceLifecycle

/// Delivers queued webhook events (at least once; receivers de-duplicate on `Cobro-Event-Id`) and emits
/// `invoice.overdue` events. Runs in every server instance; the claim lease keeps instances from delivering the
/// same attempt concurrently.
public struct WebhookWorker: Service {
    let db: any Database
    let clock: Clock
    let logger: Logger
    let pollInterval: Duration
    let overdueInterval: Duration

    public init(db: any Database, clock: Clock, logger: Logger, pollInterval: Duration = .seconds(1), overdueInterval: Duration = .seconds(60)) {
        self.db = db
        self.clock = clock
        self.logger = logger
        self.pollInterval = pollInterval
        self.overdueInterval = overdueInterval
    }

    public func run() async throws {
        let client = HTTPClient(eventLoopGroupProvider: .singleton)
        await cancelWhenGracefulShutdown {
            var lastOverdue = ContinuousClock.now - overdueInterval
            while !Task.isCancelled {
                if ContinuousClock.now - lastOverdue >= overdueInterval {
                    lastOverdue = ContinuousClock.now
                    do { _ = try await WebhookStore.emitOverdue(db, clock: clock) } catch { logger.error("overdue scan failed", metadata: ["error": "\(error)"]) }
                }
                do { _ = try await deliverDue(client: client) } catch { logger.error("webhook delivery failed", metadata: ["error": "\(error)"]) }
                try? await Task.sleep(for: pollInterval)
            }
        }
        try await client.shutdown()
    }

    /// Claims and sends every due delivery once; returns how many were attempted.
    @discardableResult
    public func deliverDue(client: HTTPClient, limit: Int = 50) async throws -> Int {
        let now = clock.nowMillis()
        let batch = try await db.transaction { c in try await WebhookStore.claim(c, now: now, leaseMillis: 60_000, limit: limit) }
        for (d, url, secret) in batch {
            var status: Int?
            var failure: String?
            do {
                var req = HTTPClientRequest(url: url)
                req.method = .POST
                req.headers.add(name: "Content-Type", value: "application/json")
                req.headers.add(name: "User-Agent", value: "Cobro-Webhooks/1")
                req.headers.add(name: "Cobro-Event-Id", value: d.eventID)
                req.headers.add(name: "Cobro-Event-Type", value: d.eventType)
                req.headers.add(name: "Cobro-Signature", value: WebhookSigner.signature(secret: secret, timestamp: clock.nowMillis() / 1000, body: d.payload))
                req.body = .bytes(ByteBuffer(string: d.payload))
                let res = try await client.execute(req, timeout: .seconds(10))
                status = Int(res.status.code)
                if !(200..<300).contains(Int(res.status.code)) { failure = "HTTP \(res.status.code)" }
            } catch {
                failure = "\(error)"
            }
            let s = status, f = failure, at = clock.nowMillis()
            try await db.transaction { c in try await WebhookStore.recordAttempt(c, delivery: d, httpStatus: s, error: f, now: at) }
        }
        return batch.count
    }
}
