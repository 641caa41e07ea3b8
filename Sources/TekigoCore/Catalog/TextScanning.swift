// Small, allocation-light text helpers for hot paths (catalog import of multi-megabyte files, id lookup).
// Hand-written because Swift Regex literals and Foundation's NSString-bridged trimming dominated import
// profiles (perf showed RegexParser and NSString.trimmingCharacters at the top).

extension StringProtocol {
    /// The text without leading and trailing white space (spaces, tabs, newlines, other Unicode spaces).
    public var trimmed: String {
        guard let first = first, let last = last else { return "" }
        if !first.isWhitespace && !last.isWhitespace { return String(self) }
        var start = startIndex, end = endIndex
        while start < end, self[start].isWhitespace { start = index(after: start) }
        while end > start {
            let before = index(before: end)
            guard self[before].isWhitespace else { break }
            end = before
        }
        return String(self[start..<end])
    }
}

enum ASCII {
    static func isUpper(_ c: Character) -> Bool { c >= "A" && c <= "Z" }
    static func isLower(_ c: Character) -> Bool { c >= "a" && c <= "z" }
    static func isDigit(_ c: Character) -> Bool { c >= "0" && c <= "9" }
}

extension IDNormalizer {
    /// `ac-2`, `AC-02`, `ac-2.3`, `AC-02(03)`, `ac 2 (3)` -> `AC-2`, `AC-2(3)`; nil when it is not such an id.
    public static func canonicalSP80053(_ raw: String) -> String? {
        let s = Array(raw.uppercased().filter { $0 != " " })
        guard s.count >= 4, ASCII.isUpper(s[0]), ASCII.isUpper(s[1]), s[2] == "-" else { return nil }
        var i = 3
        func number() -> Int? {
            let start = i
            while i < s.count, ASCII.isDigit(s[i]) { i += 1 }
            return i > start ? Int(String(s[start..<i])) : nil
        }
        guard let base = number() else { return nil }
        let family = String(s[0...1])
        if i == s.count { return "\(family)-\(base)" }
        let opener = s[i]
        guard opener == "." || opener == "(" else { return nil }
        i += 1
        guard let enhancement = number() else { return nil }
        if opener == "(" { guard i < s.count, s[i] == ")" else { return nil }; i += 1 }
        return i == s.count ? "\(family)-\(base)(\(enhancement))" : nil
    }

    /// `AC.L2-3.1.1` -> `3.1.1` (CMMC practice ids carry the rev2 number after the level).
    static func strippingCMMCPrefix(_ q: String) -> String {
        let c = Array(q)
        guard c.count > 6, ASCII.isUpper(Character(c[0].uppercased())), ASCII.isUpper(Character(c[1].uppercased())),
              c[2] == ".", c[3] == "L" || c[3] == "l", "123".contains(c[4]), c[5] == "-" else { return q }
        return String(c[6...])
    }
}
