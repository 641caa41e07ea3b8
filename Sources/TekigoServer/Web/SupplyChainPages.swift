import Foundation
import Hummingbird
import HTTPTypes
import TekigoCore
import TekigoReports
import TekigoStore
import TekigoUseCases

/// The customer's side of the supply chain (the prime's and every tier's that has suppliers): its suppliers and
/// invitations, contracts and flow-down requirements per supplier, the roll-up of its tree with the suppliers that
/// need action, and a supplier's attestation as far as consent allows. Every rule is the use-case layer's
/// (`SupplierLinkUseCases`, `ContractUseCases`, `FlowDownUseCases`, `RollupUseCases`, `AttestationUseCases`), the
/// same operations the API calls; these pages parse forms, call them and render. Lists are paged in the query
/// (`pageSize` rows): a prime's tree may hold thousands of suppliers.
struct SupplyChainPages {
    let web: WebApp
    var services: Services { web.services }

    /// Rows per page of the roll-up's lists and the suppliers list.
    static let pageSize = 100
    /// Families shown in the "failing most" chart.
    static let topFamilies = 10

    func register(_ pages: RouterGroup<AppContext>) {
        pages.get(PageRoute.suppliers(org: .key).pattern, use: suppliers)
        pages.post(PageRoute.suppliers(org: .key).pattern, use: invite)
        pages.post(PageRoute.revokeSupplierInvitation(org: .key, invitation: .key).pattern, use: revokeInvitation)
        pages.get(PageRoute.supplier(org: .key, supplier: .key).pattern, use: supplier)
        pages.get(PageRoute.removeSupplier(org: .key, supplier: .key).pattern, use: confirmRemoval)
        pages.post(PageRoute.removeSupplier(org: .key, supplier: .key).pattern, use: removeSupplier)
        pages.post(PageRoute.supplierContracts(org: .key, supplier: .key).pattern, use: createContract)
        pages.get(PageRoute.supplierContract(org: .key, supplier: .key, contract: .key).pattern, use: editContract)
        pages.post(PageRoute.supplierContract(org: .key, supplier: .key, contract: .key).pattern, use: saveContract)
        pages.post(PageRoute.deleteSupplierContract(org: .key, supplier: .key, contract: .key).pattern, use: deleteContract)
        pages.post(PageRoute.supplierRequirements(org: .key, supplier: .key).pattern, use: createRequirement)
        pages.get(PageRoute.supplierRequirement(org: .key, supplier: .key, requirement: .key).pattern, use: editRequirement)
        pages.post(PageRoute.supplierRequirement(org: .key, supplier: .key, requirement: .key).pattern, use: saveRequirement)
        pages.post(PageRoute.deleteSupplierRequirement(org: .key, supplier: .key, requirement: .key).pattern, use: deleteRequirement)
        pages.get(PageRoute.supplyChain(org: .key).pattern, use: rollup)
        pages.get(PageRoute.supplyChainNeedsAction(org: .key).pattern, use: needsAction)
        pages.get(PageRoute.supplyChainSupplier(org: .key, supplier: .key).pattern, use: detail)
        SupplyReminderPages(web: web).register(pages)
    }

    static let section = "supply-chain"

    // MARK: suppliers and invitations

    func suppliers(_ request: Request, context: AppContext) async throws -> Response {
        let page = try await web.orgPage(request, context, .read)
        return try await suppliersView(page, request: request, offset: try SupplyQuery.offset(request), input: WebForm(fields: ["days": ["7"]]),
                                       errors: [:])
    }

    func suppliersView(_ page: OrgPage, request: Request, offset: Int, input: WebForm, errors: [String: String],
                       created: (link: String, expires: String)? = nil, status: HTTPResponse.Status = .ok) async throws -> Response {
        let lang = page.language, locale = page.viewer.locale
        let links = services.supplierLinks(page.member)
        let all = try await links.suppliers()
        let shown = Array(all.dropFirst(offset).prefix(Self.pageSize))
        let rollups = services.rollups(page.member)
        let view = try await rollups.view().view
        let seen = try await rollups.visibleMembers(view, suppliers: shown.map(\.id))
        let canManage = page.member.role.allows(.manageSuppliers)
        let open = canManage ? try await links.invitations() : []
        let model = SuppliersPage(
            suppliers: shown.map { s in
                let m = seen[s.id]
                return .init(name: s.name, url: PageRoute.supplier(org: page.org, supplier: s.id).path,
                             detailURL: PageRoute.supplyChainSupplier(org: page.org, supplier: s.id).path,
                             linked: locale.dateTime(s.linkedAt), status: m.map { statusLabel($0.status, lang) }
                                 ?? web.messages.text("supply_not_shared", lang),
                             statusID: m?.status.rawValue ?? "hidden", overdue: m?.overdue ?? false,
                             score: m?.score.map(String.init))
            },
            hasSuppliers: !all.isEmpty,
            pager: pager(PageRoute.suppliers(org: page.org).path, [], offset: offset, shown: shown.count, total: all.count, lang),
            canManage: canManage, action: PageRoute.suppliers(org: page.org).path, email: input["email"], note: input["note"],
            days: input["days"], errors: errors, hasErrors: !errors.isEmpty,
            created: created.map { .init(link: $0.link, expires: $0.expires) },
            invitations: open.map {
                .init(contact: $0.contactEmail ?? "", note: $0.note, created: locale.dateTime($0.createdAt), expires: locale.dateTime($0.expiresAt),
                      revokeURL: PageRoute.revokeSupplierInvitation(org: page.org, invitation: $0.tokenHash).path)
            },
            hasInvitations: !open.isEmpty, supplyChainURL: PageRoute.supplyChain(org: page.org).path)
        return web.orgView("supply-suppliers", page, titleKey: "supply_suppliers_title", section: Self.section, model: model,
                           request: request, status: status)
    }

