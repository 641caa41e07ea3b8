import Foundation
import Hummingbird
import HTTPTypes
import TekigoCore
import TekigoStore
import TekigoUseCases

/// A system's page (issue 17 item 6: systems editable in the web): its profile changed, or the system deleted when
/// nothing uses it. Owners, administrators and assessors (`manageSystems`); the rules, the version check and the audit
/// entries are `AssessmentUseCases.updateSystem` / `.deleteSystem`'s, as for the API.
struct SystemPages {
    let web: WebApp
    var services: Services { web.services }

    func register(_ pages: RouterGroup<AppContext>) {
        pages.get(PageRoute.system(org: .key, system: .key).pattern, use: edit)
        pages.post(PageRoute.system(org: .key, system: .key).pattern, use: save)
        pages.post(PageRoute.systemDelete(org: .key, system: .key).pattern, use: delete)
    }

    func record(_ page: OrgPage, _ context: AppContext) async throws -> SystemRecord {
        let id = try context.parameters.require("system")
        guard let r = try await services.reads(page.member).systems().first(where: { $0.id == id }) else { throw HTTPError(.notFound) }
        return r
    }

    func edit(_ request: Request, context: AppContext) async throws -> Response {
        let page = try await web.orgPage(request, context, .manageSystems)
        let r = try await record(page, context)
        return view(page, request: request, r, input: nil, errors: [:], deleteError: nil)
    }

    /// The page with the stored version in its forms; `input` keeps what was posted (a refused or stale save), so a
    /// second save after a conflict is a deliberate one over the newer version.
    func view(_ page: OrgPage, request: Request, _ r: SystemRecord, input: WebForm?, errors: [String: String], deleteError: String?,
              status: HTTPResponse.Status = .ok) -> Response {
        let fields = input.map { f in ["name": f["name"], "boundary": f["boundary"], "environment": f["environment"],
                                        "types": f["types"], "users": f["users"]] }
            ?? ["name": r.name, "boundary": r.boundary, "environment": r.environment,
                "types": r.informationTypeList.joined(separator: ", "), "users": "\(r.userCount)"]
        let model = SystemPage(name: r.name, action: PageRoute.system(org: page.org, system: r.id).path,
                               deleteAction: PageRoute.systemDelete(org: page.org, system: r.id).path,
                               listURL: PageRoute.systems(org: page.org).path, version: r.version, input: fields, errors: errors,
                               hasErrors: !errors.isEmpty, deleteError: deleteError)
        return web.orgView("system", page, titleKey: "system_edit_title", section: "systems", model: model, request: request,
                           status: status)
    }

    /// The form's information types: separated by commas (also the Japanese 、) or lines.
    static func types(_ form: WebForm) -> [String] {
        form["types"].split(whereSeparator: { $0 == "," || $0 == "、" || $0 == "\n" }).map { String($0).trimmed }.filter { !$0.isEmpty }
    }

    func save(_ request: Request, context: AppContext) async throws -> Response {
        let page = try await web.orgPage(request, context, .manageSystems)
        let id = try context.parameters.require("system")
        let form = try await web.postedForm(request, viewer: page.viewer)
        let users = form["users"].trimmed.isEmpty ? 0 : Int(form["users"].trimmed) ?? -1
        do {
            _ = try await services.assessments(page.member).updateSystem(
                id: id, name: form["name"], boundary: form["boundary"].trimmed, environment: form["environment"].trimmed,
                informationTypes: Self.types(form), userCount: users, ifVersion: Int(form["version"]) ?? -1)
        } catch is NotFound {
            throw HTTPError(.notFound)
        } catch is VersionConflict {
            let fresh = try await record(page, context)
            return view(page, request: request, fresh, input: form,
                        errors: ["form": web.messages.text("error_changed_meanwhile", page.language)], deleteError: nil, status: .conflict)
        } catch let e as AssessmentError {
            var errors: [String: String] = [:]
            if form["name"].trimmed.isEmpty { errors["name"] = web.messages.text("error_required", page.language) }
            if users < 0 { errors["users"] = web.messages.text("error_count", page.language) }
            if errors.isEmpty { errors["form"] = e.description }
            return view(page, request: request, try await record(page, context), input: form, errors: errors, deleteError: nil,
                        status: .badRequest)
        }
        return WebApp.redirect(PageRoute.systems(org: page.org).path + "?notice=saved")
    }

    func delete(_ request: Request, context: AppContext) async throws -> Response {
        let page = try await web.orgPage(request, context, .manageSystems)
        let id = try context.parameters.require("system")
        let form = try await web.postedForm(request, viewer: page.viewer)
        do {
            try await services.assessments(page.member).deleteSystem(id: id, ifVersion: Int(form["version"]) ?? -1)
        } catch is NotFound {
            throw HTTPError(.notFound)
        } catch is VersionConflict {
            return view(page, request: request, try await record(page, context), input: nil, errors: [:],
                        deleteError: web.messages.text("error_changed_meanwhile", page.language), status: .conflict)
        } catch AssessmentError.systemInUse(let name, let assessments, let cloudServices) {
            return view(page, request: request, try await record(page, context), input: nil, errors: [:],
                        deleteError: inUse(name, assessments, cloudServices, page), status: .conflict)
        }
        return WebApp.redirect(PageRoute.systems(org: page.org).path + "?notice=system_deleted")
    }

    /// Why a system in use stays, naming the assessments (by date) and cloud services that use it.
    func inUse(_ name: String, _ assessments: [String], _ cloudServices: [String], _ page: OrgPage) -> String {
        let lang = page.language
        var uses: [String] = []
        if !assessments.isEmpty {
            uses.append(web.messages.text("system_in_use_assessments", lang,
                                          ["count": "\(assessments.count)",
                                           "dates": assessments.map { Day($0).map(page.viewer.locale.day) ?? $0 }
                                               .joined(separator: web.messages.text("system_list_separator", lang))]))
        }
        if !cloudServices.isEmpty {
            uses.append(web.messages.text("system_in_use_services", lang,
                                          ["names": cloudServices.joined(separator: web.messages.text("system_list_separator", lang))]))
        }
        return web.messages.text("system_error_in_use", lang,
                                 ["name": name, "uses": uses.joined(separator: web.messages.text("system_in_use_and", lang))])
    }
}

/// `system`: one system's profile as a form (as stored, or as posted when refused), and its delete form.
struct SystemPage: PageModel {
    let name: String
    let action: String
    let deleteAction: String
    let listURL: String
    let version: Int
    /// The fields as stored or as posted (`{{input.name}}`).
    let input: [String: String]
    /// Field → message; `form` for a message about the whole form (a conflict, a rule).
    let errors: [String: String]
    let hasErrors: Bool
    let deleteError: String?
}
