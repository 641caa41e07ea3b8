import Foundation
import Hummingbird
import SQLKit

/// Liveness, readiness and the API description.
struct OperationsRoutes {
    let services: Services

    func register(_ router: Router<AppContext>) {
        router.get("/healthz") { _, _ in JSONResponse(value: ["status": "ok"]) }
        router.get("/readyz") { _, _ -> JSONResponse<[String: String]> in
            do {
                _ = try await services.db.sql.raw("SELECT 1").all()
                return JSONResponse(value: ["status": "ready"])
            } catch {
                return JSONResponse(value: ["status": "database unavailable"], status: .serviceUnavailable)
            }
        }
        // Prometheus text format. Counts only (requests, durations, sign-ins); bind the server to an internal
        // address or filter /metrics at the proxy (docs/SECURITY.md).
        router.get("/metrics") { _, _ -> Response in
            Response(status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                     body: .init(byteBuffer: ByteBuffer(bytes: ServerMetrics.registry.emitToBuffer())))
        }
        router.get("/openapi.yaml") { _, _ -> Response in
            guard let url = Bundle.module.url(forResource: "openapi", withExtension: "yaml"),
                  let data = try? Data(contentsOf: url) else { throw APIError.notFound("The API document") }
            return Response(status: .ok, headers: [.contentType: "application/yaml; charset=utf-8"],
                            body: .init(byteBuffer: ByteBuffer(bytes: data)))
        }
    }
}
