import Foundation
import Testing
import TekigoCore
import TekigoStore
import TekigoTestSupport
import TekigoUseCases

/// `tekigo incident share ID --collection C --tlp amber [--observable V]… [--preview]` (issue 14 item 5): the preview
/// prints exactly what would leave and writes nothing; publishing records the observables and the share; a value that
/// is no observable, an unknown collection and CUI to an unauthorized reader are refused with exit 1.
@Suite("tekigo incident share (command line)")
struct IncidentShareCLITests {
    let binary: URL

    init() throws {
        binary = try TestEnvironment.tekigoBinary()
    }

    func tekigo(_ args: [String], lang: String = "en") throws -> ProcessResult {
        try runProcess(binary, args + ["--lang", lang], environment: ["LANG": "C.UTF-8", "LC_ALL": "", "TEKIGO_DATABASE_URL": ""])
    }

    @Test("Preview writes nothing; share publishes exactly it and records the observable; refusals exit 1 naming why")
    func previewThenShare() async throws {
        let dir = try TestEnvironment.temporaryDirectory("tekigo-incident-share-cli")
        let db = try await TekigoDatabase.open(try DatabaseLocation.dataDirectory(dir.path))
        let accounts = AccountStore(db)
        let u = try await accounts.createUser(email: "owner@example.jp", displayName: "所有者", passwordHash: "x", platformAdmin: false)
        let org = try await accounts.createOrganization(name: "株式会社サンプル精機", owner: u.id)
        let other = try await accounts.createOrganization(name: "元請重工株式会社", owner: u.id)
        let store = ThreatIntelStore(db)
        let isac = try await store.createCommunity(slug: "dib-isac", name: "防衛産業 ISAC", kind: .isac)
        try await store.addMember(isac.id, organization: org.id, role: .member, listed: false, cuiAuthorized: false)
        try await store.addMember(isac.id, organization: other.id, role: .administrator, listed: true, cuiAuthorized: true)
        let col = try await store.createCollection(in: isac.id, title: "Incident reports", description: "", alias: "reports")
        try await store.setAccess(collection: col.id, organization: org.id, canRead: true, canWrite: true)
        try await store.setAccess(collection: col.id, organization: other.id, canRead: true, canWrite: false)
        await db.close()
        let d = ["--data-dir", dir.path]
        let opened = try tekigo(["incident", "open", "--org", org.id, "--title", "CAD サーバのランサムウェア感染",
                                 "--discovered", "2026-01-08T02:13:00+09:00", "--time-zone", "Asia/Tokyo", "--by", "山田"] + d)
        #expect(opened.status == 0, "\(opened.stderr)")
        let incident = try #require((try JSONSerialization.jsonObject(with: Data(opened.stdout.utf8)) as? [String: Any])?["id"] as? String)

        let notRecorded = try tekigo(["incident", "share", incident, "--collection", "Incident reports", "--observable", "198.51.100.7", "--preview"] + d)
        #expect(notRecorded.status == 1 && notRecorded.stderr.contains("not recorded"), "\(notRecorded.stderr)")
        let preview = try tekigo(["incident", "share", incident, "--collection", "Incident reports", "--tlp", "green", "--preview"] + d)
        #expect(preview.status == 0, "\(preview.stderr)")
        let p = try #require(try JSONSerialization.jsonObject(with: Data(preview.stdout.utf8)) as? [String: Any])
        #expect((p["digest"] as? String)?.count == 64 && !(preview.stdout.contains("サンプル精機")))
        let shared = try tekigo(["incident", "share", incident, "--collection", "Incident reports", "--tlp", "green",
                                 "--observable", "198.51.100.7", "--observable", "CVE-2024-3400"] + d)
        #expect(shared.status == 0, "\(shared.stderr)")
        let r = try #require(try JSONSerialization.jsonObject(with: Data(shared.stdout.utf8)) as? [String: Any])
        #expect(r["authority"] as? Bool == true && r["tlp"] as? String == "green")
        let bad = try tekigo(["incident", "share", incident, "--collection", "Incident reports", "--observable", "not-a-value!"] + d)
        #expect(bad.status == 1 && bad.stderr.contains("not an IPv4"), "\(bad.stderr)")
        let unknown = try tekigo(["incident", "share", incident, "--collection", "nope"] + d)
        #expect(unknown.status == 1 && unknown.stderr.contains("'nope'"), "\(unknown.stderr)")
        let cui = try tekigo(["incident", "share", incident, "--collection", "Incident reports", "--cui"] + d, lang: "ja")
        #expect(cui.status == 1 && cui.stderr.contains("CUI の規則"), "\(cui.stderr)")

        let check = try await TekigoDatabase.openExisting(try DatabaseLocation.dataDirectory(dir.path))
        let observables = try await IncidentShareStore(check, organizationID: org.id).observables(incidentID: incident)
        #expect(Set(observables.map(\.value)) == ["198.51.100.7", "CVE-2024-3400"])
        #expect(try await IncidentShareStore(check, organizationID: org.id).shares(incidentID: incident).count == 1)
        await check.close()
    }
}
