import Foundation
import SQLKit
import TekigoCore

/// An API token as every request with it needs it: the token, its user, and the membership it acts through (nil
/// once the user has left the token's organization).
public struct TokenLookup: Sendable {
    public let token: APITokenRecord
    public let user: UserRecord
    public let membership: (OrganizationRecord, Role)?
}

/// Users, organizations, memberships, sessions, API tokens and one-time setup tokens.
///
/// Secrets never reach this store in clear: callers pass SHA-256 digests of session ids and tokens.
public struct AccountStore: Sendable {
    let db: TekigoDatabase
    /// Seals and opens TOTP secrets (TOTPSecretSealing.swift); nil for commands that never touch them.
    let secretKey: EvidenceKey?

    public init(_ db: TekigoDatabase, secretKey: EvidenceKey? = nil) {
        self.db = db
        self.secretKey = secretKey
    }

    static let snake = SnakeCaseColumns.encoder
    static let fromSnake = SnakeCaseColumns.decoder

    func one<T: Decodable>(_ q: SQLSelectBuilder, _ type: T.Type) async throws -> T? {
        try await q.first()?.decode(model: T.self, with: Self.fromSnake)
    }

    func all<T: Decodable>(_ q: SQLSelectBuilder, _ type: T.Type) async throws -> [T] {
        try await q.all().map { try $0.decode(model: T.self, with: Self.fromSnake) }
    }

    // MARK: users

    public func userCount() async throws -> Int {
        try await db.sql.select().column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n").from("users").first()?
            .decode(column: "n", as: Int.self) ?? 0
    }

    public func createUser(email: String, displayName: String, passwordHash: String, platformAdmin: Bool,
                           on s: (any SQLDatabase)? = nil) async throws -> UserRecord {
        let u = UserRecord(id: UUID().uuidString.lowercased(), email: email.lowercased(), displayName: displayName,
                           passwordHash: passwordHash, platformAdmin: platformAdmin ? 1 : 0, totpSecret: nil, totpEnabled: 0,
                           totpLastStep: 0, recoveryCodes: "[]", failedLogins: 0, lockedUntil: nil, createdAt: Timestamp.now(),
                           version: 1, totpPendingSecret: nil)
        try await (s ?? db.sql).insert(into: "users").model(u, with: Self.snake).run()
        return u
    }

    public func user(email: String) async throws -> UserRecord? {
        try await one(db.sql.select().columns("*").from("users").where("email", .equal, email.lowercased()), UserRecord.self)
            .map(opened)
    }

    public func user(id: String) async throws -> UserRecord? {
        try await one(db.sql.select().columns("*").from("users").where("id", .equal, id), UserRecord.self).map(opened)
    }

    /// Counts a failed sign-in and locks the account with exponential backoff after five in a row (SP 800-171
    /// 3.1.8): 1, 2, 4 … minutes, at most 60. Returns the new count and lock end.
    public func recordFailedLogin(userID: String, now: Date = Date()) async throws -> (failures: Int, lockedUntil: Date?) {
        try await db.transaction { s in
            let current = try await s.select().column("failed_logins").from("users").where("id", .equal, userID).first()?
                .decode(column: "failed_logins", as: Int.self) ?? 0
            let failures = current + 1
            var until: Date?
            if failures >= Lockout.threshold { until = now.addingTimeInterval(Lockout.duration(afterFailures: failures)) }
            try await s.update("users").set("failed_logins", to: failures)
                .set("locked_until", to: until.map { Timestamp.string($0) })
                .where("id", .equal, userID).run()
            return (failures, until)
        }
    }

    public func resetFailedLogins(userID: String) async throws {
        try await db.sql.update("users").set("failed_logins", to: 0).set("locked_until", to: String?.none)
            .where("id", .equal, userID).run()
    }

    public func setMFA(userID: String, secret: String?, enabled: Bool, lastStep: Int, recoveryCodeHashes: [String]) async throws {
        let stored = try secret.map { try sealTOTPSecret($0, userID: userID) }
        try await db.sql.update("users").set("totp_secret", to: stored).set("totp_enabled", to: enabled ? 1 : 0)
            .set("totp_last_step", to: lastStep).set("recovery_codes", to: JSONText.encode(recoveryCodeHashes))
            .where("id", .equal, userID).run()
    }

    /// Records the TOTP step just used, only if it is newer: a replayed code loses the race and is refused.
    public func advanceTOTPStep(userID: String, to step: Int) async throws -> Bool {
        let rows = try await db.sql.update("users").set("totp_last_step", to: step).where("id", .equal, userID)
            .where("totp_last_step", .lessThan, step).returning("id").all()
        return !rows.isEmpty
    }

