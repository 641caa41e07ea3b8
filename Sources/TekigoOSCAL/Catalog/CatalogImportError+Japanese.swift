import Foundation
import TekigoCore

extension CatalogImportError: BilingualError {
    /// The refusal in `language` (issue 17 item 6: the API answers a Japanese request in Japanese, the command line
    /// under a Japanese locale); English is `description`. The file name, line, column, path and ids stay as written.
    public func message(in language: Language) -> String {
        guard language == .ja else { return description }
        switch self {
        case .unreadable(let file, let reason):
            return "\(file) を読み込めません（\(Self.japaneseReadFailure(reason))）。ファイルの場所と読み取り権限を確認してください。"
        case .invalidJSON(let file, let detail):
            return "\(file) は正しい JSON ではありません（\(Self.japaneseProblem(detail))）。"
                + "カタログを入手元から OSCAL JSON としてもう一度出力してください。"
        case .notAnOSCALDocument(let file):
            return "\(file) は OSCAL カタログ（最上位に 'catalog'）でも NIST CPRT のエクスポート（最上位に 'elements' の一覧）でも"
                + "ありません。カタログを OSCAL JSON として、又は CPRT から JSON でエクスポートして、もう一度ダウンロードしてください。"
        case .notACatalog(let file, let model):
            return "\(file) は OSCAL の\(Self.japaneseModel(model))で、カタログではありません。代わりに、その元になっているカタログを取り込んでください。"
        case .invalidStructure(let file, let path, let problem):
            return "\(file) の \(Self.japanesePath(path)) で\(Self.japaneseProblem(problem))。ファイルが OSCAL 1.1 のカタログのスキーマに"
                + "従っていません。OSCAL の検証ツールで確認してください。"
        case .noControls(let file):
            return "\(file) のカタログには管理策が一つもないため、取り込むものがありません。"
        case .duplicateID(let file, let id):
            return "\(file) で ID '\(id)' が複数の管理策に使われています。OSCAL の ID は重複できません。"
        case .customIDIsBuiltIn(let id):
            return "'\(id)' は組み込みカタログの ID です。独自カタログには --id で別の ID を指定してください。"
        case .invalidCatalogID(let message):
            return "\(Self.japaneseCatalogIDProblem(message))独自カタログにはそのような ID を --id で指定してください。"
        case .invalidText(let file, let element):
            return "\(file) の\(ImportText.japanesePlace(element))に\(ImportText.problemJA)。"
        case .malformedJSON(let file, let line, let column, let near, let problem):
            return "\(file) は \(line) 行 \(column) 列\(near.map { "（\($0) の中）" } ?? "")で正しい JSON ではなくなっています："
                + "\(Self.japaneseProblem(problem))。何も取り込んでいません。ファイルをもう一度ダウンロードしてください。"
        case .cprtElementWithoutIdentifier(let file, let position, let type):
            return "\(file) の elements[\(position)]\(type.isEmpty ? "" : "（element_type '\(type)'）")に element_identifier がない"
                + "ため、何も取り込んでいません。CPRT の要素にはすべて element_identifier が必要です。CPRT からエクスポートし直してください。"
        case .cprtElementWithoutType(let file, let position, let id):
            return "\(file) の elements[\(position)]（'\(id)'）に element_type がないため、何も取り込んでいません。"
                + "CPRT からエクスポートし直してください。"
        case .cprtRelationshipIncomplete(let file, let position, let field):
            return "\(file) の relationships[\(position)] に \(field) がないため、何も取り込んでいません。CPRT からエクスポートし直してください。"
        case .cprtNotSP800171(let file, let documents):
            return "\(file) は CPRT のエクスポート\(documents.isEmpty ? "" : "（\(documents.joined(separator: "、"))）")ですが、"
                + "要素の ID に SP 800-171 第2版（3.1.1）又は第3版（03.01.01）の ID が一つもありません。Tekigo が読む CPRT の"
                + "エクスポートは SP 800-171 と SP 800-171A のものです。ほかのカタログは OSCAL で取り込んでください。"
        case .customIDForCPRT(let file):
            return "\(file) は NIST の SP 800-171 の CPRT エクスポートで、組み込みカタログの公式文言として取り込みます。"
                + "--id を外してください。"
        }
    }

    /// Why a file could not be read, as Foundation says it (`localizedDescription`; its wording differs between
    /// platforms): the two common reasons in Japanese, any other kept as the system wrote it.
    static func japaneseReadFailure(_ reason: String) -> String {
        let lower = reason.lowercased()
        if lower.contains("doesn’t exist") || lower.contains("doesn't exist") || lower.contains("no such file") { return "ファイルがありません" }
        if lower.contains("permission") { return "読み取る権限がありません" }
        return reason
    }

