import Foundation
import Testing
import TekigoTestSupport

/// The offline one-person-shop flow: init → assess → score → status → poam, run as a user would.
@Suite("tekigo init / assess / score (command line)")
struct WorkspaceCLITests {
    let binary: URL
    let folder: URL

    init() throws {
        binary = try TestEnvironment.tekigoBinary()
        folder = try TestEnvironment.temporaryDirectory("tekigo-ws").appendingPathComponent("assessment")
    }

    @discardableResult
    func tekigo(_ args: [String]) throws -> ProcessResult {
        try runProcess(binary, args, environment: ["LANG": "C.UTF-8", "TEKIGO_DATA_DIR": folder.deletingLastPathComponent().appendingPathComponent("data").path])
    }

    func initFolder() throws {
        let r = try tekigo(["init", folder.path, "--org", "Test Works", "--cage", "1ABC2", "--date", "2026-11-27", "--lang", "en"])
        #expect(r.status == 0, "\(r.stderr)")
    }

    func setAllMet() throws {
        // One call per family keeps the test fast: a requirement id sets all its objectives.
        let list = try tekigo(["catalog", "list", "--format", "csv"])
        for id in list.stdout.split(whereSeparator: \.isNewline).dropFirst().map({ String($0.split(separator: ",")[0]) }) {
            let r = try tekigo(["assess", "set", id, "met", "--dir", folder.path])
            #expect(r.status == 0, "\(id): \(r.stderr)")
        }
    }

    @Test("From an empty folder to a score: init, answer, score 110, then a gap and its POA&M")
    func fullFlow() throws {
        try initFolder()
        let findings = try String(contentsOf: folder.appendingPathComponent("findings.yaml"), encoding: .utf8)
        #expect(findings.components(separatedBy: "status: not-assessed").count - 1 == 320)
        try setAllMet()
        var score = try tekigo(["score", "--dir", folder.path, "--format", "json"])
        var json = try #require(try JSONSerialization.jsonObject(with: Data(score.stdout.utf8)) as? [String: Any])
        #expect(json["score"] as? Int == 110)
        #expect(json["cmmcStatus"] as? String == "final")
        #expect(json["answered"] as? Int == 320)

        let evidence = folder.appendingPathComponent("lockout.txt")
        try Data("screenshot".utf8).write(to: evidence)
        try tekigo(["assess", "set", "3.1.8[b]", "not-met", "--note", "no lockout", "--evidence", evidence.path, "--dir", folder.path])
        score = try tekigo(["score", "--dir", folder.path, "--format", "json"])
        json = try #require(try JSONSerialization.jsonObject(with: Data(score.stdout.utf8)) as? [String: Any])
        // −1 for 3.1.8, −3 for 3.12.2 because the gap has no dated plan yet (Methodology §5).
        #expect(json["score"] as? Int == 106)
        let yaml = try String(contentsOf: folder.appendingPathComponent("findings.yaml"), encoding: .utf8)
        #expect(yaml.contains("location: lockout.txt"))
        #expect(yaml.contains("sha256: 4441146b0fe1d5c6845af126ba5ce6003ea77d6b4cb04d14114f86a925c5dbca"))

        let gen = try tekigo(["poam", "generate", "--dir", folder.path, "--lang", "en"])
        #expect(gen.stdout.contains("3.1.8"))
        var poam = try String(contentsOf: folder.appendingPathComponent("poam.yaml"), encoding: .utf8)
        poam = poam.replacingOccurrences(of: "  status: open", with: "  status: open\n  scheduledCompletion: 2027-01-31")
        try Data(poam.utf8).write(to: folder.appendingPathComponent("poam.yaml"))
        score = try tekigo(["score", "--dir", folder.path, "--format", "json"])
        json = try #require(try JSONSerialization.jsonObject(with: Data(score.stdout.utf8)) as? [String: Any])
        #expect(json["score"] as? Int == 109)
        #expect(json["cmmcStatus"] as? String == "conditional")
        #expect(json["cmmcCloseoutDue"] as? String == "2027-05-26")
        #expect(json["poamCompletionDate"] as? String == "2027-01-31")

        let text = try tekigo(["score", "--dir", folder.path, "--lang", "ja"])
        #expect(text.stdout.contains("SPRS: 109 / 110"))
        #expect(text.stdout.contains("レベル2 条件付き"))
    }

