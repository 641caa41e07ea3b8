import Foundation
import SQLKit
import TekigoCore

extension TenantStore {
    /// Records (or, with nil, clears) the date the assessment's results were posted, from which the CMMC POA&M
    /// closeout counts (32 CFR 170.21(b)). One transaction: the version check, the write (the assessment's version
    /// goes up) and the audit entry. With `ifVersion`, a stale writer gets `VersionConflict` and nothing changes.
    /// The caller has checked the date with `CMMCRules.postingProblem`.
    public func setResultsPosted(assessmentID: String, on day: Day?, ifVersion: Int?, by actor: Actor) async throws -> AssessmentRecord {
        try await db.transaction { s in
            guard var a = try await scoped("assessments", s).where("id", .equal, assessmentID).first()?
                .decode(model: AssessmentRecord.self, with: Self.fromSnake) else { throw NotFound(what: "assessment \(assessmentID)") }
            if let ifVersion, ifVersion != a.version { throw VersionConflict(current: a.version) }
            let before = a.resultsPostedOn
            let current = a.version
            a.resultsPostedOn = day?.description
            a.version = current + 1
            let updated = try await s.update("assessments")
                .set("results_posted_on", to: day.map { SQLBind($0.description) as any SQLExpression } ?? SQLLiteral.null)
                .set("version", to: SQLBind(a.version))
                .where("organization_id", .equal, organizationID).where("id", .equal, assessmentID)
                .where("version", .equal, current).returning("version").all()
            if updated.isEmpty { throw VersionConflict(current: current) }
            _ = try await audit.append(event(actor, .assessmentResultsPosted, "assessment/\(assessmentID)",
                                             before: ["resultsPostedOn": before], after: ["resultsPostedOn": a.resultsPostedOn]), on: s)
            return a
        }
    }
}
