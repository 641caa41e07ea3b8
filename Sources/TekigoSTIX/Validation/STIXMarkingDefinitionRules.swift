import Foundation
import TekigoCore

/// The marking definitions the store accepts: only forms whose meaning Tekigo knows, because it enforces markings
/// when it serves (issue 14 item 4) and an object marked with something it cannot read could not be served safely.
/// - TLP 1.0 (STIX 2.1 §7.2.1.4, `definition_type` `tlp`): exactly one of the four definitions STIX built in — the
///   fixed id, `name` and `definition.tlp` must agree (WHITE, GREEN, AMBER, RED), `created` 2017-01-20T00:00:00.000Z;
/// - a statement (§7.2.1.3, `definition_type` `statement`, `definition.statement` a string): a copyright or terms of
///   use; it restricts no audience;
/// - the TLP 2.0 marking extension (`TLPMarking.extensionID`, property `tlp_2_0`): one of the five fixed ids, whose
///   level, and `name` when present, must agree with it;
/// - the CUI marking extension (`CUIMarking.extensionID`, read by `CUIMarking.read`): `control` CUI or CONTROLLED
///   and the `designator_ref` identity required; categories, disseminations, required statements and supplemental
///   markings are non-empty lists of strings when present.
/// Anything else — another `definition_type`, or only extensions Tekigo does not know — is
/// `STIXProblem.unsupportedMarkingDefinition`.
public enum STIXMarkingDefinitionRules {
    /// `created` of the four TLP 1.0 marking definitions STIX 2.1 defines.
    static let tlp1Created = STIXTimestamp("2017-01-20T00:00:00.000Z")!

    static func check(_ p: STIXPropertyChecks) throws(STIXProblem) {
        let id = p.object.id.rawValue
        if let definitionType = try p.string("definition_type") {
            guard let definition = try p.dictionary("definition") else { throw .missingProperty("definition") }
            switch definitionType {
            case "tlp":
                guard let level = TLPMarking.allCases.first(where: { $0.tlp1MarkingID == p.object.id }) else {
                    throw .valueNotAllowed(property: "id", value: id,
                                           allowed: TLPMarking.allCases.compactMap { $0.tlp1MarkingID?.rawValue })
                }
                let word = level == .clear ? "white" : level.rawValue
                let stated = definition["tlp"]?.stringValue ?? definition["tlp"]?.kind ?? ""
                guard stated == word else { throw .tlpMarkingMismatch(id: id, property: "definition.tlp", value: stated, expected: word) }
                let name = try p.requiredString("name")
                guard name == "TLP:" + word.uppercased() else {
                    throw .tlpMarkingMismatch(id: id, property: "name", value: name, expected: "TLP:" + word.uppercased())
                }
                let created = try p.requiredTimestamp("created")
                guard created == tlp1Created else {
                    throw .tlpMarkingMismatch(id: id, property: "created", value: p.properties["created"]?.stringValue ?? "",
                                              expected: tlp1Created.description)
                }
            case "statement":
                guard let v = definition["statement"] else { throw .missingProperty("definition.statement") }
                guard let s = v.stringValue else { throw .wrongKind(property: "definition.statement", expected: "a string", found: v.kind) }
                guard !s.isEmpty else { throw .emptyText(property: "definition.statement") }
            default:
                throw .unsupportedMarkingDefinition
            }
            return
        }
        let extensions = try p.dictionary("extensions") ?? [:]
        var known = false
        if let tlp = extensions[TLPMarking.extensionID.rawValue] {
            known = true
            let at = "extensions.\(TLPMarking.extensionID.rawValue).tlp_2_0"
            guard let v = tlp.objectValue?["tlp_2_0"] else { throw .missingProperty(at) }
            guard let word = v.stringValue else { throw .wrongKind(property: at, expected: "a string", found: v.kind) }
            guard let level = TLPMarking(rawValue: word) else {
                throw .valueNotAllowed(property: at, value: word, allowed: TLPMarking.allCases.map(\.rawValue))
            }
            guard level.markingID == p.object.id else {
                throw .tlpMarkingMismatch(id: level.markingID.rawValue, property: "id", value: id, expected: level.markingID.rawValue)
            }
            if let name = try p.string("name"), name != level.name {
                throw .tlpMarkingMismatch(id: id, property: "name", value: name, expected: level.name)
            }
        }
        // The CUI extension is read by the sharing policy's own reader, so what validation accepts is what it enforces.
        if try CUIMarking.read(p.object) != nil { known = true }
        guard known else { throw .unsupportedMarkingDefinition }
    }
}