    public func setRecoveryCodes(userID: String, hashes: [String]) async throws {
        try await db.sql.update("users").set("recovery_codes", to: JSONText.encode(hashes)).where("id", .equal, userID).run()
    }

    // MARK: organizations and memberships

    /// Sets the time zone of the organization's calendar (`OrganizationCalendar`) and returns the row before and
    /// after; nil when there is no such organization. The caller checks the zone and writes the audit entry in `s`.
    public func setOrganizationTimeZone(id: String, to zone: String, on s: any SQLDatabase)
        async throws -> (before: OrganizationRecord, after: OrganizationRecord)? {
        guard let before = try await s.select().columns("*").from("organizations").where("id", .equal, id).first()?
            .decode(model: OrganizationRecord.self, with: Self.fromSnake) else { return nil }
        try await s.raw("UPDATE organizations SET time_zone = \(bind: zone), version = version + 1 WHERE id = \(bind: id)").run()
        var after = before
        after.timeZone = zone
        after.version += 1
        return (before, after)
    }

    /// Sets the regime the organization works under and returns the row before and after; nil when there is no
    /// such organization. The caller writes the audit entry in `s`.
    public func setOrganizationRegime(id: String, to regime: ComplianceRegime, on s: any SQLDatabase)
        async throws -> (before: OrganizationRecord, after: OrganizationRecord)? {
        guard let before = try await s.select().columns("*").from("organizations").where("id", .equal, id).first()?
            .decode(model: OrganizationRecord.self, with: Self.fromSnake) else { return nil }
        try await s.raw("UPDATE organizations SET regime = \(bind: regime.rawValue), version = version + 1 WHERE id = \(bind: id)").run()
        var after = before
        after.regime = regime
        after.version += 1
        return (before, after)
    }

    public func createOrganization(name: String, cageCodes: [String] = [], uei: String? = nil, corporateNumber: String? = nil,
                                   owner: String, on s: (any SQLDatabase)? = nil) async throws -> OrganizationRecord {
        let o = OrganizationRecord(id: UUID().uuidString.lowercased(), name: name, cageCodes: JSONText.encode(cageCodes), uei: uei,
                                   corporateNumber: corporateNumber, createdAt: Timestamp.now(), version: 1)
        let run: @Sendable (any SQLDatabase) async throws -> Void = { s in
            try await s.insert(into: "organizations").model(o, with: Self.snake).run()
            try await s.insert(into: "memberships").model(
                MembershipRecord(userId: owner, organizationId: o.id, role: Role.owner.rawValue, createdAt: Timestamp.now()),
                with: Self.snake).run()
        }
        if let s { try await run(s) } else { try await db.transaction { try await run($0) } }
        return o
    }

    public func organization(id: String) async throws -> OrganizationRecord? {
        try await one(db.sql.select().columns("*").from("organizations").where("id", .equal, id), OrganizationRecord.self)
    }

    /// Organizations the user belongs to, with the role in each.
    public func organizations(of userID: String) async throws -> [(OrganizationRecord, Role)] {
        let rows = try await db.sql.select().columns(SQLColumn(SQLLiteral.all, table: SQLIdentifier("o")), SQLColumn("role", table: "m"))
            .from(SQLAlias(SQLIdentifier("organizations"), as: SQLIdentifier("o")))
            .join(SQLAlias(SQLIdentifier("memberships"), as: SQLIdentifier("m")), on: SQLColumn("organization_id", table: "m"), .equal, SQLColumn("id", table: "o"))
            .where(SQLColumn("user_id", table: "m"), .equal, SQLBind(userID))
            .orderBy(SQLColumn("name", table: "o")).all()
        return try rows.compactMap { r in
            let o = try r.decode(model: OrganizationRecord.self, with: Self.fromSnake)
            return Role(rawValue: try r.decode(column: "role", as: String.self)).map { (o, $0) }
        }
    }

    public func role(userID: String, organizationID: String) async throws -> Role? {
        let row: (any SQLRow)? = try await db.sql.select().column("role").from("memberships").where("user_id", .equal, userID)
            .where("organization_id", .equal, organizationID).first()
        return try row.flatMap { Role(rawValue: try $0.decode(column: "role", as: String.self)) }
    }

    public func members(organizationID: String) async throws -> [(UserRecord, Role)] {
        let ms = try await all(db.sql.select().columns("*").from("memberships").where("organization_id", .equal, organizationID),
                               MembershipRecord.self)
        var out: [(UserRecord, Role)] = []
        for m in ms { if let u = try await user(id: m.userId), let r = m.roleValue { out.append((u, r)) } }
        return out.sorted { $0.0.email < $1.0.email }
    }

