import Foundation
import Testing
import TekigoCore
import TekigoTestSupport
@testable import TekigoServer

/// The exercise pages' typed models against their templates, as `PageModelTests` checks the others: a sample of each
/// model with every optional present; every name a template reads is a key of its model or the layout (the entry
/// partial's names are the detail page's entries'), every `{{t.key}}` a message, every model key read, no "nil".
@Suite("Exercise page models")
struct ExercisePageModelTests {
    static let option = SelectOption(value: "v", label: "L", selected: true)
    static let entry = ExerciseDetailPage.Entry(kind: "Finding", kindID: "finding", text: "T", at: "now", poamURL: "/p", poamLabel: "3.6.2",
                                                poamAction: "/pa", poamAssessments: [option], entryID: "e1")
    static let samples: [(String, any PageModel)] = [
        ("exercise-list", ExerciseListPage(
            frequency: "12", frequencyDefault: true, lastCompleted: .init(title: "T", url: "/x", day: "d"), nextDue: "d", overdue: true,
            canSetFrequency: true, frequencyAction: "/f", frequencyValue: "12", frequencyError: "Bad",
            exercises: [.init(title: "T", url: "/x", kind: "K", status: "S", statusID: "planned", planned: "d", completed: "d")],
            hasExercises: true, canManage: true, planAction: "/p",
            scenarios: [.init(value: "s", label: "S", summary: "Sum", selected: true)], kinds: [option], titleValue: "T",
            plannedOn: "2026-12-01", facilitator: "F", members: [.init(value: "u", label: "U", checked: true)], hasMembers: true,
            participantNames: "A", planError: "Bad", incidentsURL: "/i")),
        ("exercise-detail", ExerciseDetailPage(
            title: "T", status: "S", statusID: "running", kind: "K", scenario: "Sc", summaryText: "Sum", planned: "d", facilitator: "F",
            participants: "P", objectives: "3.6.3", incidentURL: "/i", incidentState: "72 h", canManage: true, isPlanned: true,
            isRunning: true, isCompleted: true, startAction: "/s", startError: "E",
            injects: [.init(minute: "T+0", text: "I", questions: ["Q"], entries: [entry])], otherEntries: [entry], entryAction: "/e",
            entryKinds: [option], injectOptions: [option], entryText: "x", entryError: "E", completeAction: "/c", summary: "s",
            completeError: "E", resultSummary: "R", completed: "d", evidenceAction: "/ev", assessments: [option], hasAssessments: true,
            evidence: [.init(objective: "3.6.3", assessment: "A", url: "/r", location: "L")], hasEvidence: true, poamError: "E",
            listURL: "/l")),
        ("exercise-evidence", ExerciseEvidencePage(
            title: "T", assessment: "A", action: "/a", assessmentID: "a1",
            items: [.init(objective: "3.6.3", requirement: "R", location: "L", status: "S", version: "0", alreadyAdded: true, url: "/r",
                          field: "v_3.6.3")],
            canConfirm: true, error: "E", backURL: "/b")),
    ]

    @Test func everyTemplateNameIsAModelKeyAndEveryModelKeyIsRead() async throws {
        let assets = try await WebAssets.load()
        let t = assets.messages.table(.ja)
        let layoutNames = try PageModelTests.names(PageModelTests.source("layout"))
        let partial = try PageModelTests.names(PageModelTests.source("exercise-entry"))
        for (template, model) in Self.samples {
            let tree = TemplateTree.merged(model, PageModelTests.layout(t))
            var keys = PageModelTests.keys(tree)
            let names = try PageModelTests.names(PageModelTests.source(template)) + layoutNames + (template == "exercise-detail" ? partial : [])
            if template == "exercise-detail" { keys.formUnion(PageModelTests.keys(TemplateTree.tree(Self.entry))) }
            for name in names {
                let parts = name.split(separator: ".").map(String.init)
                if parts[0] == "t" {
                    #expect(parts.count == 2 && t[parts[1]] != nil, "\(template): no message \(name)")
                } else {
                    #expect(keys.contains(parts[0]), "\(template): \(name) is not a key of its model or the layout")
                }
            }
            let read = Set(names.flatMap { $0.split(separator: ".").map(String.init) })
            for key in PageModelTests.keys(TemplateTree.tree(model)) {
                #expect(read.contains(key), "\(template): the model's key \(key) is read by no template")
            }
            let html = try #require(assets.templates.render(tree, withTemplate: template))
            #expect(try PageModelTests.nilText(html).isEmpty, "\(template) prints nil")
        }
    }
}
