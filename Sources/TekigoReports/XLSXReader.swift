import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import ZIPFoundation

/// Reads the cells of an .xlsx workbook's first sheet (ECMA-376 SpreadsheetML), with each cell's reference.
///
/// Hand-written, like `XLSXExport`, because none of the packages available offline reads .xlsx, and what an import
/// needs is small: find the first sheet through the package's relationships, read the shared strings (Excel and
/// openpyxl write every text cell there), inline strings (what `XLSXExport` writes), numbers, booleans and the
/// cached values of formulas. ZIPFoundation opens the archive and Foundation's `XMLParser` reads the parts.
/// Styles are not read: a date comes back as its serial number.
public enum XLSXReader {
    /// One cell's value as stored.
    public enum Value: Sendable, Hashable {
        case text(String)
        case number(Double)
        case bool(Bool)
        /// An error value such as `#N/A`.
        case error(String)

        /// The value as text: integers without a fraction.
        public var text: String {
            switch self {
            case .text(let s), .error(let s): return s
            case .bool(let b): return b ? "TRUE" : "FALSE"
            case .number(let n): return Cell.number(n).plainText
            }
        }
    }

    /// One row of the sheet: its number as Excel shows it (1-based) and its non-empty cells by zero-based column.
    public struct Row: Sendable, Hashable {
        public let number: Int
        public let cells: [Int: Value]

        public subscript(column: Int) -> Value? { cells[column] }

        /// `D14` for column 3 of this row.
        public func reference(_ column: Int) -> String { XLSXExport.columnName(column) + String(number) }
    }

    public struct Worksheet: Sendable {
        public let name: String
        /// Rows in sheet order; rows with no cells are left out.
        public let rows: [Row]
    }

    public enum Failure: Error, Equatable, CustomStringConvertible {
        case notAWorkbook(String)
        case missingPart(String)
        case badXML(part: String, reason: String)
        case tooLarge(part: String, limit: Int)

        public var description: String {
            switch self {
            case .notAWorkbook(let why): return "the file is not an .xlsx workbook (\(why)); save it from Excel as .xlsx"
            case .missingPart(let part): return "the workbook has no \(part); save it again from Excel as .xlsx"
            case .badXML(let part, let reason): return "the workbook's \(part) is not well-formed XML (\(reason)); save it again from Excel as .xlsx"
            case .tooLarge(let part, let limit): return "the workbook's \(part) is larger than \(limit / 1_000_000) MB once unpacked"
            }
        }
    }

    /// The most one part may unpack to: a workbook of every objective is far below it, a ZIP bomb is not.
    static let partLimit = 64_000_000

    /// The first sheet of the workbook in `data` (the sheet Excel shows first).
    public static func firstSheet(_ data: Data) throws(Failure) -> Worksheet {
        let archive: Archive
        do { archive = try Archive(data: data, accessMode: .read) } catch { throw .notAWorkbook("not a ZIP archive") }
        let rootRels = try relationships(archive, "_rels/.rels")
        guard let workbookPath = rootRels.first(where: { $0.type.hasSuffix("/officeDocument") }).map({ resolve($0.target, from: "") })
        else { throw .missingPart("workbook (no officeDocument relationship)") }
        let base = workbookPath.split(separator: "/").dropLast().joined(separator: "/")
        let workbookRels = try relationships(archive, relsPath(of: workbookPath))
        let book = WorkbookParser()
        try parse(archive, workbookPath, book)
        guard let first = book.sheets.first else { throw .missingPart("sheet") }
        guard let sheetRel = workbookRels.first(where: { $0.id == first.relationship }) else {
            throw .missingPart("relationship \(first.relationship) for sheet \(first.name)")
        }
        var shared: [String] = []
        if let sst = workbookRels.first(where: { $0.type.hasSuffix("/sharedStrings") }) {
            let p = SharedStringsParser()
            try parse(archive, resolve(sst.target, from: base), p)
            shared = p.strings
        }
        let sheetParser = SheetParser(shared: shared)
        try parse(archive, resolve(sheetRel.target, from: base), sheetParser)
        if let problem = sheetParser.problem { throw .badXML(part: resolve(sheetRel.target, from: base), reason: problem) }
        return Worksheet(name: first.name, rows: sheetParser.rows.filter { !$0.cells.isEmpty })
    }

