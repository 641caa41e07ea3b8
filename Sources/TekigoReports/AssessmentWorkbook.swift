import Foundation
import TekigoCore

/// An assessment as a workbook to answer in Excel and import back (issue 17 item 4): one row per objective.
///
/// Columns, fixed (the import checks the header row, in either language):
///
///     A objective   B requirement   C requirement title   D status (a drop-down list)   E rationale
///     F evidence, one reference per line   G owner and H due date (the requirement's POA&M item, shown, not imported)
///     I version   J assessment (hidden)   K the answer as exported (hidden)
///     L guidance: our plain-language sentence for the objective, or the requirement's summary (shown, not imported;
///       last, so that the answer columns keep their letters for workbooks exported before it existed)
///
/// The import (`plan`) checks every row and applies nothing when any row is wrong. A row counts as edited when its
/// status, rationale or evidence differ from what was exported (column K keeps a fingerprint of those); an edited
/// row whose version (column I) is no longer the objective's current one was changed by someone else since the
/// export: a conflict, reported on its version cell, and conflicts block the whole import like errors (the issue's
/// rule: nothing applied when the file has problems; the person exports again or reverts the row). Rows nobody
/// edited are left alone even when the objective changed meanwhile. Owner and due date belong to the plan of action,
/// which has its own rules (`POAMUseCases`), so the workbook shows them and the import leaves them to it.
public enum AssessmentWorkbook {
    /// What the export shows and the import checks against: the assessment as it is now.
    public struct Source: Sendable {
        /// Identifies the assessment (its id on a server, the folder's key offline): column J of every row.
        public let assessmentKey: String
        public let catalog: Catalog
        public let findings: [String: Finding]
        /// Each objective's current version as text: the stored version on a server ("0" before the first answer),
        /// the answer's fingerprint in a folder (which keeps no versions).
        public let versions: [String: String]
        public let poam: [POAMItem]

        public init(assessmentKey: String, catalog: Catalog, findings: [String: Finding], versions: [String: String], poam: [POAMItem]) {
            self.assessmentKey = assessmentKey
            self.catalog = catalog
            self.findings = findings
            self.versions = versions
            self.poam = poam
        }

        /// For a folder: versions are the answers' fingerprints.
        public static func folder(key: String, catalog: Catalog, findings: [String: Finding], poam: [POAMItem]) -> Source {
            var versions: [String: String] = [:]
            for o in catalog.entries.flatMap(\.assessmentObjectives) { versions[o] = AssessmentWorkbook.fingerprint(findings[o]) }
            return Source(assessmentKey: key, catalog: catalog, findings: findings, versions: versions, poam: poam)
        }

        func version(_ objective: String) -> String { versions[objective] ?? "0" }
    }

    enum Column: Int, CaseIterable {
        case objective, requirement, title, status, rationale, evidence, owner, due, version, assessment, exported, guidance

        var header: LocalizedText {
            switch self {
            case .objective: return LocalizedText(en: "Objective", ja: "評価目標")
            case .requirement: return LocalizedText(en: "Requirement", ja: "要件")
            case .title: return LocalizedText(en: "Requirement title", ja: "要件の名称")
            case .status: return LocalizedText(en: "Status", ja: "状態")
            case .rationale: return LocalizedText(en: "Rationale", ja: "根拠")
            case .evidence: return LocalizedText(en: "Evidence (one per line)", ja: "証跡（1 行に 1 件）")
            case .owner: return LocalizedText(en: "Owner (POA&M, not imported)", ja: "担当者（是正計画・取り込まない）")
            case .due: return LocalizedText(en: "Due date (POA&M, not imported)", ja: "完了予定日（是正計画・取り込まない）")
            case .version: return LocalizedText(en: "Version", ja: "版")
            case .assessment: return LocalizedText(en: "Assessment (do not edit)", ja: "評価（編集しない）")
            case .exported: return LocalizedText(en: "Exported answer (do not edit)", ja: "出力時の回答（編集しない）")
            case .guidance: return LocalizedText(en: "Guidance (not imported)", ja: "ガイダンス（取り込まない）")
            }
        }

        var letter: String { XLSXExport.columnName(rawValue) }
    }

