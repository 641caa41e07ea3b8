import Foundation
import Testing
import TekigoStore
import TekigoTestSupport

/// schemathesis (PyPI) fuzzes a live `tekigo serve` against its own OpenAPI document: no 5xx response and every
/// response matching the documented schema for its status (issue: server core, item 7). Runs on SQLite and on
/// PostgreSQL, with a fixed seed so a failure can be replayed (`ST_SEED=… scripts/schemathesis.sh`).
@Suite("schemathesis against a live server", .serialized)
struct SchemathesisTests {
    static let seed = "20261127"

    static var enabled: Bool {
        let venv = TestEnvironment.validatorsVenv.appendingPathComponent("bin/schemathesis").path
        return FileManager.default.isExecutableFile(atPath: venv) || TestEnvironment.externalsRequired
    }

    @Test("No 5xx and no schema violation", .enabled(if: enabled), arguments: TestDatabases.engines)
    func fuzz(_ engine: TestDatabases.Engine) async throws {
        _ = try TestEnvironment.validator("schemathesis")
        let binary = try TestEnvironment.tekigoBinary()
        var environment = [
            "TEKIGO_BIN": binary.path,
            "ST_SEED": Self.seed,
            "ST_MAX_TIME": ProcessInfo.processInfo.environment["ST_MAX_TIME"] ?? "90",
            "ST_LAST_MAX_TIME": ProcessInfo.processInfo.environment["ST_LAST_MAX_TIME"] ?? "30",
            "TEKIGO_VALIDATORS_VENV": TestEnvironment.validatorsVenv.path,
        ]
        if case .postgres(let url) = try await TestDatabases.fresh(engine) {
            environment["TEKIGO_DATABASE_URL"] = url
        } else {
            environment["TEKIGO_DATABASE_URL"] = ""
        }
        let script = TestEnvironment.packageRoot.appendingPathComponent("scripts/schemathesis.sh")
        let result = try await runProcessOffPool(URL(fileURLWithPath: "/bin/bash"), [script.path], environment: environment)
        // The tail of the report names the failing operation and the curl command that reproduces it.
        #expect(result.status == 0, "schemathesis failed on \(engine):\n\(result.stdout.suffix(6000))\n\(result.stderr.suffix(3000))")
    }
}
