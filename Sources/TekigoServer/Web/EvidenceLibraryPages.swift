import Foundation
import Hummingbird
import HTTPTypes
import TekigoCore
import TekigoStore
import TekigoUseCases

/// The organization's evidence library in the browser (issue 17 item 5): the list with owner, date and expiry (expired
/// and expiring-soon flagged, filters for both), an item's page with where it is used (links into the editor), the add
/// and edit forms (errors under the field, input kept), delete after a confirmation page, and attaching from the
/// editor. A file-share path is shown as text only — never a link — and a link only for an http(s) item or a vault
/// file. The rules, versions and audit entries are `EvidenceLibraryUseCases`' (as for the API).
struct EvidenceLibraryPages {
    static let section = "evidence"
    let web: WebApp
    var services: Services { web.services }

    func register(_ pages: RouterGroup<AppContext>) {
        pages.get(PageRoute.evidenceLibrary(org: .key).pattern, use: list)
        pages.get(PageRoute.evidenceItemNew(org: .key).pattern, use: newForm)
        pages.post(PageRoute.evidenceItemNew(org: .key).pattern, use: create)
        pages.post(PageRoute.evidenceAttach(org: .key).pattern, use: attach)
        pages.get(PageRoute.evidenceItem(org: .key, item: .key).pattern, use: show)
        pages.get(PageRoute.evidenceItemEdit(org: .key, item: .key).pattern, use: editForm)
        pages.post(PageRoute.evidenceItemEdit(org: .key, item: .key).pattern, use: save)
        pages.get(PageRoute.evidenceItemDelete(org: .key, item: .key).pattern, use: confirmDelete)
        pages.post(PageRoute.evidenceItemDelete(org: .key, item: .key).pattern, use: delete)
        pages.post(PageRoute.evidenceItemDetach(org: .key, item: .key).pattern, use: detach)
    }

    func useCases(_ page: OrgPage) -> EvidenceLibraryUseCases { EvidenceLibraryUseCases(services.tenantEnvironment, page.member.scope) }
    func queries(_ page: OrgPage) -> EvidenceLibraryQueries { EvidenceLibraryQueries(services.tenantEnvironment, page.member.scope) }
    func itemID(_ context: AppContext) throws -> EvidenceItemID { EvidenceItemID(try context.parameters.require("item")) }

    func dayText(_ text: String?, _ page: OrgPage) -> String {
        guard let text else { return "" }
        return Day(text).map(page.viewer.locale.day) ?? text
    }

    /// The item's state as a badge: expired / expiring soon (nil when fine or without expiry).
    func badge(_ e: EvidenceExpiry, _ lang: Language) -> EvidenceBadge? {
        switch e {
        case .expired: return EvidenceBadge(kind: "expired", label: web.messages.text("evidence_expired", lang))
        case .expiringSoon: return EvidenceBadge(kind: "expiring-soon", label: web.messages.text("evidence_expiring_soon", lang))
        case .none, .valid: return nil
        }
    }

    /// Where an item is: a vault file links to its download, an http(s) link is a link; a share path has no URL.
    func location(_ r: EvidenceItemRecord, _ page: OrgPage) -> EvidenceLocationView {
        let kind = r.locationKind
        let url: String? = switch kind {
        case .file: APILink.evidence(page.org, r.location)
        case .link: EvidenceLocation.isWebLink(r.location) ? r.location : nil
        case .share: nil
        }
        return EvidenceLocationView(kind: kind.rawValue, kindLabel: web.messages.text("evidence_kind_\(kind.rawValue)", page.language),
                                    text: r.location, href: url ?? "", isLink: url != nil)
    }

    func row(_ s: EvidenceItemSummary, _ page: OrgPage) -> EvidenceLibraryPage.Row {
        EvidenceLibraryPage.Row(
            title: s.item.title, url: PageRoute.evidenceItem(org: page.org, item: s.item.id).path, location: location(s.item, page),
            owner: s.owner, documentDate: dayText(s.item.documentDate, page), expiresOn: dayText(s.item.expiresOn, page),
            badge: badge(s.expiry, page.language), uses: s.useCount)
    }

    // MARK: the list

