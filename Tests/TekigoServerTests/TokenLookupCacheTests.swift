import Foundation
import Hummingbird
import HummingbirdTesting
import Testing
import TekigoCore
@testable import TekigoStore
import TekigoTestSupport
@testable import TekigoServer

/// An instance reuses a lookup of an API token, a session or a membership for at most `credentialCacheSeconds` and never
/// after a change was made through it (`RecentLookups`, docs/SECURITY.md): a change on this instance is effective at the
/// very next request; a change made elsewhere (another instance, the command line on the same database) within the
/// lifetime.
@Suite("Credential lookups reused within a second, never past a change", .serialized)
struct TokenLookupCacheTests {
    static func lookup(_ id: String) -> TokenLookup {
        let user = UserRecord(id: "u-\(id)", email: "\(id)@example.jp", displayName: id, passwordHash: "x", platformAdmin: 0,
                              totpSecret: nil, totpEnabled: 0, totpLastStep: 0, recoveryCodes: "[]", failedLogins: 0, lockedUntil: nil,
                              createdAt: "2026-12-06T00:00:00.000Z", version: 1, totpPendingSecret: nil)
        let token = APITokenRecord(id: id, organizationId: "o", userId: user.id, name: id, tokenHash: "h-\(id)", scope: "read",
                                   expiresAt: "2099-01-01T00:00:00.000Z", revokedAt: nil, createdAt: "2026-12-06T00:00:00.000Z")
        return TokenLookup(token: token, user: user, membership: nil)
    }

    @Test("An entry is used only at the epoch it was read at and within its lifetime; the cache never grows past its capacity")
    func rules() {
        let cache = TokenLookupCache(lifetime: 1, capacity: 3)
        let t0 = ContinuousClock.now
        cache.keep(Self.lookup("a"), hash: "a", epoch: 7, now: t0)
        #expect(cache.lookup(hash: "a", epoch: 7, now: t0 + .milliseconds(999))?.token.id == "a")
        #expect(cache.lookup(hash: "a", epoch: 8, now: t0 + .milliseconds(10)) == nil, "a transaction ended since the read")
        #expect(cache.lookup(hash: "a", epoch: 7, now: t0 + .milliseconds(10)) == nil, "a stale entry is dropped, not kept for later")
        cache.keep(Self.lookup("b"), hash: "b", epoch: 7, now: t0)
        #expect(cache.lookup(hash: "b", epoch: 7, now: t0 + .seconds(1)) == nil, "past its lifetime")
        for id in ["c", "d", "e", "f"] { cache.keep(Self.lookup(id), hash: id, epoch: 7, now: t0) }
        #expect(cache.lookup(hash: "f", epoch: 7, now: t0)?.token.id == "f")
        #expect(["c", "d", "e"].compactMap { cache.lookup(hash: $0, epoch: 7, now: t0) }.count < 3, "at most three kept")
        let off = TokenLookupCache(lifetime: 0)
        off.keep(Self.lookup("a"), hash: "a", epoch: 1, now: t0)
        #expect(off.lookup(hash: "a", epoch: 1, now: t0) == nil)
    }

    @Test("The database's write epoch moves with every transaction and every write outside one, never with a read", arguments: TestDatabases.engines)
    func epochMovesWithWrites(_ engine: TestDatabases.Engine) async throws {
        let db = try await TekigoDatabase.open(try await TestDatabases.fresh(engine))
        let accounts = AccountStore(db)
        var before = db.writeEpoch
        _ = try await accounts.user(email: "nobody@example.jp")
        _ = try await accounts.apiTokenAndUser(hash: "nothing")
        #expect(db.writeEpoch == before, "reads leave it")
        _ = try await accounts.createUser(email: "a@example.jp", displayName: "A", passwordHash: "x", platformAdmin: false)
        #expect(db.writeEpoch > before, "a write outside a transaction")
        before = db.writeEpoch
        try await db.transaction { s in _ = try await s.raw("SELECT 1 AS one").all() }
        #expect(db.writeEpoch > before, "a transaction, whatever it did")
        before = db.writeEpoch
        _ = try await accounts.revokeAPIToken(id: "none", organizationID: "none", at: "2026-12-06T00:00:00.000Z")
        #expect(db.writeEpoch > before, "an update that changed no row still counts")
        before = db.writeEpoch
        _ = try await db.sql.raw("  select COUNT(*) AS n FROM users").all()
        #expect(db.writeEpoch == before, "a raw read leaves it")
        try await db.sql.raw("UPDATE users SET display_name = 'B'").run()
        #expect(db.writeEpoch > before, "a raw write outside a transaction")
        await db.close()
    }

