import Foundation
import TekigoCore

// Rows of the cloud services tables (migration 21), snake_case columns like the other records: days as YYYY-MM-DD
// text, instants as ISO 8601 UTC text (`Timestamp`), lists and objects as JSON text (`JSONText`).

/// A cloud service the organization uses.
public struct CloudServiceRecord: Codable, Sendable, Hashable {
    public var id: String
    public var organizationId: String
    /// `CloudServiceRef` text: `fedramp:<package id>`, `ismap:<registration number>` or `other:<name>`.
    public var ref: String
    /// How the organization calls it.
    public var name: String
    /// `CloudInformation` raw value.
    public var information: String
    /// JSON array of `CloudRegime` raw values chosen for it (empty: those following from the information).
    public var regimes: String
    public var note: String
    public var createdBy: String
    public var createdAt: String
    public var updatedAt: String
    public var version: Int

    public init(id: String, organizationId: String, ref: CloudServiceRef, name: String, information: CloudInformation,
                regimes: [CloudRegime], note: String, createdBy: String, at: String) {
        self.id = id
        self.organizationId = organizationId
        self.ref = ref.description
        self.name = name
        self.information = information.rawValue
        self.regimes = JSONText.encode(regimes.map(\.rawValue))
        self.note = note
        self.createdBy = createdBy
        self.createdAt = at
        self.updatedAt = at
        self.version = 1
    }

    public var serviceRef: CloudServiceRef? { try? CloudServiceRef(parsing: ref) }
    public var informationKind: CloudInformation { CloudInformation(rawValue: information) ?? .none }
    /// The regimes chosen (empty: none chosen, those following from the information apply).
    public var chosenRegimes: [CloudRegime] {
        get { (JSONText.decode([String].self, regimes) ?? []).compactMap(CloudRegime.init(rawValue:)) }
        set { regimes = JSONText.encode(newValue.map(\.rawValue)) }
    }
    /// The regimes the service must satisfy (`CloudServiceRules.regimes`).
    public var applicableRegimes: [CloudRegime] { CloudServiceRules.regimes(information: informationKind, chosen: chosenRegimes) }
}

/// One evaluation, as recorded (append-only).
public struct CloudServiceEvaluationRecord: Codable, Sendable, Hashable {
    public var id: String
    public var serviceId: String
    public var organizationId: String
    /// `CloudRegime` raw value.
    public var regime: String
    /// `CloudEvaluationMethod` raw value.
    public var method: String
    /// `meets` or `does-not-meet`.
    public var decision: String
    /// The `EquivalencyRuleSet.id` an equivalency decision used, kept after newer versions ship.
    public var ruleSetVersion: String?
    /// JSON `EquivalencyChecklist` (equivalency), else nil.
    public var checklist: String?
    /// What the Marketplace said on the day (marketplace method), else nil.
    public var registryStatus: String?
    public var registryImpactLevel: String?
    public var rationale: String
    /// JSON array of evidence references (an evidence file's SHA-256, a link, a document id).
    public var evidence: String
    /// Who evaluated (a person's name as entered).
    public var evaluatedBy: String
    /// YYYY-MM-DD.
    public var evaluatedOn: String
    /// The audit actor who recorded it.
    public var recordedBy: String
    public var recordedAt: String

    public static let meetsText = "meets"
    public static let doesNotMeetText = "does-not-meet"

    public init(id: String, serviceId: String, organizationId: String, regime: CloudRegime, method: CloudEvaluationMethod, meets: Bool,
                ruleSetVersion: String?, checklist: EquivalencyChecklist?, registryStatus: String?, registryImpactLevel: String?,
                rationale: String, evidence: [String], evaluatedBy: String, evaluatedOn: Day, recordedBy: String, recordedAt: String) {
        self.id = id
        self.serviceId = serviceId
        self.organizationId = organizationId
        self.regime = regime.rawValue
        self.method = method.rawValue
        self.decision = meets ? Self.meetsText : Self.doesNotMeetText
        self.ruleSetVersion = ruleSetVersion
        self.checklist = checklist.map(JSONText.encode)
        self.registryStatus = registryStatus
        self.registryImpactLevel = registryImpactLevel
        self.rationale = rationale
        self.evidence = JSONText.encode(evidence)
        self.evaluatedBy = evaluatedBy
        self.evaluatedOn = evaluatedOn.description
        self.recordedBy = recordedBy
        self.recordedAt = recordedAt
    }

    public var meets: Bool { decision == Self.meetsText }
    public var regimeKind: CloudRegime? { CloudRegime(rawValue: regime) }
    public var methodKind: CloudEvaluationMethod? { CloudEvaluationMethod(rawValue: method) }
    public var checklistValue: EquivalencyChecklist? { checklist.flatMap { JSONText.decode(EquivalencyChecklist.self, $0) } }
    public var evidenceReferences: [String] { JSONText.decode([String].self, evidence) ?? [] }
    public var ruleSet: EquivalencyRuleSet? { ruleSetVersion.flatMap(EquivalencyRuleSet.version) }

    /// What the rules read (nil for a row Tekigo cannot read: an unknown regime, method or day).
    public var facts: CloudEvaluationFacts? {
        guard let r = regimeKind, let m = methodKind, let d = Day(evaluatedOn) else { return nil }
        return CloudEvaluationFacts(regime: r, method: m, meets: meets, ruleSetVersion: ruleSetVersion, checklist: checklistValue, evaluatedOn: d)
    }
}

/// The provider's (c)–(g) commitments for one service.
public struct CloudCommitmentsRecord: Codable, Sendable, Hashable {
    public var serviceId: String
    public var organizationId: String
    /// JSON array of `CloudCommitment`.
    public var commitments: String
    public var updatedBy: String
    public var updatedAt: String
    public var version: Int

    public init(serviceId: String, organizationId: String, commitments: [CloudCommitment], updatedBy: String, updatedAt: String, version: Int) {
        self.serviceId = serviceId
        self.organizationId = organizationId
        self.commitments = JSONText.encode(commitments)
        self.updatedBy = updatedBy
        self.updatedAt = updatedAt
        self.version = version
    }

    public var values: [CloudCommitment] { JSONText.decode([CloudCommitment].self, commitments) ?? [] }
}

/// What the platform's registry says about a service, for the rules and for display.
public struct CloudRegistryView: Sendable, Hashable {
    public let standing: CloudRegistryStanding
    /// The provider and offering (FedRAMP) or provider and service name (ISMAP); nil when not in the registry.
    public let title: String?
    /// "ISMAP" / "ISMAP-LIU" for a registration.
    public let listName: String?

    public init(standing: CloudRegistryStanding, title: String?, listName: String?) {
        self.standing = standing
        self.title = title
        self.listName = listName
    }

    public static let notInRegistry = CloudRegistryView(standing: .notInRegistry, title: nil, listName: nil)
}
