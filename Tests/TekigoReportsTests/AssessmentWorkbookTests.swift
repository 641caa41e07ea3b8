import Foundation
import Testing
import TekigoCore
import TekigoTestSupport
import ZIPFoundation
@testable import TekigoReports

/// Issue 17 item 4: an assessment as an .xlsx workbook, exported, edited as a person would in Excel (openpyxl is the
/// real counterpart) and planned back.
@Suite("Assessment workbook (issue 17 item 4)")
struct AssessmentWorkbookTests {
    static func source(_ a: Assessment, key: String = "asm-1", versions: [String: String] = [:]) throws -> AssessmentWorkbook.Source {
        let catalog = try BuiltInLibrary.shared.catalog(a.catalog)
        var v: [String: String] = [:]
        for o in catalog.objectiveIDs { v[o] = versions[o] ?? (a.findings[o] == nil ? "0" : "1") }
        return AssessmentWorkbook.Source(assessmentKey: key, catalog: catalog, findings: a.findings, versions: v, poam: a.poam)
    }

    static let links = AssessmentWorkbook.NewEvidence.webLinks { $0.hasPrefix("https://") }
    static let today = Day("2026-12-01")!

    /// The row of `objective` in the exported sheet (1-based, the header is row 1).
    static func row(of objective: String, in sheet: Sheet) throws -> Int {
        try #require(sheet.rows.firstIndex { $0.first == .text(objective) }) + 2
    }

    @Test("Issue 17 item 4: one row per rev2 objective (320), header in the chosen language, status list, hidden key columns; read back it plans nothing")
    func exportAndReadBack() throws {
        let a = try SampleAssessment.make()
        let source = try Self.source(a)
        for lang in Language.allCases {
            let data = try AssessmentWorkbook.data(source, language: lang)
            let read = try XLSXReader.firstSheet(data)
            #expect(read.rows.count == 321)
            #expect(read.rows[0][0] == .text(lang == .ja ? "評価目標" : "Objective"))
            let row = try #require(read.rows.first { $0[0] == .text("3.1.8[b]") })
            #expect(row[3] == .text(FindingStatus.notMet.label[lang]))
            #expect(row[4] == .text("Lockout is not enforced on the CNC workstations."))
            #expect(row[6] == .text("IT lead"))
            #expect(row[8] == .number(1))
            #expect(row[9] == .text("asm-1"))
            let plan = try AssessmentWorkbook.plan(data, against: source, newEvidence: Self.links, today: Self.today)
            #expect(plan.rows == 320)
            #expect(plan.changes.isEmpty)
        }
        let parts = try unzipParts(try AssessmentWorkbook.data(source, language: .ja))
        let ws = try #require(parts["xl/worksheets/sheet1.xml"])
        #expect(ws.contains(#"<dataValidation type="list" allowBlank="1" showErrorMessage="1" sqref="D2:D321"><formula1>&quot;適合,不適合,該当なし,未評価&quot;</formula1>"#))
        #expect(ws.contains(#"<col min="10" max="10" width="#) && ws.contains(#"hidden="1" customWidth="1"/><col min="11""#))
    }

    @Test("Issue 17 items 1 and 4: column L carries our guidance — the objective's sentence (rev2) or the requirement's summary (rev3) — and a workbook without it still imports")
    func guidanceColumn() throws {
        let a = try SampleAssessment.make()
        let source = try Self.source(a)
        let guidance = try GuidanceLibrary.builtIn
        let entry = try #require(source.catalog["3.1.8"])
        for lang in Language.allCases {
            let read = try XLSXReader.firstSheet(try AssessmentWorkbook.data(source, language: lang))
            #expect(read.rows[0][11] == .text(lang == .ja ? "ガイダンス（取り込まない）" : "Guidance (not imported)"))
            let row = try #require(read.rows.first { $0[0] == .text("3.1.8[b]") })
            let sentence = try #require(guidance.objective("3.1.8[b]", of: entry))
            #expect(row[11] == .text(sentence[lang]))
        }
        // Rev3 has no objective sentences: the requirement's first sentence stands for every row.
        let r3 = try BuiltInLibrary.shared.catalog(.sp800171r3)
        let r3Source = AssessmentWorkbook.Source(assessmentKey: "asm-3", catalog: r3, findings: [:], versions: [:], poam: [])
        let r3Sheet = AssessmentWorkbook.sheet(r3Source, language: .ja)
        let first = try #require(r3.entries.first)
        let r3Row = try #require(r3Sheet.rows.first { $0[1] == .text(first.id) })
        #expect(r3Row[11] == .text(try #require(guidance.guidance(for: first)).summary(.ja)))
        // A workbook exported before column L existed (header and cells cut at K) still plans without problems.
        var old = AssessmentWorkbook.sheet(source, language: .en)
        old = Sheet(name: old.name, columns: Array(old.columns.prefix(11)), rows: old.rows.map { Array($0.prefix(11)) })
        let plan = try AssessmentWorkbook.plan(try XLSXExport.data([old]), against: source, newEvidence: Self.links, today: Self.today)
        #expect(plan.rows == 320 && plan.changes.isEmpty)
    }