    func list(_ request: Request, context: AppContext) async throws -> Response {
        let page = try await web.orgPage(request, context, .read)
        let raw = request.uri.queryParameters["filter"].map(String.init) ?? "all"
        let filter = EvidenceLibraryFilter(rawValue: raw) ?? .all
        let items = try await queries(page).list(filter)
        let base = PageRoute.evidenceLibrary(org: page.org).path
        let model = EvidenceLibraryPage(
            rows: items.map { row($0, page) }, isEmpty: items.isEmpty,
            filters: EvidenceLibraryFilter.allCases.map { f in
                .init(label: web.messages.text("evidence_filter_\(f.rawValue.replacingOccurrences(of: "-", with: "_"))", page.language),
                      url: f == .all ? base : base + "?filter=\(f.rawValue)", current: f == filter)
            },
            newURL: page.member.role.allows(.uploadEvidence) ? PageRoute.evidenceItemNew(org: page.org).path : nil)
        return web.orgView("evidence-library", page, titleKey: "evidence_library_title", section: Self.section, model: model, request: request)
    }

    // MARK: one item

    func show(_ request: Request, context: AppContext) async throws -> Response {
        let page = try await web.orgPage(request, context, .read)
        return try await itemView(page, request: request, id: try itemID(context), error: nil)
    }

    func itemView(_ page: OrgPage, request: Request, id: EvidenceItemID, error: String?,
                  status: HTTPResponse.Status = .ok) async throws -> Response {
        let found: (summary: EvidenceItemSummary, uses: [EvidenceUse])
        do { found = try await queries(page).item(id) } catch EvidenceLibraryError.notFound { throw HTTPError(.notFound) }
        let s = found.summary, r = s.item
        let canDetach = page.member.role.allows(.editFindings)
        let model = EvidenceItemPage(
            title: r.title, location: location(r, page), owner: s.owner, documentDate: dayText(r.documentDate, page),
            expiresOn: dayText(r.expiresOn, page), badge: badge(s.expiry, page.language), note: r.note.isEmpty ? nil : r.note,
            uses: found.uses.map { u in
                .init(label: "\(dayText(u.assessedOn, page)) \(u.systemName)", objective: u.objective,
                      url: editorURL(page, assessment: u.assessmentId, catalog: u.catalog, objective: u.objective),
                      assessment: u.assessmentId)
            },
            hasUses: !found.uses.isEmpty, listURL: PageRoute.evidenceLibrary(org: page.org).path,
            editURL: page.member.role.allows(.uploadEvidence) ? PageRoute.evidenceItemEdit(org: page.org, item: r.id).path : nil,
            deleteURL: page.member.role.allows(.deleteEvidence) ? PageRoute.evidenceItemDelete(org: page.org, item: r.id).path : nil,
            detachAction: canDetach ? PageRoute.evidenceItemDetach(org: page.org, item: r.id).path : nil, error: error)
        return web.orgView("evidence-item", page, titleKey: "evidence_item_title", section: Self.section, model: model, request: request,
                           status: status, title: r.title)
    }

    /// The editor page of the requirement holding `objective`, at the objective (the assessment's overview when the
    /// catalog no longer has it).
    func editorURL(_ page: OrgPage, assessment: String, catalog: String, objective: String) -> String {
        guard let c = try? services.library.catalog(CatalogID(catalog)),
              let entry = c.entries.first(where: { $0.assessmentObjectives.contains(objective) }) else {
            return PageRoute.assessment(org: page.org, assessment: assessment).path
        }
        return PageRoute.requirement(org: page.org, assessment: assessment, requirement: entry.id).path + "#library"
    }

    // MARK: add and edit

    func members(_ page: OrgPage) async throws -> [(id: String, name: String)] { try await queries(page).members() }

    func formView(_ page: OrgPage, request: Request, item: EvidenceItemRecord?, input: [String: String], errors: [String: String],
                  status: HTTPResponse.Status = .ok) async throws -> Response {
        let lang = page.language
        let kind = input["kind"] ?? "file"
        let owner = input["owner_member"] ?? ""
        let model = EvidenceItemFormPage(
            heading: item.map { web.messages.text("evidence_edit_heading", lang, ["title": $0.title]) }
                ?? web.messages.text("evidence_new_title", lang),
            action: item.map { PageRoute.evidenceItemEdit(org: page.org, item: $0.id).path } ?? PageRoute.evidenceItemNew(org: page.org).path,
            cancelURL: item.map { PageRoute.evidenceItem(org: page.org, item: $0.id).path } ?? PageRoute.evidenceLibrary(org: page.org).path,
            version: item.map { input["version"] ?? "\($0.version)" },
            kinds: EvidenceLocation.Kind.allCases.map {
                SelectOption(value: $0.rawValue, label: web.messages.text("evidence_kind_\($0.rawValue)", lang), selected: $0.rawValue == kind)
            },
            members: [SelectOption(value: "", label: web.messages.text("evidence_owner_not_member", lang), selected: owner.isEmpty)]
                + (try await members(page)).map { SelectOption(value: $0.id, label: $0.name, selected: $0.id == owner) },
            input: input, errors: errors, hasErrors: !errors.isEmpty)
        return web.orgView("evidence-item-form", page, titleKey: item == nil ? "evidence_new_title" : "evidence_edit_title",
                           section: Self.section, model: model, request: request, status: status)
    }