    /// Invites a supplier: the single-use link is shown on this response only (its token is never stored).
    func invite(_ request: Request, context: AppContext) async throws -> Response {
        let page = try await web.orgPage(request, context, .manageSuppliers)
        let form = try await web.postedForm(request, viewer: page.viewer)
        let lang = page.language
        var errors: [String: String] = [:]
        let days = Int(form["days"].trimmed)
        if days == nil {
            errors["days"] = web.messages.text("supply_error_days", lang)
            // Both fields' messages at once: the address is checked by the same function the use case calls.
            if (try? AccountUseCases.normalizedEmail(form["email"])) == nil { errors["email"] = web.messages.text("supply_error_email", lang) }
        }
        if let days {
            do {
                let (token, record) = try await services.supplierLinks(page.member).invite(note: form["note"], expiresInDays: days,
                                                                                           contactEmail: form["email"])
                let link = web.absoluteURL(request, PageRoute.supplierInvitation.path + "?token=" + token)
                return try await suppliersView(page, request: request, offset: 0, input: WebForm(fields: ["days": ["7"]]), errors: [:],
                                               created: (link, page.viewer.locale.dateTime(record.expiresAt)), status: .created)
            } catch AccountError.invalidEmail {
                errors["email"] = web.messages.text("supply_error_email", lang)
            } catch let e where SupplyFormError(e) != nil {
                let f = SupplyFormError(e)!
                errors[f.field] = web.messages.text(f.key, lang)
            }
        }
        return try await suppliersView(page, request: request, offset: 0, input: form, errors: errors, status: .badRequest)
    }

    func revokeInvitation(_ request: Request, context: AppContext) async throws -> Response {
        let page = try await web.orgPage(request, context, .manageSuppliers)
        _ = try await web.postedForm(request, viewer: page.viewer)
        try await services.supplierLinks(page.member).revokeInvitation(id: try context.parameters.require("invitation"))
        return WebApp.redirect(PageRoute.suppliers(org: page.org).path + "?notice=supply_revoked")
    }

    /// The organization's direct supplier named in the path (its name from the link), or the not-found page.
    func linkedSupplier(_ page: OrgPage, _ context: AppContext) async throws -> LinkedOrganization {
        let id = try context.parameters.require("supplier")
        guard let s = try await services.supplierLinks(page.member).suppliers().first(where: { $0.id == id }) else {
            throw SupplyChainRuleError.supplierNotFound(id)
        }
        return s
    }

    /// The confirm step before a link ends: what goes with it (its contracts and requirements).
    func confirmRemoval(_ request: Request, context: AppContext) async throws -> Response {
        let page = try await web.orgPage(request, context, .manageSuppliers)
        let s = try await linkedSupplier(page, context)
        let contracts = try await services.contracts(page.member).contracts(supplierID: s.id)
        let requirements = try await services.flowDown(page.member).requirements(supplierID: s.id)
        let lang = page.language
        let model = SupplierRemovalPage(
            name: s.name, action: PageRoute.removeSupplier(org: page.org, supplier: s.id).path,
            supplierURL: PageRoute.supplier(org: page.org, supplier: s.id).path,
            consequence: web.messages.text("supply_remove_consequence", lang, ["contracts": "\(contracts.count)",
                                                                             "requirements": "\(requirements.count)"]))
        return web.orgView("supply-remove", page, titleKey: "supply_remove_title", section: Self.section, model: model, request: request)
    }

    func removeSupplier(_ request: Request, context: AppContext) async throws -> Response {
        let page = try await web.orgPage(request, context, .manageSuppliers)
        _ = try await web.postedForm(request, viewer: page.viewer)
        try await services.supplierLinks(page.member).removeSupplier(id: try context.parameters.require("supplier"))
        return WebApp.redirect(PageRoute.suppliers(org: page.org).path + "?notice=supply_removed")
    }

    // MARK: one supplier: contracts and flow-down requirements

    func supplier(_ request: Request, context: AppContext) async throws -> Response {
        let page = try await web.orgPage(request, context, .read)
        let s = try await linkedSupplier(page, context)
        return try await supplierView(page, s, request: request, contractInput: nil, contractErrors: [:], requirementInput: nil,
                                      requirementErrors: [:])
    }

    func supplierView(_ page: OrgPage, _ s: LinkedOrganization, request: Request, contractInput: WebForm?,
                      contractErrors: [String: String], requirementInput: WebForm?, requirementErrors: [String: String],
                      status: HTTPResponse.Status = .ok) async throws -> Response {
        let lang = page.language
        let contracts = try await services.contracts(page.member).contracts(supplierID: s.id)
        let requirements = try await services.flowDown(page.member).requirements(supplierID: s.id)
        let regime = try await services.organizations(page.member).regimeInEffect()  // issue 17 item 3
        let o = page.org
        let model = SupplierPage(
            name: s.name, suppliersURL: PageRoute.suppliers(org: o).path,
            detailURL: PageRoute.supplyChainSupplier(org: o, supplier: s.id).path,
            removeURL: PageRoute.removeSupplier(org: o, supplier: s.id).path,
            contracts: contracts.map { c in
                .init(number: c.number, designation: designationLabel(c.designation, lang),
                      clauses: c.clauseList.map { clauseLabel($0, lang) }.joined(separator: "、"),
                      cmmcLevel: c.cmmcLevel.map(String.init),
                      editURL: PageRoute.supplierContract(org: o, supplier: s.id, contract: c.id).path,
                      deleteURL: PageRoute.deleteSupplierContract(org: o, supplier: s.id, contract: c.id).path, version: c.version)
            },
            hasContracts: !contracts.isEmpty,
            requirements: requirements.map { r in
                let rec = r.listing.record
                return .init(catalog: catalogName(rec.catalog, lang), minimum: minimumLabel(rec.minimum, lang),
                             due: dayText(rec.dueOn, page), flowDown: rec.mustFlowDown != 0, contract: r.listing.contractNumber,
                             status: statusLabel(r.standing.kind, lang), statusID: r.standing.kind.rawValue,
                             overdue: r.standing.overdue,
                             editURL: PageRoute.supplierRequirement(org: o, supplier: s.id, requirement: rec.id).path,
                             deleteURL: PageRoute.deleteSupplierRequirement(org: o, supplier: s.id, requirement: rec.id).path,
                             version: rec.version)
            },
            hasRequirements: !requirements.isEmpty, canManage: page.member.role.allows(.manageSuppliers),
            contractForm: contractForm(page, action: PageRoute.supplierContracts(org: o, supplier: s.id).path,
                                       input: contractInput ?? (regime.includesUS
                                           ? WebForm(fields: ["designation": [ProtectedInformationDesignation.cui.rawValue],
                                                              "clauses": [ContractClause.dfars7012.rawValue]])
                                           : WebForm(fields: ["designation": [ProtectedInformationDesignation.protectedInformation.rawValue],
                                                              "clauses": [ContractClause.japaneseStandard.rawValue]])),
                                       version: nil, errors: contractErrors),
            requirementForm: requirementForm(page, contracts: contracts,
                                             action: PageRoute.supplierRequirements(org: o, supplier: s.id).path,
                                             input: requirementInput ?? defaultRequirementInput(page, regime: regime), version: nil,
                                             errors: requirementErrors, regime: regime))
        return web.orgView("supply-supplier", page, titleKey: "supply_supplier_title", section: Self.section, model: model,
                           request: request, status: status, title: s.name)
    }

