import ArgumentParser
import Foundation
import TekigoCore
import TekigoOSCAL
import TekigoReports
import TekigoStore
import TekigoWorkspace

/// Loads the folder's assessment and computes its report.
func loadReport(_ global: GlobalOptions, _ where_: WorkspaceOptions) async throws -> (LibraryContext, AssessmentWorkspace, AssessmentReport) {
    let ctx = try await LibraryContext.open(global)
    let ws = where_.workspace(ctx.library)
    let report = try AssessmentReport(try ws.load(), library: ctx.library, draftLanguage: global.language)
    return (ctx, ws, report)
}

// MARK: score

struct ScoreCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "score", abstract: say(ja: "SPRS スコアとすべての減点の理由、CMMC レベル2 の状況、ファミリーごとの表。", en: "SPRS score with every deduction explained, CMMC Level 2 status, and a family table."))

    @OptionGroup var global: GlobalOptions
    @OptionGroup var where_: WorkspaceOptions
    @Option(help: .say(ja: "table 又は json。", en: "table or json.")) var format: OutputFormat = .table
    @Option(help: .say(ja: "japanese, us 又は both: SPRS と CMMC を表に出すかどうか（省略時: tekigo.yaml の regime、無ければ us）。japanese では全項目適合かどうかを示します。json は変わりません。",
                       en: "japanese, us or both: whether the table shows SPRS and CMMC (default: tekigo.yaml's regime, else us). Under japanese it says whether every item is met. json is unchanged."))
    var regime: ComplianceRegime?

    func run() async throws {
        try await reporting {
            let (_, ws, report) = try await loadReport(global, where_)
            let lang = global.language
            if format == .json { print(try encodeJSON(ScoreSummary(report))); return }
            // Issue 17 item 3: the folder's regime, as `tekigo export` reads it.
            let regime = try self.regime ?? ws.regime() ?? .us
            print(ScoreText(report: report, lang: lang, regime: regime).render())
        }
    }
}

struct ScoreText {
    let report: AssessmentReport
    let lang: Language
    var regime: ComplianceRegime = .us

