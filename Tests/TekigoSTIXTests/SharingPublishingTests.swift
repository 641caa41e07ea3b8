import Foundation
import Testing
import TekigoCore
@testable import TekigoSTIX

@Suite("Sharing: publishing and re-publishing under TLP 2.0 and CUI")
struct SharingPublishingTests {
    typealias F = SharingFixtures

    func publish(_ markings: STIXMarkings, into target: SharingTarget, by publisher: SharingPublisher = F.publisher,
                 received: SharingReceipt? = nil) -> SharingDecision {
        SharingPolicy.mayPublish(markings: markings, into: target, by: publisher, receivedFrom: received)
    }

    /// The ISAC with Bob (org-s1) named, as TLP:RED needs.
    var isacWithBob: SharingTarget {
        var t = F.isac
        t.namedRecipients = [.init(personID: "bob", isCommunityMember: true)]
        return t
    }

    // MARK: original publishing

    @Test("Issue 14 (original publishing): any TLP into a community the publisher may write to", arguments: TLPMarking.allCases)
    func originalAnyLevel(level: TLPMarking) {
        #expect(publish(F.markings(level), into: isacWithBob) == .allowed(.originalPublication(level)))
    }

    @Test("Issue 14 (original publishing): without write access to the collection nothing may be published", arguments: TLPMarking.allCases)
    func originalWithoutWrite(level: TLPMarking) {
        let reader = SharingPublisher(organizationID: "org-prime", personID: "alice", mayWriteCollection: false)
        #expect(publish(F.markings(level), into: isacWithBob, by: reader) == .refused(.cannotWriteCollection))
        #expect(publish(F.markings(level), into: isacWithBob, by: reader, received: F.receipt(.clear)) == .refused(.cannotWriteCollection))
    }

    @Test("TLP 2.0 RED (named recipients only): at least one named recipient is required")
    func redNeedsRecipients() {
        #expect(publish(F.markings(.red), into: F.isac) == .refused(.redWithoutNamedRecipients))
    }

    @Test("Issue 14: TLP:RED's named recipients must all be members of the community; the refusal names those who are not")
    func redRecipientsMustBeMembers() {
        var target = isacWithBob
        target.namedRecipients += [.init(personID: "mallory", isCommunityMember: false), .init(personID: "trent", isCommunityMember: false)]
        let decision = publish(F.markings(.red), into: target)
        #expect(decision == .refused(.redRecipientsOutsideCommunity(["mallory", "trent"])))
        #expect(decision.reason.en.contains("mallory, trent") && decision.reason.ja.contains("mallory、trent"))
    }

    @Test("Issue 14 (CUI only into a community whose every reader organization is authorized): refused naming the unauthorized readers")
    func cuiAudienceMustBeAuthorized() {
        let partly = SharingTarget(communityID: "isac", readers: [F.reader("org-prime", cui: true), F.reader("org-s1", cui: true),
                                                                  F.reader("org-other", cui: false)])
        let decision = publish(F.markings(.amber, cui: true), into: partly)
        #expect(decision == .refused(.cuiAudienceNotAuthorized(["org-other"])))
        #expect(decision.reason.en.contains("org-other") && decision.reason.ja.contains("org-other"))
        let all = SharingTarget(communityID: "isac", readers: [F.reader("org-prime", cui: true), F.reader("org-s1", cui: true)])
        #expect(publish(F.markings(.amber, cui: true), into: all) == .allowed(.originalPublication(.amber)))
        // Not CUI: authorizations do not matter.
        #expect(publish(F.markings(.amber), into: partly) == .allowed(.originalPublication(.amber)))
    }

    @Test("TLP 2.0 (only CLEAR has no limit on disclosure): a public collection takes TLP:CLEAR only, and never CUI")
    func publicTakesClearOnly() {
        #expect(publish(F.markings(.clear), into: F.publicFeed) == .allowed(.originalPublication(.clear)))
        for level in TLPMarking.allCases where level != .clear {
            #expect(publish(F.markings(level), into: F.publicFeed) == .refused(.publicRequiresClear(level)))
        }
        #expect(publish(F.markings(.clear, cui: true), into: F.publicFeed) == .refused(.cuiNeverPublic))
    }

    // MARK: re-publishing

    @Test("TLP 2.0 AMBER+STRICT (recipient organization only): a recipient can never re-publish it, not even inside its own organization")
    func amberStrictNeverRepublished() {
        for target in [F.ownOrganization, F.primeAndSuppliers, F.isac, F.publicFeed] {
            for level in [TLPMarking.amberStrict, .red] {
                #expect(publish(F.markings(level), into: target, received: F.receipt(.amberStrict)) == .refused(.amberStrictNeverRepublished))
            }
        }
        #expect(SharingRule.amberStrictNeverRepublished.text.en.hasPrefix("TLP:AMBER+STRICT"))
    }