    /// Column index of `D14` (3), or nil.
    static func column(ofReference ref: String) -> Int? {
        var n = 0
        var letters = 0
        for u in ref.unicodeScalars {
            guard (65...90).contains(u.value) || (97...122).contains(u.value) else { break }
            n = n * 26 + Int((u.value & ~0x20) - 64)
            letters += 1
        }
        return letters == 0 || letters > 3 ? nil : n - 1
    }

    /// Row number of `D14` (14), or nil.
    static func row(ofReference ref: String) -> Int? {
        Int(String(ref.unicodeScalars.drop { (65...90).contains($0.value) || (97...122).contains($0.value) }))
    }

    /// ECMA-376 ST_Xstring: `_xHHHH_` stands for the character U+HHHH (`_x005F_` for a literal underscore).
    static func unescape(_ s: String) -> String {
        guard s.contains("_x") else { return s }
        var out = ""
        var scalars = Array(s.unicodeScalars)[...]
        while let c = scalars.first {
            if c == "_", scalars.count >= 7 {
                let candidate = scalars.prefix(7)
                let hex = String(String.UnicodeScalarView(candidate.dropFirst(2).prefix(4)))
                if candidate[candidate.startIndex + 1] == "x", candidate.last == "_", let v = UInt32(hex, radix: 16),
                   hex.count == 4, let u = Unicode.Scalar(v) {
                    out.unicodeScalars.append(u)
                    scalars = scalars.dropFirst(7)
                    continue
                }
            }
            out.unicodeScalars.append(c)
            scalars = scalars.dropFirst()
        }
        return out
    }

    // MARK: parts

    struct Relationship {
        let id: String
        let type: String
        let target: String
    }

    static func relsPath(of part: String) -> String {
        var components = part.split(separator: "/").map(String.init)
        let name = components.removeLast()
        return (components + ["_rels", name + ".rels"]).joined(separator: "/")
    }

    /// A relationship's target as a path in the archive: absolute (`/xl/…`) or relative to the source's folder.
    static func resolve(_ target: String, from base: String) -> String {
        if target.hasPrefix("/") { return String(target.dropFirst()) }
        var parts = base.split(separator: "/").map(String.init)
        for component in target.split(separator: "/") {
            if component == ".." { if !parts.isEmpty { parts.removeLast() } } else if component != "." { parts.append(String(component)) }
        }
        return parts.joined(separator: "/")
    }

    static func relationships(_ archive: Archive, _ path: String) throws(Failure) -> [Relationship] {
        let p = RelationshipsParser()
        try parse(archive, path, p)
        return p.relationships
    }

    static func bytes(_ archive: Archive, _ path: String) throws(Failure) -> Data {
        guard let entry = archive[path] else { throw .missingPart(path) }
        guard entry.uncompressedSize <= UInt64(partLimit) else { throw .tooLarge(part: path, limit: partLimit) }
        var data = Data()
        do {
            _ = try archive.extract(entry) { chunk in
                data.append(chunk)
                if data.count > partLimit { throw Failure.tooLarge(part: path, limit: partLimit) }
            }
        } catch let f as Failure {
            throw f
        } catch {
            throw .notAWorkbook("\(path) cannot be unpacked: \(error)")
        }
        return data
    }

    static func parse(_ archive: Archive, _ path: String, _ delegate: some XMLParserDelegate) throws(Failure) {
        let parser = XMLParser(data: try bytes(archive, path))
        parser.shouldProcessNamespaces = true
        parser.shouldResolveExternalEntities = false
        parser.delegate = delegate
        guard parser.parse() else {
            throw .badXML(part: path, reason: parser.parserError.map { "\($0.localizedDescription)" } ?? "unknown error")
        }
    }
}

// MARK: XML readers (each reads one kind of part; local names, so any namespace prefix works)

private final class RelationshipsParser: NSObject, XMLParserDelegate {
    var relationships: [XLSXReader.Relationship] = []

