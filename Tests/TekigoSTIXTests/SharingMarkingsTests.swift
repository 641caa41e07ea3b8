import Foundation
import Testing
import TekigoCore
import TekigoTestSupport
@testable import TekigoSTIX

@Suite("Sharing: reading an object's TLP and CUI markings")
struct SharingMarkingsTests {
    typealias F = SharingFixtures
    let none: (STIXIdentifier) -> STIXObject? = { _ in nil }

    @Test("TLP 2.0: each of the five fixed marking ids is read as its level without any definition at hand")
    func tlp2Ids() throws {
        for level in TLPMarking.allCases {
            let m = try STIXMarkings.read(try F.indicator(marked: [level.markingID]), defaultTLP: .clear, resolve: none)
            #expect(m.tlp == level)
            #expect(!m.tlpIsDefault)
            #expect(m.cui == nil)
        }
    }

    @Test("Issue 14: TLP 1.0 ids are accepted and mapped — WHITE read as CLEAR, GREEN, AMBER, RED as themselves")
    func tlp1WhiteReadAsClear() throws {
        let tlp1: [(String, TLPMarking)] = [
            ("marking-definition--613f2e26-407d-48c7-9eca-b8e91df99dc9", .clear),
            ("marking-definition--34098fce-860f-48ae-8e50-ebd3cc5e41da", .green),
            ("marking-definition--f88d31f6-486f-44da-b317-01333bde0b82", .amber),
            ("marking-definition--5e57c739-391a-4eb3-b6be-7d15ca92d5ed", .red),
        ]
        for (text, level) in tlp1 {
            let m = try STIXMarkings.read(try F.indicator(marked: [F.id(text)]), defaultTLP: .amber, resolve: none)
            #expect(m.tlp == level, "\(text)")
        }
        // A TLP 1.0 style definition (definition_type tlp) found in the bundle: white is clear there too.
        let white = try STIXObject(properties: [
            "type": "marking-definition", "spec_version": "2.1", "id": "marking-definition--7b1c4e5a-2d3f-4a6b-8c9d-0e1f2a3b4c5d",
            "created": "2017-01-20T00:00:00.000Z", "definition_type": "tlp", "definition": ["tlp": "white"],
        ])
        let m = try STIXMarkings.read(try F.indicator(marked: [white.id]), defaultTLP: .red, resolve: F.resolver([white]))
        #expect(m.tlp == .clear)
    }

    @Test("Issue 14: the most restrictive marking wins, over object_marking_refs and granular markings together")
    func mostRestrictiveOfObjectAndGranular() throws {
        let greenObjectRedPart = try F.indicator(marked: [TLPMarking.green.markingID], granular: [F.granular(TLPMarking.red.markingID)])
        #expect(try STIXMarkings.read(greenObjectRedPart, defaultTLP: .clear, resolve: none).tlp == .red)

        let strictObjectTLP1AmberPart = try F.indicator(marked: [TLPMarking.amberStrict.markingID],
                                                        granular: [F.granular(F.id("marking-definition--f88d31f6-486f-44da-b317-01333bde0b82"))])
        #expect(try STIXMarkings.read(strictObjectTLP1AmberPart, defaultTLP: .clear, resolve: none).tlp == .amberStrict)

        let severalOnObject = try F.indicator(marked: [TLPMarking.clear.markingID, TLPMarking.amber.markingID, TLPMarking.green.markingID])
        #expect(try STIXMarkings.read(severalOnObject, defaultTLP: .clear, resolve: none).tlp == .amber)

        // Granular only, with a language marking beside it (a `lang` entry carries no marking).
        let granularOnly = try F.indicator(granular: [F.granular(TLPMarking.amber.markingID, ["name"]),
                                                      ["lang": "ja", "selectors": ["name"]]])
        let m = try STIXMarkings.read(granularOnly, defaultTLP: .clear, resolve: none)
        #expect(m.tlp == .amber)
        #expect(!m.tlpIsDefault)
    }

