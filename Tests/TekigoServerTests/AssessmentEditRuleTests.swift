import Foundation
import SQLKit
import Testing
import TekigoCore
import TekigoStore
import TekigoTestSupport
@testable import TekigoServer
@testable import TekigoUseCases

/// The editor's save rules, moved from the page's form (`RequirementDraft.validate`) to `AssessmentUseCases.saveRequirement`
/// (issue #16): a link to evidence is an http(s) URL with a host; a scoring exception carries its note (DoD Assessment
/// Methodology §5: temporary deficiencies, enduring exceptions and adjudications are documented).
@Suite("Requirement edits: the use case's rules")
struct AssessmentEditRuleTests {
    static func edit(links: [String], exception: ScoringException?, note: String?) -> RequirementEdit {
        RequirementEdit(objectives: links.enumerated().map { i, link in
                            .init(id: "3.1.1[\(Character(UnicodeScalar(97 + i)!))]", finding: Finding(status: .met), version: 0, newLink: link)
                        },
                        files: [], answer: RequirementAnswer(exception: exception, exceptionNote: note), answerVersion: 1)
    }

    @Test("Links are http(s) with a host; an exception needs its note; each problem names its field")
    func problems() {
        #expect(Self.edit(links: ["", "https://intranet.example.jp/vpn", "http://10.0.0.5/wiki"], exception: nil, note: nil).problems.isEmpty)
        let bad = Self.edit(links: ["ftp://x/y", "", "intranet/vpn", "https://"], exception: .enduringException, note: nil)
        #expect(bad.problems == ["o0": .link, "o2": .link, "o3": .link, "exceptionNote": .exceptionNote])
        #expect(Self.edit(links: [], exception: .enduringException, note: "委託先の保守端末のみ").problems.isEmpty)
        let e = AssessmentError.requirementEdit(["o2": .link, "exceptionNote": .exceptionNote])
        #expect(e.field == "exceptionNote")
        #expect(e.description == "exceptionNote: a scoring exception needs its note (what was decided, by whom). "
                + "o2: a link to evidence must be an http:// or https:// URL.")
    }

    @Test("A refused edit writes nothing: no finding, no answer, no audit entry, no score point", arguments: TestDatabases.engines)
    func refusedWritesNothing(engine: TestDatabases.Engine) async throws {
        try await UseCaseWorld.with(engine) { w in
            let uc = AssessmentUseCases(w.env, w.scope(.assessor))
            let system = try await uc.createSystem(name: "生産管理", boundary: "", environment: "", informationTypes: [], userCount: 3)
            let a = try await uc.createAssessment(systemID: system.id, catalog: nil, date: "2026-11-28", kind: nil, assessor: "")
            let before = try await w.auditActions()
            await #expect(throws: AssessmentError.requirementEdit(["o0": .link])) {
                try await uc.saveRequirement(a, requirement: "3.1.1", Self.edit(links: ["javascript:alert(1)"], exception: nil, note: nil),
                                             by: "評価者")
            }
            let store = w.scope(.assessor).store
            #expect(try await store.findings(assessmentID: a.id).isEmpty)
            #expect(try await store.scoreHistory(assessmentID: a.id).isEmpty)
            #expect(try await w.auditActions() == before)

            try await uc.saveRequirement(a, requirement: "3.1.1", Self.edit(links: ["https://intranet.example.jp/vpn"], exception: nil, note: nil),
                                         by: "評価者")
            #expect(try await store.findings(assessmentID: a.id).count == 1)
            #expect(try await store.scoreHistory(assessmentID: a.id).count == 1)
        }
    }
}
