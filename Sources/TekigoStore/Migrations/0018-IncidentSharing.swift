/// Migration 18: sharing from an incident (issue 14 item 5): the observables recorded on an incident (an address, a
/// domain, a URL, an e-mail address, a hash, a CVE id), and the record of each share of an incident into a community's
/// collection with what it carried, its bundle's digest and the 3.6.2 evidence offered and confirmed.
extension Migrations {
    static let incidentSharing = Migration(version: 18, name: "threat intel: incident observables and shares", statements: [
        // kind: ipv4 / ipv6 / domain / url / email / md5 / sha1 / sha256 / cve (detected from the value). value: as
        // STIXObservableKind.detect keeps it, the sharing hub's normal form (STIXSearchValues: hashes, domains and
        // e-mail addresses lower case, IP addresses canonical, CVE ids upper case). note: the team's own words, never shared.
        // added_by: the audit actor (user id).
        """
        CREATE TABLE incident_observables (
            id TEXT PRIMARY KEY, organization_id TEXT NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
            incident_id TEXT NOT NULL REFERENCES incidents(id) ON DELETE CASCADE,
            kind TEXT NOT NULL, value TEXT NOT NULL, note TEXT NOT NULL, added_by TEXT NOT NULL, added_at TEXT NOT NULL)
        """,
        "CREATE UNIQUE INDEX incident_observables_value ON incident_observables (incident_id, kind, value)",
        // One row per publish. tlp: clear / green / amber / amber+strict / red. included: JSON object of the choices
        // (narrative, contracts, report_numbers, names, cui, observables: [ids]). bundle_sha256: hex of the bundle's
        // bytes exactly as previewed and published. status_id: the TAXII status of the add. authority: the community
        // is an authority for the organization (an ISAC, or a supply-chain community a customer administers), so the
        // share is offered as 3.6.2 evidence. evidence_assessment / evidence_objectives (JSON list) / evidence_at /
        // evidence_by: what the user confirmed, NULL until then.
        """
        CREATE TABLE incident_shares (
            id TEXT PRIMARY KEY, organization_id TEXT NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
            incident_id TEXT NOT NULL REFERENCES incidents(id) ON DELETE CASCADE,
            community_id TEXT NOT NULL, collection_id TEXT NOT NULL, tlp TEXT NOT NULL, included TEXT NOT NULL,
            object_count BIGINT NOT NULL, bundle_sha256 TEXT NOT NULL, status_id TEXT NOT NULL, authority BIGINT NOT NULL,
            shared_by TEXT NOT NULL, shared_at TEXT NOT NULL,
            evidence_assessment TEXT, evidence_objectives TEXT, evidence_by TEXT, evidence_at TEXT)
        """,
        "CREATE INDEX incident_shares_incident ON incident_shares (organization_id, incident_id, shared_at)",
    ])
}
