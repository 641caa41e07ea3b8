import Foundation
import TekigoCore

/// Traffic Light Protocol 2.0 (FIRST), as the STIX marking definitions of the TLP 2.0 extension
/// (`extension-definition--60a3c5c5-0d10-413e-aab3-9e08dde9e88d`, property `tlp_2_0`) carry it. The five marking
/// definitions have fixed ids and contents that every producer writes identically (standards-facts §9.2), so they
/// are data here. TLP 1.0's four ids built into STIX 2.1 are recognised on reading (WHITE read as CLEAR).
public enum TLPMarking: String, Sendable, Hashable, Codable, CaseIterable, Comparable {
    case clear
    case green
    case amber
    case amberStrict = "amber+strict"
    case red

    /// The TLP 2.0 marking extension.
    public static let extensionID = STIXIdentifier("extension-definition--60a3c5c5-0d10-413e-aab3-9e08dde9e88d")!

    /// The `created` every TLP 2.0 marking definition carries.
    public static let definitionsCreated = STIXTimestamp("2022-10-01T00:00:00.000Z")!

    /// The fixed id of this level's TLP 2.0 marking definition.
    public var markingID: STIXIdentifier {
        switch self {
        case .clear: return STIXIdentifier("marking-definition--94868c89-83c2-464b-929b-a1a8aa3c8487")!
        case .green: return STIXIdentifier("marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb")!
        case .amber: return STIXIdentifier("marking-definition--55d920b0-5e8b-4f79-9ee9-91f868d9b421")!
        case .amberStrict: return STIXIdentifier("marking-definition--939a9414-2ddd-4d32-a0cd-375ea402b003")!
        case .red: return STIXIdentifier("marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1")!
        }
    }

    /// The TLP 1.0 marking definition STIX 2.1 built in for this level, if there was one (AMBER+STRICT is new in 2.0).
    public var tlp1MarkingID: STIXIdentifier? {
        switch self {
        case .clear: return STIXIdentifier("marking-definition--613f2e26-407d-48c7-9eca-b8e91df99dc9")!
        case .green: return STIXIdentifier("marking-definition--34098fce-860f-48ae-8e50-ebd3cc5e41da")!
        case .amber: return STIXIdentifier("marking-definition--f88d31f6-486f-44da-b317-01333bde0b82")!
        case .amberStrict: return nil
        case .red: return STIXIdentifier("marking-definition--5e57c739-391a-4eb3-b6be-7d15ca92d5ed")!
        }
    }

    /// The level a marking definition id stands for: a TLP 2.0 id, or a TLP 1.0 id (WHITE as CLEAR); nil for any
    /// other marking.
    public init?(markingID: STIXIdentifier) {
        guard let level = Self.allCases.first(where: { $0.markingID == markingID || $0.tlp1MarkingID == markingID }) else {
            return nil
        }
        self = level
    }

    /// `TLP:AMBER+STRICT`: the marking definition's `name`, also how people write the level.
    public var name: String { "TLP:" + rawValue.uppercased() }

    /// The marking-definition object, exactly as the TLP 2.0 extension defines it.
    public var markingDefinition: STIXObject {
        STIXObject(made: markingID, [
            "created": .string(Self.definitionsCreated.description),
            "name": .string(name),
            "extensions": [
                Self.extensionID.rawValue: [
                    "extension_type": "property-extension",
                    "tlp_2_0": .string(rawValue),
                ],
            ],
        ])
    }

    /// Who may receive what is marked, in a sentence (FIRST TLP 2.0).
    public var label: LocalizedText {
        switch self {
        case .clear:
            return LocalizedText(en: "TLP:CLEAR — no limit on disclosure", ja: "TLP:CLEAR — 公開制限なし")
        case .green:
            return LocalizedText(en: "TLP:GREEN — the community, not public", ja: "TLP:GREEN — コミュニティ内（一般公開は不可）")
        case .amber:
            return LocalizedText(en: "TLP:AMBER — the recipient's organization and its clients, need to know",
                                 ja: "TLP:AMBER — 受領者の組織とその顧客のうち知る必要のある者")
        case .amberStrict:
            return LocalizedText(en: "TLP:AMBER+STRICT — the recipient's organization only, need to know",
                                 ja: "TLP:AMBER+STRICT — 受領者の組織内で知る必要のある者のみ")
        case .red:
            return LocalizedText(en: "TLP:RED — the named recipients only", ja: "TLP:RED — 指名された受領者のみ")
        }
    }

    /// CLEAR < GREEN < AMBER < AMBER+STRICT < RED: the further right, the smaller the audience.
    public static func < (a: TLPMarking, b: TLPMarking) -> Bool {
        allCases.firstIndex(of: a)! < allCases.firstIndex(of: b)!
    }
}
