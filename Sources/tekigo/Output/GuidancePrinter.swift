import TekigoCore

/// Prints the built-in guidance of a requirement (and one objective's sentence) as plain terminal text.
struct GuidancePrinter {
    let lang: Language

    /// The whole guidance of a requirement: what it asks, the ways to meet it, what the assessor does, evidence.
    func render(_ g: RequirementGuidance) -> [String] {
        var out = [GuidancePart.heading[lang] + ":"]
        func block(_ part: GuidancePart, _ lines: [String]) {
            out.append("  \(part.label[lang]):")
            out += lines.map { "    " + $0 }
        }
        block(.asks, [g.asks[lang]])
        block(.options, g.options.enumerated().map { "\($0.offset + 1). \($0.element[lang])" })
        block(.examine, [g.examine[lang]])
        block(.interview, [g.interview[lang]])
        block(.test, [g.test[lang]])
        block(.evidence, g.evidence.map { "- " + $0[lang] })
        return out
    }

    /// One objective's sentence, or nothing when the catalog has none for it.
    func objective(_ id: String, of g: RequirementGuidance?) -> String? {
        g?.objectives[id].map { "  \(GuidancePart.objective.label[lang]): \($0[lang])" }
    }
}
