// The one id rule and the one text rule every importer applies (OSCAL catalogs, crosswalk tables, and the catalog
// store that saves both), so that nothing enters through a file that the API would refuse.

/// What a catalog id may be.
///
/// 1 to 64 characters: lower-case letters (of any script), digits, `-`, `_` and `.`, starting with a letter or digit
/// (OSCAL's token characters, lower-case). So an id is never a path (`../../etc`), never holds the `catalog:entry`
/// separator (`x:y`), spaces or control characters, and reads the same in a URL, a file name and a CSV cell.
extension CatalogID {
    public static let maximumLength = 64

    /// Why `raw` cannot be a catalog id, or nil when it can.
    public static func problem(with raw: String) -> String? {
        let scalars = raw.unicodeScalars
        guard let first = scalars.first else { return "a catalog id cannot be empty" }
        if scalars.count > maximumLength { return "a catalog id has at most \(maximumLength) characters (this one \(scalars.count))" }
        func isLetter(_ s: Unicode.Scalar) -> Bool { s.properties.isAlphabetic && !s.properties.isWhitespace }
        func isDigit(_ s: Unicode.Scalar) -> Bool { s.properties.numericType == .decimal }
        guard isLetter(first) || isDigit(first) else {
            return "a catalog id starts with a letter or digit, not '\(Self.visible(first))'"
        }
        if let bad = scalars.first(where: { !(isLetter($0) || isDigit($0) || "-_.".unicodeScalars.contains($0)) }) {
            return "a catalog id holds only letters, digits, '-', '_' and '.', not '\(Self.visible(bad))'"
        }
        if raw != raw.lowercased() { return "a catalog id is lower-case (\(raw.lowercased()))" }
        return nil
    }

    /// `raw` as a catalog id, or `CatalogIDError` saying what is wrong and what an id looks like.
    public static func validated(_ raw: String) throws(CatalogIDError) -> CatalogID {
        if let problem = problem(with: raw) { throw CatalogIDError(id: raw, problem: problem) }
        return CatalogID(raw)
    }

    /// A character as it can be shown in a message (control characters as U+XXXX).
    static func visible(_ s: Unicode.Scalar) -> String {
        s.properties.generalCategory == .control || s.properties.isWhitespace
            ? "U+" + String(s.value, radix: 16, uppercase: true).leftPadded(to: 4) : String(s)
    }
}

/// A catalog id that breaks the id rule.
public struct CatalogIDError: Error, Sendable, Equatable, CustomStringConvertible {
    public let id: String
    public let problem: String

    public var description: String {
        let shown = String(id.unicodeScalars.map { CatalogID.visible($0) }.joined().prefix(80))
        return "'\(shown)' is not a valid catalog id: \(problem). Use 1–\(CatalogID.maximumLength) lower-case letters, "
            + "digits, '-', '_' or '.', starting with a letter or digit (for example acme-controls-v2)."
    }
}

/// What imported text may hold: anything but the NUL character (U+0000), as for the API (`Bodies.swift`). PostgreSQL
/// cannot store NUL in text, C libraries stop at it, and no standard's wording contains it.
public enum ImportText {
    /// Whether `text` breaks the text rule.
    public static func isRefused(_ text: String) -> Bool { text.utf8.contains(0) }

    public static let problem = "holds the NUL character (U+0000), which no text in Tekigo may hold; remove it from the file"

    /// `problem` in Japanese, a sentence of its own after the place (issue 17 item 6: refusals in Japanese too).
    public static let problemJA = "NUL 文字（U+0000）が含まれています。Tekigo のテキストには使えないため、ファイルから取り除いてください"

    /// A place `firstRefused(in:)` names (`control 'x' statement`), in Japanese (`管理策 'x' の statement（要件文）`); the
    /// ids stay as written. A place not of that form is returned unchanged.
    public static func japanesePlace(_ place: String) -> String {
        let whole = ["catalog id": "カタログ ID", "catalog title": "カタログのタイトル", "version": "版（version）",
                     "oscal-version": "OSCAL の版（oscal-version）"]
        if let w = whole[place] { return w }
        for (prefix, kind) in [("group '", "グループ"), ("control '", "管理策")] where place.hasPrefix(prefix) {
            // The id runs to the last "' " (an id may hold a quote; the field names never do).
            guard let end = place.range(of: "' ", options: .backwards), end.lowerBound >= place.index(place.startIndex, offsetBy: prefix.count)
            else { return place }
            let id = place[place.index(place.startIndex, offsetBy: prefix.count)..<end.lowerBound]
            return "\(kind) '\(id)' の\(japaneseField(String(place[end.upperBound...])))"
        }
        return place
    }

    /// A field of a group or control as `firstRefused(in:)` names it, in Japanese.
    static func japaneseField(_ field: String) -> String {
        let fields = ["id": "ID", "abbreviation": "略称", "title": "タイトル", "statement": "要件文", "guidance": "解説",
                      "family": "ファミリー", "parent": "親の項目", "English title": "英語のタイトル", "objective id": "評価目標の ID",
                      "assessment method": "評価方法", "assessment objects": "評価対象", "parameter id": "パラメータの ID"]
        if let f = fields[field] { return f }
        if field.hasPrefix("parameter ") {
            for (suffix, ja) in [(" label", "ラベル"), (" usage", "用途"), (" guideline", "ガイドライン")] where field.hasSuffix(suffix) {
                let id = field.dropFirst("parameter ".count).dropLast(suffix.count)
                return "パラメータ \(id) の\(ja)"
            }
        }
        if field.hasPrefix("objective ") { return "評価目標 \(field.dropFirst("objective ".count)) の文" }
        return " \(field)"
    }

    /// The first place in an imported catalog whose text breaks the rule (`catalog title`, `control 'x' statement`),
    /// or nil when there is none.
    public static func firstRefused(in c: ImportedCatalog) -> String? {
        for (name, value) in [("catalog id", c.catalog.rawValue), ("catalog title", c.title), ("version", c.version),
                              ("oscal-version", c.oscalVersion)] where isRefused(value) {
            return name
        }
        for f in c.families {
            for (name, value) in [("id", f.id), ("abbreviation", f.abbr), ("title", f.title.en), ("title", f.title.ja)]
            where isRefused(value) {
                return "group '\(printable(f.id))' \(name)"
            }
        }
        for t in c.texts {
            let element = "control '\(printable(t.oscalID))'"
            var fields: [(String, String)] = [("id", t.entryID), ("id", t.oscalID), ("title", t.title), ("statement", t.statement),
                                               ("guidance", t.guidance), ("family", t.family), ("parent", t.parent ?? ""),
                                               ("English title", t.titleEN ?? "")]
            for o in t.objectives { fields += [("objective id", o.id), ("objective \(printable(o.id))", o.prose)] }
            for m in t.methods { fields += [("assessment method", m.method), ("assessment objects", m.objects)] }
            for p in t.parameters {
                fields += [("parameter id", p.id), ("parameter \(printable(p.id)) label", p.label),
                           ("parameter \(printable(p.id)) usage", p.usage), ("parameter \(printable(p.id)) guideline", p.guideline)]
            }
            if let (name, _) = fields.first(where: { isRefused($0.1) }) { return "\(element) \(name)" }
        }
        return nil
    }

    /// `text` with NUL shown as `U+0000`, for naming an element in a message.
    public static func printable(_ text: String) -> String {
        isRefused(text) ? text.replacingOccurrences(of: "\u{0}", with: "U+0000") : text
    }
}

extension String {
    fileprivate func leftPadded(to n: Int) -> String { count >= n ? self : String(repeating: "0", count: n - count) + self }
}
