import Foundation
import TekigoCore
import TekigoOSCAL
import TekigoStore

public enum JobError: Error, Equatable, Sendable, CustomStringConvertible {
    case notPlatformAdmin
    case unsealable

    public var description: String {
        switch self {
        case .notPlatformAdmin: return "Only a platform administrator imports catalogs (the official wording shows in every organization)."
        case .unsealable: return "The file could not be sealed."
        }
    }
}

/// Work that runs in the background (the job runner takes it by lease): queued here, each with its audit entry in the
/// same transaction as the job's row; and the catalog import a job performs, stored with its audit entry in one
/// transaction.
public struct JobUseCases: Sendable {
    public let env: TenantEnvironment
    public let scope: TenantScope

    public init(_ env: TenantEnvironment, _ scope: TenantScope) {
        self.env = env
        self.scope = scope
    }

    public static let exportBundleKind = "export-bundle"
    public static let catalogImportKind = "catalog-import"

    /// The seal binding of a job's input and result: its organization and id.
    public static func binding(organizationID: String, jobID: String) -> Data { Data("tekigo-job:\(organizationID):\(jobID)".utf8) }

    var jobs: JobStore { JobStore(env.db, organizationID: scope.organizationID) }

    /// Official wording shows in every organization, so only a platform administrator imports it.
    public static func mayImportCatalogs(_ user: UserRecord) -> Bool { user.isPlatformAdmin }

    public static func checkMayImportCatalogs(_ user: UserRecord) throws(JobError) {
        guard mayImportCatalogs(user) else { throw .notPlatformAdmin }
    }

    /// Every document × format of an assessment in one language, as one ZIP.
    public func startExportBundle(assessmentID: String, parameters: String, total: Int) async throws -> JobRecord {
        let job = UUID().uuidString.lowercased()
        return try await jobs.create(id: job, kind: Self.exportBundleKind, parameters: parameters, total: total, createdBy: scope.actor.id,
                                     audit: AuditEvent(actor: scope.actor.id, organizationID: scope.organizationID,
                                                       sourceIP: scope.actor.sourceIP, action: .exportBundleStarted,
                                                       object: "assessment/\(assessmentID)/job/\(job)"),
                                     now: env.clock.now())
    }

    /// The organization's recent jobs, newest first.
    public func recent() async throws -> [JobRecord] { try await jobs.recent(now: env.clock.now()) }

    /// One of the organization's jobs; nil when it is not this organization's.
    public func job(id: String) async throws -> JobRecord? { try await jobs.job(id: id) }

    /// Whether the job waits for a runner: queued, or running under a lease that ran out (its runner stopped).
    public func waitsForRunner(_ job: JobRecord) -> Bool {
        job.state == .queued || (job.state == .running && (job.leaseUntil ?? "") < Timestamp.string(env.clock.now()))
    }

    /// A finished job's result, unsealed with the server's key (bound to this organization and job); nil when there
    /// is none or it is not this organization's.
    public func result(id: String) async throws -> (job: JobRecord, data: Data)? {
        guard let job = try await jobs.job(id: id), let sealed = try await jobs.result(id: id),
              let data = env.evidence.key.unseal(sealed, binding: Self.binding(organizationID: scope.organizationID, jobID: id)) else {
            return nil
        }
        return (job, data)
    }

    /// What a catalog import job is asked: the uploaded file's name, made safe to show and store.
    public struct CatalogImportParameters: Codable, Sendable {
        public let filename: String
    }

    /// Queues the import of NIST's OSCAL catalog, uploaded by a platform administrator (`user`): the file is sealed with
    /// the server's key, bound to the job.
    public func queueCatalogImport(by user: UserRecord, file: Data, filename: String) async throws -> JobRecord {
        try Self.checkMayImportCatalogs(user)
        let parameters = String(decoding: try JSONEncoder().encode(CatalogImportParameters(filename: EvidenceVault.sanitizedFilename(filename))),
                                as: UTF8.self)
        let id = UUID().uuidString.lowercased()
        guard let sealed = try env.evidence.key.seal(file, binding: Self.binding(organizationID: scope.organizationID, jobID: id)) else {
            throw JobError.unsealable
        }
        return try await jobs.create(id: id, kind: Self.catalogImportKind, parameters: parameters, total: 3, createdBy: scope.actor.id,
                                     input: sealed, now: env.clock.now())
    }
}

/// Official wording imported for a catalog (the same reader and rules as `tekigo catalog import`): the store replaces
/// the catalog whole in one transaction with the audit entry, so a failed import leaves the earlier one intact.
public struct CatalogUseCases: Sendable {
    public let db: TekigoDatabase

    public init(db: TekigoDatabase) { self.db = db }

    /// The catalogs whose official wording was imported, with when and from which file.
    public func imports() async throws -> [CatalogImportRecord] { try await SQLCatalogStore(db).imports() }

    /// Every imported catalog with its text.
    public func importedCatalogs() async throws -> [ImportedCatalog] { try await SQLCatalogStore(db).importedCatalogs() }

    /// NIST's wording of one entry and its objectives, when it was imported.
    public func officialText(catalog: CatalogID, entryID: String) async throws -> OfficialText? {
        try await SQLCatalogStore(db).officialText(catalog: catalog, entryID: entryID)
    }

    /// Reads a catalog file, OSCAL or CPRT by its content (pure: nothing is stored; problems in it are warnings, an
    /// unreadable file a typed error).
    public func read(_ data: Data, filename: String) throws -> CatalogImportResult {
        try CatalogFileImporter.read(data, file: filename, library: try BuiltInLibrary.catalogsOnly)
    }

    /// Stores what `read` found (a CPRT export merged into the earlier import: `textToStore`), with its audit entry, in
    /// one transaction (the import rules are the store's). Returns what was stored (after a merge, the merged text).
    @discardableResult
    public func save(_ result: CatalogImportResult, data: Data, filename: String, by actorID: String, organizationID: String?,
                      sourceIP: String) async throws -> ImportedCatalog {
        let stored = try await textToStore(result, filename: filename)
        try await SQLCatalogStore(db).save(stored, sourceFile: filename, sourceData: data,
                                           warningCount: result.warnings.count,
                                           audit: AuditEvent(actor: actorID, organizationID: organizationID, sourceIP: sourceIP,
                                                             action: .catalogImported, object: "catalog/\(result.imported.catalog)",
                                                             afterDigest: AuditLog.digest(data)))
        return stored
    }
}
