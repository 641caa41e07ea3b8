import Crypto
import Foundation
import SQLKit
import TekigoAttestation
import TekigoCore

/// A public signing key as it is published: anyone checking an attestation of the organization may read it.
public struct PublishedKey: Sendable, Hashable, Codable {
    /// `SignedAttestation.keyID(forPublicKey:)`: 16 lowercase hexadecimal digits.
    public let keyID: String
    public let organizationID: String
    /// Always `Ed25519`.
    public let algorithm: String
    /// The raw 32-byte Ed25519 public key, base64 (what `AttestationVerifier.verify(trustedKeys:)` takes).
    public let publicKey: String
    /// ISO 8601 UTC.
    public let createdAt: String
    /// When `rotate()` replaced it (ISO 8601 UTC); nil for the active key. A retired key signs nothing new but stays
    /// published, so the attestations it signed still verify.
    public let retiredAt: String?

    public var isActive: Bool { retiredAt == nil }
}

public enum SigningKeyError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The sealed private key did not open: the evidence key changed, or the row was altered or copied.
    case sealedKeyUnreadable(keyID: String)
    /// A stored public key is not a 32-byte Ed25519 key.
    case corruptPublicKey(keyID: String)

    public var description: String {
        switch self {
        case .sealedKeyUnreadable(let id):
            return "the private signing key \(id) cannot be unsealed: the evidence key (evidence.key or TEKIGO_EVIDENCE_KEY) "
                + "is not the one it was sealed with, or the stored key was altered. Restore the evidence key, or rotate "
                + "the signing key (the old public key stays published, so attestations already issued still verify)."
        case .corruptPublicKey(let id):
            return "the stored public key \(id) is not a 32-byte Ed25519 key; the database row is damaged. Rotate the "
                + "signing key and reissue attestations signed with it."
        }
    }
}

/// One organization's Ed25519 signing keys. At most one is active (`retired_at` NULL); `rotate()` retires it and makes
/// a new one. Retired keys stay stored and published (`publicKeys(of:)`). The private key is sealed with the server's
/// evidence key (AES-256-GCM, bound to the organization and key id) and opened only to sign, inside the transaction
/// that stores the attestation; it is never returned.
public struct OrganizationKeys: Sendable {
    public let organizationID: String
    let db: TekigoDatabase
    let evidenceKey: EvidenceKey
    let audit: AuditLog

    static let algorithm = SignedAttestation.algorithm

    public init(_ db: TekigoDatabase, organizationID: String, evidenceKey: EvidenceKey) {
        self.db = db
        self.organizationID = organizationID
        self.evidenceKey = evidenceKey
        self.audit = AuditLog(db)
    }

    struct Row: Codable, Sendable {
        var keyId: String
        var organizationId: String
        var algorithm: String
        var publicKey: String
        var sealedPrivateKey: Data
        var createdAt: String
        var retiredAt: String?

        var published: PublishedKey {
            PublishedKey(keyID: keyId, organizationID: organizationId, algorithm: algorithm, publicKey: publicKey,
                         createdAt: createdAt, retiredAt: retiredAt)
        }
    }

    // MARK: reading

    /// Every key of `organization`, active and retired, oldest first: what verifiers trust for its attestations.
    public func publicKeys(of organization: String) async throws -> [PublishedKey] {
        guard storableID(organization) else { return [] }
        return try await Self.publicKeys(of: organization, on: db.sql)
    }

    static func publicKeys(of organization: String, on s: any SQLDatabase) async throws -> [PublishedKey] {
        try await s.select().columns("key_id", "organization_id", "algorithm", "public_key", "created_at", "retired_at")
            .from("organization_keys").where("organization_id", .equal, organization)
            .orderBy("created_at").orderBy("key_id").all()
            .map { r in
                PublishedKey(keyID: try r.decode(column: "key_id", as: String.self),
                             organizationID: try r.decode(column: "organization_id", as: String.self),
                             algorithm: try r.decode(column: "algorithm", as: String.self),
                             publicKey: try r.decode(column: "public_key", as: String.self),
                             createdAt: try r.decode(column: "created_at", as: String.self),
                             retiredAt: try r.decodeNil(column: "retired_at") ? nil : r.decode(column: "retired_at", as: String.self))
            }
    }

    /// The published key with this id, whichever organization it belongs to.
    static func publishedKey(id: String, on s: any SQLDatabase) async throws -> PublishedKey? {
        try await s.select().columns("*").from("organization_keys").where("key_id", .equal, id).first()?
            .decode(model: Row.self, with: SnakeCaseColumns.decoder).published
    }

    /// The active key, made now (and audited as `key.generated`) if the organization has none yet, in the caller's
    /// transaction.
    public func activeKey(by actor: Actor, on s: any SQLDatabase) async throws -> PublishedKey {
        let (row, isNew) = try await activeRow(on: s)
        if isNew { try await auditGenerated(row, by: actor, on: s) }
        return row.published
    }

    // MARK: changing

    /// Retires the active key (it stays published) and makes a new active one, audited, in the caller's transaction
    /// (the use-case layer's `AttestationUseCases.rotateKey` opens it).
    @discardableResult
    public func rotate(by actor: Actor, on s: any SQLDatabase) async throws -> PublishedKey {
        try await SupplyChainLocks.organization(organizationID, on: s)
        let old = try await active(on: s)
        let now = Timestamp.now()
        if let old {
            try await s.update("organization_keys").set("retired_at", to: SQLBind(now))
                .where("key_id", .equal, old.keyId).run()
        }
        let new = try generate(at: now)
        try await s.insert(into: "organization_keys").model(new, with: SnakeCaseColumns.encoder).run()
        let retired = old.map { o in
            PublishedKey(keyID: o.keyId, organizationID: o.organizationId, algorithm: o.algorithm, publicKey: o.publicKey,
                         createdAt: o.createdAt, retiredAt: now)
        }
        _ = try await audit.append(supplyChainEvent(actor, organizationID, .signingKeyRotated, "key/\(new.keyId)",
                                                    before: retired, after: new.published), on: s)
        return new.published
    }

