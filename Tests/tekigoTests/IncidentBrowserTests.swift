import Foundation
import Testing
import TekigoStore
import TekigoTestSupport

/// A cyber incident in a real browser (issue 13, items 1–3): headless Chromium from Debian, driven by Selenium from
/// the validators' virtualenv, through `scripts/browser-incident.py` — in Japanese, a prime records a DFARS
/// 252.204-7012 contract with a machine shop; the shop's owner records a ransomware incident discovered two hours
/// ago, sees the 72-hour clock open, adds a timeline entry, moves it to contained, records the DoD initial report with
/// its number, and sees the report clock met and the 90-day preservation hold running; it sends the report number up
/// (DFARS 204.7302(b)) and the prime acknowledges it. Nothing through the API or the command line. Screenshots are written to `.build/browser-artifacts/incident/` (`$TEKIGO_SCREENSHOT_DIR`).
// In `BrowserTests`' serialized suite: one Chromium at a time.
extension BrowserTests {
    @Test("A shop records a ransomware incident, sees the 72-hour clock, contains it and records the DoD report: the clock met, the 90-day hold running; the number reaches the prime, which acknowledges it; in Japanese",
          .enabled(if: enabled), arguments: TestDatabases.engines)
    func incidentJourney(_ engine: TestDatabases.Engine) async throws {
        try await Self.run("scripts/browser-incident.py", on: engine, screenshots: "incident/\(engine)",
                           expecting: ["incident-list-ja", "incident-detail-ja", "incident-notice-prime-ja"])
    }
}
