import Foundation
import SQLKit
import TekigoCore

// Rows of the incident tables (migration 9), read and written through SQLKit with snake_case column names like the
// other records: booleans as 0/1, instants as ISO 8601 UTC text (`Timestamp`), lists as JSON array text.

/// One incident as stored. `facts()` reads it back through `IncidentFacts`' checks.
public struct IncidentRecord: Codable, Sendable, Hashable {
    public var id: String
    public var organizationId: String
    public var title: String
    /// The instant of discovery (`Timestamp`, UTC).
    public var discoveredAt: String
    /// The zone the discoverer gave the time in (IANA id or a fixed offset `GMT+0900`).
    public var discoveredTimeZone: String
    public var discoveredBy: String
    /// `DetectionMethod` raw value.
    public var detectionMethod: String
    /// `CompromiseType` raw value.
    public var compromiseType: String
    /// `IncidentOutcome` raw value.
    public var outcome: String
    /// `cui`, `protected-information` or `none-known`.
    public var informationKind: String
    /// The CUI category or the 情報セキュリティ指定書 reference; empty for `none-known`.
    public var informationReference: String
    public var technique: String
    public var narrative: String
    /// `IncidentPhase` raw value.
    public var phase: String
    public var exercise: Int
    /// The report drafts' fields as JSON text (`IncidentReportFields`), nil until saved.
    public var reportFields: String?
    public var createdBy: String
    public var createdAt: String
    public var updatedAt: String
    /// Counts changes of this row (facts, phase, report fields): `If-Match` / `expectedVersion`.
    public var version: Int

    public static let informationKinds = ["cui", "protected-information", "none-known"]

    public init(id: String, organizationID: String, facts: IncidentFacts, phase: IncidentPhase, exercise: Bool,
                reportFields: String?, createdBy: String, createdAt: String, updatedAt: String, version: Int) {
        self.id = id
        self.organizationId = organizationID
        self.phase = phase.rawValue
        self.exercise = exercise ? 1 : 0
        self.reportFields = reportFields
        self.createdBy = createdBy
        self.createdAt = createdAt
        self.updatedAt = updatedAt
        self.version = version
        self.title = ""
        self.discoveredAt = ""
        self.discoveredTimeZone = ""
        self.discoveredBy = ""
        self.detectionMethod = ""
        self.compromiseType = ""
        self.outcome = ""
        self.informationKind = ""
        self.informationReference = ""
        self.technique = ""
        self.narrative = ""
        setFacts(facts)
    }

    /// Copies the facts into the row's columns.
    public mutating func setFacts(_ f: IncidentFacts) {
        title = f.title
        discoveredAt = Timestamp.string(f.discoveredAt)
        discoveredTimeZone = f.discoveredTimeZone
        discoveredBy = f.discoveredBy
        detectionMethod = f.detectionMethod.rawValue
        compromiseType = f.compromiseType.rawValue
        outcome = f.outcome.rawValue
        switch f.information {
        case .cui(let category): informationKind = "cui"; informationReference = category
        case .protectedInformation(let ref): informationKind = "protected-information"; informationReference = ref
        case .noneKnown: informationKind = "none-known"; informationReference = ""
        }
        technique = f.technique
        narrative = f.narrative
    }

    public var isExercise: Bool { exercise != 0 }
    public var discoveredDate: Date? { Timestamp.date(discoveredAt) }

    public var information: InformationInvolved {
        switch informationKind {
        case "cui": return .cui(category: informationReference)
        case "protected-information": return .protectedInformation(designationReference: informationReference)
        default: return .noneKnown
        }
    }

    /// The phase; a stored value Tekigo does not know is a corrupt row.
    public func incidentPhase() throws -> IncidentPhase {
        guard let p = IncidentPhase(rawValue: phase) else { throw IncidentStoreError.corruptRow("incident/\(id): phase '\(phase)'") }
        return p
    }

    /// The facts as the domain sees them. Discovery is checked against the time the row was recorded, not today.
    public func facts() throws -> IncidentFacts {
        guard let discovered = Timestamp.date(discoveredAt),
              let method = DetectionMethod(rawValue: detectionMethod),
              let compromise = CompromiseType(rawValue: compromiseType),
              let outcome = IncidentOutcome(rawValue: outcome) else {
            throw IncidentStoreError.corruptRow("incident/\(id)")
        }
        do {
            return try IncidentFacts(title: title, discoveredAt: discovered, discoveredTimeZone: discoveredTimeZone,
                                     discoveredBy: discoveredBy, detectionMethod: method, compromiseType: compromise,
                                     outcome: outcome, information: information, technique: technique, narrative: narrative,
                                     recordedAt: .distantFuture)
        } catch {
            throw IncidentStoreError.corruptRow("incident/\(id): \(error.description)")
        }
    }
}

/// A system the incident affects (copied name: the record keeps what was named).
public struct IncidentSystemRecord: Codable, Sendable, Hashable {
    public var incidentId: String
    public var systemId: String
    public var systemName: String

    public init(incidentId: String, systemId: String, systemName: String) {
        self.incidentId = incidentId
        self.systemId = systemId
        self.systemName = systemName
    }
}