    // MARK: export

    public static func sheet(_ source: Source, language: Language) -> Sheet {
        let plan = Dictionary(source.poam.map { ($0.requirement, $0) }, uniquingKeysWith: { a, _ in a })
        let guidance = try? GuidanceLibrary.builtIn
        var rows: [[Cell]] = []
        for entry in source.catalog.entries {
            let help = guidance?.guidance(for: entry)
            for objective in entry.assessmentObjectives {
                let f = source.findings[objective]
                let version = source.version(objective)
                rows.append([
                    .text(objective), .text(entry.id), .text(entry.title[language]),
                    .text((f?.status ?? .notAssessed).label[language]), .text(f?.rationale ?? ""),
                    .text((f?.evidence ?? []).map(\.location).joined(separator: "\n")),
                    .text(plan[entry.id]?.owner ?? ""), .day(plan[entry.id]?.scheduledCompletion),
                    Int(version).map(Cell.integer) ?? .text(version), .text(source.assessmentKey), .text(fingerprint(f)),
                    .text(help.map { $0.objectives[objective]?[language] ?? $0.summary(language) } ?? ""),
                ])
            }
        }
        var sheet = Sheet(name: LocalizedText(en: "Objectives", ja: "評価目標")[language],
                          columns: Column.allCases.map { $0.header[language] }, rows: rows)
        sheet.choices = [Column.status.rawValue: FindingStatus.allCases.map { $0.label[language] }]
        sheet.hiddenColumns = [Column.assessment.rawValue, Column.exported.rawValue]
        return sheet
    }

    public static func data(_ source: Source, language: Language) throws -> Data {
        try XLSXExport.data([sheet(source, language: language)])
    }

    /// Status, rationale and evidence references as one short text: the export writes it beside each row, and the
    /// import compares the row's with it to know whether the person edited the row. FNV-1a, 64 bits: it detects
    /// edits, it is no security measure (the version check and the use case's rules are).
    public static func fingerprint(_ f: Finding?) -> String {
        fingerprint(status: f?.status ?? .notAssessed, rationale: f?.rationale ?? "", evidence: (f?.evidence ?? []).map(\.location))
    }

