import Foundation
import TekigoCore

/// What an incident's STIX export may carry besides its core. Everything that could identify a customer, a contract
/// or a report, or that tells the story in the organization's own words, stays out unless a flag asks for it: an
/// export is made to be shared (issue 14), and sharing less is the safe default.
public struct STIXIncidentExportOptions: Sendable, Hashable, Codable {
    /// The TLP 2.0 marking every exported object carries (`object_marking_refs`), with its marking definition.
    public var marking: TLPMarking
    /// The narrative as the incident's `description`.
    public var includeNarrative: Bool
    /// Each affected contract's number, customer and clauses as an external reference (`source_name`
    /// `tekigo-contract`).
    public var includeContracts: Bool
    /// Each recorded report number as an external reference (`source_name` the submission kind, e.g. `dod-initial`).
    public var includeReportNumbers: Bool

    public init(marking: TLPMarking, includeNarrative: Bool = false, includeContracts: Bool = false,
                includeReportNumbers: Bool = false) {
        self.marking = marking
        self.includeNarrative = includeNarrative
        self.includeContracts = includeContracts
        self.includeReportNumbers = includeReportNumbers
    }
}

/// An incident as a STIX 2.1 bundle: the TLP 2.0 marking definition, an `identity` for the reporting organization,
/// the `incident` with the Incident Core extension, and the `task` in which the incident was discovered (its
/// `start_time` is the discovery instant every reporting clock starts from).
///
/// Deterministic: ids are name-based (UUIDv5 in `STIXIdentifier.tekigoNamespace`) from the organization's and the
/// incident's Tekigo ids, so a second export of the same incident is a new version of the same objects; times come
/// from the dossier, truncated to the millisecond; keys are sorted. The same dossier and options give the same bytes.
///
/// How Tekigo's fields map (and what a receiver can tell apart):
/// - phase → `investigation_status`: detected → `new`; analysing, contained, eradicated, recovered → `open`;
///   closed → `closed` (the vocabulary has no finer steps);
/// - outcome → `determination`: `IncidentOutcome.stixDetermination`;
/// - compromise type → `incident_types` for unauthorized access or release; unknown and not applicable leave the
///   property out (the vocabulary has neither);
/// - detection method → `detection_methods` (the raw values are the vocabulary), left out for "other";
/// - an exercise carries the label `exercise`, so no receiver mistakes it for a real incident.
/// Never exported: who discovered it, the technique, the information involved, the affected systems, the timeline.
public enum STIXIncidentExporter {
    /// `created` of the organization's identity object: every export of an organization must give its identity the
    /// same `created` (all versions of a STIX object share it), and nothing in the dossier is older than Tekigo, so
    /// a fixed instant before any Tekigo record. Its `modified` is the dossier's last change.
    public static let identityCreated = STIXTimestamp("2020-01-01T00:00:00.000Z")!

    public static func identityID(organizationID: String) -> STIXIdentifier {
        .nameBased(type: "identity", namespace: STIXIdentifier.tekigoNamespace, name: "tekigo/organization/\(organizationID)")
    }

    public static func incidentID(organizationID: String, incidentID: String) -> STIXIdentifier {
        .nameBased(type: "incident", namespace: STIXIdentifier.tekigoNamespace,
                   name: "tekigo/incident/\(organizationID)/\(incidentID)")
    }

    public static func discoveryTaskID(organizationID: String, incidentID: String) -> STIXIdentifier {
        .nameBased(type: "task", namespace: STIXIdentifier.tekigoNamespace,
                   name: "tekigo/incident-discovery/\(organizationID)/\(incidentID)")
    }

