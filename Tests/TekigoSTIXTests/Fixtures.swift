import Foundation
import TekigoCore
import TekigoSTIX
import TekigoTestSupport

/// A ransomware incident at a small machine shop, with contracts and a DoD report recorded.
enum Fixtures {
    static let discovered = try! OffsetInstant.parse("2026-12-05T02:13:00+09:00").date
    static let created = try! OffsetInstant.parse("2026-12-05T03:00:00.123456+09:00").date
    static let updated = try! OffsetInstant.parse("2026-12-06T10:30:15.5+09:00").date

    static func dossier(phase: IncidentPhase = .contained, outcome: IncidentOutcome = .successfulCompromise,
                        compromise: CompromiseType = .unauthorizedAccess, detection: DetectionMethod = .userReporting,
                        exercise: Bool = false, narrative: String = "Files on the CAD server were encrypted; a ransom note asked for payment.") throws -> IncidentDossier {
        let facts = try IncidentFacts(
            title: "CAD サーバのランサムウェア感染", discoveredAt: discovered, discoveredTimeZone: "Asia/Tokyo",
            discoveredBy: "山田 太郎", detectionMethod: detection, compromiseType: compromise, outcome: outcome,
            information: .cui(category: "CTI"), technique: "Phishing e-mail with a macro document", narrative: narrative,
            recordedAt: created)
        return IncidentDossier(
            id: "inc-42",
            organization: ReportingOrganization(id: "org-7", name: "株式会社 山田精機", cageCodes: ["8ABC3"], uei: "ABCDEF123456"),
            facts: facts, phase: phase, affectedSystems: ["Design LAN"],
            affectedContracts: [AffectedContract(contractID: "c-1", number: "FA8650-26-C-1234", customerID: "org-1",
                                                 customerName: "Prime Aerospace Corp", clauses: [.dfars7012, .dfars7019])],
            submissions: [IncidentSubmission(kind: .dodInitial, submittedAt: updated, channel: "DC3 ICF portal",
                                             submittedBy: "Taro Yamada", reportNumber: "ICF-2026-00042")],
            timeline: [IncidentTimelineEntry(at: created, author: "Taro Yamada", text: "Server isolated")],
            createdAt: created, updatedAt: updated, exercise: exercise)
    }

    static func incidentExample(_ name: String) throws -> Data {
        try Data(contentsOf: TestEnvironment.sharedData("stix/extensions/incident-ef7/examples/\(name)"))
    }

    /// The objects of an exported bundle, by type.
    static func objects(_ data: Data) throws -> [String: [String: Any]] {
        let top = try JSONSerialization.jsonObject(with: data) as! [String: Any]
        var out: [String: [String: Any]] = [:]
        for o in top["objects"] as! [[String: Any]] { out[o["type"] as! String] = o }
        return out
    }
}
