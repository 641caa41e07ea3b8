/// Migration 22: providers' customer responsibility matrices (issue 15 item 4), per organization and cloud service
/// (keyed by the `CloudServiceRef` text, not by a row of `cloud_services`: a matrix may be imported before or without
/// the service being recorded), with each control's responsibility as the file says it, and the inheritances the
/// organization confirmed for an assessment's objectives.
extension Migrations {
    static let cloudResponsibility = Migration(version: 22, name: "cloud: responsibility matrices and confirmed inheritance", statements: [
        // One row per (organization, service): the newest import, replaced whole by the next. format: crm-csv /
        // oscal-ssp / oscal-component-definition. responsibility_column: the CSV header read (NULL for OSCAL).
        // evidence_reference: where the provider's evidence is, as the importer wrote it. file_sha256: of the bytes
        // imported. warnings / leveraged: JSON arrays (ResponsibilityWarning, LeveragedAuthorizationInfo).
        """
        CREATE TABLE cloud_responsibility_matrices (
            organization_id TEXT NOT NULL REFERENCES organizations(id) ON DELETE CASCADE, service_ref TEXT NOT NULL,
            service_name TEXT NOT NULL, format TEXT NOT NULL, responsibility_column TEXT, evidence_reference TEXT NOT NULL,
            file_name TEXT NOT NULL, file_sha256 TEXT NOT NULL, imported_by TEXT NOT NULL, imported_at TEXT NOT NULL,
            entry_count BIGINT NOT NULL, warnings TEXT NOT NULL, leveraged TEXT NOT NULL,
            PRIMARY KEY (organization_id, service_ref))
        """,
        // control_id: normalised SP 800-53 rev5 id (AC-2, AC-2(1)). responsibility: provider / customer / shared /
        // inherited. source: the CSV row(s) or OSCAL element(s) it was read from.
        """
        CREATE TABLE cloud_responsibility_entries (
            organization_id TEXT NOT NULL, service_ref TEXT NOT NULL, control_id TEXT NOT NULL, responsibility TEXT NOT NULL,
            text TEXT NOT NULL, source TEXT NOT NULL,
            PRIMARY KEY (organization_id, service_ref, control_id),
            FOREIGN KEY (organization_id, service_ref) REFERENCES cloud_responsibility_matrices (organization_id, service_ref) ON DELETE CASCADE)
        """,
        // An objective whose inheritance from a service the organization confirmed: inheritance inherited / shared,
        // the status the user chose, the evidence entry added to the finding (EvidenceRef.location).
        """
        CREATE TABLE cloud_inheritance_confirmations (
            organization_id TEXT NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
            assessment_id TEXT NOT NULL REFERENCES assessments(id) ON DELETE CASCADE, objective TEXT NOT NULL,
            service_ref TEXT NOT NULL, inheritance TEXT NOT NULL, status TEXT NOT NULL, evidence_location TEXT NOT NULL,
            confirmed_by TEXT NOT NULL, confirmed_at TEXT NOT NULL,
            PRIMARY KEY (assessment_id, objective, service_ref))
        """,
        "CREATE INDEX cloud_inheritance_confirmations_org ON cloud_inheritance_confirmations (organization_id, service_ref)",
    ])
}