    func render() -> String {
        let ja = lang == .ja
        var out: [String] = []
        let p = report.assessment.progress(in: report.catalog)
        out.append("\(report.assessment.organization.name) — \(report.assessment.system.name) (\(report.assessment.date))")
        out.append((ja ? "回答済み評価目標: " : "Objectives answered: ") + "\(p.answered)/\(p.total)")
        if regime.includesJapanese {
            // The Japanese standard has no score: what counts is whether every item is met (RegimeTerms).
            let terms = RegimeTerms(regime, lang)
            out.append(terms.standard + ": " + terms.allMetLine(report))
        }
        guard regime.includesUS else {
            out.append(ja ? "SPRS と CMMC は米国の契約（DFARS 252.204-7012・CMMC）にだけ関係します。表示するには --regime both。"
                : "SPRS and CMMC concern US contracts (DFARS 252.204-7012, CMMC) only; add --regime both to show them.")
            out.append("")
            out.append(familyTable())
            return out.joined(separator: "\n")
        }
        guard let sprs = report.sprs else {
            out.append(ja ? "このカタログには SPRS 配点がありません（SPRS は SP 800-171 第2版で採点します）。"
                : "This catalog has no SPRS values (SPRS scores SP 800-171 rev2).")
            out.append(familyTable())
            return out.joined(separator: "\n")
        }
        if let score = sprs.score {
            out.append("SPRS: \(score) / \(SPRSResult.maximum)" + (sprs.isComplete ? "" : (ja ? "  （未評価あり: 暫定）" : "  (incomplete: provisional)")))
        } else {
            out.append("SPRS: " + (ja ? "算出不可 — " : "no score — ") + CMMCReason.noScore.text(lang))
        }
        let unanswered = sprs.deductions.filter { $0.reason == .notAssessed }
        let answered = sprs.deductions.filter { $0.reason != .notAssessed }
        if !unanswered.isEmpty {
            let points = unanswered.reduce(0) { $0 + $1.points }
            out.append(ja ? "未評価の要件 \(unanswered.count) 件を未実装として採点（−\(points) 点）。`tekigo status` で残りを確認できます。"
                : "\(unanswered.count) requirement(s) not assessed are scored as not implemented (−\(points)); see `tekigo status`.")
        }
        if !answered.isEmpty {
            out.append("")
            out.append(ja ? "減点:" : "Deductions:")
            var t = TextTable([ja ? "要件" : "Requirement", ja ? "点" : "Points", ja ? "理由" : "Reason"])
            for d in answered {
                let title = report.catalog[d.requirement]?.title[lang] ?? ""
                t.add(["\(d.requirement) \(title)", "−\(d.points)", d.reason.text(lang)])
            }
            out.append(t.render(maxColumnWidth: 70))
        }
        if !sprs.credits.isEmpty {
            out.append("")
            out.append(ja ? "実装扱い（減点なし）:" : "Scored as implemented:")
            for c in sprs.credits { out.append("  \(c.requirement)  \(c.reason.text(lang))") }
        }
        if let cmmc = report.cmmc {
            out.append("")
            var line = "CMMC: \(cmmc.status.label[lang])"
            if case .conditional(let deadline) = cmmc.status {
                line += ja ? "（POA&M 完了期限 \(deadline.text(lang))、32 CFR 170.21(b)）"
                    : " (POA&M closeout due \(deadline.text(lang)), 32 CFR 170.21(b))"
            }
            out.append(line)
            for r in cmmc.reasons { out.append("  - " + r.text(lang)) }
        }
        out.append((ja ? "110 点到達見込み日（POA&M 完了日）: " : "Date 110 is expected (POA&M completion): ")
            + (report.expectedFullCompliance?.description ?? (ja ? "未計画（是正計画に日付を入れてください）" : "not yet planned (give the POA&M items dates)")))
        out.append("")
        out.append(familyTable())
        return out.joined(separator: "\n")
    }

    func familyTable() -> String {
        let ja = lang == .ja
        var t = TextTable([ja ? "ファミリー" : "Family", ja ? "適合" : "Met", ja ? "不適合" : "Not met", ja ? "未評価" : "Not assessed", ""])
        for row in report.familySummary {
            let bar = String(repeating: "█", count: row.total == 0 ? 0 : row.met * 20 / row.total)
                + String(repeating: "·", count: row.total == 0 ? 0 : 20 - row.met * 20 / row.total)
            t.add(["\(row.family.abbr) \(row.family.title[lang])", "\(row.met)/\(row.total)", String(row.notMet),
                   String(row.notAssessed), bar])
        }
        return t.render()
    }
}

// MARK: status

