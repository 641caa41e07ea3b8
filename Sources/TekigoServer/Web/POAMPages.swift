import Foundation
import Hummingbird
import HTTPTypes
import TekigoCore
import TekigoStore
import TekigoUseCases

/// The POA&M (是正計画) board: every plan item by status and due date, and the form that plans one — weakness,
/// owner, resources, scheduled completion and milestones. Items the planner drafts (requirements that lose points
/// and have no item yet) show on the board until someone saves them.
struct POAMPages {
    let web: WebApp
    var services: Services { web.services }
    /// Blank milestone rows offered by the form beyond the existing ones.
    static let blankMilestones = 3

    func register(_ pages: RouterGroup<AppContext>) {
        pages.get(PageRoute.poam(org: .key, assessment: .key).pattern, use: board)
        pages.get(PageRoute.poamItem(org: .key, assessment: .key, requirement: .key).pattern, use: itemPage)
        pages.post(PageRoute.poamItem(org: .key, assessment: .key, requirement: .key).pattern, use: saveItem)
        pages.post(PageRoute.resultsPosted(org: .key, assessment: .key).pattern, use: saveResultsPosted)
    }

    func board(_ request: Request, context: AppContext) async throws -> Response {
        let (page, a, r) = try await web.assessmentPage(request, context, .read)
        return try await boardView(page, request: request, a: a, r: r, posted: a.resultsPostedOn ?? "", error: nil)
    }

    /// The board; `posted` is the results-posted field as typed (kept on an error), `error` its message.
    func boardView(_ page: OrgPage, request: Request, a: AssessmentRecord, r: AssessmentReport, posted: String, error: String?,
                   status: HTTPResponse.Status = .ok) async throws -> Response {
        let lang = page.language
        let locale = page.viewer.locale
        let today = services.today(page.member)
        let stored = Set(try await services.reads(page.member).poamItems(assessmentID: a.id).map(\.requirement))
        let terms = try await services.organizations(page.member).terms(lang)  // issue 17 item 3
        func card(_ item: POAMItem) -> POAMBoardPage.Card {
            let due = item.plannedCompletion
            let done = item.milestones.filter(\.done).count
            return .init(requirement: item.requirement, title: terms.speaking(r.catalog[item.requirement]?.title[lang] ?? ""),
                         weakness: item.weakness, owner: item.owner,
                         url: PageRoute.poamItem(org: page.org, assessment: a.id, requirement: item.requirement).path,
                         due: due.map { locale.day($0) }, overdue: item.status != .completed && (due.map { $0 < today } ?? false),
                         undated: due == nil && item.status != .completed, draft: !stored.contains(item.requirement),
                         milestones: item.milestones.isEmpty ? "" : "\(done)/\(item.milestones.count)")
        }
        // Within a column: the earliest due date first, undated items last.
        // Within a day, requirement-number order (r.poam is in it already: a stable sort keeps it).
        let sorted = r.poam.enumerated().sorted { ($0.element.plannedCompletion ?? Day(year: 9999, month: 12, day: 31)!, $0.offset)
            < ($1.element.plannedCompletion ?? Day(year: 9999, month: 12, day: 31)!, $1.offset) }.map(\.element)
        var model = POAMBoardPage(
            columns: POAMStatus.allCases.map { s in
                let items = sorted.filter { $0.status == s }
                return .init(status: s.rawValue,
                             label: web.messages.text("poam_status_" + s.rawValue.replacingOccurrences(of: "-", with: "_"), lang),
                             count: items.count, items: items.map(card))
            },
            overviewURL: PageRoute.assessment(org: page.org, assessment: a.id).path, empty: r.poam.isEmpty,
            overdueCount: r.poam.filter { $0.status != .completed && ($0.plannedCompletion.map { $0 < today } ?? false) }.count,
            expected: r.expectedFullCompliance.map { locale.day($0) },
            posted: posted, postedShown: Day(posted).map { locale.day($0) },
            postedAction: PageRoute.resultsPosted(org: page.org, assessment: a.id).path, postedError: error, version: a.version,
            canPost: page.member.role.allows(.manageAssessments), usShown: terms.showsCMMC)
        // 32 CFR 170.21(b): 180 days from the date the results are posted; from the assessment date, an estimate.
        // Only where the US regime applies (issue 17 item 3): SPRS posting and the CMMC closeout are US terms.
        if terms.showsCMMC, case .conditional(let deadline)? = r.cmmc?.status {
            model.closeout = locale.day(deadline.due)
            model.closeoutNote = web.messages.text(deadline.isEstimate ? "poam_closeout_estimate" : "poam_closeout_posted", lang,
                                                   ["from": locale.day(deadline.from)])
        }
        return web.orgView("poam", page, titleKey: "poam_title", section: "assessments", model: model, request: request, status: status)
    }