    /// Under the Japanese standard alone the default minimum is every requirement met (no SPRS score there).
    func defaultRequirementInput(_ page: OrgPage, regime: ComplianceRegime = .us) -> WebForm {
        guard regime.includesUS else {
            return WebForm(fields: ["catalog": [CatalogID.sp800171r2.rawValue], "kind": ["all-met"],
                                    "due": [services.today(page.member).adding(days: 90).description], "flow_down": ["1"]])
        }
        return WebForm(fields: ["catalog": [CatalogID.sp800171r2.rawValue], "kind": ["sprs"], "sprs": ["88"],
                         "due": [services.today(page.member).adding(days: 90).description], "flow_down": ["1"]])
    }

    // contracts

    func createContract(_ request: Request, context: AppContext) async throws -> Response {
        let page = try await web.orgPage(request, context, .manageSuppliers)
        let form = try await web.postedForm(request, viewer: page.viewer)
        let s = try await linkedSupplier(page, context)
        do {
            let terms = try SupplyForms.contractTerms(form)
            _ = try await services.contracts(page.member).create(terms, supplierID: s.id)
        } catch let e where SupplyFormError(e) != nil {
            return try await supplierView(page, s, request: request, contractInput: form, contractErrors: errors(e, page),
                                          requirementInput: nil, requirementErrors: [:], status: .badRequest)
        }
        return WebApp.redirect(PageRoute.supplier(org: page.org, supplier: s.id).path + "?notice=saved")
    }

    /// The contract named in the path, on the link to the supplier named in the path (else the not-found page).
    func contractRecord(_ page: OrgPage, _ s: LinkedOrganization, _ context: AppContext) async throws -> ContractRecord {
        let id = try context.parameters.require("contract")
        guard let c = try await services.contracts(page.member).contracts(supplierID: s.id).first(where: { $0.id == id }) else {
            throw APIError.notFound("Contract \(id)")
        }
        return c
    }

    func editContract(_ request: Request, context: AppContext) async throws -> Response {
        let page = try await web.orgPage(request, context, .manageSuppliers)
        let s = try await linkedSupplier(page, context)
        let c = try await contractRecord(page, s, context)
        let input = WebForm(fields: ["number": [c.number], "designation": [c.designation], "clauses": c.clauseList,
                                     "cmmc_level": [c.cmmcLevel.map(String.init) ?? ""]])
        return contractEditView(page, s, c, request: request, input: input, version: c.version, errors: [:])
    }

    func contractEditView(_ page: OrgPage, _ s: LinkedOrganization, _ c: ContractRecord, request: Request, input: WebForm,
                          version: Int, errors: [String: String], status: HTTPResponse.Status = .ok) -> Response {
        let model = SupplierContractPage(
            name: s.name, number: c.number, supplierURL: PageRoute.supplier(org: page.org, supplier: s.id).path,
            form: contractForm(page, action: PageRoute.supplierContract(org: page.org, supplier: s.id, contract: c.id).path,
                               input: input, version: version, errors: errors))
        return web.orgView("supply-contract", page, titleKey: "supply_contract_edit_title", section: Self.section, model: model,
                           request: request, status: status)
    }

    /// Saves a contract's terms at the version the form was read at: a stale form (or the same form posted twice)
    /// gets the conflict page and changes nothing.
    func saveContract(_ request: Request, context: AppContext) async throws -> Response {
        let page = try await web.orgPage(request, context, .manageSuppliers)
        let form = try await web.postedForm(request, viewer: page.viewer)
        let version = try SupplyForms.version(form)
        let s = try await linkedSupplier(page, context)
        let c = try await contractRecord(page, s, context)
        do {
            _ = try await services.contracts(page.member).update(id: c.id, try SupplyForms.contractTerms(form), ifVersion: version)
        } catch let e where SupplyFormError(e) != nil {
            return contractEditView(page, s, c, request: request, input: form, version: version, errors: errors(e, page),
                                    status: .badRequest)
        }
        return WebApp.redirect(PageRoute.supplier(org: page.org, supplier: s.id).path + "?notice=saved")
    }

    func deleteContract(_ request: Request, context: AppContext) async throws -> Response {
        let page = try await web.orgPage(request, context, .manageSuppliers)
        let form = try await web.postedForm(request, viewer: page.viewer)
        let version = try SupplyForms.version(form)
        let s = try await linkedSupplier(page, context)
        let c = try await contractRecord(page, s, context)
        try await services.contracts(page.member).delete(id: c.id, ifVersion: version)
        return WebApp.redirect(PageRoute.supplier(org: page.org, supplier: s.id).path + "?notice=supply_deleted")
    }

    // requirements

    func createRequirement(_ request: Request, context: AppContext) async throws -> Response {
        let page = try await web.orgPage(request, context, .manageSuppliers)
        let form = try await web.postedForm(request, viewer: page.viewer)
        let s = try await linkedSupplier(page, context)
        do {
            _ = try await services.flowDown(page.member).create(try SupplyForms.requirementTerms(form, supplier: s.id))
        } catch let e where SupplyFormError(e) != nil {
            return try await supplierView(page, s, request: request, contractInput: nil, contractErrors: [:], requirementInput: form,
                                          requirementErrors: errors(e, page), status: .badRequest)
        }
        return WebApp.redirect(PageRoute.supplier(org: page.org, supplier: s.id).path + "?notice=saved")
    }

