import Foundation
import SQLKit
import TekigoAttestation
import TekigoCore

/// One stored attestation (a row of `attestations`).
public struct AttestationRecord: Codable, Sendable, Hashable {
    public var id: String
    public var organizationId: String
    /// The assessment it summarises.
    public var assessmentId: String?
    /// The key that signed it (`organization_keys.key_id`).
    public var keyId: String
    /// The canonical JSON bytes that were signed, as text.
    public var payload: String
    /// Base64 of the Ed25519 signature.
    public var signature: String
    /// The payload's `issuedAt`.
    public var issuedAt: String
    /// The payload's `expiresAt` (`YYYY-MM-DD`): the last day it is current.
    public var expiresAt: String
    /// The id of the attestation that replaced it; nil for the current one.
    public var supersededBy: String?
    public var sprsScore: Int?
    public var createdAt: String

    public var isCurrent: Bool { supersededBy == nil }

    /// The payload, decoded and validated.
    public func attestationPayload() throws -> AttestationPayload {
        do { return try AttestationPayload.decode(Data(payload.utf8)) } catch {
            throw StoreError.corruptRow(table: "attestations", key: id, reason: error.description)
        }
    }
}

/// The organization's own signed attestations (acting organization = the supplier), and reading a supplier's
/// current attestation as one of its customers, only as far as consent allows.
///
/// Issuing builds the payload with `AttestationBuilder` from the stored assessment (`TenantStore.load`), signs its
/// canonical bytes with the organization's active key (`OrganizationKeys`, made on first need), stores it, marks
/// the previous current attestation superseded, refreshes every roll-up above the organization, and writes the audit
/// entries: all in the caller's transaction (the use-case layer's `AttestationUseCases.issue` opens it).
public struct AttestationStore: Sendable {
    public let organizationID: String
    let db: TekigoDatabase
    let keys: OrganizationKeys
    let audit: AuditLog

    public init(_ db: TekigoDatabase, organizationID: String, evidenceKey: EvidenceKey) {
        self.db = db
        self.organizationID = organizationID
        self.keys = OrganizationKeys(db, organizationID: organizationID, evidenceKey: evidenceKey)
        self.audit = AuditLog(db)
    }

    static let columns = ["id", "organization_id", "assessment_id", "key_id", "payload", "signature", "issued_at",
                          "expires_at", "superseded_by", "sprs_score", "created_at"]

    static func record(_ r: any SQLRow) throws -> AttestationRecord {
        func text(_ c: String) throws -> String { try r.decode(column: c, as: String.self) }
        func optionalText(_ c: String) throws -> String? { try r.decodeNil(column: c) ? nil : text(c) }
        return AttestationRecord(
            id: try text("id"), organizationId: try text("organization_id"), assessmentId: try optionalText("assessment_id"),
            keyId: try text("key_id"), payload: try text("payload"), signature: try text("signature"),
            issuedAt: try text("issued_at"), expiresAt: try text("expires_at"), supersededBy: try optionalText("superseded_by"),
            sprsScore: try r.decodeNil(column: "sprs_score") ? nil : r.decode(column: "sprs_score", as: Int.self),
            createdAt: try text("created_at"))
    }

    // MARK: issuing

    /// The stored assessment `assessment` as an attestation states it (`TenantStore.load`: its findings, the
    /// organization's name and identifiers), with `systemScope` as the system's name when given. Read before the
    /// transaction that issues it.
    /// - Throws: `NotFound` (organization or assessment).
    public func attestable(assessment: String, systemScope: String? = nil) async throws -> Assessment {
        guard storableID(organizationID) else { throw NotFound(what: "organization \(organizationID)") }
        guard storableID(assessment) else { throw NotFound(what: "assessment \(assessment)") }
        guard let org = try await db.sql.select().columns("*").from("organizations").where("id", .equal, organizationID)
            .first()?.decode(model: OrganizationRecord.self, with: SnakeCaseColumns.decoder)
        else { throw NotFound(what: "organization \(organizationID)") }
        var a = try await TenantStore(db, organizationID: organizationID).load(assessmentID: assessment, organization: org.domainOrganization)
        if let systemScope { a.system.name = systemScope }
        return a
    }

