import Foundation
import TekigoCore

/// The marking rules of a sharing community (issue 14, item 4): who may be served an object, and who may publish or
/// re-publish it where. Pure: the caller reads the markings (`STIXMarkings.read`) and fills in the parties from the
/// store; the policy only decides, naming the rule.
///
/// TLP 2.0 (FIRST): CLEAR has no limit on disclosure; GREEN stays in the community; AMBER goes to the recipient's
/// organization and its clients who need to know; AMBER+STRICT to the recipient's organization only; RED to the named
/// recipients only. CUI goes only to organizations authorized for it. The most restrictive marking wins.
public enum SharingPolicy {

    // MARK: serving

    /// Which stored objects a serving condition applies to, in terms of what the object store keeps per object: the
    /// TLP level and the CUI flag.
    public enum ServingScope: Sendable, Hashable {
        case everyObject
        /// Objects marked CUI (the store's CUI flag).
        case cuiMarked
        /// Objects whose effective TLP level is this one.
        case tlp(TLPMarking)

        public func applies(to markings: STIXMarkings) -> Bool {
            switch self {
            case .everyObject: return true
            case .cuiMarked: return markings.isCUI
            case .tlp(let level): return markings.tlp == level
            }
        }
    }

    /// What a viewer must satisfy for a serving condition, each a fact the store holds.
    public enum ServingRequirement: Sendable, Hashable, CaseIterable {
        /// The viewer's organization is a member of the community the object was published into.
        case viewerIsCommunityMember
        /// The viewer may read the collection that holds the object (`can_read`).
        case viewerMayReadCollection
        /// The viewer's organization is authorized for CUI in that community.
        case viewerOrganizationAuthorizedForCUI
        /// The viewer is one of the publication's named recipients, or the person who published it.
        case viewerIsNamedRecipientOrPublishingPerson

        public func isMet(by viewer: SharingViewer, for publication: SharingPublication) -> Bool {
            switch self {
            case .viewerIsCommunityMember: return viewer.isCommunityMember
            case .viewerMayReadCollection: return viewer.mayReadCollection
            case .viewerOrganizationAuthorizedForCUI: return viewer.organizationAuthorizedForCUI
            case .viewerIsNamedRecipientOrPublishingPerson:
                return viewer.personID == publication.personID || publication.namedRecipients.contains(viewer.personID)
            }
        }
    }

    /// One serving condition: for objects in `scope`, the viewer must meet `requirement`, or is refused with `refusal`.
    public struct ServingCondition: Sendable, Hashable {
        public let scope: ServingScope
        public let requirement: ServingRequirement
        public let refusal: SharingRule
    }

    /// The serving rule as data, the one truth `mayServe` evaluates: an object is served to a viewer when every
    /// condition whose scope covers the object is met; the first one not met names the refusal.
    ///
    /// For the object store's SQL, each condition is `NOT scope(object) OR requirement(viewer)`, all of them joined
    /// with AND; with the columns `tlp` and `cui` and the viewer's facts bound as parameters:
    ///
    ///     member AND can_read
    ///     AND (NOT o.cui OR :org_authorized_for_cui)
    ///     AND (o.tlp <> 'red' OR o.published_by_person = :person OR :person IN (o's named recipients))
    ///
    /// Switch over `ServingScope` and `ServingRequirement` exhaustively when building it, so a new case cannot be
    /// left out of the query.
    public static let servingConditions: [ServingCondition] = [
        ServingCondition(scope: .everyObject, requirement: .viewerIsCommunityMember, refusal: .notCommunityMember),
        ServingCondition(scope: .everyObject, requirement: .viewerMayReadCollection, refusal: .cannotReadCollection),
        ServingCondition(scope: .cuiMarked, requirement: .viewerOrganizationAuthorizedForCUI, refusal: .cuiOrganizationNotAuthorized),
        ServingCondition(scope: .tlp(.red), requirement: .viewerIsNamedRecipientOrPublishingPerson, refusal: .redNotNamedRecipient),
    ]

