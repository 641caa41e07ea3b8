/// POA&M generation and the dates SPRS asks for.
public enum POAMPlanner {
    /// Existing items, plus a draft item for each requirement that lost points and has none.
    /// Drafts have no dates: until someone plans them, they are not plans of action (see `SPRSScoring`).
    public static func items(for a: Assessment, catalog: Catalog, sprs: SPRSResult, language: Language = .en) -> [POAMItem] {
        var items = a.poam
        for d in sprs.deductions where d.reason != .notAssessed {
            if d.requirement == POAMRule.planRequirement, case .noPlanOfAction = d.reason { continue }
            guard !items.contains(where: { $0.requirement == d.requirement }), let e = catalog[d.requirement] else { continue }
            let unmet = e.assessmentObjectives.filter { a.status(of: $0) == .notMet }
            let detail = unmet.isEmpty ? d.reason.text(language)
                : (language == .ja ? "不適合の評価目標: " : "objectives not met: ") + unmet.joined(separator: ", ")
            items.append(POAMItem(requirement: e.id, weakness: "\(e.title[language]): " + detail))
        }
        return POAMPlanner.ordered(items, catalog: catalog)
    }

    /// Plan items in requirement-number order (`RequirementOrder`; the catalog's own order for its entries, which
    /// for SP 800-171 is the same), items of requirements the catalog lacks after them.
    public static func ordered(_ items: [POAMItem], catalog: Catalog) -> [POAMItem] {
        let order = Dictionary(uniqueKeysWithValues: catalog.entries.enumerated().map { ($1.id, $0) })
        return items.sorted(byRequirement: \.requirement).enumerated()
            .sorted { (order[$0.element.requirement] ?? .max, $0.offset) < (order[$1.element.requirement] ?? .max, $1.offset) }
            .map(\.element)
    }

    /// "The date a score of 110 is expected" (Methodology Annex B): the latest planned completion of the open
    /// items; the assessment date when nothing is open; nil when an open item has no date yet.
    public static func expectedFullCompliance(_ a: Assessment, items: [POAMItem], sprs: SPRSResult) -> Day? {
        if sprs.deductions.isEmpty { return a.date }
        let open = items.filter { item in item.status != .completed && sprs.deductedRequirements.contains(item.requirement) }
        let covered = Set(open.map(\.requirement)).union(items.filter { $0.status == .completed }.map(\.requirement))
        guard Set(sprs.deductedRequirements).isSubset(of: covered) else { return nil }
        let dates = open.map(\.plannedCompletion)
        if dates.contains(where: { $0 == nil }) { return nil }
        return dates.compactMap { $0 }.max() ?? a.date
    }
}

/// One requirement as the SSP shows it.
public struct SSPRequirement: Sendable, Hashable {
    public let entry: CatalogEntry
    public let status: RequirementStatus
    public let implementation: String
    public let objectives: [(id: String, finding: Finding?)]
    public let answer: RequirementAnswer
    public let poam: POAMItem?

    public static func == (a: SSPRequirement, b: SSPRequirement) -> Bool {
        a.entry == b.entry && a.status == b.status && a.implementation == b.implementation && a.poam == b.poam
            && a.objectives.map(\.id) == b.objectives.map(\.id) && a.objectives.map(\.finding) == b.objectives.map(\.finding)
    }

    public func hash(into h: inout Hasher) { h.combine(entry.id) }
}

/// Everything an export needs, computed once from an assessment: the SSP, the score, CMMC status, POA&M.
public struct AssessmentReport: Sendable {
    public let assessment: Assessment
    public let catalog: Catalog
    public let library: Library
    public let requirements: [SSPRequirement]
    /// Nil for catalogs without SPRS values (rev3, custom).
    public let sprs: SPRSResult?
    public let cmmc: CMMCEvaluation?
    public let poam: [POAMItem]
    public let expectedFullCompliance: Day?
    /// Set when the reader asked for Tekigo's guidance in the SSP (issue 17 item 1: "on request").
    public var guidance: GuidanceLibrary?

    /// `draftLanguage` is the language of the weakness text of POA&M items the planner drafts (items the user has
    /// not written yet).
    public init(_ a: Assessment, library: Library, draftLanguage: Language = .en) throws {
        let catalog = try library.catalog(a.catalog)
        self.assessment = a
        self.catalog = catalog
        self.library = library
        let sprs = try? SPRSScoring.score(a, catalog: catalog)
        self.sprs = sprs
        self.cmmc = sprs.map { CMMCRules.evaluate(a, sprs: $0) }
        let poam = sprs.map { POAMPlanner.items(for: a, catalog: catalog, sprs: $0, language: draftLanguage) }
            ?? POAMPlanner.ordered(a.poam, catalog: catalog)
        self.poam = poam
        self.expectedFullCompliance = sprs.flatMap { POAMPlanner.expectedFullCompliance(a, items: poam, sprs: $0) }
        self.requirements = catalog.entries.map { e in
            SSPRequirement(entry: e, status: a.status(of: e), implementation: a.answer(for: e.id).implementation,
                           objectives: e.assessmentObjectives.map { ($0, a.findings[$0]) }, answer: a.answer(for: e.id),
                           poam: poam.first { $0.requirement == e.id })
        }
    }

    /// Requirements per family with how many count as met.
    public var familySummary: [(family: Family, met: Int, total: Int, notMet: Int, notAssessed: Int)] {
        catalog.families.map { f in
            let reqs = requirements.filter { $0.entry.family == f.id }
            return (f, reqs.filter { $0.status.countsAsMet }.count, reqs.count, reqs.filter { $0.status == .notMet }.count,
                    reqs.filter { $0.status == .notAssessed }.count)
        }
    }

    /// For each CSF 2.0 function, the share of mapped requirements that count as met.
    public var csfCoverage: [(function: Family, met: Int, total: Int)] {
        guard let csf = library.catalogs[.csf2] else { return [] }
        // Each requirement's CSF functions, looked up once (not once per function).
        let functions = requirements.map { r in
            Set(library.crosswalk.direct(from: r.entry.ref, to: .csf2).compactMap { csf[$0.to.id]?.family })
        }
        return csf.families.map { fn in
            let reqs = requirements.indices.filter { functions[$0].contains(fn.id) }
            return (fn, reqs.filter { requirements[$0].status.countsAsMet }.count, reqs.count)
        }
    }
}

/// The documents `tekigo export` writes.
public enum ExportDocument: String, Sendable, CaseIterable, Codable {
    /// System security plan (システムセキュリティ実装計画書 with the POA&M, in the Japanese report).
    case ssp
    /// Plan of action and milestones (是正計画).
    case poam
    /// Assessment results: every objective's finding.
    case results
    /// The SPRS summary: date, score, scope, CAGE codes, POA&M completion date.
    case sprs

    /// Whether Tekigo's guidance may be added on request (issue 17 item 1): the SSP only, in the formats we write
    /// the text into — OSCAL has no place for text that is not the standard's or the organization's.
    public func takesGuidance(in format: ExportFormat) -> Bool { self == .ssp && format != .oscal }
}

public enum ExportFormat: String, Sendable, CaseIterable, Codable {
    case oscal, md, html, csv, xlsx

    public var fileExtension: String {
        switch self {
        case .oscal: return "json"
        case .md: return "md"
        case .html: return "html"
        case .csv: return "csv"
        case .xlsx: return "xlsx"
        }
    }
}