    public func setMembership(userID: String, organizationID: String, role: Role, on s: (any SQLDatabase)? = nil) async throws {
        let s = s ?? db.sql
        try await s.delete(from: "memberships").where("user_id", .equal, userID).where("organization_id", .equal, organizationID).run()
        try await s.insert(into: "memberships").model(
            MembershipRecord(userId: userID, organizationId: organizationID, role: role.rawValue, createdAt: Timestamp.now()),
            with: Self.snake).run()
    }

    // MARK: one-query lookups for every authenticated request

    // The three lookups below run on every authenticated request, so they are written as SQL text (building them with
    // SQLKit's expression tree cost more CPU than running them), select only the columns they return, leaving out those
    // the caller already knows (the hash it looks up, ids equal by the join), and read the rows column by column
    // (`ColumnReader`). The users they return keep their TOTP secrets sealed: only the second factor's check opens
    // them (`openTOTPSecret`), not every request. The text is plain SQL that SQLite and PostgreSQL read alike; values
    // are still bound, never spliced. SQLite compiles each statement anew (SQLiteNIO keeps no prepared statements),
    // so shorter statements cost less (docs/PERFORMANCE.md).

    static let userColumns = ["id", "email", "display_name", "password_hash", "platform_admin", "totp_secret", "totp_enabled",
                              "totp_last_step", "recovery_codes", "failed_logins", "locked_until", "created_at", "version",
                              "totp_pending_secret"]
    /// `u.id AS u_id, u.email AS u_email, …`: the user's columns beside another table's.
    static let userAsPrefixed = userColumns.map { "u.\($0) AS u_\($0)" }.joined(separator: ", ")

    static let sessionAndUserSQL = "SELECT s.csrf_token, s.mfa_passed, s.created_at, s.last_seen, s.expires_at, s.source_ip, "
        + userAsPrefixed + " FROM sessions s JOIN users u ON s.user_id = u.id WHERE s.id_hash = "

    /// The session and its user in one query (every signed-in request needs both). The user's TOTP secrets stay sealed.
    public func sessionAndUser(idHash: String) async throws -> (SessionRecord, UserRecord)? {
        guard let row = try await db.sql.raw("\(unsafeRaw: Self.sessionAndUserSQL)\(bind: idHash)").first() else { return nil }
        let user = try UserRecord(row: row, columns: .prefixed)
        return (try SessionRecord(row: row, idHash: idHash, userId: user.id), user)
    }

    /// The organization's columns but its id (the token's `organization_id`), prefixed `o_`.
    static let organizationAsPrefixed = ["name", "cage_codes", "uei", "corporate_number", "created_at", "version", "time_zone", "regime"]
        .map { "o.\($0) AS o_\($0)" }.joined(separator: ", ")

    static let apiTokenAndUserSQL = "SELECT t.id, t.organization_id, t.name, t.scope, t.expires_at, t.revoked_at, t.created_at, "
        + userAsPrefixed + ", " + organizationAsPrefixed + ", m.role AS m_role "
        + "FROM api_tokens t JOIN users u ON t.user_id = u.id "
        + "LEFT JOIN memberships m ON m.user_id = t.user_id AND m.organization_id = t.organization_id "
        + "LEFT JOIN organizations o ON o.id = m.organization_id WHERE t.token_hash = "

    /// The API token, its user and, while the user is still a member, the token's organization and the user's role
    /// there, in one query: every machine request needs all of them. The user's TOTP secrets stay sealed.
    public func apiTokenAndUser(hash: String) async throws -> TokenLookup? {
        guard let row = try await db.sql.raw("\(unsafeRaw: Self.apiTokenAndUserSQL)\(bind: hash)").first() else { return nil }
        let user = try UserRecord(row: row, columns: .prefixed)
        let token = try APITokenRecord(row: row, tokenHash: hash, userId: user.id)
        var membership: (OrganizationRecord, Role)?
        if try !row.decodeNil(column: "m_role"), let role = Role(rawValue: try row.decode(column: "m_role", as: String.self)) {
            membership = (try OrganizationRecord(row: row, columns: .prefixed, id: token.organizationId), role)
        }
        return TokenLookup(token: token, user: user, membership: membership)
    }

    static let membershipSQL = "SELECT o.name, o.cage_codes, o.uei, o.corporate_number, o.created_at, o.version, o.time_zone, o.regime, "
        + "m.role FROM organizations o JOIN memberships m ON m.organization_id = o.id WHERE "

    /// The organization and the user's role in it, in one query; nil when the user is not a member.
    public func membership(userID: String, organizationID: String) async throws -> (OrganizationRecord, Role)? {
        guard let row = try await db.sql.raw("""
            \(unsafeRaw: Self.membershipSQL)m.user_id = \(bind: userID) AND o.id = \(bind: organizationID)
            """).first(),
              let role = Role(rawValue: try row.decode(column: "role", as: String.self)) else { return nil }
        return (try OrganizationRecord(row: row, id: organizationID), role)
    }

