import TekigoCore
import Yams

/// Problems in a workspace file, each with its file and line so the user can go straight there. A YAML syntax
/// error also gives the column and quotes that one line with a caret under the column — never the whole file.
public struct WorkspaceError: Error, Equatable, CustomStringConvertible {
    public let file: String
    public let line: Int?
    public let message: String
    /// The message in Japanese (issue 17 item 6: no English in Japanese mode); nil where none is written yet.
    public let messageJA: String?
    /// The column (from 1) of a YAML syntax error.
    public let column: Int?
    /// The offending line and a caret under `column`, for YAML syntax errors.
    public let excerpt: String?

    public init(file: String, line: Int?, message: String, ja: String? = nil, column: Int? = nil, excerpt: String? = nil) {
        self.file = file
        self.line = line
        self.message = message
        self.messageJA = ja
        self.column = column
        self.excerpt = excerpt
    }

    public var description: String { message(in: .en) }
}

extension WorkspaceError: BilingualError {
    /// `file:line:column: message`, the message in `language` when it is written in it, and the YAML excerpt.
    public func message(in language: Language) -> String {
        let text = language == .ja ? messageJA ?? message : message
        return "\(file)\(line.map { ":\($0)" } ?? "")\(line != nil ? column.map { ":\($0)" } ?? "" : ""): \(text)"
            + (excerpt.map { "\n" + $0 } ?? "")
    }
}

/// Reads a composed YAML node with errors that name file and line.
struct YAMLReader {
    let file: String

    func error(_ node: Node?, _ message: String, ja: String? = nil) -> WorkspaceError {
        WorkspaceError(file: file, line: node?.mark?.line, message: message, ja: ja)
    }

    func parse(_ text: String) throws(WorkspaceError) -> Node {
        do {
            guard let node = try Yams.compose(yaml: text) else {
                throw WorkspaceError(file: file, line: nil, message: "the file is empty", ja: "ファイルが空です")
            }
            return node
        } catch let e as WorkspaceError {
            throw e
        } catch let e as YamlError {
            let line = Self.line(of: e), column = Self.column(of: e)
            throw WorkspaceError(file: file, line: line, message: "not valid YAML: " + Self.problem(of: e),
                                 ja: "YAML として読めません: " + Self.problem(of: e), column: column,
                                 excerpt: line.flatMap { Self.excerpt(text, line: $0, column: column) })
        } catch {
            throw WorkspaceError(file: file, line: nil, message: "not valid YAML: \(error)", ja: "YAML として読めません: \(error)")
        }
    }

    static func line(of e: YamlError) -> Int? {
        switch e {
        case .scanner(_, _, let mark, _), .parser(_, _, let mark, _), .composer(_, _, let mark, _): return mark.line
        case .duplicatedKeysInMapping(_, let context): return context.mark.line
        default: return nil
        }
    }

    static func column(of e: YamlError) -> Int? {
        switch e {
        // A key given twice is not a place in the line: its line is enough.
        case .scanner(_, _, let mark, _), .parser(_, _, let mark, _), .composer(_, _, let mark, _): return mark.column
        default: return nil
        }
    }

    /// "   4 | the line" and, under it, a caret at `column` (both from 1). Long lines are cut around the column.
    static func excerpt(_ text: String, line: Int, column: Int?) -> String? {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        guard line >= 1, line <= lines.count else { return nil }
        var content = Array(lines[line - 1].replacingOccurrences(of: "\r", with: ""))
        var caret = max(1, column ?? 1) - 1
        if content.count > 100 {
            let start = max(0, min(caret - 40, content.count - 100))
            content = Array(content[start..<min(content.count, start + 100)])
            caret -= start
        }
        let gutter = String(repeating: " ", count: max(0, 5 - String(line).count)) + "\(line) | "
        let pad = String(repeating: " ", count: gutter.count) + String(content.prefix(caret).map { $0 == "\t" ? Character("\t") : Character(" ") })
        return gutter + String(content) + (column == nil ? "" : "\n" + pad + "^")
    }

    static func problem(of e: YamlError) -> String {
        switch e {
        case .scanner(let ctx, let problem, _, _), .parser(let ctx, let problem, _, _), .composer(let ctx, let problem, _, _):
            return (ctx.map { "\($0.text) " } ?? "") + problem + " (check indentation and quote text containing ': ' or '#')"
        case .duplicatedKeysInMapping(let keys, _):
            // Yams's own text repeats the whole file; name the keys instead.
            return "\(keys.map { "'\($0)'" }.joined(separator: ", ")) appears more than once in one mapping; "
                + "keep one and merge what the others say into it"
        default:
            return e.description
        }
    }

