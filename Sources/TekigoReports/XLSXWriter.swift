import Foundation
import TekigoCore
import ZIPFoundation

/// A minimal Office Open XML (ECMA-376, "SpreadsheetML") workbook writer.
///
/// Hand-written because no Swift .xlsx writer is in our package set, and what we need is small: a .xlsx is a ZIP
/// of a few XML parts, and we only write text, numbers and dates, a bold header row that stays in view, an
/// autofilter and sensible column widths. ZIPFoundation (already a dependency) does the ZIP; this file writes the
/// parts:
///
///     [Content_Types].xml            content type of every part
///     _rels/.rels                    package → workbook
///     xl/workbook.xml                sheet list (+ the autofilter ranges as _xlnm._FilterDatabase names)
///     xl/_rels/workbook.xml.rels     workbook → sheets and styles
///     xl/styles.xml                  0 default, 1 bold header, 2 date (yyyy-mm-dd)
///     xl/worksheets/sheetN.xml       frozen first row, inline strings, autofilter
///
/// Strings are inline (`t="inlineStr"`), so there is no sharedStrings part to keep in step. Inline strings are
/// never evaluated as formulas, so unlike CSV no formula-injection guard is needed here. The output is
/// deterministic: same sheets, same bytes (entries carry a fixed modification date).
public enum XLSXExport {
    public enum Failure: Error, CustomStringConvertible {
        case noSheets
        case zip(String)

        public var description: String {
            switch self {
            case .noSheets: return "an .xlsx workbook needs at least one sheet"
            case .zip(let why): return "could not write the .xlsx archive: \(why)"
            }
        }
    }

    public static func data(_ sheets: [Sheet]) throws -> Data {
        guard !sheets.isEmpty else { throw Failure.noSheets }
        let names = sheetNames(sheets.map(\.name))
        var parts: [(path: String, xml: String)] = [
            ("[Content_Types].xml", contentTypes(sheetCount: sheets.count)),
            ("_rels/.rels", rootRels),
            ("xl/workbook.xml", workbook(names: names, sheets: sheets)),
            ("xl/_rels/workbook.xml.rels", workbookRels(sheetCount: sheets.count)),
            ("xl/styles.xml", styles),
        ]
        for (i, sheet) in sheets.enumerated() {
            parts.append(("xl/worksheets/sheet\(i + 1).xml", worksheet(sheet)))
        }
        do { return try ZipBundle.data(parts.map { ($0.path, Data($0.xml.utf8)) }) } catch { throw Failure.zip("\(error)") }
    }

    // MARK: Sheet names

    /// Excel's rules: 1–31 characters, none of `[ ] : * ? / \`, not starting or ending with an apostrophe,
    /// unique regardless of case, and not "History" (reserved).
    static func sheetNames(_ wanted: [String]) -> [String] {
        var used: Set<String> = []
        var result: [String] = []
        for (i, raw) in wanted.enumerated() {
            var name = String(String.UnicodeScalarView(xmlLegal(raw).unicodeScalars.map {
                "[]:*?/\\".unicodeScalars.contains($0) || $0.properties.generalCategory == .control ? "_" : $0
            }))
            name = name.trimmingCharacters(in: CharacterSet(charactersIn: "'").union(.whitespaces))
            if name.isEmpty || name.lowercased() == "history" { name = "Sheet\(i + 1)" }
            name = truncated(name, utf16: 31)
            var candidate = name
            var n = 2
            while used.contains(candidate.lowercased()) {
                let suffix = " (\(n))"
                candidate = truncated(name, utf16: 31 - suffix.utf16.count) + suffix
                n += 1
            }
            used.insert(candidate.lowercased())
            result.append(candidate)
        }
        return result
    }

    /// The longest prefix of whole characters that fits in `limit` UTF-16 units (Excel counts those).
    static func truncated(_ s: String, utf16 limit: Int) -> String {
        var out = ""
        var count = 0
        for ch in s {
            let n = ch.utf16.count
            if count + n > limit { break }
            out.append(ch)
            count += n
        }
        return out
    }

