import CobroStore
import Metrics
import Prometheus

/// Process-wide Prometheus registry behind swift-metrics (requests and latencies come from Hummingbird's
/// `MetricsMiddleware`; Cobro adds import row and report cache counters).
public enum CobroMetrics {
    public static let registry = PrometheusCollectorRegistry()
    private static let bootstrapped: Void = {
        MetricsSystem.bootstrap(PrometheusMetricsFactory(registry: registry))
    }()

    /// Installs the registry as the metrics backend (idempotent).
    public static func bootstrap() { _ = bootstrapped }

    static func recordImport(_ s: ImportSummary) {
        Counter(label: "cobro_import_rows_total", dimensions: [("kind", s.kind.rawValue), ("result", "inserted")]).increment(by: s.inserted)
        Counter(label: "cobro_import_rows_total", dimensions: [("kind", s.kind.rawValue), ("result", "updated")]).increment(by: s.updated)
        Counter(label: "cobro_import_rows_total", dimensions: [("kind", s.kind.rawValue), ("result", "unchanged")]).increment(by: s.unchanged)
        Counter(label: "cobro_import_rows_total", dimensions: [("kind", s.kind.rawValue), ("result", "rejected")]).increment(by: s.rejected)
    }

    private static let cacheHits = Counter(label: "cobro_report_cache_total", dimensions: [("result", "hit")])
    private static let cacheMisses = Counter(label: "cobro_report_cache_total", dimensions: [("result", "miss")])

    static func reportCache(hit: Bool) { (hit ? cacheHits : cacheMisses).increment() }

    public static func render() -> String { registry.emitToString() }
}
