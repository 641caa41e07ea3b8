import Foundation
import SQLKit
import Testing
import TekigoCore
@testable import TekigoStore
import TekigoTestSupport

/// The records every authenticated request reads (session, API token, user, organization and role) are read column by
/// column (`ColumnReader`) instead of through `Decodable`: each must come out exactly as the keyed decoding read it,
/// with and without its optional columns, on both engines. The per-request lookups leave TOTP secrets sealed.
@Suite("AccountStore per-request lookups read column by column", .serialized)
struct AccountStoreLookupTests {
    static let secret = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"

    /// The row as the keyed `Decodable` path (the one used before) reads it.
    func decoded<T: Decodable>(_ db: TekigoDatabase, _ table: String, _ key: String, _ value: String, as: T.Type) async throws -> T {
        let row = try #require(try await db.sql.select().columns("*").from(table).where(SQLIdentifier(key), .equal, SQLBind(value)).first())
        return try row.decode(model: T.self, with: SnakeCaseColumns.decoder)
    }

    func row(_ db: TekigoDatabase, _ table: String, _ key: String, _ value: String) async throws -> any SQLRow {
        try #require(try await db.sql.select().columns("*").from(table).where(SQLIdentifier(key), .equal, SQLBind(value)).first())
    }

    @Test("each record reads the same column by column as through Decodable", arguments: TestDatabases.engines)
    func roundTrip(_ engine: TestDatabases.Engine) async throws {
        let db = try await TekigoDatabase.open(try await TestDatabases.fresh(engine))
        let key = try EvidenceKey(rawBytes: Data((0..<32).map { _ in UInt8.random(in: 0...255) }))
        let accounts = AccountStore(db, secretKey: key)

        // A user with every optional column empty, and one with all of them filled.
        let plain = try await accounts.createUser(email: "plain@example.jp", displayName: "Plain", passwordHash: "x", platformAdmin: false)
        let full = try await accounts.createUser(email: "full@example.jp", displayName: "Full 全", passwordHash: "$2b$12$abc",
                                                 platformAdmin: true)
        try await accounts.setMFA(userID: full.id, secret: Self.secret, enabled: true, lastStep: 12345, recoveryCodeHashes: ["a", "b"])
        try await accounts.setPendingMFA(userID: full.id, secret: "KRSXG5CTMVRXEZLU")
        for _ in 0..<Lockout.threshold { _ = try await accounts.recordFailedLogin(userID: full.id) }

        for u in [plain, full] {
            let expected = try await decoded(db, "users", "id", u.id, as: UserRecord.self)
            #expect(try UserRecord(row: try await row(db, "users", "id", u.id)) == expected)
        }
        let fullStored = try await decoded(db, "users", "id", full.id, as: UserRecord.self)
        #expect(fullStored.lockedUntil != nil && fullStored.totpPendingSecret != nil && fullStored.failedLogins == Lockout.threshold)

        // Organizations without and with their optional columns.
        let bare = try await accounts.createOrganization(name: "Bare", owner: plain.id)
        let rich = try await accounts.createOrganization(name: "Rich", cageCodes: ["1ABC2"], uei: "UEI123456789", corporateNumber: "1234567890123",
                                                         owner: full.id)
        _ = try await accounts.setOrganizationTimeZone(id: rich.id, to: "America/New_York", on: db.sql)
        for o in [bare, rich] {
            let expected = try await decoded(db, "organizations", "id", o.id, as: OrganizationRecord.self)
            #expect(try OrganizationRecord(row: try await row(db, "organizations", "id", o.id)) == expected)
        }

        // Sessions and tokens (one revoked, one not).
        let session = SessionRecord(idHash: "sess-hash", userId: full.id, csrfToken: "csrf", mfaPassed: 1, createdAt: Timestamp.now(),
                                    lastSeen: Timestamp.now(), expiresAt: "2099-01-01T00:00:00.000Z", sourceIp: "192.0.2.1")
        try await accounts.createSession(session)
        #expect(try SessionRecord(row: try await row(db, "sessions", "id_hash", "sess-hash")) == session)
        let live = APITokenRecord(id: "tok-1", organizationId: rich.id, userId: full.id, name: "CI", tokenHash: "tok-hash-1",
                                  scope: "read", expiresAt: "2099-01-01T00:00:00.000Z", revokedAt: nil, createdAt: Timestamp.now())
        let revoked = APITokenRecord(id: "tok-2", organizationId: bare.id, userId: plain.id, name: "old", tokenHash: "tok-hash-2",
                                     scope: "write", expiresAt: "2099-01-01T00:00:00.000Z", revokedAt: Timestamp.now(),
                                     createdAt: Timestamp.now())
        for t in [live, revoked] {
            try await accounts.createAPIToken(t)
            #expect(try APITokenRecord(row: try await row(db, "api_tokens", "id", t.id)) == t)
            #expect(try await decoded(db, "api_tokens", "id", t.id, as: APITokenRecord.self) == t)
        }

        // The lookups: the same records as the tables hold, the user's secrets as stored (sealed).
        let (s, su) = try #require(try await accounts.sessionAndUser(idHash: "sess-hash"))
        #expect(s == session && su == fullStored)
        #expect(su.totpSecret.map(AccountStore.isSealedTOTPSecret) == true)
        #expect(su.totpPendingSecret.map(AccountStore.isSealedTOTPSecret) == true)
        #expect(try accounts.openTOTPSecret(su.totpSecret, userID: su.id) == Self.secret)
        #expect(try await accounts.sessionAndUser(idHash: "no-such-hash") == nil)

        let richStored = try await decoded(db, "organizations", "id", rich.id, as: OrganizationRecord.self)
        let found = try #require(try await accounts.apiTokenAndUser(hash: "tok-hash-1"))
        #expect(found.token == live && found.user == fullStored)
        #expect(found.membership?.0 == richStored && found.membership?.1 == .owner)
        let old = try #require(try await accounts.apiTokenAndUser(hash: "tok-hash-2"))
        #expect(old.token == revoked)
        #expect(old.user == (try await decoded(db, "users", "id", plain.id, as: UserRecord.self)))
        #expect(old.membership?.0 == (try await decoded(db, "organizations", "id", bare.id, as: OrganizationRecord.self)))
        #expect(try await accounts.apiTokenAndUser(hash: "no-such-hash") == nil)

        let m = try #require(try await accounts.membership(userID: full.id, organizationID: rich.id))
        #expect(m.0 == richStored && m.1 == .owner)
        #expect(try await accounts.membership(userID: plain.id, organizationID: rich.id) == nil)

        // A token whose user left its organization comes without a membership.
        try await db.sql.delete(from: "memberships").where("user_id", .equal, full.id).where("organization_id", .equal, rich.id).run()
        let left = try #require(try await accounts.apiTokenAndUser(hash: "tok-hash-1"))
        #expect(left.token == live && left.membership == nil)
        await db.close()
    }
}
