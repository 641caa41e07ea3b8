import Foundation
import Hummingbird
import HTTPTypes
import TekigoCore
import TekigoStore
import TekigoUseCases

/// The platform-wide cloud provider registry in the browser (issue 15 items 1 and 2), under each organization's pages
/// so the navigation stays: `/o/{org}/cloud/registry` searches the FedRAMP Marketplace products (with the latest
/// import's date and count), a product's page shows every field, what it builds on and what is built on it (links),
/// what re-imports changed and which of this organization's services use it; the ISMAP list and a record's page.
/// Every signed-in member reads. Platform administrators only (403 for anyone else, on each page and post): the
/// Marketplace upload, run as a background job with its own progress and result page, and the ISMAP add, edit and
/// delete (with a confirmation page). The rules and audit entries are `CloudRegistryUseCases`'. No script.
struct CloudRegistryPages {
    let web: WebApp
    var services: Services { web.services }

    /// The Marketplace file is about 4.2 MB (2026-04-28); the limit leaves it room to grow.
    static let maxFile = 64 * 1024 * 1024
    static let maxWarningsShown = 200
    /// The navigation's entry (beside the organization's cloud services).
    static let section = "cloud-registry"

    func register(_ pages: RouterGroup<AppContext>) {
        pages.get(PageRoute.cloudRegistry(org: .key).pattern, use: search)
        pages.post(PageRoute.cloudRegistry(org: .key).pattern, use: importFile)
        pages.get(PageRoute.cloudRegistryProduct(org: .key, product: .key).pattern, use: product)
        pages.get(PageRoute.cloudRegistryImport(org: .key, job: .key).pattern, use: importJob)
        pages.get(PageRoute.cloudRegistryISMAP(org: .key).pattern, use: ismapList)
        pages.post(PageRoute.cloudRegistryISMAP(org: .key).pattern, use: ismapAdd)
        pages.get(PageRoute.cloudRegistryISMAPRecord(org: .key, number: .key).pattern, use: ismapRecord)
        pages.post(PageRoute.cloudRegistryISMAPRecord(org: .key, number: .key).pattern, use: ismapEdit)
        pages.get(PageRoute.cloudRegistryISMAPDelete(org: .key, number: .key).pattern, use: ismapDeleteConfirm)
        pages.post(PageRoute.cloudRegistryISMAPDelete(org: .key, number: .key).pattern, use: ismapDelete)
    }

    var cases: CloudRegistryUseCases { CloudRegistryUseCases(db: services.db, clock: services.clock) }

    func text(_ key: String, _ page: OrgPage, _ values: [String: String] = [:]) -> String { web.messages.text(key, page.language, values) }

    func caller(_ page: OrgPage) -> CloudRegistryCaller { .person(page.viewer.user, sourceIP: page.member.scope.actor.sourceIP) }

    /// A platform administrator's page or post: anyone else gets 403 before anything is read or written.
    func adminPage(_ request: Request, _ context: AppContext) async throws -> OrgPage {
        let page = try await web.orgPage(request, context, .read)
        try CloudRegistryUseCases.checkMayChange(caller(page))
        return page
    }

    func dayText(_ text: String?, _ page: OrgPage) -> String {
        guard let text, !text.isEmpty else { return "—" }
        return Day(text).map { page.viewer.locale.day($0) } ?? text
    }

    func productRow(_ p: CloudProduct, _ page: OrgPage) -> CloudRegistryProductRow {
        CloudRegistryProductRow(packageID: p.packageID, url: PageRoute.cloudRegistryProduct(org: page.org, product: p.packageID).path,
                                csp: p.csp, cso: p.cso, status: p.status, impactLevel: p.impactLevel, authDate: dayText(p.authDate, page),
                                moderateOrAbove: p.isAuthorizedModerateOrAbove)
    }

    // MARK: search (and the import form)

