import Foundation
import SQLKit
import TekigoCore

/// The cloud services across the supply chain (issue 15 item 5): which services an attestation names, which suppliers a
/// customer sees depending on which provider, and the alerts when a provider's standing drops.
///
/// Consent is the supply chain's own: a customer sees a supplier's services only through the supplier's current signed
/// attestation, and only when it may see that attestation (upstream in `supplier_links` and `DetailVisibility` over the
/// grants, as `AttestationStore.attestation(of:viewer:)` decides).
public struct CloudChainStore: Sendable {
    let db: TekigoDatabase

    public init(_ db: TekigoDatabase) { self.db = db }

    /// The reminder kind of a provider's standing drop (`CloudStandingDrop`), for the organization using it and for the
    /// customers above that see it.
    public static let reminderKind = "cloud-provider-standing"

    // MARK: - What an attestation names

    /// The services holding `organizationID`'s CUI or 保護すべき情報 that are in a public list (a FedRAMP package id or an
    /// ISMAP registration number), sorted: what the organization's next attestation names. A service under a name of
    /// the organization's own (`other:`) is left out: nobody above could look it up.
    public static func attestedServices(of organizationID: String, on s: any SQLDatabase) async throws -> [CloudServiceRef] {
        try await s.select().column("ref").from("cloud_services").where("organization_id", .equal, organizationID)
            .where("information", .in, [CloudInformation.cui.rawValue, CloudInformation.protected.rawValue]).all()
            .compactMap { try? CloudServiceRef(parsing: try $0.decode(column: "ref", as: String.self)) }
            .filter { if case .other = $0 { return false } else { return true } }
            .sorted { $0.description < $1.description }
    }

    public func attestedServices(of organizationID: String) async throws -> [CloudServiceRef] {
        try await Self.attestedServices(of: organizationID, on: db.sql)
    }

    // MARK: - Who depends on which provider, as a customer sees it

    /// Every supplier below `viewer` that the viewer may see, with the services its current attestation names. Suppliers
    /// the viewer may not see, and those whose attestation names no service, are left out.
    public func dependencies(viewer: String) async throws -> [(supplier: String, name: String, tier: Int, services: [CloudServiceRef])] {
        try await db.withConnection { s in
            let edges = try await ChainReads.subtree(of: viewer, on: s)
            // Tier: shortest distance from the viewer.
            var tier: [String: Int] = [viewer: 0]
            var frontier = [viewer]
            let below = Dictionary(grouping: edges, by: \.customer)
            while !frontier.isEmpty {
                var next: [String] = []
                for c in frontier {
                    for e in below[c] ?? [] where tier[e.supplier] == nil {
                        tier[e.supplier] = tier[c]! + 1
                        next.append(e.supplier)
                    }
                }
                frontier = next
            }
            let visibility = try await ChainReads.visibility(viewer: viewer, on: s)
            let suppliers = tier.keys.filter { $0 != viewer && visibility.canSee($0) }.sorted()
            var out: [(supplier: String, name: String, tier: Int, services: [CloudServiceRef])] = []
            for chunk in suppliers.inChunks(ChainReads.chunk) {
                for row in try await s.select().columns("organization_id", "payload").from("attestations")
                    .where("organization_id", .in, chunk).where(SQLColumn("superseded_by"), .is, SQLLiteral.null).all() {
                    let id = try row.decode(column: "organization_id", as: String.self)
                    let payload = try AttestationPayload.decode(Array(try row.decode(column: "payload", as: String.self).utf8))
                    guard let services = payload.cloudServices, !services.isEmpty else { continue }
                    out.append((id, payload.organization.name, tier[id] ?? 1, services))
                }
            }
            return out.sorted { ($0.tier, $0.name, $0.supplier) < ($1.tier, $1.name, $1.supplier) }
        }
    }

    // MARK: - Alerts when a provider's standing drops

    /// How many reminders and webhook deliveries a fan-out stored.
    public struct FanOut: Sendable, Hashable {
        public var users = 0
        public var customers = 0
        public var deliveries = 0
        public init() {}
    }

