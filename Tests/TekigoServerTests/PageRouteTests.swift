import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing
@testable import TekigoServer

/// Typed page routes (issue #16 item 2): every `PageRoute` is registered, once per method, under its own `pattern`,
/// every registered page is a `PageRoute`, and every link (`path`) is routed by Hummingbird to its own pattern with
/// its own values, so a link can never point at a route that does not exist.
@Suite("Page routes")
struct PageRouteTests {
    static let org = "0b6f1c1e-5d2a-4c47-9a39-2f4f8e0c7d11"
    static let assessment = "7c0e9a52-3b8f-4f0e-8d1c-6a2b9e4d5f33"
    static let sup = "5a5a5a5a-1111-4222-8333-444455556677"
    static let inc = "1c1d1e1f-2222-4333-8444-555566667777"

    /// One of every case, with values shaped like the real ones (lower-case UUIDs, requirement numbers of both revisions).
    static let samples: [PageRoute] = [
        .home, .login, .loginSecondFactor, .logout, .settings, .enrolMFA, .setup, .acceptInvitation,
        .organization(org: org), .systems(org: org), .system(org: org, system: "5a5a5a5a-0000-4000-8000-000000000017"),
        .systemDelete(org: org, system: "5a5a5a5a-0000-4000-8000-000000000017"), .assessments(org: org), .assessment(org: org, assessment: assessment),
        .requirement(org: org, assessment: assessment, requirement: "3.1.1"),
        .resultsPosted(org: org, assessment: assessment), .poam(org: org, assessment: assessment),
        .poamItem(org: org, assessment: assessment, requirement: "03.01.01"), .exports(org: org, assessment: assessment),
        .assessmentWorkbook(org: org, assessment: assessment),
        .members(org: org), .organizationTimeZone(org: org), .organizationRegime(org: org), .removeMember(org: org, user: "5e1d2c3b-aaaa-4bbb-8ccc-123456789abc"),
        .revokeInvitation(org: org, invitation: "9f8e7d6c-1111-4222-8333-444455556666"), .tokens(org: org),
        .changeMemberRole(org: org, user: "5e1d2c3b-aaaa-4bbb-8ccc-123456789abc"),
        .resetMemberMFA(org: org, user: "5e1d2c3b-aaaa-4bbb-8ccc-123456789abc"),
        .resendInvitation(org: org, invitation: "9f8e7d6c-1111-4222-8333-444455556666"),
        .revokeToken(org: org, token: "c0ffee00-0000-4000-8000-000000000001"), .audit(org: org), .jobs(org: org),
        .job(org: org, job: "d00dfeed-0000-4000-8000-000000000002"), .jobResult(org: org, job: "d00dfeed-0000-4000-8000-000000000002"),
        .catalogs(org: org), .catalogItemTable(org: org),
        .supplierInvitation, .customers(org: org), .grantCustomerConsent(org: org, customer: "4c1d2e3f-bbbb-4ccc-8ddd-0123456789ab"),
        .withdrawCustomerConsent(org: org, customer: "4c1d2e3f-bbbb-4ccc-8ddd-0123456789ab"), .attestations(org: org),
        .attestationPreview(org: org), .attestationFile(org: org, attestation: "a77e5700-0000-4000-8000-000000000003"),
        .signingKeysFile(org: org),
        .suppliers(org: org), .revokeSupplierInvitation(org: org, invitation: String(repeating: "ab", count: 32)),
        .supplier(org: org, supplier: sup), .removeSupplier(org: org, supplier: sup), .supplierContracts(org: org, supplier: sup),
        .supplierContract(org: org, supplier: sup, contract: "c0c0c0c0-0000-4000-8000-000000000004"),
        .deleteSupplierContract(org: org, supplier: sup, contract: "c0c0c0c0-0000-4000-8000-000000000004"),
        .supplierRequirements(org: org, supplier: sup),
        .supplierRequirement(org: org, supplier: sup, requirement: "feedf00d-0000-4000-8000-000000000005"),
        .deleteSupplierRequirement(org: org, supplier: sup, requirement: "feedf00d-0000-4000-8000-000000000005"),
        .incidentRegisters(org: org, incident: "2c2d2e2f-3333-4444-8555-666677778888"),
        .incidentRegisterSamples(org: org, incident: "2c2d2e2f-3333-4444-8555-666677778888"),
        .incidentSampleArchive(org: org, incident: "2c2d2e2f-3333-4444-8555-666677778888", sample: String(repeating: "a1", count: 32)),
        .incidentSampleDispose(org: org, incident: "2c2d2e2f-3333-4444-8555-666677778888", sample: String(repeating: "a1", count: 32)),
        .incidentSampleTransfers(org: org, incident: "2c2d2e2f-3333-4444-8555-666677778888"),
        .incidentRegisterMedia(org: org, incident: "2c2d2e2f-3333-4444-8555-666677778888"),
        .incidentMediaReplace(org: org, incident: "2c2d2e2f-3333-4444-8555-666677778888", media: "3d3e3f40-4444-4555-8666-777788889999"),
        .incidentMediaDispose(org: org, incident: "2c2d2e2f-3333-4444-8555-666677778888", media: "3d3e3f40-4444-4555-8666-777788889999"),
        .incidentRegisterCustody(org: org, incident: "2c2d2e2f-3333-4444-8555-666677778888"),
        .incidentDoDRequests(org: org, incident: "2c2d2e2f-3333-4444-8555-666677778888"),
        .incidentDoDResponses(org: org, incident: "2c2d2e2f-3333-4444-8555-666677778888", request: "4e4f5051-5555-4666-8777-88889999aaaa"),
        .supplyChain(org: org), .supplyChainNeedsAction(org: org), .supplyChainSupplier(org: org, supplier: sup),
        .supplyChainReminders(org: org), .dismissSupplyReminder(org: org), .supplyChainWebhooks(org: org),
        .supplyChainCloud(org: org),
        .deleteSupplyWebhook(org: org, webhook: "0e0e0e0e-0000-4000-8000-000000000006"),
        .incidentNotices(org: org), .incidentNotice(org: org, notice: "0a0a0a0a-0000-4000-8000-000000000011"),
        .acknowledgeIncidentNotice(org: org, notice: "0a0a0a0a-0000-4000-8000-000000000011"),
        .forwardIncidentNotice(org: org, notice: "0a0a0a0a-0000-4000-8000-000000000011"), .incidentNoticeSettings(org: org),
        .cloudServices(org: org), .cloudService(org: org, service: "c10dc10d-0000-4000-8000-000000000021"),
        .cloudServiceDelete(org: org, service: "c10dc10d-0000-4000-8000-000000000021"),
        .evidenceLibrary(org: org), .evidenceItemNew(org: org), .evidenceAttach(org: org),
        .evidenceItem(org: org, item: "e1e1e1e1-0000-4000-8000-000000000025"),
        .evidenceItemEdit(org: org, item: "e1e1e1e1-0000-4000-8000-000000000025"),
        .evidenceItemDelete(org: org, item: "e1e1e1e1-0000-4000-8000-000000000025"),
        .evidenceItemDetach(org: org, item: "e1e1e1e1-0000-4000-8000-000000000025"),
        .cloudServiceEvaluations(org: org, service: "c10dc10d-0000-4000-8000-000000000021"),
        .cloudServiceCommitments(org: org, service: "c10dc10d-0000-4000-8000-000000000021"),
        .cloudRegistry(org: org), .cloudRegistryProduct(org: org, product: "F1302201919"),
        .cloudRegistryImport(org: org, job: "c10dc10d-0000-4000-8000-000000000022"), .cloudRegistryISMAP(org: org),
        .cloudRegistryISMAPRecord(org: org, number: "C23-0001-2"), .cloudRegistryISMAPDelete(org: org, number: "C23-0001-2"),
        .cloudServiceMatrix(org: org, service: "c10dc10d-0000-4000-8000-000000000021"),
        .requirementInheritance(org: org, assessment: assessment, requirement: "3.10.1"),
        .requirementConfirm(org: org, assessment: assessment, requirement: "3.1.1"),
        .incidentNoticeSend(org: org, incident: "0b0b0b0b-0000-4000-8000-000000000012"),
        .incidentReadiness(org: org), .readinessCertificates(org: org),
        .deleteReadinessCertificate(org: org, certificate: "c3c3c3c3-0000-4000-8000-000000000031"), .readinessPlan(org: org),
        .renewReadinessCertificate(org: org, certificate: "c3c3c3c3-0000-4000-8000-000000000031"),
        .readinessContacts(org: org), .deleteReadinessContact(org: org, contact: "c4c4c4c4-0000-4000-8000-000000000032"),
        .readinessChannels(org: org),
        .incidents(org: org), .newIncident(org: org), .incident(org: org, incident: inc), .editIncident(org: org, incident: inc),
        .incidentPhase(org: org, incident: inc), .incidentTimeline(org: org, incident: inc), .incidentSubmissions(org: org, incident: inc),
        .incidentReport(org: org, incident: inc), .incidentReportFields(org: org, incident: inc),
        .incidentSTIX(org: org, incident: inc), .incidentSettings(org: org), .incidentHours(org: org), .incidentTeam(org: org),
        .incidentShare(org: org, incident: inc), .incidentSharePreview(org: org, incident: inc), .incidentSharePublish(org: org, incident: inc),
        .incidentShareRecord(org: org, incident: inc, share: "5e6f7081-0000-4000-8000-000000000014"),
        .incidentShareEvidence(org: org, incident: inc, share: "5e6f7081-0000-4000-8000-000000000014"),
        .incidentObservables(org: org, incident: inc),
        .incidentObservableDelete(org: org, incident: inc, observable: "6f708192-0000-4000-8000-000000000014"),
        .revokeIncidentTeam(org: org, user: "5e1d2c3b-aaaa-4bbb-8ccc-123456789abc"),
        .exercises(org: org), .exerciseFrequency(org: org), .exercise(org: org, exercise: inc), .exerciseStart(org: org, exercise: inc),
        .exerciseEntries(org: org, exercise: inc), .exerciseComplete(org: org, exercise: inc), .exerciseEvidence(org: org, exercise: inc),
        .exercisePOAM(org: org, exercise: inc, entry: "0c0c0c0c-0000-4000-8000-000000000013"),
        // Sharing (issue 14).
        .sharing(org: org), .sharingCommunities(org: org), .sharingFeeds(org: org),
        .sharingSearch(org: org), .sharingSearchExport(org: org),
        .sharingCollection(org: org, collection: "3c4d5e6f-0000-4000-8000-000000000014"),
        .sharingCollectionExport(org: org, collection: "3c4d5e6f-0000-4000-8000-000000000014"),
        .sharingObject(org: org, collection: "3c4d5e6f-0000-4000-8000-000000000014", object: "indicator--4d5e6f70-0000-4000-8000-000000000014"),
        .sharingSighting(org: org, collection: "3c4d5e6f-0000-4000-8000-000000000014", object: "indicator--4d5e6f70-0000-4000-8000-000000000014"),
        .sharingCommunity(org: org, community: "acme-suppliers"), .sharingCommunityInvite(org: org, community: "acme-suppliers"),
        .sharingCommunityWithdraw(org: org, community: "acme-suppliers", invitation: "1a2b3c4d-0000-4000-8000-000000000014"),
        .sharingCommunityMember(org: org, community: "acme-suppliers", member: sup),
        .sharingCommunityRemoveMember(org: org, community: "acme-suppliers", member: sup),
        .sharingCommunityCollections(org: org, community: "acme-suppliers"),
        .sharingCommunityAccess(org: org, community: "acme-suppliers", collection: "2b3c4d5e-0000-4000-8000-000000000014"),
        .sharingCommunityListing(org: org, community: "acme-suppliers"), .sharingCommunityLeave(org: org, community: "acme-suppliers"),
        .sharingInvitation(org: org, invitation: "1a2b3c4d-0000-4000-8000-000000000014"),
        .sharingFeed(org: org, feed: "5e6f7081-0000-4000-8000-000000000014"),
        .sharingFeedPull(org: org, feed: "5e6f7081-0000-4000-8000-000000000014"),
        .sharingFeedEnabled(org: org, feed: "5e6f7081-0000-4000-8000-000000000014"),
        .sharingFeedInterval(org: org, feed: "5e6f7081-0000-4000-8000-000000000014"),
        .sharingFeedDelete(org: org, feed: "5e6f7081-0000-4000-8000-000000000014"),
    ]

