import Testing
import TekigoTestSupport
@testable import TekigoCore

@Suite("Assessment report")
struct ReportTests {
    @Test("The sample scores as the rules say: 3.1.8 −1, 3.5.3 −3, 3.13.11 −3, 3.4.8 −5; 3.1.12 not permitted")
    func sample() throws {
        let r = try SampleAssessment.report()
        #expect(r.sprs?.score == 110 - 1 - 3 - 3 - 5 - 3)  // 3.4.8 has no dated plan: 3.12.2 −3 too
        #expect(r.sprs?.deductions.map(\.requirement) == ["3.1.8", "3.4.8", "3.5.3", "3.13.11", "3.12.2"])
        #expect(r.sprs?.credits.map(\.requirement) == ["3.1.12"])
        #expect(r.cmmc?.status == .notEligible)
        // A draft item is generated for 3.4.8; the expected date is unknown until it has one.
        #expect(r.poam.map(\.requirement) == ["3.1.8", "3.4.8", "3.5.3", "3.13.11"])
        #expect(r.expectedFullCompliance == nil)
        #expect(r.requirements.count == 110)
        #expect(r.familySummary.count == 14)
        #expect(r.csfCoverage.map(\.function.id) == ["GV", "ID", "PR", "DE", "RS", "RC"])
    }

    @Test("Expected full compliance is the latest planned completion once every gap has a dated item")
    func expectedDate() throws {
        var a = try SampleAssessment.make()
        a.poam.append(POAMItem(requirement: "3.4.8", weakness: "w", scheduledCompletion: Day("2027-06-30")))
        a.poam.append(POAMItem(requirement: "3.5.3", weakness: "w", scheduledCompletion: Day("2027-05-31")))
        let r = try AssessmentReport(a, library: try BuiltInLibrary.shared)
        #expect(r.sprs?.score == 110 - 1 - 3 - 3 - 5)
        #expect(r.expectedFullCompliance == Day("2027-06-30"))
    }
}
