import Crypto
import Foundation
import SQLKit
import TekigoCore

/// What is recorded about one imported catalog file.
public struct CatalogImportRecord: Sendable, Codable, Hashable {
    public let catalogID: CatalogID
    public let title: String
    public let version: String
    public let oscalVersion: String
    public let sourceFile: String
    public let sourceSHA256: String
    public let importedAt: String
    public let entryCount: Int
    public let warningCount: Int
}

/// Imported official text and user crosswalks.
public protocol CatalogStore: Sendable {
    /// Replaces everything stored for `imported.catalog` in one transaction.
    func save(_ imported: ImportedCatalog, sourceFile: String, sourceData: Data, warningCount: Int) async throws
    func imports() async throws -> [CatalogImportRecord]
    func importedCatalogs() async throws -> [ImportedCatalog]
    func officialText(catalog: CatalogID, entryID: String) async throws -> OfficialText?
    /// Replaces the imported mappings that start in the catalogs named by `mappings`, in one transaction.
    func replaceMappings(_ mappings: [Mapping], sourceFile: String) async throws
    func importedMappings() async throws -> [Mapping]
}

/// `CatalogStore` over SQL (SQLite today; the statements are plain SQL that PostgreSQL accepts too).
public struct SQLCatalogStore: CatalogStore {
    let db: TekigoDatabase

    public init(_ db: TekigoDatabase) { self.db = db }

    public func save(_ imported: ImportedCatalog, sourceFile: String, sourceData: Data, warningCount: Int) async throws {
        try await save(imported, sourceFile: sourceFile, sourceData: sourceData, warningCount: warningCount, audit: nil)
    }

    /// The same, with `audit` appended to the audit log in the import's transaction.
    public func save(_ imported: ImportedCatalog, sourceFile: String, sourceData: Data, warningCount: Int,
                     audit: AuditEvent?) async throws {
        try await save(imported, mappings: nil, sourceFile: sourceFile, sourceData: sourceData, warningCount: warningCount, audit: audit)
    }

    /// A custom catalog with its own mappings (a Japanese-standard item table, `StandardItemTable`): the catalog, the
    /// mappings that start in it (replacing all earlier ones from it) and the audit entry in one transaction.
    public func save(_ imported: ImportedCatalog, mappings: [Mapping], sourceFile: String, sourceData: Data,
                     audit: AuditEvent?) async throws {
        try await save(imported, mappings: Optional(mappings), sourceFile: sourceFile, sourceData: sourceData, warningCount: 0, audit: audit)
    }

    private func save(_ imported: ImportedCatalog, mappings: [Mapping]?, sourceFile: String, sourceData: Data, warningCount: Int,
                      audit: AuditEvent?) async throws {
        if let mappings {
            guard !imported.catalog.isBuiltIn, mappings.allSatisfy({ $0.from.catalog == imported.catalog }) else {
                throw CatalogTextRefused(what: "a mapping of \(sourceFile) that does not start in \(imported.catalog)",
                                         ja: "\(sourceFile) のマッピングに \(imported.catalog) から始まらないものがあります。"
                                             + "マッピングは取り込む独自カタログの項目から始めてください。")
            }
            for m in mappings where [m.from.id, m.to.id, m.rationale ?? ""].contains(where: ImportText.isRefused) {
                throw CatalogTextRefused(what: "the mapping \(ImportText.printable(m.from.description)) of \(sourceFile)",
                                         ja: "\(sourceFile) のマッピング \(ImportText.printable(m.from.description)) に\(ImportText.problemJA)。")
            }
        }
        // The id rule and the text rule of every importer (TekigoCore ImportRules.swift), whoever calls.
        if !imported.catalog.isBuiltIn { _ = try CatalogID.validated(imported.catalog.rawValue) }
        if let element = ImportText.firstRefused(in: imported) {
            throw CatalogTextRefused(what: "the \(element) of \(sourceFile)",
                                     ja: "\(sourceFile) の\(ImportText.japanesePlace(element))に\(ImportText.problemJA)。")
        }
        // Official wording for a built-in catalog must cover all of it: a save replaces the earlier import whole.
        if imported.catalog.isBuiltIn, let builtIn = try? BuiltInLibrary.catalogsOnly.catalog(imported.catalog) {
            try imported.checkCoverage(of: builtIn)
        }
        let digest = Hex.sha256(sourceData)
        let families = String(decoding: try JSONEncoder().encode(imported.families), as: UTF8.self)
        let rows = try imported.texts.map { try TextRow($0) }
        let now = Timestamp.now()
        try await db.transaction { s in
            let id = imported.catalog.rawValue
            try await s.delete(from: "official_text").where("catalog_id", .equal, id).run()
            try await s.delete(from: "catalog_import").where("catalog_id", .equal, id).run()
            try await s.insert(into: "catalog_import")
                .columns("catalog_id", "title", "version", "oscal_version", "source_file", "source_sha256",
                         "imported_at", "entry_count", "warning_count", "families_json")
                .values(SQLBind(id), SQLBind(imported.title), SQLBind(imported.version),
                        SQLBind(imported.oscalVersion), SQLBind(sourceFile), SQLBind(digest), SQLBind(now),
                        SQLBind(imported.texts.count), SQLBind(warningCount), SQLBind(families))
                .run()
            // Batches keep each statement well under SQLite's bound-parameter limit.
            for batch in stride(from: 0, to: rows.count, by: 200) {
                let slice = rows[batch..<min(batch + 200, rows.count)]
                var insert = s.insert(into: "official_text").columns(TextRow.columns)
                for r in slice { insert = insert.values(r.binds) }
                try await insert.run()
            }
            if let mappings {
                try await s.delete(from: "imported_mapping").where("from_catalog", .equal, id).run()
                try await Self.insert(mappings, sourceFile: sourceFile, at: now, on: s)
            }
            if let audit { _ = try await AuditLog(db).append(audit, on: s) }
        }
    }

