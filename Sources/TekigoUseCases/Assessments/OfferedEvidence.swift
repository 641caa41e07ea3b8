import Foundation
import TekigoCore
import TekigoStore

/// One objective an offer of evidence would add to: the evidence text, and the finding as it stands. Nothing is
/// written until the user confirms (`OfferedEvidence.add`).
public struct OfferedEvidenceItem: Sendable, Hashable {
    public let objective: String
    public let requirementID: String
    public let requirementTitle: LocalizedText
    /// The evidence entry the finding would get (`EvidenceRef.location`).
    public let location: String
    /// The finding as it stands (its status is kept: evidence never changes a status).
    public let status: FindingStatus
    /// The finding's version (0: none yet), for the write's version check.
    public let version: Int
    /// The finding lists this evidence already.
    public let alreadyAdded: Bool

    public init(objective: String, requirementID: String, requirementTitle: LocalizedText, location: String, status: FindingStatus,
                version: Int, alreadyAdded: Bool) {
        self.objective = objective
        self.requirementID = requirementID
        self.requirementTitle = requirementTitle
        self.location = location
        self.status = status
        self.version = version
        self.alreadyAdded = alreadyAdded
    }
}

/// Evidence offered to an assessment's findings objective by objective and added only to those the user confirms: the
/// one way a completed exercise (`ExerciseUseCases`, 3.6.3) and a share to an authority (`IncidentShareUseCases`,
/// 3.6.2) build their offer and write what was confirmed. Each caller decides which objectives are offered, checks its
/// own access and records what was confirmed with its own audit entry.
struct OfferedEvidence {
    let env: TenantEnvironment
    let scope: TenantScope

    /// The evidence list a finding's `evidence` column holds.
    static func refs(_ json: String) -> [EvidenceRef]? { try? JSONDecoder().decode([EvidenceRef].self, from: Data(json.utf8)) }

    /// The objectives a user ticked: trimmed, blanks dropped, each once, sorted.
    static func chosen(_ objectives: [String]) -> [String] {
        Array(Set(objectives.map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }.filter { !$0.isEmpty })).sorted()
    }

    /// The offer's items, in the order of `objectives`: each with the finding as it stands in `assessmentID` (not
    /// assessed at version 0 when there is none) and whether it lists `location` already. Writes nothing.
    func items(assessmentID: String, objectives: [(objective: String, requirement: CatalogEntry)], location: String) async throws
        -> [OfferedEvidenceItem] {
        let findings = Dictionary(try await scope.store.findings(assessmentID: assessmentID).map { ($0.objective, $0) },
                                  uniquingKeysWith: { a, _ in a })
        return objectives.map { o, entry in
            let f = findings[o]
            let refs = f.flatMap { Self.refs($0.evidence) } ?? []
            return OfferedEvidenceItem(objective: o, requirementID: entry.id, requirementTitle: entry.title, location: location,
                                       status: f.flatMap { FindingStatus(rawValue: $0.status) } ?? .notAssessed, version: f?.version ?? 0,
                                       alreadyAdded: refs.contains { $0.location == location })
        }
    }

    /// Adds each item's evidence, dated today, to its finding through `AssessmentUseCases.putFinding` with the version
    /// the offer was read at (`versions[objective]`, else the item's), keeping the finding's status, rationale and
    /// assessor (`finding.updated` each). An item whose finding lists the evidence already is left as it is.
    func add(_ items: [OfferedEvidenceItem], assessmentID: String, versions: [String: Int]) async throws {
        let assessments = AssessmentUseCases(env, scope)
        let current = Dictionary(try await scope.store.findings(assessmentID: assessmentID).map { ($0.objective, $0) },
                                 uniquingKeysWith: { a, _ in a })
        let today = scope.calendar.today(env.clock)
        for item in items where !item.alreadyAdded {
            let f = current[item.objective]
            let refs = f.flatMap { Self.refs($0.evidence) } ?? []
            _ = try await assessments.putFinding(assessmentID: assessmentID, objective: item.objective, status: item.status.rawValue,
                                                 rationale: f?.rationale ?? "",
                                                 evidence: refs + [EvidenceRef(location: item.location, date: today)],
                                                 assessedBy: f?.assessedBy, ifVersion: versions[item.objective] ?? item.version)
        }
    }
}
