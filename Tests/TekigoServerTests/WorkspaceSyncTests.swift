import Foundation
import Hummingbird
import HummingbirdTesting
import Testing
import TekigoCore
import TekigoStore
import TekigoTestSupport
import TekigoWorkspace
import Yams
@testable import TekigoServer

/// Issue 17 item 4, last part: "the CLI folder and a server stay in step: `tekigo push` / `tekigo pull` against a
/// server with an API token, conflicts shown per objective". The three-way rule alone, then the real `tekigo` binary
/// against a live server on loopback on both engines.
@Suite("Folder ↔ server sync (issue 17 item 4)", .serialized)
struct WorkspaceSyncTests {
    // MARK: the rule (FindingSyncRule), each row of its table

    static let base = SyncPoint(version: 2, digest: "base")

    @Test("Issue 17 item 4 sync rule: neither side changed → in step; only the folder → push; only the server → pull")
    func oneSideChanged() {
        #expect(FindingSyncRule.decide(base: Self.base, local: "base", server: Self.base) == .inStep)
        #expect(FindingSyncRule.decide(base: Self.base, local: "mine", server: Self.base) == .push)
        #expect(FindingSyncRule.decide(base: Self.base, local: "base", server: SyncPoint(version: 3, digest: "theirs")) == .pull)
    }

    @Test("Issue 17 item 4 sync rule: both changed to different answers → conflict; both to the same answer → converged, no conflict")
    func bothChanged() {
        #expect(FindingSyncRule.decide(base: Self.base, local: "mine", server: SyncPoint(version: 3, digest: "theirs")) == .conflict)
        #expect(FindingSyncRule.decide(base: Self.base, local: "same", server: SyncPoint(version: 3, digest: "same")) == .converged)
    }

    @Test("Issue 17 item 4 sync rule: a server save that kept the answer (version moved, digest not) is no server change — a folder edit still pushes, no false conflict")
    func versionAloneIsNoChange() {
        let resaved = SyncPoint(version: 5, digest: "base")
        #expect(FindingSyncRule.decide(base: Self.base, local: "mine", server: resaved) == .push)
        #expect(FindingSyncRule.decide(base: Self.base, local: "base", server: resaved) == .inStep)
    }

