import Foundation
import Testing
import TekigoStore
import TekigoTestSupport

/// The web application in a real browser (issue: web application, item 6): headless Chromium from Debian, driven by
/// Selenium from the validators' virtualenv, through `scripts/browser-test.py` — setup link, sign-in, MFA
/// enrolment, an assessment answered with evidence, the score and charts changing, a POA&M item, the SSP export and
/// the export job; then the same in English with JavaScript turned off. Screenshots of the key pages are written to
/// `.build/browser-artifacts/` (`$TEKIGO_SCREENSHOT_DIR`).
@Suite("Browser (headless Chromium)", .serialized)
struct BrowserTests {
    static let chromium = ProcessInfo.processInfo.environment["CHROMIUM"] ?? "/usr/bin/chromium"
    static let chromedriver = ProcessInfo.processInfo.environment["CHROMEDRIVER"] ?? "/usr/bin/chromedriver"

    static var enabled: Bool {
        let fm = FileManager.default
        return (fm.isExecutableFile(atPath: chromium) && fm.isExecutableFile(atPath: chromedriver)
                && fm.fileExists(atPath: TestEnvironment.validatorsVenv.appendingPathComponent("bin/python").path))
            || TestEnvironment.externalsRequired
    }

    @Test("A newcomer completes and exports an assessment in Japanese, then in English without JavaScript",
          .enabled(if: enabled), arguments: TestDatabases.engines)
    func newcomer(_ engine: TestDatabases.Engine) async throws {
        try await Self.run("scripts/browser-test.py", on: engine, screenshots: "\(engine)",
                           expecting: ["dashboard-ja", "overview-ja", "editor-ja", "poam-ja", "exports-ja", "dashboard-en", "editor-en"])
    }

    /// Issue 17's done-when: a new organization from nothing to a complete assessment in Japanese by the guided walk
    /// with guidance shown, an .xlsx round trip of all 320 objectives, and starting from last year's assessment; then
    /// item 6's editor input surviving the idle timeout.
    @Test("Issue 17: the one-person shop from nothing to a complete assessment — guided walk, Excel round trip, from last year — and the editor across the idle timeout (Japanese)",
          .enabled(if: enabled), arguments: TestDatabases.engines)
    func onePersonShop(_ engine: TestDatabases.Engine) async throws {
        try await Self.run("scripts/browser-one-person.py", on: engine, screenshots: "one-person-\(engine)",
                           expecting: ["one-person-guidance-ja", "one-person-workbook-ja", "one-person-carried-ja", "one-person-restored-ja"])
    }

    /// Runs one browser script against a fresh database of `engine` (PostgreSQL: a new database; SQLite: the script's
    /// own data directory) and checks it ended well and wrote each screenshot named in `expecting` (PNG) to
    /// `.build/browser-artifacts/<screenshots>/`, which is emptied first so only this run's files count.
    static func run(_ script: String, on engine: TestDatabases.Engine, screenshots: String, expecting pages: [String]) async throws {
        let python = TestEnvironment.validatorsVenv.appendingPathComponent("bin/python")
        #expect(FileManager.default.isExecutableFile(atPath: Self.chromium), "Chromium is missing: run scripts/browser.sh")
        #expect(FileManager.default.isExecutableFile(atPath: Self.chromedriver), "chromedriver is missing: run scripts/browser.sh")
        let binary = try TestEnvironment.tekigoBinary()
        let shots = TestEnvironment.packageRoot.appendingPathComponent(".build/browser-artifacts/\(screenshots)")
        try? FileManager.default.removeItem(at: shots)
        var environment = ["TEKIGO_BIN": binary.path, "TEKIGO_SCREENSHOT_DIR": shots.path, "CHROMIUM": Self.chromium,
                           "CHROMEDRIVER": Self.chromedriver]
        if case .postgres(let url) = try await TestDatabases.fresh(engine) {
            environment["TEKIGO_DATABASE_URL"] = url
        } else {
            environment["TEKIGO_DATABASE_URL"] = ""  // SQLite in the script's own data directory
        }
        let result = try await runProcessOffPool(python, [TestEnvironment.packageRoot.appendingPathComponent(script).path],
                                                 environment: environment)
        #expect(result.status == 0, "\(script) failed on \(engine):\n\(result.stdout.suffix(3000))\n\(result.stderr.suffix(6000))")
        for page in pages {
            #expect(FileManager.default.fileExists(atPath: shots.appendingPathComponent("\(page).png").path), "no screenshot of \(page)")
        }
    }
}
