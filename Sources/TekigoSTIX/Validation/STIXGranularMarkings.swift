import Foundation

/// Granular markings (STIX 2.1 §7.2.3): each entry of `granular_markings` has a non-empty list of `selectors` and
/// exactly one of `marking_ref` (a marking definition) and `lang` (a language tag); each selector is a path of
/// property names and zero-based list indexes `[n]` joined by '.', starting at the object itself, and must select
/// something the object has — a marking on nothing is refused, since a later version that adds the property would
/// silently inherit a marking its producer never placed.
public enum STIXGranularMarkings {
    static func check(_ object: STIXObject) throws(STIXProblem) {
        guard let value = object.properties["granular_markings"] else { return }
        guard let entries = value.arrayValue else {
            throw .wrongKind(property: "granular_markings", expected: "a list of objects", found: value.kind)
        }
        guard !entries.isEmpty else { throw .emptyList(property: "granular_markings") }
        for (index, entry) in entries.enumerated() {
            let at = "granular_markings[\(index)]"
            guard let o = entry.objectValue else { throw .wrongKind(property: at, expected: "an object", found: entry.kind) }
            guard let selectorsValue = o["selectors"] else { throw .granularMarkingInvalid(index: index, fault: .noSelectors) }
            guard let selectors = selectorsValue.stringArray else {
                throw .wrongKind(property: "\(at).selectors", expected: "a list of strings", found: selectorsValue.kind)
            }
            guard !selectors.isEmpty else { throw .granularMarkingInvalid(index: index, fault: .noSelectors) }
            guard (o["marking_ref"] == nil) != (o["lang"] == nil) else {
                throw .granularMarkingInvalid(index: index, fault: .markingRefOrLang)
            }
            _ = try STIXObject.identifier(o["marking_ref"], "\(at).marking_ref", ofType: "marking-definition")
            _ = try STIXObject.string(o["lang"], "\(at).lang")
            for selector in selectors {
                guard let path = parse(selector) else {
                    throw .granularMarkingInvalid(index: index, fault: .selectorMalformed(selector))
                }
                guard resolves(path, in: .object(object.properties)) else {
                    throw .granularMarkingInvalid(index: index, fault: .selectorUnresolved(selector))
                }
            }
        }
    }

    enum Step: Equatable {
        case property(String)
        case index(Int)
    }

    /// `description`, `labels.[1]`, `external_references.[0].url`: nil when a component is empty or an index is not
    /// `[digits]`, or when the path begins with an index (its root is the object, which is not a list).
    static func parse(_ selector: String) -> [Step]? {
        var steps: [Step] = []
        for component in selector.split(separator: ".", omittingEmptySubsequences: false) {
            if component.hasPrefix("[") {
                let digits = component.dropFirst().dropLast()
                guard component.hasSuffix("]"), !digits.isEmpty, digits.utf8.allSatisfy({ (0x30...0x39).contains($0) }),
                      let n = Int(digits) else { return nil }
                steps.append(.index(n))
            } else {
                guard !component.isEmpty, !component.contains("["), !component.contains("]") else { return nil }
                steps.append(.property(String(component)))
            }
        }
        guard case .property = steps.first else { return nil }
        return steps
    }

    static func resolves(_ path: [Step], in root: JSONValue) -> Bool {
        var current = root
        for step in path {
            switch step {
            case .property(let name):
                guard let next = current.objectValue?[name] else { return false }
                current = next
            case .index(let i):
                guard let list = current.arrayValue, i < list.count else { return false }
                current = list[i]
            }
        }
        return true
    }
}