    /// Issues a signed attestation of `assessmentForBuild` (from `attestable`), stored assessment `assessment`, in the
    /// caller's transaction.
    /// - Parameters:
    ///   - catalog: the assessment's catalog (as the caller's library holds it).
    ///   - detail: `.families` adds per-family counts.
    ///   - expiresAt: a shorter term than the 3 years DFARS 252.204-7019(b) allows.
    ///   - now: the moment of issue (the caller's clock).
    ///   - today: the day the roll-ups above are evaluated at (the organization's calendar).
    /// - Throws: `SupplyChainError` (the payload would be invalid, e.g. a malformed 法人番号 on the organization, or an
    ///   assessment dated after `now`), `SigningKeyError`.
    @discardableResult
    public func issue(_ assessmentForBuild: Assessment, assessment: String, catalog: Catalog, detail: DetailLevel = .summary,
                      expiresAt: Day? = nil, by actor: Actor, at now: Date, today: Day,
                      on s: any SQLDatabase) async throws -> AttestationRecord {
        let id = UUID().uuidString.lowercased()
        try await SupplyChainLocks.organization(organizationID, on: s)
        let previous = try await current(on: s)
        let payload = try AttestationBuilder.payload(
            id: id, issuedAt: now, organizationID: organizationID, assessment: assessmentForBuild, catalog: catalog,
            detail: detail, expiresAt: expiresAt, supersedes: previous?.id,
            cloudServices: try await CloudChainStore.attestedServices(of: organizationID, on: s))
        let (keyRow, privateKey, newKey) = try await keys.signingKey(on: s)
        let key = keyRow.published
        let signed = try SignedAttestation.sign(payload, with: privateKey)
        guard signed.keyID == key.keyID else { throw SigningKeyError.sealedKeyUnreadable(keyID: key.keyID) }
        let record = AttestationRecord(
            id: id, organizationId: organizationID, assessmentId: assessment, keyId: key.keyID,
            payload: String(decoding: signed.payloadBytes, as: UTF8.self), signature: signed.signature.base64EncodedString(),
            issuedAt: payload.issuedAt, expiresAt: payload.expiresAt.description, supersededBy: nil,
            sprsScore: payload.sprsScore, createdAt: Timestamp.now())
        try await s.insert(into: "attestations").model(record, with: SnakeCaseColumns.encoder).run()
        if let previous {
            try await s.update("attestations").set("superseded_by", to: SQLBind(id))
                .where("organization_id", .equal, organizationID).where("id", .equal, previous.id).run()
        }
        try await RollupStore(db).refresh(supplier: organizationID, at: today, consentChanged: false, on: s)
        if newKey { try await keys.auditGenerated(keyRow, by: actor, on: s) }
        if let previous {
            var after = previous
            after.supersededBy = id
            _ = try await audit.append(supplyChainEvent(actor, organizationID, .attestationSuperseded,
                                                        "attestation/\(previous.id)", before: previous, after: after), on: s)
        }
        _ = try await audit.append(supplyChainEvent(actor, organizationID, .attestationIssued, "attestation/\(id)",
                                                    before: nil, after: record), on: s)
        return record
    }

    // MARK: the organization's own

    /// The current (not superseded) attestation, if any has been issued.
    public func current() async throws -> AttestationRecord? { try await current(on: db.sql) }

    func current(on s: any SQLDatabase) async throws -> AttestationRecord? {
        try await s.select().columns(Self.columns).from("attestations").where("organization_id", .equal, organizationID)
            .where(SQLColumn("superseded_by"), .is, SQLLiteral.null).first().map(Self.record)
    }