    @Test("TLP 2.0 RED (named recipients only): a recipient can never re-publish it")
    func redNeverRepublished() {
        for target in [F.ownOrganization, isacWithBob] {
            #expect(publish(F.markings(.red), into: target, received: F.receipt(.red)) == .refused(.redNeverRepublished))
        }
        #expect(SharingRule.redNeverRepublished.text.ja.hasPrefix("TLP:RED"))
    }

    @Test("TLP 2.0 AMBER (recipient organization and its clients): re-published to the own organization")
    func amberToOwnOrganization() {
        #expect(publish(F.markings(.amber), into: F.ownOrganization, received: F.receipt(.amber))
                == .allowed(.republishAmberToOrganizationAndClients))
    }

    @Test("TLP 2.0 AMBER (recipient organization and its clients): re-published to a community of its clients, with or without itself")
    func amberToClients() {
        for target in [F.suppliersOnly, F.primeAndSuppliers] {
            #expect(publish(F.markings(.amber), into: target, received: F.receipt(.amber)) == .allowed(.republishAmberToOrganizationAndClients))
        }
    }

    @Test("Issue 14 (AMBER only to its members and its clients): a community with a non-client is refused, naming it")
    func amberBeyondClients() {
        let decision = publish(F.markings(.amber), into: F.isac, received: F.receipt(.amber))
        #expect(decision == .refused(.amberBeyondOrganizationAndClients(["org-other"])))
        #expect(decision.reason.en.contains("org-other") && decision.reason.en.hasPrefix("TLP:AMBER"))
        // Raising it to AMBER+STRICT does not widen where it may go.
        #expect(publish(F.markings(.amberStrict), into: F.isac, received: F.receipt(.amber)) == .refused(.amberBeyondOrganizationAndClients(["org-other"])))
        #expect(publish(F.markings(.amber), into: F.publicFeed, received: F.receipt(.amber)) == .refused(.publicRequiresClear(.amber)))
    }

    @Test("TLP 2.0 GREEN (the community): re-published to any community", arguments: [F.ownOrganization, F.suppliersOnly, F.isac])
    func greenToAnyCommunity(target: SharingTarget) {
        #expect(publish(F.markings(.green), into: target, received: F.receipt(.green)) == .allowed(.republishGreenWithinCommunity))
    }

    @Test("TLP 2.0 GREEN (not public): never re-published to a public collection")
    func greenNeverPublic() {
        #expect(publish(F.markings(.green), into: F.publicFeed, received: F.receipt(.green)) == .refused(.greenNeverPublic))
        #expect(SharingRule.greenNeverPublic.text.en.contains("never made public"))
    }

    @Test("TLP 2.0 CLEAR (no limit on disclosure): re-published anywhere, public included",
          arguments: [F.ownOrganization, F.suppliersOnly, F.isac, F.publicFeed])
    func clearAnywhere(target: SharingTarget) {
        #expect(publish(F.markings(.clear), into: target, received: F.receipt(.clear)) == .allowed(.republishClear))
    }

    @Test("Issue 14: a more restrictive TLP on re-publication is allowed (it only narrows the audience)")
    func raisingIsAllowed() {
        #expect(publish(F.markings(.amber), into: F.ownOrganization, received: F.receipt(.green)) == .allowed(.republishGreenWithinCommunity))
        var red = F.primeAndSuppliers
        red.namedRecipients = [.init(personID: "bob", isCommunityMember: true)]
        #expect(publish(F.markings(.red), into: red, received: F.receipt(.amber)) == .allowed(.republishAmberToOrganizationAndClients))
        #expect(publish(F.markings(.red), into: F.primeAndSuppliers, received: F.receipt(.amber)) == .refused(.redWithoutNamedRecipients))
    }

    // MARK: downgrades

    @Test("Issue 14 (marking downgrade): every re-publication at a less restrictive TLP than received is refused, naming both levels")
    func tlpDowngrade() {
        for received in [TLPMarking.green, .amber] {
            for attempted in TLPMarking.allCases where attempted < received {
                for target in [F.ownOrganization, F.suppliersOnly, F.isac, F.publicFeed] {
                    let decision = publish(F.markings(attempted), into: target, received: F.receipt(received))
                    #expect(decision == .refused(.markingDowngrade(received: received, attempted: attempted)), "\(received) → \(attempted)")
                    #expect(decision.reason.en.contains(received.name) && decision.reason.en.contains(attempted.name))
                    #expect(decision.reason.ja.contains(received.name) && decision.reason.ja.contains(attempted.name))
                    #expect(decision.reason.en.hasPrefix("Marking downgrade"))
                }
            }
        }
    }

    @Test("Issue 14 (marking downgrade): an object received with no TLP under a community default keeps that level elsewhere")
    func downgradeFromCommunityDefault() throws {
        let unmarked = try F.indicator()
        let received = try STIXMarkings.read(unmarked, defaultTLP: .amber, resolve: { _ in nil })
        let asPublished = try STIXMarkings.read(unmarked, defaultTLP: .green, resolve: { _ in nil })
        let receipt = SharingReceipt(markings: received, communityID: "amber-isac", fromOrganizationID: "org-cert")
        #expect(publish(asPublished, into: F.suppliersOnly, received: receipt) == .refused(.markingDowngrade(received: .amber, attempted: .green)))
    }

    @Test("Issue 14 (marking downgrade): dropping a CUI marking received is refused")
    func cuiDropped() {
        let cui = CUIDesignation(categories: ["SP-SSEL"], disseminations: ["NOFORN"])
        let authorized = SharingTarget(communityID: "prime-tree", readers: [F.reader("org-prime", cui: true), F.reader("org-s1", cui: true, client: true)])
        let decision = publish(F.markings(.amber), into: authorized, received: F.receipt(.amber, cui: cui))
        #expect(decision == .refused(.cuiMarkingDropped(cui)))
        #expect(decision.reason.en.contains("CUI (SP-SSEL; NOFORN)") && decision.reason.en.hasPrefix("Marking downgrade"))
        // Kept: allowed to an authorized audience of its clients.
        #expect(publish(STIXMarkings(tlp: .amber, cui: cui), into: authorized, received: F.receipt(.amber, cui: cui))
                == .allowed(.republishAmberToOrganizationAndClients))
        // Kept, but to an audience not authorized: the CUI rule refuses.
        #expect(publish(STIXMarkings(tlp: .amber, cui: cui), into: F.primeAndSuppliers, received: F.receipt(.amber, cui: cui))
                == .refused(.cuiAudienceNotAuthorized(["org-prime", "org-s1", "org-s2"])))
    }

    @Test("Issue 14 (marking downgrade): keeping CUI but leaving out a category or a dissemination control is refused, naming them")
    func cuiNarrowed() {
        let received = CUIDesignation(categories: ["SP-SSEL", "SBIZ"], disseminations: ["NOFORN", "NOCON"])
        let kept = CUIDesignation(categories: ["SBIZ", "PRVCY"], disseminations: ["NOCON"])
        let decision = publish(STIXMarkings(tlp: .green, cui: kept), into: F.ownOrganization, received: F.receipt(.green, cui: received))
        #expect(decision == .refused(.cuiDesignationNarrowed(missingCategories: ["SP-SSEL"], missingDisseminations: ["NOFORN"])))
        #expect(decision.reason.en.contains("SP-SSEL, NOFORN"))
    }

    @Test("Every publishing refusal says what is wrong and what to do, in English and Japanese")
    func refusalTexts() {
        let rules: [SharingRule] = [
            .cannotWriteCollection, .publicRequiresClear(.green), .cuiNeverPublic, .redWithoutNamedRecipients,
            .redRecipientsOutsideCommunity(["p"]), .cuiAudienceNotAuthorized(["o"]), .amberStrictNeverRepublished,
            .redNeverRepublished, .amberBeyondOrganizationAndClients(["o"]), .greenNeverPublic,
            .markingDowngrade(received: .amber, attempted: .green), .cuiMarkingDropped(CUIDesignation()),
            .cuiDesignationNarrowed(missingCategories: ["A"], missingDisseminations: []),
        ]
        for rule in rules {
            let t = rule.text
            #expect(t.en.hasSuffix("."), "\(rule)")
            #expect(t.ja.hasSuffix("。"), "\(rule)")
            #expect(t.en.split(separator: ".").count >= 2, "\(rule): what is wrong, then what to do")
        }
        let allowed: [SharingPermission] = [.collectionReader(.green), .namedRecipient, .publishingPerson, .originalPublication(.amber),
                                            .republishClear, .republishGreenWithinCommunity, .republishAmberToOrganizationAndClients]
        for p in allowed { #expect(!p.text.en.isEmpty && !p.text.ja.isEmpty && p.text.en != p.text.ja) }
    }
}