    func search(_ request: Request, _ context: AppContext) async throws -> Response {
        let page = try await web.orgPage(request, context, .read)
        return try await searchView(page, request: request, error: nil)
    }

    func searchView(_ page: OrgPage, request: Request, error: String?, status: HTTPResponse.Status = .ok) async throws -> Response {
        let q = String((request.uri.queryParameters["q"].map(String.init) ?? "").prefix(200))
        let found = q.trimmingCharacters(in: .whitespaces).isEmpty ? [] : try await cases.search(q)
        let latest = try await cases.latestImport()
        let count = try await cases.productCount()
        let locale = page.viewer.locale
        let model = CloudRegistrySearchPage(
            query: q, searched: !q.trimmingCharacters(in: .whitespaces).isEmpty, products: found.map { productRow($0, page) },
            found: !found.isEmpty, latest: latest.map {
                text("cloud_reg_latest", page, ["date": locale.dateTime($0.importedAt), "file": $0.fileName,
                                                 "products": locale.number(count), "file_date": dayText($0.fileDate, page)])
            },
            searchAction: PageRoute.cloudRegistry(org: page.org).path, ismapURL: PageRoute.cloudRegistryISMAP(org: page.org).path,
            servicesURL: PageRoute.cloudServices(org: page.org).path, canImport: caller(page).isPlatformAdmin,
            importAction: PageRoute.cloudRegistry(org: page.org).path, error: error)
        return web.orgView("cloud-registry-search", page, titleKey: "cloud_reg_title", section: Self.section, model: model,
                           request: request, status: status)
    }

    /// A platform administrator's upload: queued as a job, then its page (progress, then the result).
    func importFile(_ request: Request, _ context: AppContext) async throws -> Response {
        let page = try await adminPage(request, context)
        let form = try await web.postedForm(request, viewer: page.viewer)
        guard let file = form.files.first(where: { $0.field == "file" }), !file.data.isEmpty else {
            return try await searchView(page, request: request, error: text("cloud_reg_error_file", page), status: .badRequest)
        }
        guard file.data.count <= Self.maxFile else {
            return try await searchView(page, request: request, error: text("error_file_too_large", page, ["size": "\(Self.maxFile / 1024 / 1024)"]),
                                        status: .contentTooLarge)
        }
        let job = try await JobUseCases(services.tenantEnvironment, page.member.scope)
            .queueCloudRegistryImport(by: caller(page), file: file.data, filename: file.filename)
        services.jobs.nudge()
        return WebApp.redirect(PageRoute.cloudRegistryImport(org: page.org, job: job.id).path)
    }

    /// The job runner's handler: the import, its refusal said in both languages (the page shows the viewer's).
    static func runImport(_ services: Services, _ job: RunningJob) async throws {
        do {
            try await CloudRegistryImportJob.run(job)
        } catch let e as CloudRegistryError {
            throw APIError.invalid(field: "file", message: e.text.ja + "\n" + e.text.en)
        }
    }

