import Foundation

/// Makes an `AttestationPayload` from an assessment. Nothing is scored here: the score, CMMC status, POA&M date
/// and requirement statuses come from `AssessmentReport` (`SPRSScoring`, `CMMCRules`, `POAMPlanner`) and the CMMC
/// status words from `ScoreSummary`, exactly as `tekigo score` and the API report them.
public enum AttestationBuilder {
    /// - Parameters:
    ///   - id: unique id of the new attestation.
    ///   - issuedAt: the moment of issue, written as ISO 8601 in UTC.
    ///   - organizationID: Tekigo's id for the organization (its node in the supply graph).
    ///   - detail: `.families` adds the per-family counts.
    ///   - expiresAt: a shorter term than the 3-year default (DFARS 252.204-7019(b): "unless a lesser time is
    ///     specified").
    ///   - supersedes: the id of the attestation this one replaces.
    ///   - cloudServices: the cloud services holding the organization's CUI (issue 15); none leaves the field out.
    public static func payload(id: String, issuedAt: Date, organizationID: String, assessment a: Assessment,
                               catalog: Catalog, detail: DetailLevel = .summary, expiresAt: Day? = nil,
                               supersedes: String? = nil, cloudServices: [CloudServiceRef] = []) throws(SupplyChainError) -> AttestationPayload {
        guard a.catalog == catalog.id else { throw .catalogMismatch(assessment: a.catalog, catalog: catalog.id) }
        let report: AssessmentReport
        do { report = try AssessmentReport(a, library: Library(catalogs: [catalog], mappings: [])) } catch {
            throw .assessmentUnreadable(String(describing: error))
        }
        let summary = ScoreSummary(report)
        var closeout: Day?
        // The payload carries the due date only; before the posting date is recorded it counts from the assessment
        // date, which is earlier than the real deadline (SupplierStatus then flags a lapse early, never late).
        if case .conditional(let deadline)? = report.cmmc?.status { closeout = deadline.due }

        var totals = RequirementCounts()
        var byFamily: [String: RequirementCounts] = [:]
        for r in report.requirements {
            totals.count(r.status)
            byFamily[r.entry.family, default: RequirementCounts()].count(r.status)
        }
        let families: [FamilySummary]? = detail == .families
            ? catalog.families.compactMap { f in
                byFamily[f.id].map { FamilySummary(family: f.id, met: $0.met, notMet: $0.notMet,
                                                   notApplicable: $0.notApplicable, notAssessed: $0.notAssessed) }
            }
            : nil

        let org = a.organization
        let payload = AttestationPayload(
            id: id, issuedAt: issuedAt.formatted(Date.ISO8601FormatStyle()),
            organization: AttestedOrganization(id: organizationID, name: org.name, cageCodes: org.cageCodes,
                                               uei: org.uei, corporateNumber: org.corporateNumber),
            systemScope: a.system.name, assessmentKind: a.kind, assessmentDate: a.date, catalog: catalog.id,
            sprsScore: summary.score, cmmcStatus: summary.cmmcStatus, cmmcCloseoutDue: closeout,
            poamCompletionDate: report.expectedFullCompliance, totals: totals, detailLevel: detail, families: families,
            expiresAt: expiresAt, supersedes: supersedes, cloudServices: cloudServices.isEmpty ? nil : cloudServices)
        try payload.validate()
        return payload
    }
}
