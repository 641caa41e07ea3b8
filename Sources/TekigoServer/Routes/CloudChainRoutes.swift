import Foundation
import Hummingbird
import HTTPTypes
import TekigoCore
import TekigoStore
import TekigoUseCases

// MARK: - views

struct CloudDependentSupplierView: Encodable, Sendable {
    let id: String
    let name: String
    let tier: Int
}

struct CloudProviderDependencyView: Encodable, Sendable {
    let ref: String
    let title: String?
    let list: String?
    let status: String?
    let impactLevel: String?
    let validThrough: String?
    let meets: Bool
    let suppliers: [CloudDependentSupplierView]

    init(_ d: CloudProviderDependency) {
        ref = d.ref
        title = d.title
        list = d.list
        status = d.status
        impactLevel = d.impactLevel
        validThrough = d.validThrough
        meets = d.meets
        suppliers = d.suppliers.map { CloudDependentSupplierView(id: $0.id, name: $0.name, tier: $0.tier) }
    }
}

struct CloudDependenciesView: Encodable, Sendable {
    let providers: [CloudProviderDependencyView]
}

/// The cloud providers the organization's suppliers depend on (issue 15 item 5), within consent:
/// `GET /api/v1/organizations/{org}/rollup/cloud`.
struct CloudChainRoutes {
    let services: Services

    func register(_ router: Router<AppContext>) {
        let org = router.group("/api/v1/organizations/:org", context: SignedInContext.self)
            .add(middleware: TenantMiddleware(services: services))
            .group(context: TenantContext.self)
        org.get("/rollup/cloud", use: dependencies)
    }

    func dependencies(_ request: Request, context: TenantContext) async throws -> JSONResponse<CloudDependenciesView> {
        let m = try context.membership(for: .read)
        let list = try await CloudChainQueries(services.tenantEnvironment, m.scope).dependencies()
        return JSONResponse(value: CloudDependenciesView(providers: list.map(CloudProviderDependencyView.init)))
    }
}