    /// The import job's progress (refreshing itself while it runs), then what it did: products, links, changes per
    /// product, the file's warnings naming field and product; or why it was refused (the registry left as it was).
    func importJob(_ request: Request, _ context: AppContext) async throws -> Response {
        let page = try await adminPage(request, context)
        let id = try context.parameters.require("job")
        let jobs = JobUseCases(services.tenantEnvironment, page.member.scope)
        guard let job = try await jobs.job(id: id), job.kind == JobUseCases.cloudRegistryImportKind else { throw APIError.notFound("Job \(id)") }
        if jobs.waitsForRunner(job) { services.jobs.nudge() }
        let lang = page.language, locale = page.viewer.locale
        var result: CloudRegistryImportResult?
        if job.state == .finished, let r = try await jobs.result(id: id) { result = CloudRegistryImportJob.result(r.data) }
        let lines = job.message.split(separator: "\n", maxSplits: 1).map(String.init)
        let failure = job.state == .failed ? (lines.count == 2 ? (lang == .ja ? lines[0] : lines[1]) : job.message) : nil
        let model = CloudRegistryImportPage(
            state: text("job_state_\(job.state.rawValue)", page), stateID: job.state.rawValue, percent: job.percent, done: job.done,
            total: job.total, created: locale.dateTime(job.createdAt), refresh: job.state == .queued || job.state == .running,
            failure: failure, summary: result.map {
                text("cloud_reg_import_summary", page, ["products": locale.number($0.record.productCount), "links": locale.number($0.record.linkCount),
                                                         "changes": locale.number($0.record.changeCount), "warnings": locale.number($0.record.warningCount),
                                                         "file": $0.record.fileName, "file_date": dayText($0.record.fileDate, page)])
            },
            changes: (result?.changes ?? []).map { c in
                .init(packageID: c.packageID, url: PageRoute.cloudRegistryProduct(org: page.org, product: c.packageID).path,
                      field: c.field.label[lang], oldValue: c.oldValue ?? "—", newValue: c.newValue ?? "—", changedOn: dayText(c.changedOn, page))
            },
            hasChanges: !(result?.changes.isEmpty ?? true),
            warnings: (result?.warnings ?? []).prefix(Self.maxWarningsShown).map {
                .init(product: $0.product, field: $0.field, message: $0.message[lang])
            },
            hasWarnings: !(result?.warnings.isEmpty ?? true),
            moreWarnings: (result?.warnings.count ?? 0) > Self.maxWarningsShown
                ? text("cloud_reg_more_warnings", page, ["count": locale.number((result?.warnings.count ?? 0) - Self.maxWarningsShown)]) : nil,
            registryURL: PageRoute.cloudRegistry(org: page.org).path)
        return web.orgView("cloud-registry-import", page, titleKey: "cloud_reg_import_title", section: Self.section, model: model,
                           request: request)
    }

    // MARK: a product

    func product(_ request: Request, _ context: AppContext) async throws -> Response {
        let page = try await web.orgPage(request, context, .read)
        let id = try context.parameters.require("product")
        let d = try await cases.show(packageID: id)
        let p = d.product, lang = page.language, locale = page.viewer.locale
        let uses = try await CloudServiceQueries(services.tenantEnvironment, page.member.scope).list().filter { $0.service.serviceRef == p.ref }
        func field(_ key: String, _ value: String?) -> CloudRegistryField {
            CloudRegistryField(label: text(key, page), value: value.flatMap { $0.isEmpty ? nil : $0 } ?? "—")
        }
        let fields = [
            field("cloud_reg_col_package", p.packageID), field("cloud_reg_col_csp", p.csp), field("cloud_reg_col_offering", p.cso),
            field("cloud_reg_col_status", p.status), field("cloud_reg_col_impact", p.impactLevel),
            field("cloud_reg_field_auth_type", p.authType), field("cloud_reg_col_auth_date", dayText(p.authDate, page)),
            field("cloud_reg_field_annual", p.annualAssessment), field("cloud_reg_field_assessor", p.independentAssessor),
            field("cloud_reg_field_service_models", p.serviceModels.joined(separator: ", ")),
            field("cloud_reg_field_deployment", p.deploymentModel),
            field("cloud_reg_field_agency_authorizations", locale.number(p.agencyAuthorizations)),
            field("cloud_reg_field_reuse", locale.number(p.reuse)), field("cloud_reg_field_website", p.website),
            field("cloud_reg_field_description", p.description),
        ]
        let model = CloudRegistryProductPage(
            packageID: p.packageID, title: "\(p.csp) — \(p.cso)", fields: fields, moderateOrAbove: p.isAuthorizedModerateOrAbove,
            buildsOn: d.buildsOn.map { productRow($0, page) }, hasBuildsOn: !d.buildsOn.isEmpty,
            builtOnIt: d.builtOnIt.map { productRow($0, page) }, hasBuiltOnIt: !d.builtOnIt.isEmpty,
            changes: d.changes.map { c in
                .init(packageID: c.packageID, url: PageRoute.cloudRegistryProduct(org: page.org, product: c.packageID).path,
                      field: c.field.label[lang], oldValue: c.oldValue ?? "—", newValue: c.newValue ?? "—", changedOn: dayText(c.changedOn, page))
            },
            hasChanges: !d.changes.isEmpty,
            uses: uses.map { .init(name: $0.service.name, url: PageRoute.cloudService(org: page.org, service: $0.service.id).path) },
            hasUses: !uses.isEmpty, registryURL: PageRoute.cloudRegistry(org: page.org).path)
        return web.orgView("cloud-registry-product", page, titleKey: "cloud_reg_product_title", section: Self.section,
                           model: model, request: request, title: p.packageID)
    }

