/// Official wording imported for a built-in catalog replaces what was imported before for that catalog, so a file
/// that covers fewer requirements than the built-in catalog has would silently remove the official text of the rest
/// (or plant text under the publisher's name from a file that is not the publisher's). Such a file is refused.
public enum OfficialTextCoverageError: Error, Equatable, CustomStringConvertible {
    case incomplete(catalog: CatalogID, missing: [String], total: Int)

    public var description: String {
        switch self {
        case .incomplete(let catalog, let missing, let total):
            let shown = missing.prefix(8).joined(separator: ", ") + (missing.count > 8 ? ", …" : "")
            return "This file has no text for \(missing.count) of the \(total) entries of the built-in catalog \(catalog.rawValue) "
                + "(\(shown)); nothing was imported. Import the publisher's complete catalog (for NIST, the OSCAL catalog file "
                + "as published), or import a file of your own as a custom catalog with another id."
        }
    }
}

extension ImportedCatalog {
    /// The built-in catalog's entries (requirements and enhancements; withdrawn ones included, since NIST's files
    /// carry them too) for which this import has no text.
    public func missingEntries(of builtIn: Catalog) -> [String] {
        let covered = Set(texts.map(\.entryID))
        return builtIn.entries.map(\.id).filter { !covered.contains($0) }
    }

    /// Refuses an import for a built-in catalog that leaves any of its entries without text.
    public func checkCoverage(of builtIn: Catalog) throws(OfficialTextCoverageError) {
        let missing = missingEntries(of: builtIn)
        guard missing.isEmpty else {
            throw .incomplete(catalog: catalog, missing: missing, total: builtIn.entries.count)
        }
    }
}
