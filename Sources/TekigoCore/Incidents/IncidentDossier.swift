import Foundation

/// Who the reporting organization is, as a report names it (DC3 ICF Section II; the MOD report's 会社名 and 法人番号).
public struct ReportingOrganization: Sendable, Hashable, Codable {
    public let id: String
    public let name: String
    public let cageCodes: [String]
    public let uei: String?
    public let corporateNumber: String?

    public init(id: String, name: String, cageCodes: [String] = [], uei: String? = nil, corporateNumber: String? = nil) {
        self.id = id
        self.name = name
        self.cageCodes = cageCodes
        self.uei = uei
        self.corporateNumber = corporateNumber
    }
}

/// A contract the incident affects, with the customer it is held with (DFARS 204.7302(b): the report number goes up
/// to that customer and on to the prime).
public struct AffectedContract: Sendable, Hashable, Codable {
    public let contractID: String
    public let number: String
    public let customerID: String
    public let customerName: String
    public let clauses: Set<ContractClause>

    public init(contractID: String, number: String, customerID: String, customerName: String, clauses: Set<ContractClause>) {
        self.contractID = contractID
        self.number = number
        self.customerID = customerID
        self.customerName = customerName
        self.clauses = clauses
    }
}

/// A report as submitted: when, how, by whom, and the number the recipient gave it.
public struct IncidentSubmission: Sendable, Hashable, Codable {
    public let kind: SubmissionKind
    public let submittedAt: Date
    /// The channel used (the DC3 portal's address, 電話, メール …): configuration and record, never code.
    public let channel: String
    public let submittedBy: String
    /// The number DoD (or another recipient) returned; required for DoD reports.
    public let reportNumber: String?
    /// For a follow-on report: the initial report's number it cites.
    public let cites: String?

    public init(kind: SubmissionKind, submittedAt: Date, channel: String, submittedBy: String, reportNumber: String?,
                cites: String? = nil) {
        self.kind = kind
        self.submittedAt = submittedAt
        self.channel = channel
        self.submittedBy = submittedBy
        self.reportNumber = reportNumber
        self.cites = cites
    }

    public var fact: SubmissionFact { SubmissionFact(kind: kind, submittedAt: submittedAt) }
}

/// One entry of an incident's timeline.
public struct IncidentTimelineEntry: Sendable, Hashable, Codable {
    public let at: Date
    public let author: String
    public let text: String
    /// The phase the incident moved to with this entry, if it moved.
    public let phase: IncidentPhase?
    /// Names of the sealed evidence files attached to the entry.
    public let evidence: [String]

    public init(at: Date, author: String, text: String, phase: IncidentPhase? = nil, evidence: [String] = []) {
        self.at = at
        self.author = author
        self.text = text
        self.phase = phase
        self.evidence = evidence
    }
}

/// Everything known about one incident, as the exports (DoD / MOD report drafts, STIX 2.1, Markdown, HTML) read it.
/// Pure data: the store assembles it, the renderers never touch the database.
public struct IncidentDossier: Sendable, Hashable {
    public let id: String
    public let organization: ReportingOrganization
    public let facts: IncidentFacts
    public let phase: IncidentPhase
    public let affectedSystems: [String]
    public let affectedContracts: [AffectedContract]
    public let submissions: [IncidentSubmission]
    public let timeline: [IncidentTimelineEntry]
    public let createdAt: Date
    public let updatedAt: Date
    /// True for an exercise: the clocks run, nothing is reported or sent.
    public let exercise: Bool

    public init(id: String, organization: ReportingOrganization, facts: IncidentFacts, phase: IncidentPhase,
                affectedSystems: [String], affectedContracts: [AffectedContract], submissions: [IncidentSubmission],
                timeline: [IncidentTimelineEntry], createdAt: Date, updatedAt: Date, exercise: Bool = false) {
        self.id = id
        self.organization = organization
        self.facts = facts
        self.phase = phase
        self.affectedSystems = affectedSystems
        self.affectedContracts = affectedContracts
        self.submissions = submissions
        self.timeline = timeline
        self.createdAt = createdAt
        self.updatedAt = updatedAt
        self.exercise = exercise
    }

    /// The clauses of every affected contract: which reporting regimes apply.
    public var clauses: Set<ContractClause> { affectedContracts.reduce(into: []) { $0.formUnion($1.clauses) } }

    /// The DoD initial report's number, once recorded.
    public var initialReportNumber: String? {
        submissions.filter { $0.kind == .dodInitial }.min { $0.submittedAt < $1.submittedAt }?.reportNumber
    }

    /// The incident's clocks at `now`.
    public func deadlines(table: ReportingRegimeTable = .builtIn, hourSettings: [String: Int] = [:], now: Date) -> [IncidentDeadline] {
        IncidentClock.deadlines(table: table, clauses: clauses, discoveredAt: facts.discoveredAt,
                                submissions: submissions.map(\.fact), hourSettings: hourSettings, now: now)
    }
}