    /// The requirement named in the path, set on the supplier named in the path (else the not-found page).
    func requirementStanding(_ page: OrgPage, _ s: LinkedOrganization, _ context: AppContext) async throws -> RequirementStanding {
        let id = try context.parameters.require("requirement")
        let r = try await services.flowDown(page.member).requirement(id: id)
        guard r.listing.record.supplierId == s.id else { throw SupplyChainRuleError.requirementNotFound(id) }
        return r
    }

    func editRequirement(_ request: Request, context: AppContext) async throws -> Response {
        let page = try await web.orgPage(request, context, .manageSuppliers)
        let s = try await linkedSupplier(page, context)
        let r = try await requirementStanding(page, s, context)
        let rec = r.listing.record
        var fields: [String: [String]] = ["contract": [rec.contractId ?? ""], "catalog": [rec.catalog], "due": [rec.dueOn]]
        if rec.mustFlowDown != 0 { fields["flow_down"] = ["1"] }
        if rec.minimum.hasPrefix("sprs>=") {
            fields["kind"] = ["sprs"]
            fields["sprs"] = [String(rec.minimum.dropFirst("sprs>=".count))]
        } else {
            fields["kind"] = [rec.minimum]
        }
        return try await requirementEditView(page, s, r, request: request, input: WebForm(fields: fields), version: rec.version,
                                             errors: [:])
    }

    func requirementEditView(_ page: OrgPage, _ s: LinkedOrganization, _ r: RequirementStanding, request: Request, input: WebForm,
                             version: Int, errors: [String: String], status: HTTPResponse.Status = .ok) async throws -> Response {
        let contracts = try await services.contracts(page.member).contracts(supplierID: s.id)
        let regime = try await services.organizations(page.member).regimeInEffect()  // issue 17 item 3
        let model = SupplierRequirementPage(
            name: s.name, supplierURL: PageRoute.supplier(org: page.org, supplier: s.id).path,
            form: requirementForm(page, contracts: contracts,
                                  action: PageRoute.supplierRequirement(org: page.org, supplier: s.id, requirement: r.listing.record.id).path,
                                  input: input, version: version, errors: errors, regime: regime))
        return web.orgView("supply-requirement", page, titleKey: "supply_requirement_edit_title", section: Self.section, model: model,
                           request: request, status: status)
    }

    /// Saves a requirement's terms at the version the form was read at (stale or posted twice: the conflict page).
    func saveRequirement(_ request: Request, context: AppContext) async throws -> Response {
        let page = try await web.orgPage(request, context, .manageSuppliers)
        let form = try await web.postedForm(request, viewer: page.viewer)
        let version = try SupplyForms.version(form)
        let s = try await linkedSupplier(page, context)
        let r = try await requirementStanding(page, s, context)
        do {
            _ = try await services.flowDown(page.member).update(id: r.listing.record.id, try SupplyForms.requirementTerms(form, supplier: s.id),
                                                                ifVersion: version)
        } catch let e where SupplyFormError(e) != nil {
            return try await requirementEditView(page, s, r, request: request, input: form, version: version, errors: errors(e, page),
                                                 status: .badRequest)
        }
        return WebApp.redirect(PageRoute.supplier(org: page.org, supplier: s.id).path + "?notice=saved")
    }

    func deleteRequirement(_ request: Request, context: AppContext) async throws -> Response {
        let page = try await web.orgPage(request, context, .manageSuppliers)
        let form = try await web.postedForm(request, viewer: page.viewer)
        let version = try SupplyForms.version(form)
        let s = try await linkedSupplier(page, context)
        let r = try await requirementStanding(page, s, context)
        try await services.flowDown(page.member).delete(id: r.listing.record.id, ifVersion: version)
        return WebApp.redirect(PageRoute.supplier(org: page.org, supplier: s.id).path + "?notice=supply_deleted")
    }

    // MARK: the roll-up

