import Foundation
import Testing
import TekigoTestSupport

/// `tekigo export` from an assessment folder, in every document, format and language.
@Suite("tekigo export (command line)")
struct ExportCLITests {
    let binary: URL
    let folder: URL

    init() throws {
        binary = try TestEnvironment.tekigoBinary()
        folder = try TestEnvironment.temporaryDirectory("tekigo-export").appendingPathComponent("assessment")
        let env = ["LANG": "C.UTF-8", "TEKIGO_DATA_DIR": folder.deletingLastPathComponent().appendingPathComponent("data").path]
        _ = try runProcess(binary, ["init", folder.path, "--org", "株式会社テスト", "--cage", "1ABC2", "--date", "2026-11-27"], environment: env)
        // Answer everything in the YAML, as a user editing the file would, then record two gaps with the CLI.
        let findings = folder.appendingPathComponent("findings.yaml")
        let yaml = try String(contentsOf: findings, encoding: .utf8).replacingOccurrences(of: "status: not-assessed", with: "status: met")
        try Data(yaml.utf8).write(to: findings)
        _ = try runProcess(binary, ["assess", "set", "3.1.8[b]", "not-met", "--note", "ロックアウト未設定", "--dir", folder.path], environment: env)
        _ = try runProcess(binary, ["assess", "set", "3.13.11", "not-met", "--dir", folder.path], environment: env)
        _ = try runProcess(binary, ["assess", "requirement", "3.13.11", "--encryption", "not-fips-validated", "--dir", folder.path], environment: env)
        _ = try runProcess(binary, ["poam", "generate", "--dir", folder.path], environment: env)
    }

    func tekigo(_ args: [String]) throws -> ProcessResult {
        try runProcess(binary, args + ["--dir", folder.path],
                       environment: ["LANG": "C.UTF-8", "TEKIGO_DATA_DIR": folder.deletingLastPathComponent().appendingPathComponent("data").path])
    }

    @Test("Every document in every format and language is written; SPRS has no OSCAL form and says so")
    func everyFormat() throws {
        for doc in ["ssp", "poam", "results", "sprs"] {
            for format in ["md", "html", "csv", "xlsx", "oscal"] {
                for lang in ["ja", "en"] {
                    let r = try tekigo(["export", doc, "--format", format, "--lang", lang])
                    if doc == "sprs" && format == "oscal" {
                        #expect(r.status == 1)
                        #expect(r.stderr.contains("md, html, csv or xlsx"))
                        continue
                    }
                    #expect(r.status == 0, "\(doc) \(format) \(lang): \(r.stderr)")
                    let path = r.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
                    let size = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0
                    #expect(size > 200, "\(path) is empty")
                }
            }
        }
        let ja = try String(contentsOf: folder.appendingPathComponent("ssp-ja.html"), encoding: .utf8)
        #expect(ja.contains("システムセキュリティ実装計画書"))
        #expect(ja.contains("是正計画"))
        #expect(!ja.contains("<script"))
        let sprs = try String(contentsOf: folder.appendingPathComponent("sprs-en.md"), encoding: .utf8)
        #expect(sprs.contains("1ABC2"))
        #expect(sprs.contains("2026-11-27"))
        let csv = try Data(contentsOf: folder.appendingPathComponent("poam-ja.csv"))
        #expect(csv.starts(with: [0xEF, 0xBB, 0xBF]))
    }

    @Test("The OSCAL SSP and the catalog it imports validate against NIST's schemas, and trestle imports the SSP as written",
          .enabled(if: TestEnvironment.runValidatorTests, "needs .venv-validators and ../shared/data"))
    func oscalSSPWithTrestle() throws {
        let r = try tekigo(["export", "ssp", "--format", "oscal"])
        #expect(r.status == 0, "\(r.stderr)")
        let ssp = folder.appendingPathComponent("ssp-oscal.json")
        let catalog = folder.appendingPathComponent("sp800-171r2-catalog.json")
        let check = try TestEnvironment.validator("check-jsonschema")
        for (file, schema) in [(ssp, "oscal_ssp_schema.json"), (catalog, "oscal_catalog_schema.json")] {
            let s = try TestEnvironment.sharedData("oscal/schemas/v1.1.3/\(schema)")
            let v = try runProcess(check, ["--schemafile", s.path, file.path])
            #expect(v.status == 0, "\(file.lastPathComponent): \(v.stdout)")
        }
        let ws = try TestEnvironment.temporaryDirectory("trestle-cli")
        let trestle = try TestEnvironment.validator("trestle")
        #expect(try runProcess(trestle, ["init"], currentDirectory: ws).status == 0)
        let imp = try runProcess(trestle, ["import", "-f", ssp.path, "-o", "tekigo-ssp"], currentDirectory: ws)
        #expect(imp.status == 0, "\(imp.stdout)\(imp.stderr)")
        for doc in ["poam", "results"] {
            let e = try tekigo(["export", doc, "--format", "oscal"])
            let file = URL(fileURLWithPath: e.stdout.trimmingCharacters(in: .whitespacesAndNewlines))
            let i = try runProcess(trestle, ["import", "-f", file.path, "-o", "tekigo-\(doc)"], currentDirectory: ws)
            #expect(i.status == 0, "\(doc): \(i.stdout)\(i.stderr)")
        }
    }
}
