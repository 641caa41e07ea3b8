import Foundation
import SQLKit
import TekigoCore

// Rows of the server tables (migration 2), as Codable records read and written through SQLKit with snake_case
// column names. Booleans are stored as integers (0/1) and times as ISO 8601 text so one schema serves SQLite
// and PostgreSQL.

public struct UserRecord: Codable, Sendable, Hashable {
    public var id: String
    public var email: String
    public var displayName: String
    public var passwordHash: String
    public var platformAdmin: Int
    public var totpSecret: String?
    public var totpEnabled: Int
    public var totpLastStep: Int
    /// JSON array of SHA-256 hex digests of unused recovery codes.
    public var recoveryCodes: String
    public var failedLogins: Int
    public var lockedUntil: String?
    public var createdAt: String
    public var version: Int
    /// A secret being enrolled, not yet confirmed with a code; the active one (`totpSecret`) stays in force until then.
    public var totpPendingSecret: String?

    public var isPlatformAdmin: Bool { platformAdmin != 0 }
    public var hasMFA: Bool { totpEnabled != 0 }
    public var recoveryCodeHashes: [String] { (try? JSONDecoder().decode([String].self, from: Data(recoveryCodes.utf8))) ?? [] }
}

public struct SessionRecord: Codable, Sendable, Hashable {
    public var idHash: String
    public var userId: String
    public var csrfToken: String
    public var mfaPassed: Int
    public var createdAt: String
    public var lastSeen: String
    public var expiresAt: String
    public var sourceIp: String

    public init(idHash: String, userId: String, csrfToken: String, mfaPassed: Int, createdAt: String, lastSeen: String,
                expiresAt: String, sourceIp: String) {
        self.idHash = idHash
        self.userId = userId
        self.csrfToken = csrfToken
        self.mfaPassed = mfaPassed
        self.createdAt = createdAt
        self.lastSeen = lastSeen
        self.expiresAt = expiresAt
        self.sourceIp = sourceIp
    }
}

public struct APITokenRecord: Codable, Sendable, Hashable {
    public var id: String
    public var organizationId: String
    public var userId: String
    public var name: String
    public var tokenHash: String
    /// "read" or "write".
    public var scope: String
    public var expiresAt: String
    public var revokedAt: String?
    public var createdAt: String

    public init(id: String, organizationId: String, userId: String, name: String, tokenHash: String, scope: String,
                expiresAt: String, revokedAt: String?, createdAt: String) {
        self.id = id
        self.organizationId = organizationId
        self.userId = userId
        self.name = name
        self.tokenHash = tokenHash
        self.scope = scope
        self.expiresAt = expiresAt
        self.revokedAt = revokedAt
        self.createdAt = createdAt
    }
}