    /// The bundle, as objects (for callers that add to it, such as a sharing preview).
    public static func bundle(_ dossier: IncidentDossier, options: STIXIncidentExportOptions) -> STIXBundle {
        let org = dossier.organization
        let identity = identityID(organizationID: org.id)
        let incident = incidentID(organizationID: org.id, incidentID: dossier.id)
        let task = discoveryTaskID(organizationID: org.id, incidentID: dossier.id)
        let created = STIXTimestamp(dossier.createdAt)
        let modified = max(created, STIXTimestamp(dossier.updatedAt))
        let markingRefs: JSONValue = [.string(options.marking.markingID.rawValue)]

        let identityObject = STIXObject(made: identity, [
            "created": .string(identityCreated.description),
            "modified": .string(max(identityCreated, modified).description),
            "name": .string(org.name),
            "identity_class": "organization",
            "object_marking_refs": markingRefs,
        ])

        var core: [String: JSONValue] = [
            "extension_type": "property-extension",
            "determination": .string(dossier.facts.outcome.stixDetermination),
            "investigation_status": .string(dossier.phase.stixInvestigationStatus),
            "task_refs": [.string(task.rawValue)],
        ]
        switch dossier.facts.compromiseType {
        case .unauthorizedAccess, .unauthorizedRelease: core["incident_types"] = [.string(dossier.facts.compromiseType.rawValue)]
        case .unknown, .notApplicable: break
        }
        if dossier.facts.detectionMethod != .other { core["detection_methods"] = [.string(dossier.facts.detectionMethod.rawValue)] }

        var incidentProperties: [String: JSONValue] = [
            "created": .string(created.description),
            "modified": .string(modified.description),
            "created_by_ref": .string(identity.rawValue),
            "name": .string(dossier.facts.title),
            "object_marking_refs": markingRefs,
            "extensions": [IncidentCoreExtension.id.rawValue: .object(core)],
        ]
        if dossier.exercise { incidentProperties["labels"] = ["exercise"] }
        let narrative = dossier.facts.narrative.trimmingCharacters(in: .whitespacesAndNewlines)
        if options.includeNarrative, !narrative.isEmpty { incidentProperties["description"] = .string(dossier.facts.narrative) }
        var references: [JSONValue] = []
        if options.includeContracts {
            for c in dossier.affectedContracts.sorted(by: { ($0.number, $0.contractID) < ($1.number, $1.contractID) }) {
                let clauses = c.clauses.sorted().map(\.rawValue).joined(separator: ", ")
                references.append([
                    "source_name": "tekigo-contract",
                    "external_id": .string(c.number),
                    "description": .string("Held with \(c.customerName)" + (clauses.isEmpty ? "" : "; clauses: \(clauses)")),
                ])
            }
        }
        if options.includeReportNumbers {
            for s in dossier.submissions.sorted(by: { $0.submittedAt < $1.submittedAt }) {
                guard let number = s.reportNumber, !number.isEmpty else { continue }
                var description = "\(s.kind.label.en), submitted \(STIXTimestamp(s.submittedAt))"
                if let cites = s.cites { description += ", citing \(cites)" }
                references.append(["source_name": .string(s.kind.rawValue), "external_id": .string(number),
                                   "description": .string(description)])
            }
        }
        if !references.isEmpty { incidentProperties["external_references"] = .array(references) }
        let incidentObject = STIXObject(made: incident, incidentProperties)

        let taskObject = STIXObject(made: task, [
            "created": .string(created.description),
            "modified": .string(modified.description),
            "created_by_ref": .string(identity.rawValue),
            "name": "Discovery",
            "task_types": [.string(IncidentCoreExtension.discoveryTaskType)],
            "start_time": .string(STIXTimestamp(dossier.facts.discoveredAt).description),
            "object_marking_refs": markingRefs,
            "extensions": [IncidentCoreExtension.taskExtensionID.rawValue: ["extension_type": "new-sdo"]],
        ])

        // The bundle's id names this export: the incident's version and what the options let through.
        let flags = [options.includeNarrative, options.includeContracts, options.includeReportNumbers].map { $0 ? "1" : "0" }.joined()
        let bundleID = STIXIdentifier.nameBased(type: "bundle", namespace: STIXIdentifier.tekigoNamespace,
                                                name: "tekigo/bundle/\(incident.rawValue)/\(modified)/\(options.marking.rawValue)/\(flags)")
        return STIXBundle(id: bundleID, objects: [options.marking.markingDefinition, identityObject, incidentObject, taskObject])
    }

    /// The bundle as JSON bytes (UTF-8, sorted keys).
    public static func export(_ dossier: IncidentDossier, options: STIXIncidentExportOptions) throws -> Data {
        try bundle(dossier, options: options).jsonData()
    }
}
