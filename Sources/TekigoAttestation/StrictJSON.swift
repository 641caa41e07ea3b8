// The strict JSON reader behind `AttestationVerifier`: pure Swift, no Foundation JSON, so what counts as one value is
// decided here and nowhere else.

/// A strict RFC 8259 reader for verification: valid UTF-8 only, no duplicate keys, integers only (no fractions,
/// exponents or `-0`), bounded nesting, nothing after the value. Strings are kept as UTF-8 bytes so that two
/// values are equal exactly when their canonical encodings are.
enum StrictJSON {
    struct Failure: Error {
        let offset: Int
        let reason: String
    }

    struct Member: Equatable {
        let key: [UInt8]
        let value: Value
        /// Where the value's bytes are in the parsed text.
        let range: Range<Int>
        var keyText: String { String(decoding: key, as: UTF8.self) }

        static func == (a: Member, b: Member) -> Bool { a.key == b.key && a.value == b.value }
    }

    indirect enum Value: Equatable {
        case null
        case bool(Bool)
        case int(Int)
        case string([UInt8])
        case array([Value])
        /// Members sorted by key bytes (keys are unique).
        case object([Member])
    }

    static let maxDepth = 32

    static func parse(_ bytes: [UInt8]) throws(Failure) -> Value {
        var p = Parser(bytes: bytes)
        p.skipWhitespace()
        let v = try p.value(depth: 0).0
        p.skipWhitespace()
        guard p.pos == bytes.count else { throw Failure(offset: p.pos, reason: "unexpected data after the JSON value") }
        return v
    }

    struct Parser {
        let bytes: [UInt8]
        var pos = 0

        init(bytes: [UInt8]) { self.bytes = bytes }

        func fail(_ reason: String) -> Failure { Failure(offset: pos, reason: reason) }

        mutating func skipWhitespace() {
            while pos < bytes.count, [0x20, 0x09, 0x0A, 0x0D].contains(bytes[pos]) { pos += 1 }
        }

        mutating func expect(_ c: UInt8) throws(Failure) {
            guard pos < bytes.count, bytes[pos] == c else {
                throw fail(pos < bytes.count ? "expected '\(Character(Unicode.Scalar(c)))'" : "unexpected end of data")
            }
            pos += 1
        }

        mutating func value(depth: Int) throws(Failure) -> (Value, Range<Int>) {
            guard depth <= StrictJSON.maxDepth else { throw fail("nested more than \(StrictJSON.maxDepth) deep") }
            guard pos < bytes.count else { throw fail("unexpected end of data") }
            let start = pos
            let v: Value
            switch bytes[pos] {
            case UInt8(ascii: "{"): v = try object(depth: depth)
            case UInt8(ascii: "["): v = try array(depth: depth)
            case UInt8(ascii: "\""): v = .string(try string())
            case UInt8(ascii: "t"): try literal("true"); v = .bool(true)
            case UInt8(ascii: "f"): try literal("false"); v = .bool(false)
            case UInt8(ascii: "n"): try literal("null"); v = .null
            case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): v = .int(try number())
            default: throw fail("unexpected character")
            }
            return (v, start..<pos)
        }

        mutating func literal(_ word: String) throws(Failure) {
            let w = Array(word.utf8)
            guard pos + w.count <= bytes.count, Array(bytes[pos..<pos + w.count]) == w else { throw fail("expected \(word)") }
            pos += w.count
        }

        mutating func object(depth: Int) throws(Failure) -> Value {
            pos += 1
            var members: [Member] = []
            var seen: Set<[UInt8]> = []
            skipWhitespace()
            if pos < bytes.count, bytes[pos] == UInt8(ascii: "}") {
                pos += 1
                return .object([])
            }
            while true {
                skipWhitespace()
                guard pos < bytes.count, bytes[pos] == UInt8(ascii: "\"") else { throw fail("expected a member name") }
                let keyStart = pos
                let key = try string()
                guard seen.insert(key).inserted else {
                    throw Failure(offset: keyStart, reason: "duplicate member '\(String(decoding: key, as: UTF8.self))'")
                }
                skipWhitespace()
                try expect(UInt8(ascii: ":"))
                skipWhitespace()
                let (v, range) = try value(depth: depth + 1)
                members.append(Member(key: key, value: v, range: range))
                skipWhitespace()
                guard pos < bytes.count else { throw fail("unexpected end of data") }
                if bytes[pos] == UInt8(ascii: ",") { pos += 1; continue }
                if bytes[pos] == UInt8(ascii: "}") { pos += 1; break }
                throw fail("expected ',' or '}'")
            }
            return .object(members.sorted { $0.key.lexicographicallyPrecedes($1.key) })
        }

        mutating func array(depth: Int) throws(Failure) -> Value {
            pos += 1
            var items: [Value] = []
            skipWhitespace()
            if pos < bytes.count, bytes[pos] == UInt8(ascii: "]") {
                pos += 1
                return .array([])
            }
            while true {
                skipWhitespace()
                items.append(try value(depth: depth + 1).0)
                skipWhitespace()
                guard pos < bytes.count else { throw fail("unexpected end of data") }
                if bytes[pos] == UInt8(ascii: ",") { pos += 1; continue }
                if bytes[pos] == UInt8(ascii: "]") { pos += 1; break }
                throw fail("expected ',' or ']'")
            }
            return .array(items)
        }