    // MARK: ISMAP

    /// The form's field names, and the record's field each one carries (the use case's errors name the record's).
    static let ismapFields: [(form: String, record: String)] = [
        ("registration_number", "registrationNumber"), ("kind", "kind"), ("service_name", "serviceName"), ("provider", "provider"),
        ("scope", "scope"), ("control_objectives", "controlObjectives"), ("audit_start", "auditPeriodStart"),
        ("audit_end", "auditPeriodEnd"), ("subsequent_events", "subsequentEvents"),
    ]

    func draft(_ form: WebForm, number: String? = nil) -> ISMAPDraft {
        ISMAPDraft(registrationNumber: number ?? form["registration_number"], kind: form["kind"], serviceName: form["service_name"],
                   provider: form["provider"], scope: form["scope"], controlObjectives: form["control_objectives"],
                   auditPeriodStart: form["audit_start"], auditPeriodEnd: form["audit_end"], subsequentEvents: form["subsequent_events"])
    }

    /// The form's inputs with a draft's values and, under the field it names, the refusal.
    func ismapForm(_ d: ISMAPDraft, editing: Bool, error: CloudRegistryError?, _ page: OrgPage) -> CloudRegistryISMAPForm {
        var field: String?
        switch error {
        case .invalidISMAP(let e)?: field = e.field
        case .ismapExists?: field = "registrationNumber"
        default: field = nil
        }
        func err(_ record: String) -> String? { field == record ? error?.text[page.language] : nil }
        return CloudRegistryISMAPForm(
            registrationNumber: d.registrationNumber, readonlyNumber: editing, registrationNumberError: err("registrationNumber"),
            kinds: ISMAPKind.allCases.map { SelectOption(value: $0.rawValue, label: $0.rawValue, selected: $0.rawValue == d.kind.uppercased()) },
            kindError: err("kind"), serviceName: d.serviceName, serviceNameError: err("serviceName"), provider: d.provider,
            providerError: err("provider"), scope: d.scope, scopeError: err("scope"), controlObjectives: d.controlObjectives,
            controlObjectivesError: err("controlObjectives"), auditStart: d.auditPeriodStart, auditStartError: err("auditPeriodStart"),
            auditEnd: d.auditPeriodEnd, auditEndError: err("auditPeriodEnd"), subsequentEvents: d.subsequentEvents,
            subsequentEventsError: err("subsequentEvents"), error: field == nil ? error?.text[page.language] : nil)
    }

    func validity(_ e: ISMAPEntry, _ page: OrgPage) -> (text: String, valid: Bool) {
        let today = page.member.scope.calendar.today(services.clock)
        let valid = e.record.validity.isValid(on: today)
        return (text(valid ? "cloud_reg_ismap_valid" : "cloud_reg_ismap_not_valid", page,
                     ["from": page.viewer.locale.day(e.record.validity.validFrom), "through": page.viewer.locale.day(e.validThrough)]), valid)
    }

    func ismapList(_ request: Request, _ context: AppContext) async throws -> Response {
        let page = try await web.orgPage(request, context, .read)
        return try await ismapListView(page, request: request, draft: nil, error: nil)
    }

