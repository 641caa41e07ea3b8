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
        // A few fields, so an array searched in order beats a dictionary; a later value for a key replaces the
        // earlier one (the event's metadata over the handler's over the fixed fields), and keys are written sorted.
        var fields: [(key: String, value: String)] = [("ts", Self.now()), ("level", event.level.rawValue), ("logger", label),
                                                      ("msg", event.message.description)]
        fields.reserveCapacity(12)
        func set(_ key: String, _ value: String) {
            if let i = fields.firstIndex(where: { $0.key == key }) { fields[i].value = value } else { fields.append((key, value)) }
        }
        for (k, v) in metadata { set(k, v.description) }
        for (k, v) in event.metadata ?? [:] { set(k, v.description) }
        if let error = event.error { set("error", String(describing: error)) }
        fields.sort { $0.key < $1.key }
        // One line per request: written with `JSONBytes` (JSONSerialization with sorted keys was a sixth of a
        // small request's CPU time).
        var out = JSONBytes(capacity: 256)
        out.raw("{")
        for (i, field) in fields.enumerated() {
            if i > 0 { out.raw(",") }
            out.string(field.key)
            out.raw(":")
            out.string(field.value)
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
            "request_id": .string(context.requestID), "method": .string(request.method.rawValue),
            "path": .string(request.uri.path), "status": .string(String(response.status.code)),
            "duration_ms": .string(Self.milliseconds(duration)),
        ])
        return response
    }

    /// `12.35`: milliseconds with two decimals, as `String(format: "%.2f")` wrote them (rounded half away from
    /// zero rather than to even on an exact tie), without Foundation's formatting on every request.
    static func milliseconds(_ ms: Double) -> String {
        guard ms.isFinite, ms >= 0, ms < 1e15 else { return String(format: "%.2f", ms) }
        let hundredths = Int((ms * 100).rounded())
        let fraction = hundredths % 100
        return String(hundredths / 100) + (fraction < 10 ? ".0" : ".") + String(fraction)
    }
}
