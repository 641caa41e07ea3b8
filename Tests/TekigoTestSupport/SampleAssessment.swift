import TekigoCore

/// A realistic assessment for export tests: a small Japanese machine shop, mostly met, with the cases
/// every export must show (not met, partial credit, not permitted, N/A, unanswered, POA&M with milestones).
public enum SampleAssessment {
    public static func make(complete: Bool = true) throws -> Assessment {
        let library = try BuiltInLibrary.shared
        let catalog = try library.catalog(.sp800171r2)
        var findings: [String: Finding] = [:]
        for o in catalog.objectiveIDs {
            findings[o] = Finding(status: .met, rationale: "Implemented and checked on site.",
                                  evidence: [EvidenceRef(location: "evidence/policy.pdf",
                                                         sha256: String(repeating: "ab", count: 32), size: 12_345,
                                                         date: Day("2026-11-20"))],
                                  assessedBy: "山田 花子", assessedOn: Day("2026-11-25"))
        }
        func fail(_ objective: String, _ why: String) {
            findings[objective] = Finding(status: .notMet, rationale: why, assessedBy: "山田 花子", assessedOn: Day("2026-11-25"))
        }
        fail("3.1.8[b]", "Lockout is not enforced on the CNC workstations.")
        fail("3.5.3[b]", "ローカルの特権アクセスに多要素認証がない。")
        fail("3.13.11", "VPN uses a library without FIPS 140 validation.")
        fail("3.1.12[a]", "Remote access is not permitted.")
        fail("3.4.8[c]", "Allowlist not yet deployed.")
        findings["3.1.16[a]"] = Finding(status: .notApplicable, rationale: "No wireless in the boundary.")
        if !complete { findings["3.14.7[b]"] = nil }
        let answers: [String: RequirementAnswer] = [
            "3.5.3": RequirementAnswer(implementation: "MFA for remote and privileged network access via the VPN.",
                                       mfa: .remoteAndPrivilegedOnly),
            "3.13.11": RequirementAnswer(implementation: "TLS 1.3 on the VPN.", encryption: .notFIPSValidated),
            "3.1.12": RequirementAnswer(implementation: "Remote access is prohibited by policy.", notPermitted: true),
            "3.1.1": RequirementAnswer(implementation: "Accounts are created by the IT lead on request of the plant manager."),
        ]
        let poam = [
            POAMItem(requirement: "3.1.8", weakness: "Unsuccessful logon attempts are not limited on CNC workstations.",
                     milestones: [Milestone(description: "Configure lockout GPO", due: Day("2027-01-15")!, done: true),
                                  Milestone(description: "Verify on all workstations", due: Day("2027-02-01")!)],
                     owner: "IT lead", resources: "4 hours", status: .inProgress, scheduledCompletion: Day("2027-02-01")),
            POAMItem(requirement: "3.13.11", weakness: "Replace the VPN crypto module with a FIPS 140-3 validated one.",
                     milestones: [Milestone(description: "Purchase validated VPN appliance", due: Day("2027-03-31")!)],
                     owner: "IT lead", resources: "¥800,000", status: .open, scheduledCompletion: Day("2027-04-30")),
        ]
        return Assessment(
            organization: Organization(name: "株式会社テスト精機", cageCodes: ["8ABC1", "8ABC2"], uei: "ABCDEF123456",
                                       corporateNumber: "1234567890123"),
            system: SystemProfile(
                name: "本社工場ネットワーク", boundary: "Office LAN, CNC cell, file server; the guest Wi-Fi is outside.",
                environment: "On premises, one site", informationTypes: ["保護すべき情報（図面）", "CUI//SP-CTI"],
                components: [SystemComponent(name: "File server", type: "server", description: "Drawings store"),
                             SystemComponent(name: "CNC workstations", type: "workstation")],
                userCount: 24),
            catalog: .sp800171r2, date: Day("2026-11-27")!, kind: .basic, assessor: "山田 花子",
            findings: findings, answers: answers, poam: poam)
    }

    public static func report(complete: Bool = true) throws -> AssessmentReport {
        try AssessmentReport(try make(complete: complete), library: try BuiltInLibrary.shared)
    }
}