    func ismapListView(_ page: OrgPage, request: Request, draft: ISMAPDraft?, error: CloudRegistryError?,
                       status: HTTPResponse.Status = .ok) async throws -> Response {
        let q = String((request.uri.queryParameters["q"].map(String.init) ?? "").prefix(200))
        let entries = try await cases.ismapEntries(matching: q)
        let canChange = caller(page).isPlatformAdmin
        let model = CloudRegistryISMAPListPage(
            query: q, records: entries.map { e in
                let v = validity(e, page)
                return .init(number: e.record.registrationNumber, url: PageRoute.cloudRegistryISMAPRecord(org: page.org, number: e.record.registrationNumber).path,
                             kind: e.record.kind.rawValue, serviceName: e.record.serviceName, provider: e.record.provider,
                             auditPeriod: "\(page.viewer.locale.day(e.record.auditPeriodStart)) – \(page.viewer.locale.day(e.record.auditPeriodEnd))",
                             validity: v.text, valid: v.valid)
            },
            hasRecords: !entries.isEmpty, searchAction: PageRoute.cloudRegistryISMAP(org: page.org).path,
            registryURL: PageRoute.cloudRegistry(org: page.org).path, canChange: canChange,
            addAction: PageRoute.cloudRegistryISMAP(org: page.org).path,
            form: canChange ? ismapForm(draft ?? ISMAPDraft(registrationNumber: "", serviceName: "", provider: "", scope: "", controlObjectives: "",
                                                           auditPeriodStart: "", auditPeriodEnd: ""), editing: false, error: error, page) : nil)
        return web.orgView("cloud-registry-ismap-list", page, titleKey: "cloud_reg_ismap_title", section: Self.section,
                           model: model, request: request, status: status)
    }

    func ismapAdd(_ request: Request, _ context: AppContext) async throws -> Response {
        let page = try await adminPage(request, context)
        let form = try await web.postedForm(request, viewer: page.viewer)
        let d = draft(form)
        do {
            let e = try await cases.saveISMAP(d, by: caller(page), expecting: .new)
            return WebApp.redirect(PageRoute.cloudRegistryISMAPRecord(org: page.org, number: e.record.registrationNumber).path + "?notice=saved")
        } catch let e as CloudRegistryError where e != .notPlatformAdmin {
            return try await ismapListView(page, request: request, draft: d, error: e, status: .badRequest)
        }
    }

    func ismapRecord(_ request: Request, _ context: AppContext) async throws -> Response {
        let page = try await web.orgPage(request, context, .read)
        return try await ismapRecordView(page, request: request, number: try context.parameters.require("number"), draft: nil, error: nil)
    }