    /// The methods each page answers. The switch is exhaustive: a new case does not compile until it is listed here
    /// (and then the checks below fail until it has a sample and a registration).
    static func methods(_ route: PageRoute) -> Set<HTTPRequest.Method> {
        switch route {
        case .home, .organization, .assessment, .audit, .jobs, .job, .jobResult, .poam: [.get]
        case .system: [.get, .post]
        case .systemDelete: [.post]
        case .evidenceLibrary, .evidenceItem: [.get]
        case .evidenceItemNew, .evidenceItemEdit, .evidenceItemDelete: [.get, .post]
        case .evidenceItemDetach, .evidenceAttach: [.post]
        case .incidentRegisters: [.get]
        case .incidentSampleArchive: [.get, .post]
        case .incidentRegisterSamples, .incidentSampleDispose, .incidentSampleTransfers, .incidentRegisterMedia, .incidentMediaReplace,
             .incidentMediaDispose, .incidentRegisterCustody, .incidentDoDRequests, .incidentDoDResponses: [.post]
        case .supplier, .supplyChain, .supplyChainNeedsAction, .supplyChainSupplier, .supplyChainReminders: [.get]
        case .supplyChainCloud: [.get]
        case .dismissSupplyReminder, .supplyChainWebhooks, .deleteSupplyWebhook: [.post]
        case .incidentNotices, .incidentNotice: [.get]
        case .acknowledgeIncidentNotice, .forwardIncidentNotice, .incidentNoticeSettings: [.post]
        case .incidentNoticeSend: [.get, .post]
        case .exercises, .exerciseEvidence: [.get, .post]
        case .exercise: [.get]
        case .exerciseFrequency, .exerciseStart, .exerciseEntries, .exerciseComplete, .exercisePOAM: [.post]
        case .revokeSupplierInvitation, .supplierContracts, .deleteSupplierContract, .supplierRequirements,
             .deleteSupplierRequirement: [.post]
        case .suppliers, .removeSupplier, .supplierContract, .supplierRequirement: [.get, .post]
        case .customers, .attestationPreview, .attestationFile, .signingKeysFile: [.get]
        case .grantCustomerConsent, .withdrawCustomerConsent: [.post]
        case .supplierInvitation, .attestations: [.get, .post]
        case .logout, .resultsPosted, .organizationTimeZone, .organizationRegime, .removeMember, .revokeInvitation, .revokeToken: [.post]
        case .changeMemberRole, .resetMemberMFA, .resendInvitation: [.post]
        case .newIncident, .incident, .incidentReport, .incidentSTIX, .incidentSettings: [.get]
        case .incidentReportFields: [.get, .post]
        case .incidentShare, .incidentShareRecord: [.get]
        case .incidentSharePreview, .incidentSharePublish, .incidentShareEvidence, .incidentObservables, .incidentObservableDelete: [.post]
        case .incidentPhase, .incidentTimeline, .incidentSubmissions, .incidentHours, .incidentTeam, .revokeIncidentTeam: [.post]
        case .incidents, .editIncident: [.get, .post]
        case .incidentReadiness: [.get]
        case .cloudServices, .cloudService: [.get, .post]
        case .cloudServiceDelete, .cloudServiceEvaluations, .cloudServiceCommitments: [.post]
        case .cloudRegistry, .cloudRegistryISMAP, .cloudRegistryISMAPRecord, .cloudRegistryISMAPDelete: [.get, .post]
        case .cloudRegistryProduct, .cloudRegistryImport: [.get]
        case .cloudServiceMatrix, .requirementInheritance, .requirementConfirm: [.post]
        case .sharing: [.get]
        case .sharingSearch, .sharingSearchExport, .sharingCollection, .sharingCollectionExport, .sharingObject: [.get]
        case .sharingSighting: [.post]
        case .sharingCommunities, .sharingFeeds: [.get, .post]
        case .sharingFeed: [.get]
        case .sharingFeedPull, .sharingFeedEnabled, .sharingFeedInterval, .sharingFeedDelete: [.post]
        case .sharingCommunity: [.get]
        case .sharingCommunityInvite, .sharingCommunityWithdraw, .sharingCommunityMember, .sharingCommunityRemoveMember,
             .sharingCommunityCollections, .sharingCommunityAccess, .sharingCommunityListing, .sharingCommunityLeave,
             .sharingInvitation: [.post]
        case .readinessCertificates, .deleteReadinessCertificate, .renewReadinessCertificate, .readinessPlan, .readinessContacts, .deleteReadinessContact,
             .readinessChannels: [.post]
        case .login, .loginSecondFactor, .settings, .enrolMFA, .setup, .acceptInvitation, .systems, .assessments, .requirement,
             .poamItem, .exports, .assessmentWorkbook, .members, .tokens, .catalogs, .catalogItemTable: [.get, .post]
        }
    }

