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
        try await Self.run("scripts/browser-supply-chain.py", on: engine, screenshots: "supply-chain/\(engine)",
                           expecting: ["supply-attestation-preview-ja", "supply-customers-ja", "supply-rollup-ja", "supply-detail-ja",
                                       "supply-detail-withdrawn-ja", "supply-customers-en", "supply-detail-en"])
    }
}
