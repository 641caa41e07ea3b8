import Foundation

// The parts of the OSCAL 1.1.3 system-security-plan, plan-of-action-and-milestones and assessment-results models
// that Tekigo writes (JSON field names as in NIST's schemas). `OSCALProperty` and `OSCALLink` come from the
// catalog model. Optional arrays are nil rather than empty: OSCAL's schemas give every array `minItems: 1`.
//
// Values OSCAL constrains to a list are plain strings here (OSCAL lets most lists be extended), with the values
// Tekigo writes named in the comments.

// MARK: - Shared: metadata and back matter

public struct OSCALRole: Codable, Sendable, Hashable {
    public var id: String
    public var title: String
    public var description: String?

    public init(id: String, title: String, description: String? = nil) {
        self.id = id
        self.title = title
        self.description = description
    }
}

public struct OSCALParty: Codable, Sendable, Hashable {
    public var uuid: String
    /// `person` or `organization`.
    public var type: String
    public var name: String?
    public var props: [OSCALProperty]?
    public var remarks: String?

    public init(uuid: String, type: String, name: String? = nil, props: [OSCALProperty]? = nil, remarks: String? = nil) {
        self.uuid = uuid
        self.type = type
        self.name = name
        self.props = props
        self.remarks = remarks
    }
}

public struct OSCALResponsibleParty: Codable, Sendable, Hashable {
    public var roleID: String
    public var partyUUIDs: [String]

    public init(roleID: String, partyUUIDs: [String]) {
        self.roleID = roleID
        self.partyUUIDs = partyUUIDs
    }

    enum CodingKeys: String, CodingKey {
        case roleID = "role-id"
        case partyUUIDs = "party-uuids"
    }
}

/// `metadata` of an SSP, POA&M or assessment results (the catalog reader has its own, smaller one).
public struct OSCALDocumentMetadata: Codable, Sendable, Hashable {
    public var title: String
    public var lastModified: String
    public var version: String
    public var oscalVersion: String
    public var props: [OSCALProperty]?
    public var roles: [OSCALRole]?
    public var parties: [OSCALParty]?
    public var responsibleParties: [OSCALResponsibleParty]?
    public var remarks: String?

    public init(title: String, lastModified: String, version: String, oscalVersion: String,
                props: [OSCALProperty]? = nil, roles: [OSCALRole]? = nil, parties: [OSCALParty]? = nil,
                responsibleParties: [OSCALResponsibleParty]? = nil, remarks: String? = nil) {
        self.title = title
        self.lastModified = lastModified
        self.version = version
        self.oscalVersion = oscalVersion
        self.props = props
        self.roles = roles
        self.parties = parties
        self.responsibleParties = responsibleParties
        self.remarks = remarks
    }

    enum CodingKeys: String, CodingKey {
        case title
        case lastModified = "last-modified"
        case version
        case oscalVersion = "oscal-version"
        case props, roles, parties
        case responsibleParties = "responsible-parties"
        case remarks
    }
}

public struct OSCALHash: Codable, Sendable, Hashable {
    /// `SHA-256`, …
    public var algorithm: String
    public var value: String

    public init(algorithm: String, value: String) {
        self.algorithm = algorithm
        self.value = value
    }
}

/// A back-matter resource's `rlinks` entry.
public struct OSCALResourceLink: Codable, Sendable, Hashable {
    public var href: String
    public var mediaType: String?
    public var hashes: [OSCALHash]?

    public init(href: String, mediaType: String? = nil, hashes: [OSCALHash]? = nil) {
        self.href = href
        self.mediaType = mediaType
        self.hashes = hashes
    }

    enum CodingKeys: String, CodingKey {
        case href
        case mediaType = "media-type"
        case hashes
    }
}

public struct OSCALCitation: Codable, Sendable, Hashable {
    public var text: String
    public var links: [OSCALLink]?

    public init(text: String, links: [OSCALLink]? = nil) {
        self.text = text
        self.links = links
    }
}

public struct OSCALResource: Codable, Sendable, Hashable {
    public var uuid: String
    public var title: String?
    public var description: String?
    public var props: [OSCALProperty]?
    public var citation: OSCALCitation?
    public var rlinks: [OSCALResourceLink]?
    public var remarks: String?