    /// Tiers 1…N with their counts (each a link to the suppliers it counts), the SPRS distribution per tier and the
    /// families failing most (inline SVG, each with its data table), and one page of the suppliers the prime may see,
    /// filtered by tier and status.
    func rollup(_ request: Request, context: AppContext) async throws -> Response {
        let page = try await web.orgPage(request, context, .read)
        let q = try SupplyQuery(request)
        let lang = page.language, locale = page.viewer.locale, o = page.org
        let rollups = services.rollups(page.member)
        let view = try await rollups.view().view
        let members = try await rollups.members(view, tier: q.tier, status: q.status, limit: Self.pageSize, offset: q.offset)
        let statuses = SupplierStatusKind.allCases
        let base = PageRoute.supplyChain(org: o).path
        func filterURL(tier: Int?, status: SupplierStatusKind?) -> String {
            SupplyQuery(tier: tier, status: status, offset: 0).url(base)
        }
        func tierRow(_ label: String, _ tier: Int?, _ t: TierRollup) -> SupplyChainPage.TierRow {
            .init(label: label, suppliers: locale.number(t.suppliers), url: filterURL(tier: tier, status: nil),
                  counts: statuses.map { .init(count: locale.number(t.byStatus[$0] ?? 0), url: filterURL(tier: tier, status: $0)) },
                  overdue: locale.number(t.overdue), needingAction: locale.number(t.needingAction),
                  hidden: locale.number(t.hiddenNeedingAction))
        }
        let tierRows = view.tierNumbers.map { tierRow(web.messages.text("supply_tier_n", lang, ["tier": "\($0)"]), $0, view.tiers[$0]!) }
        let buckets = ScoreBucket.allCases
        let bucketLabels = buckets.map { bucketLabel($0, lang) } + [web.messages.text("supply_no_score", lang)]
        let distribution = view.tierNumbers.map { n -> SVGCharts.StackedRow in
            let t = view.tiers[n]!
            return .init(label: web.messages.text("supply_tier_n", lang, ["tier": "\(n)"]),
                         values: buckets.map { t.scoreHistogram[$0] ?? 0 } + [t.unscored])
        }
        let families = view.totals.familiesFailingMost(limit: Self.topFamilies).map { (label: familyLabel($0.family, lang), count: $0.suppliers) }
        let hidden = members.hiddenCount
        let model = SupplyChainPage(
            asOf: locale.day(view.asOf),
            summary: web.messages.text("supply_rollup_summary", lang, [
                "suppliers": locale.number(view.totals.suppliers), "tiers": "\(view.tierNumbers.count)",
                "needing": locale.number(view.totals.needingAction), "hidden": locale.number(view.totals.hiddenNeedingAction)]),
            hasSuppliers: !view.totals.isEmpty,
            statusHeaders: statuses.map { statusLabel($0, lang) },
            tiers: tierRows, total: tierRow(web.messages.text("supply_all_tiers", lang), nil, view.totals),
            distributionSVG: SVGCharts.stackedRows(
                distribution,
                series: zip(SVGCharts.scoreBucketColors + [SVGCharts.noScoreColor], bucketLabels).map { .init(color: $0.0, label: $0.1) },
                title: web.messages.text("supply_chart_distribution", lang),
                desc: web.messages.text("supply_chart_distribution_desc", lang, ["tiers": "\(distribution.count)"]), id: "chart-sprs-tiers"),
            bucketHeaders: bucketLabels,
            distribution: distribution.map { .init(label: $0.label, values: $0.values.map { locale.number($0) }) },
            familiesSVG: families.isEmpty ? nil : SVGCharts.countBars(
                Array(families), color: SVGCharts.failingColor, title: web.messages.text("supply_chart_families", lang),
                desc: web.messages.text("supply_chart_families_desc", lang, ["count": "\(families.count)"]), id: "chart-families-failing"),
            families: families.map { .init(label: $0.label, count: locale.number($0.count)) },
            hasFamilies: !families.isEmpty,
            filterURL: base,
            tierOptions: [.init(value: "", label: web.messages.text("supply_all_tiers", lang), selected: q.tier == nil)]
                + view.tierNumbers.map { .init(value: "\($0)", label: web.messages.text("supply_tier_n", lang, ["tier": "\($0)"]),
                                               selected: q.tier == $0) },
            statusOptions: [.init(value: "", label: web.messages.text("supply_all_statuses", lang), selected: q.status == nil)]
                + statuses.map { .init(value: $0.rawValue, label: statusLabel($0, lang), selected: q.status == $0) },
            members: members.entries.map { memberRow($0, page) },
            hasMembers: !members.entries.isEmpty,
            hiddenText: hidden > 0 ? web.messages.text("supply_hidden_members", lang, ["count": locale.number(hidden)]) : nil,
            pager: pager(base, q.filterItems, offset: q.offset, shown: members.entries.count, total: members.visibleTotal, lang),
            needsActionURL: PageRoute.supplyChainNeedsAction(org: o).path, suppliersURL: PageRoute.suppliers(org: o).path,
            remindersURL: PageRoute.supplyChainReminders(org: o).path,
            exports: exportLinks(o, lang))
        return web.orgView("supply-chain", page, titleKey: "supply_rollup_title", section: Self.section, model: model, request: request)
    }

    /// The roll-up as a spreadsheet through the API's own export route (a GET: the browser's session is enough).
    func exportLinks(_ o: String, _ lang: Language) -> [SupplyChainPage.ExportLink] {
        let l = lang.rawValue
        return [.init(label: web.messages.text("supply_export_xlsx", lang), url: SupplyAPILink.rollupExport(o, format: "xlsx", table: nil, lang: l))]
            + ["tiers", "families", "needs-action"].map {
                .init(label: web.messages.text("supply_export_csv_\($0.replacingOccurrences(of: "-", with: "_"))", lang),
                      url: SupplyAPILink.rollupExport(o, format: "csv", table: $0, lang: l))
            }
    }

    func memberRow(_ m: RollupMemberEntry, _ page: OrgPage) -> SupplyMemberRow {
        SupplyMemberRow(name: m.name, url: PageRoute.supplyChainSupplier(org: page.org, supplier: m.organization).path,
                        tier: "\(m.tier)", status: statusLabel(m.status, page.language), statusID: m.status.rawValue,
                        overdue: m.overdue, score: m.score.map(String.init))
    }

    /// The suppliers needing action that the prime may see, most serious first, a page at a time; the rest counted.
    func needsAction(_ request: Request, context: AppContext) async throws -> Response {
        let page = try await web.orgPage(request, context, .read)
        let offset = try SupplyQuery.offset(request)
        let lang = page.language, locale = page.viewer.locale
        let rollups = services.rollups(page.member)
        let view = try await rollups.view().view
        let p = try await rollups.needsAction(view, limit: Self.pageSize, offset: offset)
        let model = SupplyNeedsActionPage(
            entries: p.entries.map {
                SupplyMemberRow(name: $0.name ?? "", url: PageRoute.supplyChainSupplier(org: page.org, supplier: $0.organization).path,
                                tier: "\($0.tier)", status: statusLabel($0.status, lang), statusID: $0.status.rawValue,
                                overdue: $0.overdue, score: nil)
            },
            hasEntries: !p.entries.isEmpty,
            hiddenText: p.hiddenCount > 0 ? web.messages.text("supply_hidden_needing", lang, ["count": locale.number(p.hiddenCount)]) : nil,
            pager: pager(PageRoute.supplyChainNeedsAction(org: page.org).path, [], offset: offset, shown: p.entries.count,
                         total: p.visibleTotal, lang),
            supplyChainURL: PageRoute.supplyChain(org: page.org).path,
            exportURL: SupplyAPILink.rollupExport(page.org, format: "csv", table: "needs-action", lang: lang.rawValue))
        return web.orgView("supply-needs-action", page, titleKey: "supply_needs_action_title", section: Self.section, model: model,
                           request: request)
    }

    // MARK: a supplier's detail, as consent allows

