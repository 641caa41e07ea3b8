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

// MARK: reading the records every request reads

/// Reads a row's columns by name, one by one: the records every authenticated request reads (the session or API
/// token, its user, the organization and role) are read this way rather than through `Decodable` with the snake_case
/// key strategy, which cost several times more per row (docs/PERFORMANCE.md, like `FindingRecord.init(row:)`).
struct ColumnReader {
    let row: any SQLRow

    func text(_ column: String) throws -> String { try row.decode(column: column, as: String.self) }
    func optionalText(_ column: String) throws -> String? { try row.decodeNil(column: column) ? nil : text(column) }
    func int(_ column: String) throws -> Int { try row.decode(column: column, as: Int.self) }
}

extension UserRecord {
    /// The names of the user's columns in a row, each with the same prefix (`u_` beside another table's columns).
    struct Columns: Sendable {
        let id, email, displayName, passwordHash, platformAdmin, totpSecret, totpEnabled, totpLastStep, recoveryCodes,
            failedLogins, lockedUntil, createdAt, version, totpPendingSecret: String

        init(prefix: String) {
            id = prefix + "id"; email = prefix + "email"; displayName = prefix + "display_name"
            passwordHash = prefix + "password_hash"; platformAdmin = prefix + "platform_admin"
            totpSecret = prefix + "totp_secret"; totpEnabled = prefix + "totp_enabled"; totpLastStep = prefix + "totp_last_step"
            recoveryCodes = prefix + "recovery_codes"; failedLogins = prefix + "failed_logins"
            lockedUntil = prefix + "locked_until"; createdAt = prefix + "created_at"; version = prefix + "version"
            totpPendingSecret = prefix + "totp_pending_secret"
        }

        static let plain = Columns(prefix: "")
        static let prefixed = Columns(prefix: "u_")
    }

    /// Reads a user row column by column, as stored: TOTP secrets stay sealed (`AccountStore.opened` opens them).
    init(row: any SQLRow, columns c: Columns = .plain) throws {
        let r = ColumnReader(row: row)
        self.init(id: try r.text(c.id), email: try r.text(c.email), displayName: try r.text(c.displayName),
                  passwordHash: try r.text(c.passwordHash), platformAdmin: try r.int(c.platformAdmin),
                  totpSecret: try r.optionalText(c.totpSecret), totpEnabled: try r.int(c.totpEnabled),
                  totpLastStep: try r.int(c.totpLastStep), recoveryCodes: try r.text(c.recoveryCodes),
                  failedLogins: try r.int(c.failedLogins), lockedUntil: try r.optionalText(c.lockedUntil),
                  createdAt: try r.text(c.createdAt), version: try r.int(c.version),
                  totpPendingSecret: try r.optionalText(c.totpPendingSecret))
    }
}

extension SessionRecord {
    /// Reads a session row column by column. `idHash` and `userId` are the caller's when the query does not select
    /// them (the session lookup knows the one it asked for and reads the other from the user).
    init(row: any SQLRow, idHash: String? = nil, userId: String? = nil) throws {
        let r = ColumnReader(row: row)
        self.init(idHash: try idHash ?? r.text("id_hash"), userId: try userId ?? r.text("user_id"),
                  csrfToken: try r.text("csrf_token"), mfaPassed: try r.int("mfa_passed"), createdAt: try r.text("created_at"),
                  lastSeen: try r.text("last_seen"), expiresAt: try r.text("expires_at"), sourceIp: try r.text("source_ip"))
    }
}

extension APITokenRecord {
    /// Reads an API token row column by column. `tokenHash` and `userId` are the caller's when the query does not
    /// select them (the token lookup knows the hash it asked for and reads the user's id from the user).
    init(row: any SQLRow, tokenHash: String? = nil, userId: String? = nil) throws {
        let r = ColumnReader(row: row)
        self.init(id: try r.text("id"), organizationId: try r.text("organization_id"), userId: try userId ?? r.text("user_id"),
                  name: try r.text("name"), tokenHash: try tokenHash ?? r.text("token_hash"), scope: try r.text("scope"),
                  expiresAt: try r.text("expires_at"), revokedAt: try r.optionalText("revoked_at"),
                  createdAt: try r.text("created_at"))
    }
}
