import Foundation
import SQLKit
import TekigoCore

/// An assessment started from a previous one, and carried-over answers confirmed (issue 17 item 4). The rules (same
/// catalog, same organization) are `AssessmentUseCases.createAssessment(from:…)`'s; these are the writes, inside the
/// caller's transaction.
extension TenantStore {
    /// What a copy wrote: the new assessment and how many findings and plan items it holds.
    public struct CarryOver: Sendable {
        public let assessment: AssessmentRecord
        public let findings: Int
        public let poamItems: Int
    }

    /// Inserts a new assessment of `previous`'s system and catalog with `previous`'s requirement answers, every finding
    /// copied (status, rationale, evidence references, who answered and when) and marked `carried_over_from` =
    /// `previous.id`, and its plan-of-action items copied as they stand; then one audit entry
    /// (`assessment.started-from-previous`, object `assessment/<new>/from/<previous>`). `previous` is the record the
    /// caller read through this store (so of this organization).
    public func createAssessment(from previous: AssessmentRecord, date: Day, kind: AssessmentKind, assessor: String, createdAt: String,
                                 by actor: Actor, on s: any SQLDatabase) async throws -> CarryOver {
        guard previous.organizationId == organizationID else { throw NotFound(what: "assessment \(previous.id)") }
        let r = AssessmentRecord(id: UUID().uuidString.lowercased(), organizationId: organizationID, systemId: previous.systemId,
                                 catalog: previous.catalog, assessedOn: date.description, kind: kind.rawValue, assessor: assessor,
                                 answers: previous.answers, createdAt: createdAt, version: 1, startedFrom: previous.id)
        try await s.insert(into: "assessments").model(r, with: Self.snake).run()
        // Read in the transaction, so a save committed before it is copied.
        let findings = try await scoped("findings", s).where("assessment_id", .equal, previous.id).all().map(FindingRecord.init(row:))
        let copies = findings.map { f in
            FindingRecord(assessmentId: r.id, organizationId: organizationID, objective: f.objective, status: f.status,
                          rationale: f.rationale, evidence: f.evidence, assessedBy: f.assessedBy, assessedOn: f.assessedOn,
                          version: 1, carriedOverFrom: previous.id)
        }
        // 10 columns a row: well under either engine's limit of bound values per statement.
        for start in stride(from: 0, to: copies.count, by: 500) {
            try await s.insert(into: "findings").models(Array(copies[start..<min(start + 500, copies.count)]), with: Self.snake).run()
        }
        let items = try await scoped("poam_items", s).where("assessment_id", .equal, previous.id).all()
            .map { try $0.decode(model: POAMItemRecord.self, with: Self.fromSnake) }
        for item in items {
            var copy = item
            copy.id = UUID().uuidString.lowercased()
            copy.assessmentId = r.id
            copy.version = 1
            try await s.insert(into: "poam_items").model(copy, with: Self.snake).run()
        }
        _ = try await audit.append(event(actor, .assessmentStartedFromPrevious, "assessment/\(r.id)/from/\(previous.id)",
                                         before: nil, after: r), on: s)
        return CarryOver(assessment: r, findings: copies.count, poamItems: items.count)
    }

    /// Confirms carried-over answers as they are: clears each objective's mark and bumps its version (an editor
    /// holding the old version then gets `VersionConflict` instead of overwriting the confirmation silently), one
    /// `finding.confirmed` entry per objective. Objectives not marked are left alone (confirming twice writes nothing
    /// the second time). `ifVersion` (one objective only) makes the write conditional. Returns the confirmed rows.
    public func confirmCarriedOver(assessmentID: String, objectives: [String], ifVersion: Int?, by actor: Actor,
                                   on s: any SQLDatabase) async throws -> [FindingRecord] {
        var confirmed: [FindingRecord] = []
        for objective in objectives {
            guard let before = try await scoped("findings", s).where("assessment_id", .equal, assessmentID)
                .where("objective", .equal, objective).first().map(FindingRecord.init(row:)) else {
                if let ifVersion, ifVersion != 0 { throw VersionConflict(current: 0) }
                continue
            }
            if let ifVersion, ifVersion != before.version { throw VersionConflict(current: before.version) }
            guard before.carriedOverFrom != nil else { continue }
            var after = before
            after.carriedOverFrom = nil
            after.version = before.version + 1
            let updated = try await s.update("findings").set("carried_over_from", to: SQLLiteral.null)
                .set("version", to: SQLBind(after.version))
                .where("organization_id", .equal, organizationID).where("assessment_id", .equal, assessmentID)
                .where("objective", .equal, objective).where("version", .equal, before.version).returning("version").all()
            if updated.isEmpty { throw VersionConflict(current: before.version) }
            _ = try await audit.append(event(actor, .findingConfirmed, "assessment/\(assessmentID)/finding/\(objective)",
                                             before: before, after: after), on: s)
            confirmed.append(after)
        }
        return confirmed
    }

    /// The objectives of an assessment still carried over and not confirmed.
    public func carriedOverObjectives(assessmentID: String) async throws -> Set<String> {
        Set(try await db.sql.select().column("objective").from("findings").where("organization_id", .equal, organizationID)
            .where("assessment_id", .equal, assessmentID).where("carried_over_from", .isNot, SQLLiteral.null).all()
            .map { try $0.decode(column: "objective", as: String.self) })
    }
}
