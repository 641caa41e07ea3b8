import Foundation
import SQLKit
import TekigoCore

// Rows of the server tables (migration 2), as Codable records read and written through SQLKit with snake_case
// column names. Booleans are stored as integers (0/1) and times as ISO 8601 text so one schema serves SQLite
// and PostgreSQL.

public struct OrganizationRecord: Codable, Sendable, Hashable {
    public var id: String
    public var name: String
    /// JSON array of CAGE codes.
    public var cageCodes: String
    public var uei: String?
    public var corporateNumber: String?
    public var createdAt: String
    public var version: Int
    /// IANA time zone of the organization's calendar (migration 7; `OrganizationCalendar`).
    public var timeZone: String = OrganizationCalendar.defaultTimeZone

    public var cageCodeList: [String] { (try? JSONDecoder().decode([String].self, from: Data(cageCodes.utf8))) ?? [] }
}

public struct UserRecord: Codable, Sendable, Hashable {
    public var id: String
    public var email: String
    public var displayName: String
    public var passwordHash: String
    public var platformAdmin: Int
    public var totpSecret: String?
    public var totpEnabled: Int
    public var totpLastStep: Int
    /// JSON array of SHA-256 hex digests of unused recovery codes.
    public var recoveryCodes: String
    public var failedLogins: Int
    public var lockedUntil: String?
    public var createdAt: String
    public var version: Int
    /// A secret being enrolled, not yet confirmed with a code; the active one (`totpSecret`) stays in force until then.
    public var totpPendingSecret: String?

    public var isPlatformAdmin: Bool { platformAdmin != 0 }
    public var hasMFA: Bool { totpEnabled != 0 }
    public var recoveryCodeHashes: [String] { (try? JSONDecoder().decode([String].self, from: Data(recoveryCodes.utf8))) ?? [] }
}

public struct MembershipRecord: Codable, Sendable, Hashable {
    public var userId: String
    public var organizationId: String
    public var role: String
    public var createdAt: String

    public var roleValue: Role? { Role(rawValue: role) }
}

public struct SessionRecord: Codable, Sendable, Hashable {
    public var idHash: String
    public var userId: String
    public var csrfToken: String
    public var mfaPassed: Int
    public var createdAt: String
    public var lastSeen: String
    public var expiresAt: String
    public var sourceIp: String

    public init(idHash: String, userId: String, csrfToken: String, mfaPassed: Int, createdAt: String, lastSeen: String,
                expiresAt: String, sourceIp: String) {
        self.idHash = idHash
        self.userId = userId
        self.csrfToken = csrfToken
        self.mfaPassed = mfaPassed
        self.createdAt = createdAt
        self.lastSeen = lastSeen
        self.expiresAt = expiresAt
        self.sourceIp = sourceIp
    }
}

public struct APITokenRecord: Codable, Sendable, Hashable {
    public var id: String
    public var organizationId: String
    public var userId: String
    public var name: String
    public var tokenHash: String
    /// "read" or "write".
    public var scope: String
    public var expiresAt: String
    public var revokedAt: String?
    public var createdAt: String

    public init(id: String, organizationId: String, userId: String, name: String, tokenHash: String, scope: String,
                expiresAt: String, revokedAt: String?, createdAt: String) {
        self.id = id
        self.organizationId = organizationId
        self.userId = userId
        self.name = name
        self.tokenHash = tokenHash
        self.scope = scope
        self.expiresAt = expiresAt
        self.revokedAt = revokedAt
        self.createdAt = createdAt
    }
}

public struct SystemRecord: Codable, Sendable, Hashable {
    public var id: String
    public var organizationId: String
    public var name: String
    public var boundary: String
    public var environment: String
    public var informationTypes: String
    public var components: String
    public var userCount: Int
    public var createdAt: String
    public var version: Int

    public var informationTypeList: [String] { JSONText.decode([String].self, informationTypes) ?? [] }
}

public struct AssessmentRecord: Codable, Sendable, Hashable {
    public var id: String
    public var organizationId: String
    public var systemId: String
    public var catalog: String
    public var assessedOn: String
    public var kind: String
    public var assessor: String
    /// JSON object: requirement id → RequirementAnswer.
    public var answers: String
    public var createdAt: String
    public var version: Int
    /// The date the results were posted (YYYY-MM-DD; migration 6), or nil while not recorded (32 CFR 170.21(b)).
    public var resultsPostedOn: String? = nil
}

public struct FindingRecord: Codable, Sendable, Hashable {
    public var assessmentId: String
    public var organizationId: String
    public var objective: String
    public var status: String
    public var rationale: String
    /// JSON array of EvidenceRef.
    public var evidence: String
    public var assessedBy: String?
    public var assessedOn: String?
    public var version: Int
}

extension FindingRecord {
    /// Reads a row column by column. An assessment lists hundreds of findings; the keyed `Decodable` path costs
    /// several times more per row (docs/PERFORMANCE.md).
    init(row: any SQLRow) throws {
        func text(_ c: String) throws -> String { try row.decode(column: c, as: String.self) }
        func optionalText(_ c: String) throws -> String? { try row.decodeNil(column: c) ? nil : text(c) }
        self.init(assessmentId: try text("assessment_id"), organizationId: try text("organization_id"),
                  objective: try text("objective"), status: try text("status"), rationale: try text("rationale"),
                  evidence: try text("evidence"), assessedBy: try optionalText("assessed_by"),
                  assessedOn: try optionalText("assessed_on"), version: try row.decode(column: "version", as: Int.self))
    }
}

public struct POAMItemRecord: Codable, Sendable, Hashable {
    public var id: String
    public var organizationId: String
    public var assessmentId: String
    public var requirement: String
    public var weakness: String
    public var milestones: String
    public var owner: String
    public var resources: String
    public var status: String
    public var scheduledCompletion: String?
    public var completedOn: String?
    public var version: Int
}

enum JSONText {
    static func encode<T: Encodable>(_ v: T) -> String {
        let e = JSONEncoder()
        e.outputFormatting = [.sortedKeys]
        return String(decoding: (try? e.encode(v)) ?? Data("null".utf8), as: UTF8.self)
    }

    static func decode<T: Decodable>(_ type: T.Type, _ s: String) -> T? {
        try? JSONDecoder().decode(T.self, from: Data(s.utf8))
    }
}
