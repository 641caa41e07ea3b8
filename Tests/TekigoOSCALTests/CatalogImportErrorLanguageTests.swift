import Foundation
import Testing
import TekigoCore
import TekigoTestSupport
@testable import TekigoOSCAL

/// Issue 17 item 6, "no English in Japanese mode … API error messages for people": a catalog file the readers refuse
/// is refused in Japanese too (`CatalogImportError: BilingualError`), naming the same file, line, column, path and ids
/// as the English, which stays `description`.
@Suite("Issue 17 item 6: catalog import refusals in Japanese")
struct CatalogImportErrorLanguageTests {
    /// Kana or kanji: what a Japanese message is made of.
    static func isJapanese(_ text: String) -> Bool { JapaneseText.isJapanese(text) }

    /// Three ASCII words in a row (single spaces) once quoted literals ('…', `…`) are taken out: English prose.
    static func englishProse(_ text: String) -> String? { JapaneseText.englishProse(text) }

    /// The id rule's own refusal of `raw` (`CatalogIDError.description`).
    static func idRefusal(_ raw: String) -> String {
        do { _ = try CatalogID.validated(raw); return "" } catch { return error.description }
    }

    static let badID = idRefusal("Acme/Controls")

    /// One value of every case, each with what its English shows and the Japanese must keep.
    static let cases: [(CatalogImportError, [String])] = [
        (.unreadable(file: "rev3.json", reason: "The operation could not be completed. The file doesn’t exist."), ["rev3.json", "ファイルがありません"]),
        (.invalidJSON(file: "in.json", detail: "a value or separator is not valid JSON"), ["in.json", "JSON"]),
        (.notAnOSCALDocument(file: "other.json"), ["other.json", "'catalog'", "'elements'"]),
        (.notACatalog(file: "ssp.json", model: "system security plan"), ["ssp.json", "system-security-plan"]),
        (.invalidStructure(file: "in.json", path: "catalog.groups[0].controls[0]", problem: "required field 'title' is missing"),
         ["in.json", "catalog.groups[0].controls[0]", "'title'", "OSCAL 1.1"]),
        (.noControls(file: "empty.json"), ["empty.json"]),
        (.duplicateID(file: "dup.json", id: "ac-2"), ["dup.json", "'ac-2'"]),
        (.customIDIsBuiltIn("sp800-171r3"), ["'sp800-171r3'", "--id"]),
        (.invalidCatalogID(badID), ["'Acme/Controls'", "'/'", "--id", "acme-controls-v2"]),
        (.invalidText(file: "nul.json", element: "control 'ac-1' statement"), ["nul.json", "'ac-1'", "U+0000"]),
        (.malformedJSON(file: "cut.json", line: 12, column: 34, near: "elements[5]",
                        problem: "the file ends before the JSON is complete (cut off in copying or downloading?)"),
         ["cut.json", "12 行", "34 列", "elements[5]"]),
        (.cprtElementWithoutIdentifier(file: "cprt.json", position: 7, type: "determination"),
         ["cprt.json", "elements[7]", "'determination'", "element_identifier"]),
        (.cprtElementWithoutType(file: "cprt.json", position: 3, id: "03.01.01"), ["cprt.json", "elements[3]", "'03.01.01'", "element_type"]),
        (.cprtRelationshipIncomplete(file: "cprt.json", position: 9, field: "dest_element_identifier"),
         ["cprt.json", "relationships[9]", "dest_element_identifier"]),
        (.cprtNotSP800171(file: "csf.json", documents: ["CSF_2_0_0"]), ["csf.json", "CSF_2_0_0", "3.1.1", "03.01.01"]),
        (.customIDForCPRT(file: "x.json"), ["x.json", "--id"]),
    ]

