/// Migration 20: the platform-wide cloud provider registry (issue 15 items 1 and 2): the FedRAMP Marketplace products
/// of the newest import and the links between them, what each re-import changed per product (dated), every import with
/// who ran it, when, and the file's digest, and the ISMAP / ISMAP-LIU registrations entered by hand.
extension Migrations {
    static let cloudRegistry = Migration(version: 20, name: "cloud: provider registry (FedRAMP Marketplace, ISMAP)", statements: [
        // One row per import that succeeded. file_sha256: of the bytes imported. file_date: the file's meta.last_change
        // date (YYYY-MM-DD) or NULL. imported_by: the audit actor (a person's user id, or `cli`).
        """
        CREATE TABLE cloud_registry_imports (
            id TEXT PRIMARY KEY, imported_at TEXT NOT NULL, imported_by TEXT NOT NULL, file_name TEXT NOT NULL,
            file_sha256 TEXT NOT NULL, file_date TEXT, product_count BIGINT NOT NULL, link_count BIGINT NOT NULL,
            warning_count BIGINT NOT NULL, change_count BIGINT NOT NULL)
        """,
        "CREATE INDEX cloud_registry_imports_at ON cloud_registry_imports (imported_at)",
        // The products of the newest import, replaced whole by each import. service_models: a JSON array of text.
        // search_text: package id, CSP and offering folded (NFKC, lower case) for search.
        """
        CREATE TABLE cloud_products (
            package_id TEXT PRIMARY KEY, csp TEXT NOT NULL, cso TEXT NOT NULL, status TEXT NOT NULL, impact_level TEXT NOT NULL,
            auth_type TEXT, auth_date TEXT, annual_assessment TEXT, independent_assessor TEXT, service_models TEXT NOT NULL,
            deployment_model TEXT, agency_authorizations BIGINT NOT NULL, reuse_count BIGINT NOT NULL, description TEXT,
            website TEXT, search_text TEXT NOT NULL, import_id TEXT NOT NULL REFERENCES cloud_registry_imports(id))
        """,
        // provider_id's leveraged_systems names consumer_id: consumer_id is built on provider_id.
        """
        CREATE TABLE cloud_product_links (
            provider_id TEXT NOT NULL REFERENCES cloud_products(package_id) ON DELETE CASCADE,
            consumer_id TEXT NOT NULL REFERENCES cloud_products(package_id) ON DELETE CASCADE,
            PRIMARY KEY (provider_id, consumer_id))
        """,
        "CREATE INDEX cloud_product_links_consumer ON cloud_product_links (consumer_id)",
        // What a re-import changed: field status / impact-level / assessor / annual-assessment / listed; old and new as
        // the files wrote them (NULL for absent). changed_on: the newer file's date, or the import's day.
        """
        CREATE TABLE cloud_product_changes (
            id TEXT PRIMARY KEY, import_id TEXT NOT NULL REFERENCES cloud_registry_imports(id), package_id TEXT NOT NULL,
            field TEXT NOT NULL, old_value TEXT, new_value TEXT, changed_on TEXT NOT NULL, recorded_at TEXT NOT NULL)
        """,
        "CREATE INDEX cloud_product_changes_product ON cloud_product_changes (package_id, changed_on)",
        "CREATE INDEX cloud_product_changes_import ON cloud_product_changes (import_id)",
        // ISMAP / ISMAP-LIU registrations entered by hand. kind: ISMAP / ISMAP-LIU. Dates YYYY-MM-DD; valid_through:
        // the last valid day (one year four months from the day after audit_end). search_text as for products.
        """
        CREATE TABLE ismap_records (
            registration_number TEXT PRIMARY KEY, kind TEXT NOT NULL, service_name TEXT NOT NULL, provider TEXT NOT NULL,
            scope TEXT NOT NULL, control_objectives TEXT NOT NULL, audit_start TEXT NOT NULL, audit_end TEXT NOT NULL,
            subsequent_events TEXT NOT NULL, valid_through TEXT NOT NULL, search_text TEXT NOT NULL,
            created_at TEXT NOT NULL, created_by TEXT NOT NULL, updated_at TEXT NOT NULL, updated_by TEXT NOT NULL)
        """,
        "CREATE INDEX ismap_records_valid ON ismap_records (valid_through)",
    ])
}
