import Foundation

/// Who carries an SP 800-53 control for a cloud service, as a provider's customer responsibility matrix says (issue 15
/// item 4). `inherited` is the worksheet's "inherited from a pre-existing authorization": the provider takes it from a
/// service underneath, so for the provider's customer it is the provider's side like `provider`.
public enum ControlResponsibility: String, Sendable, Hashable, Codable, CaseIterable {
    case provider
    case customer
    case shared
    case inherited

    /// The provider (or what it builds on) carries the control.
    public var providerSide: Bool { self == .provider || self == .inherited }

    public var label: LocalizedText {
        switch self {
        case .provider: return LocalizedText(en: "provider", ja: "事業者")
        case .customer: return LocalizedText(en: "customer", ja: "利用者")
        case .shared: return LocalizedText(en: "shared", ja: "共有")
        case .inherited: return LocalizedText(en: "inherited by the provider", ja: "事業者が継承")
        }
    }

    /// Two statements about the same control taken together: the same side stays, provider with inherited stays the
    /// provider's, anything with the customer's side on one and the provider's on the other (or shared) is shared.
    public func combined(with other: ControlResponsibility) -> ControlResponsibility {
        if self == other { return self }
        if providerSide && other.providerSide { return .provider }
        return .shared
    }

    /// Reads a cell of a matrix. Accepts the plain words (provider, customer, shared, inherited; CSP, agency), the
    /// FedRAMP worksheets' forms ("Service Provider Corporate", "Configured by Customer (Customer System Specific)",
    /// "Shared (Service Provider and Customer Responsibility)", "Inherited from pre-existing FedRAMP Authorization"),
    /// the CRM's "Can be inherited from CSP" answers (yes / partial / no) and the Japanese words. Nil when the cell says
    /// none of these.
    public init?(cell: String) {
        let v = cell.lowercased().trimmingCharacters(in: .whitespacesAndNewlines)
            .replacingOccurrences(of: "_", with: " ").replacingOccurrences(of: "-", with: " ")
        guard !v.isEmpty else { return nil }
        func starts(_ words: String...) -> Bool { words.contains { v.hasPrefix($0) } }
        if v == "y" || v == "yes" { self = .provider; return }
        if v == "n" || v == "no" { self = .customer; return }
        if starts("inherited", "inherit", "継承") { self = .inherited }
        else if starts("shared", "share", "partial", "both", "hybrid (provider and customer", "共有", "共同", "一部") { self = .shared }
        else if v.contains("shared") || v.contains("provider and customer") { self = .shared }
        else if starts("provider", "service provider", "csp", "cloud service provider", "事業者", "提供者", "クラウド事業者", "はい") {
            self = .provider
        }
        else if starts("customer", "configured by customer", "provided by customer", "agency", "consumer", "利用者", "顧客", "いいえ") {
            self = .customer
        }
        else { return nil }
    }
}

/// One statement of a matrix: a control (normalised: `AC-2`, `AC-2(1)`), who carries it, the provider's words, and
/// where it was read (a CSV row number or an OSCAL element).
public struct ResponsibilityEntry: Sendable, Hashable, Codable {
    public var control: String
    public var responsibility: ControlResponsibility
    public var text: String
    public var source: String

    public init(control: String, responsibility: ControlResponsibility, text: String, source: String) {
        self.control = control
        self.responsibility = responsibility
        self.text = text
        self.source = source
    }
}

/// Something in the file that was left out, naming the row or element.
public struct ResponsibilityWarning: Sendable, Hashable, Codable, CustomStringConvertible {
    public var location: String
    public var message: LocalizedText
    public var description: String { "\(location): \(message.en)" }

    public init(location: String, message: LocalizedText) {
        self.location = location
        self.message = message
    }
}

/// A leveraged authorization an OSCAL SSP names (`system-implementation.leveraged-authorizations`).
public struct LeveragedAuthorizationInfo: Sendable, Hashable, Codable {
    public var title: String
    public var dateAuthorized: String?
    public var partyUUID: String?

    public init(title: String, dateAuthorized: String? = nil, partyUUID: String? = nil) {
        self.title = title
        self.dateAuthorized = dateAuthorized
        self.partyUUID = partyUUID
    }
}

/// A provider's customer responsibility matrix as read: what it says per control (`entries`, one per control after
/// combining rows), what was left out (`warnings`), the shape it came in and, for a CSV, which column the
/// responsibility was read from.
public struct ResponsibilityMatrix: Sendable, Hashable, Codable {
    public enum Format: String, Sendable, Hashable, Codable {
        case crmCSV = "crm-csv"
        case oscalSSP = "oscal-ssp"
        case oscalComponentDefinition = "oscal-component-definition"
    }