    @Test("Issue 14: an object with no TLP marking takes the community's default TLP, and says it was the default")
    func noTLPTakesCommunityDefault() throws {
        let unmarked = try F.indicator()
        for level in TLPMarking.allCases {
            let m = try STIXMarkings.read(unmarked, defaultTLP: level, resolve: none)
            #expect(m.tlp == level)
            #expect(m.tlpIsDefault)
        }
        #expect(try STIXMarkings.read(unmarked, defaultTLP: .amber, resolve: none).label.en == "TLP:AMBER (community default)")
        // CUI alone is not a TLP level: the default still applies to the TLP.
        let basic = try F.cuiDefinition("basic.json")
        let cuiOnly = try STIXMarkings.read(try F.indicator(marked: [basic.id]), defaultTLP: .green, resolve: F.resolver([basic]))
        #expect(cuiOnly.tlp == .green)
        #expect(cuiOnly.tlpIsDefault)
        #expect(cuiOnly.isCUI)
        // As the store keeps it (no level, a CUI flag), the same default applies.
        #expect(STIXMarkings(storedTLP: nil, cui: true, defaultTLP: .amber) == STIXMarkings(tlp: .amber, tlpIsDefault: true, cui: CUIDesignation()))
        #expect(STIXMarkings(storedTLP: .green, cui: false, defaultTLP: .red) == STIXMarkings(tlp: .green))
        // A marked level below the default is kept: the publisher chose it.
        #expect(try STIXMarkings.read(try F.indicator(marked: [TLPMarking.clear.markingID]), defaultTLP: .amber, resolve: none).tlp == .clear)
    }

    @Test("TLP 2.0 extension example: the GREEN relationship is green, the unmarked identity takes the default")
    func tlp2GreenExample() throws {
        let content = try F.tlpExample("using-tlp2.0-green.json")
        let resolve = F.resolver(content.objects)
        let relationship = try #require(content.objects.first { $0.type == "relationship" })
        let identity = try #require(content.objects.first { $0.type == "identity" })
        #expect(try STIXMarkings.read(relationship, defaultTLP: .amber, resolve: resolve).tlp == .green)
        let idm = try STIXMarkings.read(identity, defaultTLP: .amber, resolve: resolve)
        #expect(idm.tlp == .amber)
        #expect(idm.tlpIsDefault)
    }

