import Foundation
import Hummingbird
import HummingbirdTesting
import Testing
import TekigoStore
import TekigoTestSupport
@testable import TekigoServer

/// Two app instances on one PostgreSQL database, as behind a load balancer: nothing one instance needs lives in
/// another's memory.
@Suite("Two instances on one PostgreSQL")
struct MultiInstanceTests {
    @Test("A session, a lockout and data made on one instance are seen by the other",
          .enabled(if: TestDatabases.engines.contains(.postgres), "needs TEKIGO_TEST_POSTGRES_URL"))
    func twoInstances() async throws {
        let location = try await TestDatabases.fresh(.postgres)
        let dir = try TestEnvironment.temporaryDirectory("tekigo-two")
        // Both instances share the evidence key, as they would share a secret in production.
        let env = ["TEKIGO_EVIDENCE_KEY": Data((0..<32).map { UInt8($0) }).base64EncodedString()]
        let (app1, s1) = try await buildApplication(ServerConfiguration(port: 0, database: location, dataDirectory: dir.path, environment: env, logLevel: .warning))
        let (app2, s2) = try await buildApplication(ServerConfiguration(port: 0, database: location, dataDirectory: dir.path, environment: env, logLevel: .warning))
        try await app1.test(.live) { c1 in
            try await app2.test(.live) { c2 in
                let b1 = Browser(c1)
                let (_, org) = try await bootstrapAdmin(b1, services: s1)
                // The same cookie and CSRF token, sent to the other instance.
                let b2 = Browser(c2)
                b2.cookie = b1.cookie
                b2.csrf = b1.csrf
                #expect(try await b2.send(.get, "/api/v1/me").status == .ok)
                let sys = try await b2.send(.post, "/api/v1/organizations/\(org)/systems", json: ["name": "made on instance 2"])
                #expect(sys.status == .created)
                let seen = try await b1.send(.get, "/api/v1/organizations/\(org)/systems")
                #expect(String(decoding: seen.body, as: UTF8.self).contains("made on instance 2"))
                // Failed sign-ins spread over both instances still lock the account.
                for i in 0..<4 {
                    let b = Browser(i % 2 == 0 ? c1 : c2)
                    _ = try await b.login("admin@example.jp", "wrong password 12345")
                }
                let locked = try await Browser(c2).login("admin@example.jp", "wrong password 12345")
                #expect(locked.status == .tooManyRequests)
                // Sign-out on one instance ends the session everywhere.
                #expect(try await b1.send(.delete, "/api/v1/session").status == .noContent)
                #expect(try await b2.send(.get, "/api/v1/me").status == .unauthorized)
                #expect(try await AuditLog(s2.db).verify().isIntact)
            }
        }
        await s1.db.close()
        await s2.db.close()
    }
}
