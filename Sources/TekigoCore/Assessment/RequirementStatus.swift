/// A requirement's status, derived from its objectives.
public enum RequirementStatus: String, Sendable, Codable, CaseIterable {
    case met
    case notMet = "not-met"
    case notApplicable = "not-applicable"
    /// Some objectives are not assessed yet and none is not met.
    case notAssessed = "not-assessed"

    /// The same words as an objective's status.
    public var label: LocalizedText { FindingStatus(rawValue: rawValue)!.label }

    /// Met or N/A: scored as implemented.
    public var countsAsMet: Bool { self == .met || self == .notApplicable }
}

extension CatalogEntry {
    /// What is assessed: the 800-171A objectives, or the requirement itself when a catalog has none.
    public var assessmentObjectives: [String] { objectives.isEmpty ? [id] : objectives }
}

extension Assessment {
    /// 32 CFR 170.24(b)(2): a requirement is MET only when every applicable objective is met; NOT MET when one
    /// or more applicable objectives is not satisfied. 32 CFR 170.24(b)(3): an objective assessed N/A counts as
    /// met (a requirement whose objectives are all N/A is N/A).
    public func status(of requirement: CatalogEntry) -> RequirementStatus {
        let statuses = requirement.assessmentObjectives.map { status(of: $0) }
        if statuses.contains(.notMet) { return .notMet }
        if statuses.contains(.notAssessed) { return .notAssessed }
        if statuses.allSatisfy({ $0 == .notApplicable }) { return .notApplicable }
        return .met
    }

    /// How many objectives have an answer, for "37/320" progress.
    public func progress(in catalog: Catalog) -> (answered: Int, total: Int) {
        let all = catalog.entries.flatMap(\.assessmentObjectives)
        return (all.filter { status(of: $0) != .notAssessed }.count, all.count)
    }
}