    @Test("Issue 17 item 6: every CatalogImportError case has a Japanese wording, without English prose, keeping the file, line, column, path and ids; English is description")
    func everyCase() {
        for (error, kept) in Self.cases {
            let ja = error.message(in: .ja)
            #expect(error.message(in: .en) == error.description)
            #expect(Self.isJapanese(ja) && ja != error.description, "\(error)")
            #expect(Self.englishProse(ja) == nil, "\(ja)")
            for k in kept { #expect(ja.contains(k), "\(k) in \(ja)") }
        }
        // Each of the 16 cases once (every case carries a value, so Mirror names it).
        #expect(Set(Self.cases.compactMap { Mirror(reflecting: $0.0).children.first?.label }).count == 16)
    }

    @Test("Issue 17 item 6: the readers' own refusals (OSCAL and CPRT) come out in Japanese with their place")
    func readersRefuse() throws {
        let library = try BuiltInLibrary.shared
        func refusal(_ json: String, file: String = "in.json", id: CatalogID? = nil) -> CatalogImportError? {
            do { _ = try CatalogFileImporter.read(Data(json.utf8), file: file, library: library, customID: id); return nil } catch {
                return (error as Any) as? CatalogImportError
            }
        }
        let meta = #""metadata": {"title": "Example", "last-modified": "2026-01-01T00:00:00Z", "version": "1", "oscal-version": "1.1.3"}"#
        // A required field missing: the path and the field, in Japanese.
        let missing = try #require(refusal(#"{"catalog": {"uuid": "u", \#(meta), "groups": [{"title": "G", "controls": [{"id": "x-1"}]}]}}"#))
        #expect(missing.message(in: .ja).contains("in.json の catalog.groups[0].controls[0] で必須の項目 'title' がありません"),
                "\(missing.message(in: .ja))")
        // A CPRT export cut off: line and column, and the element being read.
        let cut = try #require(refusal("{\"elements\": [\n  {\"element_identifier\": \"03.01.01\", \"element_type\": \"requirement\"},\n  {\"element_identifier\": \"0",
                                       file: "cut.json"))
        guard case .malformedJSON(_, let line, let column, _, _) = cut else { Issue.record("\(cut)"); return }
        let cutJA = cut.message(in: .ja)
        #expect(cutJA.hasPrefix("cut.json は \(line) 行 \(column) 列（elements[1] の中）で正しい JSON ではなくなっています"), "\(cutJA)")
        #expect(cutJA.contains("何も取り込んでいません") && Self.englishProse(cutJA) == nil, "\(cutJA)")
        // A NUL in a control's statement: the control and the field named in Japanese.
        let nul = try #require(refusal(#"{"catalog": {"uuid": "u", \#(meta), "controls": [{"id": "ex-1", "title": "One", "parts": [{"id": "ex-1_smt", "name": "statement", "prose": "a\u0000b"}]}]}}"#,
                                       id: "acme"))
        #expect(nul.message(in: .ja) == "in.json の管理策 'ex-1' の要件文に\(ImportText.problemJA)。", "\(nul.message(in: .ja))")
        // A custom id that breaks the id rule: the id kept, the rule said in Japanese.
        let badID = try #require(refusal(#"{"catalog": {"uuid": "u", \#(meta), "controls": [{"id": "a", "title": "A"}]}}"#, id: "Acme/Controls"))
        #expect(badID.message(in: .ja).hasPrefix("'Acme/Controls' はカタログ ID として使えません（'/' は使えません）"), "\(badID.message(in: .ja))")
        // Another OSCAL model.
        let ssp = try #require(refusal(#"{"system-security-plan": {}}"#))
        #expect(ssp.message(in: .ja).contains("システムセキュリティ計画"), "\(ssp.message(in: .ja))")
    }

    @Test("Issue 17 item 6: the places and id rules the messages name, in Japanese (ImportText.japanesePlace, the id rule's problems)")
    func placesAndRules() {
        #expect(ImportText.japanesePlace("catalog title") == "カタログのタイトル")
        #expect(ImportText.japanesePlace("group 'ac' abbreviation") == "グループ 'ac' の略称")
        #expect(ImportText.japanesePlace("control 'ac-2' English title") == "管理策 'ac-2' の英語のタイトル")
        #expect(ImportText.japanesePlace("control 'ac-2' objective ac-2_obj.a") == "管理策 'ac-2' の評価目標 ac-2_obj.a の文")
        #expect(ImportText.japanesePlace("control 'ac-2' parameter ac-02_odp.01 usage") == "管理策 'ac-2' のパラメータ ac-02_odp.01 の用途")
        for raw in ["", String(repeating: "a", count: 70), "-x", "a b", "Acme"] {
            let error = CatalogImportError.invalidCatalogID(Self.idRefusal(raw))
            let ja = error.message(in: .ja)
            #expect(Self.isJapanese(ja) && Self.englishProse(ja) == nil, "\(raw): \(ja)")
        }
        #expect(CatalogImportError.invalidCatalogID(Self.idRefusal("Acme"))
            .message(in: .ja).contains("（acme）"))
    }
}
