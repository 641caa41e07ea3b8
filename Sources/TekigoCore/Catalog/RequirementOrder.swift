/// The order people expect requirement and objective numbers in: `3.2.3` before `3.10.3`, `03.02.03` before
/// `03.10.03`, `3.1.1` before `3.1.1[a]` before `3.1.1[b]`, `3.1.9` before `3.1.10`, `A.03.01.01.a[01]` before
/// `A.03.01.01.a[02]`. Plain string order gets the second and fourth wrong, and SQL's `ORDER BY` is plain string
/// order, so every list of requirements, objectives or plan items is sorted with this one comparator (pages, the
/// command line, reports, exports). The built-in catalogs are already in this order (a test checks it), so lists
/// that follow a catalog agree with lists sorted here.
///
/// Ids are compared as runs of digits and runs of other characters: digit runs by their value (leading zeros
/// ignored, no overflow for any length), other runs by their characters; an id that is a prefix of another comes
/// first. Ids that compare equal that way (`3.1` and `03.01`) fall back to plain string order, so the order is total.
public enum RequirementOrder {
    /// Whether `a` comes before `b`.
    public static func precedes(_ a: String, _ b: String) -> Bool {
        switch compare(a, b) {
        case .before: return true
        case .after: return false
        case .same: return a < b
        }
    }

    enum Outcome { case before, same, after }

    static func compare(_ a: String, _ b: String) -> Outcome {
        var x = tokens(a).makeIterator(), y = tokens(b).makeIterator()
        while true {
            switch (x.next(), y.next()) {
            case (nil, nil): return .same
            case (nil, _): return .before
            case (_, nil): return .after
            case (let p?, let q?):
                switch (p, q) {
                case (.number(let i), .number(let j)):
                    if i.count != j.count { return i.count < j.count ? .before : .after }
                    if i != j { return i < j ? .before : .after }
                case (.number, .text): return .before
                case (.text, .number): return .after
                case (.text(let s), .text(let t)):
                    if s != t { return s < t ? .before : .after }
                }
            }
        }
    }

    enum Token: Equatable {
        /// The digits without leading zeros (empty for zero), so equal length means the string order is the number order.
        case number(Substring)
        case text(Substring)
    }

    static func tokens(_ s: String) -> [Token] {
        var out: [Token] = []
        var start = s.startIndex
        while start < s.endIndex {
            let digits = s[start].isASCIIDigit
            var end = s.index(after: start)
            while end < s.endIndex, s[end].isASCIIDigit == digits { end = s.index(after: end) }
            let run = s[start..<end]
            out.append(digits ? .number(run.drop { $0 == "0" }) : .text(run))
            start = end
        }
        return out
    }
}

extension Character {
    fileprivate var isASCIIDigit: Bool { isASCII && isNumber }
}

extension Sequence {
    /// The elements in requirement-number order of the id `key` gives (`RequirementOrder`); stable for equal ids.
    public func sorted(byRequirement key: (Element) -> String) -> [Element] {
        enumerated().map { (key($0.element), $0.offset, $0.element) }
            .sorted { $0.0 == $1.0 ? $0.1 < $1.1 : RequirementOrder.precedes($0.0, $1.0) }
            .map(\.2)
    }
}

extension Sequence where Element == String {
    /// The ids in requirement-number order (`RequirementOrder`).
    public func sortedByRequirement() -> [String] { sorted(by: RequirementOrder.precedes) }
}
