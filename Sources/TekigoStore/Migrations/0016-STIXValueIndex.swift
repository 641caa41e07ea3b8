/// Migration 16: the STIX store's value index (issue 14 item 6, search by value): the searchable values of each
/// stored object version — an IP address, a domain, a URL, an e-mail address, a file hash or name, a CVE id, a
/// vulnerability's name, the object a relationship or sighting points at — each normalised by TekigoSTIX's
/// `STIXSearchValues`, written by `ThreatIntelStore.add` in the object's transaction and removed with the object.
extension Migrations {
    static let stixValueIndex = Migration(version: 16, name: "threat intel: searchable values of stored STIX objects", statements: [
        // kind: ipv4 / ipv6 / domain / url / email / hash / cve / file-name / name / ref. value: normalised (at most
        // 1,000 characters).
        """
        CREATE TABLE stix_object_values (
            collection_id TEXT NOT NULL, object_id TEXT NOT NULL, version TEXT NOT NULL, kind TEXT NOT NULL, value TEXT NOT NULL,
            PRIMARY KEY (collection_id, object_id, version, kind, value),
            FOREIGN KEY (collection_id, object_id, version) REFERENCES stix_objects (collection_id, object_id, version)
                ON DELETE CASCADE)
        """,
        "CREATE INDEX stix_object_values_kind ON stix_object_values (kind, value)",
        "CREATE INDEX stix_object_values_value ON stix_object_values (value, collection_id)",
    ])
}