    /// A supplier the organization may name — a direct supplier, or one its roll-up shows by name — with its
    /// attestation as far as consent allows: every family with `families` detail, counts only with `summary` detail,
    /// nothing but what the organization itself set when none is shared; the page says which and why. Any other id
    /// gets the not-found page, the same as an organization outside the tree.
    func detail(_ request: Request, context: AppContext) async throws -> Response {
        let page = try await web.orgPage(request, context, .read)
        let id = try context.parameters.require("supplier")
        let lang = page.language, locale = page.viewer.locale, o = page.org
        let direct = try await services.supplierLinks(page.member).suppliers().first { $0.id == id }
        let rollups = services.rollups(page.member)
        let view = try await rollups.view().view
        let member = try await rollups.visibleMember(view, supplier: id)
        guard let name = direct?.name ?? member?.name else { throw SupplyChainRuleError.supplierNotFound(id) }
        var shared: AttestationRecord?
        do { shared = try await services.attestationUseCases(page.member).shared(of: id) } catch SupplyChainRuleError.sharedAttestationNotFound {}
        var model = SupplyDetailPage(
            name: name, tier: member.map { "\($0.tier)" }, status: member.map { statusLabel($0.status, lang) },
            statusID: member?.status.rawValue, overdue: member?.overdue ?? false,
            supplierURL: direct.map { _ in PageRoute.supplier(org: o, supplier: id).path },
            supplyChainURL: PageRoute.supplyChain(org: o).path)
        if let shared {
            let p = try shared.attestationPayload()
            let families = (p.families ?? []).map {
                SupplyDetailPage.Family(label: familyLabel($0.family, lang, catalog: p.catalog), met: $0.met, notMet: $0.notMet,
                                        notApplicable: $0.notApplicable, notAssessed: $0.notAssessed)
            }
            model.attestation = .init(
                issued: locale.dateTime(shared.issuedAt), expires: locale.day(p.expiresAt), assessed: locale.day(p.assessmentDate),
                scope: p.systemScope, catalog: catalogName(p.catalog.rawValue, lang),
                kind: web.messages.text("kind_\(p.assessmentKind.rawValue.replacingOccurrences(of: "-", with: "_"))", lang),
                score: p.sprsScore.map(String.init), cmmc: p.cmmcStatus.map { cmmcLabel($0, lang) },
                met: p.totals.met, notMet: p.totals.notMet, notApplicable: p.totals.notApplicable, notAssessed: p.totals.notAssessed,
                families: families, hasFamilies: p.families != nil,
                fileURL: SupplyAPILink.sharedAttestationFile(o, supplier: id))
            if p.families == nil { model.reason = web.messages.text("supply_detail_summary_only", lang) }
        } else {
            model.reason = web.messages.text("supply_detail_not_shared", lang)
            if direct != nil {
                let set = try await services.flowDown(page.member).requirements(supplierID: id)
                model.counts = web.messages.text("supply_detail_counts", lang, [
                    "requirements": "\(set.count)", "unmet": "\(set.filter { $0.standing.kind.failsMinimum }.count)",
                    "overdue": "\(set.filter(\.standing.overdue).count)"])
            }
        }
        return web.orgView("supply-detail", page, titleKey: "supply_detail_title", section: Self.section, model: model, request: request,
                           title: name)
    }

    // MARK: forms

    func contractForm(_ page: OrgPage, action: String, input: WebForm, version: Int?, errors: [String: String]) -> SupplyContractForm {
        let lang = page.language
        let chosen = Set(input.values("clauses"))
        return SupplyContractForm(
            action: action, number: input["number"],
            designations: ProtectedInformationDesignation.allCases.map {
                .init(value: $0.rawValue, label: designationLabel($0.rawValue, lang), selected: $0.rawValue == input["designation"])
            },
            clauses: ContractClause.allCases.map { .init(value: $0.rawValue, label: clauseLabel($0.rawValue, lang), checked: chosen.contains($0.rawValue)) },
            cmmcLevels: [.init(value: "", label: web.messages.text("supply_cmmc_none", lang), selected: input["cmmc_level"].isEmpty)]
                + (1...3).map { .init(value: "\($0)", label: web.messages.text("supply_cmmc_level", lang, ["level": "\($0)"]),
                                      selected: input["cmmc_level"] == "\($0)") },
            version: version, errors: errors, hasErrors: !errors.isEmpty)
    }

    /// `regime` (issue 17 item 3): under the Japanese standard alone the SPRS and CMMC minimums are not offered (a
    /// stored one stays selectable while it is being edited) and the SPRS score field is left out.
    func requirementForm(_ page: OrgPage, contracts: [ContractRecord], action: String, input: WebForm, version: Int?,
                         errors: [String: String], regime: ComplianceRegime = .us) -> SupplyRequirementForm {
        let lang = page.language
        let kinds = ["sprs", "all-met", "cmmc-l2"].filter { regime.includesUS || $0 == "all-met" || $0 == input["kind"] }
        var form = SupplyRequirementForm(
            action: action,
            contracts: [.init(value: "", label: web.messages.text("supply_no_contract", lang), selected: input["contract"].isEmpty)]
                + contracts.map { .init(value: $0.id, label: $0.number, selected: $0.id == input["contract"]) },
            catalogs: requirementCatalogs.map {
                .init(value: $0.id.rawValue, label: $0.name[lang], selected: $0.id.rawValue == input["catalog"])
            },
            kinds: kinds.map {
                .init(value: $0, label: web.messages.text("supply_kind_\($0.replacingOccurrences(of: "-", with: "_"))", lang),
                      selected: $0 == input["kind"])
            },
            sprs: input["sprs"], due: input["due"], flowDown: input.has("flow_down"), version: version, errors: errors,
            hasErrors: !errors.isEmpty)
        form.sprsShown = regime.includesUS || input["kind"] == "sprs"
        return form
    }

    /// Catalogs a requirement may name: SP 800-171 (rev2 first: the only one with SPRS values) and any other
    /// requirements catalog the library holds, such as the Japanese standard once imported; not the frameworks
    /// assessed through a crosswalk (CSF 2.0, SP 800-53).
    var requirementCatalogs: [Catalog] {
        func rank(_ c: Catalog) -> (Int, String) { ([CatalogID.sp800171r2, .sp800171r3].firstIndex(of: c.id) ?? 2, c.id.rawValue) }
        return services.library.catalogs.values.filter { $0.id != .csf2 && $0.id != .sp80053r5 }.sorted { rank($0) < rank($1) }
    }

    /// A use case's refusal of a form as messages by field (the refusals `SupplyFormError` knows).
    func errors(_ e: Error, _ page: OrgPage) -> [String: String] {
        guard let f = SupplyFormError(e) else { return [:] }
        return [f.field: web.messages.text(f.key, page.language)]
    }

    // MARK: labels (message catalogs)

    func statusLabel(_ s: SupplierStatusKind, _ lang: Language) -> String {
        web.messages.text(SupplyLabels.statusKey(s), lang)
    }

