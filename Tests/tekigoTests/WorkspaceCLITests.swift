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

        // 32 CFR 170.21(b): 180 days from the Conditional CMMC Status Date, the date the results are posted. Until
        // that date is recorded, the deadline counts from the assessment date and says it is an estimate.
        #expect(json["cmmcCloseoutEstimated"] as? Bool == true)
        var text = try tekigo(["score", "--dir", folder.path, "--lang", "ja"])
        #expect(text.stdout.contains("SPRS: 109 / 110"))
        #expect(text.stdout.contains("レベル2 条件付き"))
        #expect(text.stdout.contains("見込み: 評価日 2026-11-27 から 180 日"), "\(text.stdout)")
        #expect(try tekigo(["score", "--dir", folder.path, "--lang", "en"]).stdout.contains("estimate: 180 days from the assessment date"))

        let early = try tekigo(["assess", "posted", "2026-11-26", "--dir", folder.path, "--lang", "en"])
        #expect(early.status == 2)
        #expect(early.stderr.contains("before the assessment date"), "\(early.stderr)")
        let future = try tekigo(["assess", "posted", "2999-01-01", "--dir", folder.path, "--lang", "en"])
        #expect(future.status == 2)
        #expect(future.stderr.contains("in the future"), "\(future.stderr)")
        let posted = try tekigo(["assess", "posted", "2026-12-01", "--dir", folder.path, "--lang", "en"])
        #expect(posted.status == 0, "\(posted.stderr)")
        #expect(try String(contentsOf: folder.appendingPathComponent("tekigo.yaml"), encoding: .utf8).contains("resultsPostedOn: 2026-12-01"))
        score = try tekigo(["score", "--dir", folder.path, "--format", "json"])
        json = try #require(try JSONSerialization.jsonObject(with: Data(score.stdout.utf8)) as? [String: Any])
        #expect(json["cmmcCloseoutDue"] as? String == "2027-05-30")
        #expect(json["cmmcCloseoutEstimated"] as? Bool == false)
        #expect(json["resultsPostedOn"] as? String == "2026-12-01")
        text = try tekigo(["score", "--dir", folder.path, "--lang", "ja"])
        #expect(text.stdout.contains("2027-05-30"))
        #expect(!text.stdout.contains("見込み:"))
        #expect(text.stdout.contains("結果の登録日 2026-12-01 から 180 日"), "\(text.stdout)")
        #expect(try tekigo(["assess", "posted", "none", "--dir", folder.path]).status == 0)
        score = try tekigo(["score", "--dir", folder.path, "--format", "json"])
        json = try #require(try JSONSerialization.jsonObject(with: Data(score.stdout.utf8)) as? [String: Any])
        #expect(json["cmmcCloseoutDue"] as? String == "2027-05-26")
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

    /// Replaces `old` in a folder file (which must contain it once), returning the new text and the 1-based line
    /// of the first line of `new`.
    func edit(_ name: String, replacing old: String, with new: String) throws -> (text: String, line: Int) {
        let file = folder.appendingPathComponent(name)
        let text = try String(contentsOf: file, encoding: .utf8)
        #expect(text.components(separatedBy: old).count == 2, "\(name) holds '\(old)' once")
        let changed = text.replacingOccurrences(of: old, with: new)
        try Data(changed.utf8).write(to: file)
        let prefix = changed.components(separatedBy: new)[0]
        return (changed, prefix.components(separatedBy: "\n").count)
    }

    @Test("A list field written as a mapping (evidence, milestones, components) is an error naming file and line, and `tekigo assess set` rewrites nothing (issue #11 item 13)")
    func wronglyShapedLists() throws {
        try initFolder()
        let set = ["assess", "set", "3.1.1[b]", "met", "--dir", folder.path]
        // evidence: a mapping instead of a list of entries.
        let (findings, evidenceLine) = try edit("findings.yaml", replacing: "      3.1.2[a]:\n        status: not-assessed\n",
                                                with: "      3.1.2[a]:\n        status: met\n        evidence:\n          location: policy.pdf\n")
        var r = try tekigo(set)
        #expect(r.status == 1)
        #expect(r.stderr.contains("findings.yaml:\(evidenceLine + 3): evidence of 3.1.2[a] must be a list"), "\(r.stderr)")
        #expect(try String(contentsOf: folder.appendingPathComponent("findings.yaml"), encoding: .utf8) == findings)
        // The same key twice in one objective is refused too, naming its line (not the whole file, as the parser does).
        _ = try edit("findings.yaml", replacing: "        evidence:\n          location: policy.pdf\n", with: "        status: met\n")
        r = try tekigo(set)
        #expect(r.status == 1)
        #expect(r.stderr.contains("findings.yaml:\(evidenceLine + 1): not valid YAML: 'status' appears more than once in one mapping"),
                "\(r.stderr)")
        #expect(!r.stderr.contains("3.1.1[a]"), "the message repeats the file")
        _ = try edit("findings.yaml", replacing: "        status: met\n        status: met\n", with: "        status: met\n")
        #expect(try tekigo(set).status == 0)

        // milestones: a mapping instead of a list.
        let poam = """
            version: 1
            items:
              - requirement: 3.1.8
                weakness: no lockout
                milestones:
                  description: deploy lockout
                  due: 2027-01-15

            """
        try Data(poam.utf8).write(to: folder.appendingPathComponent("poam.yaml"))
        let findingsBefore = try String(contentsOf: folder.appendingPathComponent("findings.yaml"), encoding: .utf8)
        r = try tekigo(set)
        #expect(r.status == 1)
        #expect(r.stderr.contains("poam.yaml:6: milestones of the POA&M item for 3.1.8 must be a list"), "\(r.stderr)")
        #expect(try String(contentsOf: folder.appendingPathComponent("poam.yaml"), encoding: .utf8) == poam)
        #expect(try String(contentsOf: folder.appendingPathComponent("findings.yaml"), encoding: .utf8) == findingsBefore)

        // Two POA&M items for one requirement are refused, naming both lines.
        let twice = """
            version: 1
            items:
              - requirement: 3.1.8
                weakness: no lockout
                scheduledCompletion: 2027-01-15
              - requirement: 3.1.8
                weakness: lockout too lax

            """
        try Data(twice.utf8).write(to: folder.appendingPathComponent("poam.yaml"))
        r = try tekigo(set)
        #expect(r.status == 1)
        #expect(r.stderr.contains("poam.yaml:6: a second POA&M item for 3.1.8 (the first is on line 3)"), "\(r.stderr)")
        #expect(try String(contentsOf: folder.appendingPathComponent("poam.yaml"), encoding: .utf8) == twice)
        try Data("version: 1\nitems: []\n".utf8).write(to: folder.appendingPathComponent("poam.yaml"))

        // components: a mapping instead of a list.
        let (config, componentsLine) = try edit("tekigo.yaml", replacing: "  components: []\n",
                                                with: "  components:\n    name: firewall\n    type: appliance\n")
        r = try tekigo(set)
        #expect(r.status == 1)
        #expect(r.stderr.contains("tekigo.yaml:\(componentsLine + 1): system.components must be a list"), "\(r.stderr)")
        #expect(try String(contentsOf: folder.appendingPathComponent("tekigo.yaml"), encoding: .utf8) == config)
        _ = try edit("tekigo.yaml", replacing: "  components:\n    name: firewall\n    type: appliance\n",
                     with: "  components:\n    - name: firewall\n      type: appliance\n")
        #expect(try tekigo(set).status == 0)
        #expect(try String(contentsOf: folder.appendingPathComponent("tekigo.yaml"), encoding: .utf8).contains("name: firewall"))
    }

    @Test("Each file's version is checked: a missing or unknown version is an error naming file and line (issue #11 item 13)")
    func versionChecked() throws {
        try initFolder()
        let set = ["assess", "set", "3.1.1[b]", "met", "--dir", folder.path]
        let (config, line) = try edit("tekigo.yaml", replacing: "version: 1\n", with: "version: 2\n")
        var r = try tekigo(set)
        #expect(r.status == 1)
        #expect(r.stderr.contains("tekigo.yaml:\(line): version 2 is not a version this Tekigo reads (1)"), "\(r.stderr)")
        #expect(try String(contentsOf: folder.appendingPathComponent("tekigo.yaml"), encoding: .utf8) == config)
        _ = try edit("tekigo.yaml", replacing: "version: 2\n", with: "version: 1\n")
        _ = try edit("poam.yaml", replacing: "version: 1\n", with: "")
        r = try tekigo(set)
        #expect(r.status == 1)
        #expect(r.stderr.contains("poam.yaml:"), "\(r.stderr)")
        #expect(r.stderr.contains("version is missing"), "\(r.stderr)")
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