    /// Records or clears (an empty field) the date the results were posted: checked by `AssessmentUseCases.setResultsPosted`,
    /// written with the assessment's version so a stale form gets 409 and changes nothing; audited by the store.
    func saveResultsPosted(_ request: Request, context: AppContext) async throws -> Response {
        let page = try await web.orgPage(request, context, .manageAssessments)
        let a = try await web.assessmentRecord(page, context)
        let form = try await web.postedForm(request, viewer: page.viewer)
        let lang = page.language
        let typed = form["posted"].trimmed
        func again(_ message: String, _ status: HTTPResponse.Status) async throws -> Response {
            try await boardView(page, request: request, a: a, r: try await web.report(page, a), posted: typed, error: message, status: status)
        }
        // The rule (32 CFR 170.21(b): not before the assessment, not after the organization's today) is the use case's.
        do {
            _ = try await services.assessments(page.member).setResultsPosted(a, on: typed.isEmpty ? nil : typed,
                                                                             ifVersion: Int(form["version"]))
        } catch AssessmentError.badDate {
            return try await again(web.messages.text("error_date", lang), .badRequest)
        } catch AssessmentError.postingDate(let problem) {
            return try await again(problem[lang], .badRequest)
        } catch is VersionConflict {
            let current = try await web.assessmentRecord(page, context)
            return try await boardView(page, request: request, a: current, r: try await web.report(page, current), posted: typed,
                                       error: web.messages.text("error_changed_meanwhile", lang), status: .conflict)
        }
        return WebApp.redirect(PageRoute.poam(org: page.org, assessment: a.id).path + "?notice=saved")
    }

    func itemPage(_ request: Request, context: AppContext) async throws -> Response {
        let (page, a, r) = try await web.assessmentPage(request, context, .read)
        let requirement = try context.parameters.require("requirement")
        guard r.catalog[requirement] != nil else { throw APIError.notFound("Requirement \(requirement)") }
        let stored = try await services.reads(page.member).poamItems(assessmentID: a.id).first { $0.requirement == requirement }
        let item = r.poam.first { $0.requirement == requirement }
            ?? POAMItem(requirement: requirement, weakness: r.catalog[requirement]?.title[page.language] ?? "")
        return itemView(page, request: request, a: a, item: item, version: stored?.version ?? 0,
                        input: POAMForm(item: item, blankRows: Self.blankMilestones), errors: [:])
    }

    func itemView(_ page: OrgPage, request: Request, a: AssessmentRecord, item: POAMItem, version: Int, input: POAMForm,
                  errors: [String: String], status: HTTPResponse.Status = .ok) -> Response {
        let lang = page.language
        let title = services.library.catalogs[CatalogID(a.catalog)]?[item.requirement]?.title[lang] ?? ""
        let model = POAMItemPage(
            requirement: item.requirement, title: title,
            action: PageRoute.poamItem(org: page.org, assessment: a.id, requirement: item.requirement).path,
            boardURL: PageRoute.poam(org: page.org, assessment: a.id).path,
            editorURL: PageRoute.requirement(org: page.org, assessment: a.id, requirement: item.requirement).path,
            version: version, canEdit: page.member.role.allows(.editFindings),
            weakness: input.weakness, owner: input.owner, resources: input.resources, scheduled: input.scheduled, completed: input.completed,
            statuses: POAMStatus.allCases.map { s in
                .init(value: s.rawValue, label: web.messages.text("poam_status_" + s.rawValue.replacingOccurrences(of: "-", with: "_"), lang),
                      selected: s.rawValue == input.status)
            },
            milestones: input.milestones.enumerated().map { i, m in
                .init(index: i, description: m.description, due: m.due, done: m.done, error: errors["m\(i)"])
            },
            errors: errors, hasErrors: !errors.isEmpty)
        return web.orgView("poam-item", page, titleKey: "poam_item_title", section: "assessments", model: model, request: request,
                           status: status, title: "\(web.messages.text("poam_item_title", lang)) \(item.requirement)")
    }

    func saveItem(_ request: Request, context: AppContext) async throws -> Response {
        let page = try await web.orgPage(request, context, .editFindings)
        let a = try await web.assessmentRecord(page, context)
        let requirement = try context.parameters.require("requirement")
        let poam = services.poamUseCases(page.member)
        try poam.checkRequirement(a, requirement)
        let form = try await web.postedForm(request, viewer: page.viewer)
        let input = POAMForm(form: form)
        let version = Int(form["version"]) ?? 0
        // The rules (weakness required, dates, milestones, the completion date) and the save with its audit entry and
        // the day's score are the use case's.
        do {
            try await poam.save(a, requirement: requirement, input.draft, ifVersion: version)
        } catch POAMError.invalid(let problems) {
            let errors = POAMForm.messageKeys(problems).mapValues { web.messages.text($0, page.language) }
            return itemView(page, request: request, a: a, item: POAMItem(requirement: requirement, weakness: input.weakness),
                            version: version, input: input, errors: errors, status: .badRequest)
        } catch is VersionConflict {
            let item = try POAMUseCases.item(input.draft, requirement: requirement, today: services.today(page.member))
            let current = try await services.reads(page.member).poamItems(assessmentID: a.id).first { $0.requirement == requirement }?.version ?? 0
            return itemView(page, request: request, a: a, item: item, version: current, input: input,
                            errors: ["form": web.messages.text("error_changed_meanwhile", page.language)], status: .conflict)
        }
        return WebApp.redirect(PageRoute.poam(org: page.org, assessment: a.id).path + "?notice=saved")
    }
}

