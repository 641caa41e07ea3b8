import Foundation

/// What DFARS 252.204-7012(b)(2)(ii)(D) asks the cloud provider to comply with, paragraphs (c)–(g) (standards-facts
/// §4.1): each the contractor must be able to show in its contract with the provider.
public enum CloudCommitmentKind: String, Sendable, Hashable, Codable, CaseIterable {
    /// (c) cyber incident reporting: the provider reports incidents to the contractor, who reports to DoD within 72 hours.
    case incidentReporting = "c-incident-reporting"
    /// (d) malicious software isolated and submitted as DC3 instructs.
    case maliciousSoftware = "d-malicious-software"
    /// (e) images of affected systems and monitoring/packet capture data kept at least 90 days from the report.
    case mediaPreservation = "e-media-preservation"
    /// (f) access for DoD to additional information or equipment needed for forensic analysis.
    case forensicAccess = "f-forensic-access"
    /// (g) the damage assessment information gathered under (e), on request.
    case damageAssessment = "g-damage-assessment"

    public var paragraph: String { "(" + rawValue.prefix(1) + ")" }

    public var label: LocalizedText {
        switch self {
        case .incidentReporting:
            return LocalizedText(en: "(c) Reports cyber incidents to you promptly, so you can report to DoD within 72 hours",
                                 ja: "(c) サイバーインシデントを速やかに自社へ報告する（自社が 72 時間以内に国防総省へ報告できるように）")
        case .maliciousSoftware:
            return LocalizedText(en: "(d) Isolates malicious software and provides it for submission to DC3",
                                 ja: "(d) 悪意あるソフトウェアを隔離し、DC3 への提出のために提供する")
        case .mediaPreservation:
            return LocalizedText(en: "(e) Keeps images of affected systems and monitoring data at least 90 days",
                                 ja: "(e) 影響を受けたシステムのイメージと監視データを少なくとも 90 日間保全する")
        case .forensicAccess:
            return LocalizedText(en: "(f) Gives DoD access to information and equipment for forensic analysis",
                                 ja: "(f) フォレンジック分析に必要な情報・機器へのアクセスを国防総省に提供する")
        case .damageAssessment:
            return LocalizedText(en: "(g) Provides the damage assessment information on request",
                                 ja: "(g) 要請に応じて被害評価のための情報を提供する")
        }
    }
}

/// One (c)–(g) commitment as recorded: whether the provider commits to it and where the contract says so.
public struct CloudCommitment: Sendable, Hashable, Codable {
    public var kind: CloudCommitmentKind
    public var committed: Bool
    /// The contract evidence: a clause reference ("MSA §12.3"), a link, or an evidence file's SHA-256.
    public var evidence: String

    public init(kind: CloudCommitmentKind, committed: Bool, evidence: String) {
        self.kind = kind
        self.committed = committed
        self.evidence = evidence
    }

    /// Committed, with its contract evidence named: only then does it count.
    public var isEvidenced: Bool { committed && !evidence.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty }
}
