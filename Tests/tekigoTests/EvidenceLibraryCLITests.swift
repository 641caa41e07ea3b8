import Foundation
import Testing
import TekigoCore
import TekigoStore
import TekigoTestSupport

/// `tekigo evidence …` (issue 17 item 5) against a fresh database on SQLite and PostgreSQL, running the real binary:
/// a yearly training record on a file share with a past expiry, a link, a local file stored in the vault; attached to
/// objectives of an assessment; the list flags the expired item and says where each is used (table in Japanese and
/// English, JSON, CSV); unknown ids, another organization's item or assessment and an item still attached are refused
/// with what to do; every change leaves its audit entry.
@Suite("tekigo evidence (issue 17 item 5)")
struct EvidenceLibraryCLITests {
    struct Setup {
        let orgID: String
        let otherID: String
        let assessment: String
        let otherAssessment: String
    }

    static func setUp(_ location: DatabaseLocation) async throws -> Setup {
        let db = try await TekigoDatabase.open(location)
        do {
            let accounts = AccountStore(db)
            let u = try await accounts.createUser(email: "owner@example.jp", displayName: "山田 太郎", passwordHash: "x", platformAdmin: false)
            let org = try await accounts.createOrganization(name: "株式会社サンプル精機", owner: u.id)
            let other = try await accounts.createOrganization(name: "別会社", owner: u.id)
            let actor = TekigoStore.Actor(id: u.id, sourceIP: "192.0.2.10")
            func assessment(_ orgID: String) async throws -> String {
                let tenant = TenantStore(db, organizationID: orgID)
                let system = try await tenant.createSystem(SystemProfile(name: "本社工場", boundary: "", informationTypes: []), by: actor)
                return try await tenant.createAssessment(systemID: system.id, catalog: .sp800171r2, date: Day("2026-12-01")!, kind: .basic,
                                                         assessor: "山田", by: actor).id
            }
            let setup = Setup(orgID: org.id, otherID: other.id, assessment: try await assessment(org.id),
                              otherAssessment: try await assessment(other.id))
            await db.close()
            return setup
        } catch {
            await db.close()
            throw error
        }
    }

    static func actions(_ location: DatabaseLocation, _ orgID: String) async throws -> [String] {
        let db = try await TekigoDatabase.open(location)
        let entries = try await AuditLog(db).entries(organizationID: orgID, limit: 1000, actionPrefix: "evidence-item.")
        await db.close()
        return entries.sorted { $0.seq < $1.seq }.map(\.action)
    }