    /// Every attestation of the organization, newest first (along the chain of supersession).
    public func history() async throws -> [AttestationRecord] {
        let all = try await db.sql.select().columns(Self.columns).from("attestations")
            .where("organization_id", .equal, organizationID).orderBy("created_at", .descending).orderBy("id").all()
            .map(Self.record)
        var byID: [String: AttestationRecord] = [:]
        for r in all { byID[r.id] = r }
        var chain: [AttestationRecord] = []
        var placed: Set<String> = []
        var next = all.first { $0.isCurrent }
        while let r = next, placed.insert(r.id).inserted {
            chain.append(r)
            next = all.first { $0.supersededBy == r.id }
        }
        return chain + all.filter { !placed.contains($0.id) }
    }

    /// One of the organization's attestations.
    public func attestation(id: String) async throws -> AttestationRecord? {
        guard storableID(id) else { return nil }
        return try await db.sql.select().columns(Self.columns).from("attestations").where("organization_id", .equal, organizationID)
            .where("id", .equal, id).first().map(Self.record)
    }

    /// The signed file (`tekigo-attestation/1`) of one of the organization's attestations, current or not.
    public func export(id: String) async throws -> Data {
        guard let r = try await attestation(id: id) else { throw NotFound(what: "attestation \(id)") }
        return try await Self.signedFile(r, on: db.sql).encoded()
    }

    static func signedFile(_ r: AttestationRecord, on s: any SQLDatabase) async throws -> SignedAttestation {
        guard let key = try await OrganizationKeys.publishedKey(id: r.keyId, on: s), key.organizationID == r.organizationId,
              let raw = Data(base64Encoded: key.publicKey), let signature = Data(base64Encoded: r.signature)
        else { throw StoreError.corruptRow(table: "attestations", key: r.id, reason: "signing key \(r.keyId) or signature unreadable") }
        return SignedAttestation(keyID: r.keyId, publicKey: raw, payload: try r.attestationPayload(),
                                 payloadBytes: Data(r.payload.utf8), signature: signature)
    }

    // MARK: another organization's

    /// `supplier`'s current attestation as `viewer` may see it: only when `viewer` is the supplier itself, or is
    /// upstream of it in `supplier_links` and `DetailVisibility` (from `consent_grants`) lets it see the supplier.
    /// Otherwise nil, exactly as when the supplier has none: the answer never tells a viewer without consent
    /// whether an attestation exists. Pass the authenticated organization as `viewer`.
    public func attestation(of supplier: String, viewer: String) async throws -> AttestationRecord? {
        guard storableID(supplier), storableID(viewer) else { return nil }
        return try await db.withConnection { s in
            guard try await Self.mayView(supplier: supplier, viewer: viewer, on: s) else { return nil }
            return try await s.select().columns(Self.columns).from("attestations").where("organization_id", .equal, supplier)
                .where(SQLColumn("superseded_by"), .is, SQLLiteral.null).first().map(Self.record)
        }
    }

    /// The signed file of `supplier`'s current attestation, under the same rule as `attestation(of:viewer:)`, so the
    /// viewer can verify it offline against `OrganizationKeys.publicKeys(of: supplier)`.
    public func export(of supplier: String, viewer: String) async throws -> Data? {
        guard let r = try await attestation(of: supplier, viewer: viewer) else { return nil }
        return try await Self.signedFile(r, on: db.sql).encoded()
    }

    static func mayView(supplier: String, viewer: String, on s: any SQLDatabase) async throws -> Bool {
        if supplier == viewer { return true }
        guard try await ChainReads.ancestors(of: supplier, on: s).contains(viewer) else { return false }
        return try await ChainReads.canSee(viewer: viewer, supplier: supplier, on: s)
    }
}

extension OrganizationRecord {
    /// The organization as the domain sees it (name and identifiers), for assessments and attestations.
    public var domainOrganization: Organization {
        Organization(name: name, cageCodes: cageCodeList, uei: uei, corporateNumber: corporateNumber)
    }
}
