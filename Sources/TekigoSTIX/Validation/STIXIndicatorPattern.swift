import Foundation

/// An indicator's pattern, checked by its language: `pattern_type` "stix" must parse as a STIX patterning
/// expression (STIX 2.1 §9, `STIXPattern.parse`); the failure is `STIXProblem.invalidPattern` with the character
/// offset. Patterns in other languages (snort, suricata, yara, sigma, pcre, or any other value of the open
/// pattern-type vocabulary) are kept as written and not parsed: Tekigo has no parser for them, and the receivers that
/// run them do.
enum STIXIndicatorPattern {
    static func check(_ p: STIXPropertyChecks) throws(STIXProblem) {
        guard try p.string("pattern_type") == "stix", let pattern = try p.string("pattern") else { return }
        do {
            _ = try STIXPattern.parse(pattern)
        } catch {
            throw error.problem
        }
    }
}