    /// The case's name without its values (`requirement` for `.requirement(org: …)`).
    static func name(_ route: PageRoute) -> String {
        String(String(describing: route).prefix { $0 != "(" })
    }

    /// Every registration the server makes for its pages, in order, as `on` is called (a router's table lists a
    /// method and pattern once; Hummingbird's own router stops the process at a second handler for them).
    final class Recorder: RouterMethods, @unchecked Sendable {
        typealias Context = AppContext
        private let lock = NSLock()
        private var calls: [(method: HTTPRequest.Method, pattern: String)] = []
        var registered: [(method: HTTPRequest.Method, pattern: String)] { lock.withLock { calls } }

        @discardableResult func on<Responder: HTTPResponder>(_ path: RouterPath, method: HTTPRequest.Method,
                                                             responder: Responder) -> Self where Responder.Context == AppContext {
            lock.withLock { calls.append((method, path.description)) }
            return self
        }

        func add(middleware: any MiddlewareProtocol<Request, Response, AppContext>) -> Self { self }
    }

    @Test("Every case is registered under its pattern exactly once per method, and every registered page is a case")
    func everyCaseRegisteredOnce() async throws {
        #expect(Set(Self.samples.map(Self.name)).count == Self.samples.count, "one sample per case")
        #expect(Set(Self.samples.map(\.pattern.description)).count == Self.samples.count, "no two cases share a pattern")
        let (_, services) = try await TestServer.make(.sqlite)
        let recorder = Recorder()
        registerPages(on: recorder, web: WebApp(services: services, assets: try await WebAssets.load()))
        await services.db.close()
        let registered = recorder.registered
        for route in Self.samples {
            let methods = registered.filter { $0.pattern == route.pattern.description }.map(\.method)
            #expect(methods.count == Set(methods).count, "\(route.pattern) registered twice for one method: \(methods)")
            #expect(Set(methods) == Self.methods(route), "\(route.pattern) answers \(methods), expected \(Self.methods(route))")
        }
        let patterns = Set(Self.samples.map(\.pattern.description))
        let strays = registered.filter { !patterns.contains($0.pattern) }.map(\.pattern)
        #expect(strays == [RouterPath("/static/:file").description], "pages registered without a PageRoute: \(strays)")
        let expected: Int = Self.samples.reduce(1) { (sum: Int, route: PageRoute) in sum + Self.methods(route).count }
        #expect(registered.count == expected)
    }

