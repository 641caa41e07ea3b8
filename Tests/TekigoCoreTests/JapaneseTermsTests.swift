import Foundation
import Testing
import TekigoTestSupport
@testable import TekigoCore

/// One Japanese term per concept (issue 11, item 18): the built-in catalogs' titles, the page strings and the
/// report labels use the term `JapaneseTerms` chooses, never a variant it rejects; docs/GLOSSARY.md lists them.
@Suite("Japanese terms")
struct JapaneseTermsTests {
    static let root = TestEnvironment.packageRoot

    /// "catalog id: variant (use chosen)" for every rejected variant in a Japanese text.
    static func findings(_ place: String, _ text: String) -> [String] {
        JapaneseTerms.variants(in: text).map { "\(place): 「\($0.variant)」 in 「\(text)」 (use 「\($0.term.chosen)」)" }
    }

    @Test("No built-in catalog title uses a rejected variant of a Japanese term")
    func catalogTitles() throws {
        let library = try BuiltInLibrary.shared
        var found: [String] = []
        for id in CatalogID.builtIn {
            let cat = try library.catalog(id)
            found += Self.findings("\(id) name", cat.name.ja)
            for f in cat.families { found += Self.findings("\(id) \(f.id)", f.title.ja) }
            for e in cat.entries { found += Self.findings("\(id) \(e.id)", e.title.ja) }
        }
        for f in found { Issue.record("rejected term in a catalog title: \(f)") }
    }

    @Test("The check names the catalog, id and variant")
    func findingNamesPlace() {
        let f = Self.findings("sp800-171r2 3.9.1", "アクセス許可前の人員審査")
        #expect(f == ["sp800-171r2 3.9.1: 「審査」 in 「アクセス許可前の人員審査」 (use 「スクリーニング」)"])
        // ユーザ inside ユーザー is named once.
        #expect(JapaneseTerms.variants(in: "全ユーザーへの教育").map(\.variant) == ["ユーザー"])
        #expect(JapaneseTerms.variants(in: "CUI（管理対象非機密情報）").map(\.variant) == ["管理対象非機密情報"])
        // A variant inside the chosen term is not one; beside it, it still is.
        #expect(JapaneseTerms.variants(in: "評価フォルダーを作ります").isEmpty)
        #expect(JapaneseTerms.variants(in: "共有フォルダーとフォルダ").map(\.variant) == ["フォルダ"])
    }

    @Test("Japanese page strings and report labels use the chosen terms")
    func interfaceText() throws {
        var found: [String] = []
        // ja.json and every area's `<area>.ja.json` beside it.
        let directory = Self.root.appendingPathComponent("Sources/TekigoServer/Resources/web/messages")
        for name in try FileManager.default.contentsOfDirectory(atPath: directory.path).sorted()
        where name == "ja.json" || name.hasSuffix(".ja.json") {
            let messages = try JSONDecoder().decode([String: String].self, from: Data(contentsOf: directory.appendingPathComponent(name)))
            for (key, text) in messages.sorted(by: { $0.key < $1.key }) { found += Self.findings("messages/\(name) \(key)", text) }
        }
        // Report labels and product labels are Swift literals: every Japanese line of these files.
        for file in ["Sources/TekigoReports/ReportText.swift", "Sources/TekigoCore/SupplyChain/Contract.swift",
                     "Sources/TekigoCore/Assessment/SPRSScoring.swift"] {
            let text = try String(contentsOf: Self.root.appendingPathComponent(file), encoding: .utf8)
            for (n, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
                found += Self.findings("\(file):\(n + 1)", line.trimmed)
            }
        }
        for f in found { Issue.record("rejected term in a page string or label: \(f)") }
    }

    @Test("docs/GLOSSARY.md lists every term: the chosen term and each rejected variant on the concept's row")
    func glossaryListsEveryTerm() throws {
        let doc = try String(contentsOf: Self.root.appendingPathComponent("docs/GLOSSARY.md"), encoding: .utf8)
        let rows = doc.split(separator: "\n").filter { $0.hasPrefix("|") }
        for term in JapaneseTerms.all {
            let row = rows.first { $0.contains(term.chosen) && $0.contains(term.concept) }
            #expect(row != nil, "no glossary row for \(term.concept) with \(term.chosen)")
            for v in term.rejected { #expect(row?.contains(v) == true, "\(term.concept): \(v) not listed as rejected") }
        }
    }
}