    public var format: Format
    public var entries: [ResponsibilityEntry]
    public var warnings: [ResponsibilityWarning]
    /// The CSV header the responsibility was read from (nil for OSCAL).
    public var responsibilityColumn: String?
    public var leveragedAuthorizations: [LeveragedAuthorizationInfo]

    public init(format: Format, entries: [ResponsibilityEntry], warnings: [ResponsibilityWarning] = [],
                responsibilityColumn: String? = nil, leveragedAuthorizations: [LeveragedAuthorizationInfo] = []) {
        self.format = format
        self.entries = entries
        self.warnings = warnings
        self.responsibilityColumn = responsibilityColumn
        self.leveragedAuthorizations = leveragedAuthorizations
    }

    /// Who carries each control, rows of one control combined (`ControlResponsibility.combined`).
    public var byControl: [String: ControlResponsibility] {
        var out: [String: ControlResponsibility] = [:]
        for e in entries { out[e.control] = out[e.control].map { $0.combined(with: e.responsibility) } ?? e.responsibility }
        return out
    }

    /// Several statements of one control become one entry (first seen order, texts joined, responsibilities combined).
    public static func merged(_ entries: [ResponsibilityEntry]) -> [ResponsibilityEntry] {
        var order: [String] = []
        var by: [String: ResponsibilityEntry] = [:]
        for e in entries {
            if var m = by[e.control] {
                m.responsibility = m.responsibility.combined(with: e.responsibility)
                if !e.text.isEmpty, !m.text.contains(e.text) { m.text = m.text.isEmpty ? e.text : m.text + "\n" + e.text }
                m.source += ", " + e.source
                by[e.control] = m
            } else {
                order.append(e.control)
                by[e.control] = e
            }
        }
        return order.compactMap { by[$0] }
    }
}

/// Why a matrix cannot be read at all (nothing is imported), in both languages.
public enum ResponsibilityMatrixError: Error, Sendable, Hashable, CustomStringConvertible {
    case empty
    case notText
    /// No row within the first ten has a control id column.
    case noControlColumn
    /// The header has a control id column but nothing saying who is responsible.
    case noResponsibilityColumn(headers: [String])
    /// JSON that is neither an OSCAL SSP nor a component definition.
    case notOSCAL(String)
    case badOSCAL(String)
    /// Read, but not one row named a control we know.
    case noControls

    public var description: String { message.en }

    public var message: LocalizedText {
        switch self {
        case .empty:
            return LocalizedText(en: "The file is empty: export the provider's customer responsibility matrix as CSV (or an OSCAL SSP / component definition in JSON) and try again.",
                                 ja: "ファイルが空です。事業者の顧客責任マトリクスを CSV（または OSCAL の SSP / コンポーネント定義の JSON）で書き出して、もう一度取り込んでください。")
        case .notText:
            return LocalizedText(en: "The file is not UTF-8 text: save the worksheet as CSV UTF-8 and try again.",
                                 ja: "ファイルが UTF-8 のテキストではありません。ワークシートを「CSV UTF-8」で保存し直してください。")
        case .noControlColumn:
            return LocalizedText(en: "No header row with a control id column (\"Control ID\") was found in the first ten rows: this does not look like a customer responsibility matrix.",
                                 ja: "先頭 10 行に管理策 ID の列（「Control ID」）を持つ見出し行がありません。顧客責任マトリクスの形式ではないようです。")
        case .noResponsibilityColumn(let headers):
            return LocalizedText(en: "The header has a control id column but no responsibility column (e.g. \"Responsibility\", \"Control Origination\" or \"Can Be Inherited from CSP\"); columns found: \(headers.joined(separator: ", ")).",
                                 ja: "管理策 ID の列はありますが、責任の列（例「Responsibility」「Control Origination」「Can Be Inherited from CSP」）がありません。見つかった列: \(headers.joined(separator: ", "))")
        case .notOSCAL(let what):
            return LocalizedText(en: "This JSON is not an OSCAL system security plan or component definition (\(what)).",
                                 ja: "この JSON は OSCAL のシステムセキュリティ計画でもコンポーネント定義でもありません（\(what)）。")
        case .badOSCAL(let what):
            return LocalizedText(en: "The OSCAL file cannot be read: \(what).",
                                 ja: "OSCAL ファイルを読めません: \(what)")
        case .noControls:
            return LocalizedText(en: "No row names an SP 800-53 control with a responsibility: nothing to import (see the warnings for each row).",
                                 ja: "SP 800-53 の管理策と責任を示す行が 1 つもないため、取り込むものがありません（各行の警告を確認してください）。")
        }
    }
}