    static func fingerprint(status: FindingStatus, rationale: String, evidence: [String]) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in ([status.rawValue, rationale] + evidence).joined(separator: "\u{1F}").utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x0000_0100_0000_01B3
        }
        let hex = String(hash, radix: 16)
        return String(repeating: "0", count: 16 - hex.count) + hex
    }

    // MARK: import

    /// Which new evidence references a row may add: on a server the editor's rule (`RequirementEdit.isWebLink`: an
    /// http(s) link; files are uploaded on the objective's page), in a folder any path or link.
    public enum NewEvidence: Sendable {
        case webLinks(accepts: @Sendable (String) -> Bool)
        case anyReference

        func accepts(_ s: String) -> Bool {
            switch self {
            case .webLinks(let accepts): return accepts(s)
            case .anyReference: return true
            }
        }
    }

    /// One objective to write: the finding the row asks for, written only if the objective is still at `ifVersion`.
    public struct Change: Sendable, Equatable {
        public let objective: String
        public let requirement: String
        public let finding: Finding
        public let ifVersion: String
        /// The row's version cell (`I14`), where a conflict found while writing is reported.
        public let versionCell: String
    }

    /// One problem with its cell.
    public struct Problem: Sendable, Equatable, CustomStringConvertible {
        public enum Kind: String, Sendable { case error, conflict }
        public let kind: Kind
        /// `D14`; the header's cell for a problem with the columns; nil for the file as a whole.
        public let cell: String?
        public let text: LocalizedText

        public init(_ kind: Kind, cell: String?, _ text: LocalizedText) {
            self.kind = kind
            self.cell = cell
            self.text = text
        }

        public func text(_ language: Language) -> String { (cell.map { "\($0): " } ?? "") + text[language] }
        public var description: String { text(.en) }
    }

    /// Every problem in a workbook, in sheet order: nothing was applied.
    public struct Rejected: Error, Sendable, Equatable, CustomStringConvertible {
        public let problems: [Problem]

        public init(_ problems: [Problem]) { self.problems = problems }

        public func text(_ language: Language) -> String { problems.map { $0.text(language) }.joined(separator: "\n") }
        public var description: String { text(.en) }
    }

    /// What an import would do: the edited rows to write and how many rows were read.
    public struct Plan: Sendable, Equatable {
        public let changes: [Change]
        public let rows: Int
    }

    /// Reads the workbook and checks every row against `source`; throws `Rejected` with every problem, or returns
    /// the rows to write. `today` dates new evidence references.
    public static func plan(_ data: Data, against source: Source, newEvidence: NewEvidence, today: Day) throws(Rejected) -> Plan {
        let sheet: XLSXReader.Worksheet
        do { sheet = try XLSXReader.firstSheet(data) } catch {
            throw Rejected([Problem(.error, cell: nil, LocalizedText(en: error.description, ja: readFailureJa(error)))])
        }
        return try plan(sheet, against: source, newEvidence: newEvidence, today: today)
    }

    static func readFailureJa(_ f: XLSXReader.Failure) -> String {
        switch f {
        case .notAWorkbook: return "このファイルは .xlsx のブックではありません。Excel で .xlsx 形式として保存してください"
        case .missingPart(let part): return "ブックに \(part) がありません。Excel で .xlsx 形式として保存し直してください"
        case .badXML(let part, _): return "ブックの \(part) が XML として読めません。Excel で .xlsx 形式として保存し直してください"
        case .tooLarge(let part, let limit): return "ブックの \(part) が展開後 \(limit / 1_000_000) MB を超えています"
        }
    }

    static func plan(_ sheet: XLSXReader.Worksheet, against source: Source, newEvidence: NewEvidence, today: Day) throws(Rejected) -> Plan {
        guard let header = sheet.rows.first, header.number == 1 else {
            throw Rejected([Problem(.error, cell: "A1", LocalizedText(
                en: "the first sheet has no header row; import the workbook exported for this assessment",
                ja: "最初のシートに見出し行がありません。この評価から出力したブックを取り込んでください"))])
        }
        var headerProblems: [Problem] = []
        for column in Column.allCases {
            let found = header[column.rawValue]?.text.trimmingCharacters(in: .whitespaces) ?? ""
            guard found != column.header.en, found != column.header.ja else { continue }
            // A workbook exported before the guidance column existed has nothing there; the column is not read.
            if column == .guidance, found.isEmpty { continue }
            headerProblems.append(Problem(.error, cell: "\(column.letter)1", LocalizedText(
                en: "expected the column '\(column.header.en)' here, found '\(found)'; keep the exported columns in their places (add notes to the rationale instead)",
                ja: "ここは「\(column.header.ja)」の列のはずですが「\(found)」でした。出力した列の並びを変えずに取り込んでください（補足は根拠に書いてください）")))
        }
        guard headerProblems.isEmpty else { throw Rejected(headerProblems) }

        let objectives = Dictionary(source.catalog.entries.flatMap { e in e.assessmentObjectives.map { ($0, e) } },
                                    uniquingKeysWith: { a, _ in a })
        var problems: [Problem] = []
        var changes: [Change] = []
        var seen: [String: Int] = [:]
        var count = 0
        for row in sheet.rows.dropFirst() {
            func text(_ c: Column) -> String { row[c.rawValue]?.text.trimmingCharacters(in: .whitespacesAndNewlines) ?? "" }
            func cell(_ c: Column) -> String { row.reference(c.rawValue) }
            let editable: [Column] = [.objective, .status, .rationale, .evidence, .version, .assessment, .exported]
            if editable.allSatisfy({ text($0).isEmpty }) { continue }
            count += 1
            var rowProblems: [Problem] = []
            func error(_ c: Column, _ en: String, _ ja: String) { rowProblems.append(Problem(.error, cell: cell(c), LocalizedText(en: en, ja: ja))) }

            let key = text(.assessment)
            if key != source.assessmentKey {
                error(.assessment, key.isEmpty
                      ? "this row has no assessment: rows cannot be added; every objective already has its row"
                      : "this row belongs to another assessment (\(key)); import it into that one, or copy only the answers into this assessment's workbook",
                      key.isEmpty
                      ? "この行には評価の記録がありません。行は追加できません（評価目標ごとの行はすでにあります）"
                      : "この行は別の評価（\(key)）のものです。その評価に取り込むか、この評価のブックに回答だけを写してください")
            }
            let objective = text(.objective)
            let entry = objectives[objective]
            if entry == nil {
                error(.objective, "'\(objective)' is not an objective of \(source.catalog.id.rawValue); keep the exported objective ids",
                      "「\(objective)」は \(source.catalog.id.rawValue) の評価目標ではありません。出力された評価目標の ID を変えないでください")
            } else if let first = seen[objective] {
                error(.objective, "objective \(objective) is also on row \(first); keep one row per objective",
                      "評価目標 \(objective) は \(first) 行目にもあります。評価目標ごとに 1 行にしてください")
            }
            if entry != nil, seen[objective] == nil { seen[objective] = row.number }
            let status = parseStatus(text(.status))
            if status == nil {
                let choices = FindingStatus.allCases
                error(.status, "'\(text(.status))' is not a status; use one of \(choices.map { $0.label.en }.joined(separator: ", ")) (or \(choices.map(\.rawValue).joined(separator: ", ")))",
                      "「\(text(.status))」は状態ではありません。\(choices.map { $0.label.ja }.joined(separator: "、"))のいずれかを選んでください")
            }
            let rationale = row[Column.rationale.rawValue]?.text.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
            let lines = text(.evidence).split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
            let version = text(.version)
            if version.isEmpty {
                error(.version, "the version is empty; keep the exported version", "版が空です。出力された版を変えないでください")
            }

            guard rowProblems.isEmpty, let entry, let status else {
                problems += rowProblems
                continue
            }
            // Not edited in the workbook: nothing to write, whatever happened to the objective since the export.
            if fingerprint(status: status, rationale: rationale, evidence: lines) == text(.exported) { continue }
            let current = source.findings[objective]
            let existing = Dictionary((current?.evidence ?? []).map { ($0.location, $0) }, uniquingKeysWith: { a, _ in a })
            var evidence: [EvidenceRef] = []
            for line in lines {
                if let ref = existing[line] { evidence.append(ref); continue }
                if !newEvidence.accepts(line) {
                    error(.evidence, "'\(line)' is not an http(s) link; a new reference in the workbook is a link (upload files on the objective's page)",
                          "「\(line)」は http(s) のリンクではありません。ブックで追加できる証跡はリンクです（ファイルは評価目標のページでアップロードしてください）")
                    continue
                }
                evidence.append(EvidenceRef(location: line, date: today))
            }
            if source.version(objective) != version {
                rowProblems.append(Problem(.conflict, cell: cell(.version), LocalizedText(
                    en: "\(objective) was changed by someone else after this workbook was exported (version \(source.version(objective)) now, \(version) in the workbook); export again and redo this row, or put the row back as exported",
                    ja: "\(objective) はこのブックの出力後に別の人が変更しました（現在の版 \(source.version(objective))、ブックの版 \(version)）。出力し直してこの行を入力し直すか、この行を出力時の内容に戻してください")))
            }
            guard rowProblems.isEmpty else {
                problems += rowProblems
                continue
            }
            // Edited back to what is stored now: nothing to write.
            if current?.status ?? .notAssessed == status, current?.rationale ?? "" == rationale, current?.evidence ?? [] == evidence { continue }
            changes.append(Change(objective: objective, requirement: entry.id,
                                  finding: Finding(status: status, rationale: rationale, evidence: evidence),
                                  ifVersion: version, versionCell: cell(.version)))
        }
        guard problems.isEmpty else { throw Rejected(problems) }
        return Plan(changes: changes, rows: count)
    }

    /// A status as written in the workbook: its label in either language, or its stored value; empty is not assessed.
    static func parseStatus(_ s: String) -> FindingStatus? {
        if s.isEmpty { return .notAssessed }
        return FindingStatus.allCases.first {
            $0.rawValue.caseInsensitiveCompare(s) == .orderedSame || $0.label.en.caseInsensitiveCompare(s) == .orderedSame || $0.label.ja == s
        }
    }
}
