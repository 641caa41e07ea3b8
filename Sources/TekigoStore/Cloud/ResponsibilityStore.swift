import Foundation
import SQLKit
import TekigoCore

/// A provider's matrix as imported for one organization and service (migration 22).
public struct ResponsibilityMatrixRecord: Codable, Sendable, Hashable {
    public var organizationId: String
    /// `CloudServiceRef` text.
    public var serviceRef: String
    public var serviceName: String
    /// `ResponsibilityMatrix.Format` raw value.
    public var format: String
    public var responsibilityColumn: String?
    public var evidenceReference: String
    public var fileName: String
    public var fileSha256: String
    public var importedBy: String
    public var importedAt: String
    public var entryCount: Int
    /// JSON array of `ResponsibilityWarning`.
    public var warnings: String
    /// JSON array of `LeveragedAuthorizationInfo`.
    public var leveraged: String

    public init(organizationId: String, serviceRef: CloudServiceRef, serviceName: String, matrix: ResponsibilityMatrix,
                evidenceReference: String, fileName: String, fileSha256: String, importedBy: String, importedAt: String) {
        self.organizationId = organizationId
        self.serviceRef = serviceRef.description
        self.serviceName = serviceName
        self.format = matrix.format.rawValue
        self.responsibilityColumn = matrix.responsibilityColumn
        self.evidenceReference = evidenceReference
        self.fileName = fileName
        self.fileSha256 = fileSha256
        self.importedBy = importedBy
        self.importedAt = importedAt
        self.entryCount = matrix.entries.count
        self.warnings = JSONText.encode(matrix.warnings)
        self.leveraged = JSONText.encode(matrix.leveragedAuthorizations)
    }

    public var warningList: [ResponsibilityWarning] { JSONText.decode([ResponsibilityWarning].self, warnings) ?? [] }
    public var leveragedList: [LeveragedAuthorizationInfo] { JSONText.decode([LeveragedAuthorizationInfo].self, leveraged) ?? [] }
    /// The import day (YYYY-MM-DD).
    public var importedOn: String { String(importedAt.prefix(10)) }
}

/// One control of a stored matrix.
public struct ResponsibilityEntryRecord: Codable, Sendable, Hashable {
    public var organizationId: String
    public var serviceRef: String
    public var controlId: String
    public var responsibility: String
    public var text: String
    public var source: String

    public var entry: ResponsibilityEntry? {
        ControlResponsibility(rawValue: responsibility).map { ResponsibilityEntry(control: controlId, responsibility: $0, text: text, source: source) }
    }
}

/// An objective's inheritance from a service, confirmed by a person.
public struct InheritanceConfirmationRecord: Codable, Sendable, Hashable {
    public var organizationId: String
    public var assessmentId: String
    public var objective: String
    public var serviceRef: String
    /// `RequirementInheritance` raw value (inherited / shared).
    public var inheritance: String
    /// `FindingStatus` raw value the person chose.
    public var status: String
    public var evidenceLocation: String
    public var confirmedBy: String
    public var confirmedAt: String

    public init(organizationId: String, assessmentId: String, objective: String, serviceRef: String, inheritance: String,
                status: String, evidenceLocation: String, confirmedBy: String, confirmedAt: String) {
        self.organizationId = organizationId
        self.assessmentId = assessmentId
        self.objective = objective
        self.serviceRef = serviceRef
        self.inheritance = inheritance
        self.status = status
        self.evidenceLocation = evidenceLocation
        self.confirmedBy = confirmedBy
        self.confirmedAt = confirmedAt
    }
}

/// Responsibility matrices and confirmed inheritance of one organization (migration 22). Every query is scoped to
/// `organizationID`; writes run in the caller's transaction (`on:`), opened by `ResponsibilityUseCases`, which also
/// appends the audit entries.
public struct ResponsibilityStore: Sendable {
    public let organizationID: String
    let db: TekigoDatabase

    public init(_ db: TekigoDatabase, organizationID: String) {
        self.db = db
        self.organizationID = organizationID
    }

    static let snake = SnakeCaseColumns.encoder
    static let fromSnake = SnakeCaseColumns.decoder

    func scoped(_ table: String, _ s: (any SQLDatabase)?) -> SQLSelectBuilder {
        (s ?? db.sql).select().columns("*").from(table).where("organization_id", .equal, organizationID)
    }

    /// Every matrix of the organization, by service reference.
    public func matrices(on s: (any SQLDatabase)? = nil) async throws -> [ResponsibilityMatrixRecord] {
        try await scoped("cloud_responsibility_matrices", s).orderBy("service_ref").all()
            .map { try $0.decode(model: ResponsibilityMatrixRecord.self, with: Self.fromSnake) }
    }

    public func matrix(ref: CloudServiceRef, on s: (any SQLDatabase)? = nil) async throws -> ResponsibilityMatrixRecord? {
        try await scoped("cloud_responsibility_matrices", s).where("service_ref", .equal, ref.description).first()?
            .decode(model: ResponsibilityMatrixRecord.self, with: Self.fromSnake)
    }

    /// The controls of a service's matrix, by control id.
    public func entries(ref: CloudServiceRef, on s: (any SQLDatabase)? = nil) async throws -> [ResponsibilityEntryRecord] {
        try await scoped("cloud_responsibility_entries", s).where("service_ref", .equal, ref.description).orderBy("control_id").all()
            .map { try $0.decode(model: ResponsibilityEntryRecord.self, with: Self.fromSnake) }
    }

    /// Replaces the service's matrix and its entries whole (the caller's transaction makes it atomic).
    public func replace(_ r: ResponsibilityMatrixRecord, entries: [ResponsibilityEntry], on s: any SQLDatabase) async throws {
        precondition(r.organizationId == organizationID)
        try await s.delete(from: "cloud_responsibility_entries").where("organization_id", .equal, organizationID)
            .where("service_ref", .equal, r.serviceRef).run()
        try await s.delete(from: "cloud_responsibility_matrices").where("organization_id", .equal, organizationID)
            .where("service_ref", .equal, r.serviceRef).run()
        try await s.insert(into: "cloud_responsibility_matrices").model(r, with: Self.snake).run()
        for e in entries {
            try await s.insert(into: "cloud_responsibility_entries")
                .columns("organization_id", "service_ref", "control_id", "responsibility", "text", "source")
                .values(SQLBind(organizationID), SQLBind(r.serviceRef), SQLBind(e.control), SQLBind(e.responsibility.rawValue),
                        SQLBind(e.text), SQLBind(e.source)).run()
        }
    }

    public func confirmations(assessmentID: String, on s: (any SQLDatabase)? = nil) async throws -> [InheritanceConfirmationRecord] {
        try await scoped("cloud_inheritance_confirmations", s).where("assessment_id", .equal, assessmentID)
            .orderBy("objective").orderBy("service_ref").all()
            .map { try $0.decode(model: InheritanceConfirmationRecord.self, with: Self.fromSnake) }
    }

    /// Records (or records again) a confirmation.
    public func putConfirmation(_ r: InheritanceConfirmationRecord, on s: any SQLDatabase) async throws {
        precondition(r.organizationId == organizationID)
        try await s.delete(from: "cloud_inheritance_confirmations").where("organization_id", .equal, organizationID)
            .where("assessment_id", .equal, r.assessmentId).where("objective", .equal, r.objective)
            .where("service_ref", .equal, r.serviceRef).run()
        try await s.insert(into: "cloud_inheritance_confirmations").model(r, with: Self.snake).run()
    }
}