/// SP 800-53 rev5 control ids as matrices write them (`AC-2`, `AC-02`, `ac-2(1)`, `AC-2 (1)`, OSCAL's `ac-2.1`,
/// statement parts such as `AC-2(a)` or `ac-2_smt.a` read as their control) → `AC-2`, `AC-2(1)`. A family that is not
/// one of rev5's twenty, or a number past the family's last control, is unknown (nil).
public enum ControlID {
    /// Rev5's families with their highest base control number and highest enhancement number (SP 800-53 rev5.0.1).
    static let families: [String: (controls: Int, enhancements: Int)] = [
        "AC": (25, 32), "AT": (6, 6), "AU": (16, 10), "CA": (9, 7), "CM": (14, 9), "CP": (13, 8), "IA": (12, 18),
        "IR": (10, 15), "MA": (7, 7), "MP": (8, 8), "PE": (23, 8), "PL": (11, 3), "PM": (32, 1), "PS": (9, 4),
        "PT": (8, 3), "RA": (10, 11), "SA": (23, 33), "SC": (51, 29), "SI": (23, 25), "SR": (12, 4),
    ]

    public static func normalized(_ raw: String) -> String? {
        var s = Substring(raw.uppercased().trimmingCharacters(in: .whitespacesAndNewlines))
        func letters() -> String {
            var out = ""
            while let c = s.first, c.isASCII, c.isLetter { out.append(c); s = s.dropFirst() }
            return out
        }
        func number() -> Int? {
            var digits = ""
            while let c = s.first, c.isASCII, c.isNumber { digits.append(c); s = s.dropFirst() }
            return digits.isEmpty || digits.count > 3 ? nil : Int(digits)
        }
        func skipSpaces() { while s.first == " " { s = s.dropFirst() } }
        let family = letters()
        guard let limits = families[family] else { return nil }
        skipSpaces()
        guard s.first == "-" || s.first == "." || s.first == " " else { return nil }
        s = s.dropFirst()
        skipSpaces()
        guard let base = number(), (1...limits.controls).contains(base) else { return nil }
        skipSpaces()
        var enhancement: Int?
        if s.first == "(" {
            let save = s
            s = s.dropFirst()
            skipSpaces()
            if let n = number() {
                skipSpaces()
                guard s.first == ")" else { return nil }
                s = s.dropFirst()
                enhancement = n
            } else {
                s = save  // a part such as (a): the control itself
            }
        } else if s.first == ".", s.dropFirst().first?.isNumber == true {
            s = s.dropFirst()
            enhancement = number()
        }
        if let e = enhancement, !(1...limits.enhancements).contains(e) { return nil }
        // What may follow: nothing, or a statement part (`(a)`, `.a`, ` a.`, `_SMT.A`, `_STMT.A`).
        let rest = s.trimmingCharacters(in: .whitespaces)
        if !rest.isEmpty {
            let first = rest.first!
            guard first == "(" || first == "." || first == "_" || (first.isLetter && (rest.count == 1 || (rest.count == 2 && rest.last == "."))) else {
                return nil
            }
        }
        return enhancement.map { "\(family)-\(base)(\($0))" } ?? "\(family)-\(base)"
    }
}