    public init(uuid: String, title: String? = nil, description: String? = nil, props: [OSCALProperty]? = nil,
                citation: OSCALCitation? = nil, rlinks: [OSCALResourceLink]? = nil, remarks: String? = nil) {
        self.uuid = uuid
        self.title = title
        self.description = description
        self.props = props
        self.citation = citation
        self.rlinks = rlinks
        self.remarks = remarks
    }
}

public struct OSCALBackMatter: Codable, Sendable, Hashable {
    public var resources: [OSCALResource]?

    public init(resources: [OSCALResource]?) { self.resources = resources }
}

/// `{ "state": …, "remarks": … }`: a system's or component's status, or an implementation status
/// (`implemented`, `partial`, `planned`, `alternative`, `not-applicable`).
public struct OSCALState: Codable, Sendable, Hashable {
    public var state: String
    public var remarks: String?

    public init(state: String, remarks: String? = nil) {
        self.state = state
        self.remarks = remarks
    }
}

public struct OSCALSystemID: Codable, Sendable, Hashable {
    public var identifierType: String?
    public var id: String

    public init(identifierType: String? = nil, id: String) {
        self.identifierType = identifierType
        self.id = id
    }

    enum CodingKeys: String, CodingKey {
        case identifierType = "identifier-type"
        case id
    }
}

// MARK: - System security plan

public struct OSCALSSPDocument: Codable, Sendable {
    public var systemSecurityPlan: OSCALSystemSecurityPlan

    public init(systemSecurityPlan: OSCALSystemSecurityPlan) { self.systemSecurityPlan = systemSecurityPlan }

    enum CodingKeys: String, CodingKey { case systemSecurityPlan = "system-security-plan" }
}

public struct OSCALSystemSecurityPlan: Codable, Sendable {
    public var uuid: String
    public var metadata: OSCALDocumentMetadata
    public var importProfile: OSCALImportProfile
    public var systemCharacteristics: OSCALSystemCharacteristics
    public var systemImplementation: OSCALSystemImplementation
    public var controlImplementation: OSCALControlImplementation
    public var backMatter: OSCALBackMatter?

    public init(uuid: String, metadata: OSCALDocumentMetadata, importProfile: OSCALImportProfile,
                systemCharacteristics: OSCALSystemCharacteristics, systemImplementation: OSCALSystemImplementation,
                controlImplementation: OSCALControlImplementation, backMatter: OSCALBackMatter? = nil) {
        self.uuid = uuid
        self.metadata = metadata
        self.importProfile = importProfile
        self.systemCharacteristics = systemCharacteristics
        self.systemImplementation = systemImplementation
        self.controlImplementation = controlImplementation
        self.backMatter = backMatter
    }

    enum CodingKeys: String, CodingKey {
        case uuid, metadata
        case importProfile = "import-profile"
        case systemCharacteristics = "system-characteristics"
        case systemImplementation = "system-implementation"
        case controlImplementation = "control-implementation"
        case backMatter = "back-matter"
    }
}

public struct OSCALImportProfile: Codable, Sendable, Hashable {
    public var href: String
    public var remarks: String?

    public init(href: String, remarks: String? = nil) {
        self.href = href
        self.remarks = remarks
    }
}

public struct OSCALSystemCharacteristics: Codable, Sendable {
    public var systemIDs: [OSCALSystemID]
    public var systemName: String
    public var description: String
    public var props: [OSCALProperty]?
    public var securitySensitivityLevel: String?
    public var systemInformation: OSCALSystemInformation
    /// `operational`, `under-development`, `under-major-modification`, `disposition`, `other`.
    public var status: OSCALState
    public var authorizationBoundary: OSCALDescribed
    public var remarks: String?

    public init(systemIDs: [OSCALSystemID], systemName: String, description: String, props: [OSCALProperty]? = nil,
                securitySensitivityLevel: String? = nil, systemInformation: OSCALSystemInformation,
                status: OSCALState, authorizationBoundary: OSCALDescribed, remarks: String? = nil) {
        self.systemIDs = systemIDs
        self.systemName = systemName
        self.description = description
        self.props = props
        self.securitySensitivityLevel = securitySensitivityLevel
        self.systemInformation = systemInformation
        self.status = status
        self.authorizationBoundary = authorizationBoundary
        self.remarks = remarks
    }

    enum CodingKeys: String, CodingKey {
        case systemIDs = "system-ids"
        case systemName = "system-name"
        case description, props
        case securitySensitivityLevel = "security-sensitivity-level"
        case systemInformation = "system-information"
        case status
        case authorizationBoundary = "authorization-boundary"
        case remarks
    }
}

