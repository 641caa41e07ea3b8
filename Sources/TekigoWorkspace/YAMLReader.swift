import TekigoCore
import Yams

/// Problems in a workspace file, each with its file and line so the user can go straight there.
public struct WorkspaceError: Error, Equatable, CustomStringConvertible {
    public let file: String
    public let line: Int?
    public let message: String

    public init(file: String, line: Int?, message: String) {
        self.file = file
        self.line = line
        self.message = message
    }

    public var description: String { "\(file)\(line.map { ":\($0)" } ?? ""): \(message)" }
}

/// Reads a composed YAML node with errors that name file and line.
struct YAMLReader {
    let file: String

    func error(_ node: Node?, _ message: String) -> WorkspaceError {
        WorkspaceError(file: file, line: node?.mark?.line, message: message)
    }

    func parse(_ text: String) throws(WorkspaceError) -> Node {
        do {
            guard let node = try Yams.compose(yaml: text) else {
                throw WorkspaceError(file: file, line: nil, message: "the file is empty")
            }
            return node
        } catch let e as WorkspaceError {
            throw e
        } catch let e as YamlError {
            throw WorkspaceError(file: file, line: Self.line(of: e), message: "not valid YAML: " + Self.problem(of: e))
        } catch {
            throw WorkspaceError(file: file, line: nil, message: "not valid YAML: \(error)")
        }
    }

    static func line(of e: YamlError) -> Int? {
        switch e {
        case .scanner(_, _, let mark, _), .parser(_, _, let mark, _), .composer(_, _, let mark, _): return mark.line
        case .duplicatedKeysInMapping(_, let context): return context.mark.line
        default: return nil
        }
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
        guard let m = node?.mapping else { throw error(node, "\(what) must be a mapping (key: value lines)") }
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
        guard case .scalar(let s) = node else { throw error(node, "\(what) must be text") }
        return s.string
    }

    func int(_ node: Node?, _ what: String) throws(WorkspaceError) -> Int? {
        guard let s = try string(node, what) else { return nil }
        guard let i = Int(s) else { throw error(node, "\(what) must be a whole number, not '\(s)'") }
        return i
    }

    func bool(_ node: Node?, _ what: String) throws(WorkspaceError) -> Bool? {
        guard let s = try string(node, what) else { return nil }
        switch s.lowercased() {
        case "true", "yes": return true
        case "false", "no": return false
        default: throw error(node, "\(what) must be true or false, not '\(s)'")
        }
    }

    func day(_ node: Node?, _ what: String) throws(WorkspaceError) -> Day? {
        guard let s = try string(node, what) else { return nil }
        guard let d = Day(s) else { throw error(node, "\(what) must be a date written YYYY-MM-DD, not '\(s)'") }
        return d
    }

    /// A list field: absent or empty is no items; anything but a list (a mapping written where `- ` items belong,
    /// or a single value) is an error, never silently no items — a later write would erase what was written.
    func list(_ node: Node?, _ what: String) throws(WorkspaceError) -> [Node] {
        guard let node, !isNull(node) else { return [] }
        guard let seq = node.sequence else {
            let shape = node.mapping != nil ? "is written as a mapping (key: value lines)" : "is a single value"
            throw error(node, "\(what) must be a list, but it \(shape): start each item with '- ' on its own line")
        }
        return Array(seq)
    }

    /// Refuses a file whose `version` is missing or not one this reader knows.
    func checkVersion(_ root: Node.Mapping, rootNode: Node) throws(WorkspaceError) {
        guard let node = root["version"] else {
            throw error(rootNode, "version is missing: add the line 'version: \(Self.version)' at the top of the file")
        }
        let v = try string(node, "version")
        guard v == Self.version else {
            throw error(node, "version \(v ?? "(empty)") is not a version this Tekigo reads (\(Self.version)); "
                + "a newer Tekigo wrote this folder, or the line was edited: use that Tekigo, or set 'version: \(Self.version)'")
        }
    }

    /// The folder format this reader and `AssessmentWorkspace.write` use.
    static let version = "1"

    func strings(_ node: Node?, _ what: String) throws(WorkspaceError) -> [String] {
        guard let node, !isNull(node) else { return [] }
        if case .scalar(let s) = node { return [s.string] }
        guard let seq = node.sequence else { throw error(node, "\(what) must be a list") }
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
            throw error(node, "\(what) '\(s)' is not one of: \(allowed)" + (close.map { ". Did you mean '\($0)'?" } ?? ""))
        }
        return v
    }

    /// Keys the reader does not know are refused, so typos never silently drop data. (A key given twice never
    /// gets here: the parser refuses it, and `parse` names its line.)
    func checkKeys(_ m: Node.Mapping, allowed: Set<String>, in what: String) throws(WorkspaceError) {
        for (k, _) in m {
            guard let key = k.string, allowed.contains(key) else {
                let name = k.string ?? "?"
                let close = allowed.min { editDistanceSmall(name, $0) < editDistanceSmall(name, $1) }
                throw error(k, "unknown key '\(name)' in \(what)" + (close.map { "; did you mean '\($0)'?" } ?? "")
                    + " Allowed: \(allowed.sorted().joined(separator: ", ")).")
            }
        }
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
