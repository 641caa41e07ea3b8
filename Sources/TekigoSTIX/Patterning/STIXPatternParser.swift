import Foundation

/// The recursive-descent parser behind `STIXPattern.parse`, one function per rule of STIX 2.1 §9:
///
/// ```
/// pattern        := followedBy END
/// followedBy     := observationOr ( FOLLOWEDBY observationOr )*         loosest between observations
/// observationOr  := observationAnd ( OR observationAnd )*
/// observationAnd := observation ( AND observation )*                   tightest
/// observation    := ( '[' comparisonOr ']' | '(' followedBy ')' ) qualifier*
/// qualifier      := WITHIN number SECONDS | REPEATS integer TIMES | START t'…' STOP t'…'
/// comparisonOr   := comparisonAnd ( OR comparisonAnd )*                 inside brackets, AND binds tighter too
/// comparisonAnd  := test ( AND test )*
/// test           := '(' comparisonOr ')' | EXISTS path | path NOT? operator literal
/// path           := type ':' ( name | 'string' ) ( '.' ( name | 'string' ) | '[' ( integer | '*' ) ']' )*
/// ```
/// One token of look-ahead; chains of AND / OR / FOLLOWEDBY are read in loops (a long OR list costs no stack), and
/// only brackets and parentheses recurse, at most `STIXPattern.maximumDepth` deep.
struct STIXPatternParser {
    private var lexer: STIXPatternLexer
    private var token = STIXPatternToken(kind: .end, start: 0, end: 0)
    private var depth = 0

    init(_ text: String) {
        lexer = STIXPatternLexer(text)
    }

    // MARK: entry points

    mutating func parsePattern() throws(STIXPatternError) -> STIXPattern.Observation {
        try advance()
        if token.kind == .end {
            throw fail(token.start, "the pattern is empty; it needs at least one observation in brackets, "
                       + "e.g. [ipv4-addr:value = '198.51.100.1']")
        }
        let expression = try parseFollowedBy()
        guard token.kind == .end else {
            throw fail(token.start, "expected AND, OR, FOLLOWEDBY, a qualifier (WITHIN, REPEATS, START) or the end of "
                       + "the pattern, found \(describe(token))")
        }
        return expression
    }

    mutating func parseStandalonePath() throws(STIXPatternError) -> STIXObjectPath {
        try advance()
        let path = try parsePath()
        guard token.kind == .end else {
            throw fail(token.start, "expected the end of the object path, found \(describe(token))")
        }
        return path
    }

    // MARK: observation expressions

    private mutating func parseFollowedBy() throws(STIXPatternError) -> STIXPattern.Observation {
        var items = [try parseObservationOr()]
        while isKeyword("FOLLOWEDBY") {
            try advance()
            items.append(try parseObservationOr())
        }
        return items.count == 1 ? items[0] : .followedBy(items)
    }

    private mutating func parseObservationOr() throws(STIXPatternError) -> STIXPattern.Observation {
        var items = [try parseObservationAnd()]
        while isKeyword("OR") {
            try advance()
            items.append(try parseObservationAnd())
        }
        return items.count == 1 ? items[0] : .or(items)
    }

    private mutating func parseObservationAnd() throws(STIXPatternError) -> STIXPattern.Observation {
        var items = [try parseObservation()]
        while isKeyword("AND") {
            try advance()
            items.append(try parseObservation())
        }
        return items.count == 1 ? items[0] : .and(items)
    }

    private mutating func parseObservation() throws(STIXPatternError) -> STIXPattern.Observation {
        let open = token.start
        switch token.kind {
        case .leftBracket:
            try enter(open)
            try advance()
            if token.kind == .rightBracket {
                throw fail(token.start, "the observation opened at character \(open) is empty; it needs a comparison, "
                           + "e.g. [ipv4-addr:value = '198.51.100.1']")
            }
            let comparisons = try parseComparisonOr()
            guard token.kind == .rightBracket else {
                throw fail(token.start, "expected AND, OR or ']' to close the observation opened at character \(open), "
                           + "found \(describe(token))")
            }
            depth -= 1
            try advance()
            return .observation(comparisons, qualifiers: try parseQualifiers(checkDuplicates: true))
        case .leftParen:
            try enter(open)
            try advance()
            if token.kind == .rightParen {
                throw fail(token.start, "the parentheses opened at character \(open) are empty; they must hold observations")
            }
            let inner = try parseFollowedBy()
            guard token.kind == .rightParen else {
                throw fail(token.start, "expected AND, OR, FOLLOWEDBY, a qualifier or ')' to close the '(' at character "
                           + "\(open), found \(describe(token))")
            }
            depth -= 1
            try advance()
            // As the OASIS validator: the one-of-each-kind rule is for a bracketed observation; a parenthesised group
            // may be qualified again (`([a] WITHIN 5 SECONDS) WITHIN 6 SECONDS`).
            return .group(inner, qualifiers: try parseQualifiers(checkDuplicates: false))
        case .end:
            throw fail(token.start, "the pattern ends where an observation was expected (an observation is a comparison "
                       + "in brackets, e.g. [file:name = 'a.exe'])")
        default:
            throw fail(token.start, "expected an observation: '[' with a comparison inside (e.g. [file:size = 1280]) "
                       + "or '(', found \(describe(token))")
        }
    }

