import Foundation
import TekigoCore

/// A Japanese-standard item table written as an OSCAL catalog (issue 17 item 3: "imported from CSV or OSCAL"). The
/// catalog's groups are the sections, its controls the items and a control's own controls its sub-items; what the CSV
/// holds in columns the OSCAL file holds in properties:
///
/// | CSV column         | OSCAL                                                                 |
/// |--------------------|-----------------------------------------------------------------------|
/// | `section`          | the group's `label` property (else its `id`)                           |
/// | `section_title_ja` | the group's `title`                                                   |
/// | `section_title_en` | the group's `title-en` property (namespace below)                      |
/// | `item_id`          | the control's `label` property, the id as printed (else its `id`: OSCAL ids cannot hold （ ）) |
/// | `parent_id`        | the enclosing control (a sub-item is a control inside a control)      |
/// | `title_ja`         | the control's `title`                                                 |
/// | `title_en`         | `title-en`                                                            |
/// | `sp800_171_r2`     | `sp800-171r2`, one property per id or one with the ids separated       |
/// | `sp800_171_r3`     | `sp800-171r3`                                                         |
/// | `relation`         | `relation`                                                            |
/// | `rationale`        | `mapping-rationale`                                                   |
///
/// Tekigo's own properties carry the namespace `urn:tekigo:item-table` (`ns`), which is also how a file says it is an
/// item table rather than a plain custom catalog. The file is turned into the CSV's rows and checked by the one rule,
/// `StandardItemTable.read`, so both forms accept and refuse exactly the same tables; each problem then names the
/// OSCAL element (control or group and property) instead of a row and column.
public enum OSCALItemTable {
    public static let namespace = "urn:tekigo:item-table"

    /// Whether `data` is an OSCAL catalog using Tekigo's item-table properties. Never throws: anything that is not such
    /// a catalog is false.
    public static func isItemTable(_ data: Data) -> Bool {
        guard let catalog = try? JSONDecoder().decode(OSCALCatalogDocument.self, from: data).catalog else { return false }
        func ours(_ props: [OSCALProperty]?) -> Bool { props?.contains { $0.ns == namespace } ?? false }
        func inControls(_ cs: [OSCALControl]?) -> Bool { cs?.contains { ours($0.props) || inControls($0.controls) } ?? false }
        func inGroups(_ gs: [OSCALGroup]?) -> Bool { gs?.contains { ours($0.props) || inControls($0.controls) || inGroups($0.groups) } ?? false }
        return inControls(catalog.controls) || inGroups(catalog.groups)
    }

    /// The catalog's title, the name the table is imported under when none is given.
    public static func title(_ data: Data) -> String? {
        (try? JSONDecoder().decode(OSCALCatalogDocument.self, from: data))?.catalog.metadata.title
    }

    /// Reads the OSCAL item table in `data` with the CSV's rule. A file that is not an OSCAL catalog at all is one
    /// problem saying so.
    public static func read(_ data: Data, catalog: CatalogID, name: String, version: String = "",
                            library: Library) -> Result<StandardItemTable.Parsed, StandardItemTableError> {
        let document: OSCALCatalog
        do {
            document = try JSONDecoder().decode(OSCALCatalogDocument.self, from: data).catalog
        } catch {
            let why = (error as? DecodingError).map(OSCALCatalogImporter.describe) ?? "not JSON"
            return .failure(.problems([StandardItemTable.Problem(row: nil, column: nil, columnLetter: nil, message: LocalizedText(
                en: "the file is not an OSCAL catalog (\(why)); an item table is a CSV file or an OSCAL catalog",
                ja: "OSCAL カタログとして読めません（\(why)）。項目表は CSV か OSCAL カタログで用意してください"))]))
        }
        let table = Rows(document)
        let csv = table.csv()
        return StandardItemTable.read(Data(csv.utf8), catalog: catalog, name: name, version: version, library: library)
            .mapError { error in
                .problems(error.problems.map { p in
                    var moved = StandardItemTable.Problem(row: nil, column: p.column.flatMap { Rows.property[$0] ?? $0 },
                                                          columnLetter: nil, message: p.message)
                    moved.element = p.row.flatMap { table.element[$0] }
                    if p.row != nil, moved.element == nil { moved.element = "catalog" }
                    return moved
                })
            }
    }

    /// The catalog flattened into the CSV's rows, with the element each row came from.
    struct Rows {
        static let header: [StandardItemTable.Column] = [.itemID, .section, .sectionTitleJA, .sectionTitleEN, .parentID,
                                                         .titleJA, .titleEN, .sp800171r2, .sp800171r3, .relation, .rationale]
        /// Where a CSV column's value comes from in the OSCAL file, for the problems.
        static let property: [String: String] = [
            "item_id": "label", "section": "label (group)", "section_title_ja": "title (group)", "section_title_en": "title-en (group)",
            "parent_id": "controls", "title_ja": "title", "title_en": "title-en", "sp800_171_r2": "sp800-171r2",
            "sp800_171_r3": "sp800-171r3", "relation": "relation", "rationale": "mapping-rationale",
        ]

        var rows: [[String]] = []
        /// The row number in `csv()` (the header is row 1) → "control 'id'" or "group 'id'".
        var element: [Int: String] = [:]

        init(_ catalog: OSCALCatalog) {
            for c in catalog.controls ?? [] { add(c, section: nil, parent: nil) }
            for g in catalog.groups ?? [] { add(g) }
        }

        func ours(_ props: [OSCALProperty]?, _ name: String) -> [String] {
            props?.filter { $0.name == name && $0.ns == OSCALItemTable.namespace }.map(\.value) ?? []
        }

        mutating func add(_ g: OSCALGroup) {
            let section = g.props?.first { $0.name == "label" && $0.ns == nil }?.value ?? g.id ?? g.title
            var first = true
            for c in g.controls ?? [] {
                add(c, section: (section, first ? g.title : "", first ? ours(g.props, "title-en").first ?? "" : ""), parent: nil)
                first = false
            }
            for inner in g.groups ?? [] { add(inner) }
        }

        mutating func add(_ c: OSCALControl, section: (id: String, ja: String, en: String)?, parent: String?) {
            let id = c.props?.first { $0.name == "label" && $0.ns == nil }?.value ?? c.id
            rows.append([id, parent == nil ? section?.id ?? "" : "", parent == nil ? section?.ja ?? "" : "",
                         parent == nil ? section?.en ?? "" : "", parent ?? "", c.title, ours(c.props, "title-en").first ?? "",
                         ours(c.props, "sp800-171r2").joined(separator: ";"), ours(c.props, "sp800-171r3").joined(separator: ";"),
                         ours(c.props, "relation").first ?? "", ours(c.props, "mapping-rationale").first ?? ""])
            element[rows.count + 1] = id == c.id ? "control '\(c.id)'" : "control '\(c.id)' (\(id))"
            for sub in c.controls ?? [] { add(sub, section: nil, parent: id) }
        }

        /// RFC 4180 text: every field quoted, quotes doubled (`StandardItemTable.read`'s own reader reads it back).
        func csv() -> String {
            ([Self.header.map(\.rawValue)] + rows).map { row in
                row.map { "\"" + $0.replacingOccurrences(of: "\"", with: "\"\"") + "\"" }.joined(separator: ",")
            }.joined(separator: "\r\n") + "\r\n"
        }
    }
}
