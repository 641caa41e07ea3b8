import Foundation
import TekigoCore

/// A marking definition that carries the STIX CUI marking extension
/// (`extension-definition--dff17fb3-edcb-4f99-ad1b-4b751c95738a`, a property extension; standards-facts §9.2): the
/// information is Controlled Unclassified Information, with the CUI categories (Specified ones written `SP-…`) and the
/// limited dissemination controls (NOFORN, FED ONLY, FEDCON, NOCON, DL ONLY, REL TO, DISPLAY ONLY) it names.
///
/// Unlike the TLP definitions these have no fixed ids: every producer writes its own, so an object's CUI marking is
/// found by reading the definition it references (in the same bundle, or already stored).
public struct CUIMarking: Sendable, Hashable {
    /// The CUI control marking: `CUI`, or the older `CONTROLLED`; both mean the same for sharing.
    public enum Control: String, Sendable, Hashable, CaseIterable {
        case cui = "CUI"
        case controlled = "CONTROLLED"
    }

    /// The CUI marking extension.
    public static let extensionID = STIXIdentifier("extension-definition--dff17fb3-edcb-4f99-ad1b-4b751c95738a")!

    /// The marking definition this was read from.
    public let definitionID: STIXIdentifier
    public let control: Control
    /// The identity of the agency that designated the information CUI (required by the extension).
    public let designatorRef: STIXIdentifier
    /// CUI categories and subcategories as written (`SP-SSEL`, `SBIZ`); empty when the definition names none.
    public let categories: [String]
    /// Limited dissemination controls as written (`NOFORN`, `NOCON`); empty when none.
    public let disseminations: [String]
    public let requiredStatements: [String]
    public let supplementalAdministrative: [String]

    public init(definitionID: STIXIdentifier, control: Control = .cui, designatorRef: STIXIdentifier,
                categories: [String] = [], disseminations: [String] = [],
                requiredStatements: [String] = [], supplementalAdministrative: [String] = []) {
        self.definitionID = definitionID
        self.control = control
        self.designatorRef = designatorRef
        self.categories = categories
        self.disseminations = disseminations
        self.requiredStatements = requiredStatements
        self.supplementalAdministrative = supplementalAdministrative
    }

    /// The CUI marking a marking definition carries: nil when `definition` is not a marking definition or has no CUI
    /// extension; a problem naming the property (`extensions.<extension id>.control`) when the extension is there but
    /// breaks its schema (control outside CUI / CONTROLLED, no designator, a list that is empty or not of strings).
    public static func read(_ definition: STIXObject) throws(STIXProblem) -> CUIMarking? {
        guard definition.type == "marking-definition",
              let ext = definition["extensions"]?.objectValue?[extensionID.rawValue] else { return nil }
        let prefix = "extensions.\(extensionID.rawValue)."
        guard let body = ext.objectValue else {
            throw .wrongKind(property: "extensions.\(extensionID.rawValue)", expected: "an object", found: ext.kind)
        }
        if let type = try STIXObject.string(body["extension_type"], prefix + "extension_type"), type != "property-extension" {
            throw .valueNotAllowed(property: prefix + "extension_type", value: type, allowed: ["property-extension"])
        }
        guard let controlText = try STIXObject.string(body["control"], prefix + "control") else {
            throw .missingProperty(prefix + "control")
        }
        guard let control = Control(rawValue: controlText) else {
            throw .valueNotAllowed(property: prefix + "control", value: controlText, allowed: Control.allCases.map(\.rawValue))
        }
        guard let designator = try STIXObject.identifier(body["designator_ref"], prefix + "designator_ref", ofType: "identity") else {
            throw .missingProperty(prefix + "designator_ref")
        }
        return CUIMarking(
            definitionID: definition.id, control: control, designatorRef: designator,
            categories: try STIXObject.strings(body["categories"], prefix + "categories") ?? [],
            disseminations: try STIXObject.strings(body["disseminations"], prefix + "disseminations") ?? [],
            requiredStatements: try STIXObject.strings(body["required_statements"], prefix + "required_statements") ?? [],
            supplementalAdministrative: try STIXObject.strings(body["supplemental_administrative"], prefix + "supplemental_administrative") ?? [])
    }
}

/// What the CUI markings on one object say together: the union of the categories and of the dissemination controls
/// of every CUI marking definition it references (in the order first met). The object store keeps only whether an
/// object is CUI; `CUIDesignation(markingIDs: [], categories: [], disseminations: [])` stands for that flag.
public struct CUIDesignation: Sendable, Hashable {
    /// The CUI marking definitions referenced.
    public var markingIDs: [STIXIdentifier]
    public var categories: [String]
    public var disseminations: [String]

    public init(markingIDs: [STIXIdentifier] = [], categories: [String] = [], disseminations: [String] = []) {
        self.markingIDs = markingIDs
        self.categories = categories
        self.disseminations = disseminations
    }

    /// The designation of several CUI markings; nil when there are none.
    public init?(_ markings: [CUIMarking]) {
        guard !markings.isEmpty else { return nil }
        func union(_ lists: [[String]]) -> [String] {
            var seen = Set<String>()
            return lists.joined().filter { seen.insert($0).inserted }
        }
        self.init(markingIDs: markings.map(\.definitionID),
                  categories: union(markings.map(\.categories)),
                  disseminations: union(markings.map(\.disseminations)))
    }

    /// `CUI (SP-SSEL, SBIZ; NOFORN, NOCON)`: the control with what it names, for pages and messages.
    public var label: LocalizedText {
        var parts: [String] = []
        if !categories.isEmpty { parts.append(categories.joined(separator: ", ")) }
        if !disseminations.isEmpty { parts.append(disseminations.joined(separator: ", ")) }
        let detail = parts.isEmpty ? "" : " (" + parts.joined(separator: "; ") + ")"
        return LocalizedText(en: "CUI" + detail, ja: "CUI（管理対象非機密情報）" + detail)
    }
}
