import Foundation

/// One timed event of an exercise: what the facilitator reads out `minute` minutes after the start, and the questions
/// the participants discuss then.
public struct ExerciseInject: Sendable, Hashable, Codable {
    public let id: String
    public let minute: Int
    public let text: LocalizedText
    public let questions: [LocalizedText]

    public init(id: String, minute: Int, text: LocalizedText, questions: [LocalizedText]) {
        self.id = id
        self.minute = minute
        self.text = text
        self.questions = questions
    }
}

/// What an exercise records as its incident when it runs (an exercise incident: the clocks run, nothing is reported).
public struct ExerciseIncidentSeed: Sendable, Hashable, Codable {
    public let title: LocalizedText
    public let detectionMethod: DetectionMethod
    public let compromiseType: CompromiseType
    public let outcome: IncidentOutcome
    public let technique: LocalizedText
}

/// An incident-response exercise scenario (SP 800-171 rev2 3.6.3, rev3 03.06.03): Tekigo's own text in both
/// languages, its injects in the order they are played, the incident it opens and, per catalog, the assessment
/// objectives it exercises (3.6.1 / 3.6.2 in rev2, 03.06.01 / 03.06.02 determination statements in rev3). The test of
/// the capability itself (rev2 3.6.3, rev3 A.03.06.03) is what every exercise gives evidence for, so it is not listed
/// per scenario (`ExerciseEvidence.testObjective`).
public struct ExerciseScenario: Sendable, Hashable, Codable, Identifiable {
    public let id: String
    public let title: LocalizedText
    public let summary: LocalizedText
    public let incident: ExerciseIncidentSeed
    public let injects: [ExerciseInject]
    /// Catalog id (`sp800-171r2`, `sp800-171r3`) → objective ids of that catalog.
    public let objectives: [String: [String]]

    public func objectives(in catalog: CatalogID) -> [String] { objectives[catalog.rawValue] ?? [] }

    public func inject(_ id: String) -> ExerciseInject? { injects.first { $0.id == id } }
}

/// The scenarios that ship with Tekigo (`Resources/incidents/exercise-scenarios.json`), data rather than code.
public struct ExerciseScenarioLibrary: Sendable, Hashable, Codable {
    public let version: String
    public let scenarios: [ExerciseScenario]

    public static let builtIn: ExerciseScenarioLibrary = {
        guard let url = Bundle.module.url(forResource: "exercise-scenarios", withExtension: "json", subdirectory: "incidents"),
              let data = try? Data(contentsOf: url) else {
            fatalError("TekigoCore's resource incidents/exercise-scenarios.json is missing from the build")
        }
        do { return try ExerciseScenarioLibrary(json: data) } catch {
            fatalError("incidents/exercise-scenarios.json is invalid: \(error)")
        }
    }()

    public init(version: String, scenarios: [ExerciseScenario]) {
        self.version = version
        self.scenarios = scenarios
    }

    /// Decodes and checks the file's shape: ids unique, every scenario with injects in time order (ids unique within
    /// it, each with a question), texts in both languages. Objective ids are checked against the catalogs by
    /// `problems(against:)`, which needs the library.
    public init(json: Data) throws(ExerciseError) {
        let decoded: ExerciseScenarioLibrary
        do { decoded = try JSONDecoder().decode(Self.self, from: json) } catch {
            throw .invalidScenarios("\(error)")
        }
        var ids = Set<String>()
        for s in decoded.scenarios {
            guard ids.insert(s.id).inserted else { throw .invalidScenarios("scenario id '\(s.id)' appears twice") }
            guard !s.injects.isEmpty else { throw .invalidScenarios("scenario '\(s.id)' has no injects") }
            var injectIDs = Set<String>()
            var last = -1
            for i in s.injects {
                guard injectIDs.insert(i.id).inserted else { throw .invalidScenarios("inject '\(i.id)' appears twice in '\(s.id)'") }
                guard i.minute >= last else { throw .invalidScenarios("inject '\(i.id)' of '\(s.id)' is out of time order") }
                guard !i.questions.isEmpty else { throw .invalidScenarios("inject '\(i.id)' of '\(s.id)' has no question") }
                last = i.minute
            }
            let texts = [s.title, s.summary, s.incident.title, s.incident.technique] + s.injects.flatMap { [$0.text] + $0.questions }
            guard texts.allSatisfy({ !$0.en.isEmpty && !$0.ja.isEmpty }) else {
                throw .invalidScenarios("scenario '\(s.id)' has a text missing in English or Japanese")
            }
        }
        self = decoded
    }

    public func scenario(id: String) -> ExerciseScenario? { scenarios.first { $0.id == id } }

    /// Each objective a scenario names that its catalog does not have (empty when all exist), e.g.
    /// `"ransomware-machine-shop: sp800-171r2 has no objective 3.6.1[h]"`.
    public func problems(against library: Library) -> [String] {
        scenarios.flatMap { s in
            s.objectives.sorted { $0.key < $1.key }.flatMap { catalogID, ids -> [String] in
                guard let catalog = library.catalogs[CatalogID(catalogID)] else { return ["\(s.id): unknown catalog \(catalogID)"] }
                let known = Set(catalog.entries.flatMap(\.assessmentObjectives))
                return ids.filter { !known.contains($0) }.map { "\(s.id): \(catalogID) has no objective \($0)" }
            }
        }
    }
}

/// Tabletop (people talk the scenario through) or simulation (they act it out on the systems or a stand-in).
public enum ExerciseKind: String, Sendable, Codable, CaseIterable {
    case tabletop, simulation

    public var label: LocalizedText {
        switch self {
        case .tabletop: return LocalizedText(en: "Tabletop", ja: "机上演習")
        case .simulation: return LocalizedText(en: "Simulation", ja: "実動演習")
        }
    }
}

/// Where an exercise stands: planned, running (its exercise incident open, injects being played), completed.
public enum ExerciseStatus: String, Sendable, Codable, CaseIterable {
    case planned, running, completed

    public var label: LocalizedText {
        switch self {
        case .planned: return LocalizedText(en: "Planned", ja: "計画済み")
        case .running: return LocalizedText(en: "Running", ja: "実施中")
        case .completed: return LocalizedText(en: "Completed", ja: "完了")
        }
    }
}

/// What an entry of a running exercise records.
public enum ExerciseEntryKind: String, Sendable, Codable, CaseIterable {
    /// A decision the participants took (who does what).
    case decision
    /// A gap found: it may become a POA&M item.
    case finding
    /// Anything else worth keeping (an inject played, an observation).
    case note

    public var label: LocalizedText {
        switch self {
        case .decision: return LocalizedText(en: "Decision", ja: "決定事項")
        case .finding: return LocalizedText(en: "Finding", ja: "発見事項（課題）")
        case .note: return LocalizedText(en: "Note", ja: "メモ")
        }
    }
}
