import Foundation
import Hummingbird
import HTTPTypes
import TekigoCore
import TekigoStore
import TekigoUseCases

/// Issue #17 item 3 in the browser: the organization's regime on the members page (owners and administrators change
/// it through `OrganizationUseCases.setRegime`, audited there), and the Japanese-standard item table's upload page
/// (platform administrators; `CatalogUseCases.importItemTable`: every problem with its row and column, nothing stored).
struct RegimePages {
    let web: WebApp
    var services: Services { web.services }
    static let maxFile = ItemTableRoutes.maxFile

    func register(_ pages: RouterGroup<AppContext>) {
        pages.post(PageRoute.organizationRegime(org: .key).pattern, use: setRegime)
        pages.get(PageRoute.catalogItemTable(org: .key).pattern, use: itemTable)
        pages.post(PageRoute.catalogItemTable(org: .key).pattern, use: importItemTable)
    }

    /// The members page's regime section: the choice (for owners and admins) and what each term becomes.
    static func section(_ web: WebApp, _ page: OrgPage, error: String?) async throws -> RegimeSection {
        let lang = page.language
        let own = page.member.organization.regime
        let terms = try await web.services.organizations(page.member).terms(lang)
        return RegimeSection(
            action: PageRoute.organizationRegime(org: page.org).path,
            canChange: page.member.role.allows(.manageOrganization),
            current: own.label[lang],
            options: ComplianceRegime.allCases.map { SelectOption(value: $0.rawValue, label: $0.label[lang], selected: $0 == own) },
            protectedInformation: terms.protectedInformation, designationDocument: terms.designationDocument,
            securityPlan: terms.securityPlan, businessPlan: terms.businessPlan,
            sprs: web.messages.text(terms.showsSPRS ? "regime_sprs_shown" : "regime_sprs_hidden", lang), error: error)
    }

    func setRegime(_ request: Request, context: AppContext) async throws -> Response {
        let page = try await web.orgPage(request, context, .manageOrganization)
        let form = try await web.postedForm(request, viewer: page.viewer)
        do {
            _ = try await services.organizations(page.member).setRegime(form["regime"])
        } catch is UnknownRegime {
            return try await AdminPages(web: web).membersView(page, request: request, email: "", role: Role.contributor.rawValue, error: nil,
                                                              regimeError: web.messages.text("regime_error", page.language), status: .badRequest)
        }
        return WebApp.redirect(PageRoute.members(org: page.org).path + "?notice=saved")
    }

    // MARK: the item table

    func itemTable(_ request: Request, context: AppContext) async throws -> Response {
        let page = try await web.orgPage(request, context, .read)
        return view(page, request: request, input: WebForm(), notice: nil, problems: [], status: .ok)
    }

    func view(_ page: OrgPage, request: Request, input: WebForm, notice: String?, problems: [String],
              status: HTTPResponse.Status) -> Response {
        let lang = page.language
        let model = ItemTablePage(
            canImport: JobUseCases.mayImportCatalogs(page.viewer.user), action: PageRoute.catalogItemTable(org: page.org).path,
            catalogsURL: PageRoute.catalogs(org: page.org).path, id: input["id"], name: input["name"], notice: notice,
            rejected: problems.isEmpty ? nil : web.messages.text("item_table_rejected", lang, ["count": "\(problems.count)"]),
            problems: problems)
        return web.orgView("catalog-item-table", page, titleKey: "item_table_title", section: "catalogs", model: model, request: request,
                           status: status)
    }

    func importItemTable(_ request: Request, context: AppContext) async throws -> Response {
        let page = try await web.orgPage(request, context, .read)
        try JobUseCases.checkMayImportCatalogs(page.viewer.user)
        let form = try await web.postedForm(request, viewer: page.viewer)
        let lang = page.language
        guard let file = form.files.first(where: { $0.field == "file" }), !file.data.isEmpty else {
            return view(page, request: request, input: form, notice: nil, problems: [web.messages.text("catalogs_error_file", lang)],
                        status: .badRequest)
        }
        guard file.data.count <= Self.maxFile else {
            return view(page, request: request, input: form, notice: nil,
                        problems: [web.messages.text("error_file_too_large", lang, ["size": "\(Self.maxFile / 1024 / 1024)"])],
                        status: .contentTooLarge)
        }
        do {
            let parsed = try await CatalogUseCases(db: services.db).importItemTable(
                file.data, filename: file.filename, catalog: form["id"], name: form["name"],
                by: page.viewer.user, organizationID: page.org, sourceIP: page.member.actor.sourceIP)
            try await services.reloadLibrary()
            return view(page, request: request, input: WebForm(), problems: [], status: .ok, notice: web.messages.text(
                "item_table_done", lang, ["catalog": parsed.imported.catalog.rawValue, "items": "\(parsed.items)",
                                          "sub_items": "\(parsed.subItems)", "mappings": "\(parsed.mappings.count)"]))
        } catch let e as StandardItemTableError {
            return view(page, request: request, input: form, notice: nil, problems: e.problems.map { $0.text(lang) },
                        status: .unprocessableContent)
        }
    }

    func view(_ page: OrgPage, request: Request, input: WebForm, problems: [String], status: HTTPResponse.Status,
              notice: String) -> Response {
        view(page, request: request, input: input, notice: notice, problems: problems, status: status)
    }
}

/// The members page's regime section.
struct RegimeSection: Encodable, Sendable {
    let action: String
    let canChange: Bool
    let current: String
    let options: [SelectOption]
    let protectedInformation: String
    let designationDocument: String
    let securityPlan: String
    let businessPlan: String?
    let sprs: String
    let error: String?
}

/// `catalog-item-table`: the Japanese-standard item table's upload form and, after a refused file, every problem.
struct ItemTablePage: PageModel {
    let canImport: Bool
    let action: String
    let catalogsURL: String
    let id: String
    let name: String
    let notice: String?
    let rejected: String?
    let problems: [String]
}
