import Foundation
import TekigoCore
import TekigoOSCAL
import TekigoStore

/// A Japanese-standard item table imported as a catalog of its own (issue #17 item 3): read and checked whole by
/// `StandardItemTable` (every problem with its row and column; nothing stored when there is one), then the catalog,
/// its mappings to SP 800-171 and the audit entry (`catalog.imported`) stored in one transaction. The catalog is
/// server-wide like every imported catalog, so only a platform administrator (or the operator at the machine) imports.
extension CatalogUseCases {
    /// A platform administrator's upload (the catalogs page, the API).
    public func importItemTable(_ data: Data, filename: String, catalog: String, name: String, version: String = "",
                                by user: UserRecord, organizationID: String?, sourceIP: String) async throws -> StandardItemTable.Parsed {
        try JobUseCases.checkMayImportCatalogs(user)
        // The uploaded name, made safe to show and store.
        return try await storeItemTable(data, filename: EvidenceVault.sanitizedFilename(filename), catalog: catalog, name: name, version: version, actorID: user.id,
                                        organizationID: organizationID, sourceIP: sourceIP)
    }

    /// The operator at this machine (`tekigo catalog import FILE.csv --id … --name …`), audited as `cli`.
    public func importItemTableAsOperator(_ data: Data, filename: String, catalog: String, name: String,
                                          version: String = "") async throws -> StandardItemTable.Parsed {
        try await storeItemTable(data, filename: filename, catalog: catalog, name: name, version: version, actorID: "cli",
                                 organizationID: nil, sourceIP: "local")
    }

    private func storeItemTable(_ data: Data, filename: String, catalog: String, name: String, version: String, actorID: String,
                                organizationID: String?, sourceIP: String) async throws -> StandardItemTable.Parsed {
        let id = CatalogID(catalog.trimmingCharacters(in: .whitespaces))
        // The same table as a CSV file or as an OSCAL catalog with Tekigo's item-table properties; one rule checks both.
        let parsed = try (Self.isOSCAL(data)
            ? OSCALItemTable.read(data, catalog: id, name: name, version: version, library: try BuiltInLibrary.catalogsOnly)
            : StandardItemTable.read(data, catalog: id, name: name, version: version, library: try BuiltInLibrary.catalogsOnly)).get()
        try await SQLCatalogStore(db).save(
            parsed.imported, mappings: parsed.mappings, sourceFile: filename, sourceData: data,
            audit: AuditEvent(actor: actorID, organizationID: organizationID, sourceIP: sourceIP, action: .catalogImported,
                              object: "catalog/\(parsed.imported.catalog)", afterDigest: AuditLog.digest(data)))
        return parsed
    }

    /// Whether an uploaded item table is JSON (an OSCAL catalog) rather than CSV: its first character after any
    /// byte-order mark and white space is `{` — a CSV table's header starts with a column name.
    public static func isOSCAL(_ data: Data) -> Bool {
        var bytes = data[...]
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes = bytes.dropFirst(3) }
        return bytes.first { ![0x20, 0x09, 0x0A, 0x0D].contains($0) } == UInt8(ascii: "{")
    }

    /// The built-in library with every custom (not built-in) imported catalog and its mappings folded in: what an
    /// assessment or a flow-down requirement on an imported catalog is checked against. NIST's wording for the
    /// built-in catalogs is left out (the server shows it beside the entries, from the store).
    public func libraryWithCustomCatalogs(_ builtIn: Library) async throws -> Library {
        let store = SQLCatalogStore(db)
        let custom = try await store.importedCatalogs().filter { !$0.catalog.isBuiltIn && builtIn.catalogs[$0.catalog] == nil }
        let ids = Set(custom.map(\.catalog))
        let mappings = try await store.importedMappings().filter { ids.contains($0.from.catalog) }
        return builtIn.merging(imports: custom, mappings: mappings)
    }
}
