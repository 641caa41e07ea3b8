import Foundation
import Testing
import TekigoTestSupport

/// Issue 11 item 11 from the command line: a custom catalog id that is a path or holds `:` is refused with what an id
/// looks like, and nothing is stored.
@Suite("tekigo catalog import: the id rule (command line)")
struct ImportRulesCLITests {
    @Test("--id ../../etc and --id x:y are refused, naming the rule; a good id is imported")
    func badIDs() throws {
        let binary = try TestEnvironment.tekigoBinary()
        let dir = try TestEnvironment.temporaryDirectory("tekigo-cli-ids")
        let example = TestEnvironment.packageRoot.appendingPathComponent("examples/custom-catalog/jp-sample-catalog.json")
        func tekigo(_ args: String...) throws -> ProcessResult {
            try runProcess(binary, args + ["--data-dir", dir.path], environment: ["LANG": "C.UTF-8", "LC_ALL": ""])
        }
        for id in ["../../etc", "x:y"] {
            let r = try tekigo("catalog", "import", example.path, "--id", id, "--lang", "en")
            #expect(r.status != 0)
            #expect(r.stderr.contains("'\(id)' is not a valid catalog id"), "\(r.stderr)")
            #expect(r.stderr.contains("--id"))
        }
        let list = try tekigo("catalog", "imports", "--format", "json")
        #expect((try JSONSerialization.jsonObject(with: Data(list.stdout.utf8)) as? [Any])?.isEmpty == true)
        let ok = try tekigo("catalog", "import", example.path, "--id", "jp-sample", "--lang", "en")
        #expect(ok.status == 0, "\(ok.stderr)")
    }
}