    @Test("`tekigo assess` walks unanswered objectives with progress, saves each answer, and stops cleanly")
    func interactive() throws {
        try initFolder()
        let r = try runProcess(binary, ["assess", "--dir", folder.path, "--lang", "en", "--by", "Hanako"],
                               environment: ["LANG": "C.UTF-8"], input: "m\nchecked the account list\nx\nn\n\na\n\nq\n")
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("[0/320] 3.1.1[a]"))
        #expect(r.stdout.contains("[1/320] 3.1.1[b]"))
        #expect(r.stdout.contains("Answered 3/320"))
        let yaml = try String(contentsOf: folder.appendingPathComponent("findings.yaml"), encoding: .utf8)
        #expect(yaml.contains("note: checked the account list"))
        #expect(yaml.contains("by: Hanako"))
        let status = try tekigo(["status", "--dir", folder.path, "--lang", "en"])
        #expect(status.stdout.contains("Answered 3/320"))
        // End of input stops the walk without losing what was answered.
        let eof = try runProcess(binary, ["assess", "--dir", folder.path, "--lang", "ja"], environment: ["LANG": "C.UTF-8"], input: "m\n")
        #expect(eof.status == 0)
        #expect(eof.stdout.contains("回答済み 4/320"))
    }

    @Test("Partial-credit answers: allowed on 3.13.11, refused on other requirements")
    func answers() throws {
        try initFolder()
        let ok = try tekigo(["assess", "requirement", "3.13.11", "--encryption", "not-fips-validated", "--dir", folder.path])
        #expect(ok.status == 0)
        let bad = try tekigo(["assess", "requirement", "3.1.1", "--mfa", "none", "--dir", folder.path])
        #expect(bad.status == 2)
        #expect(bad.stderr.contains("mfa applies only"))
        let np = try tekigo(["assess", "requirement", "3.1.1", "--not-permitted", "true", "--dir", folder.path])
        #expect(np.status == 2)
    }

    @Test("Bad input names file, line and a suggestion; nothing is written")
    func badInput() throws {
        try initFolder()
        let unknown = try tekigo(["assess", "set", "3.1.1[z]", "met", "--dir", folder.path])
        #expect(unknown.status == 2)
        #expect(unknown.stderr.contains("Did you mean '3.1.1[a]'"))
        let status = try tekigo(["assess", "set", "3.1.1[a]", "done", "--dir", folder.path])
        #expect(status.status == 2)
        #expect(status.stderr.contains("invalid status 'done'"))

        let file = folder.appendingPathComponent("findings.yaml")
        var yaml = try String(contentsOf: file, encoding: .utf8)
        let original = yaml
        // A typo in an objective id on a known line.
        yaml = yaml.replacingOccurrences(of: "      3.1.2[b]:", with: "      3.1.2[x]:")
        try Data(yaml.utf8).write(to: file)
        let lineOfTypo = yaml.components(separatedBy: "\n").firstIndex { $0.contains("3.1.2[x]") }! + 1
        let r = try tekigo(["score", "--dir", folder.path])
        #expect(r.status == 1)
        #expect(r.stderr.contains("findings.yaml:\(lineOfTypo): '3.1.2[x]' is not an objective of 3.1.2; did you mean '3.1.2[a]'") ||
                r.stderr.contains("findings.yaml:\(lineOfTypo): '3.1.2[x]' is not an objective of 3.1.2; did you mean '3.1.2[b]'"))
        // An invalid status value.
        try Data(original.replacingOccurrences(of: "status: not-assessed", with: "status: mett").utf8).write(to: file)
        let s = try tekigo(["score", "--dir", folder.path])
        #expect(s.stderr.contains("status 'mett' is not one of"))
        #expect(s.stderr.contains("Did you mean 'met'?"))
        // Malformed YAML.
        try Data((original + "  broken: [unclosed\n").utf8).write(to: file)
        let m = try tekigo(["score", "--dir", folder.path])
        #expect(m.status == 1)
        #expect(m.stderr.contains("findings.yaml:"))
        #expect(m.stderr.contains("not valid YAML"))
        // A failed command did not rewrite the file.
        #expect(try String(contentsOf: file, encoding: .utf8).hasSuffix("broken: [unclosed\n"))
        // init refuses to overwrite.
        let again = try tekigo(["init", folder.path])
        #expect(again.status == 1)
        #expect(again.stderr.contains("already exists"))
    }

    @Test("Concurrent tekigo processes on one folder lose no answer")
    func concurrentWriters() async throws {
        try initFolder()
        let ids = ["3.1.1", "3.1.2", "3.1.3", "3.1.4", "3.1.5", "3.1.6", "3.1.7", "3.1.8"]
        let binary = binary, folder = folder
        try await withThrowingTaskGroup(of: Int32.self) { group in
            for id in ids {
                group.addTask {
                    try runProcess(binary, ["assess", "set", id, "met", "--dir", folder.path]).status
                }
            }
            for try await status in group { #expect(status == 0) }
        }
        let score = try tekigo(["score", "--dir", folder.path, "--format", "json"])
        let json = try #require(try JSONSerialization.jsonObject(with: Data(score.stdout.utf8)) as? [String: Any])
        let expected = 6 + 2 + 5 + 3 + 4 + 2 + 4 + 2  // objectives of 3.1.1 … 3.1.8
        #expect(json["answered"] as? Int == expected)
    }
}
