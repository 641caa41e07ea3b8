import Foundation
import Testing
import TekigoCore
import TekigoStore
import TekigoTestSupport

/// `tekigo community invitations` (issue 14 item 4): the operator sees where each invitation to a community stands;
/// answering stays the invited organization's own act (browser or API), so the command only reads.
@Suite("tekigo community invitations (command line)")
struct CommunityInvitationCLITests {
    @Test("Lists the community's invitations newest first with their status and who invited; an unknown community exits 1")
    func invitations() async throws {
        let binary = try TestEnvironment.tekigoBinary()
        func tekigo(_ args: [String]) throws -> ProcessResult {
            try runProcess(binary, args + ["--lang", "en"], environment: ["LANG": "C.UTF-8", "LC_ALL": "", "TEKIGO_DATABASE_URL": ""])
        }
        let dir = try TestEnvironment.temporaryDirectory("tekigo-community-invitations")
        let db = try await TekigoDatabase.open(try DatabaseLocation.dataDirectory(dir.path))
        let accounts = AccountStore(db)
        let u = try await accounts.createUser(email: "owner@example.jp", displayName: "所有者", passwordHash: "x", platformAdmin: false)
        let prime = try await accounts.createOrganization(name: "株式会社プライム", owner: u.id)
        let a = try await accounts.createOrganization(name: "株式会社サプライヤーA", owner: u.id)
        let b = try await accounts.createOrganization(name: "株式会社サプライヤーB", owner: u.id)
        let store = ThreatIntelStore(db), invitations = CommunityInvitationStore(db)
        let c = try await store.createCommunity(slug: "prime-chain", name: "プライム調達網", kind: .supplyChain)
        try await store.addMember(c.id, organization: prime.id, role: .administrator, listed: true, cuiAuthorized: false)
        let inviter = STIXPublisher(organizationID: prime.id, personID: u.id)
        let first = try await invitations.invite(c.id, organization: a.id, by: inviter, now: Date(timeIntervalSince1970: 1_800_000_000))
        _ = try await invitations.decide(id: first, status: .declined, by: u.id, listed: nil)
        let second = try await invitations.invite(c.id, organization: b.id, by: inviter, now: Date(timeIntervalSince1970: 1_800_000_100))
        await db.close()

        let r = try tekigo(["community", "invitations", "--community", "prime-chain", "--data-dir", dir.path])
        #expect(r.status == 0, "\(r.stderr)")
        let list = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [[String: Any]], "\(r.stdout)")
        #expect(list.map { $0["id"] as? String } == [second, first])
        #expect(list.map { $0["status"] as? String } == ["pending", "declined"])
        #expect(list.first?["invitedBy"] as? String == "株式会社プライム" && list.first?["organization"] as? String == "株式会社サプライヤーB")
        let unknown = try tekigo(["community", "invitations", "--community", "nope", "--data-dir", dir.path])
        #expect(unknown.status == 1 && unknown.stderr.contains("nope"))
    }
}