    static func input(_ r: EvidenceItemRecord) -> [String: String] {
        ["kind": r.kind, "location": r.location, "title": r.title, "owner_member": r.ownerUserId ?? "", "owner_name": r.ownerName,
         "document_date": r.documentDate, "expires_on": r.expiresOn ?? "", "note": r.note]
    }

    static func input(_ form: WebForm) -> [String: String] {
        var out: [String: String] = [:]
        for k in ["kind", "location", "title", "owner_member", "owner_name", "document_date", "expires_on", "note", "version"] { out[k] = form[k] }
        return out
    }

    static func draft(_ form: WebForm) -> EvidenceItemDraft {
        EvidenceItemDraft(kind: form["kind"], location: form["location"], title: form["title"], ownerMember: form["owner_member"],
                          ownerName: form["owner_name"], documentDate: form["document_date"], expiresOn: form["expires_on"], note: form["note"])
    }

    /// The form field an error belongs under.
    static func formField(_ e: EvidenceLibraryError) -> String {
        switch e.field {
        case "kind": return "kind"
        case "location": return "location"
        case "title": return "title"
        case "ownerMember", "ownerName": return "owner"
        case "documentDate": return "document_date"
        case "expiresOn": return "expires_on"
        case "note": return "note"
        default: return "form"
        }
    }

    func newForm(_ request: Request, context: AppContext) async throws -> Response {
        let page = try await web.orgPage(request, context, .uploadEvidence)
        return try await formView(page, request: request, item: nil, input: [:], errors: [:])
    }

    func create(_ request: Request, context: AppContext) async throws -> Response {
        let page = try await web.orgPage(request, context, .uploadEvidence)
        let form = try await web.postedForm(request, viewer: page.viewer)
        do {
            let r = try await useCases(page).add(Self.draft(form))
            return WebApp.redirect(PageRoute.evidenceItem(org: page.org, item: r.id).path + "?notice=saved")
        } catch let e as EvidenceLibraryError {
            return try await formView(page, request: request, item: nil, input: Self.input(form),
                                      errors: [Self.formField(e): e.text[page.language]], status: .badRequest)
        }
    }

    func editForm(_ request: Request, context: AppContext) async throws -> Response {
        let page = try await web.orgPage(request, context, .uploadEvidence)
        let found: EvidenceItemSummary
        do { found = try await queries(page).item(try itemID(context)).summary } catch EvidenceLibraryError.notFound { throw HTTPError(.notFound) }
        return try await formView(page, request: request, item: found.item, input: Self.input(found.item), errors: [:])
    }

    func save(_ request: Request, context: AppContext) async throws -> Response {
        let page = try await web.orgPage(request, context, .uploadEvidence)
        let id = try itemID(context)
        let form = try await web.postedForm(request, viewer: page.viewer)
        do {
            _ = try await useCases(page).update(id, Self.draft(form), ifVersion: Int(form["version"]) ?? -1)
            return WebApp.redirect(PageRoute.evidenceItem(org: page.org, item: id.rawValue).path + "?notice=saved")
        } catch EvidenceLibraryError.notFound {
            throw HTTPError(.notFound)
        } catch let e as EvidenceLibraryError {
            let fresh = try await queries(page).item(id).summary.item
            var input = Self.input(form)
            var status = HTTPResponse.Status.badRequest
            if case .staleVersion = e {
                // The input is kept; the form now carries the newer version, so saving again is a deliberate overwrite.
                input["version"] = "\(fresh.version)"
                status = .conflict
            }
            return try await formView(page, request: request, item: fresh, input: input,
                                      errors: [Self.formField(e): e.text[page.language]], status: status)
        }
    }

    // MARK: delete

    func confirmDelete(_ request: Request, context: AppContext) async throws -> Response {
        let page = try await web.orgPage(request, context, .deleteEvidence)
        return try await deleteView(page, request: request, id: try itemID(context), error: nil)
    }