    func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?,
                attributes: [String: String] = [:]) {
        guard name == "Relationship", let id = attributes["Id"], let target = attributes["Target"] else { return }
        relationships.append(.init(id: id, type: attributes["Type"] ?? "", target: target))
    }
}

private final class WorkbookParser: NSObject, XMLParserDelegate {
    var sheets: [(name: String, relationship: String)] = []

    func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?,
                attributes: [String: String] = [:]) {
        guard name == "sheet" else { return }
        // The r:id attribute: with namespaces processed, Foundation keys it by its qualified name.
        let rel = attributes.first { $0.key == "r:id" || $0.key.hasSuffix(":id") || $0.key == "id" }?.value
        if let rel { sheets.append((attributes["name"] ?? "", rel)) }
    }
}

/// `<si>` items: plain `<t>`, or rich text runs `<r><t>`; phonetic guides (`<rPh>`, Japanese Excel's furigana) are not
/// part of the value.
private final class SharedStringsParser: NSObject, XMLParserDelegate {
    var strings: [String] = []
    private var current: String?
    private var inText = false
    private var phonetic = 0

    func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?,
                attributes: [String: String] = [:]) {
        switch name {
        case "si": current = ""
        case "rPh": phonetic += 1
        case "t": inText = phonetic == 0
        default: break
        }
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) {
        if inText { current? += string }
    }

    func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
        switch name {
        case "si":
            strings.append(XLSXReader.unescape(current ?? ""))
            current = nil
        case "rPh": phonetic -= 1
        case "t": inText = false
        default: break
        }
    }
}

private final class SheetParser: NSObject, XMLParserDelegate {
    let shared: [String]
    var rows: [XLSXReader.Row] = []
    var problem: String?

    private var rowNumber = 0
    private var cells: [Int: XLSXReader.Value] = [:]
    private var inRow = false
    private var column = -1
    private var type = "n"
    private var value = ""
    private var inline = ""
    private var collecting: Collect = .none
    private var phonetic = 0

    private enum Collect { case none, value, inlineText }

    init(shared: [String]) { self.shared = shared }

    func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?,
                attributes: [String: String] = [:]) {
        switch name {
        case "row":
            rowNumber = attributes["r"].flatMap(Int.init) ?? rowNumber + 1
            cells = [:]
            column = -1
            inRow = true
        case "c" where inRow:
            column = attributes["r"].flatMap(XLSXReader.column(ofReference:)) ?? column + 1
            type = attributes["t"] ?? "n"
            value = ""
            inline = ""
        case "v": collecting = .value
        case "rPh": phonetic += 1
        case "t" where phonetic == 0: collecting = .inlineText
        default: break
        }
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) {
        switch collecting {
        case .value: value += string
        case .inlineText: inline += string
        case .none: break
        }
    }

    func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
        switch name {
        case "v", "t": collecting = .none
        case "rPh": phonetic -= 1
        case "c" where inRow:
            if let v = cellValue() { cells[column] = v }
        case "row":
            rows.append(XLSXReader.Row(number: rowNumber, cells: cells))
            inRow = false
        default: break
        }
    }

    private func cellValue() -> XLSXReader.Value? {
        switch type {
        case "s":
            guard let i = Int(value.trimmingCharacters(in: .whitespaces)), shared.indices.contains(i) else {
                if !value.isEmpty, problem == nil { problem = "a shared string index \(value) that does not exist" }
                return nil
            }
            return shared[i].isEmpty ? nil : .text(shared[i])
        case "inlineStr":
            let s = XLSXReader.unescape(inline)
            return s.isEmpty ? nil : .text(s)
        case "str":
            let s = XLSXReader.unescape(value)
            return s.isEmpty ? nil : .text(s)
        case "b": return value.isEmpty ? nil : .bool(value == "1" || value.lowercased() == "true")
        case "e": return .error(value)
        default:
            let trimmed = value.trimmingCharacters(in: .whitespaces)
            if trimmed.isEmpty { return nil }
            guard let n = Double(trimmed) else { return .text(trimmed) }
            return .number(n)
        }
    }
}