    private mutating func parseQualifiers(checkDuplicates: Bool) throws(STIXPatternError) -> [STIXPattern.Qualifier] {
        var qualifiers: [STIXPattern.Qualifier] = []
        var seen: [String: Int] = [:]
        while case .keyword(let keyword) = token.kind, ["WITHIN", "REPEATS", "START"].contains(keyword) {
            let at = token.start
            if checkDuplicates, let first = seen[keyword] {
                throw fail(at, "a second \(keyword) qualifier on the same observation (the first is at character \(first)); "
                           + "an observation takes each kind of qualifier once")
            }
            seen[keyword] = at
            try advance()
            switch keyword {
            case "WITHIN":
                let number = token
                let seconds: Double
                switch number.kind {
                case .integer(let text), .float(let text):
                    guard let value = Double(text), value > 0 else {
                        throw fail(number.start, "WITHIN needs a number of seconds greater than 0, found \(text)")
                    }
                    seconds = value
                default:
                    throw fail(number.start, "expected the number of seconds after WITHIN (e.g. WITHIN 300 SECONDS), "
                               + "found \(describe(number))")
                }
                try advance()
                try expectKeyword("SECONDS", "after WITHIN \(lexer.text(number.start, number.end)) (seconds are the only unit)")
                qualifiers.append(.within(seconds: seconds))
            case "REPEATS":
                let number = token
                let times: Int
                switch number.kind {
                case .integer(let text):
                    guard let value = Int(text), value > 0 else {
                        throw fail(number.start, "REPEATS needs a whole number of times greater than 0, found \(text)")
                    }
                    times = value
                case .float(let text):
                    throw fail(number.start, "REPEATS needs a whole number of times, found \(text)")
                default:
                    throw fail(number.start, "expected the number of times after REPEATS (e.g. REPEATS 5 TIMES), "
                               + "found \(describe(number))")
                }
                try advance()
                try expectKeyword("TIMES", "after REPEATS \(times)")
                qualifiers.append(.repeats(times: times))
            default:
                let (start, startText) = try expectTimestamp(after: "START")
                try expectKeyword("STOP", "after START t'\(startText)' (the window is START t'…' STOP t'…')")
                let stopAt = token.start
                let (stop, stopText) = try expectTimestamp(after: "STOP")
                guard start < stop else {
                    throw fail(stopAt, "STOP t'\(stopText)' is not later than START t'\(startText)': the window would be empty")
                }
                qualifiers.append(.startStop(start: start, stop: stop))
            }
        }
        return qualifiers
    }

    private mutating func expectTimestamp(after keyword: String) throws(STIXPatternError) -> (STIXTimestamp, String) {
        guard case .timestamp(let t, let text) = token.kind else {
            throw fail(token.start, "expected a timestamp after \(keyword), written t'2016-06-01T01:30:00Z', found \(describe(token))")
        }
        try advance()
        return (t, text)
    }

    // MARK: comparison expressions

    private mutating func parseComparisonOr() throws(STIXPatternError) -> STIXPattern.ComparisonExpression {
        var items = [try parseComparisonAnd()]
        while isKeyword("OR") {
            try advance()
            items.append(try parseComparisonAnd())
        }
        return items.count == 1 ? items[0] : .or(items)
    }

    private mutating func parseComparisonAnd() throws(STIXPatternError) -> STIXPattern.ComparisonExpression {
        var items = [try parseTest()]
        while isKeyword("AND") {
            try advance()
            items.append(try parseTest())
        }
        return items.count == 1 ? items[0] : .and(items)
    }

