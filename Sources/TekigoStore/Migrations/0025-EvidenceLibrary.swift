/// Migration 25 (issue 17 item 5): the organization's evidence library. An item is a file of the evidence vault (by
/// SHA-256), a web link or a file-share path (kept as text, never fetched), with a title, an owner (a member's user id
/// or a name as typed), the document's date, an optional expiry day and a note; versioned like the other rows. An
/// attachment ties an item to one objective of one assessment; it goes with the assessment (ON DELETE CASCADE), while
/// an item with attachments is never deleted (the use case refuses, naming where it is used).
extension Migrations {
    static let evidenceLibrary = Migration(version: 25, name: "evidence library: items and their attachments to objectives", statements: [
        // kind: EvidenceLocation.Kind (file, link, share); location: the SHA-256, link or path. document_date and
        // expires_on: YYYY-MM-DD (expires_on NULL: does not expire).
        """
        CREATE TABLE evidence_items (
            id TEXT PRIMARY KEY, organization_id TEXT NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
            kind TEXT NOT NULL, location TEXT NOT NULL, title TEXT NOT NULL, owner_user_id TEXT, owner_name TEXT NOT NULL,
            document_date TEXT NOT NULL, expires_on TEXT, note TEXT NOT NULL,
            created_by TEXT NOT NULL, created_at TEXT NOT NULL, updated_at TEXT NOT NULL, version BIGINT NOT NULL)
        """,
        "CREATE INDEX evidence_items_organization ON evidence_items (organization_id, title)",
        """
        CREATE TABLE evidence_attachments (
            item_id TEXT NOT NULL REFERENCES evidence_items(id) ON DELETE CASCADE,
            organization_id TEXT NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
            assessment_id TEXT NOT NULL REFERENCES assessments(id) ON DELETE CASCADE,
            objective TEXT NOT NULL, attached_by TEXT NOT NULL, attached_at TEXT NOT NULL,
            PRIMARY KEY (item_id, assessment_id, objective))
        """,
        "CREATE INDEX evidence_attachments_assessment ON evidence_attachments (organization_id, assessment_id, objective)",
    ])
}
