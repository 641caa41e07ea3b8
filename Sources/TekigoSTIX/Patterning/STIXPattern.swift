import Foundation

/// A STIX 2.1 indicator pattern (`pattern_type: "stix"`, STIX 2.1 §9 Patterning), parsed and checked.
///
/// `parse` reads the text by the grammar of §9 (the OASIS `STIXPattern.g4` is its machine-readable form) and refuses
/// anything else with the character offset and a specific reason. On top of the grammar it checks the rules the OASIS
/// validators (`stix2-patterns`, `stix2-validator`) check, and a few they leave out (marked *stricter* below):
/// - object types follow the STIX type rule (§3.1: 3–250 characters of a–z, 0–9 and `-`, starting with a letter) and
///   the first property of an object path is a STIX property name (a–z, 0–9, `_`, 3–250 characters; `id` too);
/// - a value compared with a hash (`hashes.MD5`, `hashes.'SHA-256'`, …) has the form of its algorithm, whatever the
///   operator, and a set of hashes (`IN`) is refused, as stix2-patterns refuses both;
/// - list indexes are 0 or more (stix2-patterns fails on a negative one);
/// - a bracketed observation carries at most one qualifier of each kind;
/// - timestamp literals are real instants (*stricter*: no 30 February, which the grammar alone lets through);
/// - `WITHIN` and `REPEATS` take a number greater than zero (*stricter*: the grammar allows 0), and `START` is
///   earlier than `STOP` (*stricter*);
/// - integers fit in 64 bits (*stricter*), and nesting is at most `maximumDepth` deep (a bound against hostile input).
///
/// Positions are 0-based offsets in Unicode scalars (code points), the unit Python's validator reports; for the
/// ASCII text of nearly every pattern that is the character offset.
///
/// Hand-written (a small lexer and a recursive-descent parser, `STIXPatternParser`): no STIX patterning parser
/// exists for Swift, and an ANTLR runtime would be a large dependency for a 60-line grammar. Two patterns are equal
/// when their texts are equal.
public struct STIXPattern: Sendable, Hashable, CustomStringConvertible {
    /// The pattern as given.
    public let text: String
    /// The whole pattern: observation expressions joined by AND, OR and FOLLOWEDBY.
    public let expression: Observation

    /// How deep parentheses and brackets may nest before a pattern is refused.
    public static let maximumDepth = 64

    init(text: String, expression: Observation) {
        self.text = text
        self.expression = expression
    }

    /// Parses `text`; throws the first problem found, with its position.
    public static func parse(_ text: String) throws(STIXPatternError) -> STIXPattern {
        var parser = STIXPatternParser(text)
        return STIXPattern(text: text, expression: try parser.parsePattern())
    }

    public var description: String { text }

    public static func == (a: STIXPattern, b: STIXPattern) -> Bool { a.text == b.text }
    public func hash(into hasher: inout Hasher) { hasher.combine(text) }

    /// Every comparison of the pattern, in the order written.
    public var comparisons: [Comparison] {
        var out: [Comparison] = []
        expression.forEachComparison { out.append($0) }
        return out
    }

    /// Every object path compared in the pattern (e.g. "ipv4-addr:value", "file:hashes.'SHA-256'"), each once, in the
    /// order of first appearance.
    public var objectPaths: [STIXObjectPath] {
        var seen = Set<STIXObjectPath>()
        return comparisons.compactMap { seen.insert($0.path).inserted ? $0.path : nil }
    }

    /// The (path, literal) pairs compared with `=` (not negated), for "search by value" (IP, domain, hash, URL,
    /// e-mail), in the order written. The value is the literal's content: a string unescaped, a number as written,
    /// a timestamp, hex or base64 text without its `t'…'`, `h'…'`, `b'…'`.
    public var equalityComparisons: [(path: STIXObjectPath, value: String)] {
        comparisons.compactMap { c in
            guard c.op == .equal, !c.negated, let value = c.value else { return nil }
            return (c.path, value.text)
        }
    }

    /// The pairs of `equalityComparisons` plus each member of a set compared with `IN` (not negated): every value
    /// the pattern names positively, e.g. both addresses of `[ipv4-addr:value IN ('198.51.100.1', '198.51.100.2')]`.
    public var namedValues: [(path: STIXObjectPath, value: String)] {
        comparisons.flatMap { c -> [(path: STIXObjectPath, value: String)] in
            guard !c.negated, let value = c.value else { return [] }
            switch (c.op, value) {
            case (.equal, _): return [(c.path, value.text)]
            case (.in, .set(let members)): return members.map { (c.path, $0.text) }
            default: return []
            }
        }
    }

