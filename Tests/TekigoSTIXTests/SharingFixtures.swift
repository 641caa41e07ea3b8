import Foundation
import TekigoCore
import TekigoSTIX
import TekigoTestSupport
import Testing

/// A prime (org-prime) with two suppliers in its tree (org-s1, org-s2), an unrelated ISAC member (org-other), and the
/// published examples of the CUI and TLP 2.0 marking extensions.
enum SharingFixtures {
    static func cuiDefinition(_ example: String) throws -> STIXObject {
        let data = try Data(contentsOf: TestEnvironment.sharedData("stix/extensions/cui-marking-definition-dff/examples/\(example)"))
        return try #require(try STIXContent.read(data).objects.first)
    }

    static func tlpExample(_ example: String) throws -> STIXContent {
        try STIXContent.read(Data(contentsOf: TestEnvironment.sharedData("stix/extensions/tlp-2.0/examples/\(example)")))
    }

    /// `marking-definition--331bc382-…` (basic), `…--934ad48b-…` (categories: SP-SSEL, SBIZ; NOFORN, NOCON).
    static func resolver(_ definitions: [STIXObject]) -> (STIXIdentifier) -> STIXObject? {
        { id in definitions.first { $0.id == id } }
    }

    static func id(_ text: String) -> STIXIdentifier { STIXIdentifier(text)! }

    /// An indicator with these object markings and granular marking refs.
    static func indicator(marked refs: [STIXIdentifier] = [], granular: [JSONValue] = []) throws -> STIXObject {
        var p: [String: JSONValue] = [
            "type": "indicator", "spec_version": "2.1", "id": "indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f",
            "created": "2026-12-06T01:00:00.000Z", "modified": "2026-12-06T01:00:00.000Z",
            "name": "C2 address", "pattern": "[ipv4-addr:value = '198.51.100.3']", "pattern_type": "stix",
            "valid_from": "2026-12-06T01:00:00Z",
        ]
        if !refs.isEmpty { p["object_marking_refs"] = .array(refs.map { .string($0.rawValue) }) }
        if !granular.isEmpty { p["granular_markings"] = .array(granular) }
        return try STIXObject(properties: p)
    }

    static func granular(_ ref: STIXIdentifier, _ selectors: [String] = ["pattern"]) -> JSONValue {
        ["marking_ref": .string(ref.rawValue), "selectors": .array(selectors.map { .string($0) })]
    }

    static func markings(_ tlp: TLPMarking, cui: Bool = false) -> STIXMarkings {
        STIXMarkings(tlp: tlp, cui: cui ? CUIDesignation(categories: ["SP-SSEL"], disseminations: ["NOFORN"]) : nil)
    }

    // MARK: parties

    /// Alice of the prime published into the ISAC; Bob (org-s1) is her named recipient.
    static let publication = SharingPublication(organizationID: "org-prime", personID: "alice", communityID: "isac",
                                                namedRecipients: ["bob"])

    static func viewer(_ org: String, _ person: String, member: Bool = true, reads: Bool = true, cui: Bool = false) -> SharingViewer {
        SharingViewer(organizationID: org, personID: person, isCommunityMember: member, mayReadCollection: reads,
                      organizationAuthorizedForCUI: cui)
    }

    static let publisher = SharingPublisher(organizationID: "org-prime", personID: "alice", mayWriteCollection: true)

    static func reader(_ org: String, cui: Bool = false, client: Bool = false) -> SharingTarget.Reader {
        SharingTarget.Reader(organizationID: org, authorizedForCUI: cui, isClientOfPublisher: client)
    }

    /// The ISAC: the prime, its two suppliers and an unrelated member.
    static let isac = SharingTarget(communityID: "isac", readers: [
        reader("org-prime"), reader("org-s1", client: true), reader("org-s2", client: true), reader("org-other"),
    ])
    /// The prime's own organization only.
    static let ownOrganization = SharingTarget(communityID: "prime-internal", readers: [reader("org-prime")])
    /// The prime's supply-chain tree: the prime and its suppliers, nobody else.
    static let primeAndSuppliers = SharingTarget(communityID: "prime-tree", readers: [
        reader("org-prime"), reader("org-s1", client: true), reader("org-s2", client: true),
    ])
    /// The suppliers only.
    static let suppliersOnly = SharingTarget(communityID: "prime-suppliers", readers: [
        reader("org-s1", client: true), reader("org-s2", client: true),
    ])
    static let publicFeed = SharingTarget(communityID: "public", isPublic: true, readers: [])

    static func receipt(_ tlp: TLPMarking, cui: CUIDesignation? = nil) -> SharingReceipt {
        SharingReceipt(markings: STIXMarkings(tlp: tlp, cui: cui), communityID: "national-isac", fromOrganizationID: "org-cert")
    }
}
