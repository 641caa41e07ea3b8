import ArgumentParser
import Foundation
import TekigoCore
import TekigoStore
import TekigoUseCases

// Incident-response exercises from the command line (issue 13 item 7; SP 800-171 3.6.3, rev3 03.06.03): the built-in
// scenarios, and an organization's exercises with the schedule (the frequency it set, the next due day), as JSON.
// Planning, running and the evidence confirmation are the pages' and the API's (the confirmation is a person's).

struct ExerciseCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "exercise",
        abstract: say(ja: "インシデント対応の訓練（SP 800-171 3.6.3 / 03.06.03）: シナリオと、組織の訓練と予定。", en: "Incident-response exercises (SP 800-171 3.6.3 / 03.06.03): the scenarios, and an organization's exercises and schedule."),
        subcommands: [ExerciseScenarios.self, ExerciseList.self])
}

struct ExerciseScenarios: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "scenarios", abstract: say(ja: "組み込みのシナリオを JSON で表示します: 状況付与、問い、それぞれが確かめる評価目標。", en: "The built-in scenarios as JSON: injects, questions and the objectives each exercises."))

    @OptionGroup var global: GlobalOptions

    struct View: Encodable {
        struct Inject: Encodable { let id: String; let minute: Int; let text: LocalizedText; let questions: [LocalizedText] }
        let id: String
        let title: LocalizedText
        let summary: LocalizedText
        let injects: [Inject]
        let objectives: [String: [String]]
    }

    func run() async throws {
        try await reporting {
            print(try encodeJSON(ExerciseScenarioLibrary.builtIn.scenarios.map { s in
                View(id: s.id, title: s.title, summary: s.summary,
                     injects: s.injects.map { .init(id: $0.id, minute: $0.minute, text: $0.text, questions: $0.questions) },
                     objectives: s.objectives)
            }))
        }
    }
}

struct ExerciseList: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list", abstract: say(ja: "組織の訓練と予定を JSON で表示します（頻度、最後の実施日、次の期限）。", en: "An organization's exercises and schedule as JSON (frequency, last completed, next due)."),
        discussion: say(ja: "例: tekigo exercise list --org 株式会社サンプル精機", en: "Example: tekigo exercise list --org 株式会社サンプル精機"))

    @OptionGroup var global: GlobalOptions
    @Option(help: .say(ja: "組織: その ID、又は正確な名前。", en: "The organization: its id, or its exact name.")) var org: String

    struct View: Encodable {
        struct Exercise: Encodable {
            let id: String
            let scenario: String
            let kind: String
            let title: String
            let plannedOn: String
            let status: String
            let incidentId: String?
            let completedOn: String?
        }
        let frequencyMonths: Int
        let frequencyIsDefault: Bool
        let lastCompletedOn: String?
        /// Absent: no exercise completed yet, so one is due now.
        let nextDue: String?
        let overdue: Bool
        let exercises: [Exercise]
    }

    func run() async throws {
        try await incidentReporting(global.language) {
            let c = try await IncidentCommandContext.forOrganization(org, global)
            let q = ExerciseQueries(c.env, c.scope)
            let s = try await q.schedule()
            print(try encodeJSON(View(
                frequencyMonths: s.frequencyMonths, frequencyIsDefault: s.isDefault, lastCompletedOn: s.lastCompleted?.completedOn,
                nextDue: s.nextDue?.description, overdue: s.overdue,
                exercises: try await q.list().map {
                    .init(id: $0.id, scenario: $0.scenarioId, kind: $0.kind, title: $0.title, plannedOn: $0.plannedOn, status: $0.status,
                          incidentId: $0.incidentId, completedOn: $0.completedOn)
                })))
        }
    }
}