    @Test("Every link is routed to its own pattern with its own values")
    func linksMatchTheirPatterns() async throws {
        let router = Router(context: BasicRequestContext.self)
        for route in Self.samples {
            let names = route.segments.compactMap { if case .parameter(let name, _) = $0 { name } else { nil } }
            router.get(route.pattern) { _, context in
                ([route.pattern.description] + names.map { "\($0)=\(context.parameters.get($0) ?? "-")" }).joined(separator: " ")
            }
        }
        try await Application(router: router).test(.router) { client in
            for route in Self.samples {
                let values = route.segments.compactMap { if case .parameter(let name, let value) = $0 { "\(name)=\(value)" } else { nil } }
                let r = try await client.execute(uri: route.path, method: .get)
                #expect(r.status == .ok && String(buffer: r.body) == ([route.pattern.description] + values).joined(separator: " "),
                        "\(route.path) reached \(String(buffer: r.body))")
            }
        }
        // The patterns and links the browser test and the other page tests use are unchanged.
        #expect(PageRoute.home.path == "/" && PageRoute.loginSecondFactor.path == "/login/mfa" && PageRoute.enrolMFA.path == "/account/mfa")
        #expect(PageRoute.requirement(org: "o", assessment: "a", requirement: "3.1.1").path == "/o/o/assessments/a/requirements/3.1.1")
        #expect(PageRoute.removeMember(org: .key, user: .key).pattern.description
                == RouterPath("/o/:org/members/:user/remove").description)
        // Values are percent-encoded where a path segment needs it (a slash never splits a value into two segments).
        #expect(PageRoute.poamItem(org: "a b", assessment: "x/y", requirement: "3.1.1?").path == "/o/a%20b/assessments/x%2Fy/poam/3.1.1%3F")
    }

    @Test("isPage keeps its rule: every page's link is a page, the API and the files are not")
    func isPage() {
        for route in Self.samples { #expect(PageRoute.isPage(route.path), "\(route.path)") }
        // The rule as it was before the typed routes.
        func before(_ p: String) -> Bool {
            p == "/" || p.hasPrefix("/o/") || p.hasPrefix("/account/") || p == "/logout" || p.hasPrefix("/login") || p == "/setup"
        }
        for p in ["/", "/login", "/login/mfa", "/loginx", "/logout", "/logout/x", "/setup", "/setup/", "/account/", "/account",
                  "/o/", "/o", "/org", "/api/v1/me", "/api/v1/organizations/x/assessments", "/healthz", "/readyz", "/metrics",
                  "/static/app.css", "/openapi.json", ""] {
            #expect(PageRoute.isPage(p) == before(p), "\(p)")
        }
    }
}
