import Foundation
import Testing
import TekigoTestSupport

/// Issue 17 item 1 on the command line: the built-in guidance in `tekigo catalog show`, the guided walk
/// `tekigo assess` and, on request, the SSP — in Japanese and English, read back against the shipped files.
@Suite("Guidance on the command line (issue 17 item 1)")
struct GuidanceCLITests {
    let binary: URL
    let root: URL

    init() throws {
        binary = try TestEnvironment.tekigoBinary()
        root = try TestEnvironment.temporaryDirectory("tekigo-guidance")
    }

    @discardableResult
    func tekigo(_ args: [String], input: String? = nil) throws -> ProcessResult {
        try runProcess(binary, args, environment: ["LANG": "C.UTF-8", "TEKIGO_DATABASE_URL": "",
                                                   "TEKIGO_DATA_DIR": root.appendingPathComponent("data").path],
                       input: input)
    }

    /// One requirement's guidance as shipped (`Resources/guidance/<catalog>/<family>.json`).
    static func shipped(_ catalog: String, _ family: String, _ id: String) throws -> [String: Any] {
        let url = TestEnvironment.packageRoot.appendingPathComponent("Sources/TekigoCore/Resources/guidance/\(catalog)/\(family).json")
        let file = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [String: Any])
        let requirements = try #require(file["requirements"] as? [String: Any])
        return try #require(requirements[id] as? [String: Any])
    }

    static func text(_ node: Any?, _ lang: String) -> String { (node as? [String: String])?[lang] ?? "" }

    @Test("Issue 17 item 1: `catalog show 3.1.1` prints what it asks, the ways to meet it, the assessor's three methods, evidence and each objective's sentence — in Japanese and in English, and in its JSON")
    func catalogShow() throws {
        let g = try Self.shipped("sp800-171r2", "3.1", "3.1.1")
        let objectives = try #require(g["objectives"] as? [String: Any])
        for (lang, heading, asksLabel) in [("ja", "ガイダンス（Tekigo が作成。公式の文言ではありません）", "求められていること"),
                                           ("en", "Guidance (written by Tekigo, not the official wording)", "What it asks")] {
            let r = try tekigo(["catalog", "show", "3.1.1", "--lang", lang])
            #expect(r.status == 0, "\(r.stderr)")
            #expect(r.stdout.contains(heading))
            #expect(r.stdout.contains(asksLabel))
            #expect(r.stdout.contains(Self.text(g["asks"], lang)))
            #expect(r.stdout.contains(Self.text(g["test"], lang)))
            for option in try #require(g["options"] as? [Any]) { #expect(r.stdout.contains(Self.text(option, lang))) }
            #expect(r.stdout.contains("3.1.1[f]  " + Self.text(objectives["3.1.1[f]"], lang)))
        }
        let json = try tekigo(["catalog", "show", "03.05.03", "--format", "json"])
        #expect(json.status == 0, "\(json.stderr)")
        let decoded = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        let guidance = try #require(decoded["guidance"] as? [String: Any])
        #expect(Self.text(guidance["asks"], "ja") == Self.text(try Self.shipped("sp800-171r3", "03.05", "03.05.03")["asks"], "ja"))
    }

    @Test("Issue 17 item 1: the guided walk in Japanese shows a requirement's guidance once, before its first objective, and each objective's sentence")
    func guidedWalk() throws {
        let folder = root.appendingPathComponent("assessment")
        let r = try tekigo(["init", folder.path, "--org", "テスト精機", "--date", "2026-12-07", "--lang", "ja"])
        try #require(r.status == 0, "\(r.stderr)")
        let g = try Self.shipped("sp800-171r2", "3.1", "3.1.1")
        let objectives = try #require(g["objectives"] as? [String: Any])
        let walk = try tekigo(["assess", "--dir", folder.path, "--lang", "ja"], input: "m\n根拠あり\nn\n\nq\n")
        #expect(walk.status == 0, "\(walk.stderr)")
        let out = walk.stdout
        #expect(out.contains("== 3.1.1 "))
        #expect(out.components(separatedBy: Self.text(g["asks"], "ja")).count == 2, "shown once for the requirement")
        #expect(out.contains("この評価目標で示すこと: " + Self.text(objectives["3.1.1[a]"], "ja")))
        #expect(out.contains("この評価目標で示すこと: " + Self.text(objectives["3.1.1[b]"], "ja")))
        #expect(out.contains("回答済み 2/320"))
        // Started again, the walk begins at 3.1.1[c] and shows 3.1.1's guidance again, since it is still unfinished.
        let again = try tekigo(["assess", "--dir", folder.path, "--lang", "en"], input: "q\n")
        #expect(again.stdout.contains(Self.text(g["asks"], "en")))
        #expect(again.stdout.contains("[2/320] 3.1.1[c]"))
    }

    @Test("Issue 17 item 1: `export ssp --guidance` adds what each requirement asks, labelled as Tekigo's; other documents and OSCAL refuse the flag")
    func sspOnRequest() throws {
        let folder = root.appendingPathComponent("ssp")
        try #require(try tekigo(["init", folder.path, "--org", "テスト精機", "--date", "2026-12-07"]).status == 0)
        let plain = try tekigo(["export", "ssp", "--format", "md", "--lang", "ja", "--out", "-", "--dir", folder.path])
        #expect(plain.status == 0, "\(plain.stderr)")
        #expect(!plain.stdout.contains("求められていること (Tekigo)"))
        let with = try tekigo(["export", "ssp", "--guidance", "--format", "md", "--lang", "ja", "--out", "-", "--dir", folder.path])
        #expect(with.status == 0, "\(with.stderr)")
        #expect(with.stdout.contains("求められていること (Tekigo)"))
        #expect(with.stdout.contains(Self.text(try Self.shipped("sp800-171r2", "3.13", "3.13.11")["asks"], "ja")))
        let poam = try tekigo(["export", "poam", "--guidance", "--dir", folder.path, "--lang", "ja"])
        #expect(poam.status == 2)
        #expect(poam.stderr.contains("--guidance は SSP の"))
        let oscal = try tekigo(["export", "ssp", "--guidance", "--format", "oscal", "--dir", folder.path, "--lang", "en"])
        #expect(oscal.status == 2)
    }
}