    static func object(_ text: String) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any], "not a JSON object: \(text)")
    }

    @Test("issue 17 item 5: evidence add (share path with a past expiry, link, local file), attach to objectives, list flags the expired item and shows where each is used (ja/en table, JSON, CSV); unknown id exits 2, another organization's item and assessment are not found, an attached item is not removed; audit entries written",
          arguments: TestDatabases.engines)
    func evidenceLibraryFromTheCommandLine(_ engine: TestDatabases.Engine) async throws {
        let binary = try TestEnvironment.tekigoBinary()
        let dataDir = try TestEnvironment.temporaryDirectory("tekigo-cli-evidence")
        let location = try await TestDatabases.fresh(engine)
        let s = try await Self.setUp(location)
        let where_ = TestDatabases.cliArguments(location, dataDir: dataDir)
        func tekigo(_ args: [String], lang: String = "en") async throws -> ProcessResult {
            try await runProcessOffPool(binary, args + where_ + ["--lang", lang],
                                        environment: ["LANG": "C.UTF-8", "LC_ALL": "", "TEKIGO_DATABASE_URL": ""])
        }
        let mine = ["--org", "株式会社サンプル精機"]

        // A yearly training record on the file share, expired (2026-03-31 is before today, 2026-12 or later).
        let share = #"\\nas\総務\研修\2025年度 受講記録.xlsx"#
        let training = try await tekigo(["evidence", "add", "--title", "情報セキュリティ研修 受講記録 2025", "--share", share,
                                         "--owner", "総務部 佐藤", "--date", "2025-04-01", "--expires", "2026-03-31", "--format", "json"] + mine)
        #expect(training.status == 0, "\(training.stderr)")
        let t = try Self.object(training.stdout)
        let trainingID = try #require(t["id"] as? String)
        #expect(t["kind"] as? String == "share" && t["location"] as? String == share, "the share path is kept as typed")
        #expect(t["expired"] as? Bool == true && t["expiry"] as? String == "expired" && t["owner"] as? String == "総務部 佐藤")

        // A link on an SMB share (kept as text) owned by a member, and a local file stored in the vault.
        let smb = try await tekigo(["evidence", "add", "--title", "アクセス権一覧", "--share", "smb://nas/総務/アクセス権.xlsx",
                                    "--owner-member", "owner@example.jp", "--expires", "2099-12-31", "--format", "json"] + mine)
        #expect(smb.status == 0, "\(smb.stderr)")
        let smbItem = try Self.object(smb.stdout)
        #expect(smbItem["owner"] as? String == "山田 太郎" && smbItem["expired"] as? Bool == false)
        let link = try await tekigo(["evidence", "add", "--title", "規程集", "--link", "https://intra.example.jp/rules", "--owner", "山田",
                                     "--format", "json"] + mine)
        #expect(link.status == 0, "\(link.stderr)")
        #expect(try Self.object(link.stdout)["expiry"] as? String == "none")
        let local = dataDir.appendingPathComponent("policy.txt")
        try Data("情報セキュリティ基本方針 2026\n".utf8).write(to: local)
        let file = try await tekigo(["evidence", "add", "--title", "基本方針", "--file", local.path, "--owner", "山田", "--format", "json"] + mine)
        #expect(file.status == 0, "\(file.stderr)")
        let fileItem = try Self.object(file.stdout)
        #expect(fileItem["kind"] as? String == "file" && (fileItem["location"] as? String)?.count == 64)

        // Bad input names the field and how to fix it; nothing is added.
        let badDate = try await tekigo(["evidence", "add", "--title", "x", "--link", "https://example.jp", "--owner", "x", "--expires", "2026/03/31"] + mine)
        #expect(badDate.status == 1 && badDate.stderr.contains("expiresOn") && badDate.stderr.contains("YYYY-MM-DD"), "\(badDate.stderr)")
        let twoPlaces = try await tekigo(["evidence", "add", "--title", "x", "--link", "https://example.jp", "--share", "/srv/x", "--owner", "x"] + mine,
                                         lang: "ja")
        #expect(twoPlaces.status == 2 && twoPlaces.stderr.contains("--file") && twoPlaces.stderr.contains("一つだけ"), "\(twoPlaces.stderr)")

        // Attached to two objectives of the assessment; attaching again changes nothing.
        let attach = try await tekigo(["evidence", "attach", trainingID, "--assessment", s.assessment, "--objective", "3.2.1[a]",
                                       "--objective", "3.2.2[a]"] + mine)
        #expect(attach.status == 0 && attach.stdout.contains("Attached: 3.2.1[a]") && attach.stdout.contains("Used by (2)"), "\(attach.stdout)\(attach.stderr)")
        let again = try await tekigo(["evidence", "attach", trainingID, "--assessment", s.assessment, "--objective", "3.2.1[a]"] + mine, lang: "ja")
        #expect(again.status == 0 && again.stdout.contains("添付済みです: 3.2.1[a]"), "\(again.stdout)\(again.stderr)")
        let wrongObjective = try await tekigo(["evidence", "attach", trainingID, "--assessment", s.assessment, "--objective", "3.2.9[z]"] + mine)
        #expect(wrongObjective.status == 1 && wrongObjective.stderr.contains("3.2.9[z] is not an objective of sp800-171r2"), "\(wrongObjective.stderr)")

        // The list: JSON says where each is used and which is expired.
        let json = try await tekigo(["evidence", "list", "--format", "json"] + mine)
        #expect(json.status == 0, "\(json.stderr)")
        let items = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [[String: Any]])
        #expect(items.count == 4)
        let listed = try #require(items.first { $0["id"] as? String == trainingID })
        let used = try #require(listed["usedBy"] as? [[String: Any]])
        #expect(used.map { $0["objective"] as? String } == ["3.2.1[a]", "3.2.2[a]"] && used.allSatisfy { $0["assessment"] as? String == s.assessment })
        #expect(listed["expired"] as? Bool == true && listed["useCount"] as? Int == 2)
        #expect(items.filter { $0["expired"] as? Bool == true }.count == 1)
        let expiredOnly = try await tekigo(["evidence", "list", "--filter", "expired", "--format", "json"] + mine)
        #expect((try JSONSerialization.jsonObject(with: Data(expiredOnly.stdout.utf8)) as? [[String: Any]])?.map { $0["id"] as? String } == [trainingID])

        // The table, in Japanese and in English.
        let ja = try await tekigo(["evidence", "list"] + mine, lang: "ja")
        #expect(ja.status == 0 && ja.stdout.contains("期限切れ") && ja.stdout.contains("使用箇所") && ja.stdout.contains("本社工場: 3.2.1[a], 3.2.2[a]")
                && ja.stdout.contains("（未使用）") && ja.stdout.contains("期限切れ 1 件"), "\(ja.stdout)")
        let en = try await tekigo(["evidence", "list"] + mine)
        #expect(en.stdout.contains("EXPIRED") && en.stdout.contains("Used by") && en.stdout.contains("(not used)") && en.stdout.contains(share), "\(en.stdout)")

        // CSV: UTF-8 with a byte order mark, one row per item, the expired flag and the uses.
        let csv = try await tekigo(["evidence", "list", "--format", "csv"] + mine)
        let csvText = csv.stdout.hasPrefix("\u{FEFF}") ? String(csv.stdout.dropFirst()) : csv.stdout
        let lines = csvText.split(separator: "\r\n").map(String.init)
        #expect(lines.first == "id,title,kind,location,owner,document_date,expires_on,expiry,expired,use_count,used_by,version", "\(csv.stdout)")
        #expect(lines.count == 5 && lines.contains { $0.hasPrefix(trainingID) && $0.contains(",expired,yes,2,") })

        // Help in both languages.
        func help(_ args: [String]) async throws -> ProcessResult {
            try await runProcessOffPool(binary, args, environment: ["LANG": "C.UTF-8", "LC_ALL": "", "TEKIGO_DATABASE_URL": ""])
        }
        let helpJA = try await help(["evidence", "add", "--help", "--lang", "ja"])
        #expect(helpJA.stdout.contains("共有フォルダーのパス") && helpJA.stdout.contains("有効期限"), "\(helpJA.stdout)")
        let helpEN = try await help(["evidence", "--help", "--lang", "en"])
        #expect(helpEN.stdout.contains("The evidence library") && helpEN.stdout.contains("attach"), "\(helpEN.stdout)")

        // An unknown id: exit 2, saying where to find the ids.
        let unknown = try await tekigo(["evidence", "show", "no-such-item"] + mine, lang: "ja")
        #expect(unknown.status == 2 && unknown.stderr.contains("証跡 no-such-item はこの組織の証跡ライブラリにありません")
                && unknown.stderr.contains("tekigo evidence list"), "\(unknown.stderr)")

        // Another organization's item is not found from this one, and this item cannot be attached to its assessment.
        let theirs = try await tekigo(["evidence", "add", "--title", "別会社の記録", "--link", "https://other.example.jp/x", "--owner", "鈴木",
                                       "--format", "json", "--org", "別会社"])
        #expect(theirs.status == 0, "\(theirs.stderr)")
        let theirID = try #require(try Self.object(theirs.stdout)["id"] as? String)
        let crossShow = try await tekigo(["evidence", "show", theirID] + mine)
        #expect(crossShow.status == 2 && crossShow.stderr.contains("was not found in this organization"), "\(crossShow.stderr)")
        let crossRemove = try await tekigo(["evidence", "remove", theirID] + mine)
        #expect(crossRemove.status == 2, "\(crossRemove.stderr)")
        let crossAttach = try await tekigo(["evidence", "attach", trainingID, "--assessment", s.otherAssessment, "--objective", "3.2.1[a]"] + mine)
        #expect(crossAttach.status == 2 && crossAttach.stderr.contains("Assessment \(s.otherAssessment) was not found in this organization"),
                "\(crossAttach.stderr)")

        // Still attached: not removed, naming where. Renewed (new expiry), detached, then removed.
        let inUse = try await tekigo(["evidence", "remove", trainingID] + mine)
        #expect(inUse.status == 1 && inUse.stderr.contains("3.2.1[a]") && inUse.stderr.contains("detach it there first"), "\(inUse.stderr)")
        let renewed = try await tekigo(["evidence", "update", trainingID, "--expires", "2099-03-31", "--format", "json"] + mine)
        #expect(renewed.status == 0, "\(renewed.stderr)")
        let r = try Self.object(renewed.stdout)
        #expect(r["expired"] as? Bool == false && r["version"] as? Int == 2 && r["location"] as? String == share && r["title"] as? String == "情報セキュリティ研修 受講記録 2025")
        let stale = try await tekigo(["evidence", "update", trainingID, "--note", "x", "--version", "1"] + mine)
        #expect(stale.status == 1 && stale.stderr.contains("now version 2"), "\(stale.stderr)")
        let detach = try await tekigo(["evidence", "detach", trainingID, "--assessment", s.assessment, "--objective", "3.2.1[a]",
                                       "--objective", "3.2.2[a]"] + mine)
        #expect(detach.status == 0 && detach.stdout.contains("Used by (0)"), "\(detach.stdout)\(detach.stderr)")
        let removed = try await tekigo(["evidence", "remove", trainingID] + mine, lang: "ja")
        #expect(removed.status == 0 && removed.stdout.contains("削除しました"), "\(removed.stderr)")

        // Every change through the use cases, with its audit entry; the other organization's log holds only its own.
        let actions = try await Self.actions(location, s.orgID)
        #expect(actions == ["evidence-item.added", "evidence-item.added", "evidence-item.added", "evidence-item.added",
                            "evidence-item.attached", "evidence-item.attached", "evidence-item.updated",
                            "evidence-item.detached", "evidence-item.detached", "evidence-item.deleted"], "\(actions)")
        #expect(try await Self.actions(location, s.otherID) == ["evidence-item.added"])
    }
}
