import Foundation
import Testing
import TekigoCore

/// The incident notice's payload (DFARS 252.204-7012(m)(2), 48 CFR 204.7302(b)): the minimum it carries, the fields
/// only on the supplier's choice, the chain rules a forward must keep, and canonical bytes that are a function of the
/// value. Signatures are TekigoAttestation's (tested in TekigoServerTests' IncidentNoticePropagationTests).
@Suite("Incident notice payload: minimum by default, chosen fields, chain rules, canonical bytes")
struct IncidentNoticeTests {
    static func instant(_ text: String) -> Date { try! OffsetInstant.parse(text).date }

    static func facts() throws -> IncidentFacts {
        try IncidentFacts(title: "CAD サーバ侵害", discoveredAt: instant("2027-01-08T02:13:00+09:00"), discoveredTimeZone: "Asia/Tokyo",
                          discoveredBy: "山田", detectionMethod: .automatedTool, compromiseType: .unauthorizedAccess,
                          outcome: .successfulCompromise, information: .cui(category: "CTI"), technique: "phishing",
                          narrative: "details", recordedAt: instant("2027-01-08T03:00:00+09:00"))
    }

    static let initial = IncidentSubmission(kind: .dodInitial, submittedAt: instant("2027-01-08T08:30:00+09:00"), channel: "DC3",
                                            submittedBy: "u", reportNumber: "ICF-1")

    func origin(include: Set<IncidentNoticeField> = []) throws -> IncidentNoticePayload {
        let r = try IncidentNoticeReport(facts: try Self.facts(), phase: .contained, submission: Self.initial, include: include)
        return IncidentNoticePayload(id: "n1", issuedAt: Self.instant("2027-01-08T09:00:00+09:00"), sender: "t3", recipient: "t2",
                                     contracts: ["B", "A", "A"], report: r)
    }

    func envelope(_ p: IncidentNoticePayload) -> IncidentNoticeEnvelope {
        IncidentNoticeEnvelope(keyId: "0123456789abcdef", publicKey: "AAAA", payload: p, signature: "AAAA")
    }

    @Test("204.7302(b) minimum: report number, kind, discovery and submission in UTC, contracts sorted once; nothing else unless chosen")
    func minimum() throws {
        let p = try origin()
        #expect(p.contracts == ["A", "B"])
        #expect(p.tier == 1)
        #expect(p.report.discoveredAt == "2027-01-07T17:13:00Z")
        #expect(p.report.submittedAt == "2027-01-07T23:30:00Z")
        #expect(p.report.included.isEmpty)
        let text = String(decoding: try p.canonicalBytes(), as: UTF8.self)
        for absent in ["title", "narrative", "technique", "outcome", "phase", "CTI", "CAD"] { #expect(!text.contains(absent), "\(absent)") }
        #expect(text.hasPrefix("{\"body\":{\"report\":{\"discoveredAt\":"), "sorted keys, no white space")
    }

    @Test("Chosen fields, and only those, are carried")
    func chosen() throws {
        let p = try origin(include: [.outcome, .information, .phase])
        #expect(p.report.included == [.phase, .outcome, .information])
        #expect(p.report.outcome == "successful-compromise")
        #expect(p.report.information == "cui:CTI")
        #expect(p.report.phase == "contained")
        #expect(p.report.title == nil && p.report.narrative == nil && p.report.technique == nil)
    }

    @Test("A notice carries a DoD report number only: an MOD report is refused")
    func dodOnly() throws {
        let mod = IncidentSubmission(kind: .modFirst, submittedAt: Self.instant("2027-01-08T03:00:00+09:00"), channel: "電話",
                                     submittedBy: "u", reportNumber: nil)
        #expect(throws: IncidentNoticeError.notADoDReport("mod-first")) {
            _ = try IncidentNoticeReport(facts: try Self.facts(), phase: .detected, submission: mod, include: [])
        }
    }

    @Test("Forwarding wraps the received notice: one tier up, addressed from its recipient, report and origin unchanged; the chain cannot return to an organization in it")
    func forward() throws {
        let inner = envelope(try origin())
        let f = IncidentNoticePayload(id: "n2", issuedAt: Self.instant("2027-01-08T09:00:01+09:00"), sender: "t2", recipient: "t1",
                                      contracts: ["T1"], forwarding: inner)
        try f.validate()
        #expect(f.tier == 2)
        #expect(f.origin == "t3")
        #expect(f.report.reportNumber == "ICF-1")
        #expect(f.chain.map(\.sender) == ["t3", "t2"])

        var wrongSender = f
        wrongSender.sender = "someone"
        #expect(throws: IncidentNoticeError.self) { try wrongSender.validate() }
        var skipped = f
        skipped.tier = 3
        #expect(throws: IncidentNoticeError.self) { try skipped.validate() }
        let loop = IncidentNoticePayload(id: "n3", issuedAt: Self.instant("2027-01-08T09:00:02+09:00"), sender: "t1", recipient: "t3",
                                         contracts: ["X"], forwarding: envelope(f))
        #expect(throws: IncidentNoticeError.self) { try loop.validate() }
    }

    @Test("Canonical bytes are a function of the value and round-trip through JSON")
    func canonical() throws {
        let p = try origin(include: [.title])
        let bytes = try p.canonicalBytes()
        let back = try JSONDecoder().decode(IncidentNoticePayload.self, from: bytes)
        #expect(back == p)
        #expect(try back.canonicalBytes() == bytes)
        let file = try envelope(p).encoded()
        let decoded = try JSONDecoder().decode(IncidentNoticeEnvelope.self, from: file)
        #expect(decoded.payload == p)
    }

    @Test("Instants are whole-second UTC: another spelling is refused")
    func instants() throws {
        #expect(IncidentNoticePayload.date("2027-01-07T17:13:00Z") != nil)
        #expect(IncidentNoticePayload.date("2027-01-07T17:13:00+00:00") == nil)
        #expect(IncidentNoticePayload.date("2027-01-07T17:13Z") == nil)
        var p = try origin()
        p.issuedAt = "2027-01-08T09:00:00+09:00"
        #expect(throws: IncidentNoticeError.self) { try p.validate() }
        var r = p.report
        r.submittedAt = "2027-01-07T17:00:00Z"
        let early = IncidentNoticePayload(id: "n", issuedAt: Self.instant("2027-01-08T09:00:00+09:00"), sender: "a", recipient: "b",
                                          contracts: ["C"], report: r)
        #expect(throws: IncidentNoticeError.invalid(field: "payload.body.report.submittedAt", "before the discovery")) { try early.validate() }
    }
}