    // MARK: XML text

    /// Removes what XML 1.0 forbids (§2.2: controls other than TAB, LF, CR; U+FFFE, U+FFFF). Swift strings cannot
    /// hold lone surrogates, so those need no check.
    static func xmlLegal(_ s: String) -> String {
        guard s.unicodeScalars.contains(where: { !isXMLChar($0) }) else { return s }
        return String(String.UnicodeScalarView(s.unicodeScalars.filter(isXMLChar)))
    }

    static func isXMLChar(_ c: Unicode.Scalar) -> Bool {
        switch c.value {
        case 0x9, 0xA, 0xD: return true
        case 0x20...0xD7FF, 0xE000...0xFFFD, 0x10000...0x10FFFF: return true
        default: return false
        }
    }

    /// Escaped for element content and attribute values alike. CR is written as a character reference, or an XML
    /// parser would fold CRLF into LF.
    static func escape(_ s: String) -> String {
        var out = ""
        out.unicodeScalars.reserveCapacity(s.unicodeScalars.count)
        for c in xmlLegal(s).unicodeScalars {
            switch c {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&apos;"
            case "\r": out += "&#13;"
            default: out.unicodeScalars.append(c)
            }
        }
        return out
    }

    /// Cell text. Excel reads `_xHHHH_` in strings as an escaped character (ECMA-376 Part 1, 22.9.2.19 ST_Xstring),
    /// so a literal one has its underscore escaped as `_x005F_`. Excel caps a cell at 32,767 characters.
    static func cellText(_ s: String) -> String {
        var text = truncated(xmlLegal(s), utf16: 32_767)
        if text.contains("_x") {
            text = text.replacingOccurrences(of: #"_(x[0-9A-Fa-f]{4}_)"#, with: "_x005F_$1", options: .regularExpression)
        }
        return escape(text)
    }

    // MARK: Cells

    /// `A`, `B`, … `Z`, `AA`, … for a zero-based column index.
    static func columnName(_ index: Int) -> String {
        var n = index + 1
        var name = ""
        while n > 0 {
            let r = (n - 1) % 26
            name = String(UnicodeScalar(UInt8(65 + r))) + name
            n = (n - 1) / 26
        }
        return name
    }

    /// 1899-12-30T00:00:00Z: Excel's day 0 (25,569 days before the Unix epoch).
    private static let excelEpoch = Date(timeIntervalSince1970: -25_569 * 86_400)

    /// Days since 1899-12-30: Excel's 1900 date system (serial 61 = 1900-03-01, past its phantom 1900-02-29).
    static func serial(_ day: Day) -> Int {
        Int((day.date.timeIntervalSince(excelEpoch) / 86_400).rounded())
    }

    static func number(_ n: Double) -> String {
        if n == n.rounded(), abs(n) < 1e15 { return String(Int64(n)) }
        return String(n)
    }

    /// One `<c>` element, or nothing for an empty text cell.
    static func cell(_ c: Cell, ref: String, header: Bool = false) -> String {
        let style = header ? #" s="1""# : ""
        switch c {
        case .text(let s):
            if s.isEmpty { return "" }
            let space = s.first?.isWhitespace == true || s.last?.isWhitespace == true || s.contains("\n")
                ? #" xml:space="preserve""# : ""
            return #"<c r="\#(ref)"\#(style) t="inlineStr"><is><t\#(space)>\#(cellText(s))</t></is></c>"#
        case .number(let n):
            guard n.isFinite else { return cell(.text(String(n)), ref: ref, header: header) }
            return #"<c r="\#(ref)"\#(style)><v>\#(number(n))</v></c>"#
        case .date(let d):
            return #"<c r="\#(ref)" s="2"><v>\#(serial(d))</v></c>"#
        }
    }

    // MARK: Parts

    static let xmlHeader = #"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>"# + "\n"
    static let mainNS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    static let relNS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    static let pkgRelNS = "http://schemas.openxmlformats.org/package/2006/relationships"

    static func contentTypes(sheetCount: Int) -> String {
        var s = xmlHeader + #"<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">"#
        s += #"<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>"#
        s += #"<Default Extension="xml" ContentType="application/xml"/>"#
        s += #"<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>"#
        s += #"<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>"#
        for i in 1...sheetCount {
            s += #"<Override PartName="/xl/worksheets/sheet\#(i).xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>"#
        }
        return s + "</Types>"
    }

    static let rootRels = xmlHeader + #"<Relationships xmlns="\#(pkgRelNS)">"#
        + #"<Relationship Id="rId1" Type="\#(relNS)/officeDocument" Target="xl/workbook.xml"/>"#
        + "</Relationships>"

    static func workbook(names: [String], sheets: [Sheet]) -> String {
        var s = xmlHeader + #"<workbook xmlns="\#(mainNS)" xmlns:r="\#(relNS)"><bookViews><workbookView/></bookViews><sheets>"#
        for (i, name) in names.enumerated() {
            s += #"<sheet name="\#(escape(name))" sheetId="\#(i + 1)" r:id="rId\#(i + 1)"/>"#
        }
        s += "</sheets><definedNames>"
        // Excel records each sheet's autofilter range under this hidden name; without it, it still opens the file
        // but drops the filter on some versions.
        for (i, name) in names.enumerated() {
            let quoted = "'" + name.replacingOccurrences(of: "'", with: "''") + "'"
            s += #"<definedName name="_xlnm._FilterDatabase" localSheetId="\#(i)" hidden="1">"#
                + escape("\(quoted)!\(absoluteRange(sheets[i]))") + "</definedName>"
        }
        return s + "</definedNames></workbook>"
    }

    static func workbookRels(sheetCount: Int) -> String {
        var s = xmlHeader + #"<Relationships xmlns="\#(pkgRelNS)">"#
        for i in 1...sheetCount {
            s += #"<Relationship Id="rId\#(i)" Type="\#(relNS)/worksheet" Target="worksheets/sheet\#(i).xml"/>"#
        }
        s += #"<Relationship Id="rId\#(sheetCount + 1)" Type="\#(relNS)/styles" Target="styles.xml"/>"#
        return s + "</Relationships>"
    }

    /// Style 0: default; 1: bold (header row); 2: date shown as yyyy-mm-dd (custom format 164; the built-in 14 is
    /// locale-dependent, m/d/yyyy in en-US).
    static let styles = xmlHeader + #"<styleSheet xmlns="\#(mainNS)">"#
        + #"<numFmts count="1"><numFmt numFmtId="164" formatCode="yyyy\-mm\-dd"/></numFmts>"#
        + #"<fonts count="2"><font><sz val="11"/><name val="Calibri"/><family val="2"/></font>"#
        + #"<font><b/><sz val="11"/><name val="Calibri"/><family val="2"/></font></fonts>"#
        + #"<fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills>"#
        + #"<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>"#
        + #"<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>"#
        + #"<cellXfs count="3"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>"#
        + #"<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/>"#
        + #"<xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/></cellXfs>"#
        + #"<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>"#
        + "</styleSheet>"

    static func columnCount(_ sheet: Sheet) -> Int { max(1, sheet.columns.count, sheet.rows.map(\.count).max() ?? 0) }

    /// `A1:M3` (header plus data rows).
    static func range(_ sheet: Sheet) -> String { "A1:\(columnName(columnCount(sheet) - 1))\(sheet.rows.count + 1)" }

    static func absoluteRange(_ sheet: Sheet) -> String {
        "$A$1:$\(columnName(columnCount(sheet) - 1))$\(sheet.rows.count + 1)"
    }

    /// A width in characters for each column: the longest line in it, East Asian wide characters counting two,
    /// between 8 and 60.
    static func widths(_ sheet: Sheet) -> [Int] {
        (0..<columnCount(sheet)).map { i in
            var longest = i < sheet.columns.count ? displayWidth(sheet.columns[i]) + 2 : 0
            for row in sheet.rows where i < row.count {
                let text: String
                switch row[i] {
                case .date: text = "0000-00-00"
                default: text = row[i].plainText
                }
                for line in text.split(whereSeparator: \.isNewline) { longest = max(longest, displayWidth(line)) }
                if longest >= 60 { break }
            }
            return min(60, max(8, longest + 1))
        }
    }

    static func displayWidth<S: StringProtocol>(_ s: S) -> Int {
        s.unicodeScalars.reduce(0) { w, c in
            let v = c.value
            let wide = (0x1100...0x115F).contains(v) || (0x2E80...0xA4CF).contains(v) || (0xAC00...0xD7A3).contains(v)
                || (0xF900...0xFAFF).contains(v) || (0xFE30...0xFE4F).contains(v) || (0xFF00...0xFF60).contains(v)
                || (0xFFE0...0xFFE6).contains(v) || (0x20000...0x3FFFD).contains(v)
            return w + (wide ? 2 : 1)
        }
    }

    static func worksheet(_ sheet: Sheet) -> String {
        var s = xmlHeader + #"<worksheet xmlns="\#(mainNS)" xmlns:r="\#(relNS)">"#
        s += #"<dimension ref="\#(range(sheet))"/>"#
        // Frozen first row: the header stays in view while scrolling.
        s += #"<sheetViews><sheetView workbookViewId="0"><pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/>"#
        s += #"<selection pane="bottomLeft" activeCell="A2" sqref="A2"/></sheetView></sheetViews>"#
        s += #"<sheetFormatPr defaultRowHeight="15"/><cols>"#
        for (i, w) in widths(sheet).enumerated() {
            let hidden = sheet.hiddenColumns.contains(i) ? #" hidden="1""# : ""
            s += #"<col min="\#(i + 1)" max="\#(i + 1)" width="\#(w)"\#(hidden) customWidth="1"/>"#
        }
        s += "</cols><sheetData>"
        s += #"<row r="1">"#
        for (i, title) in sheet.columns.enumerated() {
            s += cell(.text(title), ref: "\(columnName(i))1", header: true)
        }
        s += "</row>"
        for (r, row) in sheet.rows.enumerated() {
            let n = r + 2
            s += #"<row r="\#(n)">"#
            for (i, c) in row.enumerated() { s += cell(c, ref: "\(columnName(i))\(n)") }
            s += "</row>"
        }
        s += "</sheetData>"
        s += #"<autoFilter ref="\#(range(sheet))"/>"#
        s += dataValidations(sheet)
        return s + "</worksheet>"
    }

    /// A drop-down list on each column of `sheet.choices` over the data rows (ECMA-376 18.3.1.32; after the
    /// autofilter in the worksheet's element order). The list is written inline (`"a,b"`), so a choice holds no
    /// comma, and the whole list stays within Excel's 255 characters.
    static func dataValidations(_ sheet: Sheet) -> String {
        let lists = sheet.choices.sorted { $0.key < $1.key }.filter { !$0.value.isEmpty }
        guard !lists.isEmpty, !sheet.rows.isEmpty else { return "" }
        var s = #"<dataValidations count="\#(lists.count)">"#
        for (column, values) in lists {
            let col = columnName(column)
            let formula = "\"" + values.map { $0.replacingOccurrences(of: ",", with: " ").replacingOccurrences(of: "\"", with: "\"\"") }
                .joined(separator: ",") + "\""
            s += #"<dataValidation type="list" allowBlank="1" showErrorMessage="1" sqref="\#(col)2:\#(col)\#(sheet.rows.count + 1)">"#
                + "<formula1>\(escape(formula))</formula1></dataValidation>"
        }
        return s + "</dataValidations>"
    }
}
