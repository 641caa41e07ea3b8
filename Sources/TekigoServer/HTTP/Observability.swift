import Foundation
import Hummingbird
import Logging
import Metrics
import Prometheus
import TekigoStore

/// Prometheus metrics for the process: swift-metrics backed by swift-prometheus, bootstrapped once (the metrics
/// system is process-global; tests build many applications in one process).
public enum ServerMetrics {
    public static let registry = PrometheusCollectorRegistry()
    private static let bootstrapped: Bool = {
        MetricsSystem.bootstrap(PrometheusMetricsFactory(registry: registry))
        return true
    }()

    public static func bootstrap() { _ = bootstrapped }

    static let loginFailures = Counter(label: "tekigo_login_failures_total")
    static let loginSuccesses = Counter(label: "tekigo_login_successes_total")
}

/// JSON lines on standard error, one object per log event: machine-readable logs with request ids.
/// Hand-written because no JSON log handler is in our package set; swift-log's API makes it a few lines.
public struct JSONLogHandler: LogHandler {
    public var metadata: Logger.Metadata = [:]
    public var logLevel: Logger.Level = .info
    let label: String

    public init(label: String) { self.label = label }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        var object: [String: String] = ["ts": Self.now(), "level": event.level.rawValue, "logger": label,
                                        "msg": event.message.description]
        for (k, v) in metadata { object[k] = v.description }
        for (k, v) in event.metadata ?? [:] { object[k] = v.description }
        if let error = event.error { object["error"] = String(describing: error) }
        // One line per request: written with `JSONBytes` (JSONSerialization with sorted keys was a sixth of a
        // small request's CPU time).
        var out = JSONBytes(capacity: 256)
        out.raw("{")
        for (i, key) in object.keys.sorted().enumerated() {
            if i > 0 { out.raw(",") }
            out.string(key)
            out.raw(":")
            out.string(object[key]!)
        }
        out.raw("}\n")
        FileHandle.standardError.write(Data(out.bytes))
    }

    static func now() -> String { Timestamp.now() }
}

/// One log line per request: method, path (no query string, which may carry tokens), status, duration, request id.
struct RequestLogMiddleware: RouterMiddleware {
    typealias Context = AppContext

    func handle(_ request: Request, context: AppContext, next: (Request, AppContext) async throws -> Response) async throws -> Response {
        let start = ContinuousClock.now
        let response = try await next(request, context)
        let ms = (ContinuousClock.now - start).components
        let duration = Double(ms.seconds) * 1000 + Double(ms.attoseconds) / 1e15
        context.logger.info("request", metadata: [
            "request_id": "\(context.requestID)", "method": "\(request.method.rawValue)", "path": "\(request.uri.path)",
            "status": "\(response.status.code)", "duration_ms": "\(String(format: "%.2f", duration))",
        ])
        return response
    }
}
