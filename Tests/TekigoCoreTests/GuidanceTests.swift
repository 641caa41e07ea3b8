import Foundation
import Testing
import TekigoTestSupport
@testable import TekigoCore

/// Issue #17 item 1: plain-language guidance in our own words, ja and en, for every SP 800-171 rev2 requirement and
/// each of its 800-171A objectives, and every rev3 requirement.
@Suite("Built-in guidance")
struct GuidanceTests {
    /// A run of this many words shared with NIST's text counts as copied (scripts/check-guidance.py uses the same).
    static let sharedWords = 8

    static func blank(_ t: LocalizedText) -> Bool {
        t.en.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty
            || t.ja.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty
    }

    @Test("#17 item 1: every rev2 requirement and objective and every rev3 requirement has guidance in ja and en (counted)")
    func coverage() throws {
        let library = try BuiltInLibrary.shared
        let guidance = try GuidanceLibrary.builtIn
        var missing: [String] = []
        var requirements: [CatalogID: Int] = [:]
        var objectives = 0
        for id in [CatalogID.sp800171r2, .sp800171r3] {
            for entry in try library.catalog(id).entries {
                guard let g = guidance.guidance(for: entry) else { missing.append("\(id) \(entry.id)"); continue }
                requirements[id, default: 0] += 1
                if g.options.count < 2 { missing.append("\(id) \(entry.id): fewer than two options") }
                if g.evidence.count < 2 { missing.append("\(id) \(entry.id): fewer than two evidence items") }
                for (label, text) in g.labelledTexts where Self.blank(text) {
                    missing.append("\(id) \(entry.id) \(label): empty in ja or en")
                }
                guard id == .sp800171r2 else { continue }
                for objective in entry.objectives {
                    if let t = g.objectives[objective], !Self.blank(t) { objectives += 1 } else {
                        missing.append("\(id) \(objective)")
                    }
                }
                for extra in Set(g.objectives.keys).subtracting(entry.objectives) {
                    missing.append("\(id) \(entry.id): \(extra) is not one of its objectives")
                }
            }
            for extra in guidance.coverage[id, default: []] where (try library.catalog(id))[extra] == nil {
                missing.append("\(id): guidance for \(extra), which the catalog does not have")
            }
        }
        #expect(missing.isEmpty, "no guidance: \(missing.prefix(40).joined(separator: "; "))")
        // SP 800-171 rev2: 110 requirements (§3), SP 800-171A: 320 objectives; rev3: 97 requirements in force.
        #expect(requirements[.sp800171r2] == 110)
        #expect(objectives == 320)
        #expect(requirements[.sp800171r3] == 97)
    }

    @Test("#17 item 1: the Japanese guidance uses GLOSSARY's terms, never a rejected variant")
    func japaneseTerms() throws {
        let guidance = try GuidanceLibrary.builtIn
        var found: [String] = []
        for (catalog, ids) in guidance.coverage {
            for id in ids.sorted() {
                for (label, text) in guidance.guidance(catalog, requirement: id)?.labelledTexts ?? [] {
                    found += JapaneseTerms.variants(in: text.ja).map {
                        "\(catalog) \(id) \(label): 「\($0.variant)」 (use 「\($0.term.chosen)」)"
                    }
                }
            }
        }
        #expect(found.isEmpty, "\(found.joined(separator: "\n"))")
    }

    @Test("#17 item 1: no English guidance text shares a run of 8 words with NIST's SP 800-171 files",
          .enabled(if: TestEnvironment.runSharedDataTests))
    func ourOwnWords() throws {
        let nist = try Self.nistShingles()
        #expect(nist.count > 10_000, "NIST's text was read (\(nist.count) runs)")
        let guidance = try GuidanceLibrary.builtIn
        var copied: [String] = []
        for (catalog, ids) in guidance.coverage {
            for id in ids.sorted() {
                for (label, text) in guidance.guidance(catalog, requirement: id)?.labelledTexts ?? [] {
                    let words = Self.words(text.en)
                    guard words.count >= Self.sharedWords else { continue }
                    for i in 0...(words.count - Self.sharedWords) {
                        let run = words[i..<(i + Self.sharedWords)].joined(separator: " ")
                        if nist.contains(run) { copied.append("\(catalog) \(id) \(label): '\(run)'"); break }
                    }
                }
            }
        }
        #expect(copied.isEmpty, "shares NIST's words — rewrite: \(copied.joined(separator: "\n"))")
    }

    @Test("The check itself finds a NIST sentence (3.1.1's text, rev2) and passes our own")
    func checkFindsCopies() throws {
        let nist = Set(Self.runs(Self.words("Limit system access to authorized users, processes acting on behalf of authorized users, and devices (including other systems).")))
        let copied = Self.runs(Self.words("We limit system access to authorized users, processes acting on behalf of authorized users."))
        #expect(copied.contains { nist.contains($0) })
        let ours = Self.runs(Self.words("Only people, programs and devices you have approved may sign in to or connect with the system."))
        #expect(!ours.contains { nist.contains($0) })
    }

    @Test("#17 item 1: guidance is added on request to the SSP only, in every format but OSCAL")
    func whereGuidanceGoes() {
        for d in ExportDocument.allCases {
            for f in ExportFormat.allCases { #expect(d.takesGuidance(in: f) == (d == .ssp && f != .oscal), "\(d) \(f)") }
        }
    }

    @Test("A summary is the first sentence of what the requirement asks, in the language asked")
    func summary() {
        let g = RequirementGuidance(
            asks: LocalizedText(en: "Keep a list. Then check it.", ja: "一覧を作ります。次に確認します。"),
            options: [], examine: LocalizedText("x"), interview: LocalizedText("x"), test: LocalizedText("x"),
            evidence: [])
        #expect(g.summary(.en) == "Keep a list.")
        #expect(g.summary(.ja) == "一覧を作ります。")
    }

    // MARK: - Reading NIST's text

    static func words(_ text: String) -> [String] {
        text.lowercased().split { !($0.isASCII && ($0.isLetter || $0.isNumber)) }.map(String.init)
    }

    static func runs(_ words: [String]) -> [String] {
        guard words.count >= sharedWords else { return [] }
        return (0...(words.count - sharedWords)).map { words[$0..<($0 + sharedWords)].joined(separator: " ") }
    }

    /// Every 8-word run of every string in NIST's SP 800-171 files (rev2 requirements, 800-171A objectives and
    /// methods, the OSCAL catalogs, the CPRT sample). Method lists are split at ';' and brackets: each item is a passage.
    static func nistShingles() throws -> Set<String> {
        let root = try TestEnvironment.sharedData("nist/sp800-171")
        var runs: Set<String> = []
        let files = FileManager.default.enumerator(at: root, includingPropertiesForKeys: nil)?
            .compactMap { $0 as? URL }.filter { $0.pathExtension == "json" } ?? []
        for file in files {
            func visit(_ node: Any) {
                if let s = node as? String {
                    for part in s.split(whereSeparator: { $0 == ";" || $0 == "[" || $0 == "]" }) {
                        runs.formUnion(Self.runs(Self.words(String(part))))
                    }
                } else if let d = node as? [String: Any] {
                    d.values.forEach(visit)
                } else if let a = node as? [Any] {
                    a.forEach(visit)
                }
            }
            visit(try JSONSerialization.jsonObject(with: Data(contentsOf: file)))
        }
        return runs
    }
}
