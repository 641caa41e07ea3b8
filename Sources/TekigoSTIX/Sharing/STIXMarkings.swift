import Foundation
import TekigoCore

/// The markings that decide who may receive one STIX object: its TLP level and whether it is CUI.
///
/// Read from the object's `object_marking_refs` and the `marking_ref` of each of its `granular_markings`. A granular
/// marking covers only part of the object, but Tekigo serves and publishes whole objects, so it counts for the whole:
/// the most restrictive marking wins (issue 14, item 4).
///
/// **An object with no TLP marking** is treated as the TLP level its community set as its default (`defaultTLP`,
/// passed in by the caller): that is what a member publishing into the community agreed to, as MISP's distribution
/// "inherit" does. `tlpIsDefault` then says so, so that a page can show "TLP:AMBER (community default)" and a
/// re-publication elsewhere is compared with the level the object actually had where it was received.
public struct STIXMarkings: Sendable, Hashable {
    /// The TLP level that applies: the most restrictive one referenced, or the community default when none is.
    public let tlp: TLPMarking
    /// True when the object has no TLP marking and `tlp` is the community's default.
    public let tlpIsDefault: Bool
    /// The CUI markings together; nil when the object is not marked CUI.
    public let cui: CUIDesignation?
    /// Marking definitions referenced that are neither TLP nor CUI (statements, copyright, other extensions): known,
    /// kept with the object, no effect on who receives it.
    public let otherMarkingIDs: [STIXIdentifier]

    public init(tlp: TLPMarking, tlpIsDefault: Bool = false, cui: CUIDesignation? = nil, otherMarkingIDs: [STIXIdentifier] = []) {
        self.tlp = tlp
        self.tlpIsDefault = tlpIsDefault
        self.cui = cui
        self.otherMarkingIDs = otherMarkingIDs
    }

    /// The markings as the object store keeps them: the TLP level read (nil when the object had none) and the CUI
    /// flag. No level means the community's default, as `read` does.
    public init(storedTLP: TLPMarking?, cui: Bool, defaultTLP: TLPMarking) {
        self.init(tlp: storedTLP ?? defaultTLP, tlpIsDefault: storedTLP == nil, cui: cui ? CUIDesignation() : nil)
    }

    public var isCUI: Bool { cui != nil }

    /// Reads the markings of `object`.
    ///
    /// - Parameters:
    ///   - defaultTLP: the community's default TLP, used when the object references no TLP marking.
    ///   - resolve: the marking definition with an id, from the same bundle or already stored; nil when there is none.
    ///     The five TLP 2.0 and four TLP 1.0 ids are known without it (TLP 1.0 WHITE read as CLEAR).
    /// - Throws: `STIXProblem.unknownMarking` for a reference that is neither a TLP id nor a definition `resolve`
    ///   finds; a problem naming the property when `granular_markings` or a referenced definition is malformed.
    public static func read(_ object: STIXObject, defaultTLP: TLPMarking,
                            resolve: (STIXIdentifier) -> STIXObject?) throws(STIXProblem) -> STIXMarkings {
        var levels: [TLPMarking] = []
        var cui: [CUIMarking] = []
        var other: [STIXIdentifier] = []
        var seen = Set<STIXIdentifier>()
        for ref in try references(of: object) where seen.insert(ref).inserted {
            if let level = TLPMarking(markingID: ref) {
                levels.append(level)
                continue
            }
            guard let definition = resolve(ref), definition.id == ref, definition.type == "marking-definition" else {
                throw .unknownMarking(id: ref.rawValue)
            }
            let level = try tlpLevel(of: definition)
            let marking = try CUIMarking.read(definition)
            if let level { levels.append(level) }
            if let marking { cui.append(marking) }
            if level == nil, marking == nil { other.append(ref) }
        }
        return STIXMarkings(tlp: levels.max() ?? defaultTLP, tlpIsDefault: levels.isEmpty,
                            cui: CUIDesignation(cui), otherMarkingIDs: other)
    }

    /// Every marking definition the object references: `object_marking_refs`, then each granular marking's
    /// `marking_ref` (granular markings with `lang` instead carry no marking).
    static func references(of object: STIXObject) throws(STIXProblem) -> [STIXIdentifier] {
        var refs = try object.identifiers("object_marking_refs", ofType: "marking-definition") ?? []
        guard let granular = object["granular_markings"] else { return refs }
        guard let items = granular.arrayValue else {
            throw .wrongKind(property: "granular_markings", expected: "a list of objects", found: granular.kind)
        }
        guard !items.isEmpty else { throw .emptyList(property: "granular_markings") }
        for (i, item) in items.enumerated() {
            let name = "granular_markings[\(i)]"
            guard let marking = item.objectValue else { throw .wrongKind(property: name, expected: "an object", found: item.kind) }
            // Exactly one of marking_ref and lang, as STIXGranularMarkings checks on input.
            guard (marking["marking_ref"] == nil) != (marking["lang"] == nil) else {
                throw .granularMarkingInvalid(index: i, fault: .markingRefOrLang)
            }
            if let ref = try STIXObject.identifier(marking["marking_ref"], name + ".marking_ref", ofType: "marking-definition") {
                refs.append(ref)
            }
        }
        return refs
    }

    /// The TLP level a marking definition found in a bundle or the store stands for: the TLP 2.0 extension's
    /// `tlp_2_0`, or a TLP 1.0 style `definition_type: tlp` with `definition.tlp` (white read as clear); nil for any
    /// other definition.
    static func tlpLevel(of definition: STIXObject) throws(STIXProblem) -> TLPMarking? {
        if let ext = definition["extensions"]?.objectValue?[TLPMarking.extensionID.rawValue] {
            let property = "extensions.\(TLPMarking.extensionID.rawValue).tlp_2_0"
            guard let text = try STIXObject.string(ext.objectValue?["tlp_2_0"], property) else { throw .missingProperty(property) }
            guard let level = TLPMarking(rawValue: text) else {
                throw .valueNotAllowed(property: property, value: text, allowed: TLPMarking.allCases.map(\.rawValue))
            }
            return level
        }
        guard try definition.string("definition_type") == "tlp" else { return nil }
        let property = "definition.tlp"
        guard let text = try STIXObject.string(definition["definition"]?.objectValue?["tlp"], property) else {
            throw .missingProperty(property)
        }
        switch text {
        case "white": return .clear
        case "green": return .green
        case "amber": return .amber
        case "red": return .red
        default: throw .valueNotAllowed(property: property, value: text, allowed: ["white", "green", "amber", "red"])
        }
    }

    /// `TLP:AMBER; CUI (SP-SSEL)`, with "(community default)" when the level was not marked.
    public var label: LocalizedText {
        var en = tlp.name, ja = tlp.name
        if tlpIsDefault {
            en += " (community default)"
            ja += "（コミュニティの既定）"
        }
        if let cui {
            en += "; " + cui.label.en
            ja += "、" + cui.label.ja
        }
        return LocalizedText(en: en, ja: ja)
    }
}
