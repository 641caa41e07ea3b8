import Foundation
import TekigoCore

/// One cell of a sheet. Numbers stay numbers and dates stay dates so a spreadsheet can sort and filter them.
public enum Cell: Sendable, Hashable {
    case text(String)
    case number(Double)
    case date(Day)

    public static func integer(_ value: Int) -> Cell { .number(Double(value)) }

    /// A date cell, or an empty text cell when there is no date.
    public static func day(_ value: Day?) -> Cell { value.map(Cell.date) ?? .text("") }

    /// The cell as plain text: integers without a fraction, dates as `YYYY-MM-DD`.
    public var plainText: String {
        switch self {
        case .text(let s): return s
        case .date(let d): return d.description
        case .number(let n):
            if n.isFinite, n == n.rounded(), abs(n) < 1e15 { return String(Int64(n)) }
            return String(n)
        }
    }
}

/// A table with a header row: what the CSV and .xlsx writers take.
public struct Sheet: Sendable, Hashable {
    public var name: String
    public var columns: [String]
    public var rows: [[Cell]]
    /// .xlsx only: columns (zero-based) whose data cells must be one of a list (Excel's data validation).
    public var choices: [Int: [String]] = [:]
    /// .xlsx only: columns (zero-based) hidden from view.
    public var hiddenColumns: Set<Int> = []

    public init(name: String, columns: [String], rows: [[Cell]] = []) {
        self.name = name
        self.columns = columns
        self.rows = rows
    }
}

/// Every header, sheet name and fixed word the spreadsheets use, in both languages. Nothing else in this file
/// spells a user-visible word.
enum SheetText: Sendable {
    // Sheet names (at most 31 characters: Excel's limit).
    case poamSheet, objectivesSheet, requirementsSheet, sspSheet, sprsSheet, deductionsSheet
    // Columns.
    case requirement, cmmcID, title, family, weakness, milestones, owner, resources, status, scheduledCompletion
    case completedOn, sprsPointsLost, poamEligible, poamEligibilityReason, objective, rationale, evidence
    case evidenceSHA256, assessedBy, assessedOn, sprsValue, pointsDeducted, implementation, notes, poam
    case plannedCompletion, deductionReason, item, value
    // SPRS summary keys.
    case assessmentDate, score, scope, boundary, cageCodes, poamCompletionDate, kind, organization, uei
    case cmmcStatus, assessor
    // Values.
    case yes, no, noneGiven, done, noScore, notDetermined, notScored, notPermitted

