/// Migration 21: the cloud services an organization uses (issue 15 item 3): each service by its `CloudServiceRef`
/// with the information it holds and the regimes chosen for it, the organization's systems that use it, every
/// evaluation recorded (append-only: the decision, its method, the rule-set version an equivalency decision used, the
/// checklist with its evidence references, who and when) and the provider's DFARS 252.204-7012 (c)–(g) commitments.
extension Migrations {
    static let cloudServices = Migration(version: 21, name: "cloud: services an organization uses, evaluations, (c)-(g) commitments",
                                         statements: [
        // ref: CloudServiceRef text (fedramp:/ismap:/other:), unique per organization. information: CloudInformation raw
        // value. regimes: JSON array of CloudRegime raw values chosen (empty: those following from the information).
        """
        CREATE TABLE cloud_services (
            id TEXT PRIMARY KEY, organization_id TEXT NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
            ref TEXT NOT NULL, name TEXT NOT NULL, information TEXT NOT NULL, regimes TEXT NOT NULL, note TEXT NOT NULL,
            created_by TEXT NOT NULL, created_at TEXT NOT NULL, updated_at TEXT NOT NULL, version BIGINT NOT NULL,
            UNIQUE (organization_id, ref))
        """,
        // The organization's existing systems that use a service.
        """
        CREATE TABLE cloud_service_systems (
            service_id TEXT NOT NULL REFERENCES cloud_services(id) ON DELETE CASCADE,
            organization_id TEXT NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
            system_id TEXT NOT NULL REFERENCES systems(id) ON DELETE CASCADE, PRIMARY KEY (service_id, system_id))
        """,
        "CREATE INDEX cloud_service_systems_system ON cloud_service_systems (organization_id, system_id)",
        // Append-only. regime: CloudRegime; method: CloudEvaluationMethod; decision: meets / does-not-meet.
        // rule_set_version: EquivalencyRuleSet.id for an equivalency (kept after newer versions ship). checklist: JSON
        // EquivalencyChecklist or NULL. registry_status / registry_impact_level: what the Marketplace said on the day.
        // evaluated_on: YYYY-MM-DD.
        """
        CREATE TABLE cloud_service_evaluations (
            id TEXT PRIMARY KEY, service_id TEXT NOT NULL REFERENCES cloud_services(id) ON DELETE CASCADE,
            organization_id TEXT NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
            regime TEXT NOT NULL, method TEXT NOT NULL, decision TEXT NOT NULL, rule_set_version TEXT, checklist TEXT,
            registry_status TEXT, registry_impact_level TEXT, rationale TEXT NOT NULL, evidence TEXT NOT NULL,
            evaluated_by TEXT NOT NULL, evaluated_on TEXT NOT NULL, recorded_by TEXT NOT NULL, recorded_at TEXT NOT NULL)
        """,
        "CREATE INDEX cloud_service_evaluations_service ON cloud_service_evaluations (organization_id, service_id, recorded_at)",
        // One row per service: commitments, a JSON array of CloudCommitment ((c)–(g) each with its contract evidence).
        """
        CREATE TABLE cloud_service_commitments (
            service_id TEXT PRIMARY KEY REFERENCES cloud_services(id) ON DELETE CASCADE,
            organization_id TEXT NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
            commitments TEXT NOT NULL, updated_by TEXT NOT NULL, updated_at TEXT NOT NULL, version BIGINT NOT NULL)
        """,
    ])
}
