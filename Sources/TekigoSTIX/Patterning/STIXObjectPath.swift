import Foundation

/// An object path of a STIX pattern (§9.4 "Object Path Syntax"): an object type, a colon, a property, then any
/// number of steps into it — `.name` or `.'quoted name'` for a key, `[2]` for a list index, `[*]` for any element.
/// E.g. `file:hashes.'SHA-256'`, `email-message:body_multipart[*].body_raw_ref.name`,
/// `file:extensions.'windows-pebinary-ext'.sections[*].entropy`.
public struct STIXObjectPath: Sendable, Hashable, Comparable, CustomStringConvertible {
    public enum Step: Sendable, Hashable {
        /// A property or dictionary key (the quotes of `.'SHA-256'` are not part of it).
        case property(String)
        /// `[n]`: the list element at n.
        case index(Int)
        /// `[*]`: any element of the list.
        case anyIndex
    }

    /// The STIX Cyber-observable type, e.g. `ipv4-addr`.
    public let objectType: String
    /// The top-level property, e.g. `value`, `hashes`.
    public let property: String
    /// The steps after the top-level property.
    public let steps: [Step]

    public init(objectType: String, property: String, steps: [Step] = []) {
        self.objectType = objectType
        self.property = property
        self.steps = steps
    }

    /// Reads a path written as in a pattern, e.g. "file:hashes.'SHA-256'" (the same rules as inside a pattern).
    public static func parse(_ text: String) throws(STIXPatternError) -> STIXObjectPath {
        var parser = STIXPatternParser(text)
        return try parser.parseStandalonePath()
    }

    /// The path as a pattern writes it: a key is bare when it is a plain name (letters, digits, `_`, not a keyword),
    /// quoted otherwise. `file:hashes.'SHA-256'`, `file:hashes.MD5`.
    public var description: String {
        var out = objectType + ":" + Self.key(property)
        for step in steps {
            switch step {
            case .property(let p): out += "." + Self.key(p)
            case .index(let i): out += "[\(i)]"
            case .anyIndex: out += "[*]"
            }
        }
        return out
    }

    public static func < (a: STIXObjectPath, b: STIXObjectPath) -> Bool { a.description < b.description }

    static func key(_ name: String) -> String {
        isPlainName(name) && !STIXPatternLexer.keywords.contains(name) ? name : STIXPattern.stringLiteral(name)
    }

    /// `[a-zA-Z_][a-zA-Z0-9_]*`: a key the grammar reads without quotes.
    static func isPlainName(_ name: String) -> Bool {
        guard let first = name.unicodeScalars.first, first == "_" || first.isPatternLetter else { return false }
        return name.unicodeScalars.allSatisfy { $0 == "_" || $0.isPatternLetter || $0.isPatternDigit }
    }

    /// STIX 2.1 §3.1 property names: a–z, 0–9 and `_`, 3 to 250 characters; `id` (every cyber-observable's
    /// identifier) is the one shorter name a path can start with.
    static func isPropertyName(_ name: String) -> Bool {
        if name == "id" { return true }
        let u = name.unicodeScalars
        return (3...250).contains(u.count) && u.allSatisfy { $0 == "_" || ("a"..."z").contains($0) || $0.isPatternDigit }
    }
}
