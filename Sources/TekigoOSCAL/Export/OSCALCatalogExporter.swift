import Foundation
import TekigoCore

/// Writes a catalog as an OSCAL 1.1.3 catalog, with the control ids of the publisher's own OSCAL file, so that an
/// exported SSP can name it in `import-profile` and OSCAL tools can resolve its controls.
///
/// The text is the official wording where the user imported it (`tekigo catalog import`), otherwise our own short
/// titles: Tekigo never ships NIST's wording.
public enum OSCALCatalogExporter {
    public static func export(_ catalog: Catalog, texts: [OfficialText], generatedAt: Date = Date()) throws -> Data {
        let byID = Dictionary(texts.map { ($0.entryID, $0) }, uniquingKeysWith: { a, _ in a })
        func control(_ e: CatalogEntry) -> OSCALControl {
            let official = byID[e.id]
            let cid = OSCALIDs.controlID(e)
            var parts: [OSCALPart] = [
                OSCALPart(id: "\(cid)_smt", name: "statement", prose: official?.statement.nonEmpty ?? e.title.en),
            ]
            if !e.objectives.isEmpty {
                let objectiveParts = e.objectives.map { o in
                    OSCALPart(id: OSCALIDs.objectiveID(o, of: e), name: "assessment-objective",
                              props: [OSCALProperty(name: "label", value: o)],
                              prose: official?.objectives.first { $0.id == o }?.prose ?? o)
                }
                parts.append(OSCALPart(id: "\(cid)_obj", name: "assessment-objective", parts: objectiveParts))
            }
            return OSCALControl(id: cid, title: official?.title.nonEmpty ?? e.title.en,
                                props: [OSCALProperty(name: "label", value: e.id)], parts: parts)
        }
        let groups = catalog.families.map { f -> OSCALGroup in
            let entries = catalog.entries.filter { $0.family == f.id && $0.parent == nil }
            return OSCALGroup(id: OSCALIDs.groupID(f, of: catalog.id), title: f.title.en, controls: entries.map { e in
                var c = control(e)
                let children = catalog.entries.filter { $0.parent == e.id }
                if !children.isEmpty { c.controls = children.map(control) }
                return c
            })
        }.filter { !($0.controls ?? []).isEmpty }
        let metadata = OSCALCatalogMetadata(
            title: catalog.name.en, lastModified: ExportText.timestamp(generatedAt), version: catalog.version,
            oscalVersion: OSCALExporter.oscalVersion)
        let doc = OSCALCatalogDocumentOut(catalog: OSCALCatalog(
            uuid: NameBasedUUID.make("tekigo:catalog:\(catalog.id.rawValue):\(catalog.version)"), metadata: metadata,
            groups: groups))
        return try OSCALExporter.encode(doc)
    }
}

private struct OSCALCatalogDocumentOut: Encodable {
    let catalog: OSCALCatalog
}

extension OSCALIDs {
    /// Group ids as the publishers' files spell them (`r2-3.1`, `SP_800_171_03.01`, `ac`, `GV`).
    static func groupID(_ f: Family, of catalog: CatalogID) -> String {
        switch catalog {
        case .sp800171r2: return "r2-" + f.id
        case .sp800171r3: return "SP_800_171_" + f.id
        case .sp80053r5: return f.id.lowercased()
        default: return token(f.id)
        }
    }
}

extension String {
    var nonEmpty: String? { isEmpty ? nil : self }
}
