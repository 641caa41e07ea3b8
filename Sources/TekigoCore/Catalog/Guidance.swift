import Foundation

/// Plain-language guidance for one requirement, written by us in Japanese and English (never NIST's sentences):
/// what it asks, how a small firm typically meets it (cheapest first), what an assessor examines, asks and tests
/// (SP 800-171A's three methods) and the evidence that usually shows it. Rev2 requirements carry a sentence for
/// each 800-171A objective as well.
public struct RequirementGuidance: Sendable, Hashable, Codable {
    public let asks: LocalizedText
    public let options: [LocalizedText]
    public let examine: LocalizedText
    public let interview: LocalizedText
    public let test: LocalizedText
    public let evidence: [LocalizedText]
    /// Objective id (`3.1.1[a]`) → what must be true and what to be able to show.
    public let objectives: [String: LocalizedText]

    public init(asks: LocalizedText, options: [LocalizedText], examine: LocalizedText, interview: LocalizedText,
                test: LocalizedText, evidence: [LocalizedText], objectives: [String: LocalizedText] = [:]) {
        self.asks = asks
        self.options = options
        self.examine = examine
        self.interview = interview
        self.test = test
        self.evidence = evidence
        self.objectives = objectives
    }

    private enum CodingKeys: String, CodingKey { case asks, options, examine, interview, test, evidence, objectives }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        asks = try c.decode(LocalizedText.self, forKey: .asks)
        options = try c.decode([LocalizedText].self, forKey: .options)
        examine = try c.decode(LocalizedText.self, forKey: .examine)
        interview = try c.decode(LocalizedText.self, forKey: .interview)
        test = try c.decode(LocalizedText.self, forKey: .test)
        evidence = try c.decode([LocalizedText].self, forKey: .evidence)
        objectives = try c.decodeIfPresent([String: LocalizedText].self, forKey: .objectives) ?? [:]
    }

    /// The first sentence of `asks`: the one-line summary a list, a workbook column or a CLI table shows.
    public func summary(_ language: Language) -> String {
        let text = asks[language]
        let stops: Set<Character> = language == .ja ? ["。"] : ["."]
        guard let end = text.firstIndex(where: { stops.contains($0) }) else { return text }
        return String(text[...end])
    }

    /// Every text of this guidance, labelled, for the checks that read all of it (terms, originality).
    public var labelledTexts: [(label: String, text: LocalizedText)] {
        var all: [(String, LocalizedText)] = [("asks", asks), ("examine", examine), ("interview", interview),
                                              ("test", test)]
        all += options.enumerated().map { ("options[\($0.offset)]", $0.element) }
        all += evidence.enumerated().map { ("evidence[\($0.offset)]", $0.element) }
        all += objectives.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
        return all
    }
}

/// The guidance shipped with Tekigo (`Resources/guidance/<catalog>/<family>.json`), by catalog and requirement.
public struct GuidanceLibrary: Sendable {
    private let byCatalog: [CatalogID: [String: RequirementGuidance]]

    public init(_ byCatalog: [CatalogID: [String: RequirementGuidance]]) { self.byCatalog = byCatalog }

    public func guidance(_ catalog: CatalogID, requirement id: String) -> RequirementGuidance? {
        byCatalog[catalog]?[id]
    }

    public func guidance(for entry: CatalogEntry) -> RequirementGuidance? { guidance(entry.catalog, requirement: entry.id) }

    /// The sentence for one objective of `entry`.
    public func objective(_ objectiveID: String, of entry: CatalogEntry) -> LocalizedText? {
        guidance(for: entry)?.objectives[objectiveID]
    }

    /// Catalogs with guidance, and the requirement ids each covers.
    public var coverage: [CatalogID: Set<String>] { byCatalog.mapValues { Set($0.keys) } }

    /// The built-in guidance, decoded on first use.
    public static var builtIn: GuidanceLibrary {
        get throws { try cached.get() }
    }

    private static let cached: Result<GuidanceLibrary, BuiltInLibraryError> = Result(catching: { () throws(BuiltInLibraryError) -> GuidanceLibrary in
        guard let root = Bundle.module.url(forResource: "guidance", withExtension: nil) else {
            throw .missing("guidance")
        }
        return try load(directory: root)
    })

    /// Reads every `<catalog>/<family>.json` below `directory`.
    public static func load(directory: URL) throws(BuiltInLibraryError) -> GuidanceLibrary {
        let fm = FileManager.default
        var byCatalog: [CatalogID: [String: RequirementGuidance]] = [:]
        let catalogs = (try? fm.contentsOfDirectory(at: directory, includingPropertiesForKeys: nil)) ?? []
        for folder in catalogs.sorted(by: { $0.path < $1.path }) {
            let files = (try? fm.contentsOfDirectory(at: folder, includingPropertiesForKeys: nil)) ?? []
            for file in files.sorted(by: { $0.path < $1.path }) where file.pathExtension == "json" {
                let name = "guidance/\(folder.lastPathComponent)/\(file.deletingPathExtension().lastPathComponent)"
                guard let data = try? Data(contentsOf: file) else { throw .missing(name) }
                let decoded: GuidanceFile
                do { decoded = try JSONDecoder().decode(GuidanceFile.self, from: data) } catch {
                    throw .corrupt(name, String(describing: error))
                }
                byCatalog[decoded.catalog, default: [:]].merge(decoded.requirements) { first, _ in first }
            }
        }
        return GuidanceLibrary(byCatalog)
    }

    private struct GuidanceFile: Decodable {
        let catalog: CatalogID
        let family: String
        let requirements: [String: RequirementGuidance]
    }
}

/// The parts of a guidance text, with the headings every view (CLI, pages, reports, workbook) shows for them.
public enum GuidancePart: String, Sendable, CaseIterable {
    case asks, options, examine, interview, test, evidence, objective

    public var label: LocalizedText {
        switch self {
        case .asks: LocalizedText(en: "What it asks", ja: "求められていること")
        case .options: LocalizedText(en: "Ways to meet it (cheapest first)", ja: "対応の方法（費用の低い順）")
        case .examine: LocalizedText(en: "The assessor examines", ja: "評価者が調べるもの")
        case .interview: LocalizedText(en: "The assessor asks", ja: "評価者が尋ねること")
        case .test: LocalizedText(en: "The assessor tests", ja: "評価者が試すこと")
        case .evidence: LocalizedText(en: "Typical evidence", ja: "証拠の例")
        case .objective: LocalizedText(en: "For this objective", ja: "この評価目標で示すこと")
        }
    }

    /// The heading over the whole guidance: it says the text is ours, not the standard's.
    public static let heading = LocalizedText(en: "Guidance (written by Tekigo, not the official wording)",
                                              ja: "ガイダンス（Tekigo が作成。公式の文言ではありません）")
}