    func ismapRecordView(_ page: OrgPage, request: Request, number: String, draft: ISMAPDraft?, error: CloudRegistryError?,
                         status: HTTPResponse.Status = .ok) async throws -> Response {
        let e = try await cases.ismapEntry(number: number)
        let r = e.record, locale = page.viewer.locale
        let v = validity(e, page)
        let uses = try await CloudServiceQueries(services.tenantEnvironment, page.member.scope).list().filter { $0.service.serviceRef == r.ref }
        let canChange = caller(page).isPlatformAdmin
        let fields = [
            CloudRegistryField(label: text("cloud_reg_ismap_number", page), value: r.registrationNumber),
            CloudRegistryField(label: text("cloud_reg_ismap_kind", page), value: r.kind.rawValue),
            CloudRegistryField(label: text("cloud_reg_ismap_service", page), value: r.serviceName),
            CloudRegistryField(label: text("cloud_reg_ismap_provider", page), value: r.provider),
            CloudRegistryField(label: text("cloud_reg_ismap_scope", page), value: r.scope.isEmpty ? "—" : r.scope),
            CloudRegistryField(label: text("cloud_reg_ismap_objectives", page), value: r.controlObjectives.isEmpty ? "—" : r.controlObjectives),
            CloudRegistryField(label: text("cloud_reg_ismap_audit_period", page),
                               value: "\(locale.day(r.auditPeriodStart)) – \(locale.day(r.auditPeriodEnd))"),
            CloudRegistryField(label: text("cloud_reg_ismap_events", page), value: r.subsequentEvents.isEmpty ? "—" : r.subsequentEvents),
            CloudRegistryField(label: text("cloud_reg_ismap_updated", page), value: locale.dateTime(e.updatedAt)),
        ]
        let model = CloudRegistryISMAPPage(
            number: r.registrationNumber, serviceName: r.serviceName, fields: fields, validity: v.text, valid: v.valid,
            uses: uses.map { .init(name: $0.service.name, url: PageRoute.cloudService(org: page.org, service: $0.service.id).path) },
            hasUses: !uses.isEmpty, listURL: PageRoute.cloudRegistryISMAP(org: page.org).path, canChange: canChange,
            editAction: PageRoute.cloudRegistryISMAPRecord(org: page.org, number: r.registrationNumber).path,
            deleteURL: PageRoute.cloudRegistryISMAPDelete(org: page.org, number: r.registrationNumber).path,
            form: canChange ? ismapForm(draft ?? ISMAPDraft(r), editing: true, error: error, page) : nil)
        return web.orgView("cloud-registry-ismap", page, titleKey: "cloud_reg_ismap_record_title", section: Self.section,
                           model: model, request: request, status: status, title: r.registrationNumber)
    }

    func ismapEdit(_ request: Request, _ context: AppContext) async throws -> Response {
        let page = try await adminPage(request, context)
        let number = try context.parameters.require("number")
        let form = try await web.postedForm(request, viewer: page.viewer)
        let d = draft(form, number: number)
        do {
            _ = try await cases.saveISMAP(d, by: caller(page), expecting: .existing)
            return WebApp.redirect(PageRoute.cloudRegistryISMAPRecord(org: page.org, number: number).path + "?notice=saved")
        } catch let e as CloudRegistryError where e != .notPlatformAdmin && e != .unknownISMAP(number) {
            return try await ismapRecordView(page, request: request, number: number, draft: d, error: e, status: .badRequest)
        }
    }

    func ismapDeleteConfirm(_ request: Request, _ context: AppContext) async throws -> Response {
        let page = try await adminPage(request, context)
        let e = try await cases.ismapEntry(number: try context.parameters.require("number"))
        let r = e.record
        let model = CloudRegistryISMAPDeletePage(
            number: r.registrationNumber, serviceName: r.serviceName, provider: r.provider,
            action: PageRoute.cloudRegistryISMAPDelete(org: page.org, number: r.registrationNumber).path,
            recordURL: PageRoute.cloudRegistryISMAPRecord(org: page.org, number: r.registrationNumber).path)
        return web.orgView("cloud-registry-ismap-delete", page, titleKey: "cloud_reg_ismap_delete_title", section: Self.section,
                           model: model, request: request)
    }

    func ismapDelete(_ request: Request, _ context: AppContext) async throws -> Response {
        let page = try await adminPage(request, context)
        let number = try context.parameters.require("number")
        _ = try await web.postedForm(request, viewer: page.viewer)
        try await cases.deleteISMAP(number: number, by: caller(page))
        return WebApp.redirect(PageRoute.cloudRegistryISMAP(org: page.org).path + "?notice=saved")
    }
}

// MARK: page models

/// A product in a list (search results, links).
struct CloudRegistryProductRow: Encodable, Sendable {
    let packageID: String
    let url: String
    let csp: String
    let cso: String
    let status: String
    let impactLevel: String
    let authDate: String
    let moderateOrAbove: Bool
}

/// A labelled value of a product or ISMAP record.
struct CloudRegistryField: Encodable, Sendable {
    let label: String
    let value: String
}

/// One change a re-import recorded.
struct CloudRegistryChangeRow: Encodable, Sendable {
    let packageID: String
    let url: String
    let field: String
    let oldValue: String
    let newValue: String
    let changedOn: String
}