/// An object with a description and optional props and remarks (authorization boundary, …).
public struct OSCALDescribed: Codable, Sendable, Hashable {
    public var description: String
    public var props: [OSCALProperty]?
    public var remarks: String?

    public init(description: String, props: [OSCALProperty]? = nil, remarks: String? = nil) {
        self.description = description
        self.props = props
        self.remarks = remarks
    }
}

public struct OSCALSystemInformation: Codable, Sendable {
    public var informationTypes: [OSCALInformationType]

    public init(informationTypes: [OSCALInformationType]) { self.informationTypes = informationTypes }

    enum CodingKeys: String, CodingKey { case informationTypes = "information-types" }
}

public struct OSCALInformationTypeCategorization: Codable, Sendable, Hashable {
    public var system: String
    public var informationTypeIDs: [String]?

    public init(system: String, informationTypeIDs: [String]? = nil) {
        self.system = system
        self.informationTypeIDs = informationTypeIDs
    }

    enum CodingKeys: String, CodingKey {
        case system
        case informationTypeIDs = "information-type-ids"
    }
}

/// A confidentiality, integrity or availability impact (`base`: `fips-199-low`, `fips-199-moderate`, …).
public struct OSCALImpact: Codable, Sendable, Hashable {
    public var base: String
    public var selected: String?
    public var adjustmentJustification: String?

    public init(base: String, selected: String? = nil, adjustmentJustification: String? = nil) {
        self.base = base
        self.selected = selected
        self.adjustmentJustification = adjustmentJustification
    }

    enum CodingKeys: String, CodingKey {
        case base, selected
        case adjustmentJustification = "adjustment-justification"
    }
}

public struct OSCALInformationType: Codable, Sendable {
    public var uuid: String?
    public var title: String
    public var description: String
    public var categorizations: [OSCALInformationTypeCategorization]?
    public var props: [OSCALProperty]?
    public var confidentialityImpact: OSCALImpact?
    public var integrityImpact: OSCALImpact?
    public var availabilityImpact: OSCALImpact?

    public init(uuid: String? = nil, title: String, description: String,
                categorizations: [OSCALInformationTypeCategorization]? = nil, props: [OSCALProperty]? = nil,
                confidentialityImpact: OSCALImpact? = nil, integrityImpact: OSCALImpact? = nil,
                availabilityImpact: OSCALImpact? = nil) {
        self.uuid = uuid
        self.title = title
        self.description = description
        self.categorizations = categorizations
        self.props = props
        self.confidentialityImpact = confidentialityImpact
        self.integrityImpact = integrityImpact
        self.availabilityImpact = availabilityImpact
    }

    enum CodingKeys: String, CodingKey {
        case uuid, title, description, categorizations, props
        case confidentialityImpact = "confidentiality-impact"
        case integrityImpact = "integrity-impact"
        case availabilityImpact = "availability-impact"
    }
}

public struct OSCALSystemImplementation: Codable, Sendable {
    public var props: [OSCALProperty]?
    /// The authorized services this system leverages (issue 15; `OSCALLeveragedAuthorization`).
    public var leveragedAuthorizations: [OSCALLeveragedAuthorization]?
    public var users: [OSCALSystemUser]
    public var components: [OSCALSystemComponent]
    public var remarks: String?

    public init(props: [OSCALProperty]? = nil, leveragedAuthorizations: [OSCALLeveragedAuthorization]? = nil,
                users: [OSCALSystemUser], components: [OSCALSystemComponent], remarks: String? = nil) {
        self.props = props
        self.leveragedAuthorizations = leveragedAuthorizations
        self.users = users
        self.components = components
        self.remarks = remarks
    }

    enum CodingKeys: String, CodingKey {
        case props, users, components, remarks
        case leveragedAuthorizations = "leveraged-authorizations"
    }
}

public struct OSCALSystemUser: Codable, Sendable, Hashable {
    public var uuid: String
    public var title: String?
    public var description: String?
    public var props: [OSCALProperty]?
    public var roleIDs: [String]?

    public init(uuid: String, title: String? = nil, description: String? = nil, props: [OSCALProperty]? = nil,
                roleIDs: [String]? = nil) {
        self.uuid = uuid
        self.title = title
        self.description = description
        self.props = props
        self.roleIDs = roleIDs
    }