struct StatusCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status", abstract: say(ja: "残っている作業: ファミリーごとの未回答の評価目標、期限付きの計画のない不足、フォルダーの点検。", en: "What is left: unanswered objectives by family, gaps without a dated plan, checks of the folder."))

    @OptionGroup var global: GlobalOptions
    @OptionGroup var where_: WorkspaceOptions

    func run() async throws {
        try await reporting {
            let (_, _, report) = try await loadReport(global, where_)
            let lang = global.language
            let ja = lang == .ja
            let a = report.assessment
            let p = a.progress(in: report.catalog)
            print((ja ? "回答済み " : "Answered ") + "\(p.answered)/\(p.total)" + (p.total > 0 ? " (\(p.answered * 100 / p.total)%)" : ""))
            var t = TextTable([ja ? "ファミリー" : "Family", ja ? "未回答の評価目標" : "Unanswered objectives"])
            for f in report.catalog.families {
                let open = report.catalog.entries(inFamily: f.id).flatMap(\.assessmentObjectives).filter { a.status(of: $0) == .notAssessed }
                if !open.isEmpty { t.add(["\(f.abbr) \(f.title[lang])", "\(open.count): " + open.prefix(6).joined(separator: " ") + (open.count > 6 ? " …" : "")]) }
            }
            if t.rows.isEmpty { print(ja ? "すべての評価目標に回答済みです。" : "Every objective is answered.") } else { print(t.render(maxColumnWidth: 90)) }
            let unplanned = report.poam.filter { !$0.isPlanOfAction }.map(\.requirement)
            if !unplanned.isEmpty {
                print("")
                print((ja ? "日付のない是正計画項目（3.12.2 の減点対象）: " : "POA&M items without a date (3.12.2 counts them as unplanned): ")
                    + unplanned.joined(separator: ", "))
                print(ja ? "  → `tekigo poam generate` で項目を作り、poam.yaml に完了予定日を記入してください。"
                    : "  → run `tekigo poam generate`, then give each item a scheduledCompletion in poam.yaml.")
            }
            let missingStatements = report.requirements.filter { $0.status.countsAsMet && $0.implementation.isEmpty }.count
            if missingStatements > 0 {
                print("")
                print(ja ? "実装の記述がない適合要件: \(missingStatements) 件（SSP に記載されます。`tekigo assess requirement ID --implementation \"…\"`）"
                    : "\(missingStatements) met requirement(s) have no implementation statement for the SSP (`tekigo assess requirement ID --implementation \"…\"`).")
            }
        }
    }
}

// MARK: poam

struct POAMCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "poam", abstract: say(ja: "是正計画（POA&M）。", en: "Plan of action and milestones (是正計画)."), subcommands: [POAMGenerate.self, POAMList.self, POAMSet.self])
}

struct POAMGenerate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "generate", abstract: say(ja: "減点があり是正計画の項目がない要件ごとに、poam.yaml に下書きの項目を加えます。", en: "Add a draft item to poam.yaml for every requirement that loses points and has none."))

    @OptionGroup var global: GlobalOptions
    @OptionGroup var where_: WorkspaceOptions

    func run() async throws {
        try await reporting {
            let ctx = try await LibraryContext.open(global)
            let ws = where_.workspace(ctx.library)
            let added = try ws.update { a -> [String] in
                let report = try AssessmentReport(a, library: ctx.library)
                guard let sprs = report.sprs else { return [] }
                a.poam = POAMPlanner.items(for: a, catalog: report.catalog, sprs: sprs, language: global.language)
                let new = a.poam.filter { item in !report.assessment.poam.contains { $0.requirement == item.requirement } }
                return new.map(\.requirement)
            }
            let ja = global.language == .ja
            print(added.isEmpty ? (ja ? "追加する項目はありません。" : "Nothing to add.")
                : (ja ? "\(added.count) 件を poam.yaml に追加しました: " : "Added \(added.count) item(s) to poam.yaml: ") + added.joined(separator: ", "))
        }
    }
}

struct POAMList: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: say(ja: "是正計画の項目を、CMMC で認められるかどうかとともに一覧にします。", en: "List POA&M items with CMMC eligibility."))

    @OptionGroup var global: GlobalOptions
    @OptionGroup var where_: WorkspaceOptions

    func run() async throws {
        try await reporting {
            let (_, _, report) = try await loadReport(global, where_)
            let lang = global.language
            let ja = lang == .ja
            var t = TextTable([ja ? "要件" : "Req.", ja ? "状態" : "Status", ja ? "完了予定" : "Due", ja ? "担当" : "Owner",
                               "CMMC POA&M", ja ? "弱点" : "Weakness"])
            for item in report.poam {
                let deduction = report.sprs?.deductions.first { $0.requirement == item.requirement }
                let cmmc = deduction.map { CMMCRules.poamReason(for: $0).map { "✗ " + $0.text(lang) } ?? "✓" } ?? "—"
                t.add([item.requirement, item.status.label[lang], item.plannedCompletion?.description ?? "—", item.owner, cmmc, item.weakness])
            }
            print(t.rows.isEmpty ? (ja ? "是正計画の項目はありません。" : "No POA&M items.") : t.render(maxColumnWidth: 60))
        }
    }
}