    func deleteView(_ page: OrgPage, request: Request, id: EvidenceItemID, error: String?,
                    status: HTTPResponse.Status = .ok) async throws -> Response {
        let found: (summary: EvidenceItemSummary, uses: [EvidenceUse])
        do { found = try await queries(page).item(id) } catch EvidenceLibraryError.notFound { throw HTTPError(.notFound) }
        let r = found.summary.item
        let model = EvidenceItemDeletePage(
            title: r.title, location: location(r, page), version: r.version,
            action: PageRoute.evidenceItemDelete(org: page.org, item: r.id).path,
            cancelURL: PageRoute.evidenceItem(org: page.org, item: r.id).path,
            uses: found.uses.map { u in
                .init(label: "\(dayText(u.assessedOn, page)) \(u.systemName)", objective: u.objective,
                      url: editorURL(page, assessment: u.assessmentId, catalog: u.catalog, objective: u.objective), assessment: u.assessmentId)
            },
            inUse: !found.uses.isEmpty, error: error)
        return web.orgView("evidence-item-delete", page, titleKey: "evidence_delete_title", section: Self.section, model: model,
                           request: request, status: status)
    }

    func delete(_ request: Request, context: AppContext) async throws -> Response {
        let page = try await web.orgPage(request, context, .deleteEvidence)
        let id = try itemID(context)
        let form = try await web.postedForm(request, viewer: page.viewer)
        do {
            try await useCases(page).delete(id, ifVersion: Int(form["version"]) ?? -1)
        } catch EvidenceLibraryError.notFound {
            throw HTTPError(.notFound)
        } catch let e as EvidenceLibraryError {
            return try await deleteView(page, request: request, id: id, error: e.text[page.language], status: .conflict)
        }
        return WebApp.redirect(PageRoute.evidenceLibrary(org: page.org).path + "?notice=evidence_deleted")
    }

    // MARK: attach (from the editor) and detach (from the item's page)

    func attach(_ request: Request, context: AppContext) async throws -> Response {
        let page = try await web.orgPage(request, context, .editFindings)
        let form = try await web.postedForm(request, viewer: page.viewer)
        let assessment = form["assessment"], requirement = form["requirement"]
        let back = PageRoute.requirement(org: page.org, assessment: assessment, requirement: requirement).path
        do {
            try await useCases(page).attach(EvidenceItemID(form["item"]), assessmentID: assessment, objective: form["objective"])
        } catch EvidenceLibraryError.notFound, EvidenceLibraryError.unknownAssessment {
            throw HTTPError(.notFound)
        } catch let e as EvidenceLibraryError {
            throw APIError.invalid(field: e.field, message: e.text[page.language])
        }
        return WebApp.redirect(back + "?notice=saved#library")
    }

    func detach(_ request: Request, context: AppContext) async throws -> Response {
        let page = try await web.orgPage(request, context, .editFindings)
        let id = try itemID(context)
        let form = try await web.postedForm(request, viewer: page.viewer)
        do {
            try await useCases(page).detach(id, assessmentID: form["assessment"], objective: form["objective"])
        } catch EvidenceLibraryError.notFound {
            throw HTTPError(.notFound)
        } catch let e as EvidenceLibraryError {
            return try await itemView(page, request: request, id: id, error: e.text[page.language], status: .conflict)
        }
        return WebApp.redirect(PageRoute.evidenceItem(org: page.org, item: id.rawValue).path + "?notice=saved")
    }

    // MARK: the editor's block and the overview's flags

    /// The editor's "evidence library" section for one requirement: per objective the items attached (expired ones
    /// flagged) and, for those who edit findings, a select to attach another.
    static func editorBlock(_ web: WebApp, _ page: OrgPage, assessment: AssessmentRecord, requirement: String,
                            objectives: [String]) async throws -> EvidenceLibraryEditorBlock {
        let q = EvidenceLibraryQueries(web.services.tenantEnvironment, page.member.scope)
        let attached = try await q.attached(assessmentID: assessment.id)
        let canAttach = page.member.role.allows(.editFindings)
        let all = canAttach ? try await q.list() : []
        let lang = page.language
        func badge(_ e: EvidenceExpiry) -> EvidenceBadge? {
            e == .expired ? EvidenceBadge(kind: "expired", label: web.messages.text("evidence_expired", lang)) : nil
        }
        return EvidenceLibraryEditorBlock(
            objectives: objectives.enumerated().map { i, o in
                let items = attached[o] ?? []
                let ids = Set(items.map(\.item.id))
                let options = all.filter { !ids.contains($0.item.id) }.map {
                    SelectOption(value: $0.item.id, label: $0.item.title + ($0.expiry == .expired ? " (\(web.messages.text("evidence_expired", lang)))" : ""),
                                 selected: false)
                }
                return .init(
                    id: o, formID: "library-\(i)",
                    items: items.map { .init(title: $0.item.title, url: PageRoute.evidenceItem(org: page.org, item: $0.item.id).path,
                                             badge: badge($0.expiry)) },
                    expired: items.contains { $0.expiry == .expired },
                    options: options, hasOptions: !options.isEmpty)
            },
            attachAction: canAttach ? PageRoute.evidenceAttach(org: page.org).path : nil,
            assessment: assessment.id, requirement: requirement, libraryURL: PageRoute.evidenceLibrary(org: page.org).path)
    }