    private mutating func parseTest() throws(STIXPatternError) -> STIXPattern.ComparisonExpression {
        switch token.kind {
        case .leftParen:
            let open = token.start
            try enter(open)
            try advance()
            if token.kind == .rightParen {
                throw fail(token.start, "the parentheses opened at character \(open) are empty; they must hold comparisons")
            }
            let inner = try parseComparisonOr()
            guard token.kind == .rightParen else {
                throw fail(token.start, "expected AND, OR or ')' to close the '(' at character \(open), found \(describe(token))")
            }
            depth -= 1
            try advance()
            return inner
        case .keyword("EXISTS"):
            try advance()
            return .comparison(STIXPattern.Comparison(path: try parsePath(), negated: false, op: .exists, value: nil))
        case .identifier:
            return .comparison(try parseComparison())
        case .keyword("NOT"):
            throw fail(token.start, "NOT goes between the object path and the operator, e.g. [file:name NOT LIKE 'tmp%']")
        case .end:
            throw fail(token.start, "the pattern ends inside an observation, where a comparison was expected")
        default:
            throw fail(token.start, "expected a comparison (an object path such as file:name, EXISTS, or '('), "
                       + "found \(describe(token))")
        }
    }

    private mutating func parseComparison() throws(STIXPatternError) -> STIXPattern.Comparison {
        let path = try parsePath()
        var negated = false
        if isKeyword("NOT") {
            negated = true
            try advance()
        }
        let opToken = token
        let op: STIXPattern.Operator
        let value: STIXPattern.Literal
        var valueAt = token.start
        switch opToken.kind {
        case .comparator(let comparator):
            op = comparator
            try advance()
            valueAt = token.start
            value = try parseLiteral(after: lexer.text(opToken.start, opToken.end))
            if op != .equal && op != .notEqual, case .boolean = value {
                throw fail(valueAt, "\(op.rawValue) compares order, and true/false have none; compare them with = or !=")
            }
        case .keyword("IN"):
            op = .in
            try advance()
            valueAt = token.start
            guard token.kind == .leftParen else {
                throw fail(token.start, "IN needs a set in parentheses, e.g. IN ('198.51.100.1', '198.51.100.2'), found \(describe(token))")
            }
            value = try parseSet()
        case .keyword(let keyword) where ["LIKE", "MATCHES", "ISSUBSET", "ISSUPERSET"].contains(keyword):
            op = STIXPattern.Operator(rawValue: keyword)!
            try advance()
            valueAt = token.start
            guard case .string(let s) = token.kind else {
                throw fail(token.start, "\(keyword) needs a string in single quotes, found \(describe(token))")
            }
            try advance()
            value = .string(s)
        case .keyword("EXISTS"):
            throw fail(opToken.start, "EXISTS goes before the object path: [EXISTS \(path)]")
        case .end:
            throw fail(opToken.start, "the pattern ends where a comparison operator was expected after \(path)")
        default:
            throw fail(opToken.start, "expected a comparison operator (=, !=, <, <=, >, >=, IN, LIKE, MATCHES, ISSUBSET, "
                       + "ISSUPERSET) after \(path), found \(describe(opToken))")
        }
        let comparison = STIXPattern.Comparison(path: path, negated: negated, op: op, value: value)
        try checkHash(comparison, at: valueAt)
        return comparison
    }

    private mutating func parseLiteral(after what: String) throws(STIXPatternError) -> STIXPattern.Literal {
        let literal: STIXPattern.Literal
        switch token.kind {
        case .string(let s): literal = .string(s)
        case .integer(let text):
            guard let i = Int(text) else {
                throw fail(token.start, "the integer \(text) does not fit in 64 bits")
            }
            literal = .integer(i)
        case .float(let text): literal = .float(Double(text) ?? .nan, text: text)
        case .keyword("true"): literal = .boolean(true)
        case .keyword("false"): literal = .boolean(false)
        case .timestamp(let t, let text): literal = .timestamp(t, text: text)
        case .binary(let b): literal = .binary(b)
        case .hex(let h): literal = .hex(h)
        case .leftParen:
            throw fail(token.start, "a set ( … ) can only follow IN, not \(what)")
        case .identifier(let word):
            throw fail(token.start, "expected a value after \(what), found the word '\(word)'; a string is written in single "
                       + "quotes: '\(word)'")
        default:
            throw fail(token.start, "expected a value after \(what) (a string in single quotes, a number, true or false, "
                       + "t'…', h'…' or b'…'), found \(describe(token))")
        }
        try advance()
        return literal
    }