    /// May `viewer` be served an object with `markings`, published as `publication`?
    ///
    /// Every object needs a member of the community who may read the collection (TLP:CLEAR included: serving happens
    /// through the community's collection); CUI needs an organization authorized for CUI; TLP:RED needs a named
    /// recipient or the person who published it. GREEN, AMBER and AMBER+STRICT go to every reader of the collection:
    /// each reader's organization is a recipient, and what it may do next is the re-publishing rule's business.
    public static func mayServe(markings: STIXMarkings, publication: SharingPublication, to viewer: SharingViewer) -> SharingDecision {
        for condition in servingConditions where condition.scope.applies(to: markings) {
            if !condition.requirement.isMet(by: viewer, for: publication) { return .refused(condition.refusal) }
        }
        guard markings.tlp == .red else { return .allowed(.collectionReader(markings.tlp)) }
        return .allowed(viewer.personID == publication.personID ? .publishingPerson : .namedRecipient)
    }

    // MARK: publishing

    /// May `publisher` publish an object with `markings` into `target`?
    ///
    /// - Parameters:
    ///   - markings: the object's markings as it would be published (read with the target community's default TLP).
    ///   - receipt: how the publisher received the object, when it is passing on what another organization
    ///     published; nil when it publishes what it wrote itself.
    ///
    /// Original publishing: any TLP into a collection the publisher may write to, except that a public collection
    /// takes only TLP:CLEAR and no CUI; TLP:RED needs at least one named recipient, all members of the community; CUI
    /// needs every reader organization of the target authorized for CUI.
    ///
    /// Re-publishing adds, from the level received: AMBER+STRICT and RED never; AMBER only to readers that are the
    /// publisher's own organization or its clients (its suppliers in the tree); GREEN to any community, never public;
    /// CLEAR anywhere. A less restrictive TLP than received, or a CUI marking (category, dissemination control) left
    /// out, is a marking downgrade and refused.
    public static func mayPublish(markings: STIXMarkings, into target: SharingTarget, by publisher: SharingPublisher,
                                  receivedFrom receipt: SharingReceipt?) -> SharingDecision {
        guard publisher.mayWriteCollection else { return .refused(.cannotWriteCollection) }
        if let receipt, let refusal = republishingRefusal(markings, receipt.markings, target) { return .refused(refusal) }
        if target.isPublic {
            if markings.tlp != .clear { return .refused(.publicRequiresClear(markings.tlp)) }
            if markings.isCUI { return .refused(.cuiNeverPublic) }
        }
        if receipt?.markings.tlp == .amber {
            let outside = target.readers.filter { $0.organizationID != publisher.organizationID && !$0.isClientOfPublisher }
            if !outside.isEmpty { return .refused(.amberBeyondOrganizationAndClients(outside.map(\.organizationID))) }
        }
        if markings.tlp == .red {
            if target.namedRecipients.isEmpty { return .refused(.redWithoutNamedRecipients) }
            let outside = target.namedRecipients.filter { !$0.isCommunityMember }
            if !outside.isEmpty { return .refused(.redRecipientsOutsideCommunity(outside.map(\.personID))) }
        }
        if markings.isCUI {
            let unauthorized = target.readers.filter { !$0.authorizedForCUI }
            if !unauthorized.isEmpty { return .refused(.cuiAudienceNotAuthorized(unauthorized.map(\.organizationID))) }
        }
        guard let receipt else { return .allowed(.originalPublication(markings.tlp)) }
        switch receipt.markings.tlp {
        case .clear: return .allowed(.republishClear)
        case .green: return .allowed(.republishGreenWithinCommunity)
        default: return .allowed(.republishAmberToOrganizationAndClients)   // AMBER; AMBER+STRICT and RED refused above
        }
    }

    /// The rules that depend on what was received: the levels never passed on, marking downgrades, GREEN kept from
    /// the public. Nil when none refuses.
    static func republishingRefusal(_ markings: STIXMarkings, _ received: STIXMarkings, _ target: SharingTarget) -> SharingRule? {
        switch received.tlp {
        case .amberStrict: return .amberStrictNeverRepublished
        case .red: return .redNeverRepublished
        case .clear, .green, .amber: break
        }
        if markings.tlp < received.tlp { return .markingDowngrade(received: received.tlp, attempted: markings.tlp) }
        if let cui = received.cui {
            guard let kept = markings.cui else { return .cuiMarkingDropped(cui) }
            let categories = cui.categories.filter { !kept.categories.contains($0) }
            let disseminations = cui.disseminations.filter { !kept.disseminations.contains($0) }
            if !categories.isEmpty || !disseminations.isEmpty {
                return .cuiDesignationNarrowed(missingCategories: categories, missingDisseminations: disseminations)
            }
        }
        if received.tlp == .green, target.isPublic { return .greenNeverPublic }
        return nil
    }
}
