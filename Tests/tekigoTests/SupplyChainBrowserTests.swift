import Foundation
import Testing
import TekigoStore
import TekigoTestSupport

/// The supply chain in a real browser (issue 12, item 6): headless Chromium from Debian, driven by Selenium from the
/// validators' virtualenv, through `scripts/browser-supply-chain.py` — a prime invites a supplier; the supplier's
/// contact accepts signed out, creates its account and organization and enrols an authenticator; invites a colleague
/// who enrols too; a second customer invites the same supplier, accepted for its existing organization; the supplier
/// answers its assessment, previews and signs an attestation, consents for both customers; the prime sees it in its
/// roll-up and on the supplier's detail; the supplier withdraws the prime's consent and the prime's detail shows
/// counts only, saying why, while the second customer keeps it. Then, in English with JavaScript off, consent given
/// and withdrawn again. Nothing through the API or the command line. Screenshots of the key pages are written to
/// `.build/browser-artifacts/supply-chain/` (`$TEKIGO_SCREENSHOT_DIR`).
// In `BrowserTests`' serialized suite: one Chromium at a time (two at once, beside the rest of the suite, starved the
// other tests' servers on a two-core machine).
extension BrowserTests {
    @Test("A prime invites a supplier, which joins, signs and shares an attestation with two customers, then withdraws one; in Japanese, then in English without JavaScript",
          .enabled(if: enabled), arguments: TestDatabases.engines)
    func supplyChainJourney(_ engine: TestDatabases.Engine) async throws {
        let python = TestEnvironment.validatorsVenv.appendingPathComponent("bin/python")
        #expect(FileManager.default.isExecutableFile(atPath: Self.chromium), "Chromium is missing: run scripts/browser.sh")
        #expect(FileManager.default.isExecutableFile(atPath: Self.chromedriver), "chromedriver is missing: run scripts/browser.sh")
        let binary = try TestEnvironment.tekigoBinary()
        let shots = TestEnvironment.packageRoot.appendingPathComponent(".build/browser-artifacts/supply-chain/\(engine)")
        try? FileManager.default.removeItem(at: shots)  // screenshots from this run only
        var environment = ["TEKIGO_BIN": binary.path, "TEKIGO_SCREENSHOT_DIR": shots.path, "CHROMIUM": Self.chromium,
                           "CHROMEDRIVER": Self.chromedriver]
        if case .postgres(let url) = try await TestDatabases.fresh(engine) {
            environment["TEKIGO_DATABASE_URL"] = url
        } else {
            environment["TEKIGO_DATABASE_URL"] = ""  // SQLite in the script's own data directory
        }
        let script = TestEnvironment.packageRoot.appendingPathComponent("scripts/browser-supply-chain.py")
        let result = try await runProcessOffPool(python, [script.path], environment: environment)
        #expect(result.status == 0, "the supply-chain browser test failed on \(engine):\n\(result.stdout.suffix(3000))\n\(result.stderr.suffix(6000))")
        for page in ["supply-attestation-preview-ja", "supply-customers-ja", "supply-rollup-ja", "supply-detail-ja",
                     "supply-detail-withdrawn-ja", "supply-customers-en", "supply-detail-en"] {
            #expect(FileManager.default.fileExists(atPath: shots.appendingPathComponent("\(page).png").path), "no screenshot of \(page)")
        }
    }
}
