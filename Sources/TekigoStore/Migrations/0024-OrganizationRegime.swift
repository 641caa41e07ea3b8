/// Migration 24 (issue 17 item 3): the regime an organization works under — `japanese` (防衛産業サイバーセキュリティ
/// 基準), `us` (DFARS 252.204-7012 / CMMC) or `both` (`ComplianceRegime`). Organizations stored before it get `us`:
/// every page and report spoke the US regime's terms (CUI, SPRS, CMMC) until now, so they keep exactly what they had
/// until an owner chooses. And the English title of an imported catalog entry, for catalogs whose titles are Japanese
/// (a Japanese-standard item table, `StandardItemTable`); NULL for NIST's files.
extension Migrations {
    static let organizationRegime = Migration(version: 24, name: "organizations: the regime; catalog entries: an English title", statements: [
        "ALTER TABLE organizations ADD COLUMN regime TEXT NOT NULL DEFAULT 'us'",
        "ALTER TABLE official_text ADD COLUMN title_en TEXT",
    ])
}