    var text: LocalizedText {
        switch self {
        case .poamSheet: return LocalizedText(en: "POA&M", ja: "是正計画")
        case .objectivesSheet: return LocalizedText(en: "Objectives", ja: "評価目標")
        case .requirementsSheet: return LocalizedText(en: "Requirements", ja: "要件")
        case .sspSheet: return LocalizedText(en: "SSP", ja: "SSP")
        case .sprsSheet: return LocalizedText(en: "SPRS", ja: "SPRS")
        case .deductionsSheet: return LocalizedText(en: "Deductions", ja: "減点")

        case .requirement: return LocalizedText(en: "Requirement", ja: "要件")
        case .cmmcID: return LocalizedText(en: "CMMC ID", ja: "CMMC ID")
        case .title: return LocalizedText(en: "Title", ja: "名称")
        case .family: return LocalizedText(en: "Family", ja: "ファミリー")
        case .weakness: return LocalizedText(en: "Weakness", ja: "不備の内容")
        case .milestones: return LocalizedText(en: "Milestones", ja: "マイルストーン")
        case .owner: return LocalizedText(en: "Owner", ja: "担当者")
        case .resources: return LocalizedText(en: "Resources", ja: "必要な資源")
        case .status: return LocalizedText(en: "Status", ja: "状態")
        case .scheduledCompletion: return LocalizedText(en: "Scheduled completion", ja: "完了予定日")
        case .completedOn: return LocalizedText(en: "Completed on", ja: "完了日")
        case .sprsPointsLost: return LocalizedText(en: "SPRS points lost", ja: "SPRS 減点")
        case .poamEligible: return LocalizedText(en: "CMMC POA&M eligible", ja: "CMMC 是正計画の対象可否")
        case .poamEligibilityReason: return LocalizedText(en: "CMMC POA&M reason", ja: "CMMC 是正計画の可否の理由")
        case .objective: return LocalizedText(en: "Objective", ja: "評価目標")
        case .rationale: return LocalizedText(en: "Rationale", ja: "根拠")
        case .evidence: return LocalizedText(en: "Evidence", ja: "証跡")
        case .evidenceSHA256: return LocalizedText(en: "Evidence SHA-256", ja: "証跡 SHA-256")
        case .assessedBy: return LocalizedText(en: "Assessed by", ja: "評価者")
        case .assessedOn: return LocalizedText(en: "Assessed on", ja: "評価日")
        case .sprsValue: return LocalizedText(en: "SPRS value", ja: "SPRS 配点")
        case .pointsDeducted: return LocalizedText(en: "Points deducted", ja: "減点数")
        case .implementation: return LocalizedText(en: "Implementation", ja: "実装の説明")
        case .notes: return LocalizedText(en: "Notes", ja: "備考")
        case .poam: return LocalizedText(en: "POA&M", ja: "是正計画")
        case .plannedCompletion: return LocalizedText(en: "Planned completion", ja: "完了予定日")
        case .deductionReason: return LocalizedText(en: "Reason", ja: "減点理由")
        case .item: return LocalizedText(en: "Item", ja: "項目")
        case .value: return LocalizedText(en: "Value", ja: "値")

        case .assessmentDate: return LocalizedText(en: "Assessment date", ja: "評価日")
        case .score: return LocalizedText(en: "SPRS score", ja: "SPRS スコア")
        case .scope: return LocalizedText(en: "Scope (system)", ja: "評価範囲（システム）")
        case .boundary: return LocalizedText(en: "System boundary", ja: "システム境界")
        case .cageCodes: return LocalizedText(en: "CAGE codes", ja: "CAGE コード")
        case .poamCompletionDate: return LocalizedText(en: "Date a score of 110 is expected", ja: "110 点の達成予定日")
        case .kind: return LocalizedText(en: "Assessment kind", ja: "評価の種類")
        case .organization: return LocalizedText(en: "Organization", ja: "組織")
        case .uei: return LocalizedText(en: "UEI", ja: "UEI")
        case .cmmcStatus: return LocalizedText(en: "CMMC status", ja: "CMMC ステータス")
        case .assessor: return LocalizedText(en: "Assessor", ja: "評価者")

        case .yes: return LocalizedText(en: "yes", ja: "可")
        case .no: return LocalizedText(en: "no", ja: "不可")
        case .noneGiven: return LocalizedText(en: "(none)", ja: "（なし）")
        case .done: return LocalizedText(en: "done", ja: "完了")
        case .noScore: return LocalizedText(en: "no score", ja: "スコアなし")
        case .notDetermined: return LocalizedText(en: "not determined (an open POA&M item has no date)",
                                                  ja: "未定（完了予定日のない是正計画の項目がある）")
        case .notScored: return LocalizedText(en: "not scored (the catalog has no SPRS values)",
                                              ja: "採点対象外（このカタログには SPRS 配点がない）")
        case .notPermitted: return LocalizedText(en: "capability not permitted", ja: "機能を許可していない")
        }
    }

    func callAsFunction(_ language: Language) -> String { text[language] }
}

/// The tables behind the CSV and .xlsx exports: one function per document, all data from `AssessmentReport`.
public enum SpreadsheetTables {
    /// `regime` (issue 17 item 3): under `japanese` the SPRS and CMMC columns are left out and the words follow
    /// `RegimeTerms`; `.us` gives the sheets as they were before the regime existed.
    public static func sheets(_ document: ExportDocument, report: AssessmentReport, language: Language,
                              regime: ComplianceRegime = .us) -> [Sheet] {
        let t = Tables(report: report, lang: language, terms: RegimeTerms(regime, language))
        switch document {
        case .poam: return [t.poam()]
        case .results: return [t.objectives(), t.requirements()]
        case .ssp: return [t.ssp()]
        case .sprs: return [t.sprsSummary(), t.deductions()]
        }
    }
}

private struct Tables {
    let report: AssessmentReport
    let lang: Language
    let terms: RegimeTerms
    /// SPRS and CMMC columns appear (`us`, `both`).
    var showsUS: Bool { terms.showsSPRS }

    /// Drops the SPRS and CMMC columns (`usColumns` indexes) of a sheet where the US regime does not apply.
    private func regimeSheet(_ sheet: Sheet, usColumns: Set<Int>) -> Sheet {
        guard !showsUS else { return sheet }
        var out = sheet
        out.columns = sheet.columns.enumerated().filter { !usColumns.contains($0.offset) }.map(\.element)
        out.rows = sheet.rows.map { row in row.enumerated().filter { !usColumns.contains($0.offset) }.map(\.element) }
        return out
    }

    private func h(_ columns: SheetText...) -> [String] { columns.map { $0(lang) } }
    private func word(_ w: SheetText) -> String { w(lang) }

