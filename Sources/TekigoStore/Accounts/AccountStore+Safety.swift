import Foundation
import SQLKit
import TekigoCore

/// Writes to an account that must be atomic because two requests can race for them: enrolling a second factor,
/// spending a recovery code, using a setup link (migration 5).
extension AccountStore {
    /// Keeps `secret` as the account's pending second factor; the active one, if any, stays in force.
    public func setPendingMFA(userID: String, secret: String) async throws {
        try await db.sql.update("users").set("totp_pending_secret", to: try sealTOTPSecret(secret, userID: userID))
            .where("id", .equal, userID).run()
    }

    /// Makes the pending secret active, with `step` as its last used time step and new recovery codes — only if the
    /// pending secret is still `pending` (a second start of enrolment in another tab wins over a stale confirmation).
    public func activatePendingMFA(userID: String, pending: String, step: Int, recoveryCodeHashes: [String],
                                   on s: any SQLDatabase) async throws -> Bool {
        // The pending secret is stored sealed (TOTPSecretSealing.swift), and sealing twice never gives the same text:
        // compare what it opens to, then move the stored text itself, only if it is still the one read.
        guard let stored = try await s.select().column("totp_pending_secret").from("users").where("id", .equal, userID)
            .first()?.decode(column: "totp_pending_secret", as: String?.self),
              try openTOTPSecret(stored, userID: userID) == pending else { return false }
        let active = Self.isSealedTOTPSecret(stored) ? stored : try sealTOTPSecret(pending, userID: userID)
        let rows = try await s.update("users").set("totp_secret", to: active).set("totp_enabled", to: 1)
            .set("totp_last_step", to: step).set("recovery_codes", to: JSONText.encode(recoveryCodeHashes))
            .set("totp_pending_secret", to: String?.none)
            .where("id", .equal, userID).where("totp_pending_secret", .equal, stored).returning("id").all()
        return !rows.isEmpty
    }

    /// Replaces the unused recovery codes `previous` (the stored JSON text as read) by `remaining`, only if nobody
    /// changed them since: two sign-ins spending the same code at once cannot both succeed.
    public func replaceRecoveryCodes(userID: String, previous: String, remaining: [String]) async throws -> Bool {
        let rows = try await db.sql.update("users").set("recovery_codes", to: JSONText.encode(remaining))
            .where("id", .equal, userID).where("recovery_codes", .equal, previous).returning("id").all()
        return !rows.isEmpty
    }

    /// A one-time setup link; `platformAdmin` says whether the account it creates administers the platform.
    public func createSetupToken(hash: String, expiresAt: String, platformAdmin: Bool) async throws {
        try await createSetupToken(hash: hash, expiresAt: expiresAt, platformAdmin: platformAdmin, createdAt: Timestamp.now(), on: db.sql)
    }

    /// The same inside the caller's transaction (`SetupLinkUseCases.issue` writes its audit entry beside it).
    public func createSetupToken(hash: String, expiresAt: String, platformAdmin: Bool, createdAt: String, on s: any SQLDatabase) async throws {
        try await s.insert(into: "setup_tokens").columns("token_hash", "expires_at", "used_at", "created_at", "platform_admin")
            .values(SQLBind(hash), SQLBind(expiresAt), SQLBind(String?.none), SQLBind(createdAt), SQLBind(platformAdmin ? 1 : 0))
            .run()
    }

    /// Uses a setup token once. Nil when it was used already, expired or never existed; otherwise what it grants.
    public func useSetupToken(hash: String, now: String, on s: any SQLDatabase) async throws -> SetupGrant? {
        guard let row = try await s.update("setup_tokens").set("used_at", to: now).where("token_hash", .equal, hash)
            .where("used_at", .is, SQLLiteral.null).where("expires_at", .greaterThan, now)
            .returning("platform_admin").first() else { return nil }
        return SetupGrant(platformAdmin: try row.decode(column: "platform_admin", as: Int.self) != 0)
    }

    /// Makes the user a platform administrator (or not), e.g. from `tekigo admin` on the server.
    public func setPlatformAdmin(userID: String, _ on: Bool, on s: (any SQLDatabase)? = nil) async throws {
        try await (s ?? db.sql).update("users").set("platform_admin", to: on ? 1 : 0).where("id", .equal, userID).run()
    }
}

/// What a used setup link grants the account it creates.
public struct SetupGrant: Sendable {
    public let platformAdmin: Bool
}