    @Test("Issue 17 item 4 sync rule: never synced = version 0, unanswered; the answer's canonical text tells every part apart and a note cannot forge a line")
    func neverSyncedAndCanonical() {
        let unanswered = "u"
        let never = FindingSyncRule.neverSynced(unansweredDigest: unanswered)
        #expect(never == SyncPoint(version: 0, digest: unanswered))
        // A fresh folder and an objective nobody answered on the server: in step; answered only on the server: pull.
        #expect(FindingSyncRule.decide(base: never, local: unanswered, server: SyncPoint(version: 0, digest: unanswered)) == .inStep)
        #expect(FindingSyncRule.decide(base: never, local: unanswered, server: SyncPoint(version: 1, digest: "met")) == .pull)
        let met = SyncedAnswer(status: .met, rationale: "a")
        #expect(SyncedAnswer(nil) == .unanswered && SyncedAnswer(Finding(status: .notAssessed)).isUnanswered)
        #expect(met.canonical != SyncedAnswer(status: .notMet, rationale: "a").canonical)
        #expect(met.canonical != SyncedAnswer(status: .met, rationale: "a", needsReview: true).canonical)
        #expect(met.canonical != SyncedAnswer(status: .met, rationale: "a", evidence: [EvidenceRef(location: "x.pdf")]).canonical)
        let forged = SyncedAnswer(status: .met, rationale: "a\nevidence\u{1F}x.pdf\u{1F}\u{1F}\u{1F}")
        #expect(forged.canonical != SyncedAnswer(status: .met, rationale: "a", evidence: [EvidenceRef(location: "x.pdf")]).canonical)
        // nil and "" for an evidence hash are the same answer (the folder's YAML drops empty values).
        #expect(SyncedAnswer(status: .met, evidence: [EvidenceRef(location: "x", sha256: "")]).canonical
            == SyncedAnswer(status: .met, evidence: [EvidenceRef(location: "x", sha256: nil)]).canonical)
    }

    // MARK: the real binary against a live server

    /// Runs `tekigo` with a data directory of its own (no database: the built-in catalogs) and no inherited token.
    struct CLI {
        let binary: URL
        let dataDir: URL
        var outputs: [String] = []

        mutating func run(_ args: [String], token: String? = nil) async throws -> ProcessResult {
            let r = try await runProcessOffPool(binary, args, environment: [
                "TEKIGO_DATA_DIR": dataDir.path, "TEKIGO_DATABASE_URL": "", "TEKIGO_API_TOKEN": token ?? "", "LANG": "C", "LC_ALL": "",
            ])
            outputs.append(r.stdout)
            outputs.append(r.stderr)
            return r
        }
    }

    /// findings.yaml's status and note of each objective.
    static func folder(_ dir: URL) throws -> [String: (status: String, note: String)] {
        let text = try String(contentsOf: dir.appendingPathComponent("findings.yaml"), encoding: .utf8)
        let root = try #require(try Yams.load(yaml: text) as? [String: Any])
        var out: [String: (String, String)] = [:]
        for (_, requirement) in root["requirements"] as? [String: Any] ?? [:] {
            for (o, value) in (requirement as? [String: Any])?["objectives"] as? [String: Any] ?? [:] {
                let m = value as? [String: Any] ?? [:]
                out[o] = (m["status"] as? String ?? "", m["note"] as? String ?? "")
            }
        }
        return out
    }

    /// Every file of the folder (recursively), as text.
    static func contents(_ dir: URL) throws -> String {
        var all = ""
        for case let url as URL in FileManager.default.enumerator(at: dir, includingPropertiesForKeys: nil)! {
            if let data = FileManager.default.contents(atPath: url.path) { all += String(decoding: data, as: UTF8.self) }
        }
        return all
    }

    @Test("Issue 17 item 4: tekigo pull fills the folder; push sends folder edits; an objective changed on both sides is a conflict for that objective only (the others still go); pull leaves it and exits 3; --prefer server resolves; a read-only token, a wrong id, a catalog mismatch and plain http:// elsewhere are refused with nothing changed; the token never shows",
          arguments: TestDatabases.engines)
    func pullPushConflicts(_ engine: TestDatabases.Engine) async throws {
        let (app, services) = try await TestServer.make(engine)
        do {
            try await app.test(.live) { client in
                let port = try #require(client.port)
                let b = Browser(client)
                let (_, org) = try await bootstrapAdmin(b, services: services)
                let system = try await b.send(.post, "/api/v1/organizations/\(org)/systems", json: ["name": "本社工場ネットワーク"])
                let created = try await b.send(.post, "/api/v1/organizations/\(org)/assessments",
                                               json: ["systemId": try #require(system.json["id"] as? String), "catalog": "sp800-171r2", "date": "2026-11-27"])
                let assessment = try #require(created.json["id"] as? String)
                let api = "/api/v1/organizations/\(org)/assessments/\(assessment)"
                func serverFinding(_ o: String) async throws -> [String: Any] {
                    let page = try await b.send(.get, "\(api)/findings?limit=500")
                    return (page.json["items"] as? [[String: Any]] ?? []).first { $0["objective"] as? String == o } ?? [:]
                }
                func put(_ o: String, _ status: String, _ note: String) async throws {
                    let version = try await serverFinding(o)["version"] as? Int ?? 0
                    let encoded = o.replacingOccurrences(of: "[", with: "%5B").replacingOccurrences(of: "]", with: "%5D")
                    let r = try await b.send(.put, "\(api)/findings/\(encoded)", json: ["status": status, "rationale": note],
                                             headers: [.ifMatch: "\"\(version)\""])
                    try #require(r.status == .ok, "\(String(decoding: r.body, as: UTF8.self))")
                }
                try await put("3.1.1[a]", "met", "アカウント台帳で管理")
                try await put("3.1.2[a]", "not-met", "")
                let write = try #require(try await b.send(.post, "/api/v1/organizations/\(org)/tokens",
                                                          json: ["name": "cli", "scope": "write", "expiresInDays": 1]).json["token"] as? String)
                let read = try #require(try await b.send(.post, "/api/v1/organizations/\(org)/tokens",
                                                         json: ["name": "ro", "scope": "read", "expiresInDays": 1]).json["token"] as? String)

                var cli = CLI(binary: try TestEnvironment.tekigoBinary(), dataDir: try TestEnvironment.temporaryDirectory("tekigo-sync-data"))
                let dir = try TestEnvironment.temporaryDirectory("tekigo-sync-folder")
                let secrets = try TestEnvironment.temporaryDirectory("tekigo-sync-secrets")
                let tokenFile = secrets.appendingPathComponent("token")
                try Data((write + "\n").utf8).write(to: tokenFile)
                let server = "http://127.0.0.1:\(port)"
                #expect(try await cli.run(["init", dir.path, "--catalog", "sp800-171r2", "--lang", "en"]).status == 0)

                // Plain http:// to another machine is refused (the token would cross the network in clear); nothing linked.
                let clear = try await cli.run(["remote", "set", "http://192.0.2.10:8080", "--org", org, "--assessment", assessment, "--dir", dir.path, "--lang", "en"])
                #expect(clear.status == 2 && clear.stderr.contains("https://"), "\(clear.stderr)")
                #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent(".tekigo/remote.yaml").path))
                let linked = try await cli.run(["remote", "set", server, "--org", org, "--assessment", assessment, "--dir", dir.path, "--lang", "en"])
                #expect(linked.status == 0, "\(linked.stderr)")

                // First pull fills the folder.
                let first = try await cli.run(["pull", "--dir", dir.path, "--token-file", tokenFile.path, "--lang", "en"])
                #expect(first.status == 0, "\(first.stdout)\(first.stderr)")
                #expect(first.stdout.contains("Pulled 2 objectives"), "\(first.stdout)")
                var local = try Self.folder(dir)
                #expect(local["3.1.1[a]"]?.status == "met" && local["3.1.1[a]"]?.note == "アカウント台帳で管理")
                #expect(local["3.1.2[a]"]?.status == "not-met" && local["3.1.3[a]"]?.status == "not-assessed")

                // A folder edit goes to the server with push.
                let record = dir.appendingPathComponent("account-review.txt")
                try Data("2026-11 アカウント棚卸し".utf8).write(to: record)
                #expect(try await cli.run(["assess", "set", "3.1.3[a]", "met", "--note", "フォルダで回答", "--evidence", record.path, "--dir", dir.path]).status == 0)
                let dry = try await cli.run(["push", "--dry-run", "--dir", dir.path, "--lang", "en"], token: write)
                #expect(dry.status == 0 && dry.stdout.contains("Would send (1") && dry.stdout.contains("3.1.3[a]"), "\(dry.stdout)\(dry.stderr)")
                #expect(try await serverFinding("3.1.3[a]")["version"] as? Int == 0)
                let pushed = try await cli.run(["push", "--dir", dir.path, "--lang", "en"], token: write)
                #expect(pushed.status == 0 && pushed.stdout.contains("Sent 1 objectives"), "\(pushed.stdout)\(pushed.stderr)")
                var onServer = try await serverFinding("3.1.3[a]")
                #expect(onServer["status"] as? String == "met" && onServer["rationale"] as? String == "フォルダで回答")
                // Its evidence file went up first, so the server took the reference pinned by its hash.
                let evidence = (onServer["evidence"] as? [[String: Any]])?.first
                #expect(evidence?["location"] as? String == "account-review.txt"
                    && evidence?["sha256"] as? String == Hex.sha256(Data("2026-11 アカウント棚卸し".utf8)))

                // The server changes 3.1.4[a] meanwhile; the folder changes it too (differently) and 3.1.5[a]:
                // push reports 3.1.4[a] as a conflict with both answers and still sends 3.1.5[a].
                try await put("3.1.4[a]", "not-met", "サーバーで変更")
                #expect(try await cli.run(["assess", "set", "3.1.4[a]", "met", "--note", "フォルダで変更", "--dir", dir.path]).status == 0)
                #expect(try await cli.run(["assess", "set", "3.1.5[a]", "not-applicable", "--dir", dir.path]).status == 0)
                let conflicted = try await cli.run(["push", "--dir", dir.path, "--lang", "en"], token: write)
                #expect(conflicted.status == 3, "\(conflicted.stdout)\(conflicted.stderr)")
                #expect(conflicted.stdout.contains("Conflicts") && conflicted.stdout.contains("3.1.4[a]")
                    && conflicted.stdout.contains("フォルダで変更") && conflicted.stdout.contains("サーバーで変更"), "\(conflicted.stdout)")
                #expect(conflicted.stdout.contains("Sent 1 objectives to the server: 3.1.5[a]"), "\(conflicted.stdout)")
                #expect(try await serverFinding("3.1.5[a]")["status"] as? String == "not-applicable")
                onServer = try await serverFinding("3.1.4[a]")
                #expect(onServer["status"] as? String == "not-met" && onServer["rationale"] as? String == "サーバーで変更")

                // pull leaves the conflict as it is and exits 3 (in Japanese: both answers, per objective).
                let stillConflicted = try await cli.run(["pull", "--dir", dir.path, "--lang", "ja"], token: write)
                #expect(stillConflicted.status == 3, "\(stillConflicted.stdout)\(stillConflicted.stderr)")
                #expect(stillConflicted.stdout.contains("競合") && stillConflicted.stdout.contains("3.1.4[a]")
                    && stillConflicted.stdout.contains("このフォルダー: 適合") && stillConflicted.stdout.contains("不適合"), "\(stillConflicted.stdout)")
                local = try Self.folder(dir)
                #expect(local["3.1.4[a]"]?.status == "met" && local["3.1.4[a]"]?.note == "フォルダで変更")

                // --prefer server resolves it; then everything is in step.
                let resolved = try await cli.run(["pull", "--prefer", "server", "--dir", dir.path, "--lang", "en"], token: write)
                #expect(resolved.status == 0, "\(resolved.stdout)\(resolved.stderr)")
                local = try Self.folder(dir)
                #expect(local["3.1.4[a]"]?.status == "not-met" && local["3.1.4[a]"]?.note == "サーバーで変更")
                let quiet = try await cli.run(["push", "--dir", dir.path, "--lang", "en"], token: write)
                #expect(quiet.status == 0 && quiet.stdout.contains("Nothing to send"), "\(quiet.stdout)\(quiet.stderr)")

                // A read-only token: push refused in both languages, nothing on the server or in the folder changed.
                #expect(try await cli.run(["assess", "set", "3.1.6[a]", "met", "--dir", dir.path]).status == 0)
                let before = try Self.contents(dir)
                let readOnly = try await cli.run(["push", "--dir", dir.path, "--lang", "en"], token: read)
                #expect(readOnly.status == 1 && readOnly.stderr.contains("read-only token"), "\(readOnly.stderr)")
                let readOnlyJa = try await cli.run(["push", "--dir", dir.path, "--lang", "ja"], token: read)
                #expect(readOnlyJa.status == 1 && readOnlyJa.stderr.contains("読み取り専用"), "\(readOnlyJa.stderr)")
                #expect(try await serverFinding("3.1.6[a]")["version"] as? Int == 0)
                #expect(try Self.contents(dir) == before)
                // …but it may pull.
                let readPull = try await cli.run(["pull", "--dir", dir.path, "--lang", "en"], token: read)
                #expect(readPull.status == 0 && readPull.stdout.contains("1 objectives changed in this folder only"), "\(readPull.stdout)\(readPull.stderr)")

                // No token at all, a revoked-looking one: clear messages, exit codes 2 and 1.
                let none = try await cli.run(["pull", "--dir", dir.path, "--lang", "en"])
                #expect(none.status == 2 && none.stderr.contains("no API token"), "\(none.stderr)")
                let wrong = try await cli.run(["pull", "--dir", dir.path, "--lang", "en"], token: "tkg_not-a-real-token")
                #expect(wrong.status == 1 && wrong.stderr.contains("refused the API token"), "\(wrong.stderr)")

                // A wrong assessment id: 404 said plainly (ja and en); the folder untouched.
                let other = try TestEnvironment.temporaryDirectory("tekigo-sync-other")
                #expect(try await cli.run(["init", other.path, "--catalog", "sp800-171r2"]).status == 0)
                #expect(try await cli.run(["remote", "set", server, "--org", org, "--assessment", "no-such-assessment", "--dir", other.path]).status == 0)
                let otherBefore = try Self.contents(other)
                let missing = try await cli.run(["pull", "--dir", other.path, "--lang", "en"], token: write)
                #expect(missing.status == 1 && missing.stderr.contains("no such organization or assessment"), "\(missing.stderr)")
                let missingJa = try await cli.run(["pull", "--dir", other.path, "--lang", "ja"], token: write)
                #expect(missingJa.status == 1 && missingJa.stderr.contains("評価がありません"), "\(missingJa.stderr)")
                #expect(try Self.contents(other) == otherBefore)

                // A folder of another catalog: refused, naming both.
                let rev3 = try TestEnvironment.temporaryDirectory("tekigo-sync-rev3")
                #expect(try await cli.run(["init", rev3.path, "--catalog", "sp800-171r3"]).status == 0)
                #expect(try await cli.run(["remote", "set", server, "--org", org, "--assessment", assessment, "--dir", rev3.path]).status == 0)
                let mismatch = try await cli.run(["push", "--dir", rev3.path, "--lang", "en"], token: write)
                #expect(mismatch.status == 1 && mismatch.stderr.contains("sp800-171r3") && mismatch.stderr.contains("sp800-171r2"), "\(mismatch.stderr)")

                // Nobody listening: "cannot reach", nothing written.
                let gone = try TestEnvironment.temporaryDirectory("tekigo-sync-gone")
                #expect(try await cli.run(["init", gone.path]).status == 0)
                #expect(try await cli.run(["remote", "set", "http://127.0.0.1:1", "--org", org, "--assessment", assessment, "--dir", gone.path]).status == 0)
                let unreachable = try await cli.run(["pull", "--dir", gone.path, "--lang", "en"], token: write)
                #expect(unreachable.status == 1 && unreachable.stderr.contains("cannot reach the server"), "\(unreachable.stderr)")

                // The token never appears in any output or in the folder's files.
                let shown = try await cli.run(["remote", "show", "--dir", dir.path, "--lang", "en"], token: write)
                #expect(shown.status == 0 && shown.stdout.contains("$TEKIGO_API_TOKEN is set"))
                for text in cli.outputs + [try Self.contents(dir), try Self.contents(other)] {
                    #expect(!text.contains(write) && !text.contains(read))
                }
            }
        } catch {
            await services.db.close()
            throw error
        }
        await services.db.close()
    }

    @Test("Issue 17 item 4: a new folder from the server — `tekigo remote set` in a folder that does not exist yet, then `tekigo pull` makes it the server's assessment (organization, system, catalog, date and the organization's regime) with every answer; a catalog this machine lacks is refused with nothing written; in Japanese",
          arguments: TestDatabases.engines)
    func pullIntoNewFolder(_ engine: TestDatabases.Engine) async throws {
        let (app, services) = try await TestServer.make(engine)
        do {
            try await app.test(.live) { client in
                let port = try #require(client.port)
                let b = Browser(client)
                let (_, org) = try await bootstrapAdmin(b, services: services)
                #expect(try await b.send(.patch, "/api/v1/organizations/\(org)", json: ["regime": "japanese"]).status == .ok)
                let orgName = try #require(try await b.send(.get, "/api/v1/organizations/\(org)").json["name"] as? String)
                let system = try await b.send(.post, "/api/v1/organizations/\(org)/systems",
                                              json: ["name": "本社工場ネットワーク", "boundary": "本社棟の LAN と加工機"])
                let systemID = try #require(system.json["id"] as? String)
                func assessment(_ catalog: String) async throws -> String {
                    let created = try await b.send(.post, "/api/v1/organizations/\(org)/assessments",
                                                   json: ["systemId": systemID, "catalog": catalog, "date": "2026-11-27"])
                    return try #require(created.json["id"] as? String, "\(String(decoding: created.body, as: UTF8.self))")
                }
                let onServer = try await assessment("sp800-171r2")
                let findings = try await b.send(.get, "/api/v1/organizations/\(org)/assessments/\(onServer)/findings?limit=500")
                let version = (findings.json["items"] as? [[String: Any]] ?? []).first { $0["objective"] as? String == "3.1.1[a]" }?["version"] as? Int ?? 0
                let answered = try await b.send(.put, "/api/v1/organizations/\(org)/assessments/\(onServer)/findings/3.1.1%5Ba%5D",
                                                json: ["status": "met", "rationale": "アカウント台帳で管理"], headers: [.ifMatch: "\"\(version)\""])
                try #require(answered.status == .ok, "\(String(decoding: answered.body, as: UTF8.self))")
                let token = try #require(try await b.send(.post, "/api/v1/organizations/\(org)/tokens",
                                                          json: ["name": "cli", "scope": "read", "expiresInDays": 1]).json["token"] as? String)
                var cli = CLI(binary: try TestEnvironment.tekigoBinary(), dataDir: try TestEnvironment.temporaryDirectory("tekigo-sync-new-data"))
                let server = "http://127.0.0.1:\(port)"
                let dir = try TestEnvironment.temporaryDirectory("tekigo-sync-new").appendingPathComponent("本社工場 2026")

                let linked = try await cli.run(["remote", "set", server, "--org", org, "--assessment", onServer, "--dir", dir.path, "--lang", "ja"])
                #expect(linked.status == 0 && linked.stdout.contains("pull がサーバーの評価から作ります"), "\(linked.stdout) \(linked.stderr)")
                #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("tekigo.yaml").path))
                let pulled = try await cli.run(["pull", "--dir", dir.path, "--lang", "ja"], token: token)
                #expect(pulled.status == 0, "\(pulled.stderr)")
                #expect(pulled.stdout.contains("評価フォルダーを作りました") && pulled.stdout.contains("サーバーから 1 件の評価目標を取り込みました"),
                        "\(pulled.stdout)")
                let config = try String(contentsOf: dir.appendingPathComponent("tekigo.yaml"), encoding: .utf8)
                #expect(config.contains("regime: japanese") && config.contains(orgName) && config.contains("本社工場ネットワーク")
                        && config.contains("本社棟の LAN と加工機") && config.contains("2026-11-27") && config.contains("sp800-171r2"), "\(config)")
                let folder = try Self.folder(dir)
                #expect(folder["3.1.1[a]"]?.status == "met" && folder["3.1.1[a]"]?.note == "アカウント台帳で管理")
                #expect(folder.values.filter { $0.status != "not-assessed" }.count == 1)
                // The folder works under the organization's regime at once, and the next pull finds nothing new.
                let score = try await cli.run(["score", "--dir", dir.path, "--lang", "ja"])
                #expect(score.status == 0 && score.stdout.contains("全項目適合に未達") && !score.stdout.contains("SPRS: "), "\(score.stdout)")
                let again = try await cli.run(["pull", "--dir", dir.path, "--lang", "ja"], token: token)
                #expect(again.status == 0 && again.stdout.contains("サーバーからの変更はありません"), "\(again.stdout)")

                // An assessment of a catalog imported on the server only: refused, naming it, and the folder stays a bare link.
                let imported = try await b.send(.post, "/api/v1/catalogs/item-tables?id=atla-example&name=%E4%BE%8B%E7%A4%BA",
                                                raw: try JapaneseStandardPageTests.example, headers: [.contentType: "text/csv"])
                try #require(imported.status == .created, "\(String(decoding: imported.body, as: UTF8.self))")
                let custom = try await assessment("atla-example")
                let lacking = try TestEnvironment.temporaryDirectory("tekigo-sync-lacking")
                #expect(try await cli.run(["remote", "set", server, "--org", org, "--assessment", custom, "--dir", lacking.path]).status == 0)
                let refused = try await cli.run(["pull", "--dir", lacking.path, "--lang", "ja"], token: token)
                #expect(refused.status == 1 && refused.stderr.contains("atla-example") && refused.stderr.contains("tekigo catalog import")
                        && refused.stderr.contains("何も書き込んでいません"), "\(refused.stderr)")
                #expect(!FileManager.default.fileExists(atPath: lacking.appendingPathComponent("tekigo.yaml").path))
                for text in cli.outputs + [try Self.contents(dir)] { #expect(!text.contains(token)) }
            }
        } catch {
            await services.db.close()
            throw error
        }
        await services.db.close()
    }

    @Test("Issue 17 item 4: push — a save on the server between the read and the write (412) is a conflict for that objective only, the others still go and only they are recorded; a file cited by hash is uploaded first, a missing one refuses only its objective; --prefer local then pushes the folder's answer; a token revoked mid-push stops it with what went before recorded",
          arguments: TestDatabases.engines)
    func conflictBetweenReadAndWrite(_ engine: TestDatabases.Engine) async throws {
        let (app, services) = try await TestServer.make(engine)
        do {
            try await app.test(.live) { client in
                let port = try #require(client.port)
                let b = Browser(client)
                let (_, org) = try await bootstrapAdmin(b, services: services)
                let system = try await b.send(.post, "/api/v1/organizations/\(org)/systems", json: ["name": "CUI enclave"])
                let created = try await b.send(.post, "/api/v1/organizations/\(org)/assessments",
                                               json: ["systemId": try #require(system.json["id"] as? String), "date": "2026-11-27"])
                let assessment = try #require(created.json["id"] as? String)
                let api = "/api/v1/organizations/\(org)/assessments/\(assessment)"
                let token = try await b.send(.post, "/api/v1/organizations/\(org)/tokens", json: ["name": "cli", "scope": "write", "expiresInDays": 1])
                let write = try #require(token.json["token"] as? String)
                let tokenID = try #require(token.json["id"] as? String)

                let ws = AssessmentWorkspace(directory: try TestEnvironment.temporaryDirectory("tekigo-sync-412"), library: try BuiltInLibrary.shared)
                try ws.create(Assessment(organization: Organization(name: "株式会社サンプル精機"), system: SystemProfile(name: "CUI enclave"),
                                         date: try #require(Day("2026-11-27"))))
                let link = try RemoteLink(server: "http://127.0.0.1:\(port)", organization: org, assessment: assessment)
                try ws.setRemote(link)
                // 3.1.3[a] cites a file of the folder by hash (uploaded by the push); 3.1.7[a] one that is gone.
                let policy = Data("アクセス制御規程 第3版".utf8)
                try policy.write(to: ws.directory.appendingPathComponent("policy.txt"))
                let pinned = EvidenceRef(location: "policy.txt", sha256: Hex.sha256(policy), size: policy.count)
                try ws.update {
                    $0.findings["3.1.1[a]"] = Finding(status: .met, rationale: "フォルダ")
                    $0.findings["3.1.2[a]"] = Finding(status: .met)
                    $0.findings["3.1.3[a]"] = Finding(status: .notMet, evidence: [pinned])
                    $0.findings["3.1.7[a]"] = Finding(status: .met, evidence: [EvidenceRef(location: "gone.pdf", sha256: String(repeating: "a", count: 64))])
                }
                let remote = AssessmentServerClient(link: link, token: write)
                let folder = ws.directory
                let first = try await ws.push(link, server: try await remote.findings(), dryRun: false) { o, answer, version throws(RemoteError) in
                    try await remote.uploadPinnedEvidence(answer.evidence, folder: folder)
                    if o == "3.1.1[a]" {
                        // Someone saves 3.1.1[a] on the server after the push read the findings.
                        let meanwhile = try? await b.send(.put, "\(api)/findings/3.1.1%5Ba%5D", json: ["status": "not-met", "rationale": "サーバー"],
                                                          headers: [.ifMatch: "\"0\""])
                        #expect(meanwhile?.status == .ok)
                    }
                    return try await remote.put(o, answer, ifVersion: version)
                }
                #expect(first.changedMeanwhile == ["3.1.1[a]"] && first.conflicts.isEmpty)
                #expect(first.pushed == ["3.1.2[a]", "3.1.3[a]"])
                #expect(first.rejected.map(\.objective) == ["3.1.7[a]"] && first.rejected.first?.reason.en.contains("gone.pdf") == true)
                var state = try ws.syncState(for: link)
                #expect(state.objectives["3.1.1[a]"] == nil && state.objectives["3.1.2[a]"]?.version == 1)
                var server = Dictionary(try await remote.findings().map { ($0.objective, $0) }, uniquingKeysWith: { a, _ in a })
                #expect(server["3.1.1[a]"]?.answer == SyncedAnswer(status: .notMet, rationale: "サーバー"))
                #expect(server["3.1.3[a]"]?.answer.evidence == [pinned])
                #expect(server["3.1.7[a]"]?.version == 0)

                // --prefer local keeps the folder's answer and the next push sends it over the server's.
                let kept = try ws.pull(link, server: try await remote.findings(), prefer: .local)
                #expect(kept.keptLocal == ["3.1.1[a]"] && kept.pulled.isEmpty && kept.conflicts.isEmpty)
                let second = try await ws.push(link, server: try await remote.findings(), dryRun: false) { o, answer, version throws(RemoteError) in
                    try await remote.put(o, answer, ifVersion: version)
                }
                #expect(second.pushed == ["3.1.1[a]"] && second.conflicts.isEmpty)
                server = Dictionary(try await remote.findings().map { ($0.objective, $0) }, uniquingKeysWith: { a, _ in a })
                #expect(server["3.1.1[a]"]?.answer == SyncedAnswer(status: .met, rationale: "フォルダ") && server["3.1.1[a]"]?.version == 2)

                // The token is revoked between two PUTs: the push stops with 401; the first objective is recorded, the second not.
                try ws.update {
                    $0.findings["3.1.4[a]"] = Finding(status: .met)
                    $0.findings["3.1.5[a]"] = Finding(status: .met)
                }
                do {
                    _ = try await ws.push(link, server: try await remote.findings(), dryRun: false) { o, answer, version throws(RemoteError) in
                        if o == "3.1.5[a]" {
                            let revoked = try? await b.send(.delete, "/api/v1/organizations/\(org)/tokens/\(tokenID)")
                            #expect(revoked?.status == .noContent)
                        }
                        return try await remote.put(o, answer, ifVersion: version)
                    }
                    Issue.record("the push went on with a revoked token")
                } catch let e as PushInterrupted {
                    #expect(e.pushed == ["3.1.4[a]"] && e.error == .unauthenticated)
                }
                state = try ws.syncState(for: link)
                #expect(state.objectives["3.1.4[a]"]?.version == 1)
                // 3.1.5[a]'s base is still "unanswered at version 0": the next push sends it again.
                #expect(state.objectives["3.1.5[a]"] == SyncPoint(version: 0, digest: SyncedAnswer.unanswered.digest))
                let status = try await b.send(.get, "\(api)/findings?limit=500")
                let items = status.json["items"] as? [[String: Any]] ?? []
                #expect(items.first { $0["objective"] as? String == "3.1.5[a]" }?["version"] as? Int == 0)
            }
        } catch {
            await services.db.close()
            throw error
        }
        await services.db.close()
    }
}
