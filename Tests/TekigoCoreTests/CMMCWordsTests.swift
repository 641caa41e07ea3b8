import Foundation
import Testing
import TekigoTestSupport
@testable import TekigoCore

/// Issue 17 item 6: CMMC "not eligible" (32 CFR 170.21: neither Final nor Conditional Level 2) is never written
/// 対象外, which reads as "out of scope" like 該当なし; docs/GLOSSARY.md (CMMC status) gives the words.
@Suite("CMMC status words in Japanese")
struct CMMCWordsTests {
    @Test("CMMC not eligible (32 CFR 170.21) reads レベル2 の要件を満たしていない, never 対象外 nor 該当なし (issue 17 item 6)")
    func statusLabel() {
        let label = CMMCStatus.notEligible.label
        #expect(label.ja == "レベル2 の要件を満たしていない")
        #expect(label.en == "Not eligible")
        let all = [CMMCStatus.final, .notEligible,
                   .conditional(CloseoutDeadline(due: Day(year: 2027, month: 5, day: 26)!, from: Day(year: 2026, month: 11, day: 27)!,
                                                 basis: .resultsPosted))]
        for s in all {
            #expect(!s.label.ja.contains("対象外"), "\(s.label.ja)")
            #expect(s.label.ja != FindingStatus.notApplicable.label.ja)
        }
    }

    @Test("No Japanese page string about CMMC status says 対象外 (issue 17 item 6)")
    func pageStrings() throws {
        let directory = TestEnvironment.packageRoot.appendingPathComponent("Sources/TekigoServer/Resources/web/messages")
        let names = try FileManager.default.contentsOfDirectory(atPath: directory.path).filter { $0.hasSuffix("ja.json") }
        #expect(!names.isEmpty)
        for name in names {
            let messages = try JSONDecoder().decode([String: String].self, from: Data(contentsOf: directory.appendingPathComponent(name)))
            for (key, text) in messages where key.contains("cmmc") && key.contains("eligible") {
                #expect(!text.contains("対象外"), "\(name) \(key): \(text)")
            }
        }
    }

    @Test("Every page string for CMMC not eligible says the glossary's words, the same as the reports' label (docs/GLOSSARY.md; issue 17 item 6)")
    func sameWordsEverywhere() throws {
        let directory = TestEnvironment.packageRoot.appendingPathComponent("Sources/TekigoServer/Resources/web/messages")
        var checked: [String] = []
        for name in try FileManager.default.contentsOfDirectory(atPath: directory.path) where name.hasSuffix("ja.json") {
            let messages = try JSONDecoder().decode([String: String].self, from: Data(contentsOf: directory.appendingPathComponent(name)))
            for (key, text) in messages where key.contains("cmmc") && key.hasSuffix("not_eligible") {
                #expect(text == CMMCStatus.notEligible.label.ja, "\(name) \(key): \(text)")
                checked.append("\(name) \(key)")
            }
        }
        // The score (ja.json), the supplier roll-up (supply.ja.json) and the customers page (customer.ja.json).
        #expect(checked.count >= 3, "\(checked)")
    }
}