    /// A server with the given lifetime, an administrator signed in, and a read token of theirs.
    static func withToken(_ engine: TestDatabases.Engine, seconds: TimeInterval,
                          _ body: @escaping @Sendable (Browser, Browser, String, Services, DatabaseLocation) async throws -> Void) async throws {
        let location = try await TestDatabases.fresh(engine)
        var config = ServerConfiguration(hostname: "127.0.0.1", port: 0, database: location,
                                         dataDirectory: try TestEnvironment.temporaryDirectory("tekigo-token-cache").path,
                                         environment: [:], logLevel: .warning)
        config.credentialCacheSeconds = seconds
        let (app, services) = try await buildApplication(config)
        do {
            try await app.test(.live) { client in
                let admin = Browser(client)
                let (_, org) = try await bootstrapAdmin(admin, services: services)
                let created = try await admin.send(.post, "/api/v1/organizations/\(org)/tokens",
                                                   json: ["name": "poller", "scope": "read", "expiresInDays": 1])
                try #require(created.status == .created)
                let machine = Browser(client)
                machine.bearer = try #require(created.json["token"] as? String)
                let tokenID = try #require(created.json["id"] as? String)
                #expect(try await machine.send(.get, "/api/v1/organizations/\(org)/systems").status == .ok)
                try await body(admin, machine, "\(org)|\(tokenID)", services, location)
            }
        } catch {
            await services.db.close()
            throw error
        }
        await services.db.close()
    }

    @Test("Revoked through this instance (the API, or a store write): refused at the very next request", arguments: TestDatabases.engines)
    func revokedHereAtOnce(_ engine: TestDatabases.Engine) async throws {
        try await Self.withToken(engine, seconds: 60) { admin, machine, ids, services, _ in
            let parts = ids.split(separator: "|").map(String.init)
            let (org, tokenID) = (parts[0], parts[1])
            let systems = "/api/v1/organizations/\(org)/systems"
            for _ in 0..<3 { #expect(try await machine.send(.get, systems).status == .ok) }
            #expect(try await admin.send(.delete, "/api/v1/organizations/\(org)/tokens/\(tokenID)").status == .noContent)
            #expect(try await machine.send(.get, systems).status == .unauthorized, "used after its revocation")

            // A second token, revoked by a write outside any transaction on this instance's database.
            let created = try await admin.send(.post, "/api/v1/organizations/\(org)/tokens", json: ["name": "second", "scope": "read", "expiresInDays": 1])
            machine.bearer = try #require(created.json["token"] as? String)
            #expect(try await machine.send(.get, systems).status == .ok)
            #expect(try await services.accounts.revokeAPIToken(id: try #require(created.json["id"] as? String), organizationID: org,
                                                               at: Timestamp.string(Date())))
            #expect(try await machine.send(.get, systems).status == .unauthorized)
        }
    }

    @Test("Revoked elsewhere (another process's database handle): refused once the lifetime has passed; at once with the cache off", arguments: TestDatabases.engines)
    func revokedElsewhereWithinLifetime(_ engine: TestDatabases.Engine) async throws {
        for seconds in [0.5, 0] {
            try await Self.withToken(engine, seconds: seconds) { _, machine, ids, _, location in
                let parts = ids.split(separator: "|").map(String.init)
                let systems = "/api/v1/organizations/\(parts[0])/systems"
                let other = try await TekigoDatabase.open(location)
                #expect(try await AccountStore(other).revokeAPIToken(id: parts[1], organizationID: parts[0], at: Timestamp.string(Date())))
                await other.close()
                if seconds == 0 {
                    #expect(try await machine.send(.get, systems).status == .unauthorized, "no cache: refused at once")
                } else {
                    try await Task.sleep(for: .milliseconds(Int(seconds * 1000) + 100))
                    #expect(try await machine.send(.get, systems).status == .unauthorized, "still accepted after the lifetime")
                }
            }
        }
    }

    @Test("A session signed out, or a member's role changed or membership removed, here: effective at the next request; elsewhere: once the lifetime has passed", arguments: TestDatabases.engines)
    func sessionsAndMemberships(_ engine: TestDatabases.Engine) async throws {
        for seconds in [0.5, 60] {
            try await Self.withToken(engine, seconds: seconds) { admin, _, ids, services, location in
                let org = String(ids.split(separator: "|")[0])
                let systems = "/api/v1/organizations/\(org)/systems"
                let newSystem: [String: Any] = ["name": "検査装置"]
                #expect(try await admin.send(.get, systems).status == .ok)
                let user = try #require(try await services.accounts.user(email: "admin@example.jp"))
                if seconds == 60 {
                    // This instance: demoted to viewer through the store (a write outside a transaction), refused at once.
                    try await services.accounts.setMembership(userID: user.id, organizationID: org, role: .viewer)
                    #expect(try await admin.send(.post, systems, json: newSystem).status == .forbidden)
                    try await services.accounts.setMembership(userID: user.id, organizationID: org, role: .owner)
                    #expect(try await admin.send(.post, systems, json: newSystem).status == .created)
                    // Signed out here: the cookie is refused at once.
                    #expect(try await admin.send(.delete, "/api/v1/session").status == .noContent)
                    #expect(try await admin.send(.get, systems).status == .unauthorized)
                } else {
                    // Elsewhere: demoted, then every session ended, by another handle on the database.
                    let other = try await TekigoDatabase.open(location)
                    try await AccountStore(other).setMembership(userID: user.id, organizationID: org, role: .viewer)
                    try await Task.sleep(for: .milliseconds(600))
                    #expect(try await admin.send(.post, systems, json: newSystem).status == .forbidden, "the old role after the lifetime")
                    try await AccountStore(other).deleteSessions(userID: user.id)
                    await other.close()
                    try await Task.sleep(for: .milliseconds(600))
                    #expect(try await admin.send(.get, systems).status == .unauthorized, "a deleted session after the lifetime")
                }
            }
        }
    }
}
