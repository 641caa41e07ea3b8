import Foundation
import TekigoCore

/// A FedRAMP Marketplace product as the registry holds it (from the newest import).
public struct CloudProduct: Sendable, Hashable, Codable {
    public let packageID: String
    public let csp: String
    public let cso: String
    public let status: String
    public let impactLevel: String
    public let authType: String?
    public let authDate: String?
    public let annualAssessment: String?
    public let independentAssessor: String?
    public let serviceModels: [String]
    public let deploymentModel: String?
    public let agencyAuthorizations: Int
    public let reuse: Int
    public let description: String?
    public let website: String?
    /// The import that wrote this row.
    public let importID: String

    public var ref: CloudServiceRef { .fedramp(packageID: packageID) }
    public var knownImpactLevel: FedRAMPImpactLevel? { FedRAMPImpactLevel(rawValue: impactLevel) }
    public var knownStatus: FedRAMPStatus? { FedRAMPStatus(rawValue: status) }
    /// FedRAMP Authorized at the Moderate baseline or above (`FedRAMPProduct.isAuthorizedModerateOrAbove(status:impactLevel:)`).
    public var isAuthorizedModerateOrAbove: Bool { FedRAMPProduct.isAuthorizedModerateOrAbove(status: status, impactLevel: impactLevel) }
}

/// One field of one product changed by a re-import, dated.
public struct CloudProductChange: Sendable, Hashable, Codable {
    public let id: String
    public let importID: String
    public let packageID: String
    public let field: CloudProductField
    /// As the older file wrote it; nil when absent (or the product was not listed).
    public let oldValue: String?
    public let newValue: String?
    /// The newer file's date (`meta.last_change`), or the import's day when the file has none (YYYY-MM-DD).
    public let changedOn: String
    /// When the import recorded it (ISO 8601 UTC).
    public let recordedAt: String

    public init(id: String, importID: String, packageID: String, field: CloudProductField, oldValue: String?, newValue: String?,
                changedOn: String, recordedAt: String) {
        self.id = id
        self.importID = importID
        self.packageID = packageID
        self.field = field
        self.oldValue = oldValue
        self.newValue = newValue
        self.changedOn = changedOn
        self.recordedAt = recordedAt
    }
}

/// One import of the Marketplace file that succeeded.
public struct CloudRegistryImportRecord: Sendable, Hashable, Codable {
    public let id: String
    public let importedAt: String
    /// The audit actor: a person's user id, or `cli`.
    public let importedBy: String
    public let fileName: String
    public let fileSHA256: String
    public let fileDate: String?
    public let productCount: Int
    public let linkCount: Int
    public let warningCount: Int
    public let changeCount: Int
}

/// What an import did: its record, what the file's reading warned about, and each product's changes against the
/// registry it replaced (empty on the first import). A later step alerts the organizations using a changed product.
public struct CloudRegistryImportResult: Sendable, Hashable, Codable {
    public let record: CloudRegistryImportRecord
    public let warnings: [FedRAMPReadWarning]
    public let changes: [CloudProductChange]

    public init(record: CloudRegistryImportRecord, warnings: [FedRAMPReadWarning], changes: [CloudProductChange]) {
        self.record = record
        self.warnings = warnings
        self.changes = changes
    }
}

/// An ISMAP record as stored: the record, its validity, and who entered and last changed it.
public struct ISMAPEntry: Sendable, Hashable, Codable {
    public let record: ISMAPRecord
    public let validThrough: Day
    public let createdAt: String
    public let createdBy: String
    public let updatedAt: String
    public let updatedBy: String
}

/// What the registry store finds wrong in its own rows.
public enum CloudRegistryStoreError: Error, Sendable, Equatable, CustomStringConvertible {
    case corruptRow(String)

    public var description: String {
        switch self {
        case .corruptRow(let what): return "a cloud registry row cannot be read (\(what)); restore the database from a backup"
        }
    }
}