    private func cmmcID(_ requirement: String) -> String { report.catalog[requirement]?.cmmcId ?? "" }
    private func title(_ requirement: String) -> String { terms.speaking(report.catalog[requirement]?.title[lang] ?? "") }

    private func familyName(_ entry: CatalogEntry) -> String {
        guard let f = report.catalog.family(entry.family) else { return entry.family }
        return "\(f.abbr) \(f.title[lang])"
    }

    /// Points lost by one requirement; nil when the catalog has no SPRS values.
    private func pointsLost(_ requirement: String) -> Int? {
        report.sprs.map { $0.deductions.filter { $0.requirement == requirement }.reduce(0) { $0 + $1.points } }
    }

    /// Whether a requirement may be carried on a CMMC POA&M (32 CFR 170.21(a)(2)(ii)-(iii)), with the rules it
    /// breaks. Nil when the catalog has no SPRS values (CMMC does not apply).
    private func poamEligibility(_ requirement: String) -> (eligible: Bool, reasons: [String])? {
        guard let sprs = report.sprs else { return nil }
        let ds = sprs.deductions.filter { $0.requirement == requirement }
        var reasons = ds.compactMap { CMMCRules.poamReason(for: $0) }
        if ds.isEmpty, CMMCRules.neverOnPOAM.contains(requirement) { reasons = [.excludedFromPOAM(requirement)] }
        return (reasons.isEmpty, reasons.map { $0.text(lang) })
    }

    private func eligibilityCells(_ requirement: String) -> [Cell] {
        guard let e = poamEligibility(requirement) else { return [.text(""), .text("")] }
        return [.text(word(e.eligible ? .yes : .no)), .text(e.reasons.joined(separator: "; "))]
    }

    private func milestones(_ item: POAMItem) -> String {
        item.milestones.map { m in
            "\(m.due) \(m.description)" + (m.done ? (lang == .ja ? "（\(word(.done))）" : " (\(word(.done)))") : "")
        }.joined(separator: "; ")
    }

    // MARK: POA&M

    func poam() -> Sheet {
        regimeSheet(poamSheet(), usColumns: [1, 10, 11, 12])
    }

    private func poamSheet() -> Sheet {
        Sheet(name: word(.poamSheet),
              columns: h(.requirement, .cmmcID, .title, .weakness, .milestones, .owner, .resources, .status,
                         .scheduledCompletion, .completedOn, .sprsPointsLost, .poamEligible, .poamEligibilityReason),
              rows: report.poam.map { item in
                  [.text(item.requirement), .text(cmmcID(item.requirement)), .text(title(item.requirement)),
                   .text(item.weakness), .text(milestones(item)), .text(item.owner), .text(item.resources),
                   .text(item.status.label[lang]), .day(item.scheduledCompletion), .day(item.completedOn),
                   pointsLost(item.requirement).map(Cell.integer) ?? .text("")] + eligibilityCells(item.requirement)
              })
    }

    // MARK: Results

    func objectives() -> Sheet {
        var rows: [[Cell]] = []
        for r in report.requirements {
            for (objective, finding) in r.objectives {
                let status = finding?.status ?? .notAssessed
                let evidence = finding?.evidence ?? []
                rows.append([
                    .text(r.entry.id), .text(objective), .text(status.label[lang]), .text(finding?.rationale ?? ""),
                    .text(evidence.map(\.location).joined(separator: "; ")),
                    .text(evidence.map { $0.sha256 ?? word(.noneGiven) }.joined(separator: "; ")),
                    .text(finding?.assessedBy ?? ""), .day(finding?.assessedOn),
                ])
            }
        }
        return Sheet(name: word(.objectivesSheet),
                     columns: h(.requirement, .objective, .status, .rationale, .evidence, .evidenceSHA256, .assessedBy,
                                .assessedOn),
                     rows: rows)
    }

    func requirements() -> Sheet {
        regimeSheet(Sheet(name: word(.requirementsSheet),
              columns: h(.requirement, .family, .title, .status, .sprsValue, .pointsDeducted),
              rows: report.requirements.map { r in
                  [.text(r.entry.id), .text(familyName(r.entry)), .text(terms.speaking(r.entry.title[lang])), .text(r.status.label[lang]),
                   r.entry.sprs.map { .integer($0.value) } ?? .text(""),
                   pointsLost(r.entry.id).map(Cell.integer) ?? .text("")]
              }), usColumns: [4, 5])
    }

    // MARK: SSP

