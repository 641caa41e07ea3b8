import Foundation
import SQLKit
import TekigoCore
import TekigoStore

/// Starting an assessment from a previous one, and confirming what was carried over (issue 17 item 4).
///
/// Rules:
/// - The new assessment is of the previous one's system and catalog (another catalog's objectives are other
///   questions; another system is another boundary). Asking for another is refused with a typed error, not ignored.
/// - The previous assessment must be this organization's (`TenantScope`); another's id is `unknownPreviousAssessment`,
///   as an unknown one is (the API answers 404).
/// - Every finding is copied — status, rationale, evidence references, who answered and when — and marked
///   `carriedOverFrom` = the previous assessment's id; the requirement answers (implementation statements, partial
///   credit, exceptions) are copied too, and the plan-of-action items, which belong to an assessment
///   (`poam_items.assessment_id`): a weakness still open last year stays open until someone closes it, and leaving the
///   plan behind would change the CMMC status of answers that did not change.
/// - Carried-over answers count as answers: score and progress read the statuses, so the new assessment scores what
///   the previous one scored until someone changes something. The mark says only that nobody has looked at it yet.
/// - All in one transaction with one audit entry naming the source (`assessment.started-from-previous`), and the new
///   assessment's first score point.
/// - A person's save clears the mark (API PUT, editor, workbook row, cloud inheritance confirmation: every write
///   through `TenantStore.putFinding`); the editor's save confirms every objective of the requirement it saves, changed
///   or not; `confirmCarriedOver` confirms as is (one objective, or a requirement's).
extension AssessmentUseCases {
    /// Creates an assessment from `previousID`'s answers. `systemID` and `catalog` may be nil (the previous one's);
    /// given, they must be the previous one's.
    public func createAssessment(from previousID: String, systemID: String?, catalog: String?, date: String, kind: String?,
                                 assessor: String) async throws -> TenantStore.CarryOver {
        guard let day = Day(date) else { throw AssessmentError.badDate(field: "date") }
        guard let kind = AssessmentKind(rawValue: kind ?? AssessmentKind.basic.rawValue) else { throw AssessmentError.badKind }
        let store = scope.store, actor = scope.actor, createdAt = Timestamp.string(env.clock.now())
        guard let previous = try await store.assessment(id: previousID) else { throw AssessmentError.unknownPreviousAssessment(previousID) }
        if let catalog, !catalog.isEmpty, catalog != previous.catalog {
            throw AssessmentError.previousOfAnotherCatalog(previous: previous.catalog, requested: catalog)
        }
        guard env.library.catalogs[CatalogID(previous.catalog)] != nil else { throw AssessmentError.unknownCatalog(previous.catalog) }
        if let systemID, !systemID.isEmpty, systemID != previous.systemId {
            throw AssessmentError.previousOfAnotherSystem(previousSystem: previous.systemId, requested: systemID)
        }
        return try await env.db.transaction { s in
            // The previous assessment's row is locked, so a save to it commits before the copy reads it or after.
            let locked: AssessmentRecord
            do { locked = try await store.lockedAssessment(id: previousID, on: s) } catch is NotFound {
                throw AssessmentError.unknownPreviousAssessment(previousID)
            }
            let copy = try await store.createAssessment(from: locked, date: day, kind: kind, assessor: assessor, createdAt: createdAt,
                                                        by: actor, on: s)
            try await recordScore(copy.assessment, on: s)
            return copy
        }
    }

    /// Confirms one carried-over objective as it is (`ifVersion` as for a save). An objective not carried over is left
    /// as it is (nothing written); an objective not in the catalog is `unknownObjective`. Returns the confirmed row, or
    /// nil when there was nothing to confirm.
    public func confirmCarriedOver(assessmentID: String, objective: String, ifVersion: Int?) async throws -> FindingRecord? {
        try await confirm(assessmentID: assessmentID, ifVersion: ifVersion) { catalog in
            guard catalog.entries.contains(where: { $0.assessmentObjectives.contains(objective) }) else {
                throw AssessmentError.unknownObjective(objective, catalog: catalog.id.rawValue)
            }
            return [objective]
        }.first
    }

    /// Confirms every carried-over objective of a requirement as it is (the editor's "confirm all as is").
    public func confirmCarriedOver(assessmentID: String, requirement: String) async throws -> [FindingRecord] {
        try await confirm(assessmentID: assessmentID, ifVersion: nil) { catalog in
            guard let entry = catalog[requirement] else { throw AssessmentError.unknownObjective(requirement, catalog: catalog.id.rawValue) }
            return entry.assessmentObjectives
        }
    }

    func confirm(assessmentID: String, ifVersion: Int?, objectives: @escaping @Sendable (Catalog) throws -> [String]) async throws -> [FindingRecord] {
        let store = scope.store, actor = scope.actor, library = env.library
        return try await env.db.transaction { s in
            let locked = try await store.lockedAssessment(id: assessmentID, on: s)  // the assessment's row first (see `recordScore`)
            let ids = try objectives(try library.catalog(CatalogID(locked.catalog)))
            return try await store.confirmCarriedOver(assessmentID: assessmentID, objectives: ids, ifVersion: ifVersion, by: actor, on: s)
        }
    }

}

extension AssessmentQueries {
    /// The objectives of an assessment carried over and not confirmed yet.
    public func carriedOverObjectives(_ a: AssessmentRecord) async throws -> Set<String> {
        try await store.carriedOverObjectives(assessmentID: a.id)
    }

    /// The objectives of an assessment still waiting for review, in catalog order, each with its requirement.
    public func objectivesToReview(_ a: AssessmentRecord) async throws -> [(requirement: String, objective: String)] {
        let marked = try await store.carriedOverObjectives(assessmentID: a.id)
        guard !marked.isEmpty else { return [] }
        let catalog = try env.library.catalog(CatalogID(a.catalog))
        return catalog.entries.flatMap { e in e.assessmentObjectives.filter(marked.contains).map { (e.id, $0) } }
    }
}