    /// `value` as a pattern string literal: in single quotes, with `\` and `'` escaped.
    public static func stringLiteral(_ value: String) -> String {
        var out = "'"
        for ch in value.unicodeScalars {
            if ch == "\\" || ch == "'" { out.unicodeScalars.append("\\") }
            out.unicodeScalars.append(ch)
        }
        out.append("'")
        return out
    }

    /// The one-comparison pattern `[path = 'value']`, e.g. for an indicator made from an observed address; parsed
    /// like any other, so a value that breaks a rule (a malformed hash) is refused here, not by the receiver.
    public static func equality(_ path: STIXObjectPath, _ value: String) throws(STIXPatternError) -> STIXPattern {
        try parse("[\(path) = \(stringLiteral(value))]")
    }
}

extension STIXPattern {
    /// An observation expression (§9.4–9.6).
    public indirect enum Observation: Sendable, Hashable {
        /// `[ … ]` with the qualifiers written after it.
        case observation(ComparisonExpression, qualifiers: [Qualifier])
        /// `( … )` with the qualifiers written after it.
        case group(Observation, qualifiers: [Qualifier])
        /// Two or more observation expressions joined by the operator, in the order written.
        case and([Observation])
        case or([Observation])
        case followedBy([Observation])

        func forEachComparison(_ body: (Comparison) -> Void) {
            switch self {
            case .observation(let c, _): c.forEachComparison(body)
            case .group(let o, _): o.forEachComparison(body)
            case .and(let list), .or(let list), .followedBy(let list): list.forEach { $0.forEachComparison(body) }
            }
        }
    }

    /// The comparisons inside one pair of brackets, joined by AND and OR (AND binds tighter; parentheses group).
    public indirect enum ComparisonExpression: Sendable, Hashable {
        case comparison(Comparison)
        case and([ComparisonExpression])
        case or([ComparisonExpression])

        func forEachComparison(_ body: (Comparison) -> Void) {
            switch self {
            case .comparison(let c): body(c)
            case .and(let list), .or(let list): list.forEach { $0.forEachComparison(body) }
            }
        }
    }

    /// One comparison: an object path, an operator (perhaps negated with NOT) and a literal (none for EXISTS).
    public struct Comparison: Sendable, Hashable {
        public let path: STIXObjectPath
        public let negated: Bool
        public let op: Operator
        /// Nil only for `EXISTS`.
        public let value: Literal?

        public init(path: STIXObjectPath, negated: Bool, op: Operator, value: Literal?) {
            self.path = path
            self.negated = negated
            self.op = op
            self.value = value
        }
    }

    /// The comparison operators of §9.5.
    public enum Operator: String, Sendable, Hashable, CaseIterable {
        case equal = "="
        case notEqual = "!="
        case greater = ">"
        case less = "<"
        case greaterOrEqual = ">="
        case lessOrEqual = "<="
        case `in` = "IN"
        case like = "LIKE"
        case matches = "MATCHES"
        case isSubset = "ISSUBSET"
        case isSuperset = "ISSUPERSET"
        case exists = "EXISTS"
    }

    /// A literal (a "constant" in §9.3).
    public enum Literal: Sendable, Hashable {
        /// The content, unescaped.
        case string(String)
        case integer(Int)
        /// The number and the digits as written.
        case float(Double, text: String)
        case boolean(Bool)
        case timestamp(STIXTimestamp, text: String)
        /// The base64 text between `b'` and `'`.
        case binary(String)
        /// The hexadecimal digits between `h'` and `'`.
        case hex(String)
        /// `( … )`, the right side of IN.
        case set([Literal])

        /// The value as text: see `STIXPattern.equalityComparisons`. A set is its members' texts joined by ", ".
        public var text: String {
            switch self {
            case .string(let s), .binary(let s), .hex(let s): return s
            case .integer(let i): return String(i)
            case .float(_, let text), .timestamp(_, let text): return text
            case .boolean(let b): return b ? "true" : "false"
            case .set(let members): return members.map(\.text).joined(separator: ", ")
            }
        }
    }

    /// The observation qualifiers of §9.6.
    public enum Qualifier: Sendable, Hashable {
        case within(seconds: Double)
        case repeats(times: Int)
        case startStop(start: STIXTimestamp, stop: STIXTimestamp)
    }
}

/// Why a pattern cannot be read: where (0-based, in Unicode scalars) and what was expected and found.
public struct STIXPatternError: Error, Sendable, Equatable, CustomStringConvertible {
    /// 0-based character offset in the pattern text.
    public let position: Int
    /// English, specific: what was expected, what was found.
    public let reason: String

    public init(position: Int, reason: String) {
        self.position = position
        self.reason = reason
    }

    /// The problem as object validation reports it (en/ja).
    public var problem: STIXProblem { .invalidPattern(position: position, reason: reason) }

    public var description: String { "character \(position): \(reason)" }
}
