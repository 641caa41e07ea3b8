import Foundation
import TekigoCore

/// `system-implementation.leveraged-authorizations[]` of an OSCAL 1.1 SSP.
public struct OSCALLeveragedAuthorization: Codable, Sendable, Hashable {
    public var uuid: String
    public var title: String
    public var props: [OSCALProperty]?
    public var partyUUID: String
    /// YYYY-MM-DD.
    public var dateAuthorized: String
    public var remarks: String?

    public init(uuid: String, title: String, props: [OSCALProperty]? = nil, partyUUID: String, dateAuthorized: String,
                remarks: String? = nil) {
        self.uuid = uuid
        self.title = title
        self.props = props
        self.partyUUID = partyUUID
        self.dateAuthorized = dateAuthorized
        self.remarks = remarks
    }

    enum CodingKeys: String, CodingKey {
        case uuid, title, props, remarks
        case partyUUID = "party-uuid"
        case dateAuthorized = "date-authorized"
    }
}

/// `by-components[].inherited[]`: what a component inherits from what a leveraged system provides.
public struct OSCALInherited: Codable, Sendable, Hashable {
    public var uuid: String
    public var providedUUID: String
    public var description: String

    public init(uuid: String, providedUUID: String, description: String) {
        self.uuid = uuid
        self.providedUUID = providedUUID
        self.description = description
    }

    enum CodingKeys: String, CodingKey {
        case uuid, description
        case providedUUID = "provided-uuid"
    }
}

/// A cloud service the system leverages, for the SSP export (issue 15 item 4): the services with a responsibility
/// matrix whose inheritance the organization confirmed, each with the requirements (of the exported catalog) it
/// provides or shares. Built by the use-case layer (`ResponsibilityQueries.leveragedServices`).
public struct OSCALLeveragedService: Sendable, Hashable {
    public struct Requirement: Sendable, Hashable {
        /// The catalog entry id (`3.1.1`, `03.01.01`).
        public var id: String
        /// Shared with the provider rather than inherited whole.
        public var shared: Bool
        /// The objectives the organization confirmed.
        public var objectives: [String]

        public init(id: String, shared: Bool, objectives: [String]) {
            self.id = id
            self.shared = shared
            self.objectives = objectives
        }
    }

    /// `CloudServiceRef` text (`fedramp:FR1704369518`).
    public var reference: String
    public var name: String
    /// YYYY-MM-DD: the authorization date when the registry knows it, else the day the matrix was imported.
    public var dateAuthorized: String
    /// Where the provider's evidence is (the package, the CRM document).
    public var evidenceReference: String
    public var requirements: [Requirement]

    public init(reference: String, name: String, dateAuthorized: String, evidenceReference: String, requirements: [Requirement]) {
        self.reference = reference
        self.name = name
        self.dateAuthorized = dateAuthorized
        self.evidenceReference = evidenceReference
        self.requirements = requirements
    }
}

/// The SSP parts for leveraged services: a leveraged authorization, a party and a component (type `system`,
/// implementation point external, as NIST's leveraging example) per service, and per requirement a by-component of
/// that component with an `inherited` entry. UUIDs come from the exporter's name-based `uuid` (stable across exports).
enum OSCALLeveragedParts {
    struct Parts {
        var authorizations: [OSCALLeveragedAuthorization] = []
        var parties: [OSCALParty] = []
        var components: [OSCALSystemComponent] = []
        /// By catalog entry id.
        var byComponents: [String: [OSCALByComponent]] = [:]
    }

    static func make(_ services: [OSCALLeveragedService], uuid: (String, String) -> String) -> Parts {
        var p = Parts()
        for s in services.sorted(by: { $0.reference < $1.reference }) {
            let name = ExportText.line(s.name) ?? s.reference
            let auth = uuid("leveraged-authorization", s.reference)
            let party = uuid("leveraged-party", s.reference)
            let component = uuid("leveraged-component", s.reference)
            p.parties.append(OSCALParty(uuid: party, type: "organization", name: name))
            p.authorizations.append(OSCALLeveragedAuthorization(
                uuid: auth, title: name,
                props: [OSCALProperty(name: "cloud-service", value: s.reference, ns: OSCALExporter.namespace)],
                partyUUID: party, dateAuthorized: s.dateAuthorized,
                remarks: ExportText.line(s.evidenceReference).map { "Provider's evidence: \($0)" }))
            p.components.append(OSCALSystemComponent(
                uuid: component, type: "system", title: name,
                description: "\(name), a cloud service this system leverages (\(s.reference)); its customer responsibility matrix was imported and the inheritance confirmed.",
                props: [OSCALProperty(name: "implementation-point", value: "external"),
                        OSCALProperty(name: "leveraged-authorization-uuid", value: auth)],
                status: OSCALState(state: "operational")))
            for r in s.requirements {
                let what = r.shared ? "shared with" : "inherited from"
                let objectives = r.objectives.isEmpty ? "" : " Objectives confirmed: \(r.objectives.joined(separator: ", "))."
                p.byComponents[r.id, default: []].append(OSCALByComponent(
                    componentUUID: component, uuid: uuid("leveraged-by-component", "\(s.reference):\(r.id)"),
                    description: "Requirement \(r.id) is \(what) \(name).\(objectives)",
                    inherited: [OSCALInherited(uuid: uuid("inherited", "\(s.reference):\(r.id)"),
                                               providedUUID: uuid("provided", "\(s.reference):\(r.id)"),
                                               description: "What \(name) provides for \(r.id), per its customer responsibility matrix"
                                                   + (ExportText.line(s.evidenceReference).map { " (\($0))" } ?? "") + ".")]))
            }
        }
        return p
    }
}
