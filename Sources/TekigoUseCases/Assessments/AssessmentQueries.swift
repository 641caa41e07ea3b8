import Foundation
import TekigoCore
import TekigoStore

/// What the API and the pages read of an organization's systems, assessments, findings, plan of action and score
/// history. Reads check nothing beyond the membership check the adapter already made (`TenantScope`); they live
/// here so adapters reach the store only through this layer, and so "the assessment as scored" is built one way.
public struct AssessmentQueries: Sendable {
    public let env: TenantEnvironment
    public let scope: TenantScope

    public init(_ env: TenantEnvironment, _ scope: TenantScope) {
        self.env = env
        self.scope = scope
    }

    var store: TenantStore { scope.store }

    public func systems() async throws -> [SystemRecord] { try await store.systems() }

    public func assessments() async throws -> [AssessmentRecord] { try await store.assessments() }

    /// One of the organization's assessments; nil when it is not this organization's.
    public func assessment(id: String) async throws -> AssessmentRecord? { try await store.assessment(id: id) }

    /// The stored findings, one row per answered objective, with their versions.
    public func findings(assessmentID: String) async throws -> [FindingRecord] { try await store.findings(assessmentID: assessmentID) }

    /// The assessment as the domain sees it (findings, answers, plan of action). `evidence: false` skips decoding
    /// evidence lists, for views that show statuses and scores only.
    public func load(_ a: AssessmentRecord, evidence: Bool = true) async throws -> Assessment {
        try await store.load(a, organization: scope.organization.domainOrganization, evidence: evidence)
    }

    /// The assessment scored: statuses per requirement, SPRS score, CMMC rules, the plan of action.
    public func report(_ a: AssessmentRecord, draftLanguage: Language = .en, evidence: Bool = true) async throws -> AssessmentReport {
        try AssessmentReport(try await load(a, evidence: evidence), library: env.library, draftLanguage: draftLanguage)
    }

    /// "Score over time", oldest first: one point per day a change moved it.
    public func scoreHistory(assessmentID: String) async throws -> [ScoreHistoryEntry] {
        try await store.scoreHistory(assessmentID: assessmentID)
    }

    public func poamItems(assessmentID: String) async throws -> [POAMItemRecord] { try await store.poamItems(assessmentID: assessmentID) }

    /// NIST's wording of a requirement and its objectives, when a platform administrator imported it.
    public func officialText(catalog: CatalogID, entryID: String) async throws -> OfficialText? {
        try await SQLCatalogStore(env.db).officialText(catalog: catalog, entryID: entryID)
    }
}