    private static func insert(_ mappings: [Mapping], sourceFile: String, at now: String, on s: any SQLDatabase) async throws {
        for batch in stride(from: 0, to: mappings.count, by: 200) {
            var insert = s.insert(into: "imported_mapping")
                .columns("from_catalog", "from_id", "to_catalog", "to_id", "relation", "rationale", "source_file", "imported_at")
            for m in mappings[batch..<min(batch + 200, mappings.count)] {
                insert = insert.values(
                    SQLBind(m.from.catalog.rawValue), SQLBind(m.from.id), SQLBind(m.to.catalog.rawValue), SQLBind(m.to.id),
                    SQLBind(m.relation.rawValue), SQLBind(m.rationale), SQLBind(sourceFile), SQLBind(now))
            }
            try await insert.run()
        }
    }

    public func imports() async throws -> [CatalogImportRecord] {
        try await db.sql.select().columns("*").from("catalog_import").orderBy("catalog_id").all().map { row in
            CatalogImportRecord(
                catalogID: CatalogID(try row.decode(column: "catalog_id", as: String.self)),
                title: try row.decode(column: "title", as: String.self),
                version: try row.decode(column: "version", as: String.self),
                oscalVersion: try row.decode(column: "oscal_version", as: String.self),
                sourceFile: try row.decode(column: "source_file", as: String.self),
                sourceSHA256: try row.decode(column: "source_sha256", as: String.self),
                importedAt: try row.decode(column: "imported_at", as: String.self),
                entryCount: try row.decode(column: "entry_count", as: Int.self),
                warningCount: try row.decode(column: "warning_count", as: Int.self))
        }
    }

    public func importedCatalogs() async throws -> [ImportedCatalog] {
        let heads = try await db.sql.select().columns("*").from("catalog_import").orderBy("catalog_id").all()
        var out: [ImportedCatalog] = []
        for head in heads {
            let id = try head.decode(column: "catalog_id", as: String.self)
            let familiesJSON = try head.decode(column: "families_json", as: String.self)
            let families = try JSONDecoder().decode([Family].self, from: Data(familiesJSON.utf8))
            let texts = try await db.sql.select().columns("*").from("official_text").where("catalog_id", .equal, id)
                .orderBy("sort_order").all().map { try TextRow.decode($0) }
            out.append(ImportedCatalog(
                catalog: CatalogID(id), title: try head.decode(column: "title", as: String.self),
                version: try head.decode(column: "version", as: String.self),
                oscalVersion: try head.decode(column: "oscal_version", as: String.self),
                families: families, texts: texts))
        }
        return out
    }

    public func officialText(catalog: CatalogID, entryID: String) async throws -> OfficialText? {
        try await db.sql.select().columns("*").from("official_text")
            .where("catalog_id", .equal, catalog.rawValue).where("entry_id", .equal, entryID)
            .first().map { try TextRow.decode($0) }
    }

    public func replaceMappings(_ mappings: [Mapping], sourceFile: String) async throws {
        try await replaceMappings(mappings, sourceFile: sourceFile, audit: nil)
    }