    // MARK: failed sign-ins per source address

    /// Counts one failed sign-in from `sourceIP` and returns the count in its window. A window opens with the first
    /// failure and lasts `window` seconds (not aligned to the clock, so a burst is never split in two by a boundary).
    /// Kept in the database, so every instance sees the same count (password spraying across many accounts is
    /// slowed even though each account's own lockout never triggers).
    public func recordFailureFrom(sourceIP: String, window: TimeInterval, now: Date = Date()) async throws -> Int {
        let bucket = "login-failures:" + sourceIP
        return try await db.transaction { s in
            let row = try await s.select().columns("window_start", "hits").from("rate_limits").where("bucket", .equal, bucket).first()
            if let row, Self.isOpen(try row.decode(column: "window_start", as: String.self), window: window, now: now) {
                let hits = try row.decode(column: "hits", as: Int.self) + 1
                try await s.update("rate_limits").set("hits", to: hits).where("bucket", .equal, bucket).run()
                return hits
            }
            try await s.delete(from: "rate_limits").where("bucket", .equal, bucket).run()
            try await s.insert(into: "rate_limits").columns("bucket", "window_start", "hits")
                .values(SQLBind(bucket), SQLBind(Timestamp.string(now)), SQLBind(1)).run()
            return 1
        }
    }

    /// Failed sign-ins from `sourceIP` in its open window (0 when none is open).
    public func failuresFrom(sourceIP: String, window: TimeInterval, now: Date = Date()) async throws -> Int {
        guard let row = try await db.sql.select().columns("window_start", "hits").from("rate_limits")
            .where("bucket", .equal, "login-failures:" + sourceIP).first(),
              Self.isOpen(try row.decode(column: "window_start", as: String.self), window: window, now: now) else { return 0 }
        return try row.decode(column: "hits", as: Int.self)
    }

    /// A window that started at `start` is still open at `now`.
    static func isOpen(_ start: String, window: TimeInterval, now: Date) -> Bool {
        guard let started = Timestamp.date(start) else { return false }
        return now.timeIntervalSince(started) < window
    }

    // MARK: sessions

    public func createSession(_ s: SessionRecord) async throws {
        try await db.sql.insert(into: "sessions").model(s, with: Self.snake).run()
    }

    public func session(idHash: String) async throws -> SessionRecord? {
        try await one(db.sql.select().columns("*").from("sessions").where("id_hash", .equal, idHash), SessionRecord.self)
    }

    public func touchSession(idHash: String, at: String) async throws {
        try await db.sql.update("sessions").set("last_seen", to: at).where("id_hash", .equal, idHash).run()
    }

    public func markSessionMFA(idHash: String) async throws {
        try await db.sql.update("sessions").set("mfa_passed", to: 1).where("id_hash", .equal, idHash).run()
    }

    public func deleteSession(idHash: String) async throws {
        try await db.sql.delete(from: "sessions").where("id_hash", .equal, idHash).run()
    }

    public func deleteSessions(userID: String) async throws {
        try await db.sql.delete(from: "sessions").where("user_id", .equal, userID).run()
    }

    // MARK: setup tokens

    // Setup tokens: `createSetupToken(hash:expiresAt:platformAdmin:)` and `useSetupToken` (AccountStore+Safety).

    // MARK: API tokens

    public func createAPIToken(_ t: APITokenRecord) async throws {
        try await db.sql.insert(into: "api_tokens").model(t, with: Self.snake).run()
    }

    public func apiToken(hash: String) async throws -> APITokenRecord? {
        try await one(db.sql.select().columns("*").from("api_tokens").where("token_hash", .equal, hash), APITokenRecord.self)
    }

    public func apiTokens(organizationID: String) async throws -> [APITokenRecord] {
        try await all(db.sql.select().columns("*").from("api_tokens").where("organization_id", .equal, organizationID)
            .orderBy("created_at"), APITokenRecord.self)
    }

    public func revokeAPIToken(id: String, organizationID: String, at: String) async throws -> Bool {
        let rows = try await db.sql.update("api_tokens").set("revoked_at", to: at).where("id", .equal, id)
            .where("organization_id", .equal, organizationID).where("revoked_at", .is, SQLLiteral.null).returning("id").all()
        return !rows.isEmpty
    }
}

/// Account lockout after repeated failures (SP 800-171 3.1.8).
public enum Lockout {
    public static let threshold = 5

    /// 1 minute at the fifth failure, doubling each time, at most an hour.
    public static func duration(afterFailures n: Int) -> TimeInterval {
        guard n >= threshold else { return 0 }
        let minutes = min(60.0, pow(2.0, Double(min(n - threshold, 10))))
        return minutes * 60
    }
}
