import ArgumentParser
import Foundation
import TekigoCore
import TekigoReports
import TekigoWorkspace

// Issue 17 item 4: the assessment folder answered in Excel, offline. The workbook and its checks are
// `AssessmentWorkbook`'s, the same as the server's; the folder keeps no versions, so each objective's version is its
// answer's fingerprint: an edited row whose objective changed in the folder after the export is a conflict.

/// The folder's key in the workbook's assessment column: a workbook of another folder is refused row by row.
func workbookKey(_ a: Assessment) -> String { "folder: \(a.organization.name) / \(a.system.name) / \(a.date)" }

struct AssessExport: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: say(ja: "評価を Excel で回答できる .xlsx ブックに書き出します: `tekigo assess export --out answers.xlsx`。", en: "Write the assessment as an .xlsx workbook to answer in Excel: `tekigo assess export --out answers.xlsx`."),
        discussion: say(ja: """
        評価目標ごとに 1 行: 判定（ドロップダウンリスト）、根拠、証跡（1 行に 1 つ）。要件の是正計画の担当者と期限は
        表示するだけで取り込みません（`tekigo poam set` を使ってください）。戻すときは `tekigo assess import FILE` で取り込みます。
        """, en: """
        One row per objective: status (a drop-down list), rationale, evidence (one per line); the requirement's POA&M owner \
        and due date are shown and not imported (use `tekigo poam set`). Import it back with `tekigo assess import FILE`.
        """))

    @OptionGroup var global: GlobalOptions
    @OptionGroup var where_: WorkspaceOptions
    @Option(help: .say(ja: "書き出す .xlsx ファイル。", en: "The .xlsx file to write.")) var out: String

    func run() async throws {
        try await reporting {
            let ctx = try await LibraryContext.open(global)
            let ws = where_.workspace(ctx.library)
            let a = try ws.load()
            let source = AssessmentWorkbook.Source.folder(key: workbookKey(a), catalog: try ctx.library.catalog(a.catalog),
                                                          findings: a.findings, poam: a.poam)
            let url = URL(fileURLWithPath: out)
            do { try AssessmentWorkbook.data(source, language: global.language).write(to: url, options: .atomic) } catch {
                throw UserError(global.language == .ja ? "\(out) に書き込めません: \(error.localizedDescription)"
                                                       : "cannot write \(out): \(error.localizedDescription)")
            }
            let count = source.catalog.entries.flatMap(\.assessmentObjectives).count
            print(global.language == .ja
                ? "\(out) に評価目標 \(count) 件のブックを書き出しました。Excel で回答し、`tekigo assess import \(out)` で取り込んでください。"
                : "Wrote \(out): \(count) objectives. Answer them in Excel, then run `tekigo assess import \(out)`.")
        }
    }
}

struct AssessImport: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: say(ja: "`tekigo assess export` で書き出して Excel で編集したブックを反映します。先に全行を確認し、1 行でも誤りがあれば何も変更しません。", en: "Apply a workbook written by `tekigo assess export` and edited in Excel: every row is checked first, and nothing is changed if any row is wrong."))

    @OptionGroup var global: GlobalOptions
    @OptionGroup var where_: WorkspaceOptions
    @Argument(help: .say(ja: ".xlsx ブック。", en: "The .xlsx workbook.")) var file: String
    @Option(help: .say(ja: "変更した評価目標の評価者（省略時: この評価の評価者）。", en: "Who assessed the changed objectives (default: the assessment's assessor).")) var by: String?

    func run() async throws {
        try await reporting {
            let lang = global.language
            let ctx = try await LibraryContext.open(global)
            let ws = where_.workspace(ctx.library)
            let data: Data
            do { data = try Data(contentsOf: URL(fileURLWithPath: file)) } catch {
                throw UserError(lang == .ja ? "\(file) を読めません: \(error.localizedDescription)" : "cannot read \(file): \(error.localizedDescription)")
            }
            let today = Day(Date())
            // Checked and applied under the folder's lock, so the versions checked are the ones replaced; a rejected
            // workbook throws before anything is written.
            let plan: AssessmentWorkbook.Plan
            do {
                plan = try ws.update { a in
                    let source = AssessmentWorkbook.Source.folder(key: workbookKey(a), catalog: try ctx.library.catalog(a.catalog),
                                                                  findings: a.findings, poam: a.poam)
                    let plan = try AssessmentWorkbook.plan(data, against: source, newEvidence: .anyReference, today: today)
                    for change in plan.changes {
                        var f = change.finding
                        f.assessedBy = by ?? (a.assessor.isEmpty ? nil : a.assessor)
                        f.assessedOn = today
                        a.findings[change.objective] = f
                    }
                    return plan
                }
            } catch let rejected as AssessmentWorkbook.Rejected {
                throw UserError((lang == .ja ? "\(file) を取り込めません（\(rejected.problems.count) 件の問題。何も変更していません）:\n"
                                             : "\(file) was not imported (\(rejected.problems.count) problem(s); nothing was changed):\n")
                                + rejected.text(lang), exitCode: 1)
            }
            let changed = plan.changes.map(\.objective)
            print(lang == .ja
                ? "\(plan.rows) 行を確認し、\(changed.count) 件の評価目標を更新しました" + (changed.isEmpty ? "。" : ": \(changed.joined(separator: ", "))")
                : "Checked \(plan.rows) rows; updated \(changed.count) objective(s)" + (changed.isEmpty ? "." : ": \(changed.joined(separator: ", "))"))
        }
    }
}
