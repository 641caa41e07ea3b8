import Foundation

/// The sharing workspace's page models (issue 14 item 6; SharingPages). Who published an object is only ever "your
/// organization" or "another member"; the community's members are not on any of these pages.

/// One object in a list (the hub's newest, a feed, search results, what points at an object).
struct SharingObjectRow: Encodable, Sendable {
    let url: String
    let type: String
    let summary: String
    /// `TLP:AMBER`, or "" without a TLP marking.
    let tlp: String
    /// `amber`, `amber-strict`, … (the badge's class).
    let tlpID: String
    let cui: Bool
    let added: String
    let collection: String
    let publisher: String
    let cves: String
}

/// `sharing-hub`: the organization's communities and collections, the newest objects, the search box.
struct SharingHubPage: PageModel {
    struct Community: Encodable, Sendable {
        let name: String
        let kind: String
        let standing: String
    }

    struct Collection: Encodable, Sendable {
        let title: String
        let community: String
        let url: String?
        let access: String
    }

    let communities: [Community]
    let hasCommunities: Bool
    let collections: [Collection]
    let hasCollections: Bool
    let newest: [SharingObjectRow]
    let hasNewest: Bool
    let searchAction: String
    let communitiesURL: String
    let feedsURL: String
}

/// A link that narrows a list, the current one marked.
struct SharingFilterLink: Encodable, Sendable {
    let label: String
    let url: String
    let current: Bool
}

/// `sharing-collection`: a collection's feed, newest first, filtered by kind, with its exports.
struct SharingCollectionPage: PageModel {
    let title: String
    let community: String
    let description: String?
    let filters: [SharingFilterLink]
    let objects: [SharingObjectRow]
    let hasObjects: Bool
    let olderURL: String?
    let csvURL: String
    let stixURL: String
    let hubURL: String
    let searchAction: String
}

/// `sharing-search`: search by value across every collection the organization may read.
struct SharingSearchPage: PageModel {
    let query: String
    /// "IPv4 address 198.51.100.7": what was understood.
    let understood: String?
    let error: String?
    let objects: [SharingObjectRow]
    let hasObjects: Bool
    let searched: Bool
    let truncated: Bool
    let csvURL: String?
    let stixURL: String?
    let searchAction: String
    let hubURL: String
}

/// `sharing-object`: one object's versions oldest to newest, what points at it, and "we saw this too".
struct SharingObjectPage: PageModel {
    struct Version: Encodable, Sendable {
        let version: String
        let added: String
        let tlp: String
        let tlpID: String
        let cui: Bool
        let publisher: String
        let json: String
        let newest: Bool
    }

    let objectID: String
    let type: String
    let summary: String
    let collection: String
    let collectionURL: String
    let versions: [Version]
    let pointing: [SharingObjectRow]
    let hasPointing: Bool
    /// The sighting form is shown (the organization may write to the collection and the viewer's role may publish).
    let canSight: Bool
    /// Why the viewer may not post a sighting (shown instead of the form).
    let sightRefusal: String?
    let sightAction: String
    let tlpOptions: [SelectOption]
    let count: String
    let firstSeen: String
    let lastSeen: String
    let nameOrganization: Bool
    let organizationName: String
    let sightError: String?
}

/// `sharing-refused`: the viewer may not do this (an auditor reading shared intelligence, a collection the
/// organization may not read).
struct SharingRefusedPage: PageModel {
    let message: String
    let hubURL: String
    let homeURL: String
}
