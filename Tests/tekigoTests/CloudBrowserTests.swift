import Foundation
import Testing
import TekigoStore
import TekigoTestSupport

/// Cloud services in a real browser (issue 15's done-when): headless Chromium from Debian, driven by Selenium from the
/// validators' virtualenv, through `scripts/browser-cloud.py` — in Japanese, with the FedRAMP Marketplace slice imported
/// by the operator, a machine shop invited by its prime adds the FedRAMP Moderate service holding its CUI on its cloud
/// pages and sees the Marketplace's standing and what is still missing; the prime's view of its suppliers' services
/// shows nothing of the shop until the shop consents and signs an attestation (whose preview names the service), then
/// the shop with the provider and its FedRAMP standing. The shop imports the provider's responsibility matrix on the
/// service's page, sees 3.10.1 provided by the service (inherited) in the editor, confirms one objective as met and sees
/// the finding met with the provider's evidence (issue 15 item 4). Screenshots go to `.build/browser-artifacts/cloud/`.
// In `BrowserTests`' serialized suite: one Chromium at a time.
extension BrowserTests {
    @Test("Issue 15 done-when: a shop adds the cloud service holding its CUI and sees its FedRAMP standing; the prime sees it only once the shop consents and signs an attestation naming it; the shop imports the provider's CRM and confirms an inherited objective in the editor; in Japanese",
          .enabled(if: enabled), arguments: TestDatabases.engines)
    func cloudJourney(_ engine: TestDatabases.Engine) async throws {
        try await Self.run("scripts/browser-cloud.py", on: engine, screenshots: "cloud/\(engine)",
                           expecting: ["cloud-list-ja", "cloud-service-ja", "cloud-attestation-preview-ja", "cloud-matrix-ja",
                                       "cloud-inheritance-ja", "cloud-inheritance-confirmed-ja", "cloud-chain-prime-ja"])
    }
}
