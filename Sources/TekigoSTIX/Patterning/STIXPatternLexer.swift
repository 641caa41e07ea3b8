import Foundation

/// One token of a STIX pattern, with where it starts and ends (Unicode scalar offsets, end exclusive).
struct STIXPatternToken: Sendable {
    enum Kind: Sendable, Equatable {
        case leftBracket, rightBracket, leftParen, rightParen, colon, dot, comma, asterisk
        /// `=` `==` `!=` `<>` `<` `<=` `>` `>=`, already folded (`==` is `.equal`, `<>` is `.notEqual`).
        case comparator(STIXPattern.Operator)
        /// An upper-case keyword (AND, OR, NOT, …) or `true` / `false`.
        case keyword(String)
        /// `[a-zA-Z_][a-zA-Z0-9_-]*` that is not a keyword.
        case identifier(String)
        /// The content of `'…'`, unescaped.
        case string(String)
        /// An integer as written, sign included (`+5`, `-3`, `0`).
        case integer(String)
        /// A float as written (`7.0`, `-.5`).
        case float(String)
        case timestamp(STIXTimestamp, String)
        case binary(String)
        case hex(String)
        case end
    }

    let kind: Kind
    let start: Int
    let end: Int
}

/// Splits a pattern into tokens, one at a time, as the parser asks (so the first problem reported is the leftmost).
///
/// The rules are those of STIX 2.1 §9 and its ANTLR grammar: keywords are upper case (and `true`/`false` lower case)
/// and win over an identifier of the same spelling; an identifier may hold `-` (object types do) but the parser
/// refuses one where a property name is expected; strings escape only `\'` and `\\`; `t'…'`, `b'…'` and `h'…'` are
/// timestamp, base64 and hexadecimal literals; whitespace, `/* … */` and `// …` comments separate tokens.
struct STIXPatternLexer {
    static let keywords: Set<String> = [
        "AND", "OR", "NOT", "FOLLOWEDBY", "LIKE", "MATCHES", "ISSUPERSET", "ISSUBSET", "EXISTS", "LAST", "IN",
        "START", "STOP", "SECONDS", "WITHIN", "REPEATS", "TIMES", "true", "false",
    ]

    /// The white space the grammar skips (ASCII space and controls, NEL, no-break space and the Unicode spaces).
    static let whitespace: Set<UInt32> = [0x20, 0x09, 0x0D, 0x0A, 0x0B, 0x0C, 0x85, 0xA0, 0x1680, 0x2000, 0x2001,
                                          0x2002, 0x2003, 0x2004, 0x2005, 0x2006, 0x2007, 0x2008, 0x2009, 0x200A,
                                          0x2028, 0x2029, 0x202F, 0x205F, 0x3000]

    let scalars: [Unicode.Scalar]
    private(set) var offset = 0

    init(_ text: String) {
        scalars = Array(text.unicodeScalars)
    }

    private func peek(_ ahead: Int = 0) -> Unicode.Scalar? {
        offset + ahead < scalars.count ? scalars[offset + ahead] : nil
    }

    /// The next token; `.end` at the end of the text (and again after it).
    mutating func next() throws(STIXPatternError) -> STIXPatternToken {
        try skipSpaceAndComments()
        let start = offset
        guard let c = peek() else { return STIXPatternToken(kind: .end, start: start, end: start) }
        func single(_ kind: STIXPatternToken.Kind, length: Int = 1) -> STIXPatternToken {
            offset += length
            return STIXPatternToken(kind: kind, start: start, end: offset)
        }
        switch c {
        case "[": return single(.leftBracket)
        case "]": return single(.rightBracket)
        case "(": return single(.leftParen)
        case ")": return single(.rightParen)
        case ":": return single(.colon)
        case ",": return single(.comma)
        case "*": return single(.asterisk)
        case "=": return single(.comparator(.equal), length: peek(1) == "=" ? 2 : 1)
        case "!":
            guard peek(1) == "=" else {
                throw STIXPatternError(position: start, reason: "'!' must be followed by '=' (the operator is !=)")
            }
            return single(.comparator(.notEqual), length: 2)
        case "<":
            if peek(1) == "=" { return single(.comparator(.lessOrEqual), length: 2) }
            if peek(1) == ">" { return single(.comparator(.notEqual), length: 2) }
            return single(.comparator(.less))
        case ">":
            return peek(1) == "=" ? single(.comparator(.greaterOrEqual), length: 2) : single(.comparator(.greater))
        case "'":
            return STIXPatternToken(kind: .string(try readString()), start: start, end: offset)
        case ".":
            if let d = peek(1), d.isPatternDigit { return try readNumber() }
            return single(.dot)
        case "+", "-":
            if let d = peek(1), d.isPatternDigit || (d == "." && peek(2)?.isPatternDigit == true) { return try readNumber() }
            throw STIXPatternError(position: start, reason: "unexpected '\(c)': a sign must be followed by a number")
        default:
            if c.isPatternDigit { return try readNumber() }
            if c.isPatternLetter || c == "_" { return try readWord() }
            throw STIXPatternError(position: start, reason: "unexpected character \(Self.show(c))")
        }
    }

    private mutating func skipSpaceAndComments() throws(STIXPatternError) {
        while let c = peek() {
            if Self.whitespace.contains(c.value) {
                offset += 1
            } else if c == "/" && peek(1) == "*" {
                let start = offset
                offset += 2
                while offset < scalars.count && !(scalars[offset] == "*" && peek(1) == "/") { offset += 1 }
                guard offset < scalars.count else {
                    throw STIXPatternError(position: start, reason: "the comment that starts here is not closed with */")
                }
                offset += 2
            } else if c == "/" && peek(1) == "/" {
                while let d = peek(), d != "\n", d != "\r" { offset += 1 }
            } else {
                return
            }
        }
    }