    func designationLabel(_ raw: String, _ lang: Language) -> String {
        ProtectedInformationDesignation(rawValue: raw).map { web.messages.text(SupplyLabels.designationKey($0), lang) } ?? raw
    }

    func clauseLabel(_ raw: String, _ lang: Language) -> String {
        ContractClause(rawValue: raw).map { web.messages.text(SupplyLabels.clauseKey($0), lang) } ?? raw
    }

    func bucketLabel(_ b: ScoreBucket, _ lang: Language) -> String { web.messages.text(SupplyLabels.bucketKey(b), lang) }

    func cmmcLabel(_ raw: String, _ lang: Language) -> String {
        AttestationPayload.cmmcStatuses.contains(raw) ? web.messages.text(SupplyLabels.cmmcKey(raw), lang) : raw
    }

    func minimumLabel(_ stored: String, _ lang: Language) -> String {
        if stored.hasPrefix("sprs>=") {
            return web.messages.text("supply_minimum_sprs", lang, ["score": String(stored.dropFirst("sprs>=".count))])
        }
        return ["all-met", "cmmc-l2"].contains(stored)
            ? web.messages.text("supply_kind_\(stored.replacingOccurrences(of: "-", with: "_"))", lang) : stored
    }

    func catalogName(_ id: String, _ lang: Language) -> String { services.library.catalogs[CatalogID(id)]?.name[lang] ?? id }

    /// A family id (`3.1`, `03.01`) as "3.1 Access Control" from the catalog (SP 800-171 rev2 unless given).
    func familyLabel(_ id: String, _ lang: Language, catalog: CatalogID = .sp800171r2) -> String {
        guard let f = services.library.catalogs[catalog]?.families.first(where: { $0.id == id }) else { return id }
        return "\(id) \(f.title[lang])"
    }

    func dayText(_ text: String, _ page: OrgPage) -> String { Day(text).map { page.viewer.locale.day($0) } ?? text }

    /// "1–100 / 5,321" with links to the previous and next page, the filter kept; nil when everything fits on one page.
    func pager(_ base: String, _ filter: [(String, String)], offset: Int, shown: Int, total: Int, _ lang: Language) -> SupplyPager? {
        guard offset > 0 || total > shown else { return nil }
        func url(_ o: Int) -> String { SupplyQuery.url(base, filter + (o > 0 ? [("offset", "\(o)")] : [])) }
        return SupplyPager(
            text: web.messages.text("supply_page_range", lang, ["from": "\(shown == 0 ? offset : offset + 1)", "to": "\(offset + shown)",
                                                                "total": "\(total)"]),
            previousURL: offset > 0 ? url(max(0, offset - Self.pageSize)) : nil,
            nextURL: offset + shown < total && shown > 0 ? url(offset + Self.pageSize) : nil)
    }
}

/// Message keys built from the supply chain's enums (`SupplyChainPageTests` checks each exists in both catalogs).
enum SupplyLabels {
    static func snake(_ raw: String) -> String { raw.replacingOccurrences(of: "-", with: "_").replacingOccurrences(of: ".", with: "_") }
    static func statusKey(_ s: SupplierStatusKind) -> String { "supply_status_" + snake(s.rawValue) }
    static func designationKey(_ d: ProtectedInformationDesignation) -> String { "supply_designation_" + snake(d.rawValue) }
    static func clauseKey(_ c: ContractClause) -> String { "supply_clause_" + snake(c.rawValue) }
    static func bucketKey(_ b: ScoreBucket) -> String { "supply_bucket_" + snake(b.rawValue) }
    static func cmmcKey(_ raw: String) -> String { "supply_cmmc_" + snake(raw) }

    static var allKeys: [String] {
        SupplierStatusKind.allCases.map(statusKey) + ProtectedInformationDesignation.allCases.map(designationKey)
            + ContractClause.allCases.map(clauseKey) + ScoreBucket.allCases.map(bucketKey) + AttestationPayload.cmmcStatuses.sorted().map(cmmcKey)
            + ["tiers", "families", "needs_action"].map { "supply_export_csv_" + $0 }
            + ["sprs", "all_met", "cmmc_l2"].map { "supply_kind_" + $0 }
            + ["revoked", "removed", "deleted", "dismissed"].map { "notice_supply_" + $0 }
            + Reminder.Kind.storedTexts.map { "supply_reminder_" + snake($0) }
            + DeliveryStatus.allCases.map { "supply_delivery_" + $0.rawValue }
            + SupplyFormError.keys
    }
}

/// Links from these pages into the API's GET routes (the session cookie is enough for a GET; `AttestationRoutes`).
enum SupplyAPILink {
    static func rollupExport(_ o: String, format: String, table: String?, lang: String) -> String {
        "/api/v1/organizations/\(o)/rollup/export?format=\(format)" + (table.map { "&table=\($0)" } ?? "") + "&lang=\(lang)"
    }

    static func sharedAttestationFile(_ o: String, supplier: String) -> String {
        "/api/v1/organizations/\(o)/supplier-attestations/\(supplier.addingPercentEncoding(withAllowedCharacters: segment) ?? supplier)/export"
    }

    /// What a path segment keeps unencoded (RFC 3986 `pchar` without `/`), as `PageRoute.path` encodes.
    static let segment: CharacterSet = {
        var allowed = CharacterSet.urlPathAllowed
        allowed.remove(charactersIn: "/;")
        return allowed
    }()
}

/// The roll-up page's query: tier (1…), status (a `SupplierStatusKind`) and offset; anything else is a bad request
/// (the error page), never a silently different list.
struct SupplyQuery: Sendable {
    let tier: Int?
    let status: SupplierStatusKind?
    let offset: Int

    init(tier: Int?, status: SupplierStatusKind?, offset: Int) {
        self.tier = tier
        self.status = status
        self.offset = offset
    }

    init(_ request: Request) throws {
        let q = request.uri.queryParameters
        let tier = q["tier"].map(String.init) ?? ""
        let status = q["status"].map(String.init) ?? ""
        if tier.isEmpty { self.tier = nil } else {
            guard let t = Int(tier), t >= 1 else { throw WebError.badForm }
            self.tier = t
        }
        if status.isEmpty { self.status = nil } else {
            guard let s = SupplierStatusKind(rawValue: status) else { throw WebError.badForm }
            self.status = s
        }
        offset = try Self.offset(request)
    }