    private mutating func parseSet() throws(STIXPatternError) -> STIXPattern.Literal {
        let open = token.start
        try advance()
        var members: [STIXPattern.Literal] = []
        if token.kind == .rightParen {
            try advance()
            return .set(members)
        }
        while true {
            members.append(try parseLiteral(after: members.isEmpty ? "'(' of the set" : "','"))
            switch token.kind {
            case .comma: try advance()
            case .rightParen:
                try advance()
                return .set(members)
            default:
                throw fail(token.start, "expected ',' or ')' in the set opened at character \(open), found \(describe(token))")
            }
        }
    }

    // MARK: object paths

    private mutating func parsePath() throws(STIXPatternError) -> STIXObjectPath {
        let typeToken = token
        guard case .identifier(let type) = typeToken.kind else {
            if case .keyword(let k) = typeToken.kind {
                throw fail(typeToken.start, "expected an object path (type:property, e.g. file:name), found the keyword \(k)")
            }
            throw fail(typeToken.start, "expected an object path (type:property, e.g. file:name), found \(describe(typeToken))")
        }
        guard STIXIdentifier.isValidType(type) else {
            throw fail(typeToken.start, "'\(type)' is not a STIX object type: a type is 3 to 250 characters of a–z, 0–9 "
                       + "and '-', starting with a letter (e.g. ipv4-addr, x-acme-sensor)")
        }
        try advance()
        guard token.kind == .colon else {
            throw fail(token.start, "expected ':' after the object type '\(type)' (an object path is type:property, "
                       + "e.g. \(type):name), found \(describe(token))")
        }
        try advance()
        let propertyAt = token.start
        let property = try pathKey(after: "'\(type):'")
        guard STIXObjectPath.isPropertyName(property) else {
            throw fail(propertyAt, "'\(property)' is not a STIX property name: a property is 3 to 250 characters of a–z, "
                       + "0–9 and '_'")
        }
        var steps: [STIXObjectPath.Step] = []
        while true {
            switch token.kind {
            case .dot:
                try advance()
                steps.append(.property(try pathKey(after: "'.'")))
            case .leftBracket:
                let open = token.start
                try advance()
                switch token.kind {
                case .integer(let text):
                    guard let i = Int(text), i >= 0 else {
                        throw fail(token.start, "the list index \(text) is not a whole number from 0 up (the first element is [0])")
                    }
                    steps.append(.index(i))
                case .asterisk:
                    steps.append(.anyIndex)
                default:
                    throw fail(token.start, "expected a list index, a whole number or '*' (e.g. [0] or [*]), after the '[' at "
                               + "character \(open), found \(describe(token))")
                }
                try advance()
                guard token.kind == .rightBracket else {
                    throw fail(token.start, "expected ']' to close the list index opened at character \(open), found \(describe(token))")
                }
                try advance()
            default:
                return STIXObjectPath(objectType: type, property: property, steps: steps)
            }
        }
    }

    /// A property or key: a name without '-', or a quoted string.
    private mutating func pathKey(after what: String) throws(STIXPatternError) -> String {
        switch token.kind {
        case .identifier(let name):
            if name.contains("-") {
                throw fail(token.start, "a property name written without quotes cannot contain '-'; quote it: "
                           + STIXPattern.stringLiteral(name))
            }
            try advance()
            return name
        case .string(let s):
            try advance()
            return s
        case .keyword(let k):
            throw fail(token.start, "\(k) is a keyword; as a property name it must be quoted: '\(k)'")
        default:
            throw fail(token.start, "expected a property name after \(what), found \(describe(token))")
        }
    }

    // MARK: semantic checks