    /// The standings before an import, for the products any organization uses (read in the import's transaction before
    /// the products are replaced, so a product that leaves the Marketplace is judged on what it was).
    public static func usedStandings(on s: any SQLDatabase) async throws -> [String: CloudMarketplaceStanding] {
        var out: [String: CloudMarketplaceStanding] = [:]
        for row in try await s.raw("""
            SELECT p.package_id, p.status, p.impact_level FROM cloud_products p
            WHERE EXISTS (SELECT 1 FROM cloud_services c WHERE c.ref = 'fedramp:' || p.package_id)
            """).all() {
            out[try row.decode(column: "package_id", as: String.self)] = CloudMarketplaceStanding(
                status: try row.decode(column: "status", as: String.self), impactLevel: try row.decode(column: "impact_level", as: String.self))
        }
        return out
    }

    /// The products' standings after the import (the registry as just replaced), for `CloudChainAlertRule.drops`.
    public static func standings(packageIDs: [String], on s: any SQLDatabase) async throws -> [String: CloudMarketplaceStanding] {
        var out: [String: CloudMarketplaceStanding] = [:]
        for chunk in packageIDs.inChunks(ChainReads.chunk) {
            for row in try await s.select().columns("package_id", "status", "impact_level").from("cloud_products")
                .where("package_id", .in, chunk).all() {
                out[try row.decode(column: "package_id", as: String.self)] = CloudMarketplaceStanding(
                    status: try row.decode(column: "status", as: String.self), impactLevel: try row.decode(column: "impact_level", as: String.self))
            }
        }
        return out
    }