    enum CodingKeys: String, CodingKey {
        case uuid, title, description, props
        case roleIDs = "role-ids"
    }
}

public struct OSCALSystemComponent: Codable, Sendable, Hashable {
    public var uuid: String
    /// `this-system`, `hardware`, `software`, `service`, `network`, `system`, …
    public var type: String
    public var title: String
    public var description: String
    public var props: [OSCALProperty]?
    /// `operational`, `under-development`, `disposition`, `other`.
    public var status: OSCALState
    public var remarks: String?

    public init(uuid: String, type: String, title: String, description: String, props: [OSCALProperty]? = nil,
                status: OSCALState, remarks: String? = nil) {
        self.uuid = uuid
        self.type = type
        self.title = title
        self.description = description
        self.props = props
        self.status = status
        self.remarks = remarks
    }
}

public struct OSCALControlImplementation: Codable, Sendable {
    public var description: String
    public var implementedRequirements: [OSCALImplementedRequirement]

    public init(description: String, implementedRequirements: [OSCALImplementedRequirement]) {
        self.description = description
        self.implementedRequirements = implementedRequirements
    }

    enum CodingKeys: String, CodingKey {
        case description
        case implementedRequirements = "implemented-requirements"
    }
}

public struct OSCALImplementedRequirement: Codable, Sendable {
    public var uuid: String
    public var controlID: String
    public var props: [OSCALProperty]?
    public var byComponents: [OSCALByComponent]?
    public var remarks: String?

    public init(uuid: String, controlID: String, props: [OSCALProperty]? = nil, byComponents: [OSCALByComponent]? = nil,
                remarks: String? = nil) {
        self.uuid = uuid
        self.controlID = controlID
        self.props = props
        self.byComponents = byComponents
        self.remarks = remarks
    }

    enum CodingKeys: String, CodingKey {
        case uuid
        case controlID = "control-id"
        case props
        case byComponents = "by-components"
        case remarks
    }
}

public struct OSCALByComponent: Codable, Sendable {
    public var componentUUID: String
    public var uuid: String
    public var description: String
    public var props: [OSCALProperty]?
    public var implementationStatus: OSCALState?
    /// What this component inherits from a leveraged authorization (issue 15; `OSCALInherited`).
    public var inherited: [OSCALInherited]?
    public var remarks: String?

    public init(componentUUID: String, uuid: String, description: String, props: [OSCALProperty]? = nil,
                implementationStatus: OSCALState? = nil, inherited: [OSCALInherited]? = nil, remarks: String? = nil) {
        self.componentUUID = componentUUID
        self.uuid = uuid
        self.description = description
        self.props = props
        self.implementationStatus = implementationStatus
        self.inherited = inherited
        self.remarks = remarks
    }

    enum CodingKeys: String, CodingKey {
        case componentUUID = "component-uuid"
        case uuid, description, props, inherited
        case implementationStatus = "implementation-status"
        case remarks
    }
}

// MARK: - Assessment layer, shared by the POA&M and assessment results

public struct OSCALOriginActor: Codable, Sendable, Hashable {
    /// `party`, `tool`, `assessment-platform`.
    public var type: String
    public var actorUUID: String
    public var roleID: String?

    public init(type: String, actorUUID: String, roleID: String? = nil) {
        self.type = type
        self.actorUUID = actorUUID
        self.roleID = roleID
    }

    enum CodingKeys: String, CodingKey {
        case type
        case actorUUID = "actor-uuid"
        case roleID = "role-id"
    }
}

public struct OSCALOrigin: Codable, Sendable, Hashable {
    public var actors: [OSCALOriginActor]

    public init(actors: [OSCALOriginActor]) { self.actors = actors }
}

public struct OSCALRelevantEvidence: Codable, Sendable, Hashable {
    public var href: String?
    public var description: String
    public var props: [OSCALProperty]?
    public var remarks: String?

    public init(href: String? = nil, description: String, props: [OSCALProperty]? = nil, remarks: String? = nil) {
        self.href = href
        self.description = description
        self.props = props
        self.remarks = remarks
    }
}

public struct OSCALObservation: Codable, Sendable, Hashable {
    public var uuid: String
    public var title: String?
    public var description: String
    public var props: [OSCALProperty]?
    /// `EXAMINE`, `INTERVIEW`, `TEST`, `UNKNOWN`.
    public var methods: [String]
    /// `control-objective`, `finding`, `ssp-statement-issue`, `mitigation`, `historic`.
    public var types: [String]?
    public var origins: [OSCALOrigin]?
    public var relevantEvidence: [OSCALRelevantEvidence]?
    public var collected: String
    public var remarks: String?