    /// What else the SSP says about a requirement: partial implementations, "not permitted", exceptions.
    private func notes(_ r: SSPRequirement) -> String {
        var parts: [String] = []
        if !showsUS {  // SPRS credits and deductions are the US scoring's; the organization's own note stays
            if r.answer.notPermitted { parts.append(word(.notPermitted)) }
            if let note = r.answer.exceptionNote, !note.isEmpty { parts.append(note) }
            return parts.joined(separator: "; ")
        }
        if let credit = report.sprs?.credits.first(where: { $0.requirement == r.entry.id }) {
            parts.append(credit.reason.text(lang))
        } else if r.answer.notPermitted {
            parts.append(word(.notPermitted))
        }
        if let d = report.sprs?.deductions.first(where: { $0.requirement == r.entry.id }),
           d.reason != .notImplemented, d.reason != .notAssessed {
            parts.append(d.reason.text(lang))
        }
        if let note = r.answer.exceptionNote, !note.isEmpty { parts.append(note) }
        return parts.joined(separator: "; ")
    }

    func ssp() -> Sheet {
        var sheet = Sheet(name: terms.regime == .us ? word(.sspSheet) : RegimeReportText.sheetName(terms),
              columns: h(.requirement, .cmmcID, .family, .title, .status, .implementation, .notes, .poam,
                         .plannedCompletion),
              rows: report.requirements.map { r in
                  [.text(r.entry.id), .text(r.entry.cmmcId ?? ""), .text(familyName(r.entry)), .text(terms.speaking(r.entry.title[lang])),
                   .text(r.status.label[lang]), .text(r.implementation), .text(notes(r)),
                   .text(r.poam?.status.label[lang] ?? ""), .day(r.poam?.plannedCompletion)]
              })
        // On request (issue 17 item 1): our plain-language summary of each requirement, in a last column.
        if let guidance = report.guidance {
            sheet.columns.append("\(GuidancePart.asks.label[lang]) (Tekigo)")
            for (i, r) in report.requirements.enumerated() {
                sheet.rows[i].append(.text(terms.guidance(guidance.guidance(for: r.entry)?.asks[lang] ?? "")))
            }
        }
        return regimeSheet(sheet, usColumns: [1])
    }

    // MARK: SPRS

    func sprsSummary() -> Sheet {
        let a = report.assessment
        let score: Cell
        if let sprs = report.sprs {
            if let s = sprs.score { score = .integer(s) }
            else { score = .text("\(word(.noScore)): \(CMMCReason.noScore.text(lang))") }
        } else {
            score = .text(word(.notScored))
        }
        let completion: Cell
        if report.sprs == nil { completion = .text("") }
        else { completion = report.expectedFullCompliance.map(Cell.date) ?? .text(word(.notDetermined)) }
        var cmmc = ""
        if let c = report.cmmc {
            cmmc = c.status.label[lang]
            if case .conditional(let deadline) = c.status {
                cmmc += lang == .ja ? "（完了期限 \(deadline.text(lang))）" : " (closeout due \(deadline.text(lang)))"
            }
            if !c.reasons.isEmpty { cmmc += ": " + c.reasons.map { $0.text(lang) }.joined(separator: "; ") }
        }
        var rows: [[Cell]] = [
            [.text(word(.organization)), .text(a.organization.name)],
            [.text(word(.assessmentDate)), .date(a.date)],
            [.text(word(.score)), score],
            [.text(word(.scope)), .text(a.system.name)],
            [.text(word(.boundary)), .text(a.system.boundary)],
            [.text(word(.cageCodes)), .text(a.organization.cageCodes.joined(separator: ", "))],
            [.text(word(.poamCompletionDate)), completion],
            [.text(word(.kind)), .text(a.kind.label[lang])],
            [.text(word(.assessor)), .text(a.assessor)],
        ]
        if let uei = a.organization.uei { rows.insert([.text(word(.uei)), .text(uei)], at: 1) }
        if report.cmmc != nil { rows.append([.text(word(.cmmcStatus)), .text(cmmc)]) }
        return Sheet(name: word(.sprsSheet), columns: h(.item, .value), rows: rows)
    }

    func deductions() -> Sheet {
        Sheet(name: word(.deductionsSheet),
              columns: h(.requirement, .cmmcID, .title, .pointsDeducted, .deductionReason, .poamEligible,
                         .poamEligibilityReason),
              rows: (report.sprs?.deductions ?? []).map { d in
                  let reason = CMMCRules.poamReason(for: d)
                  return [.text(d.requirement), .text(cmmcID(d.requirement)), .text(title(d.requirement)),
                          .integer(d.points), .text(d.reason.text(lang)), .text(word(reason == nil ? .yes : .no)),
                          .text(reason?.text(lang) ?? "")]
              })
    }
}