    @Test("TLP 2.0 extension example: a definition carrying the tlp_2_0 extension is read by its property too")
    func tlp2DefinitionByExtension() throws {
        let strict = try #require(try F.tlpExample("tlp-amber+strict.json").objects.first)
        #expect(try STIXMarkings.tlpLevel(of: strict) == .amberStrict)
        #expect(try STIXMarkings.tlpLevel(of: TLPMarking.red.markingDefinition) == .red)
        // The same extension at another id (a producer's own copy) counts as its level.
        var p = strict.properties
        p["id"] = "marking-definition--0d1f3b6e-8a2c-4e5f-9b7d-6c4a2e1f3d5b"
        let copy = try STIXObject(properties: p)
        #expect(try STIXMarkings.read(try F.indicator(marked: [copy.id]), defaultTLP: .clear, resolve: F.resolver([copy])).tlp == .amberStrict)
        p["extensions"] = [TLPMarking.extensionID.rawValue: ["extension_type": "property-extension", "tlp_2_0": "purple"]]
        #expect(throws: STIXProblem.valueNotAllowed(property: "extensions.\(TLPMarking.extensionID.rawValue).tlp_2_0", value: "purple",
                                                     allowed: ["clear", "green", "amber", "amber+strict", "red"])) {
            try STIXMarkings.tlpLevel(of: try STIXObject(properties: p))
        }
    }

    @Test("Issue 14 bad input: an unknown marking id (no TLP id, no definition in the bundle or the store) is refused naming the id")
    func unknownMarkingIsAnError() throws {
        let unknown = F.id("marking-definition--fa42a846-8d90-4e51-bc29-71d5b4802168")
        #expect(throws: STIXProblem.unknownMarking(id: unknown.rawValue)) {
            try STIXMarkings.read(try F.indicator(marked: [TLPMarking.green.markingID, unknown]), defaultTLP: .clear, resolve: none)
        }
        #expect(throws: STIXProblem.unknownMarking(id: unknown.rawValue)) {
            try STIXMarkings.read(try F.indicator(granular: [F.granular(unknown)]), defaultTLP: .clear, resolve: none)
        }
        // A resolver answering with some other object is not a definition for the id.
        let basic = try F.cuiDefinition("basic.json")
        #expect(throws: STIXProblem.unknownMarking(id: unknown.rawValue)) {
            try STIXMarkings.read(try F.indicator(marked: [unknown]), defaultTLP: .clear, resolve: { _ in basic })
        }
        let text = STIXProblem.unknownMarking(id: unknown.rawValue).text
        #expect(text.en.contains(unknown.rawValue) && text.ja.contains(unknown.rawValue))
        #expect(text.en.contains("marking-definition object"))
        #expect(STIXError.invalidObject(id: "indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f", problem: .unknownMarking(id: unknown.rawValue))
            .text.en.contains(unknown.rawValue))
    }

    @Test("Issue 14: a marking definition from the bundle that is neither TLP nor CUI (a statement) is known and changes nothing")
    func statementMarkingIsKnown() throws {
        let statement = try STIXObject(properties: [
            "type": "marking-definition", "spec_version": "2.1", "id": "marking-definition--5c9a8b7d-6e4f-4a3b-9c2d-1e0f9a8b7c6d",
            "created": "2026-01-01T00:00:00.000Z", "definition_type": "statement", "definition": ["statement": "Copyright 2026 Tekigo ISAC"],
        ])
        let m = try STIXMarkings.read(try F.indicator(marked: [statement.id, TLPMarking.green.markingID]), defaultTLP: .amber,
                                      resolve: F.resolver([statement]))
        #expect(m.tlp == .green)
        #expect(m.cui == nil)
        #expect(m.otherMarkingIDs == [statement.id])
    }

    @Test("CUI marking extension examples: control, designator, categories (SP- first), disseminations and statements are read")
    func cuiExamples() throws {
        let basic = try #require(try CUIMarking.read(try F.cuiDefinition("basic.json")))
        #expect(basic.control == .cui)
        #expect(basic.designatorRef.rawValue == "identity--c069bb9f-158a-405d-92b4-858a2536df9a")
        #expect(basic.categories.isEmpty && basic.disseminations.isEmpty)

        let categories = try #require(try CUIMarking.read(try F.cuiDefinition("categories.json")))
        #expect(categories.categories == ["SP-SSEL", "SBIZ"])
        #expect(categories.disseminations == ["NOFORN", "NOCON"])

        let banner = try #require(try CUIMarking.read(try F.cuiDefinition("banner.json")))
        #expect(banner.categories == ["ASYL"])

        let data = try Data(contentsOf: TestEnvironment.sharedData("stix/extensions/cui-dff/examples/supplemental.json"))
        let supplementalDefinition = try #require(try STIXContent.read(data).objects.first)
        let supplemental = try #require(try CUIMarking.read(supplementalDefinition))
        #expect(supplemental.requiredStatements == ["MARKING REQUIRED BY AUTHORITY"])
        #expect(supplemental.supplementalAdministrative == ["Draft"])

        // A TLP definition carries no CUI.
        #expect(try CUIMarking.read(TLPMarking.amber.markingDefinition) == nil)
    }

    @Test("CUI marking extension: an object referencing a CUI definition is CUI, with the union of categories and disseminations")
    func objectMarkedCUI() throws {
        let basic = try F.cuiDefinition("basic.json")
        let categories = try F.cuiDefinition("categories.json")
        let banner = try F.cuiDefinition("banner.json")
        let resolve = F.resolver([basic, categories, banner])
        let m = try STIXMarkings.read(try F.indicator(marked: [TLPMarking.amber.markingID, categories.id], granular: [F.granular(banner.id)]),
                                      defaultTLP: .clear, resolve: resolve)
        #expect(m.tlp == .amber)
        let cui = try #require(m.cui)
        #expect(cui.markingIDs == [categories.id, banner.id])
        #expect(cui.categories == ["SP-SSEL", "SBIZ", "ASYL"])
        #expect(cui.disseminations == ["NOFORN", "NOCON"])
        #expect(m.label.en == "TLP:AMBER; CUI (SP-SSEL, SBIZ, ASYL; NOFORN, NOCON)")
        #expect(m.otherMarkingIDs.isEmpty)

        let plain = try STIXMarkings.read(try F.indicator(marked: [basic.id]), defaultTLP: .clear, resolve: resolve)
        #expect(plain.cui == CUIDesignation(markingIDs: [basic.id], categories: [], disseminations: []))
    }

    @Test("CUI marking extension schema: control other than CUI/CONTROLLED, no designator_ref, or an empty category list is refused naming the property")
    func cuiMalformed() throws {
        let basic = try F.cuiDefinition("basic.json")
        let ext = CUIMarking.extensionID.rawValue
        func with(_ change: (inout [String: JSONValue]) -> Void) throws -> STIXObject {
            var body = basic["extensions"]!.objectValue![ext]!.objectValue!
            change(&body)
            var p = basic.properties
            p["extensions"] = .object([ext: .object(body)])
            return try STIXObject(properties: p)
        }
        #expect(throws: STIXProblem.valueNotAllowed(property: "extensions.\(ext).control", value: "SECRET", allowed: ["CUI", "CONTROLLED"])) {
            try CUIMarking.read(try with { $0["control"] = "SECRET" })
        }
        #expect(try CUIMarking.read(try with { $0["control"] = "CONTROLLED" })?.control == .controlled)
        #expect(throws: STIXProblem.missingProperty("extensions.\(ext).designator_ref")) {
            try CUIMarking.read(try with { $0["designator_ref"] = nil })
        }
        #expect(throws: STIXProblem.emptyList(property: "extensions.\(ext).categories")) {
            try CUIMarking.read(try with { $0["categories"] = [] })
        }
        // Through an object's markings the same problem surfaces: a malformed CUI marking never reads as "not CUI".
        let bad = try with { $0["control"] = nil }
        #expect(throws: STIXProblem.missingProperty("extensions.\(ext).control")) {
            try STIXMarkings.read(try F.indicator(marked: [bad.id]), defaultTLP: .clear, resolve: F.resolver([bad]))
        }
    }

    @Test("STIX 2.1 §7.2.3: a granular marking with neither or both of marking_ref and lang, or a marking_ref that is not a marking definition id, is refused")
    func granularMalformed() throws {
        #expect(throws: STIXProblem.granularMarkingInvalid(index: 0, fault: .markingRefOrLang)) {
            try STIXMarkings.read(try F.indicator(granular: [["selectors": ["name"]]]), defaultTLP: .clear, resolve: none)
        }
        #expect(throws: STIXProblem.granularMarkingInvalid(index: 1, fault: .markingRefOrLang)) {
            try STIXMarkings.read(try F.indicator(granular: [F.granular(TLPMarking.green.markingID),
                                                             ["marking_ref": .string(TLPMarking.red.markingID.rawValue), "lang": "en",
                                                              "selectors": ["name"]]]), defaultTLP: .clear, resolve: none)
        }
        #expect(throws: STIXProblem.identifierOfWrongType(property: "granular_markings[0].marking_ref",
                                                          value: "identity--c069bb9f-158a-405d-92b4-858a2536df9a",
                                                          expectedType: "marking-definition")) {
            try STIXMarkings.read(try F.indicator(granular: [["marking_ref": "identity--c069bb9f-158a-405d-92b4-858a2536df9a",
                                                              "selectors": ["name"]]]), defaultTLP: .clear, resolve: none)
        }
        #expect(throws: STIXProblem.wrongKind(property: "granular_markings", expected: "a list of objects", found: "an object")) {
            var p = try F.indicator().properties
            p["granular_markings"] = ["marking_ref": .string(TLPMarking.red.markingID.rawValue)]
            try STIXMarkings.read(try STIXObject(properties: p), defaultTLP: .clear, resolve: none)
        }
    }
}

