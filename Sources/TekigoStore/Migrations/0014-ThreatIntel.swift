/// Migration 14: the sharing hub's store (issue 14 items 1, 2 and 4): sharing communities (an ISAC, or one drawn from
/// a prime's supply chain) with their member organizations, TAXII collections in a community with each
/// organization's read and write access, STIX objects by (id, version) as received, the people a TLP:RED object is
/// addressed to, and the status of each TAXII POST.
extension Migrations {
    static let threatIntel = Migration(version: 14, name: "threat intel: communities, collections, access, STIX objects, recipients, TAXII status",
                                       statements: [
        // kind: isac / supply_chain.
        """
        CREATE TABLE sharing_communities (
            id TEXT PRIMARY KEY, slug TEXT NOT NULL UNIQUE, name TEXT NOT NULL, kind TEXT NOT NULL, created_at TEXT NOT NULL)
        """,
        // role: administrator / member. listed: the member chose to be shown to the other members (1), else only the
        // administrators see it. cui_authorized: the organization may receive CUI-marked objects in this community.
        """
        CREATE TABLE community_members (
            community_id TEXT NOT NULL REFERENCES sharing_communities(id) ON DELETE CASCADE,
            organization_id TEXT NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
            role TEXT NOT NULL, listed BIGINT NOT NULL, cui_authorized BIGINT NOT NULL, joined_at TEXT NOT NULL,
            PRIMARY KEY (community_id, organization_id))
        """,
        "CREATE INDEX community_members_org ON community_members (organization_id)",
        // alias: unique within the community when given. last_seq and last_date_added: the newest object's paging key
        // and date added, kept here (written under the row's lock) so they only ever grow, even after a delete.
        """
        CREATE TABLE taxii_collections (
            id TEXT PRIMARY KEY, community_id TEXT NOT NULL REFERENCES sharing_communities(id) ON DELETE CASCADE,
            title TEXT NOT NULL, description TEXT NOT NULL, alias TEXT, created_at TEXT NOT NULL,
            last_seq BIGINT NOT NULL, last_date_added TEXT)
        """,
        "CREATE INDEX taxii_collections_community ON taxii_collections (community_id, created_at)",
        "CREATE UNIQUE INDEX taxii_collections_alias ON taxii_collections (community_id, alias)",
        """
        CREATE TABLE collection_access (
            collection_id TEXT NOT NULL REFERENCES taxii_collections(id) ON DELETE CASCADE,
            organization_id TEXT NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
            can_read BIGINT NOT NULL, can_write BIGINT NOT NULL, PRIMARY KEY (collection_id, organization_id))
        """,
        "CREATE INDEX collection_access_org ON collection_access (organization_id)",
        // version: the object's modified, else created, else its date added, as RFC 3339 UTC with microseconds, so
        // text order is time order; date_added the same form, strictly increasing within a collection; seq the paging
        // key, increasing with date_added. tlp: clear / green / amber / amber+strict / red / none. json: the object
        // exactly as received.
        """
        CREATE TABLE stix_objects (
            collection_id TEXT NOT NULL REFERENCES taxii_collections(id) ON DELETE CASCADE,
            object_id TEXT NOT NULL, version TEXT NOT NULL, date_added TEXT NOT NULL, seq BIGINT NOT NULL,
            type TEXT NOT NULL, spec_version TEXT NOT NULL, tlp TEXT NOT NULL, cui BIGINT NOT NULL,
            published_by_org TEXT NOT NULL, published_by_person TEXT NOT NULL, json TEXT NOT NULL,
            PRIMARY KEY (collection_id, object_id, version))
        """,
        "CREATE UNIQUE INDEX stix_objects_seq ON stix_objects (collection_id, seq)",
        "CREATE INDEX stix_objects_added ON stix_objects (collection_id, date_added)",
        "CREATE INDEX stix_objects_type ON stix_objects (collection_id, type, seq)",
        // The people (user ids) a TLP:RED object is addressed to.
        """
        CREATE TABLE stix_object_recipients (
            collection_id TEXT NOT NULL, object_id TEXT NOT NULL, version TEXT NOT NULL, person TEXT NOT NULL,
            PRIMARY KEY (collection_id, object_id, version, person),
            FOREIGN KEY (collection_id, object_id, version) REFERENCES stix_objects (collection_id, object_id, version)
                ON DELETE CASCADE)
        """,
        // successes, failures: JSON arrays of {"id", "version", "message"}. Every POST completes in its transaction,
        // so pending_count is 0 and status 'complete'.
        """
        CREATE TABLE taxii_status (
            id TEXT PRIMARY KEY, collection_id TEXT NOT NULL REFERENCES taxii_collections(id) ON DELETE CASCADE,
            organization_id TEXT NOT NULL, created_by TEXT NOT NULL, created_at TEXT NOT NULL, status TEXT NOT NULL,
            total_count BIGINT NOT NULL, success_count BIGINT NOT NULL, failure_count BIGINT NOT NULL,
            pending_count BIGINT NOT NULL, successes TEXT NOT NULL, failures TEXT NOT NULL)
        """,
        "CREATE INDEX taxii_status_org ON taxii_status (organization_id, created_at)",
    ])
}