    public init(uuid: String, title: String? = nil, description: String, props: [OSCALProperty]? = nil,
                methods: [String], types: [String]? = nil, origins: [OSCALOrigin]? = nil,
                relevantEvidence: [OSCALRelevantEvidence]? = nil, collected: String, remarks: String? = nil) {
        self.uuid = uuid
        self.title = title
        self.description = description
        self.props = props
        self.methods = methods
        self.types = types
        self.origins = origins
        self.relevantEvidence = relevantEvidence
        self.collected = collected
        self.remarks = remarks
    }

    enum CodingKeys: String, CodingKey {
        case uuid, title, description, props, methods, types, origins
        case relevantEvidence = "relevant-evidence"
        case collected, remarks
    }
}

public struct OSCALRelatedObservation: Codable, Sendable, Hashable {
    public var observationUUID: String

    public init(observationUUID: String) { self.observationUUID = observationUUID }

    enum CodingKeys: String, CodingKey { case observationUUID = "observation-uuid" }
}

public struct OSCALRelatedRisk: Codable, Sendable, Hashable {
    public var riskUUID: String

    public init(riskUUID: String) { self.riskUUID = riskUUID }

    enum CodingKeys: String, CodingKey { case riskUUID = "risk-uuid" }
}

public struct OSCALOnDate: Codable, Sendable, Hashable {
    public var date: String

    public init(date: String) { self.date = date }
}

public struct OSCALTiming: Codable, Sendable, Hashable {
    public var onDate: OSCALOnDate?

    public init(onDate: OSCALOnDate?) { self.onDate = onDate }

    enum CodingKeys: String, CodingKey { case onDate = "on-date" }
}

public struct OSCALTask: Codable, Sendable, Hashable {
    public var uuid: String
    /// `milestone` or `action`.
    public var type: String
    public var title: String
    public var description: String?
    public var props: [OSCALProperty]?
    public var timing: OSCALTiming?
    public var remarks: String?

    public init(uuid: String, type: String, title: String, description: String? = nil, props: [OSCALProperty]? = nil,
                timing: OSCALTiming? = nil, remarks: String? = nil) {
        self.uuid = uuid
        self.type = type
        self.title = title
        self.description = description
        self.props = props
        self.timing = timing
        self.remarks = remarks
    }
}

/// A risk's remediation (`response`).
public struct OSCALResponse: Codable, Sendable, Hashable {
    public var uuid: String
    /// `recommendation`, `planned`, `completed`.
    public var lifecycle: String
    public var title: String
    public var description: String
    public var props: [OSCALProperty]?
    public var tasks: [OSCALTask]?
    public var remarks: String?

    public init(uuid: String, lifecycle: String, title: String, description: String, props: [OSCALProperty]? = nil,
                tasks: [OSCALTask]? = nil, remarks: String? = nil) {
        self.uuid = uuid
        self.lifecycle = lifecycle
        self.title = title
        self.description = description
        self.props = props
        self.tasks = tasks
        self.remarks = remarks
    }
}

public struct OSCALRisk: Codable, Sendable, Hashable {
    public var uuid: String
    public var title: String
    public var description: String
    public var statement: String
    public var props: [OSCALProperty]?
    /// `open`, `investigating`, `remediating`, `deviation-requested`, `deviation-approved`, `closed`.
    public var status: String
    public var deadline: String?
    public var remediations: [OSCALResponse]?
    public var relatedObservations: [OSCALRelatedObservation]?

    public init(uuid: String, title: String, description: String, statement: String, props: [OSCALProperty]? = nil,
                status: String, deadline: String? = nil, remediations: [OSCALResponse]? = nil,
                relatedObservations: [OSCALRelatedObservation]? = nil) {
        self.uuid = uuid
        self.title = title
        self.description = description
        self.statement = statement
        self.props = props
        self.status = status
        self.deadline = deadline
        self.remediations = remediations
        self.relatedObservations = relatedObservations
    }

    enum CodingKeys: String, CodingKey {
        case uuid, title, description, statement, props, status, deadline, remediations
        case relatedObservations = "related-observations"
    }
}

