import Foundation
import Testing
import TekigoStore
import TekigoTestSupport

/// An incident-response exercise in a real browser (issue 13 item 7, "done when": one exercise to its 3.6.3 evidence,
/// in Japanese), through `scripts/browser-exercise.py`: plan from the ransomware scenario, run it as an exercise
/// incident, record a decision and a finding, complete it, confirm the 3.6.3 evidence into an assessment (nothing
/// written before the confirmation, nothing on objectives left unticked) and see it on the assessment's 3.6.3 page;
/// the finding becomes a POA&M item. Screenshots in `.build/browser-artifacts/exercise/`.
extension BrowserTests {
    @Test("SP 800-171 3.6.3: an exercise from the ransomware scenario runs, completes and its confirmed evidence shows on 3.6.3, in Japanese",
          .enabled(if: enabled), arguments: TestDatabases.engines)
    func exerciseJourney(_ engine: TestDatabases.Engine) async throws {
        try await Self.run("scripts/browser-exercise.py", on: engine, screenshots: "exercise/\(engine)",
                           expecting: ["exercise-running-ja", "exercise-completed-ja", "exercise-evidence-ja", "exercise-requirement-ja",
                                       "exercise-list-ja"])
    }
}