/// A supply-chain contract the incident affects, on which the organization is the supplier; copied when named.
public struct IncidentContractRecord: Codable, Sendable, Hashable {
    public var incidentId: String
    public var contractId: String
    public var number: String
    public var customerId: String
    /// JSON array of `ContractClause` raw values.
    public var clauses: String


    public init(incidentId: String, contractId: String, number: String, customerId: String, clauses: String) {
        self.incidentId = incidentId
        self.contractId = contractId
        self.number = number
        self.customerId = customerId
        self.clauses = clauses
    }
    public var clauseSet: Set<ContractClause> {
        Set((JSONText.decode([String].self, clauses) ?? []).compactMap(ContractClause.init(rawValue:)))
    }
}

/// A sealed evidence file (EvidenceVault) an incident timeline entry names.
public struct IncidentEvidenceRef: Codable, Sendable, Hashable {
    public let sha256: String
    public let filename: String

    public init(sha256: String, filename: String) {
        self.sha256 = sha256
        self.filename = filename
    }
}

public struct IncidentTimelineRecord: Codable, Sendable, Hashable {
    public var id: String
    public var incidentId: String
    public var organizationId: String
    public var at: String
    public var author: String
    public var text: String
    public var phase: String?
    /// JSON array of `IncidentEvidenceRef`.
    public var evidence: String
    public var createdAt: String


    public init(id: String, incidentId: String, organizationId: String, at: String, author: String, text: String, phase: String?, evidence: String, createdAt: String) {
        self.id = id
        self.incidentId = incidentId
        self.organizationId = organizationId
        self.at = at
        self.author = author
        self.text = text
        self.phase = phase
        self.evidence = evidence
        self.createdAt = createdAt
    }
    public var evidenceFiles: [IncidentEvidenceRef] { JSONText.decode([IncidentEvidenceRef].self, evidence) ?? [] }

    public var entry: IncidentTimelineEntry {
        IncidentTimelineEntry(at: Timestamp.date(at) ?? .distantPast, author: author, text: text,
                              phase: phase.flatMap(IncidentPhase.init(rawValue:)), evidence: evidenceFiles.map(\.filename))
    }
}

public struct IncidentSubmissionRecord: Codable, Sendable, Hashable {
    public var id: String
    public var incidentId: String
    public var organizationId: String
    /// `SubmissionKind` raw value.
    public var kind: String
    public var submittedAt: String
    public var channel: String
    public var submittedBy: String
    public var reportNumber: String?
    /// The report number again for a DoD report of a real incident (unique across every organization); nil otherwise.
    public var dodReportNumber: String?
    public var cites: String?
    public var createdAt: String


    public init(id: String, incidentId: String, organizationId: String, kind: String, submittedAt: String, channel: String, submittedBy: String, reportNumber: String?, dodReportNumber: String?, cites: String?, createdAt: String) {
        self.id = id
        self.incidentId = incidentId
        self.organizationId = organizationId
        self.kind = kind
        self.submittedAt = submittedAt
        self.channel = channel
        self.submittedBy = submittedBy
        self.reportNumber = reportNumber
        self.dodReportNumber = dodReportNumber
        self.cites = cites
        self.createdAt = createdAt
    }
    public var submission: IncidentSubmission? {
        guard let k = SubmissionKind(rawValue: kind), let at = Timestamp.date(submittedAt) else { return nil }
        return IncidentSubmission(kind: k, submittedAt: at, channel: channel, submittedBy: submittedBy, reportNumber: reportNumber,
                                  cites: cites)
    }
}

/// The organization's hours for a clock rule marked as a setting.
public struct IncidentHourSettingRecord: Codable, Sendable, Hashable {
    public var organizationId: String
    public var ruleId: String
    public var hours: Int
    public var updatedBy: String
    public var updatedAt: String

    public init(organizationId: String, ruleId: String, hours: Int, updatedBy: String, updatedAt: String) {
        self.organizationId = organizationId
        self.ruleId = ruleId
        self.hours = hours
        self.updatedBy = updatedBy
        self.updatedAt = updatedAt
    }
}

/// A need-to-know grant: `userId` may read (and, by role, manage) the organization's incidents.
public struct IncidentTeamRecord: Codable, Sendable, Hashable {
    public var organizationId: String
    public var userId: String
    public var grantedBy: String
    public var grantedAt: String

    public init(organizationId: String, userId: String, grantedBy: String, grantedAt: String) {
        self.organizationId = organizationId
        self.userId = userId
        self.grantedBy = grantedBy
        self.grantedAt = grantedAt
    }
}

/// A contract an incident can name: the organization is its supplier (the customer above is who must hear of it).
public struct LinkableContract: Sendable, Hashable, Codable {
    public let id: String
    public let number: String
    public let customerID: String
    public let customerName: String
    public let clauses: Set<ContractClause>
}

public enum IncidentStoreError: Error, CustomStringConvertible, Equatable {
    /// Stored data that no longer reads back: a server fault, never the client's.
    case corruptRow(String)

    public var description: String {
        switch self {
        case .corruptRow(let what): return "Stored incident data cannot be read back (\(what)); restore it from a backup or report it."
        }
    }
}