    func mapping(_ node: Node?, _ what: String) throws(WorkspaceError) -> Node.Mapping {
        guard let m = node?.mapping else { throw error(node, "\(what) must be a mapping (key: value lines)", ja: "\(Self.ja(what)) は「キー: 値」の行で書いてください") }
        return m
    }

    func optionalMapping(_ node: Node?, _ what: String) throws(WorkspaceError) -> Node.Mapping? {
        guard let node, !isNull(node) else { return nil }
        return try mapping(node, what)
    }

    func isNull(_ node: Node) -> Bool {
        if case .scalar(let s) = node { return s.string.isEmpty || s.string == "~" || s.string == "null" }
        return false
    }

    func string(_ node: Node?, _ what: String) throws(WorkspaceError) -> String? {
        guard let node, !isNull(node) else { return nil }
        guard case .scalar(let s) = node else { throw error(node, "\(what) must be text", ja: "\(Self.ja(what)) は文字列で書いてください") }
        return s.string
    }

    func int(_ node: Node?, _ what: String) throws(WorkspaceError) -> Int? {
        guard let s = try string(node, what) else { return nil }
        guard let i = Int(s) else { throw error(node, "\(what) must be a whole number, not '\(s)'", ja: "\(Self.ja(what)) は整数で書いてください（「\(s)」ではなく）") }
        return i
    }

    func bool(_ node: Node?, _ what: String) throws(WorkspaceError) -> Bool? {
        guard let s = try string(node, what) else { return nil }
        switch s.lowercased() {
        case "true", "yes": return true
        case "false", "no": return false
        default: throw error(node, "\(what) must be true or false, not '\(s)'", ja: "\(Self.ja(what)) は true か false で書いてください（「\(s)」ではなく）")
        }
    }

    func day(_ node: Node?, _ what: String) throws(WorkspaceError) -> Day? {
        guard let s = try string(node, what) else { return nil }
        guard let d = Day(s) else { throw error(node, "\(what) must be a date written YYYY-MM-DD, not '\(s)'",
                                               ja: "\(Self.ja(what)) は YYYY-MM-DD 形式の日付で書いてください（「\(s)」ではなく）") }
        return d
    }

    /// A list field: absent or empty is no items; anything but a list (a mapping written where `- ` items belong,
    /// or a single value) is an error, never silently no items — a later write would erase what was written.
    func list(_ node: Node?, _ what: String) throws(WorkspaceError) -> [Node] {
        guard let node, !isNull(node) else { return [] }
        guard let seq = node.sequence else {
            let shape = node.mapping != nil ? "is written as a mapping (key: value lines)" : "is a single value"
            let shapeJA = node.mapping != nil ? "「キー: 値」の形で書かれています" : "値が 1 つだけです"
            throw error(node, "\(what) must be a list, but it \(shape): start each item with '- ' on its own line",
                        ja: "\(Self.ja(what)) はリストで書きますが、\(shapeJA)。各項目を行頭の「- 」で始めてください")
        }
        return Array(seq)
    }

    /// Refuses a file whose `version` is missing or not one this reader knows.
    func checkVersion(_ root: Node.Mapping, rootNode: Node) throws(WorkspaceError) {
        guard let node = root["version"] else {
            throw error(rootNode, "version is missing: add the line 'version: \(Self.version)' at the top of the file",
                        ja: "version がありません。ファイルの先頭に「version: \(Self.version)」の行を加えてください")
        }
        let v = try string(node, "version")
        guard v == Self.version else {
            throw error(node, "version \(v ?? "(empty)") is not a version this Tekigo reads (\(Self.version)); "
                + "a newer Tekigo wrote this folder, or the line was edited: use that Tekigo, or set 'version: \(Self.version)'",
                        ja: "version \(v ?? "（空）") はこの Tekigo が読める版（\(Self.version)）ではありません。新しい Tekigo が書いたフォルダーか、"
                            + "行が書き換えられています。その Tekigo を使うか、「version: \(Self.version)」にしてください")
        }
    }

    /// What a message names (`a POA&M item`, `requirement 3.1.1`, `objectives of 3.1.1`, a YAML key) in Japanese, for
    /// the Japanese messages: the descriptive phrases translated, keys and ids kept as written in the file.
    static func ja(_ what: String) -> String {
        let fixed: [String: String] = [
            "a POA&M item": "是正計画の項目", "a milestone": "マイルストーン", "a component": "構成要素", "an evidence entry": "証跡",
            "the file": "ファイル", "milestone due": "マイルストーンの期日（due）", "component name": "構成要素の名前（name）",
            "component type": "構成要素の種類（type）", "component description": "構成要素の説明（description）",
            "evidence location": "証跡の場所（location）",
        ]
        if let j = fixed[what] { return j }
        for (prefix, template) in [("objectives of ", "%@ の評価目標"), ("evidence of ", "%@ の証跡"), ("requirement ", "要件 %@"),
                                   ("objective ", "評価目標 %@"), ("milestones of the POA&M item for ", "%@ の是正計画のマイルストーン")]
        where what.hasPrefix(prefix) {
            return template.replacingOccurrences(of: "%@", with: String(what.dropFirst(prefix.count)))
        }
        return what
    }

