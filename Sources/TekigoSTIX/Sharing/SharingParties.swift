import Foundation

// Who takes part in sharing one object, as the sharing policy needs them: plain values the caller fills in from the
// store (membership, collection rights, CUI authorizations, the supply-chain tree). Organizations and people are
// Tekigo's own ids.

/// One object as it was published into a community: who published it and, for TLP:RED, to whom.
public struct SharingPublication: Sendable, Hashable {
    /// The publishing organization.
    public var organizationID: String
    /// The person who published it; for TLP:RED they always keep access to what they published.
    public var personID: String
    public var communityID: String
    /// The people named as recipients; only TLP:RED objects use them.
    public var namedRecipients: Set<String>

    public init(organizationID: String, personID: String, communityID: String, namedRecipients: Set<String> = []) {
        self.organizationID = organizationID
        self.personID = personID
        self.communityID = communityID
        self.namedRecipients = namedRecipients
    }
}

/// The person asking to read an object, with what the store knows about them for the publication's community.
public struct SharingViewer: Sendable, Hashable {
    public var organizationID: String
    public var personID: String
    /// The viewer's organization is a member of the community the object was published into.
    public var isCommunityMember: Bool
    /// The viewer may read the collection the object is in (TAXII `can_read`).
    public var mayReadCollection: Bool
    /// The viewer's organization is authorized to receive CUI in that community.
    public var organizationAuthorizedForCUI: Bool

    public init(organizationID: String, personID: String, isCommunityMember: Bool, mayReadCollection: Bool,
                organizationAuthorizedForCUI: Bool) {
        self.organizationID = organizationID
        self.personID = personID
        self.isCommunityMember = isCommunityMember
        self.mayReadCollection = mayReadCollection
        self.organizationAuthorizedForCUI = organizationAuthorizedForCUI
    }
}

/// The person publishing, and whether they may write to the target collection (TAXII `can_write`).
public struct SharingPublisher: Sendable, Hashable {
    public var organizationID: String
    public var personID: String
    public var mayWriteCollection: Bool

    public init(organizationID: String, personID: String, mayWriteCollection: Bool) {
        self.organizationID = organizationID
        self.personID = personID
        self.mayWriteCollection = mayWriteCollection
    }
}

/// Where an object is to be published: a community's collection, with everyone who would be able to read it.
public struct SharingTarget: Sendable, Hashable {
    /// One organization that would be able to read the collection.
    public struct Reader: Sendable, Hashable {
        public var organizationID: String
        /// Authorized to receive CUI in the target community.
        public var authorizedForCUI: Bool
        /// A client of the publisher's organization: one of its suppliers in the supply-chain tree (TLP:AMBER's
        /// "clients"), as the caller finds it in the tree.
        public var isClientOfPublisher: Bool

        public init(organizationID: String, authorizedForCUI: Bool, isClientOfPublisher: Bool = false) {
            self.organizationID = organizationID
            self.authorizedForCUI = authorizedForCUI
            self.isClientOfPublisher = isClientOfPublisher
        }
    }

    /// A person named as a recipient of a TLP:RED object.
    public struct Recipient: Sendable, Hashable {
        public var personID: String
        /// The person's organization is a member of the target community.
        public var isCommunityMember: Bool

        public init(personID: String, isCommunityMember: Bool) {
            self.personID = personID
            self.isCommunityMember = isCommunityMember
        }
    }

    public var communityID: String
    /// A collection anyone may read, without membership: only TLP:CLEAR may go there.
    public var isPublic: Bool
    /// Every organization that would be able to read what is published (the publisher's own included when it reads).
    public var readers: [Reader]
    /// The named recipients, for TLP:RED.
    public var namedRecipients: [Recipient]

    public init(communityID: String, isPublic: Bool = false, readers: [Reader], namedRecipients: [Recipient] = []) {
        self.communityID = communityID
        self.isPublic = isPublic
        self.readers = readers
        self.namedRecipients = namedRecipients
    }
}

/// How the publisher came to hold what it publishes, when it received it from a community rather than wrote it.
public struct SharingReceipt: Sendable, Hashable {
    /// The object's markings where it was received (read with that community's default TLP).
    public var markings: STIXMarkings
    public var communityID: String
    /// The organization that published it there.
    public var fromOrganizationID: String

    public init(markings: STIXMarkings, communityID: String, fromOrganizationID: String) {
        self.markings = markings
        self.communityID = communityID
        self.fromOrganizationID = fromOrganizationID
    }
}
