import Foundation
import TekigoCore
import TekigoOSCAL
import TekigoStore

/// What one upload of official wording stored (issue 17 item 2, the API's answer): the catalog, how many of its
/// requirements and objectives now have NIST's wording (after a CPRT merge, the merged whole), and every warning.
public struct OfficialWordingImported: Sendable, Hashable {
    public let catalog: CatalogID
    public let title: String
    public let version: String
    public let sourceFile: String
    /// The file was laid over the earlier import of its catalog (a CPRT export) instead of replacing it.
    public let merged: Bool
    public let requirementsWithWording: Int
    public let objectivesWithWording: Int
    public let skippedWithdrawn: Int
    public let warnings: [CatalogImportWarning]
}

extension CatalogUseCases {
    /// Imports NIST's wording from a file told by its content (OSCAL rev2/rev3, SP 800-53, CSF 2.0, CPRT JSON, or a
    /// custom OSCAL catalog), for a platform administrator only (it shows in every organization). The same reader,
    /// merge and store as the catalogs page's job and `tekigo catalog import`: a file that cannot be read is the
    /// reader's typed error (line and column, or the element) and stores nothing; the catalog and its audit entry are
    /// one transaction.
    public func importOfficialWording(_ data: Data, filename: String, by user: UserRecord, sourceIP: String) async throws
        -> OfficialWordingImported {
        try JobUseCases.checkMayImportCatalogs(user)
        let name = EvidenceVault.sanitizedFilename(filename)
        let result = try read(data, filename: name)
        let stored = try await save(result, data: data, filename: name, by: user.id, organizationID: nil, sourceIP: sourceIP)
        return OfficialWordingImported(
            catalog: stored.catalog, title: stored.title, version: stored.version, sourceFile: name, merged: result.mergesWithEarlierImport,
            requirementsWithWording: stored.texts.filter { !$0.statement.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty }.count,
            objectivesWithWording: stored.texts.reduce(0) { n, t in
                n + t.objectives.filter { !$0.prose.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty }.count
            },
            skippedWithdrawn: result.skippedWithdrawn, warnings: result.warnings)
    }
}
