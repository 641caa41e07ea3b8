import Foundation
import Testing
@testable import TekigoCore

/// The exercise scenarios and the schedule (issue 13 item 7): the scenarios ship as data, each objective they name
/// exists in the built-in SP 800-171 rev2 / rev3 catalogs, the evidence offered always leads with the test of the
/// capability (rev2 3.6.3, rev3 A.03.06.03), and the next exercise is due the frequency (the rev3 ODP) after the last
/// completed one, with reminders 30 and 7 days before and when overdue.
@Suite("Exercises: scenarios as data, objectives in the catalogs, the schedule and its reminders (SP 800-171 3.6.3 / 03.06.03)")
struct ExerciseScenarioTests {
    static func day(_ s: String) -> Day { Day(s)! }

    @Test("The four built-in scenarios load, each with timed injects, questions and texts in both languages")
    func builtInScenariosLoad() {
        let library = ExerciseScenarioLibrary.builtIn
        #expect(Set(library.scenarios.map(\.id)) == ["ransomware-machine-shop", "cui-wrong-recipient", "stolen-laptop",
                                                      "breach-reported-by-supplier"])
        for s in library.scenarios {
            #expect(!s.injects.isEmpty && s.injects.allSatisfy { !$0.questions.isEmpty }, "\(s.id)")
            #expect(zip(s.injects, s.injects.dropFirst()).allSatisfy { $0.minute <= $1.minute }, "\(s.id): injects out of order")
            #expect(!s.objectives(in: .sp800171r2).isEmpty && !s.objectives(in: .sp800171r3).isEmpty, "\(s.id)")
            #expect(s.objectives(in: .sp800171r2).allSatisfy { $0.hasPrefix("3.6.1[") || $0.hasPrefix("3.6.2[") }, "\(s.id): rev2 3.6.1/3.6.2 only")
        }
        #expect(library.scenario(id: "ransomware-machine-shop")?.incident.compromiseType == .unauthorizedAccess)
        #expect(library.scenario(id: "cui-wrong-recipient")?.incident.compromiseType == .unauthorizedRelease)
    }

    @Test("3.6.3: every objective a scenario names exists in the built-in SP 800-171 rev2 / rev3 catalog")
    func objectivesExistInTheCatalogs() throws {
        let library = try BuiltInLibrary.shared
        #expect(ExerciseScenarioLibrary.builtIn.problems(against: library) == [])
        for (catalog, objective) in ExerciseEvidence.testObjective {
            #expect(try library.catalog(catalog).entries.contains { $0.assessmentObjectives.contains(objective) }, "\(catalog) \(objective)")
        }
        // The check itself finds a wrong id.
        let bad = try ExerciseScenarioLibrary(json: Data("""
            {"version":"t","scenarios":[{"id":"x","title":{"en":"X","ja":"X"},"summary":{"en":"S","ja":"S"},
             "incident":{"title":{"en":"T","ja":"T"},"detectionMethod":"other","compromiseType":"unknown","outcome":"unknown",
                         "technique":{"en":"t","ja":"t"}},
             "injects":[{"id":"a","minute":0,"text":{"en":"a","ja":"a"},"questions":[{"en":"q","ja":"q"}]}],
             "objectives":{"sp800-171r2":["3.6.1[h]"]}}]}
            """.utf8))
        #expect(bad.problems(against: library) == ["x: sp800-171r2 has no objective 3.6.1[h]"])
    }

    @Test("A scenario file with a duplicate id, injects out of order or a missing Japanese text is refused, naming it")
    func badFilesRefused() {
        func file(_ injects: String, id2: String = "y", ja: String = "a") -> Data {
            let one = """
                {"id":"ID","title":{"en":"X","ja":"\(ja)"},"summary":{"en":"S","ja":"S"},
                 "incident":{"title":{"en":"T","ja":"T"},"detectionMethod":"other","compromiseType":"unknown","outcome":"unknown",
                             "technique":{"en":"t","ja":"t"}},"injects":\(injects),"objectives":{}}
                """
            let first: String = one.replacingOccurrences(of: "ID", with: "x")
            let second: String = one.replacingOccurrences(of: "ID", with: id2)
            let text: String = "{\"version\":\"t\",\"scenarios\":[" + first + "," + second + "]}"
            return Data(text.utf8)
        }
        let ok = #"[{"id":"a","minute":0,"text":{"en":"a","ja":"a"},"questions":[{"en":"q","ja":"q"}]}]"#
        let late = #"[{"id":"a","minute":5,"text":{"en":"a","ja":"a"},"questions":[{"en":"q","ja":"q"}]},{"id":"b","minute":1,"text":{"en":"b","ja":"b"},"questions":[{"en":"q","ja":"q"}]}]"#
        #expect((try? ExerciseScenarioLibrary(json: file(ok))) != nil)
        #expect(throws: ExerciseError.invalidScenarios("scenario id 'x' appears twice")) { try ExerciseScenarioLibrary(json: file(ok, id2: "x")) }
        #expect(throws: ExerciseError.invalidScenarios("inject 'b' of 'x' is out of time order")) { try ExerciseScenarioLibrary(json: file(late)) }
        #expect(throws: ExerciseError.invalidScenarios("scenario 'x' has a text missing in English or Japanese")) {
            try ExerciseScenarioLibrary(json: file(ok, ja: ""))
        }
    }

    @Test("3.6.3[a]: the offer leads with the test objective (rev2 3.6.3, rev3 A.03.06.03), then the scenario's in catalog order; other catalogs are refused")
    func evidenceObjectives() throws {
        let library = try BuiltInLibrary.shared
        let s = try #require(ExerciseScenarioLibrary.builtIn.scenario(id: "ransomware-machine-shop"))
        let rev2 = try ExerciseEvidence.objectives(for: s, in: library.catalog(.sp800171r2)).map(\.objective)
        #expect(rev2.first == "3.6.3")
        #expect(Array(rev2.dropFirst()) == s.objectives(in: .sp800171r2))
        let rev3 = try ExerciseEvidence.objectives(for: s, in: library.catalog(.sp800171r3))
        #expect(rev3.first?.objective == "A.03.06.03" && rev3.first?.requirement.id == "03.06.03")
        #expect(throws: ExerciseError.unsupportedCatalog("csf-2.0")) {
            _ = try ExerciseEvidence.objectives(for: s, in: Catalog(id: "csf-2.0", name: LocalizedText("CSF"), version: "2.0", families: [], entries: []))
        }
    }

    @Test("rev3 03.06.03 ODP: the next exercise is due the frequency after the last completed one; a month end stays in its month")
    func nextDue() {
        #expect(ExerciseSchedule.nextDue(lastCompleted: nil, months: 12) == nil)
        #expect(ExerciseSchedule.nextDue(lastCompleted: Self.day("2026-12-06"), months: 12) == Self.day("2027-12-06"))
        #expect(ExerciseSchedule.adding(months: 1, to: Self.day("2027-01-31")) == Self.day("2027-02-28"))
        #expect(ExerciseSchedule.adding(months: 1, to: Self.day("2028-01-31")) == Self.day("2028-02-29"))
        #expect(ExerciseSchedule.adding(months: 6, to: Self.day("2026-08-31")) == Self.day("2027-02-28"))
        #expect(ExerciseSchedule.adding(months: 60, to: Self.day("2026-12-06")) == Self.day("2031-12-06"))
    }

    @Test("Reminders: none before 30 days, the tightest of 30/7 days reached, overdue on the due day, and one when none was ever completed")
    func reminders() {
        let last = (id: "e1", day: Self.day("2026-01-15"))  // due 2027-01-15 at 12 months
        func at(_ today: String) -> [ExerciseReminder] { ExerciseSchedule.reminders(lastCompleted: last, months: 12, today: Self.day(today)) }
        #expect(at("2026-12-15").isEmpty)  // 31 days left
        #expect(at("2026-12-16").map(\.kind) == [.due] && at("2026-12-16").first?.key.hasSuffix("within-30d") == true)
        #expect(at("2027-01-08").first?.key.hasSuffix("within-7d") == true)
        #expect(at("2027-01-15").map(\.kind) == [.overdue])
        #expect(at("2027-03-01").map(\.key) == at("2027-01-15").map(\.key), "one overdue reminder, not one a day")
        #expect(at("2027-01-08").first?.due == Self.day("2027-01-15"))
        let none = ExerciseSchedule.reminders(lastCompleted: nil, months: 12, today: Self.day("2026-12-06"))
        #expect(none.map(\.kind) == [.overdue] && none.first?.due == nil)
        // A newer completion starts new keys.
        let newer = ExerciseSchedule.reminders(lastCompleted: (id: "e2", day: Self.day("2026-02-01")), months: 12, today: Self.day("2027-02-01"))
        #expect(newer.first?.key != at("2027-01-15").first?.key)
        #expect(at("2027-01-15").first?.text.ja.contains("期限") == true && at("2027-01-15").first?.text.en.contains("3.6.3") == true)
    }
}