/// `poam`: the plan's items by status, the dates that follow from them and the results-posted form.
struct POAMBoardPage: PageModel {
    struct Card: Encodable, Sendable {
        let requirement: String
        let title: String
        let weakness: String
        let owner: String
        let url: String
        let due: String?
        let overdue: Bool
        let undated: Bool
        let draft: Bool
        /// "done/all", or empty without milestones.
        let milestones: String
    }
    struct Column: Encodable, Sendable {
        let status: String
        let label: String
        let count: Int
        let items: [Card]
    }
    let columns: [Column]
    let overviewURL: String
    let empty: Bool
    let overdueCount: Int
    let expected: String?
    /// The results-posted field as typed, and the date it names in the viewer's language.
    let posted: String
    let postedShown: String?
    let postedAction: String
    let postedError: String?
    let version: Int
    let canPost: Bool
    /// Whether the SPRS posting date and the CMMC closeout are shown (issue 17 item 3: the US regime applies).
    var usShown = true
    var closeout: String?
    var closeoutNote: String?
}

/// `poam-item`: one requirement's plan item form, as typed, with its errors by field.
struct POAMItemPage: PageModel {
    struct Milestone: Encodable, Sendable {
        let index: Int
        let description: String
        let due: String
        let done: Bool
        let error: String?
    }
    let requirement: String
    let title: String
    let action: String
    let boardURL: String
    let editorURL: String
    let version: Int
    let canEdit: Bool
    let weakness: String
    let owner: String
    let resources: String
    let scheduled: String
    let completed: String
    let statuses: [SelectOption]
    let milestones: [Milestone]
    let errors: [String: String]
    let hasErrors: Bool
}

/// The POA&M item form as typed, kept verbatim for re-display, and its validation. Pure (tested without HTTP).
struct POAMForm: Sendable {
    struct MilestoneRow: Sendable { var description: String; var due: String; var done: Bool }
    struct Problems: Error { var errors: [String: String] }

    var weakness = "", owner = "", resources = "", status = POAMStatus.open.rawValue, scheduled = "", completed = ""
    var milestones: [MilestoneRow] = []

    init(item: POAMItem, blankRows: Int) {
        weakness = item.weakness
        owner = item.owner
        resources = item.resources
        status = item.status.rawValue
        scheduled = item.scheduledCompletion?.description ?? ""
        completed = item.completedOn?.description ?? ""
        milestones = item.milestones.map { MilestoneRow(description: $0.description, due: $0.due.description, done: $0.done) }
            + Array(repeating: MilestoneRow(description: "", due: "", done: false), count: blankRows)
    }

    /// Fields: `weakness`, `owner`, `resources`, `status`, `scheduled`, `completed`, `m<i>_description`, `m<i>_due`,
    /// `m<i>_done` (rows numbered from 0 while present in the form).
    init(form: WebForm) {
        weakness = form["weakness"].trimmed
        owner = form["owner"].trimmed
        resources = form["resources"].trimmed
        status = form["status"]
        scheduled = form["scheduled"].trimmed
        completed = form["completed"].trimmed
        var i = 0
        while form.has("m\(i)_description") || form.has("m\(i)_due") {
            milestones.append(MilestoneRow(description: form["m\(i)_description"].trimmed, due: form["m\(i)_due"].trimmed,
                                           done: form["m\(i)_done"] == "1"))
            i += 1
        }
    }

    /// The draft the use case checks (`POAMUseCases.item`).
    var draft: POAMDraft {
        POAMDraft(weakness: weakness, owner: owner, resources: resources, status: status, scheduled: scheduled, completed: completed,
                  milestones: milestones.map { POAMDraft.MilestoneRow(description: $0.description, due: $0.due, done: $0.done) })
    }

    /// The page's message key for each field's problem.
    static func messageKeys(_ problems: [String: POAMProblem]) -> [String: String] {
        problems.mapValues { p in
            switch p {
            case .required: return "error_required"
            case .choice: return "error_choice"
            case .date: return "error_date"
            case .milestoneDescription: return "error_milestone_description"
            case .milestoneDate: return "error_milestone_date"
            }
        }
    }

    /// The item, or field → message key: the rules are `POAMUseCases.item`'s (which refuses only with `.invalid`).
    func item(requirement: String, today: Day) -> Result<POAMItem, Problems> {
        do {
            return .success(try POAMUseCases.item(draft, requirement: requirement, today: today))
        } catch .invalid(let problems) {
            return .failure(Problems(errors: Self.messageKeys(problems)))
        } catch {
            return .failure(Problems(errors: ["form": "error_bad_form"]))
        }
    }
}