    /// An OSCAL model's name as `OSCALCatalogImporter.models` gives it, in Japanese.
    static func japaneseModel(_ model: String) -> String {
        let names = ["profile": "プロファイル（profile）", "component definition": "コンポーネント定義（component-definition）",
                     "system security plan": "システムセキュリティ計画（system-security-plan）",
                     "assessment plan": "評価計画（assessment-plan）", "assessment results": "評価結果（assessment-results）",
                     "plan of action and milestones": "是正計画（plan-of-action-and-milestones）",
                     "mapping collection": "マッピング集（mapping-collection）"]
        return names[model] ?? " \(model) "
    }

    /// The decoder's path (`catalog.groups[0]`), or its words for none.
    static func japanesePath(_ path: String) -> String {
        switch path {
        case "(top level)": return "最上位"
        case "(unknown)": return "不明な位置"
        default: return path
        }
    }

    /// A problem the readers name (`OSCALCatalogImporter.locate`, `JSONPosition`), in Japanese. A text from the JSON
    /// parser itself (Foundation's own words, which Tekigo does not write) is kept, marked as the parser's.
    static func japaneseProblem(_ problem: String) -> String {
        func kind(_ t: String) -> String {
            switch t {
            case "a list": return "一覧（配列）"
            case "an object": return "オブジェクト"
            case "a string": return "文字列"
            default: return "\(t) 型の値"
            }
        }
        if problem.hasPrefix("required field '"), problem.hasSuffix("' is missing") {
            let field = problem.dropFirst("required field '".count).dropLast("' is missing".count)
            return "必須の項目 '\(field)' がありません"
        }
        if problem.hasPrefix("expected "), problem.hasSuffix(", found null") {
            return "\(kind(String(problem.dropFirst("expected ".count).dropLast(", found null".count))))が必要ですが、null です"
        }
        if problem.hasPrefix("expected ") { return "\(kind(String(problem.dropFirst("expected ".count))))が必要です" }
        if problem.hasSuffix(" does not close what is open here") {
            return "\(problem.dropLast(" does not close what is open here".count)) が、ここで開いている括弧と対応していません"
        }
        if problem == "the file ends before the JSON is complete (cut off in copying or downloading?)" {
            return "JSON が閉じる前にファイルが終わっています（コピーやダウンロードの途中で切れていませんか）"
        }
        if problem == "a value or separator is not valid JSON" { return "値又は区切り文字が JSON として正しくありません" }
        return "JSON パーサーの説明: \(problem)"
    }

    /// `CatalogIDError.description` (`'x' is not a valid catalog id: problem. Use …`) in Japanese: the id kept, the
    /// rule's problem translated (`CatalogID.problem(with:)`).
    static func japaneseCatalogIDProblem(_ message: String) -> String {
        let marker = "' is not a valid catalog id: "
        guard message.hasPrefix("'"), let m = message.range(of: marker) else { return "カタログ ID として使えません（\(message)）。" }
        let id = message[message.index(after: message.startIndex)..<m.lowerBound]
        let rest = message[m.upperBound...]
        let problem = rest.range(of: ". Use ").map { String(rest[..<$0.lowerBound]) } ?? String(rest)
        return "'\(id)' はカタログ ID として使えません（\(japaneseIDRule(problem))）。ID は小文字・数字・'-'・'_'・'.' の"
            + "1〜\(CatalogID.maximumLength) 文字で、文字か数字で始めます（例: acme-controls-v2）。"
    }

    /// A problem `CatalogID.problem(with:)` names, in Japanese; the characters it shows are kept.
    static func japaneseIDRule(_ problem: String) -> String {
        func shown(after marker: String) -> String? {
            guard let r = problem.range(of: marker), problem.hasSuffix("'") else { return nil }
            return String(problem[r.upperBound...].dropLast())
        }
        if problem == "a catalog id cannot be empty" { return "空の ID は使えません" }
        if problem.hasPrefix("a catalog id has at most "), let open = problem.range(of: "(this one ") {
            let count = problem[open.upperBound...].dropLast()
            return "\(CatalogID.maximumLength) 文字までです（この ID は \(count) 文字）"
        }
        if problem.hasPrefix("a catalog id starts with"), let c = shown(after: ", not '") { return "先頭は文字か数字で、'\(c)' では始められません" }
        if problem.hasPrefix("a catalog id holds only"), let c = shown(after: ", not '") { return "'\(c)' は使えません" }
        if problem.hasPrefix("a catalog id is lower-case ("), problem.hasSuffix(")") {
            return "小文字で書きます（\(problem.dropFirst("a catalog id is lower-case (".count).dropLast())）"
        }
        return problem
    }
}