/// A finding target's status: `satisfied` or `not-satisfied`.
public struct OSCALObjectiveStatus: Codable, Sendable, Hashable {
    public var state: String
    public var reason: String?
    public var remarks: String?

    public init(state: String, reason: String? = nil, remarks: String? = nil) {
        self.state = state
        self.reason = reason
        self.remarks = remarks
    }
}

public struct OSCALFindingTarget: Codable, Sendable, Hashable {
    /// `objective-id` or `statement-id`.
    public var type: String
    public var targetID: String
    public var title: String?
    public var props: [OSCALProperty]?
    public var status: OSCALObjectiveStatus
    public var implementationStatus: OSCALState?

    public init(type: String, targetID: String, title: String? = nil, props: [OSCALProperty]? = nil,
                status: OSCALObjectiveStatus, implementationStatus: OSCALState? = nil) {
        self.type = type
        self.targetID = targetID
        self.title = title
        self.props = props
        self.status = status
        self.implementationStatus = implementationStatus
    }

    enum CodingKeys: String, CodingKey {
        case type
        case targetID = "target-id"
        case title, props, status
        case implementationStatus = "implementation-status"
    }
}

public struct OSCALFinding: Codable, Sendable, Hashable {
    public var uuid: String
    public var title: String
    public var description: String
    public var props: [OSCALProperty]?
    public var target: OSCALFindingTarget
    public var relatedObservations: [OSCALRelatedObservation]?
    public var relatedRisks: [OSCALRelatedRisk]?
    public var remarks: String?

    public init(uuid: String, title: String, description: String, props: [OSCALProperty]? = nil,
                target: OSCALFindingTarget, relatedObservations: [OSCALRelatedObservation]? = nil,
                relatedRisks: [OSCALRelatedRisk]? = nil, remarks: String? = nil) {
        self.uuid = uuid
        self.title = title
        self.description = description
        self.props = props
        self.target = target
        self.relatedObservations = relatedObservations
        self.relatedRisks = relatedRisks
        self.remarks = remarks
    }

    enum CodingKeys: String, CodingKey {
        case uuid, title, description, props, target
        case relatedObservations = "related-observations"
        case relatedRisks = "related-risks"
        case remarks
    }
}

// MARK: - Plan of action and milestones

public struct OSCALPOAMDocument: Codable, Sendable {
    public var planOfActionAndMilestones: OSCALPlanOfActionAndMilestones

    public init(planOfActionAndMilestones: OSCALPlanOfActionAndMilestones) {
        self.planOfActionAndMilestones = planOfActionAndMilestones
    }

    enum CodingKeys: String, CodingKey { case planOfActionAndMilestones = "plan-of-action-and-milestones" }
}

public struct OSCALPlanOfActionAndMilestones: Codable, Sendable {
    public var uuid: String
    public var metadata: OSCALDocumentMetadata
    public var systemID: OSCALSystemID?
    public var observations: [OSCALObservation]?
    public var risks: [OSCALRisk]?
    public var poamItems: [OSCALPOAMItem]
    public var backMatter: OSCALBackMatter?

    public init(uuid: String, metadata: OSCALDocumentMetadata, systemID: OSCALSystemID? = nil,
                observations: [OSCALObservation]? = nil, risks: [OSCALRisk]? = nil, poamItems: [OSCALPOAMItem],
                backMatter: OSCALBackMatter? = nil) {
        self.uuid = uuid
        self.metadata = metadata
        self.systemID = systemID
        self.observations = observations
        self.risks = risks
        self.poamItems = poamItems
        self.backMatter = backMatter
    }

    enum CodingKeys: String, CodingKey {
        case uuid, metadata
        case systemID = "system-id"
        case observations, risks
        case poamItems = "poam-items"
        case backMatter = "back-matter"
    }
}

public struct OSCALPOAMItem: Codable, Sendable, Hashable {
    public var uuid: String?
    public var title: String
    public var description: String
    public var props: [OSCALProperty]?
    public var relatedObservations: [OSCALRelatedObservation]?
    public var relatedRisks: [OSCALRelatedRisk]?
    public var remarks: String?

    public init(uuid: String? = nil, title: String, description: String, props: [OSCALProperty]? = nil,
                relatedObservations: [OSCALRelatedObservation]? = nil, relatedRisks: [OSCALRelatedRisk]? = nil,
                remarks: String? = nil) {
        self.uuid = uuid
        self.title = title
        self.description = description
        self.props = props
        self.relatedObservations = relatedObservations
        self.relatedRisks = relatedRisks
        self.remarks = remarks
    }

