import Foundation
import Testing
import TekigoTestSupport

/// #17 item 4 in the assessment folder: `tekigo assess new --from` starts this year's folder from last year's, each
/// copied answer marked `carriedOver` until `assess set` or `assess confirm`; `assess review` lists what is left.
@Suite("tekigo assess new --from / review / confirm (#17 item 4)")
struct AssessCarryOverCLITests {
    let binary: URL
    let root: URL

    init() throws {
        binary = try TestEnvironment.tekigoBinary()
        root = try TestEnvironment.temporaryDirectory("tekigo-carry")
    }

    @discardableResult
    func tekigo(_ args: [String]) throws -> ProcessResult {
        try runProcess(binary, args, environment: ["LANG": "C.UTF-8", "TEKIGO_DATA_DIR": root.appendingPathComponent("data").path])
    }

    func text(_ folder: URL, _ file: String = "findings.yaml") throws -> String {
        try String(contentsOf: folder.appendingPathComponent(file), encoding: .utf8)
    }

    func score(_ folder: URL) throws -> [String: Any] {
        let r = try tekigo(["score", "--dir", folder.path, "--format", "json"])
        return try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
    }

    @Test("#17 item 4, CLI: last year's folder copied into a new one (with its regime), answers marked carried over and still scored the same; assess set and assess confirm clear the mark, assess review lists the rest; the previous folder is untouched")
    func carryOver() throws {
        let previous = root.appendingPathComponent("2025"), next = root.appendingPathComponent("2026")
        try #require(try tekigo(["init", previous.path, "--org", "テスト精機", "--date", "2025-11-27", "--lang", "ja"]).status == 0)
        for (id, status, note) in [("3.1.1", "met", "AD で管理"), ("3.1.2", "met", "役割で制限"), ("3.1.8", "not-met", "ロックアウトなし"),
                                   ("3.5.3", "met", "全員 MFA")] {
            let r = try tekigo(["assess", "set", id, status, "--note", note, "--evidence", "https://intra.example.jp/\(id)", "--dir", previous.path])
            try #require(r.status == 0, "\(r.stderr)")
        }
        let answered = 6 + 2 + 2 + 4  // 3.1.1 [a]–[f], 3.1.2 [a]–[b], 3.1.8 [a]–[b], 3.5.3 [a]–[d]
        // The folder's regime (#17 item 3) goes with the answers into the new folder.
        let previousConfig = previous.appendingPathComponent("tekigo.yaml")
        var lines = try String(contentsOf: previousConfig, encoding: .utf8).components(separatedBy: "\n")
        lines.insert("regime: japanese", at: try #require(lines.firstIndex { !$0.hasPrefix("#") && !$0.isEmpty }))
        try Data(lines.joined(separator: "\n").utf8).write(to: previousConfig)
        let before = try text(previous)

        let made = try tekigo(["assess", "new", "--from", previous.path, "--dir", next.path, "--date", "2026-11-27", "--lang", "ja"])
        #expect(made.status == 0, "\(made.stderr)")
        #expect(made.stdout.contains("\(answered) 件の回答を引き継ぎました"))
        let copied = try text(next)
        #expect(copied.components(separatedBy: "carriedOver: 2025-11-27 \(previous.path)").count - 1 == answered)
        #expect(copied.contains("note: ロックアウトなし") && copied.contains("https://intra.example.jp/3.1.8"))
        let config = try text(next, "tekigo.yaml")
        #expect(config.contains("date: 2026-11-27") && config.contains("テスト精機") && config.contains("regime: japanese"))
        #expect(try text(previous) == before)
        // The same answers: the same score and count.
        let (old, new) = (try score(previous), try score(next))
        #expect(new["score"] as? Int == old["score"] as? Int && new["noScoreReason"] as? String == old["noScoreReason"] as? String)
        #expect(new["answered"] as? Int == answered && old["answered"] as? Int == answered)

        var review = try tekigo(["assess", "review", "--dir", next.path, "--lang", "ja"])
        #expect(review.status == 0 && review.stdout.contains("前回から引き継ぎ・要確認: \(answered) 件"))
        #expect(review.stdout.contains("3.1.1[a]") && review.stdout.contains("3.1.8[b]"))

        // A person's answer clears the mark of that objective only; confirming a requirement clears its objectives.
        #expect(try tekigo(["assess", "set", "3.1.1[a]", "met", "--dir", next.path]).status == 0)
        let confirm = try tekigo(["assess", "confirm", "3.1.2", "--dir", next.path, "--lang", "en"])
        #expect(confirm.status == 0 && confirm.stdout.contains("Confirmed as is: 3.1.2[a], 3.1.2[b]"))
        review = try tekigo(["assess", "review", "--dir", next.path, "--lang", "en"])
        #expect(review.stdout.contains("Carried over — review: \(answered - 3)"))
        #expect(!review.stdout.contains("3.1.1[a]") && review.stdout.contains("3.1.1[b]") && !review.stdout.contains("3.1.2[a]"))
        #expect(try tekigo(["assess", "confirm", "3.1.2", "--dir", next.path, "--lang", "en"]).stdout.contains("nothing carried over"))
        #expect(try score(next)["score"] as? Int == old["score"] as? Int)

        // Refused: a folder that exists already, the previous folder itself, a missing source. A file in the folder works.
        let again = try tekigo(["assess", "new", "--from", previous.path, "--dir", next.path, "--lang", "en"])
        #expect(again.status != 0 && again.stderr.contains("already exists"))
        #expect(try tekigo(["assess", "new", "--from", previous.path, "--dir", previous.path]).status == 2)
        #expect(try tekigo(["assess", "new", "--from", root.appendingPathComponent("none").path, "--dir", root.appendingPathComponent("x").path]).status == 2)
        let third = root.appendingPathComponent("2027")
        let fromFile = try tekigo(["assess", "new", "--from", next.appendingPathComponent("findings.yaml").path, "--dir", third.path])
        #expect(fromFile.status == 0, "\(fromFile.stderr)")
        #expect(try text(third).components(separatedBy: "carriedOver: 2026-11-27 \(next.path)").count - 1 == answered)
    }
}
