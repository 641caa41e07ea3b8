
/// Migration 1: NIST's official wording imported from OSCAL catalogs (`catalog_import`, `official_text`) and the user's
/// own crosswalks (`imported_mapping`), as `tekigo catalog import` and `tekigo catalog crosswalk import` store them.
extension Migrations {
    static let importedCatalogs = Migration(version: 1, name: "imported catalogs and crosswalks", statements: [
        """
        CREATE TABLE catalog_import (
            catalog_id TEXT PRIMARY KEY,
            title TEXT NOT NULL,
            version TEXT NOT NULL,
            oscal_version TEXT NOT NULL,
            source_file TEXT NOT NULL,
            source_sha256 TEXT NOT NULL,
            imported_at TEXT NOT NULL,
            entry_count INTEGER NOT NULL,
            warning_count INTEGER NOT NULL,
            families_json TEXT NOT NULL
        )
        """,
        """
        CREATE TABLE official_text (
            catalog_id TEXT NOT NULL REFERENCES catalog_import(catalog_id) ON DELETE CASCADE,
            entry_id TEXT NOT NULL,
            oscal_id TEXT NOT NULL,
            title TEXT NOT NULL,
            statement TEXT NOT NULL,
            guidance TEXT NOT NULL,
            family TEXT NOT NULL,
            parent TEXT,
            sort_order INTEGER NOT NULL,
            objectives_json TEXT NOT NULL,
            methods_json TEXT NOT NULL,
            parameters_json TEXT NOT NULL,
            PRIMARY KEY (catalog_id, entry_id)
        )
        """,
        """
        CREATE TABLE imported_mapping (
            from_catalog TEXT NOT NULL,
            from_id TEXT NOT NULL,
            to_catalog TEXT NOT NULL,
            to_id TEXT NOT NULL,
            relation TEXT NOT NULL,
            rationale TEXT,
            source_file TEXT NOT NULL,
            imported_at TEXT NOT NULL,
            PRIMARY KEY (from_catalog, from_id, to_catalog, to_id)
        )
        """,
    ])
}