    @Test("Issue 17 item 4: shared strings with rich text and furigana, inline strings, _xHHHH_ escapes and cells without r are read")
    func readerForms() throws {
        let sheet = Sheet(name: "s", columns: ["h"], rows: [[.text("a _x0041_ b")], [.number(2.5)]])
        let read = try XLSXReader.firstSheet(try XLSXExport.data([sheet]))
        #expect(read.rows.map { $0[0] } == [.text("h"), .text("a _x0041_ b"), .number(2.5)])
        #expect(XLSXReader.unescape("x_x000D_y_x005F_x0041_") == "x\ry_x0041_")
        #expect(XLSXReader.column(ofReference: "AA7") == 26)
        #expect(throws: XLSXReader.Failure.notAWorkbook("not a ZIP archive")) { try XLSXReader.firstSheet(Data("not a zip".utf8)) }
    }

    @Test("Issue 17 item 4: statuses edited in openpyxl are planned, one bad status plans nothing and names D<row>, a stale version is a conflict",
          .enabled(if: TestEnvironment.runValidatorTests, "needs .venv-validators with openpyxl (scripts/validators.sh)"))
    func openpyxlEdits() throws {
        let a = try SampleAssessment.make(complete: false)
        let source = try Self.source(a)
        let sheet = AssessmentWorkbook.sheet(source, language: .ja)
        let data = try AssessmentWorkbook.data(source, language: .ja)
        let r1 = try Self.row(of: "3.1.1[a]", in: sheet), r2 = try Self.row(of: "3.14.7[b]", in: sheet)
        let r3 = try Self.row(of: "3.1.8[b]", in: sheet)

        // A person's edits: a status from the list, a rationale and a link; an English status typed by hand.
        let edited = try openpyxl(data, ["D\(r1)": "不適合", "E\(r1)": "アカウント棚卸しが未実施", "F\(r1)": "evidence/policy.pdf\nhttps://wiki.example.jp/accounts",
                                         "D\(r2)": "met"])
        let plan = try AssessmentWorkbook.plan(edited, against: source, newEvidence: Self.links, today: Self.today)
        #expect(plan.changes.map(\.objective) == ["3.1.1[a]", "3.14.7[b]"])
        let first = plan.changes[0]
        #expect(first.finding.status == .notMet && first.finding.rationale == "アカウント棚卸しが未実施")
        // The kept reference keeps its digest; the new link is dated today.
        #expect(first.finding.evidence == [a.findings["3.1.1[a]"]!.evidence[0], EvidenceRef(location: "https://wiki.example.jp/accounts", date: Self.today)])
        #expect(plan.changes[1].ifVersion == "0" && plan.changes[1].finding.status == .met)

        // One bad status and one new file path: nothing planned, each named by its cell.
        let bad = try openpyxl(data, ["D\(r1)": "不適合", "D\(r3)": "mett", "F\(r2)": "C:\\scans\\x.pdf"])
        let rejected = try #require(throws: AssessmentWorkbook.Rejected.self) {
            try AssessmentWorkbook.plan(bad, against: source, newEvidence: Self.links, today: Self.today)
        }
        #expect(rejected.problems.map(\.cell) == ["F\(r2)", "D\(r3)"].sorted { Int($0.dropFirst())! < Int($1.dropFirst())! })
        #expect(rejected.text(.en).contains("D\(r3): 'mett' is not a status; use one of Met, Not met, Not applicable, Not assessed"))
        #expect(rejected.text(.ja).contains("D\(r3): 「mett」は状態ではありません"))

        // Someone answered 3.1.1[a] after the export: the edited row is a conflict, an unedited changed row is not.
        let later = try Self.source(a, versions: ["3.1.1[a]": "2", "3.1.2[a]": "5"])
        let conflict = try #require(throws: AssessmentWorkbook.Rejected.self) {
            try AssessmentWorkbook.plan(edited, against: later, newEvidence: Self.links, today: Self.today)
        }
        #expect(conflict.problems == [AssessmentWorkbook.Problem(.conflict, cell: "I\(r1)", conflict.problems[0].text)])
        #expect(conflict.problems[0].text.en.contains("version 2 now, 1 in the workbook"))

        // The same workbook against another assessment: every row is named on its hidden assessment cell.
        let other = try Self.source(a, key: "asm-2")
        let wrong = try #require(throws: AssessmentWorkbook.Rejected.self) {
            try AssessmentWorkbook.plan(data, against: other, newEvidence: Self.links, today: Self.today)
        }
        #expect(wrong.problems.count == 320 && wrong.problems.allSatisfy { $0.cell?.hasPrefix("J") == true })

        // A column moved in Excel: the header says where.
        let moved = try openpyxl(data, ["D1": "備考"])
        let header = try #require(throws: AssessmentWorkbook.Rejected.self) {
            try AssessmentWorkbook.plan(moved, against: source, newEvidence: Self.links, today: Self.today)
        }
        #expect(header.problems.map(\.cell) == ["D1"])
    }

    /// Opens `data` in openpyxl, sets `cells` and saves: what Excel does to a workbook a person edits.
    func openpyxl(_ data: Data, _ cells: [String: String]) throws -> Data { try WorkbookEdits.edit(data, cells: cells) }

    func unzipParts(_ data: Data) throws -> [String: String] {
        let archive = try Archive(data: data, accessMode: .read)
        var parts: [String: String] = [:]
        for entry in archive {
            var bytes = Data()
            _ = try archive.extract(entry) { bytes.append($0) }
            parts[entry.path] = String(decoding: bytes, as: UTF8.self)
        }
        return parts
    }
}