        mutating func number() throws(Failure) -> Int {
            let start = pos
            if bytes[pos] == UInt8(ascii: "-") { pos += 1 }
            guard pos < bytes.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[pos]) else {
                throw fail("expected a digit")
            }
            if bytes[pos] == UInt8(ascii: "0") {
                pos += 1
            } else {
                while pos < bytes.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[pos]) { pos += 1 }
            }
            if pos < bytes.count, [UInt8(ascii: "."), UInt8(ascii: "e"), UInt8(ascii: "E")].contains(bytes[pos]) {
                throw fail("numbers in an attestation are integers (no fractions or exponents)")
            }
            let text = String(decoding: bytes[start..<pos], as: UTF8.self)
            guard text != "-0" else { throw Failure(offset: start, reason: "-0 is not written; use 0") }
            guard let n = Int(text) else { throw Failure(offset: start, reason: "integer out of range") }
            return n
        }

        /// A string's value as UTF-8 bytes; `pos` is at the opening quote.
        mutating func string() throws(Failure) -> [UInt8] {
            let start = pos
            pos += 1
            var out: [UInt8] = []
            while true {
                guard pos < bytes.count else { throw Failure(offset: start, reason: "unterminated string") }
                let b = bytes[pos]
                if b == UInt8(ascii: "\"") {
                    pos += 1
                    break
                }
                if b < 0x20 { throw fail("control character in a string (must be escaped)") }
                if b != UInt8(ascii: "\\") {
                    out.append(b)
                    pos += 1
                    continue
                }
                pos += 1
                guard pos < bytes.count else { throw Failure(offset: start, reason: "unterminated string") }
                let e = bytes[pos]
                pos += 1
                switch e {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): out.append(e)
                case UInt8(ascii: "b"): out.append(0x08)
                case UInt8(ascii: "f"): out.append(0x0C)
                case UInt8(ascii: "n"): out.append(0x0A)
                case UInt8(ascii: "r"): out.append(0x0D)
                case UInt8(ascii: "t"): out.append(0x09)
                case UInt8(ascii: "u"):
                    var scalar = try hex4()
                    if (0xD800...0xDBFF).contains(scalar) {
                        guard pos + 1 < bytes.count, bytes[pos] == UInt8(ascii: "\\"), bytes[pos + 1] == UInt8(ascii: "u") else {
                            throw fail("unpaired surrogate in a \\u escape")
                        }
                        pos += 2
                        let low = try hex4()
                        guard (0xDC00...0xDFFF).contains(low) else { throw fail("unpaired surrogate in a \\u escape") }
                        scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                    } else if (0xDC00...0xDFFF).contains(scalar) {
                        throw fail("unpaired surrogate in a \\u escape")
                    }
                    out.append(contentsOf: Array(String(Character(Unicode.Scalar(scalar)!)).utf8))
                default:
                    throw fail("unknown escape")
                }
            }
            guard StrictJSON.isValidUTF8(out) else { throw Failure(offset: start, reason: "string is not valid UTF-8") }
            return out
        }

        mutating func hex4() throws(Failure) -> UInt32 {
            guard pos + 4 <= bytes.count else { throw fail("short \\u escape") }
            var v: UInt32 = 0
            for _ in 0..<4 {
                let c = bytes[pos]
                let d: UInt32
                switch c {
                case UInt8(ascii: "0")...UInt8(ascii: "9"): d = UInt32(c - UInt8(ascii: "0"))
                case UInt8(ascii: "a")...UInt8(ascii: "f"): d = UInt32(c - UInt8(ascii: "a") + 10)
                case UInt8(ascii: "A")...UInt8(ascii: "F"): d = UInt32(c - UInt8(ascii: "A") + 10)
                default: throw fail("bad hexadecimal digit in a \\u escape")
                }
                v = v << 4 | d
                pos += 1
            }
            return v
        }
    }

    static func isValidUTF8(_ bytes: [UInt8]) -> Bool {
        var it = bytes.makeIterator()
        var decoder = Unicode.UTF8()
        while true {
            switch decoder.decode(&it) {
            case .scalarValue: continue
            case .emptyInput: return true
            case .error: return false
            }
        }
    }

    /// The first place where `file` differs from `canonical`, as a JSON path and a reason; nil when they are equal.
    static func firstDifference(_ file: Value, _ canonical: Value, path: String) -> (String, String)? {
        switch (file, canonical) {
        case (.object(let a), .object(let b)):
            var other: [[UInt8]: Value] = [:]
            for m in b { other[m.key] = m.value }
            var mine: [[UInt8]: Value] = [:]
            for m in a { mine[m.key] = m.value }
            for m in a where other[m.key] == nil {
                return ("\(path).\(m.keyText)", m.value == .null
                    ? "null is never written; an absent value is left out"
                    : "not a field of an attestation payload")
            }
            for m in b where mine[m.key] == nil { return ("\(path).\(m.keyText)", "missing") }
            for m in a {
                if let d = firstDifference(m.value, other[m.key]!, path: "\(path).\(m.keyText)") { return d }
            }
            return nil
        case (.array(let a), .array(let b)):
            guard a.count == b.count else { return (path, "\(a.count) items where the canonical form has \(b.count)") }
            for (i, (x, y)) in zip(a, b).enumerated() where x != y {
                if b.contains(x) { return (path, "items not in canonical (sorted) order") }
                if let d = firstDifference(x, y, path: "\(path)[\(i)]") { return d }
            }
            return nil
        default:
            guard file != canonical else { return nil }
            return (path, "written differently from its canonical form \(render(canonical))")
        }
    }

    static func render(_ v: Value) -> String {
        switch v {
        case .null: return "null"
        case .bool(let b): return b ? "true" : "false"
        case .int(let i): return String(i)
        case .string(let s): return "\"\(String(decoding: s, as: UTF8.self))\""
        case .array: return "[…]"
        case .object: return "{…}"
        }
    }
}