/// Reads a provider's customer responsibility matrix saved as CSV in the FedRAMP CRM worksheet's columns (issue 15
/// item 4). The header row is the first of the first ten rows with a control id column; the responsibility column is,
/// in this order, one named "Responsibility" (or "Customer Responsibility", "Responsible", "責任"), "Control
/// Origination" / "Origination", or "Can Be Inherited from CSP"; the text column one with "description",
/// "responsibilities", "implementation", "text", "notes" or "説明" in its name. Rows whose control id is blank, and
/// heading rows (no digit in the control cell, no responsibility), are skipped silently; an unknown control id or responsibility is a warning naming the
/// row; several rows of one control are combined (`ControlResponsibility.combined`).
public enum ResponsibilityCSVReader {
    public static func read(_ data: Data) throws(ResponsibilityMatrixError) -> ResponsibilityMatrix {
        guard !data.isEmpty else { throw .empty }
        guard var text = String(data: data, encoding: .utf8) else { throw .notText }
        if text.hasPrefix("\u{FEFF}") { text.removeFirst() }
        let rows = CSVRows.parse(text)
        guard rows.contains(where: { $0.contains { !$0.trimmingCharacters(in: .whitespaces).isEmpty } }) else { throw .empty }

        func key(_ h: String) -> String {
            h.lowercased().replacingOccurrences(of: "_", with: " ").split(whereSeparator: { $0.isWhitespace }).joined(separator: " ")
        }
        let controlNames: Set<String> = ["control id", "control", "control identifier", "controlid", "control-id", "control number",
                                         "管理策", "管理策 id", "管理策id", "id"]
        guard let headerIndex = rows.prefix(10).firstIndex(where: { $0.contains { controlNames.contains(key($0)) } }) else {
            throw .noControlColumn
        }
        let header = rows[headerIndex].map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }
        let keys = header.map(key)
        let controlColumn = keys.firstIndex { $0 != "id" && controlNames.contains($0) } ?? keys.firstIndex(of: "id")!
        let responsibilityColumn: Int? = {
            let exact: Set<String> = ["responsibility", "customer responsibility", "responsible", "responsibility type", "責任", "責任区分"]
            if let i = keys.firstIndex(where: { exact.contains($0) }) { return i }
            if let i = keys.firstIndex(where: { $0.contains("origination") }) { return i }
            if let i = keys.firstIndex(where: { $0.contains("inherited from csp") || $0.contains("can be inherited") }) { return i }
            return keys.firstIndex { $0.hasPrefix("responsibility") || $0.contains("責任") }
        }()
        guard let rc = responsibilityColumn else { throw .noResponsibilityColumn(headers: header.filter { !$0.isEmpty }) }
        let textColumn = keys.indices.first { i in
            i != rc && i != controlColumn
                && ["description", "responsibilities", "implementation", "text", "notes", "説明", "内容"].contains { keys[i].contains($0) }
        }

        var entries: [ResponsibilityEntry] = []
        var warnings: [ResponsibilityWarning] = []
        for (offset, row) in rows.enumerated() where offset > headerIndex {
            let line = offset + 1
            func cell(_ i: Int) -> String { i < row.count ? row[i].trimmingCharacters(in: .whitespacesAndNewlines) : "" }
            let rawControl = cell(controlColumn)
            if rawControl.isEmpty { continue }
            let location = "row \(line)"
            guard let control = ControlID.normalized(rawControl) else {
                // A heading row of the worksheet ("Access Control") says nothing about responsibility: skipped.
                if cell(rc).isEmpty && !rawControl.contains(where: \.isNumber) { continue }
                warnings.append(ResponsibilityWarning(location: location, message: LocalizedText(
                    en: "'\(rawControl)' is not an SP 800-53 rev5 control id; the row is left out.",
                    ja: "「\(rawControl)」は SP 800-53 rev5 の管理策 ID ではないため、この行は取り込みません。")))
                continue
            }
            let rawResponsibility = cell(rc)
            guard let responsibility = ControlResponsibility(cell: rawResponsibility) else {
                warnings.append(ResponsibilityWarning(location: location, message: LocalizedText(
                    en: "\(control): the responsibility '\(rawResponsibility)' is none of provider, customer, shared or inherited; the row is left out.",
                    ja: "\(control): 責任「\(rawResponsibility)」は事業者・利用者・共有・継承のいずれでもないため、この行は取り込みません。")))
                continue
            }
            entries.append(ResponsibilityEntry(control: control, responsibility: responsibility,
                                               text: textColumn.map(cell) ?? "", source: location))
        }
        guard !entries.isEmpty else { throw .noControls }
        return ResponsibilityMatrix(format: .crmCSV, entries: ResponsibilityMatrix.merged(entries), warnings: warnings,
                                    responsibilityColumn: header[rc])
    }
}

/// RFC 4180 CSV: quoted fields with doubled quotes and line breaks inside, CRLF or LF rows, comma separated.
enum CSVRows {
    static func parse(_ text: String) -> [[String]] {
        var rows: [[String]] = []
        var row: [String] = []
        var field = ""
        var quoted = false
        var it = Array(text.unicodeScalars)[...]
        while let c = it.popFirst() {
            if quoted {
                if c == "\"" {
                    if it.first == "\"" { field.unicodeScalars.append("\""); it = it.dropFirst() } else { quoted = false }
                } else {
                    field.unicodeScalars.append(c)
                }
            } else if c == "\"" && field.isEmpty {
                quoted = true
            } else if c == "," {
                row.append(field); field = ""
            } else if c == "\r" || c == "\n" {
                if c == "\r", it.first == "\n" { it = it.dropFirst() }
                row.append(field); field = ""
                rows.append(row); row = []
            } else {
                field.unicodeScalars.append(c)
            }
        }
        if !field.isEmpty || !row.isEmpty { row.append(field); rows.append(row) }
        return rows
    }
}
