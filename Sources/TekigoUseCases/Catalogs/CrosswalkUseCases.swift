import Foundation
import TekigoCore
import TekigoStore

/// A user crosswalk table (CSV: from, to, relation, rationale) imported into the database: every row is checked
/// against the library first (`CrosswalkTable`: ids resolve, relations are known; the first bad row is the error,
/// with its line), then the mappings replace the earlier ones from the same source catalogs in one transaction with
/// their audit entry. A refused table changes nothing.
public struct CrosswalkUseCases: Sendable {
    public let db: TekigoDatabase

    public init(db: TekigoDatabase) { self.db = db }

    /// Returns how many mappings were stored.
    @discardableResult
    public func importTable(header: [String], rows: [[String]], library: Library, data: Data, filename: String,
                            by actor: Actor) async throws -> Int {
        let mappings = try CrosswalkTable.mappings(header: header, rows: rows, library: library).get()
        try await SQLCatalogStore(db).replaceMappings(
            mappings, sourceFile: filename,
            audit: AuditEvent(actor: actor.id, organizationID: nil, sourceIP: actor.sourceIP, action: .crosswalkImported,
                              object: "crosswalk/\(filename)", afterDigest: AuditLog.digest(data)))
        return mappings.count
    }
}
