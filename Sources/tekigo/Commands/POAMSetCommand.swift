import ArgumentParser
import Foundation
import TekigoCore
import TekigoUseCases
import TekigoWorkspace

/// `tekigo poam set`: plan one requirement's item without editing poam.yaml by hand, through the same rules as the
/// web editor (`POAMUseCases.item`: a weakness is required, dates are YYYY-MM-DD, a milestone needs both its date
/// and its text, milestones kept in date order, a completed item dated).
struct POAMSet: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "set",
        abstract: say(ja: "要件 1 つの是正計画の項目を立てます: `tekigo poam set 3.1.8 --due 2027-01-31 --owner 佐藤 --milestone 2026-12-20:ロックアウト設定`。", en: "Plan one requirement's POA&M item: `tekigo poam set 3.1.8 --due 2027-01-31 --owner 佐藤 --milestone 2026-12-20:ロックアウト設定`."),
        discussion: say(ja: """
            poam.yaml に REQUIREMENT の項目を作るか、指定した項目だけを変更します。poam.yaml のキー:
              requirement          要件の ID（要件ごとに 1 項目）
              weakness             足りていないこと（--weakness。減点のある要件の新しい項目で省略すると、
                                   自動で作った文になります）
              status               open | in-progress | completed（--status）
              scheduledCompletion  完了予定日（--due）。SPRS と CMMC が参照します
              completedOn          完了した日。完了した項目だけ（--completed）
              owner                担当者（--owner）
              resources            必要な人・予算・道具（--resources）
              milestones           内容、期限、完了（--milestone 日付:内容。繰り返し可。--clear-milestones）
            日付は YYYY-MM-DD です。
            """, en: """
            Creates the item for REQUIREMENT in poam.yaml, or changes only the fields given. poam.yaml's keys:
              requirement          the requirement id (one item per requirement)
              weakness             what is missing (--weakness; a new item of a requirement that loses points
                                   takes the generated text when none is given)
              status               open | in-progress | completed (--status)
              scheduledCompletion  the planned completion date (--due); SPRS and CMMC read it
              completedOn          the date it was done, completed items only (--completed)
              owner                who is responsible (--owner)
              resources            people, money or tools needed (--resources)
              milestones           description, due, done (--milestone DATE:TEXT, repeatable; --clear-milestones)
            Dates are YYYY-MM-DD.
            """))

    @OptionGroup var global: GlobalOptions
    @OptionGroup var where_: WorkspaceOptions
    @Argument(help: .say(ja: "要件（例: 3.1.8）。", en: "The requirement, e.g. 3.1.8.")) var requirement: String
    @Option(help: .say(ja: "完了予定日 YYYY-MM-DD（poam.yaml の scheduledCompletion）。`none` で消去。", en: "The planned completion date YYYY-MM-DD (poam.yaml: scheduledCompletion); `none` clears it.")) var due: String?
    @Option(help: .say(ja: "担当者（owner）。", en: "Who is responsible (owner).")) var owner: String?
    @Option(help: .say(ja: "マイルストーン（日付:内容。例: 2026-12-20:アカウントロックアウトを有効にする）。繰り返し指定でき、項目のマイルストーンに追加されます。", en: "A milestone, DATE:TEXT (e.g. 2026-12-20:Turn on account lockout). Repeatable; added to the item's milestones."))
    var milestone: [String] = []
    @Flag(help: .say(ja: "指定したものを追加する前に、項目のマイルストーンを消します。", en: "Remove the item's milestones before adding those given.")) var clearMilestones = false
    @Option(help: .say(ja: "足りていないこと（weakness）。", en: "What is missing (weakness).")) var weakness: String?
    @Option(help: .say(ja: "open（未着手）, in-progress（対応中）又は completed（完了）。", en: "open, in-progress or completed.")) var status: String?
    @Option(help: .say(ja: "必要な人・予算・道具（resources）。", en: "People, money or tools needed (resources).")) var resources: String?
    @Option(help: .say(ja: "完了した日 YYYY-MM-DD（completedOn。完了した項目だけ）。", en: "The date it was done YYYY-MM-DD (completedOn; completed items only).")) var completed: String?

    func run() async throws {
        try await reporting {
            let ctx = try await LibraryContext.open(global)
            let lang = global.language
            let ja = lang == .ja
            let ws = where_.workspace(ctx.library)
            let rows = try milestone.map { text -> POAMDraft.MilestoneRow in
                guard let colon = text.firstIndex(of: ":") else {
                    throw UserError(ja ? "--milestone '\(text)' は 日付:内容 の形で書いてください（例 2026-12-20:ロックアウト設定）"
                                    : "--milestone '\(text)' must be DATE:TEXT (e.g. 2026-12-20:Turn on account lockout)", exitCode: 2)
                }
                return .init(description: String(text[text.index(after: colon)...]).trimmed,
                             due: String(text[..<colon]).trimmed, done: false)
            }
            let today = Day(Date(), in: .current)
            let (id, created) = try ws.update { a -> (String, Bool) in
                let catalog = try ctx.library.catalog(a.catalog)
                guard let e = catalog[requirement]
                        ?? (try? ctx.library.resolve(requirement, preferring: catalog.id)).flatMap({ $0.catalog == catalog.id ? $0 : nil })
                else {
                    let close = catalog.entries.map(\.id).filter { editDistance(requirement, $0) <= 2 }.prefix(3)
                    throw UserError((ja ? "'\(requirement)' は \(catalog.id) の要件ではありません" : "'\(requirement)' is not a requirement of \(catalog.id)")
                        + (close.isEmpty ? "" : (ja ? "。もしかして " : ". Did you mean ") + close.map { "'\($0)'" }.joined(separator: ", ") + "?"),
                        exitCode: 2)
                }
                let existing = a.poam.first { $0.requirement == e.id }
                var generated: String?
                if existing == nil, weakness == nil {
                    let report = try AssessmentReport(a, library: ctx.library)
                    generated = report.poam.first { $0.requirement == e.id }?.weakness
                }
                var draft = POAMDraft(
                    weakness: existing?.weakness ?? generated ?? "", owner: existing?.owner ?? "",
                    resources: existing?.resources ?? "", status: existing?.status.rawValue ?? POAMStatus.open.rawValue,
                    scheduled: existing?.scheduledCompletion?.description ?? "", completed: existing?.completedOn?.description ?? "",
                    milestones: clearMilestones ? [] : (existing?.milestones ?? []).map { .init(description: $0.description, due: $0.due.description, done: $0.done) })
                let kept = draft.milestones.count
                if let weakness { draft.weakness = weakness.trimmed }
                if let owner { draft.owner = owner.trimmed }
                if let resources { draft.resources = resources.trimmed }
                if let status { draft.status = status.lowercased() }
                if let due { draft.scheduled = due.lowercased() == "none" ? "" : due.trimmed }
                if let completed { draft.completed = completed.trimmed }
                for row in rows where !draft.milestones.contains(row) { draft.milestones.append(row) }
                let item: POAMItem
                do throws(POAMError) { item = try POAMUseCases.item(draft, requirement: e.id, today: today) } catch {
                    throw UserError(Self.message(error, kept: kept, isNew: existing == nil, ja: ja), exitCode: 2)
                }
                a.poam.removeAll { $0.requirement == e.id }
                a.poam.append(item)
                return (e.id, existing == nil)
            }
            print(ja ? "poam.yaml の \(id) の項目を\(created ? "作成" : "更新")しました" : "\(created ? "Created" : "Updated") the item for \(id) in poam.yaml")
        }
    }

    /// The rule broken, named by the option that sets the field.
    static func message(_ error: POAMError, kept: Int, isNew: Bool, ja: Bool) -> String {
        guard case .invalid(let problems) = error else { return error.description }
        return problems.sorted { $0.key < $1.key }.map { field, problem -> String in
            let option: String
            switch field {
            case "weakness": option = "--weakness"
            case "status": option = "--status"
            case "scheduled": option = "--due"
            case "completed": option = "--completed"
            default:
                let i = Int(field.dropFirst()) ?? 0
                option = i >= kept ? "--milestone #\(i - kept + 1)" : (ja ? "poam.yaml の \(i + 1) 番目の milestone" : "milestone \(i + 1) in poam.yaml")
            }
            switch (problem, ja) {
            case (.required, true): return "\(option) が必要です" + (isNew ? "（新しい項目です。何が不足しているかを書いてください）" : "")
            case (.required, false): return "\(option) is required" + (isNew ? " (a new item: say what is missing)" : "")
            case (.choice, true): return "\(option) は \(POAMStatus.allCases.map(\.rawValue).joined(separator: ", ")) のいずれかです"
            case (.date, true), (.milestoneDate, true): return "\(option) の日付は YYYY-MM-DD で書いてください"
            case (.milestoneDescription, true): return "\(option) には内容が必要です（日付:内容）"
            case (.choice, false): return "\(option) must be one of \(POAMStatus.allCases.map(\.rawValue).joined(separator: ", "))"
            case (.date, false), (.milestoneDate, false): return "\(option) must be a date YYYY-MM-DD"
            case (.milestoneDescription, false): return "\(option) needs its text (DATE:TEXT): what will be done by the date"
            }
        }.joined(separator: "; ")
    }
}