    enum CodingKeys: String, CodingKey {
        case uuid, title, description, props
        case relatedObservations = "related-observations"
        case relatedRisks = "related-risks"
        case remarks
    }
}

// MARK: - Assessment results

public struct OSCALAssessmentResultsDocument: Codable, Sendable {
    public var assessmentResults: OSCALAssessmentResults

    public init(assessmentResults: OSCALAssessmentResults) { self.assessmentResults = assessmentResults }

    enum CodingKeys: String, CodingKey { case assessmentResults = "assessment-results" }
}

public struct OSCALAssessmentResults: Codable, Sendable {
    public var uuid: String
    public var metadata: OSCALDocumentMetadata
    public var importAP: OSCALImportAP
    public var results: [OSCALResult]
    public var backMatter: OSCALBackMatter?

    public init(uuid: String, metadata: OSCALDocumentMetadata, importAP: OSCALImportAP, results: [OSCALResult],
                backMatter: OSCALBackMatter? = nil) {
        self.uuid = uuid
        self.metadata = metadata
        self.importAP = importAP
        self.results = results
        self.backMatter = backMatter
    }

    enum CodingKeys: String, CodingKey {
        case uuid, metadata
        case importAP = "import-ap"
        case results
        case backMatter = "back-matter"
    }
}

public struct OSCALImportAP: Codable, Sendable, Hashable {
    public var href: String
    public var remarks: String?

    public init(href: String, remarks: String? = nil) {
        self.href = href
        self.remarks = remarks
    }
}

/// An empty object: "all of them".
public struct OSCALIncludeAll: Codable, Sendable, Hashable {
    public init() {}
}

public struct OSCALSelectControlByID: Codable, Sendable, Hashable {
    public var controlID: String
    public var statementIDs: [String]?

    public init(controlID: String, statementIDs: [String]? = nil) {
        self.controlID = controlID
        self.statementIDs = statementIDs
    }

    enum CodingKeys: String, CodingKey {
        case controlID = "control-id"
        case statementIDs = "statement-ids"
    }
}

public struct OSCALControlSelection: Codable, Sendable, Hashable {
    public var description: String?
    public var includeAll: OSCALIncludeAll?
    public var includeControls: [OSCALSelectControlByID]?

    public init(description: String? = nil, includeAll: OSCALIncludeAll? = nil,
                includeControls: [OSCALSelectControlByID]? = nil) {
        self.description = description
        self.includeAll = includeAll
        self.includeControls = includeControls
    }

    enum CodingKeys: String, CodingKey {
        case description
        case includeAll = "include-all"
        case includeControls = "include-controls"
    }
}

public struct OSCALReviewedControls: Codable, Sendable, Hashable {
    public var description: String?
    public var links: [OSCALLink]?
    public var controlSelections: [OSCALControlSelection]

    public init(description: String? = nil, links: [OSCALLink]? = nil, controlSelections: [OSCALControlSelection]) {
        self.description = description
        self.links = links
        self.controlSelections = controlSelections
    }

    enum CodingKeys: String, CodingKey {
        case description, links
        case controlSelections = "control-selections"
    }
}

public struct OSCALResult: Codable, Sendable {
    public var uuid: String
    public var title: String
    public var description: String
    public var start: String
    public var end: String?
    public var props: [OSCALProperty]?
    public var reviewedControls: OSCALReviewedControls
    public var observations: [OSCALObservation]?
    public var risks: [OSCALRisk]?
    public var findings: [OSCALFinding]?
    public var remarks: String?

    public init(uuid: String, title: String, description: String, start: String, end: String? = nil,
                props: [OSCALProperty]? = nil, reviewedControls: OSCALReviewedControls,
                observations: [OSCALObservation]? = nil, risks: [OSCALRisk]? = nil, findings: [OSCALFinding]? = nil,
                remarks: String? = nil) {
        self.uuid = uuid
        self.title = title
        self.description = description
        self.start = start
        self.end = end
        self.props = props
        self.reviewedControls = reviewedControls
        self.observations = observations
        self.risks = risks
        self.findings = findings
        self.remarks = remarks
    }

    enum CodingKeys: String, CodingKey {
        case uuid, title, description, start, end, props
        case reviewedControls = "reviewed-controls"
        case observations, risks, findings, remarks
    }
}
