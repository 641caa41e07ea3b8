import Foundation
import Hummingbird
import HTTPTypes
import TekigoCore
import TekigoStore
import TekigoUseCases

/// Across the chain, in the browser (issue 15 item 5): `/o/{org}/supply-chain/cloud` lists the cloud providers the
/// organization's suppliers depend on, each with its standing in the platform's registry and the suppliers by name
/// and tier — only those whose signed attestation the organization may already see (`CloudChainQueries`). Read only.
struct CloudChainPages {
    let web: WebApp
    var services: Services { web.services }

    func register(_ pages: RouterGroup<AppContext>) {
        pages.get(PageRoute.supplyChainCloud(org: .key).pattern, use: dependencies)
    }

    func dependencies(_ request: Request, _ context: AppContext) async throws -> Response {
        let page = try await web.orgPage(request, context, .read)
        let t = web.messages, lang = page.language
        let list = try await CloudChainQueries(services.tenantEnvironment, page.member.scope).dependencies()
        let model = CloudChainDependenciesPage(
            providers: list.map { d in
                var standing: [String] = []
                if let list = d.list { standing.append(list) }
                if let s = d.status { standing.append(s) }
                if let l = d.impactLevel { standing.append(l) }
                if let v = d.validThrough, let day = Day(v) {
                    standing.append(t.text("cloud_chain_valid_through", lang, ["day": page.viewer.locale.day(day)]))
                }
                return .init(ref: d.ref, title: d.title ?? t.text("cloud_chain_not_in_registry", lang),
                             standing: standing.isEmpty ? t.text("cloud_chain_not_in_registry", lang) : standing.joined(separator: " — "),
                             meets: d.meets, verdict: t.text(d.meets ? "cloud_chain_meets" : "cloud_chain_does_not_meet", lang),
                             suppliers: d.suppliers.map { .init(name: $0.name, tier: t.text("cloud_chain_tier", lang, ["tier": "\($0.tier)"])) },
                             count: "\(d.suppliers.count)")
            },
            hasProviders: !list.isEmpty,
            rollupURL: PageRoute.supplyChain(org: page.org).path,
            apiURL: "/api/v1/organizations/\(page.org)/rollup/cloud")
        return web.orgView("cloud-chain-dependencies", page, titleKey: "cloud_chain_title", section: SupplyChainPages.section,
                           model: model, request: request)
    }
}

struct CloudChainDependenciesPage: PageModel {
    struct Supplier: Encodable, Sendable {
        let name: String
        let tier: String
    }
    struct Provider: Encodable, Sendable {
        let ref: String
        let title: String
        let standing: String
        let meets: Bool
        let verdict: String
        let suppliers: [Supplier]
        let count: String
    }
    let providers: [Provider]
    let hasProviders: Bool
    let rollupURL: String
    let apiURL: String
}
