import Foundation
import TekigoCore
import TekigoOSCAL
import TekigoStore

/// A file that carries only part of a built-in catalog's wording and has no earlier import to be merged into.
public enum OfficialWordingImportError: Error, Equatable, Sendable, CustomStringConvertible {
    case partialWithoutEarlierImport(catalog: CatalogID, file: String, covered: Int, missing: [String], total: Int)

    public var description: String {
        switch self {
        case .partialWithoutEarlierImport(let catalog, let file, let covered, let missing, let total):
            let shown = missing.prefix(6).joined(separator: ", ") + (missing.count > 6 ? ", …" : "")
            return "\(file) has wording for \(covered) of the \(total) requirements of \(catalog.rawValue); \(missing.count) are missing "
                + "(\(shown)). Nothing was imported. A partial file is merged into an earlier complete import: import NIST's "
                + "complete file first (the OSCAL catalog, or CPRT's full export), then this one."
        }
    }
}

/// Official wording in one step (issue #17 item 2): a file read by its content (OSCAL or CPRT), and what is stored for
/// it. An OSCAL catalog replaces the earlier import whole; a CPRT export is laid over it (`ImportedCatalog.merged`), so
/// 800-171A's objectives added after rev2's requirements keep the requirements, and a trimmed file changes only what it
/// holds. Either way the store's coverage rule applies to what is stored.
extension CatalogUseCases {
    /// What `save` stores for `result`. Reading the earlier import and saving are two steps: two imports of one
    /// catalog at the same instant can lose the first one's merge (never half of one; each save is one transaction).
    public func textToStore(_ result: CatalogImportResult, filename: String) async throws -> ImportedCatalog {
        let update = result.imported
        guard result.mergesWithEarlierImport else { return update }
        if let earlier = try await SQLCatalogStore(db).importedCatalogs().first(where: { $0.catalog == update.catalog }) {
            return earlier.merged(with: update)
        }
        if update.catalog.isBuiltIn, let builtIn = try? BuiltInLibrary.catalogsOnly.catalog(update.catalog) {
            let missing = update.missingEntries(of: builtIn)
            if !missing.isEmpty {
                throw OfficialWordingImportError.partialWithoutEarlierImport(
                    catalog: update.catalog, file: filename, covered: builtIn.entries.count - missing.count, missing: missing,
                    total: builtIn.entries.count)
            }
        }
        return update
    }
}