    /// Stores, set-based, for each dropped product: one reminder for every organization using it (subject: its service
    /// id), one for every customer above such an organization that sees it (the supplier's current attestation names the
    /// service and the customer may see that attestation; subject: the supplier), and one webhook delivery per reminder
    /// and webhook of its organization. One `INSERT … SELECT` per product and kind plus one for all the deliveries,
    /// whatever the number of organizations, in the caller's transaction `s`. Keys carry the import's id, so a later
    /// import alerts again and the same import never twice.
    public func fanOut(_ drops: [(packageID: String, drop: CloudStandingDrop, title: String)], importID: String, changedOn: String,
                       at now: Date, on s: any SQLDatabase) async throws -> FanOut {
        var result = FanOut()
        guard !drops.isEmpty else { return result }
        let stamp = Timestamp.string(now)
        let contains = db.engine == .postgres ? "strpos" : "instr"
        let kind = Self.reminderKind
        for d in drops.sorted(by: { $0.packageID < $1.packageID }) {
            let ref = CloudServiceRef.fedramp(packageID: d.packageID).description
            let prefix = "cloud-standing:\(importID):\(d.packageID):"
            let what = d.drop.label
            let enBefore = "Your cloud service ", enAfter = " (\(d.title), \(ref)) is \(what.en) as of \(changedOn). "
                + "Re-evaluate it under DFARS 252.204-7012(b)(2)(ii)(D) or move the CUI it holds."
            let jaBefore = "利用中のクラウドサービス「", jaAfter = "」（\(d.title)、\(ref)）は \(changedOn) 時点で\(what.ja)。"
                + "DFARS 252.204-7012(b)(2)(ii)(D) に照らして評価し直すか、保管している CUI を移してください。"
            let users = try await s.raw("""
                INSERT INTO reminders (organization_id, reminder_key, kind, subject, text_en, text_ja, created_at, dismissed_at)
                SELECT c.organization_id, \(bind: prefix + "self"), \(bind: kind), c.id,
                       CAST(\(bind: enBefore) AS TEXT) || c.name || CAST(\(bind: enAfter) AS TEXT),
                       CAST(\(bind: jaBefore) AS TEXT) || c.name || CAST(\(bind: jaAfter) AS TEXT), \(bind: stamp), NULL
                FROM cloud_services c WHERE c.ref = \(bind: ref)
                ON CONFLICT (organization_id, reminder_key) DO NOTHING
                RETURNING organization_id
                """).all()
            result.users += users.count

            let cEnBefore = "Your supplier ", cEnAfter = " names the cloud service \(d.title) (\(ref)) in its attestation; it is "
                + "\(what.en) as of \(changedOn). Ask the supplier how it will keep meeting DFARS 252.204-7012(b)(2)(ii)(D)."
            let cJaBefore = "サプライヤー「", cJaAfter = "」が証明書に記載しているクラウドサービス \(d.title)（\(ref)）は \(changedOn) 時点で"
                + "\(what.ja)。DFARS 252.204-7012(b)(2)(ii)(D) をどう満たし続けるかサプライヤーに確認してください。"
            let quoted = "\"\(ref)\""
            let customers = try await s.raw("""
                WITH RECURSIVE
                users(supplier, name) AS (
                    SELECT DISTINCT c.organization_id, o.name FROM cloud_services c
                    JOIN organizations o ON o.id = c.organization_id
                    JOIN attestations a ON a.organization_id = c.organization_id AND a.superseded_by IS NULL
                    WHERE c.ref = \(bind: ref) AND \(unsafeRaw: contains)(a.payload, \(bind: quoted)) > 0),
                up(supplier, customer) AS (
                    SELECT u.supplier, l.customer_id FROM users u JOIN supplier_links l ON l.supplier_id = u.supplier
                    UNION
                    SELECT up.supplier, l.customer_id FROM up JOIN supplier_links l ON l.supplier_id = up.customer),
                holders(supplier, holder) AS (
                    SELECT supplier, supplier FROM users
                    UNION
                    SELECT h.supplier, g.viewer_id FROM holders h JOIN consent_grants g ON g.supplier_id = h.holder AND g.onward <> 0)
                INSERT INTO reminders (organization_id, reminder_key, kind, subject, text_en, text_ja, created_at, dismissed_at)
                SELECT DISTINCT up.customer, CAST(\(bind: prefix) AS TEXT) || up.supplier, \(bind: kind), up.supplier,
                       CAST(\(bind: cEnBefore) AS TEXT) || u.name || CAST(\(bind: cEnAfter) AS TEXT),
                       CAST(\(bind: cJaBefore) AS TEXT) || u.name || CAST(\(bind: cJaAfter) AS TEXT), \(bind: stamp), NULL
                FROM up JOIN users u ON u.supplier = up.supplier
                WHERE up.customer <> up.supplier AND EXISTS (
                    SELECT 1 FROM holders h JOIN consent_grants g ON g.supplier_id = h.holder
                    WHERE h.supplier = up.supplier AND g.viewer_id = up.customer AND g.supplier_id <> g.viewer_id)
                ON CONFLICT (organization_id, reminder_key) DO NOTHING
                RETURNING organization_id
                """).all()
            result.customers += customers.count
        }
        let id = db.engine == .postgres
            ? "md5(random()::text || clock_timestamp()::text || w.id || r.organization_id || r.reminder_key)"
            : "lower(hex(randomblob(16)))"
        let deliveries = try await s.raw("""
            INSERT INTO webhook_deliveries (id, webhook_id, organization_id, reminder_key, status, attempts, last_status, last_error,
                                            next_attempt_at, delivered_at, created_at)
            SELECT \(unsafeRaw: id), w.id, r.organization_id, r.reminder_key, \(bind: DeliveryStatus.pending.rawValue), 0, NULL, NULL,
                   \(bind: stamp), NULL, \(bind: stamp)
            FROM reminders r JOIN webhooks w ON w.organization_id = r.organization_id
            WHERE r.kind = \(bind: kind) AND r.created_at = \(bind: stamp) AND r.reminder_key LIKE \(bind: "cloud-standing:\(importID):%")
            RETURNING id
            """).all()
        result.deliveries = deliveries.count
        return result
    }
}
