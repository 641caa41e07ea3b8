import Foundation
import TekigoCore
import TekigoReports
import TekigoStore

/// Why a workbook operation was refused before reading the file.
public enum AssessmentWorkbookError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The role may read the assessment but not answer it (`TenantAction.editFindings`).
    case notAllowed
    /// The upload is empty.
    case empty
    /// No assessment with this id in the organization (another organization's is the same: not found).
    case unknownAssessment(String)

    public var description: String { text.en }

    public var text: LocalizedText {
        switch self {
        case .notAllowed:
            return LocalizedText(en: "Your role may read this assessment but not answer it; ask an owner, administrator, assessor or contributor to import the workbook.",
                                 ja: "あなたの役割ではこの評価を閲覧できますが回答はできません。所有者・管理者・評価者・作成者に取り込みを依頼してください。")
        case .empty:
            return LocalizedText(en: "The upload is empty: choose the .xlsx workbook exported for this assessment.",
                                 ja: "アップロードが空です。この評価から出力した .xlsx ブックを選んでください。")
        case .unknownAssessment(let id):
            return LocalizedText(en: "No assessment \(id) in this organization.", ja: "この組織に評価 \(id) はありません。")
        }
    }
}

/// What an import wrote.
public struct AssessmentWorkbookImport: Sendable, Equatable {
    /// Rows read (objectives listed in the workbook).
    public let rows: Int
    /// The objectives written, in the workbook's order; each has its `finding.updated` entry.
    public let applied: [String]
}

/// An assessment as an .xlsx workbook and back (issue 17 item 4). The export and the checks are
/// `AssessmentWorkbook`'s (TekigoReports, shared with the assessment folder's commands); this writes an accepted
/// import the way the editor saves (`AssessmentUseCases.saveRequirement`): one transaction, the assessment's row
/// locked first, each changed objective through `TenantStore.putFinding` with the row's version (its audit entry
/// `finding.updated`), the day's score point once. Atomic: a workbook with any error or conflict writes nothing, and
/// a version that moves between the check and the write (someone saved meanwhile) rolls the whole import back and is
/// reported on that row's version cell.
public struct AssessmentWorkbookUseCases: Sendable {
    public let env: TenantEnvironment
    public let scope: TenantScope

    public init(_ env: TenantEnvironment, _ scope: TenantScope) {
        self.env = env
        self.scope = scope
    }

    /// The workbook of an assessment of this organization (another organization's or an unknown id: `unknownAssessment`).
    public func export(assessmentID: String, language: Language) async throws -> Data {
        try AssessmentWorkbook.data(try await source(assessmentID).source, language: language)
    }

    /// `tekigo-workbook-<assessment id>.xlsx`.
    public static func filename(assessmentID: String) -> String { "tekigo-workbook-\(assessmentID).xlsx" }

    /// Checks every row, then writes the edited ones; throws `AssessmentWorkbook.Rejected` with every problem (nothing
    /// written), or `AssessmentWorkbookError`. `who` is recorded as the objectives' assessor, as the editor does.
    public func importWorkbook(assessmentID: String, _ data: Data, by who: String) async throws -> AssessmentWorkbookImport {
        guard scope.role.allows(.editFindings) else { throw AssessmentWorkbookError.notAllowed }
        guard !data.isEmpty else { throw AssessmentWorkbookError.empty }
        let (record, source) = try await source(assessmentID)
        let today = scope.calendar.today(env.clock)
        let plan = try AssessmentWorkbook.plan(data, against: source, newEvidence: .webLinks(accepts: RequirementEdit.isWebLink), today: today)
        guard !plan.changes.isEmpty else { return AssessmentWorkbookImport(rows: plan.rows, applied: []) }
        try await EvidenceUseCases(env, scope).checkPinned(plan.changes.flatMap(\.finding.evidence)) { _ in "evidence" }
        let store = scope.store, actor = scope.actor, assessments = AssessmentUseCases(env, scope)
        try await env.db.transaction { s in
            let locked = try await store.lockedAssessment(id: record.id, on: s)  // the assessment's row first (see `recordScore`)
            for change in plan.changes {
                var f = change.finding
                f.assessedBy = who
                f.assessedOn = today
                do {
                    _ = try await store.putFinding(assessmentID: record.id, objective: change.objective, f, ifVersion: Int(change.ifVersion),
                                                   by: actor, on: s)
                } catch let conflict as VersionConflict {
                    throw AssessmentWorkbook.Rejected([AssessmentWorkbook.Problem(.conflict, cell: change.versionCell, LocalizedText(
                        en: "\(change.objective) was saved by someone else while this workbook was imported (version \(conflict.current) now, \(change.ifVersion) in the workbook); nothing was imported: export again and redo this row",
                        ja: "取り込みの間に \(change.objective) が別の人に保存されました（現在の版 \(conflict.current)、ブックの版 \(change.ifVersion)）。何も取り込んでいません。出力し直してこの行を入力し直してください"))])
                }
            }
            try await assessments.recordScore(locked, on: s)
        }
        return AssessmentWorkbookImport(rows: plan.rows, applied: plan.changes.map(\.objective))
    }

    /// The assessment as the workbook sees it: findings with their evidence, each objective's stored version, the plan.
    func source(_ assessmentID: String) async throws -> (record: AssessmentRecord, source: AssessmentWorkbook.Source) {
        let store = scope.store
        guard let record = try await store.assessment(id: assessmentID) else { throw AssessmentWorkbookError.unknownAssessment(assessmentID) }
        let assessment = try await store.load(record, organization: scope.organization.domainOrganization)
        let catalog = try env.library.catalog(assessment.catalog)
        var versions: [String: String] = [:]
        for r in try await store.findings(assessmentID: record.id) { versions[r.objective] = String(r.version) }
        return (record, AssessmentWorkbook.Source(assessmentKey: record.id, catalog: catalog, findings: assessment.findings,
                                                  versions: versions, poam: assessment.poam))
    }
}