    /// The folder format this reader and `AssessmentWorkspace.write` use.
    static let version = "1"

    func strings(_ node: Node?, _ what: String) throws(WorkspaceError) -> [String] {
        guard let node, !isNull(node) else { return [] }
        if case .scalar(let s) = node { return [s.string] }
        guard let seq = node.sequence else { throw error(node, "\(what) must be a list", ja: "\(Self.ja(what)) はリストで書いてください") }
        var out: [String] = []
        for item in seq { if let s = try string(item, what) { out.append(s) } }
        return out
    }

    func enumValue<E: RawRepresentable & CaseIterable>(_ node: Node?, _ what: String, _: E.Type) throws(WorkspaceError) -> E?
    where E.RawValue == String {
        guard let s = try string(node, what) else { return nil }
        guard let v = E(rawValue: s.lowercased()) else {
            let allowed = E.allCases.map(\.rawValue).joined(separator: ", ")
            let close = E.allCases.map(\.rawValue).min { editDistanceSmall(s, $0) < editDistanceSmall(s, $1) }
            throw error(node, "\(what) '\(s)' is not one of: \(allowed)" + (close.map { ". Did you mean '\($0)'?" } ?? ""),
                        ja: "\(Self.ja(what)) の「\(s)」は使えません。使える値: \(allowed)" + (close.map { "。「\($0)」のことですか?" } ?? ""))
        }
        return v
    }

    /// Keys the reader does not know are refused, so typos never silently drop data. (A key given twice never
    /// gets here: the parser refuses it, and `parse` names its line.) The suggestion is the key `hints` names for
    /// a word people write instead (`due` → `scheduledCompletion`), else the closest key by spelling when it is
    /// close enough to be the one meant, else one that contains the word; never a key merely the least far away.
    func checkKeys(_ m: Node.Mapping, allowed: Set<String>, in what: String, hints: [String: String] = [:]) throws(WorkspaceError) {
        for (k, _) in m {
            guard let key = k.string, allowed.contains(key) else {
                let name = k.string ?? "?"
                let close = Self.suggestion(for: name, allowed: allowed, hints: hints)
                throw error(k, "unknown key '\(name)' in \(what)" + (close.map { "; did you mean '\($0)'?" } ?? ".")
                    + " Allowed: \(allowed.sorted().joined(separator: ", ")).",
                            ja: "\(Self.ja(what))に「\(name)」というキーはありません" + (close.map { "。「\($0)」のことですか?" } ?? "。")
                                + " 使えるキー: \(allowed.sorted().joined(separator: ", "))。")
            }
        }
    }

    /// The key meant by `name`, if one can be told (see `checkKeys`).
    static func suggestion(for name: String, allowed: Set<String>, hints: [String: String]) -> String? {
        let folded = name.lowercased().filter { $0.isLetter || $0.isNumber }
        if let hinted = hints[folded], allowed.contains(hinted) { return hinted }
        if let same = allowed.first(where: { $0.lowercased() == folded }) { return same }
        let ranked = allowed.map { ($0, editDistanceSmall(folded, $0)) }.sorted { ($0.1, $0.0) < ($1.1, $1.0) }
        if let best = ranked.first, best.1 <= max(1, min(3, best.0.count / 3)) { return best.0 }
        if folded.count >= 3, let containing = allowed.sorted().first(where: { $0.lowercased().contains(folded) || folded.contains($0.lowercased()) }) {
            return containing
        }
        return nil
    }
}

func editDistanceSmall(_ a: String, _ b: String) -> Int { editDistance(a.lowercased(), b.lowercased()) }

/// Builds YAML nodes in a fixed order so files diff cleanly.
enum YAMLWriter {
    static func s(_ v: String) -> Node { Node(v) }
    static func map(_ pairs: [(String, Node?)]) -> Node {
        Node.mapping(Node.Mapping(pairs.compactMap { k, v in v.map { (Node(k), $0) } }))
    }
    static func seq(_ items: [Node]) -> Node { Node.sequence(Node.Sequence(items)) }
    static func text(_ v: String?) -> Node? { v.flatMap { $0.isEmpty ? nil : Node($0) } }

    static func render(_ node: Node, header: String) throws -> String {
        header + (try Yams.serialize(node: node, indent: 2, width: -1, allowUnicode: true))
    }
}
