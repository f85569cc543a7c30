import HTTPTypes
import Hummingbird
import NIOCore
import Synchronization

/// Rendered report responses (aging, statement, KPIs), kept in memory and keyed by the company, its ledger version
/// and the fully resolved request (dates, options, format).
///
/// Contract: an entry is only ever served for the ledger version it was stored under, and that version moves (in
/// the database, by trigger, in the writing transaction) with every ledger change from any process. The version
/// is read before the report, so an entry may hold data newer than its version, never older: a cached answer is
/// what the same request would have returned at some moment after the version was read. Least recently used
/// entries are dropped beyond `maxBytes`.
final class ReportCache: Sendable {
    private struct Entry {
        var body: ByteBuffer
        var contentType: String
        var lastUse: UInt64
    }
    private struct State {
        var entries: [String: Entry] = [:]
        var bytes = 0
        var tick: UInt64 = 0
    }
    private let state = Mutex(State())
    let maxBytes: Int

    init(maxBytes: Int = 64 << 20) { self.maxBytes = maxBytes }

    static func key(company: Int64, version: Int64, _ request: String) -> String { "\(company)/\(version)/\(request)" }

    /// The cached response for `key`, marked `Cobro-Cache: hit`.
    func response(for key: String) -> Response? {
        let hit = state.withLock { s -> (ByteBuffer, String)? in
            guard var e = s.entries[key] else { return nil }
            s.tick += 1
            e.lastUse = s.tick
            s.entries[key] = e
            return (e.body, e.contentType)
        }
        guard let (body, type) = hit else { return nil }
        CobroMetrics.reportCache(hit: true)
        return Response(status: .ok, headers: [.contentType: type, .cobroCache: "hit"], body: .init(byteBuffer: body))
    }

    /// Stores a freshly rendered body and returns it as a response marked `Cobro-Cache: miss`.
    func store(_ key: String, body: ByteBuffer, contentType: String) -> Response {
        CobroMetrics.reportCache(hit: false)
        if body.readableBytes <= maxBytes / 4 {
            state.withLock { s in
                s.tick += 1
                if let old = s.entries.updateValue(Entry(body: body, contentType: contentType, lastUse: s.tick), forKey: key) {
                    s.bytes -= old.body.readableBytes
                }
                s.bytes += body.readableBytes
                while s.bytes > maxBytes, let oldest = s.entries.min(by: { $0.value.lastUse < $1.value.lastUse }) {
                    s.bytes -= oldest.value.body.readableBytes
                    s.entries[oldest.key] = nil
                }
            }
        }
        return Response(status: .ok, headers: [.contentType: contentType, .cobroCache: "miss"], body: .init(byteBuffer: body))
    }
}

extension HTTPField.Name {
    /// `hit` when a report came from ``ReportCache``, `miss` when it was computed.
    static let cobroCache = HTTPField.Name("Cobro-Cache")!
}