    /// `'…'` with `\'` and `\\` the only escapes; the offset is at the opening quote.
    private mutating func readString() throws(STIXPatternError) -> String {
        let start = offset
        offset += 1
        var value = String.UnicodeScalarView()
        while let c = peek() {
            switch c {
            case "'":
                offset += 1
                return String(value)
            case "\\":
                guard let e = peek(1), e == "'" || e == "\\" else {
                    throw STIXPatternError(position: offset, reason: "a backslash in a string must be followed by ' or \\ "
                                           + "(write \\\\ for a backslash, as in '\\\\d+', and \\' for a quote)")
                }
                value.append(e)
                offset += 2
            default:
                value.append(c)
                offset += 1
            }
        }
        throw STIXPatternError(position: start, reason: "the string that starts here has no closing quote (')")
    }

    /// `[+-]? digits`, `[+-]? digits? . digits`; no leading zeros on an integer (`0` alone is fine).
    private mutating func readNumber() throws(STIXPatternError) -> STIXPatternToken {
        let start = offset
        if peek() == "+" || peek() == "-" { offset += 1 }
        let digitsStart = offset
        while let d = peek(), d.isPatternDigit { offset += 1 }
        let integerDigits = offset - digitsStart
        if peek() == ".", let d = peek(1), d.isPatternDigit {
            offset += 1
            while let d = peek(), d.isPatternDigit { offset += 1 }
            return STIXPatternToken(kind: .float(text(start, offset)), start: start, end: offset)
        }
        if integerDigits > 1 && scalars[digitsStart] == "0" {
            throw STIXPatternError(position: start, reason: "the integer \(text(start, offset)) has a leading zero; write it without")
        }
        return STIXPatternToken(kind: .integer(text(start, offset)), start: start, end: offset)
    }

    /// An identifier or keyword, or — for a lone `t`, `b` or `h` right before a quote — a typed literal.
    private mutating func readWord() throws(STIXPatternError) -> STIXPatternToken {
        let start = offset
        while let c = peek(), c.isPatternLetter || c.isPatternDigit || c == "_" || c == "-" { offset += 1 }
        let word = text(start, offset)
        if offset - start == 1, peek() == "'", ["t", "b", "h"].contains(word) {
            return try readTypedLiteral(word, start: start)
        }
        return STIXPatternToken(kind: Self.keywords.contains(word) ? .keyword(word) : .identifier(word), start: start, end: offset)
    }

    private mutating func readTypedLiteral(_ prefix: String, start: Int) throws(STIXPatternError) -> STIXPatternToken {
        offset += 1   // the opening quote
        let contentStart = offset
        while let c = peek(), c != "'" { offset += 1 }
        guard peek() == "'" else {
            throw STIXPatternError(position: start, reason: "the \(prefix)'…' literal that starts here has no closing quote (')")
        }
        let content = text(contentStart, offset)
        offset += 1
        switch prefix {
        case "t":
            guard let t = STIXTimestamp(content) else {
                throw STIXPatternError(position: start, reason: "t'\(content)' is not a STIX timestamp: it must be a real "
                                       + "UTC instant written YYYY-MM-DDThh:mm:ss[.fraction]Z, e.g. t'2016-06-01T01:30:00.000Z'")
            }
            return STIXPatternToken(kind: .timestamp(t, content), start: start, end: offset)
        case "b":
            guard Self.isBase64(content) else {
                throw STIXPatternError(position: start, reason: "b'\(content)' is not base64: it must be one or more groups of "
                                       + "4 characters of A–Z, a–z, 0–9, + and /, the last perhaps padded with = or ==")
            }
            return STIXPatternToken(kind: .binary(content), start: start, end: offset)
        default:
            let u = content.unicodeScalars
            guard u.count % 2 == 0, u.allSatisfy({ $0.isPatternDigit || ("a"..."f").contains($0) || ("A"..."F").contains($0) }) else {
                throw STIXPatternError(position: start, reason: "h'\(content)' is not hexadecimal: it must be pairs of the digits 0–9 and a–f")
            }
            return STIXPatternToken(kind: .hex(content), start: start, end: offset)
        }
    }

    static func isBase64(_ s: String) -> Bool {
        let u = Array(s.unicodeScalars)
        guard !u.isEmpty, u.count % 4 == 0 else { return false }
        let padding = u.reversed().prefix { $0 == "=" }.count
        guard padding <= 2 else { return false }
        return u.dropLast(padding).allSatisfy { $0.isPatternLetter || $0.isPatternDigit || $0 == "+" || $0 == "/" }
    }

    func text(_ from: Int, _ to: Int) -> String {
        var v = String.UnicodeScalarView()
        v.append(contentsOf: scalars[from..<to])
        return String(v)
    }

    /// A character for a message: printable ones quoted, others as U+XXXX.
    static func show(_ c: Unicode.Scalar) -> String {
        c.properties.isWhitespace || c.value < 0x20 || (0x7F...0x9F).contains(c.value)
            ? "U+" + String(c.value, radix: 16, uppercase: true).leftPadded(to: 4)
            : "'\(c)'"
    }
}

extension Unicode.Scalar {
    var isPatternLetter: Bool { ("a"..."z").contains(self) || ("A"..."Z").contains(self) }
    var isPatternDigit: Bool { ("0"..."9").contains(self) }
}

private extension String {
    func leftPadded(to width: Int) -> String { String(repeating: "0", count: max(0, width - count)) + self }
}
