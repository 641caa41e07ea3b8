import Foundation
import SQLKit
import Testing
import TekigoCore
import TekigoStore
import TekigoTestSupport

/// `tekigo admin create` and `tekigo admin grant` as an operator runs them (issue: defects, items 3 and 10): platform
/// administration is asked for explicitly, and the operator's grant keeps the organization's last owner like the API.
@Suite("tekigo admin (command line)")
struct AdminCLITests {
    let binary: URL

    init() throws {
        binary = try TestEnvironment.tekigoBinary()
    }

    func tekigo(_ args: [String]) throws -> ProcessResult {
        try runProcess(binary, args, environment: ["LANG": "C.UTF-8", "LC_ALL": "", "TEKIGO_DATABASE_URL": ""])
    }

    @Test("admin create makes a platform administrator's link only with --platform-admin")
    func createLinks() async throws {
        let dir = try TestEnvironment.temporaryDirectory("tekigo-admin")
        let plain = try tekigo(["admin", "create", "--data-dir", dir.path])
        #expect(plain.status == 0, "\(plain.stderr)")
        let platform = try tekigo(["admin", "create", "--platform-admin", "--data-dir", dir.path])
        #expect(platform.status == 0, "\(platform.stderr)")
        let db = try await TekigoDatabase.open(try .dataDirectory(dir.path))
        let flags = try await db.sql.select().column("platform_admin").from("setup_tokens").orderBy("created_at").all()
            .map { try $0.decode(column: "platform_admin", as: Int.self) }
        let audited = try await AuditLog(db).entries(organizationID: nil, limit: 10, actionPrefix: "setup.link-issued")
        await db.close()
        #expect(flags.sorted() == [0, 1])
        // Every link issued is audited, and a platform administrator's says so (SP 800-171 3.3.1, 3.1.5).
        #expect(audited.map(\.object).sorted() == ["setup-link", "setup-link/platform-admin"])
    }

    @Test("admin grant refuses to demote the last owner and changes nothing; with a second owner it goes through")
    func grantKeepsAnOwner() async throws {
        let dir = try TestEnvironment.temporaryDirectory("tekigo-admin")
        let db = try await TekigoDatabase.open(try .dataDirectory(dir.path))
        let accounts = AccountStore(db)
        let owner = try await accounts.createUser(email: "owner@example.jp", displayName: "Owner", passwordHash: "x", platformAdmin: false)
        let other = try await accounts.createUser(email: "other@example.jp", displayName: "Other", passwordHash: "x", platformAdmin: false)
        let org = try await accounts.createOrganization(name: "株式会社テスト", owner: owner.id)
        await db.close()

        let refused = try tekigo(["admin", "grant", "--email", "owner@example.jp", "--org", org.id, "--role", "viewer", "--data-dir", dir.path])
        #expect(refused.status != 0)
        #expect(refused.stderr.contains("last owner"), "\(refused.stderr)")
        let made = try tekigo(["admin", "grant", "--email", "other@example.jp", "--org", org.id, "--role", "owner", "--data-dir", dir.path])
        #expect(made.status == 0, "\(made.stderr)")
        let demoted = try tekigo(["admin", "grant", "--email", "owner@example.jp", "--org", org.id, "--role", "viewer", "--data-dir", dir.path])
        #expect(demoted.status == 0, "\(demoted.stderr)")

        let check = try await TekigoDatabase.open(try .dataDirectory(dir.path))
        let roles = try await AccountStore(check).members(organizationID: org.id).map { "\($0.0.email)=\($0.1.rawValue)" }
        let audited = try await AuditLog(check).entries(organizationID: org.id, limit: 100).filter { $0.action == "membership.role-changed" }
        await check.close()
        #expect(roles == ["other@example.jp=owner", "owner@example.jp=viewer"])
        #expect(audited.count == 2, "the refused grant wrote nothing")
    }
}