    // MARK: internals

    func active(on s: any SQLDatabase) async throws -> Row? {
        try await s.select().columns("*").from("organization_keys").where("organization_id", .equal, organizationID)
            .where(SQLColumn("retired_at"), .is, SQLLiteral.null).first()?
            .decode(model: Row.self, with: SnakeCaseColumns.decoder)
    }

    /// The active key row, generated if there is none (`isNew`; the caller audits it with `auditGenerated` at the
    /// end of its transaction, after any roll-up refresh, so locks are taken in one order). Takes the organization's
    /// lock first, so two first uses at once make one key. Call inside a transaction.
    func activeRow(on s: any SQLDatabase) async throws -> (Row, isNew: Bool) {
        try await SupplyChainLocks.organization(organizationID, on: s)
        if let row = try await active(on: s) { return (row, false) }
        let row = try generate(at: Timestamp.now())
        try await s.insert(into: "organization_keys").model(row, with: SnakeCaseColumns.encoder).run()
        return (row, true)
    }

    func auditGenerated(_ row: Row, by actor: Actor, on s: any SQLDatabase) async throws {
        _ = try await audit.append(supplyChainEvent(actor, organizationID, .signingKeyGenerated, "key/\(row.keyId)",
                                                    before: nil, after: row.published), on: s)
    }

    /// The active key (`isNew` when it was made just now) and its private half, opened for one signature. Call
    /// inside the transaction that stores what is signed.
    func signingKey(on s: any SQLDatabase) async throws -> (Row, Curve25519.Signing.PrivateKey, isNew: Bool) {
        let (row, isNew) = try await activeRow(on: s)
        let raw = try open(row.sealedPrivateKey, keyID: row.keyId)
        let key: Curve25519.Signing.PrivateKey
        do { key = try Curve25519.Signing.PrivateKey(rawRepresentation: raw) } catch {
            throw SigningKeyError.sealedKeyUnreadable(keyID: row.keyId)
        }
        // The sealed private key must belong to the published public key.
        guard key.publicKey.rawRepresentation.base64EncodedString() == row.publicKey else {
            throw SigningKeyError.sealedKeyUnreadable(keyID: row.keyId)
        }
        return (row, key, isNew)
    }

    func generate(at now: String) throws -> Row {
        let key = Curve25519.Signing.PrivateKey()
        let pub = key.publicKey.rawRepresentation
        let id = SignedAttestation.keyID(forPublicKey: pub)
        return Row(keyId: id, organizationId: organizationID, algorithm: Self.algorithm, publicKey: pub.base64EncodedString(),
                   sealedPrivateKey: try seal(key.rawRepresentation, keyID: id), createdAt: now, retiredAt: nil)
    }

    /// Binds a sealed key to its organization and key id.
    static func associatedData(organizationID: String, keyID: String) -> Data {
        EvidenceKey.binding("tekigo.signing-key.v1", [organizationID, keyID], lengthPrefixLast: true)
    }

    func seal(_ raw: Data, keyID: String) throws -> Data {
        guard let sealed = try evidenceKey.seal(raw, binding: Self.associatedData(organizationID: organizationID, keyID: keyID))
        else { throw SigningKeyError.sealedKeyUnreadable(keyID: keyID) }
        return sealed
    }

    func open(_ sealed: Data, keyID: String) throws(SigningKeyError) -> Data {
        guard let raw = evidenceKey.unseal(sealed, binding: Self.associatedData(organizationID: organizationID, keyID: keyID)) else {
            throw .sealedKeyUnreadable(keyID: keyID)
        }
        return raw
    }
}

/// Row locks that serialize one organization's supply-chain writes (issuing, keys, consent).
///
/// A no-op `UPDATE` of the organization's row: PostgreSQL holds its row lock until the transaction ends, and, as the
/// key columns do not change, it is a FOR NO KEY UPDATE lock, which does not block other transactions that only
/// reference the organization by foreign key (a roll-up rebuild inserting its `rollup_members` rows, say): a
/// `SELECT … FOR UPDATE` would, and could deadlock with them. On SQLite, `BEGIN IMMEDIATE` already holds the write lock.
enum SupplyChainLocks {
    static func organization(_ id: String, on s: any SQLDatabase) async throws {
        guard storableID(id), try await s.raw("UPDATE organizations SET version = version WHERE id = \(bind: id) RETURNING id").first() != nil
        else { throw NotFound(what: "organization \(id)") }
    }
}

/// Whether `id` can be sent to the database at all. PostgreSQL refuses text holding NUL (an error, not "no rows"),
/// so an id with one (from a URL, say) names nothing, and the stores answer as for any unknown id.
func storableID(_ id: String) -> Bool { !id.utf8.contains(0) }

/// An audit event for a supply-chain change of `organization` (digests of the before and after values, as
/// `TenantStore` writes them).
func supplyChainEvent(_ actor: Actor, _ organization: String, _ action: AuditAction, _ object: String,
                      before: (any Encodable)?, after: (any Encodable)?) -> AuditEvent {
    AuditEvent(actor: actor.id, organizationID: organization, sourceIP: actor.sourceIP, action: action, object: object,
               beforeDigest: before.map { AuditLog.digest(Data(JSONText.encode(AnyEncodable($0)).utf8)) },
               afterDigest: after.map { AuditLog.digest(Data(JSONText.encode(AnyEncodable($0)).utf8)) })
}
