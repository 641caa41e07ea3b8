import Foundation

/// The catalogs that ship with Tekigo (`Resources/catalogs/*.json`, made by `scripts/generate-catalogs.py`):
/// ids, structure, facts, mappings and the short titles we wrote ourselves. Decoded once per process.
public enum BuiltInLibrary {
    /// The built-in library, decoded on first use.
    public static var shared: Library {
        get throws { try cached.get() }
    }

    private static let cached: Result<Library, BuiltInLibraryError> = Result(catching: { () throws(BuiltInLibraryError) -> Library in
        try load(resource: { name in resourceURL(name).flatMap { try? Data(contentsOf: $0) } })
    })

    /// Where a built-in catalog file is installed.
    public static func resourceURL(_ name: String) -> URL? {
        Bundle.module.url(forResource: name, withExtension: "json", subdirectory: "catalogs")
    }

    /// Decodes the built-in catalogs from the files a `resource` closure returns (the bundle, or tests' copies).
    /// The built-in catalogs without their crosswalks: what an import needs to recognise ids, at a third of the
    /// decoding cost.
    public static var catalogsOnly: Library {
        get throws { try cachedCatalogsOnly.get() }
    }

    private static let cachedCatalogsOnly: Result<Library, BuiltInLibraryError> = Result(catching: { () throws(BuiltInLibraryError) -> Library in
        try load(resource: { name in resourceURL(name).flatMap { try? Data(contentsOf: $0) } }, includeCrosswalks: false)
    })

    public static func load(resource: (String) -> Data?, includeCrosswalks: Bool = true) throws(BuiltInLibraryError) -> Library {
        func read<T: Decodable>(_ name: String, as type: T.Type) throws(BuiltInLibraryError) -> T {
            guard let data = resource(name) else { throw .missing(name) }
            do { return try JSONDecoder().decode(T.self, from: data) } catch {
                throw .corrupt(name, String(describing: error))
            }
        }
        let r2 = try read("sp800-171r2", as: RequirementCatalogFile.self)
        let r3 = try read("sp800-171r3", as: RequirementCatalogFile.self)
        let sp53 = try read("sp800-53r5", as: RequirementCatalogFile.self)
        let csf = try read("csf2", as: CSFFile.self)
        let cross = includeCrosswalks ? try read("crosswalks", as: CrosswalkFile.self) : CrosswalkFile(edges: [])
        return Library(
            catalogs: [r2.catalog(level: .requirement), r3.catalog(level: .requirement), sp53.catalog(level: .control),
                       csf.catalog],
            mappings: cross.edges)
    }
}

public enum BuiltInLibraryError: Error, CustomStringConvertible {
    case missing(String)
    case corrupt(String, String)

    public var description: String {
        switch self {
        case .missing(let name):
            return "built-in catalog '\(name).json' is missing from the Tekigo installation; reinstall Tekigo."
        case .corrupt(let name, let why):
            return "built-in catalog '\(name).json' cannot be read (\(why)); regenerate it with scripts/generate-catalogs.py."
        }
    }
}

// MARK: - File formats (see scripts/generate-catalogs.py)

private struct RequirementCatalogFile: Decodable {
    struct Entry: Decodable {
        let id: String
        let family: String
        let title: LocalizedText
        let kind: RequirementKind?
        let cmmcId: String?
        let cmmcLevel1: Bool?
        let sprs: SPRSValue?
        let objectives: [String]?
        let odps: [String]?
        let withdrawn: Bool?
    }
    let id: CatalogID
    let name: LocalizedText
    let version: String
    let families: [Family]
    let requirements: [Entry]
    let withdrawn: [WithdrawnRequirement]?

    func catalog(level: EntryLevel) -> Catalog {
        let entries = requirements.map { e -> CatalogEntry in
            // SP 800-53 enhancements (AC-2(3)) hang below their base control.
            let parent = e.id.firstIndex(of: "(").map { String(e.id[..<$0]) }
            return CatalogEntry(
                catalog: id, id: e.id, family: e.family, parent: parent,
                level: parent != nil ? .enhancement : level, title: e.title, kind: e.kind, cmmcId: e.cmmcId,
                cmmcLevel1: e.cmmcLevel1 ?? false, sprs: e.sprs, objectives: e.objectives ?? [], odps: e.odps ?? [],
                withdrawn: e.withdrawn ?? false)
        }
        return Catalog(id: id, name: name, version: version, families: families, entries: entries,
                       withdrawn: withdrawn ?? [])
    }
}

private struct CSFFile: Decodable {
    struct Function: Decodable { let id: String; let title: LocalizedText }
    struct Category: Decodable { let id: String; let function: String; let title: LocalizedText }
    struct Subcategory: Decodable { let id: String; let category: String; let title: LocalizedText }
    let id: CatalogID
    let name: LocalizedText
    let version: String
    let functions: [Function]
    let categories: [Category]
    let subcategories: [Subcategory]

    var catalog: Catalog {
        var entries: [CatalogEntry] = []
        for c in categories {
            entries.append(CatalogEntry(catalog: id, id: c.id, family: c.function, level: .category, title: c.title))
            for s in subcategories where s.category == c.id {
                entries.append(CatalogEntry(catalog: id, id: s.id, family: c.function, parent: c.id,
                                            level: .subcategory, title: s.title))
            }
        }
        return Catalog(id: id, name: name, version: version,
                       families: functions.map { Family(id: $0.id, abbr: $0.id, title: $0.title) }, entries: entries)
    }
}

private struct CrosswalkFile: Decodable {
    let edges: [Mapping]
}
