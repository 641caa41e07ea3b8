/// Migration 17: invitations of an organization to a sharing community (issue 14 item 4): a supply-chain community is
/// drawn from a prime's suppliers with each one's consent, and an ISAC's administrators may invite an organization by
/// its id; nothing changes for the invited organization until its owner or administrator accepts.
extension Migrations {
    static let communityInvitations = Migration(version: 17, name: "threat intel: invitations to sharing communities",
                                                statements: [
        // status: pending / accepted / declined / withdrawn. invited_by_org / invited_by_person: the administrator
        // organization and the person (user id) who invited. decided_at / decided_by: when and by whom (a person of the
        // invited organization for accepted / declined, of an administrator organization for withdrawn); NULL while
        // pending. listed: the invited organization's choice to be shown to the other members, when it accepted.
        """
        CREATE TABLE community_invitations (
            id TEXT PRIMARY KEY, community_id TEXT NOT NULL REFERENCES sharing_communities(id) ON DELETE CASCADE,
            organization_id TEXT NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
            invited_by_org TEXT NOT NULL, invited_by_person TEXT NOT NULL, invited_at TEXT NOT NULL,
            status TEXT NOT NULL, decided_at TEXT, decided_by TEXT, listed BIGINT)
        """,
        // One pending invitation per (community, organization).
        "CREATE UNIQUE INDEX community_invitations_pending ON community_invitations (community_id, organization_id) WHERE status = 'pending'",
        "CREATE INDEX community_invitations_org ON community_invitations (organization_id, status)",
        "CREATE INDEX community_invitations_community ON community_invitations (community_id, invited_at)",
    ])
}
