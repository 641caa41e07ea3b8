import Foundation

/// NIST's SP 800-171 rev2 and SP 800-171A data in CPRT's export form, for the CPRT import tests (issue #17 item 2).
///
/// `../shared/data` holds rev2's CPRT data as extracts (`sp800-171r2_requirements_cprt-extract.json`,
/// `sp800-171a_objectives_cprt-extract.json`: ids, titles and text exactly as CPRT exported them, reshaped). These put
/// them back into CPRT's shape — `documents`, `elements` `{element_type, element_identifier, title, text,
/// doc_identifier}` and `projection` relationships — one document each, as CPRT publishes them: rev2's requirements
/// (families → requirements) and 800-171A (determinations and examine/interview/test keyed by id only, with no
/// requirement elements and no relationships, so the reader must key them by their identifiers).
public enum CPRTFixtures {
    static func extract(_ name: String) throws -> [String: Any] {
        let url = try TestEnvironment.sharedData("nist/sp800-171/rev2/\(name)")
        guard let object = try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [String: Any] else {
            throw MissingExternal("\(url.path) is not a JSON object")
        }
        return object
    }

    static func document(_ doc: String, name: String, version: String, elements: [[String: String]],
                         relationships: [(String, String)]) throws -> Data {
        let root: [String: Any] = [
            "documents": [["doc_identifier": doc, "name": name, "version": version]],
            "relationship_types": [["relationship_identifier": "projection", "description": "parent to child"]],
            "elements": elements.map { e in e.merging(["doc_identifier": doc]) { a, _ in a } },
            "relationships": relationships.map { s, d in
                ["source_element_identifier": s, "source_doc_identifier": doc, "dest_element_identifier": d,
                 "dest_doc_identifier": doc, "relationship_identifier": "projection", "provenance_doc_identifier": doc]
            },
        ]
        return try JSONSerialization.data(withJSONObject: root, options: [.sortedKeys])
    }

    /// SP 800-171 rev2's 110 requirements (CPRT `SP_800_171_2_0_0`): families and requirement statements.
    public static func rev2Requirements() throws -> Data {
        let x = try extract("sp800-171r2_requirements_cprt-extract.json")
        var elements: [[String: String]] = [], links: [(String, String)] = []
        for f in x["families"] as? [[String: Any]] ?? [] {
            elements.append(["element_type": "family", "element_identifier": f["id"] as? String ?? "", "title": f["title"] as? String ?? "", "text": ""])
        }
        for r in x["requirements"] as? [[String: Any]] ?? [] {
            let id = r["id"] as? String ?? ""
            elements.append(["element_type": "requirement", "element_identifier": id, "title": r["title"] as? String ?? "",
                             "text": r["text"] as? String ?? ""])
            links.append((r["family"] as? String ?? "", id))
        }
        return try document("SP_800_171_2_0_0", name: "Protecting Controlled Unclassified Information in Nonfederal Systems and Organizations",
                            version: "2.0.0", elements: elements, relationships: links)
    }

    /// SP 800-171A (CPRT `SP_800_171A_1_0_0`): the 320 determination statements and each requirement's methods.
    public static func rev2Objectives() throws -> Data {
        let x = try extract("sp800-171a_objectives_cprt-extract.json")
        var elements: [[String: String]] = []
        for r in x["requirements"] as? [[String: Any]] ?? [] {
            let id = r["id"] as? String ?? ""
            for o in r["objectives"] as? [[String: Any]] ?? [] {
                elements.append(["element_type": "determination", "element_identifier": o["id"] as? String ?? "", "title": "",
                                 "text": o["statement"] as? String ?? ""])
            }
            let methods = r["assessment_methods"] as? [String: String] ?? [:]
            for (type, prefix) in [("examine", "E"), ("interview", "I"), ("test", "T")] {
                if let text = methods[type] {
                    elements.append(["element_type": type, "element_identifier": "\(prefix)-\(id)", "title": "", "text": text])
                }
            }
        }
        return try document("SP_800_171A_1_0_0", name: "Assessing Security Requirements for Controlled Unclassified Information",
                            version: "1.0.0", elements: elements, relationships: [])
    }

    /// The objectives' text of the 800-171A extract by objective id, to compare with what was imported.
    public static func rev2ObjectiveText() throws -> [String: String] {
        var out: [String: String] = [:]
        for r in try extract("sp800-171a_objectives_cprt-extract.json")["requirements"] as? [[String: Any]] ?? [] {
            for o in r["objectives"] as? [[String: Any]] ?? [] { out[o["id"] as? String ?? ""] = o["statement"] as? String }
        }
        return out
    }

    /// NIST's CPRT sample (SP 800-171 rev3, family 03.01 trimmed to 03.01.01, 03.01.13 and 03.01.14).
    public static func rev3Sample() throws -> URL { try TestEnvironment.sharedData("nist/sp800-171/rev3/cprt/cprt_800-171r3_sample.json") }

    /// The sample's elements as written in the file: `element_identifier` → (`element_type`, `text`).
    public static func sampleElements() throws -> [String: (type: String, text: String)] {
        let root = try JSONSerialization.jsonObject(with: Data(contentsOf: rev3Sample())) as? [String: Any] ?? [:]
        var out: [String: (String, String)] = [:]
        for e in root["elements"] as? [[String: Any]] ?? [] {
            out[e["element_identifier"] as? String ?? ""] = (e["element_type"] as? String ?? "", e["text"] as? String ?? "")
        }
        return out
    }
}
