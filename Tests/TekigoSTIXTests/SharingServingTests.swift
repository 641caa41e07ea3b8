import Foundation
import Testing
import TekigoCore
@testable import TekigoSTIX

@Suite("Sharing: who may be served an object (TLP 2.0 and CUI)")
struct SharingServingTests {
    typealias F = SharingFixtures

    /// The kinds of viewer of an object Alice (org-prime) published into the ISAC with Bob (org-s1) named.
    enum Kind: CaseIterable {
        case outsider, memberWithoutRead, reader, colleagueOfPublisher, namedRecipient, publishingPerson
        func viewer(cui: Bool) -> SharingViewer {
            switch self {
            case .outsider: return F.viewer("org-x", "xavier", member: false, reads: false, cui: cui)
            case .memberWithoutRead: return F.viewer("org-other", "olga", reads: false, cui: cui)
            case .reader: return F.viewer("org-other", "olga", cui: cui)
            case .colleagueOfPublisher: return F.viewer("org-prime", "carol", cui: cui)
            case .namedRecipient: return F.viewer("org-s1", "bob", cui: cui)
            case .publishingPerson: return F.viewer("org-prime", "alice", cui: cui)
            }
        }
    }

    /// What the rules say for a level and a viewer kind, the object not CUI (or the viewer's organization authorized).
    static func expected(_ level: TLPMarking, _ kind: Kind) -> SharingDecision {
        switch kind {
        case .outsider: return .refused(.notCommunityMember)
        case .memberWithoutRead: return .refused(.cannotReadCollection)
        case .reader, .colleagueOfPublisher: return level == .red ? .refused(.redNotNamedRecipient) : .allowed(.collectionReader(level))
        case .namedRecipient: return level == .red ? .allowed(.namedRecipient) : .allowed(.collectionReader(level))
        case .publishingPerson: return level == .red ? .allowed(.publishingPerson) : .allowed(.collectionReader(level))
        }
    }

    @Test("TLP 2.0 (CLEAR public, GREEN community, AMBER/AMBER+STRICT recipient organizations, RED named recipients): every level × viewer kind",
          arguments: TLPMarking.allCases, Kind.allCases)
    func everyLevelAndViewer(level: TLPMarking, kind: Kind) {
        let decision = SharingPolicy.mayServe(markings: F.markings(level), publication: F.publication, to: kind.viewer(cui: false))
        #expect(decision == Self.expected(level, kind))
        // A CUI authorization changes nothing for an object that is not CUI.
        #expect(SharingPolicy.mayServe(markings: F.markings(level), publication: F.publication, to: kind.viewer(cui: true)) == decision)
    }

    @Test("Issue 14 (CUI only to organizations authorized for it): every level × viewer kind, with and without the authorization",
          arguments: TLPMarking.allCases, Kind.allCases)
    func cuiWithAndWithoutAuthorization(level: TLPMarking, kind: Kind) {
        let cui = F.markings(level, cui: true)
        let authorized = SharingPolicy.mayServe(markings: cui, publication: F.publication, to: kind.viewer(cui: true))
        #expect(authorized == Self.expected(level, kind))
        let unauthorized = SharingPolicy.mayServe(markings: cui, publication: F.publication, to: kind.viewer(cui: false))
        switch kind {
        case .outsider, .memberWithoutRead: #expect(unauthorized == Self.expected(level, kind))
        default: #expect(unauthorized == .refused(.cuiOrganizationNotAuthorized))   // named recipient and publisher included
        }
    }

    @Test("TLP 2.0 RED: a named recipient whose organization left the community is no longer served")
    func redRecipientWhoLeft() {
        let bobAfterLeaving = F.viewer("org-s1", "bob", member: false, reads: false)
        #expect(SharingPolicy.mayServe(markings: F.markings(.red), publication: F.publication, to: bobAfterLeaving)
                == .refused(.notCommunityMember))
    }

    @Test("TLP 2.0 CLEAR: no limit on disclosure, but a community's collection is still served to its readers only")
    func clearThroughTheCollection() {
        let decision = SharingPolicy.mayServe(markings: F.markings(.clear), publication: F.publication, to: Kind.outsider.viewer(cui: true))
        #expect(decision == .refused(.notCommunityMember))
        #expect(decision.reason.en.contains("not a member") && decision.reason.ja.contains("メンバーではありません"))
    }

    @Test("Issue 14: the serving rule exported as data for the store's SQL is exactly what mayServe evaluates")
    func servingConditionsForTheStore() {
        #expect(SharingPolicy.servingConditions == [
            .init(scope: .everyObject, requirement: .viewerIsCommunityMember, refusal: .notCommunityMember),
            .init(scope: .everyObject, requirement: .viewerMayReadCollection, refusal: .cannotReadCollection),
            .init(scope: .cuiMarked, requirement: .viewerOrganizationAuthorizedForCUI, refusal: .cuiOrganizationNotAuthorized),
            .init(scope: .tlp(.red), requirement: .viewerIsNamedRecipientOrPublishingPerson, refusal: .redNotNamedRecipient),
        ])
        // Evaluating the table by hand (as SQL would) agrees with mayServe for every combination.
        for level in TLPMarking.allCases {
            for cui in [false, true] {
                let markings = F.markings(level, cui: cui)
                for kind in Kind.allCases {
                    for authorized in [false, true] {
                        let viewer = kind.viewer(cui: authorized)
                        let visible = SharingPolicy.servingConditions.allSatisfy {
                            !$0.scope.applies(to: markings) || $0.requirement.isMet(by: viewer, for: F.publication)
                        }
                        #expect(visible == SharingPolicy.mayServe(markings: markings, publication: F.publication, to: viewer).isAllowed)
                    }
                }
            }
        }
    }

    @Test("Every serving refusal names its rule and says what to do, in English and Japanese")
    func refusalTexts() {
        let rules: [SharingRule] = [.notCommunityMember, .cannotReadCollection, .cuiOrganizationNotAuthorized, .redNotNamedRecipient]
        for rule in rules {
            #expect(rule.text.en.contains("Ask"), "\(rule)")
            #expect(!rule.text.ja.isEmpty && rule.text.ja != rule.text.en)
        }
        #expect(SharingRule.redNotNamedRecipient.text.en.hasPrefix("TLP:RED"))
        #expect(SharingRule.cuiOrganizationNotAuthorized.text.en.hasPrefix("CUI rule"))
        #expect(SharingDecision.allowed(.namedRecipient).reason.en.contains("named recipients"))
    }
}