    static func offset(_ request: Request) throws -> Int {
        guard let raw = request.uri.queryParameters["offset"].map(String.init), !raw.isEmpty else { return 0 }
        guard let o = Int(raw), o >= 0, o <= 10_000_000 else { throw WebError.badForm }
        return o
    }

    /// The filter as query items (offset apart).
    var filterItems: [(String, String)] {
        (tier.map { [("tier", "\($0)")] } ?? []) + (status.map { [("status", $0.rawValue)] } ?? [])
    }

    func url(_ base: String) -> String { Self.url(base, filterItems + (offset > 0 ? [("offset", "\(offset)")] : [])) }

    static func url(_ base: String, _ items: [(String, String)]) -> String {
        guard !items.isEmpty else { return base }
        return base + "?" + items.map { "\($0.0)=\($0.1.addingPercentEncoding(withAllowedCharacters: unreserved) ?? "")" }
            .joined(separator: "&")
    }

    /// RFC 3986 unreserved characters: kept as they are in a query value (`below-minimum`).
    static let unreserved: CharacterSet = {
        var allowed = CharacterSet(charactersIn: "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789")
        allowed.insert(charactersIn: "-._~")
        return allowed
    }()
}

/// Reading the supply-chain forms into the use cases' terms. Only the shape is checked here (a number is a number);
/// every rule is the use case's.
enum SupplyForms {
    /// The version a form was read at (hidden field): required, so an update or deletion is never unconditional.
    static func version(_ form: WebForm) throws -> Int {
        guard let v = Int(form["version"].trimmed) else { throw WebError.badForm }
        return v
    }

    static func contractTerms(_ form: WebForm) throws -> ContractTerms {
        let level = form["cmmc_level"].trimmed
        var cmmc: Int?
        if !level.isEmpty {
            guard let l = Int(level) else { throw SupplyFormError(field: "cmmc_level", key: "supply_error_choice") }
            cmmc = l
        }
        return ContractTerms(number: form["number"], designation: form["designation"], clauses: form.values("clauses"), cmmcLevel: cmmc)
    }

    static func requirementTerms(_ form: WebForm, supplier: String) throws -> RequirementTerms {
        let minimum: String
        switch form["kind"] {
        case "sprs":
            guard let n = Int(form["sprs"].trimmed) else { throw SupplyFormError(field: "sprs", key: "supply_error_sprs") }
            minimum = "sprs>=\(n)"
        case "all-met", "cmmc-l2": minimum = form["kind"]
        default: throw SupplyFormError(field: "kind", key: "supply_error_choice")
        }
        let contract = form["contract"].trimmed
        return RequirementTerms(supplierID: supplier, contractID: contract.isEmpty ? nil : contract, catalog: form["catalog"],
                                minimum: minimum, dueOn: form["due"].trimmed, mustFlowDown: form.has("flow_down"))
    }
}

/// A refusal shown beside a form's field: the field and the message key saying what to do. Built from the use
/// cases' own refusals (`SupplyChainRuleError`, `SupplyChainError`, `RelationshipError`); nil for the others, which
/// become error pages (`PageErrorMiddleware`: not found, conflict …).
struct SupplyFormError: Error, Sendable {
    let field: String
    let key: String

    init(field: String, key: String) {
        self.field = field
        self.key = key
    }

    static let keys = ["supply_error_days", "supply_error_email", "supply_error_note", "supply_error_choice", "supply_error_minimum",
                       "supply_error_sprs", "supply_error_due", "supply_error_number", "supply_error_no_clauses",
                       "supply_error_cmmc_without_clause", "supply_error_cmmc_level_required", "supply_error_cui_7012",
                       "supply_error_japanese_designation", "supply_error_japanese_clause", "supply_error_sprs_catalog",
                       "supply_error_duplicate_number"]

    init?(_ error: any Error) {
        switch error {
        case let e as SupplyFormError: self = e
        case let e as SupplyChainRuleError:
            switch e {
            case .invitationLifetime: self.init(field: "days", key: "supply_error_days")
            case .unknownDesignation: self.init(field: "designation", key: "supply_error_choice")
            case .unknownClause: self.init(field: "clauses", key: "supply_error_choice")
            case .badMinimum: self.init(field: "sprs", key: "supply_error_minimum")
            case .badDueDate: self.init(field: "due", key: "supply_error_due")
            case .unknownCatalog: self.init(field: "catalog", key: "supply_error_choice")
            default: return nil
            }
        case let e as SupplyChainError:
            switch e {
            case .emptyContractNumber: self.init(field: "number", key: "supply_error_number")
            case .noClauses: self.init(field: "clauses", key: "supply_error_no_clauses")
            case .cmmcLevelWithoutClause: self.init(field: "cmmc_level", key: "supply_error_cmmc_without_clause")
            case .cmmcClauseWithoutLevel: self.init(field: "cmmc_level", key: "supply_error_cmmc_level_required")
            case .cmmcLevelOutOfRange: self.init(field: "cmmc_level", key: "supply_error_choice")
            case .cuiWithoutDFARS7012: self.init(field: "clauses", key: "supply_error_cui_7012")
            case .japaneseClauseWithoutDesignation: self.init(field: "designation", key: "supply_error_japanese_designation")
            case .japaneseDesignationWithoutClause: self.init(field: "clauses", key: "supply_error_japanese_clause")
            case .sprsMinimumOutOfRange: self.init(field: "sprs", key: "supply_error_minimum")
            case .minimumNeedsSPRSCatalog: self.init(field: "catalog", key: "supply_error_sprs_catalog")
            case .emptyContractReference: self.init(field: "contract", key: "supply_error_choice")
            default: return nil
            }
        case let e as RelationshipError:
            switch e {
            case .duplicateContractNumber: self.init(field: "number", key: "supply_error_duplicate_number")
            case .contractNotOnLink: self.init(field: "contract", key: "supply_error_choice")
            case .noteTooLong: self.init(field: "note", key: "supply_error_note")
            case .invalidLifetime: self.init(field: "days", key: "supply_error_days")
            default: return nil
            }
        default: return nil
        }
    }
}