    /// Hash algorithms whose values have a fixed form, keyed by the name upper-cased without '-': the lengths in
    /// hexadecimal digits it may have, or none for SSDEEP (1–128 characters of A–Z a–z 0–9 / + : .). The ones
    /// stix2-patterns checks.
    private static let hashForms: [String: (name: String, hexLengths: [Int])] = [
        "MD5": ("MD5", [32]), "SHA1": ("SHA-1", [40]), "SHA224": ("SHA-224", [56]), "SHA256": ("SHA-256", [64]),
        "SHA384": ("SHA-384", [96]), "SHA512": ("SHA-512", [128]), "SHA3224": ("SHA3-224", [56]),
        "SHA3256": ("SHA3-256", [64]), "SHA3384": ("SHA3-384", [96]), "SHA3512": ("SHA3-512", [128]),
        "RIPEMD160": ("RIPEMD-160", [40]), "WHIRLPOOL": ("WHIRLPOOL", [128]), "MD6": ("MD6", [32, 40, 56, 64, 96, 128]),
        "SSDEEP": ("SSDEEP", []),
    ]

    /// `…hashes.X <op> 'value'`: the value has the form of algorithm X, when X is one the OASIS validator knows. Like
    /// stix2-patterns, every operator is checked (a LIKE or MATCHES on a hash is refused unless its text has the
    /// form), and IN is refused outright: stix2-patterns reads the set as one value, so it refuses every set, and a
    /// pattern Tekigo accepts must pass stix2-validator when served.
    private func checkHash(_ c: STIXPattern.Comparison, at position: Int) throws(STIXPatternError) {
        guard let value = c.value, case .property(let algorithm) = c.path.steps.last else { return }
        let keys = [c.path.property] + c.path.steps.compactMap { if case .property(let p) = $0 { p } else { nil } }
        guard keys.dropLast().contains("hashes"),
              let form = Self.hashForms[algorithm.uppercased().replacingOccurrences(of: "-", with: "")] else { return }
        if case .set = value {
            throw fail(position, "compare a \(form.name) hash with = (one comparison per hash, joined with OR), not IN: "
                       + "the OASIS validator refuses a set of hashes")
        }
        guard case .string(let s) = value else {
            throw fail(position, "a \(form.name) hash is compared with a string in quotes, not \(value.text)")
        }
        let u = s.unicodeScalars
        let ok: Bool
        if !form.hexLengths.isEmpty {
            ok = form.hexLengths.contains(u.count) && u.allSatisfy { $0.isPatternDigit || ("a"..."f").contains($0) || ("A"..."F").contains($0) }
        } else {
            ok = (1...128).contains(u.count)
                && u.allSatisfy { $0.isPatternLetter || $0.isPatternDigit || $0 == "/" || $0 == "+" || $0 == ":" || $0 == "." }
        }
        if !ok {
            let expected = form.hexLengths.isEmpty ? "1 to 128 characters of A–Z, a–z, 0–9, /, +, : and ."
                : form.hexLengths.map(String.init).joined(separator: ", ") + " hexadecimal digits"
            throw fail(position, "'\(s)' is not a valid \(form.name) hash: it must be \(expected)")
        }
    }

    // MARK: tokens

    private mutating func advance() throws(STIXPatternError) {
        token = try lexer.next()
    }

    private func isKeyword(_ keyword: String) -> Bool {
        token.kind == .keyword(keyword)
    }

    private mutating func expectKeyword(_ keyword: String, _ context: String) throws(STIXPatternError) {
        guard isKeyword(keyword) else {
            throw fail(token.start, "expected \(keyword) \(context), found \(describe(token))")
        }
        try advance()
    }

    private mutating func enter(_ position: Int) throws(STIXPatternError) {
        depth += 1
        if depth > STIXPattern.maximumDepth {
            throw fail(position, "brackets and parentheses nest more than \(STIXPattern.maximumDepth) levels deep here")
        }
    }

    private func fail(_ position: Int, _ reason: String) -> STIXPatternError {
        STIXPatternError(position: position, reason: reason)
    }

    /// A token for a message: what it is and how it was written (long ones shortened).
    private func describe(_ t: STIXPatternToken) -> String {
        var written = lexer.text(t.start, t.end)
        if written.count > 40 { written = String(written.prefix(37)) + "…" }
        switch t.kind {
        case .end: return "the end of the pattern"
        case .keyword(let k): return "the keyword \(k)"
        case .identifier(let w):
            let upper = w.uppercased()
            if STIXPatternLexer.keywords.contains(upper) && upper != w {
                return "'\(w)' (keywords are written in upper case: \(upper))"
            }
            return "'\(w)'"
        case .string: return "the string \(written)"
        case .integer, .float: return "the number \(written)"
        case .timestamp: return "the timestamp \(written)"
        case .binary, .hex: return "the literal \(written)"
        default: return "'\(written)'"
        }
    }
}