    /// The overview's list of objectives relying on expired evidence, with links into the editor (nil when none).
    static func expiredObjectives(_ web: WebApp, _ page: OrgPage, assessment: AssessmentRecord) async throws -> ExpiredEvidenceSection? {
        let expired = try await EvidenceLibraryQueries(web.services.tenantEnvironment, page.member.scope).expiredObjectives(assessmentID: assessment.id)
        guard !expired.isEmpty else { return nil }
        let catalog = try? web.services.library.catalog(CatalogID(assessment.catalog))
        return ExpiredEvidenceSection(items: expired.keys.sorted(byRequirement: { $0 }).map { o in
            let entry = catalog?.entries.first { $0.assessmentObjectives.contains(o) }
            return ExpiredEvidenceObjective(
                objective: o, titles: (expired[o] ?? []).joined(separator: "、"),
                url: entry.map { PageRoute.requirement(org: page.org, assessment: assessment.id, requirement: $0.id).path + "#library" }
                    ?? PageRoute.assessment(org: page.org, assessment: assessment.id).path)
        })
    }
}

struct EvidenceBadge: Encodable, Sendable {
    let kind: String
    let label: String
}

/// Where an item is: `href` only for a vault file or an http(s) link (`isLink`) — never for a file-share path, which is
/// shown as text. Both always present, so a template never falls back to an outer `url`.
struct EvidenceLocationView: Encodable, Sendable {
    let kind: String
    let kindLabel: String
    let text: String
    let href: String
    let isLink: Bool
}

struct EvidenceUseView: Encodable, Sendable {
    let label: String
    let objective: String
    let url: String
    let assessment: String
}

/// `evidence-library`: the organization's items with filters.
struct EvidenceLibraryPage: PageModel {
    struct Row: Encodable, Sendable {
        let title: String
        let url: String
        let location: EvidenceLocationView
        let owner: String
        let documentDate: String
        let expiresOn: String
        let badge: EvidenceBadge?
        let uses: Int
    }
    struct Filter: Encodable, Sendable {
        let label: String
        let url: String
        let current: Bool
    }
    let rows: [Row]
    let isEmpty: Bool
    let filters: [Filter]
    let newURL: String?
}

/// `evidence-item`: one item with where it is used.
struct EvidenceItemPage: PageModel {
    let title: String
    let location: EvidenceLocationView
    let owner: String
    let documentDate: String
    let expiresOn: String
    let badge: EvidenceBadge?
    let note: String?
    let uses: [EvidenceUseView]
    let hasUses: Bool
    let listURL: String
    let editURL: String?
    let deleteURL: String?
    let detachAction: String?
    let error: String?
}

/// `evidence-item-form`: add or edit, with the input as typed and each error under its field.
struct EvidenceItemFormPage: PageModel {
    let heading: String
    let action: String
    let cancelURL: String
    /// The version read (edit only).
    let version: String?
    let kinds: [SelectOption]
    let members: [SelectOption]
    let input: [String: String]
    let errors: [String: String]
    let hasErrors: Bool
}

/// `evidence-item-delete`: the confirmation, listing where the item is used (then it cannot be deleted).
struct EvidenceItemDeletePage: PageModel {
    let title: String
    let location: EvidenceLocationView
    let version: Int
    let action: String
    let cancelURL: String
    let uses: [EvidenceUseView]
    let inUse: Bool
    let error: String?
}

/// The editor's evidence library section (`{{#evidence_library}}`).
struct EvidenceLibraryEditorBlock: Encodable, Sendable {
    struct Item: Encodable, Sendable {
        let title: String
        let url: String
        let badge: EvidenceBadge?
    }
    struct Objective: Encodable, Sendable {
        let id: String
        let formID: String
        let items: [Item]
        let expired: Bool
        let options: [SelectOption]
        let hasOptions: Bool
    }
    let objectives: [Objective]
    /// Nil for those who may not attach.
    let attachAction: String?
    let assessment: String
    let requirement: String
    let libraryURL: String
}

/// An objective of the assessment relying on expired evidence, for the overview.
struct ExpiredEvidenceObjective: Encodable, Sendable {
    let objective: String
    let titles: String
    let url: String
}

/// The overview's section: the objectives relying on expired evidence.
struct ExpiredEvidenceSection: Encodable, Sendable {
    let items: [ExpiredEvidenceObjective]
}
