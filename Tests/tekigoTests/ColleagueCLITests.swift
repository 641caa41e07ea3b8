import Foundation
import SQLKit
import Testing
import TekigoCore
import TekigoStore
import TekigoTestSupport

/// `tekigo admin invite` and `tekigo admin reset-mfa` as a shop's operator scripts them (issue #12 item 1).
@Suite("tekigo admin invite / reset-mfa (command line)")
struct ColleagueCLITests {
    let binary: URL

    init() throws {
        binary = try TestEnvironment.tekigoBinary()
    }

    func tekigo(_ args: [String]) throws -> ProcessResult {
        try runProcess(binary, args, environment: ["LANG": "C.UTF-8", "LC_ALL": "", "TEKIGO_DATABASE_URL": ""])
    }

    @Test("admin invite prints a working single-use link once per address; reset-mfa clears the authenticator and the sessions, audited")
    func inviteAndReset() async throws {
        let dir = try TestEnvironment.temporaryDirectory("tekigo-colleague")
        let db = try await TekigoDatabase.open(try .dataDirectory(dir.path))
        // The server's key, as `tekigo serve` would make it: TOTP secrets are stored sealed with it.
        let accounts = AccountStore(db, secretKey: try EvidenceKey.load(dataDirectory: dir.path, environment: [:]))
        let owner = try await accounts.createUser(email: "owner@example.jp", displayName: "Owner", passwordHash: "x", platformAdmin: true)
        let org = try await accounts.createOrganization(name: "株式会社サンプル精機", owner: owner.id)
        try await accounts.setMFA(userID: owner.id, secret: "JBSWY3DPEHPK3PXP", enabled: true, lastStep: 5,
                                  recoveryCodeHashes: ["aa", "bb"])
        try await accounts.createSession(SessionRecord(idHash: "h1", userId: owner.id, csrfToken: "c", mfaPassed: 1,
                                                       createdAt: Timestamp.now(), lastSeen: Timestamp.now(),
                                                       expiresAt: Timestamp.string(Date().addingTimeInterval(3600)), sourceIp: "127.0.0.1"))
        await db.close()

        let invited = try tekigo(["admin", "invite", "--email", "Tanaka@Example.jp", "--org", "株式会社サンプル精機", "--role", "assessor",
                                  "--base-url", "https://tekigo.example.jp", "--lang", "en", "--data-dir", dir.path])
        #expect(invited.status == 0, "\(invited.stderr)")
        let link = try #require(invited.stdout.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
            .first { $0.hasPrefix("https://tekigo.example.jp/account/invitation?token=") })
        let again = try tekigo(["admin", "invite", "--email", "tanaka@example.jp", "--org", org.id, "--lang", "en", "--data-dir", dir.path])
        #expect(again.status == 1 && again.stderr.contains("open invitation already"), "\(again.stderr)")
        let badRole = try tekigo(["admin", "invite", "--email", "x@example.jp", "--org", org.id, "--role", "boss", "--data-dir", dir.path])
        #expect(badRole.status == 2)

        let reset = try tekigo(["admin", "reset-mfa", "--email", "owner@example.jp", "--lang", "en", "--data-dir", dir.path])
        #expect(reset.status == 0, "\(reset.stderr)")
        let unknown = try tekigo(["admin", "reset-mfa", "--email", "nobody@example.jp", "--data-dir", dir.path])
        #expect(unknown.status == 2)

        let check = try await TekigoDatabase.open(try .dataDirectory(dir.path))
        let token = String(link.split(separator: "=").last!)
        let open = try await MembershipStore.openInvitation(check, token: token)
        let after = try #require(try await AccountStore(check).user(id: owner.id))
        let sessions = try await check.sql.select().column("id_hash").from("sessions").where("user_id", .equal, owner.id).all()
        let actions = try await AuditLog(check).entries(organizationID: nil, limit: 100).map(\.action)
        let invitations = try await check.sql.select().column("email").from("membership_invitations").all()
        await check.close()
        #expect(open?.email == "tanaka@example.jp" && open?.role == "assessor" && open?.organizationId == org.id)
        #expect(invitations.count == 1, "the refused second invitation stored nothing")
        #expect(!after.hasMFA && after.totpSecret == nil && after.recoveryCodeHashes.isEmpty)
        #expect(sessions.isEmpty, "the person's sessions ended")
        #expect(actions.contains("mfa.reset") && actions.contains("membership.invited"))
    }

    @Test("tekigo serve's mail options: a host needs a sender, a password never goes out without STARTTLS, the environment works too; each refused before the server starts")
    func serveMailOptions() throws {
        let dir = try TestEnvironment.temporaryDirectory("tekigo-smtp-options")
        let noFrom = try tekigo(["serve", "--port", "0", "--smtp-host", "mail.example.jp", "--data-dir", dir.path])
        #expect(noFrom.status == 2 && noFrom.stderr.contains("--smtp-from"), "\(noFrom.stderr)")
        let passwordFile = dir.appendingPathComponent("smtp-password")
        try "s3cret\n".write(to: passwordFile, atomically: true, encoding: .utf8)
        let clear = try tekigo(["serve", "--port", "0", "--smtp-host", "mail.example.jp", "--smtp-from", "tekigo@example.jp",
                                "--smtp-user", "tekigo", "--smtp-password-file", passwordFile.path, "--data-dir", dir.path])
        #expect(clear.status == 2 && clear.stderr.contains("--smtp-starttls"), "\(clear.stderr)")
        let missingFile = try tekigo(["serve", "--port", "0", "--smtp-host", "mail.example.jp", "--smtp-from", "tekigo@example.jp",
                                      "--smtp-user", "tekigo", "--smtp-password-file", "/nonexistent/pw", "--smtp-starttls",
                                      "--data-dir", dir.path])
        #expect(missingFile.status == 2 && missingFile.stderr.contains("/nonexistent/pw"), "\(missingFile.stderr)")
        let badFrom = try runProcess(binary, ["serve", "--port", "0", "--data-dir", dir.path],
                                     environment: ["LANG": "C.UTF-8", "TEKIGO_DATABASE_URL": "", "TEKIGO_SMTP_HOST": "mail.example.jp",
                                                   "TEKIGO_SMTP_FROM": "not an address"])
        #expect(badFrom.status == 2 && badFrom.stderr.contains("--smtp-from is not an e-mail address"), "\(badFrom.stderr)")
    }
}
