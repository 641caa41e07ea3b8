/// The official wording of one entry, as read from a publisher's OSCAL catalog at run time.
/// Tekigo never ships this text; it stores what the user imported.
public struct OfficialText: Sendable, Hashable, Codable {
    public let catalog: CatalogID
    public let entryID: String
    /// The element id in the OSCAL file (`SP_800_171_03.01.01`, `ac-2.3`).
    public let oscalID: String
    public let title: String
    /// The requirement or control statement, items labelled, parameters shown as `[Assignment: …]`.
    public let statement: String
    /// Discussion / guidance.
    public let guidance: String
    public let objectives: [OfficialObjective]
    public let methods: [AssessmentMethod]
    public let parameters: [OfficialParameter]
    /// Family id and parent entry for entries that only exist in the imported file (custom catalogs,
    /// SP 800-53 controls beyond those SP 800-171 cites).
    public let family: String
    public let parent: String?
    public let sortOrder: Int
    /// The English title where the file gives one beside a Japanese `title` (a Japanese-standard item table,
    /// `StandardItemTable`); nil for NIST's files, whose `title` is English already.
    public let titleEN: String?

    public init(
        catalog: CatalogID, entryID: String, oscalID: String, title: String, statement: String, guidance: String,
        objectives: [OfficialObjective], methods: [AssessmentMethod], parameters: [OfficialParameter],
        family: String, parent: String?, sortOrder: Int, titleEN: String? = nil
    ) {
        self.catalog = catalog
        self.entryID = entryID
        self.oscalID = oscalID
        self.title = title
        self.statement = statement
        self.guidance = guidance
        self.objectives = objectives
        self.methods = methods
        self.parameters = parameters
        self.family = family
        self.parent = parent
        self.sortOrder = sortOrder
        self.titleEN = titleEN
    }
}

/// A determination statement (SP 800-171A "Determine if: …").
public struct OfficialObjective: Sendable, Hashable, Codable {
    /// The id Tekigo uses for the objective (`3.1.1[a]`, `A.03.01.01.a`).
    public let id: String
    public let prose: String

    public init(id: String, prose: String) {
        self.id = id
        self.prose = prose
    }
}

/// EXAMINE / INTERVIEW / TEST and the objects to look at.
public struct AssessmentMethod: Sendable, Hashable, Codable {
    public let method: String
    public let objects: String

    public init(method: String, objects: String) {
        self.method = method
        self.objects = objects
    }
}

/// An organization-defined parameter (ODP).
public struct OfficialParameter: Sendable, Hashable, Codable {
    public let id: String
    public let label: String
    public let usage: String
    public let guideline: String

    public init(id: String, label: String, usage: String, guideline: String) {
        self.id = id
        self.label = label
        self.usage = usage
        self.guideline = guideline
    }
}

/// One imported catalog: what the file was, and the text of each entry.
public struct ImportedCatalog: Sendable {
    public let catalog: CatalogID
    public let title: String
    public let version: String
    public let oscalVersion: String
    public let families: [Family]
    public let texts: [OfficialText]

    public init(catalog: CatalogID, title: String, version: String, oscalVersion: String, families: [Family],
                texts: [OfficialText]) {
        self.catalog = catalog
        self.title = title
        self.version = version
        self.oscalVersion = oscalVersion
        self.families = families
        self.texts = texts
    }

    /// The imported entries as a catalog of their own, for entries the built-in catalog does not have
    /// (a custom catalog, or the rest of SP 800-53). Titles are the publisher's, in both languages.
    public func catalogEntries(excluding known: Catalog?) -> [CatalogEntry] {
        texts.filter { known?[$0.entryID] == nil }.map { t in
            CatalogEntry(
                catalog: catalog, id: t.entryID, family: t.family, parent: t.parent,
                level: t.parent == nil ? .requirement : .enhancement,
                title: t.titleEN.map { LocalizedText(en: $0, ja: t.title) } ?? LocalizedText(t.title),
                objectives: t.objectives.map(\.id), odps: t.parameters.map(\.id))
        }
    }
}

extension Library {
    /// The library with imported catalogs folded in: custom catalogs become catalogs of their own, and
    /// entries a built-in catalog lacks (SP 800-53 beyond what SP 800-171 cites) are appended to it.
    public func merging(imports: [ImportedCatalog], mappings extra: [Mapping] = []) -> Library {
        var result: [Catalog] = []
        for c in orderedCatalogs {
            guard let imp = imports.first(where: { $0.catalog == c.id }) else { result.append(c); continue }
            let added = imp.catalogEntries(excluding: c)
            let families = c.families + imp.families.filter { f in !c.families.contains { $0.id == f.id } }
            result.append(Catalog(id: c.id, name: c.name, version: c.version, families: families,
                                  entries: c.entries + added, withdrawn: c.withdrawn))
        }
        for imp in imports where catalogs[imp.catalog] == nil {
            result.append(Catalog(id: imp.catalog, name: LocalizedText(imp.title), version: imp.version,
                                  families: imp.families, entries: imp.catalogEntries(excluding: nil)))
        }
        return Library(catalogs: result, mappings: crosswalk.mappings + extra)
    }
}