/// An organization's service using a registry entry.
struct CloudRegistryUse: Encodable, Sendable {
    let name: String
    let url: String
}

/// `cloud-registry-search`: the search box, results, the latest import and (platform administrators) the upload.
struct CloudRegistrySearchPage: PageModel {
    let query: String
    let searched: Bool
    let products: [CloudRegistryProductRow]
    let found: Bool
    let latest: String?
    let searchAction: String
    let ismapURL: String
    let servicesURL: String
    let canImport: Bool
    let importAction: String
    let error: String?
}

/// `cloud-registry-import`: an import job's progress, then its result or refusal.
struct CloudRegistryImportPage: PageModel {
    struct Warning: Encodable, Sendable {
        let product: String
        let field: String
        let message: String
    }
    let state: String
    let stateID: String
    let percent: Int
    let done: Int
    let total: Int
    let created: String
    let refresh: Bool
    let failure: String?
    let summary: String?
    let changes: [CloudRegistryChangeRow]
    let hasChanges: Bool
    let warnings: [Warning]
    let hasWarnings: Bool
    let moreWarnings: String?
    let registryURL: String
}

/// `cloud-registry-product`: one product with its links, changes and this organization's services using it.
struct CloudRegistryProductPage: PageModel {
    let packageID: String
    let title: String
    let fields: [CloudRegistryField]
    let moderateOrAbove: Bool
    let buildsOn: [CloudRegistryProductRow]
    let hasBuildsOn: Bool
    let builtOnIt: [CloudRegistryProductRow]
    let hasBuiltOnIt: Bool
    let changes: [CloudRegistryChangeRow]
    let hasChanges: Bool
    let uses: [CloudRegistryUse]
    let hasUses: Bool
    let registryURL: String
}

/// The ISMAP record form (add on the list, edit on the record): each input's value and the refusal under it.
struct CloudRegistryISMAPForm: Encodable, Sendable {
    let registrationNumber: String
    /// On the edit form the number is the record's key: shown, not changed.
    let readonlyNumber: Bool
    let registrationNumberError: String?
    let kinds: [SelectOption]
    let kindError: String?
    let serviceName: String
    let serviceNameError: String?
    let provider: String
    let providerError: String?
    let scope: String
    let scopeError: String?
    let controlObjectives: String
    let controlObjectivesError: String?
    let auditStart: String
    let auditStartError: String?
    let auditEnd: String
    let auditEndError: String?
    let subsequentEvents: String
    let subsequentEventsError: String?
    /// A refusal that names no field of the form.
    let error: String?
}

/// `cloud-registry-ismap-list`: the ISMAP and ISMAP-LIU records with their validity, and the add form.
struct CloudRegistryISMAPListPage: PageModel {
    struct Row: Encodable, Sendable {
        let number: String
        let url: String
        let kind: String
        let serviceName: String
        let provider: String
        let auditPeriod: String
        let validity: String
        let valid: Bool
    }
    let query: String
    let records: [Row]
    let hasRecords: Bool
    let searchAction: String
    let registryURL: String
    let canChange: Bool
    let addAction: String
    let form: CloudRegistryISMAPForm?
}

/// `cloud-registry-ismap`: one record, its validity, the organization's services using it, and the edit form.
struct CloudRegistryISMAPPage: PageModel {
    let number: String
    let serviceName: String
    let fields: [CloudRegistryField]
    let validity: String
    let valid: Bool
    let uses: [CloudRegistryUse]
    let hasUses: Bool
    let listURL: String
    let canChange: Bool
    let editAction: String
    let deleteURL: String
    let form: CloudRegistryISMAPForm?
}

/// `cloud-registry-ismap-delete`: the confirmation before a record is removed.
struct CloudRegistryISMAPDeletePage: PageModel {
    let number: String
    let serviceName: String
    let provider: String
    let action: String
    let recordURL: String
}
