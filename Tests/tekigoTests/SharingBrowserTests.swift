import Foundation
import Testing
import TekigoStore
import TekigoTestSupport

/// Issue 14's "done when": one incident shared from its page to a supply-chain community, seen by the prime — in a real
/// browser (headless Chromium from Debian, driven by Selenium from the validators' virtualenv) through
/// `scripts/browser-sharing.py`, in Japanese: the prime invites a machine shop as its supplier, creates a supply-chain
/// community on its sharing pages and invites the shop, which accepts; the prime adds a collection and gives the shop
/// read and write access; the shop records an incident with an observed IP address, shares it from the incident's page
/// (TLP:AMBER, the preview showing exactly what leaves and nothing named), publishes, and is offered the 3.6.2 evidence;
/// the prime finds the indicator by the IP on its sharing pages. Nothing through the API or the command line.
/// Screenshots are written to `.build/browser-artifacts/sharing/` (`$TEKIGO_SCREENSHOT_DIR`).
// In `BrowserTests`' serialized suite: one Chromium at a time.
extension BrowserTests {
    @Test("Issue 14 done when: a shop shares an incident from its page into the prime's supply-chain community (preview, publish, 3.6.2 offered) and the prime sees it; in Japanese",
          .enabled(if: enabled), arguments: TestDatabases.engines)
    func sharingJourney(_ engine: TestDatabases.Engine) async throws {
        try await Self.run("scripts/browser-sharing.py", on: engine, screenshots: "sharing/\(engine)",
                           expecting: ["sharing-preview-ja", "sharing-published-ja", "sharing-prime-ja"])
    }
}
