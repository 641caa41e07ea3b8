import Foundation
import Hummingbird
import TekigoCore
import TekigoStore
import TekigoUseCases

/// What the overview and the editor show of answers carried over from a previous assessment (issue 17 item 4):
/// how many objectives still wait, the filter to those, the next one, and (in the editor) "confirm all as is".
struct CarryOverReview: Encodable, Sendable {
    /// "n objectives … still need review"; nil when none is left.
    let remaining: String?
    /// "Started from the assessment of <date>".
    let startedFrom: String?
    /// The overview showing only requirements with objectives to review, and showing all.
    let filterURL: String
    let allURL: String
    let filtered: Bool
    /// The first requirement (after this one, in the editor) with objectives to review.
    let nextReviewURL: String?
    /// The editor's "confirm all of this requirement as is", while it has carried-over objectives and the viewer may edit.
    var confirmAction: String? = nil
}

/// The carried-over objectives of an assessment as loaded for a page, and the overview's filter (`?review=1`).
struct CarryOverView {
    let marked: Set<String>
    let filtered: Bool

    init(_ a: Assessment, request: Request) {
        marked = Set(a.findings.compactMap { $0.value.needsReview ? $0.key : nil })
        filtered = request.uri.queryParameters["review"] == "1"
    }

    /// How many of the requirement's objectives wait for review; nil for none.
    func count(_ q: SSPRequirement) -> Int? {
        let n = q.objectives.filter { marked.contains($0.id) }.count
        return n == 0 ? nil : n
    }

    /// Whether the overview lists the requirement (with the filter: only those with objectives to review).
    func shows(_ q: SSPRequirement) -> Bool { !filtered || count(q) != nil }
}

extension AssessmentPages {
    /// "Start from": the organization's assessments, newest first, labelled by date, system and catalog.
    func previousChoices(_ page: OrgPage, _ records: [AssessmentRecord], systemNames: [String: String],
                         selected: String) -> [AssessmentsPage.Choice] {
        records.map { a in
            let row = assessmentRow(page, a, systemName: systemNames[a.systemId])
            return .init(id: a.id, name: "\(row.date) — \(row.system) — \(row.catalog)", selected: a.id == selected)
        }
    }

    /// Creates the assessment from the previous one's answers and opens its overview. Another organization's (or an
    /// unknown) id is 404, as its page would be.
    func createFromPrevious(_ page: OrgPage, previous: String, date: Day, kind: AssessmentKind, assessor: String) async throws -> Response {
        do {
            let copy = try await services.assessments(page.member).createAssessment(from: previous, systemID: nil, catalog: nil,
                                                                                    date: date.description, kind: kind.rawValue,
                                                                                    assessor: assessor)
            return WebApp.redirect(PageRoute.assessment(org: page.org, assessment: copy.assessment.id).path + "?notice=carried_over")
        } catch AssessmentError.unknownPreviousAssessment {
            throw APIError.notFound("Assessment \(previous)")
        }
    }

    /// The overview's review block: nil for an assessment not started from a previous one.
    func overviewReview(_ page: OrgPage, _ a: AssessmentRecord, _ view: CarryOverView) async throws -> CarryOverReview? {
        guard a.startedFrom != nil || !view.marked.isEmpty else { return nil }
        return try await review(page, a, marked: view.marked, filtered: view.filtered, after: nil)
    }

    /// The editor's review block: the assessment's remaining count, the next requirement to review after this one, and
    /// "confirm all as is" while this requirement has carried-over objectives.
    func editorReview(_ page: OrgPage, _ a: AssessmentRecord, entry: CatalogEntry, carried: Set<String>) async throws -> CarryOverReview? {
        guard !carried.isEmpty else { return nil }
        var block = try await review(page, a, marked: carried, filtered: false, after: entry.id)
        if page.member.role.allows(.editFindings), entry.assessmentObjectives.contains(where: carried.contains) {
            block.confirmAction = PageRoute.requirementConfirm(org: page.org, assessment: a.id, requirement: entry.id).path
        }
        return block
    }

    func review(_ page: OrgPage, _ a: AssessmentRecord, marked: Set<String>, filtered: Bool, after current: String?) async throws -> CarryOverReview {
        let lang = page.language
        let catalog = try services.library.catalog(CatalogID(a.catalog))
        let waits: (CatalogEntry) -> Bool = { $0.assessmentObjectives.contains(where: marked.contains) }
        // After the current requirement, else from the start (one left before it); never the current one itself.
        let start = current.flatMap { id in catalog.entries.firstIndex { $0.id == id }.map { $0 + 1 } } ?? 0
        let next = catalog.entries[start...].first(where: waits) ?? catalog.entries.first { waits($0) && $0.id != current }
        var startedFrom: String?
        if let from = a.startedFrom {
            let previous = try await services.reads(page.member).assessment(id: from)
            let date = previous.map { p in Day(p.assessedOn).map { page.viewer.locale.day($0) } ?? p.assessedOn } ?? from
            startedFrom = web.messages.text("carry_started_from", lang, ["date": date])
        }
        let overview = PageRoute.assessment(org: page.org, assessment: a.id).path
        return CarryOverReview(
            remaining: marked.isEmpty ? nil : web.messages.text("carry_remaining", lang, ["count": page.viewer.locale.number(marked.count)]),
            startedFrom: startedFrom, filterURL: overview + "?review=1", allURL: overview, filtered: filtered,
            nextReviewURL: next.map { PageRoute.requirement(org: page.org, assessment: a.id, requirement: $0.id).path })
    }

    /// "Confirm as is" from the editor: the objective named in the form, or every carried-over objective of the
    /// requirement. The answers stay; the marks go (audited `finding.confirmed`). Viewers and auditors get 403.
    func confirmCarriedOver(_ request: Request, context: AppContext) async throws -> Response {
        let page = try await web.orgPage(request, context, .editFindings)
        let a = try await web.assessmentRecord(page, context)
        let entry = try requirementEntry(a, context)
        let form = try await web.postedForm(request, viewer: page.viewer)
        let cases = services.assessments(page.member)
        let objective = form["objective"]
        if objective.isEmpty {
            _ = try await cases.confirmCarriedOver(assessmentID: a.id, requirement: entry.id)
        } else {
            guard entry.assessmentObjectives.contains(objective) else { throw APIError.notFound("Objective \(objective) of \(entry.id)") }
            _ = try await cases.confirmCarriedOver(assessmentID: a.id, objective: objective, ifVersion: nil)
        }
        return WebApp.redirect(PageRoute.requirement(org: page.org, assessment: a.id, requirement: entry.id).path + "?notice=confirmed")
    }
}