    /// The same, with `audit` appended to the audit log in the import's transaction.
    public func replaceMappings(_ mappings: [Mapping], sourceFile: String, audit: AuditEvent?) async throws {
        for m in mappings {
            for id in [m.from.catalog, m.to.catalog] where !id.isBuiltIn { _ = try CatalogID.validated(id.rawValue) }
            if [m.from.id, m.to.id, m.rationale ?? "", sourceFile].contains(where: ImportText.isRefused) {
                throw CatalogTextRefused(what: "the mapping \(ImportText.printable(m.from.description)) → "
                                         + "\(ImportText.printable(m.to.description)) of \(sourceFile)",
                                         ja: "\(ImportText.printable(sourceFile)) のマッピング \(ImportText.printable(m.from.description)) → "
                                             + "\(ImportText.printable(m.to.description)) に\(ImportText.problemJA)。")
            }
        }
        let sources = Set(mappings.map(\.from.catalog.rawValue))
        let now = Timestamp.now()
        try await db.transaction { s in
            for c in sources { try await s.delete(from: "imported_mapping").where("from_catalog", .equal, c).run() }
            for batch in stride(from: 0, to: mappings.count, by: 200) {
                var insert = s.insert(into: "imported_mapping")
                    .columns("from_catalog", "from_id", "to_catalog", "to_id", "relation", "rationale", "source_file",
                             "imported_at")
                for m in mappings[batch..<min(batch + 200, mappings.count)] {
                    insert = insert.values(
                        SQLBind(m.from.catalog.rawValue), SQLBind(m.from.id), SQLBind(m.to.catalog.rawValue),
                        SQLBind(m.to.id), SQLBind(m.relation.rawValue), SQLBind(m.rationale), SQLBind(sourceFile),
                        SQLBind(now))
                }
                try await insert.run()
            }
            if let audit { _ = try await AuditLog(db).append(audit, on: s) }
        }
    }

    public func importedMappings() async throws -> [Mapping] {
        try await db.sql.select().columns("*").from("imported_mapping")
            .orderBy("from_catalog").orderBy("from_id").orderBy("to_catalog").orderBy("to_id").all().map { row in
                let rel = try row.decode(column: "relation", as: String.self)
                guard let relation = Relation(rawValue: rel) else {
                    throw StoreError.corruptRow(table: "imported_mapping", key: rel, reason: "unknown relation")
                }
                return Mapping(
                    from: EntryRef(catalog: CatalogID(try row.decode(column: "from_catalog", as: String.self)),
                                   id: try row.decode(column: "from_id", as: String.self)),
                    to: EntryRef(catalog: CatalogID(try row.decode(column: "to_catalog", as: String.self)),
                                 id: try row.decode(column: "to_id", as: String.self)),
                    relation: relation, provenance: .imported,
                    rationale: try row.decode(column: "rationale", as: String?.self))
            }
    }
}

/// One `official_text` row; nested lists are stored as JSON text.
private struct TextRow {
    static let columns = ["catalog_id", "entry_id", "oscal_id", "title", "statement", "guidance", "family", "parent",
                          "sort_order", "objectives_json", "methods_json", "parameters_json", "title_en"]
    let binds: [any SQLExpression]

    init(_ t: OfficialText) throws {
        func json<T: Encodable>(_ v: T) throws -> String { String(decoding: try JSONEncoder().encode(v), as: UTF8.self) }
        binds = [SQLBind(t.catalog.rawValue), SQLBind(t.entryID), SQLBind(t.oscalID), SQLBind(t.title),
                 SQLBind(t.statement), SQLBind(t.guidance), SQLBind(t.family), SQLBind(t.parent),
                 SQLBind(t.sortOrder), SQLBind(try json(t.objectives)), SQLBind(try json(t.methods)),
                 SQLBind(try json(t.parameters)), SQLBind(t.titleEN)]
    }

    static func decode(_ row: any SQLRow) throws -> OfficialText {
        func list<T: Decodable>(_ column: String, _ type: T.Type) throws -> T {
            try JSONDecoder().decode(T.self, from: Data(try row.decode(column: column, as: String.self).utf8))
        }
        return OfficialText(
            catalog: CatalogID(try row.decode(column: "catalog_id", as: String.self)),
            entryID: try row.decode(column: "entry_id", as: String.self),
            oscalID: try row.decode(column: "oscal_id", as: String.self),
            title: try row.decode(column: "title", as: String.self),
            statement: try row.decode(column: "statement", as: String.self),
            guidance: try row.decode(column: "guidance", as: String.self),
            objectives: try list("objectives_json", [OfficialObjective].self),
            methods: try list("methods_json", [AssessmentMethod].self),
            parameters: try list("parameters_json", [OfficialParameter].self),
            family: try row.decode(column: "family", as: String.self),
            parent: try row.decode(column: "parent", as: String?.self),
            sortOrder: try row.decode(column: "sort_order", as: Int.self),
            titleEN: try row.decode(column: "title_en", as: String?.self))
    }
}

/// Text refused by the text rule (`ImportText`) on its way into the catalog store.
public struct CatalogTextRefused: Error, CustomStringConvertible {
    public let what: String
    /// The whole refusal in Japanese (`message(in:)`, CatalogTextRefused+Japanese.swift; issue 17 item 6).
    let ja: String
    public var description: String { "\(what) \(ImportText.problem)." }

    public init(what: String, ja: String) {
        self.what = what
        self.ja = ja
    }
}
