/// Migration 3: the supply chain (issue: supply chain). Relationships between organizations, the contracts and
/// flow-down requirements on them, per-organization signing keys, signed attestations, consent, the prime's
/// materialized roll-up, and reminders with their webhook deliveries.
extension Migrations {
    static let supplyChain = Migration(version: 3, name: "supply chain: links, contracts, attestations, consent, roll-up, reminders",
                                       perEngine: { engine in
        let blob = engine == .postgres ? "BYTEA" : "BLOB"
        return [
            // Ed25519 keys, one active (retired_at NULL) per organization; retired keys stay published so older
            // attestations still verify. The private key is sealed with the server's evidence key (AES-GCM).
            """
            CREATE TABLE organization_keys (
                key_id TEXT PRIMARY KEY, organization_id TEXT NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
                algorithm TEXT NOT NULL, public_key TEXT NOT NULL, sealed_private_key \(blob) NOT NULL,
                created_at TEXT NOT NULL, retired_at TEXT)
            """,
            "CREATE INDEX organization_keys_org ON organization_keys (organization_id)",
            // Single-use, expiring: only the SHA-256 of the token is stored.
            """
            CREATE TABLE supplier_invitations (
                token_hash TEXT PRIMARY KEY, customer_id TEXT NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
                note TEXT NOT NULL, created_by TEXT NOT NULL, created_at TEXT NOT NULL, expires_at TEXT NOT NULL,
                accepted_at TEXT, accepted_by_org TEXT)
            """,
            """
            CREATE TABLE supplier_links (
                customer_id TEXT NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
                supplier_id TEXT NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
                created_at TEXT NOT NULL, PRIMARY KEY (customer_id, supplier_id))
            """,
            "CREATE INDEX supplier_links_supplier ON supplier_links (supplier_id)",
            """
            CREATE TABLE contracts (
                id TEXT PRIMARY KEY, customer_id TEXT NOT NULL, supplier_id TEXT NOT NULL, number TEXT NOT NULL,
                designation TEXT NOT NULL, clauses TEXT NOT NULL, cmmc_level BIGINT, created_at TEXT NOT NULL,
                version BIGINT NOT NULL,
                FOREIGN KEY (customer_id, supplier_id) REFERENCES supplier_links (customer_id, supplier_id) ON DELETE CASCADE)
            """,
            "CREATE INDEX contracts_link ON contracts (customer_id, supplier_id)",
            """
            CREATE TABLE flow_down_requirements (
                id TEXT PRIMARY KEY, customer_id TEXT NOT NULL, supplier_id TEXT NOT NULL,
                contract_id TEXT REFERENCES contracts(id) ON DELETE CASCADE, catalog TEXT NOT NULL, minimum TEXT NOT NULL,
                due_on TEXT NOT NULL, must_flow_down BIGINT NOT NULL, created_at TEXT NOT NULL, version BIGINT NOT NULL,
                FOREIGN KEY (customer_id, supplier_id) REFERENCES supplier_links (customer_id, supplier_id) ON DELETE CASCADE)
            """,
            "CREATE INDEX requirements_supplier ON flow_down_requirements (supplier_id)",
            "CREATE INDEX requirements_customer ON flow_down_requirements (customer_id)",
            // payload: the canonical JSON bytes that were signed (as text); signature: base64 Ed25519.
            """
            CREATE TABLE attestations (
                id TEXT PRIMARY KEY, organization_id TEXT NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
                assessment_id TEXT, key_id TEXT NOT NULL REFERENCES organization_keys(key_id), payload TEXT NOT NULL,
                signature TEXT NOT NULL, issued_at TEXT NOT NULL, expires_at TEXT NOT NULL, superseded_by TEXT,
                sprs_score BIGINT, created_at TEXT NOT NULL)
            """,
            "CREATE INDEX attestations_org ON attestations (organization_id, issued_at)",
            // A supplier lets a viewer see its identity and attestation; `onward` lets the viewer pass it up.
            // Revoking deletes the row (audited), so access ends with the transaction.
            """
            CREATE TABLE consent_grants (
                supplier_id TEXT NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
                viewer_id TEXT NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
                onward BIGINT NOT NULL, granted_at TEXT NOT NULL, granted_by TEXT NOT NULL,
                PRIMARY KEY (supplier_id, viewer_id))
            """,
            "CREATE INDEX consent_viewer ON consent_grants (viewer_id)",
            // The prime's roll-up, kept current incrementally: one row per (prime, supplier) in its tree, and the
            // per-tier counts as one JSON document per prime.
            """
            CREATE TABLE rollup_members (
                prime_id TEXT NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
                supplier_id TEXT NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
                tier BIGINT NOT NULL, status TEXT NOT NULL, overdue BIGINT NOT NULL, score BIGINT,
                failing_families TEXT NOT NULL, visible BIGINT NOT NULL, updated_at TEXT NOT NULL,
                PRIMARY KEY (prime_id, supplier_id))
            """,
            "CREATE INDEX rollup_members_status ON rollup_members (prime_id, status, tier)",
            "CREATE INDEX rollup_members_supplier ON rollup_members (supplier_id)",
            """
            CREATE TABLE rollup_totals (
                prime_id TEXT PRIMARY KEY REFERENCES organizations(id) ON DELETE CASCADE,
                aggregate TEXT NOT NULL, version BIGINT NOT NULL, updated_at TEXT NOT NULL)
            """,
            // Reminders shown in the app (one per organization and stable key) and sent to webhooks.
            """
            CREATE TABLE reminders (
                organization_id TEXT NOT NULL REFERENCES organizations(id) ON DELETE CASCADE, reminder_key TEXT NOT NULL,
                kind TEXT NOT NULL, subject TEXT NOT NULL, text_en TEXT NOT NULL, text_ja TEXT NOT NULL,
                created_at TEXT NOT NULL, dismissed_at TEXT, PRIMARY KEY (organization_id, reminder_key))
            """,
            """
            CREATE TABLE webhooks (
                id TEXT PRIMARY KEY, organization_id TEXT NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
                url TEXT NOT NULL, sealed_secret \(blob) NOT NULL, created_at TEXT NOT NULL, version BIGINT NOT NULL)
            """,
            """
            CREATE TABLE webhook_deliveries (
                id TEXT PRIMARY KEY, webhook_id TEXT NOT NULL REFERENCES webhooks(id) ON DELETE CASCADE,
                organization_id TEXT NOT NULL, reminder_key TEXT NOT NULL, status TEXT NOT NULL, attempts BIGINT NOT NULL,
                last_status BIGINT, last_error TEXT, next_attempt_at TEXT NOT NULL, delivered_at TEXT,
                created_at TEXT NOT NULL)
            """,
            "CREATE INDEX webhook_deliveries_due ON webhook_deliveries (status, next_attempt_at)",
            // One instance at a time runs the scheduler: it holds this lease and renews it.
            "CREATE TABLE scheduler_leases (name TEXT PRIMARY KEY, holder TEXT NOT NULL, expires_at TEXT NOT NULL)",
        ]
    })
}
