import Foundation
import Hummingbird
import HummingbirdTesting
import Testing
import TekigoCore
import TekigoTestSupport
import Yams
@testable import TekigoServer

/// The served OpenAPI document describes exactly the routes the server registers, and its request bodies match the
/// `StrictBody` types the handlers decode.
///
/// Where the registered routes come from: Hummingbird's `Router.routes` on a router filled by `registerRoutes`, the
/// function `buildApplication` uses. A route added to any collection without being documented fails
/// `documentedRoutesEqualRegisteredRoutes`; a new route collection added to Application.swift fails
/// `everyRouteCollectionIsChecked` until it is listed here too.
@Suite("OpenAPI document")
struct OpenAPIDocumentTests {
    static let methods: Set<String> = ["get", "put", "post", "delete", "patch", "head", "options", "trace"]

    /// The route collections `buildApplication` registers, registered on a fresh router.
    static let routeCollections = ["OperationsRoutes", "AccountRoutes", "TenantRoutes", "SupplierRoutes", "AttestationRoutes",
                                   "ReminderRoutes", "IncidentRoutes", "IncidentNoticeRoutes", "ExerciseRoutes", "CommunityRoutes", "SharingRoutes",
                                   "IncidentRegisterRoutes", "ReadinessRoutes", "CloudServiceRoutes",
                                   "IncidentShareRoutes", "FeedRoutes",
                                   "CloudChainRoutes", "CloudRegistryRoutes", "AssessmentWorkbookRoutes",
                                   "EvidenceLibraryRoutes", "ItemTableRoutes", "OfficialWordingRoutes"]

    static func registeredRoutes(_ services: Services) -> Set<String> {
        let router = Router(context: AppContext.self)
        registerRoutes(on: router, services: services)
        return Set(router.routes.map { "\($0.method.rawValue) \($0.path.description)" })
    }

    /// GET /openapi.yaml through the real application; returns the raw bytes, the parsed document and the routes
    /// the server registers.
    static func servedDocument() async throws -> (raw: Data, document: [String: Any], registered: Set<String>) {
        let (app, services) = try await TestServer.make(.sqlite)
        let registered = registeredRoutes(services)
        let raw: Data
        do {
            raw = try await app.test(.router) { client -> Data in
                let response = try await client.execute(uri: "/openapi.yaml", method: .get)
                #expect(response.status == .ok)
                #expect(response.headers[.contentType]?.hasPrefix("application/yaml") == true)
                return Data(buffer: response.body)
            }
        } catch {
            await services.db.close()
            throw error
        }
        await services.db.close()
        let text = try #require(String(data: raw, encoding: .utf8))
        let document = try #require(plain(try Yams.load(yaml: text)) as? [String: Any], "the document is not a YAML mapping")
        return (raw, document, registered)
    }

    /// Yams gives `[AnyHashable: Any]` mappings; turn them into `[String: Any]` all the way down.
    static func plain(_ value: Any?) -> Any? {
        switch value {
        case let m as [AnyHashable: Any]:
            return Dictionary(uniqueKeysWithValues: m.map { ("\($0.key.base)", plain($0.value) as Any) })
        case let a as [Any]:
            return a.map { plain($0) as Any }
        default:
            return value
        }
    }

    static func documentedRoutes(_ document: [String: Any]) throws -> Set<String> {
        let paths = try #require(document["paths"] as? [String: Any])
        var routes: Set<String> = []
        for (path, item) in paths {
            let operations = try #require(item as? [String: Any], "path item \(path)")
            for method in operations.keys where methods.contains(method) {
                routes.insert("\(method.uppercased()) \(path)")
            }
        }
        return routes
    }

    @Test("Every registered route is documented, and every documented route is registered")
    func documentedRoutesEqualRegisteredRoutes() async throws {
        let (_, document, registered) = try await Self.servedDocument()
        #expect(document["openapi"] as? String == "3.1.0")
        let documented = try Self.documentedRoutes(document)
        #expect(registered.count > 10, "the router reported only \(registered.count) routes")
        let undocumented = registered.subtracting(documented).sorted()
        let unregistered = documented.subtracting(registered).sorted()
        #expect(undocumented.isEmpty, "routes missing from openapi.yaml: \(undocumented)")
        #expect(unregistered.isEmpty, "openapi.yaml documents routes the server does not have: \(unregistered)")
    }

    @Test("buildApplication registers exactly the route collections this test checks")
    func everyRouteCollectionIsChecked() throws {
        let source = try String(contentsOf: TestEnvironment.packageRoot
            .appendingPathComponent("Sources/TekigoServer/Application.swift"), encoding: .utf8)
        let pattern = try NSRegularExpression(pattern: #"(\w+)\s*\(\s*services:\s*\w+\s*\)\s*\.register\(\s*router\s*\)"#)
        let found = pattern.matches(in: source, range: NSRange(source.startIndex..., in: source)).compactMap {
            Range($0.range(at: 1), in: source).map { String(source[$0]) }
        }
        #expect(!found.isEmpty, "no `X(services: services).register(router)` calls found in Application.swift")
        #expect(Set(found) == Set(Self.routeCollections),
                "Application.swift registers \(found.sorted()); add new route collections to OpenAPIDocumentTests.registeredRoutes")
    }

    @Test("The served document is the one in Sources/TekigoServer/Resources")
    func servedDocumentIsTheSourceFile() async throws {
        let (raw, _, _) = try await Self.servedDocument()
        let source = try Data(contentsOf: TestEnvironment.packageRoot
            .appendingPathComponent("Sources/TekigoServer/Resources/openapi.yaml"))
        #expect(raw == source, "the bundled openapi.yaml differs from the source file: rebuild")
    }

    /// The `StrictBody` type each JSON request body is decoded as.
    static let bodies: [(route: String, fields: Set<String>, decode: @Sendable (Data) throws -> Void)] = [
        ("PUT /api/v1/organizations/{org}/incidents/{incident}/report-fields", IncidentReportFields.fields,
         { _ = try JSONDecoder().decode(IncidentReportFields.self, from: $0) }),
        ("POST /api/v1/setup", SetupBody.fields, { _ = try JSONDecoder().decode(SetupBody.self, from: $0) }),
        ("POST /api/v1/session", LoginBody.fields, { _ = try JSONDecoder().decode(LoginBody.self, from: $0) }),
        ("POST /api/v1/me/mfa/confirm", CodeBody.fields, { _ = try JSONDecoder().decode(CodeBody.self, from: $0) }),
        ("POST /api/v1/organizations", OrganizationBody.fields, { _ = try JSONDecoder().decode(OrganizationBody.self, from: $0) }),
        ("PATCH /api/v1/organizations/{org}", OrganizationPatchBody.fields,
         { _ = try JSONDecoder().decode(OrganizationPatchBody.self, from: $0) }),
        ("PUT /api/v1/organizations/{org}/members", MemberBody.fields, { _ = try JSONDecoder().decode(MemberBody.self, from: $0) }),
        ("PUT /api/v1/organizations/{org}/members/{user}", MemberRoleBody.fields,
         { _ = try JSONDecoder().decode(MemberRoleBody.self, from: $0) }),
        ("POST /api/v1/organizations/{org}/member-invitations", MemberInvitationBody.fields,
         { _ = try JSONDecoder().decode(MemberInvitationBody.self, from: $0) }),
        ("POST /api/v1/member-invitations/accept", AcceptMemberInvitationBody.fields,
         { _ = try JSONDecoder().decode(AcceptMemberInvitationBody.self, from: $0) }),
        ("POST /api/v1/organizations/{org}/systems", SystemBody.fields, { _ = try JSONDecoder().decode(SystemBody.self, from: $0) }),
        ("PUT /api/v1/organizations/{org}/systems/{system}", SystemBody.fields, { _ = try JSONDecoder().decode(SystemBody.self, from: $0) }),
        ("POST /api/v1/organizations/{org}/assessments", AssessmentBody.fields,
         { _ = try JSONDecoder().decode(AssessmentBody.self, from: $0) }),
        ("PUT /api/v1/organizations/{org}/assessments/{assessment}/results-posted", ResultsPostedBody.fields,
         { _ = try JSONDecoder().decode(ResultsPostedBody.self, from: $0) }),
        ("PUT /api/v1/organizations/{org}/assessments/{assessment}/findings/{objective}", FindingBody.fields,
         { _ = try JSONDecoder().decode(FindingBody.self, from: $0) }),
        ("POST /api/v1/organizations/{org}/tokens", TokenBody.fields, { _ = try JSONDecoder().decode(TokenBody.self, from: $0) }),
        ("POST /api/v1/organizations/{org}/supplier-invitations", InvitationBody.fields,
         { _ = try JSONDecoder().decode(InvitationBody.self, from: $0) }),
        ("POST /api/v1/organizations/{org}/customer-invitations/accept", AcceptInvitationBody.fields,
         { _ = try JSONDecoder().decode(AcceptInvitationBody.self, from: $0) }),
        ("POST /api/v1/organizations/{org}/suppliers/{supplier}/contracts", ContractBody.fields,
         { _ = try JSONDecoder().decode(ContractBody.self, from: $0) }),
        ("PUT /api/v1/organizations/{org}/contracts/{contract}", ContractBody.fields,
         { _ = try JSONDecoder().decode(ContractBody.self, from: $0) }),
        ("POST /api/v1/organizations/{org}/requirements", RequirementBody.fields,
         { _ = try JSONDecoder().decode(RequirementBody.self, from: $0) }),
        ("PUT /api/v1/organizations/{org}/requirements/{requirement}", RequirementBody.fields,
         { _ = try JSONDecoder().decode(RequirementBody.self, from: $0) }),
        ("POST /api/v1/organizations/{org}/attestations", AttestationBody.fields,
         { _ = try JSONDecoder().decode(AttestationBody.self, from: $0) }),
        ("PUT /api/v1/organizations/{org}/consents/{viewer}", ConsentBody.fields,
         { _ = try JSONDecoder().decode(ConsentBody.self, from: $0) }),
        ("POST /api/v1/organizations/{org}/webhooks", WebhookBody.fields,
         { _ = try JSONDecoder().decode(WebhookBody.self, from: $0) }),
        ("POST /api/v1/organizations/{org}/incidents/{incident}/notices", NoticeSendBody.fields,
         { _ = try JSONDecoder().decode(NoticeSendBody.self, from: $0) }),
        ("PUT /api/v1/organizations/{org}/incident-notice-settings", NoticeSettingsBody.fields,
         { _ = try JSONDecoder().decode(NoticeSettingsBody.self, from: $0) }),
        ("POST /api/v1/organizations/{org}/incidents", IncidentBody.fields,
         { _ = try JSONDecoder().decode(IncidentBody.self, from: $0) }),
        ("PUT /api/v1/organizations/{org}/incidents/{incident}", IncidentBody.fields,
         { _ = try JSONDecoder().decode(IncidentBody.self, from: $0) }),
        ("POST /api/v1/organizations/{org}/incidents/{incident}/phase", IncidentPhaseBody.fields,
         { _ = try JSONDecoder().decode(IncidentPhaseBody.self, from: $0) }),
        ("POST /api/v1/organizations/{org}/incidents/{incident}/timeline", IncidentTimelineBody.fields,
         { _ = try JSONDecoder().decode(IncidentTimelineBody.self, from: $0) }),
        ("POST /api/v1/organizations/{org}/incidents/{incident}/submissions", IncidentSubmissionBody.fields,
         { _ = try JSONDecoder().decode(IncidentSubmissionBody.self, from: $0) }),
        ("PUT /api/v1/organizations/{org}/incident-settings", IncidentHourSettingBody.fields,
         { _ = try JSONDecoder().decode(IncidentHourSettingBody.self, from: $0) }),
        ("POST /api/v1/organizations/{org}/incidents/{incident}/malware/{sha256}/archive", ArchiveBody.fields,
         { _ = try JSONDecoder().decode(ArchiveBody.self, from: $0) }),
        ("POST /api/v1/organizations/{org}/incidents/{incident}/malware/{sha256}/transfers", TransferBody.fields,
         { _ = try JSONDecoder().decode(TransferBody.self, from: $0) }),
        ("POST /api/v1/organizations/{org}/incidents/{incident}/media", MediaBody.fields,
         { _ = try JSONDecoder().decode(MediaBody.self, from: $0) }),
        ("POST /api/v1/organizations/{org}/incidents/{incident}/custody", CustodyBody.fields,
         { _ = try JSONDecoder().decode(CustodyBody.self, from: $0) }),
        ("POST /api/v1/organizations/{org}/incidents/{incident}/dod-requests", DoDRequestBody.fields,
         { _ = try JSONDecoder().decode(DoDRequestBody.self, from: $0) }),
        ("POST /api/v1/organizations/{org}/incidents/{incident}/dod-requests/{request}/responses", DoDResponseBody.fields,
         { _ = try JSONDecoder().decode(DoDResponseBody.self, from: $0) }),
        ("PUT /api/v1/organizations/{org}/incidents/{incident}/media/{media}", MediaReplaceBody.fields,
         { _ = try JSONDecoder().decode(MediaReplaceBody.self, from: $0) }),
        ("POST /api/v1/organizations/{org}/exercises", ExercisePlanBody.fields,
         { _ = try JSONDecoder().decode(ExercisePlanBody.self, from: $0) }),
        ("PUT /api/v1/organizations/{org}/exercise-settings", ExerciseFrequencyBody.fields,
         { _ = try JSONDecoder().decode(ExerciseFrequencyBody.self, from: $0) }),
        ("POST /api/v1/organizations/{org}/sharing/feeds", FeedSubscribeBody.fields,
         { _ = try JSONDecoder().decode(FeedSubscribeBody.self, from: $0) }),
        ("PATCH /api/v1/organizations/{org}/sharing/feeds/{feed}", FeedUpdateBody.fields,
         { _ = try JSONDecoder().decode(FeedUpdateBody.self, from: $0) }),
        ("POST /api/v1/organizations/{org}/sharing/collections/{collection}/objects/{object}/sightings", SharingSightingBody.fields,
         { _ = try JSONDecoder().decode(SharingSightingBody.self, from: $0) }),
        ("POST /api/v1/organizations/{org}/sharing/communities", CommunityCreateBody.fields, { _ = try JSONDecoder().decode(CommunityCreateBody.self, from: $0) }),
        ("POST /api/v1/organizations/{org}/sharing/invitations/{invitation}/accept", CommunityAcceptBody.fields,
         { _ = try JSONDecoder().decode(CommunityAcceptBody.self, from: $0) }),
        ("POST /api/v1/organizations/{org}/sharing/communities/{community}/invitations", CommunityInviteBody.fields,
         { _ = try JSONDecoder().decode(CommunityInviteBody.self, from: $0) }),
        ("PUT /api/v1/organizations/{org}/sharing/communities/{community}/members/{member}", CommunityMemberBody.fields,
         { _ = try JSONDecoder().decode(CommunityMemberBody.self, from: $0) }),
        ("POST /api/v1/organizations/{org}/sharing/communities/{community}/collections", CommunityCollectionBody.fields,
         { _ = try JSONDecoder().decode(CommunityCollectionBody.self, from: $0) }),
        ("PUT /api/v1/organizations/{org}/sharing/communities/{community}/collections/{collection}/access/{member}", CommunityAccessBody.fields,
         { _ = try JSONDecoder().decode(CommunityAccessBody.self, from: $0) }),
        ("PUT /api/v1/organizations/{org}/sharing/communities/{community}/listing", CommunityListingBody.fields,
         { _ = try JSONDecoder().decode(CommunityListingBody.self, from: $0) }),
        ("POST /api/v1/organizations/{org}/exercises/{exercise}/entries", ExerciseEntryBody.fields,
         { _ = try JSONDecoder().decode(ExerciseEntryBody.self, from: $0) }),
        ("POST /api/v1/organizations/{org}/exercises/{exercise}/complete", ExerciseCompleteBody.fields,
         { _ = try JSONDecoder().decode(ExerciseCompleteBody.self, from: $0) }),
        ("POST /api/v1/organizations/{org}/exercises/{exercise}/evidence", ExerciseEvidenceBody.fields,
         { _ = try JSONDecoder().decode(ExerciseEvidenceBody.self, from: $0) }),
        ("POST /api/v1/organizations/{org}/exercises/{exercise}/entries/{entry}/poam", ExercisePOAMBody.fields,
         { _ = try JSONDecoder().decode(ExercisePOAMBody.self, from: $0) }),
        ("POST /api/v1/organizations/{org}/incidents/{incident}/observables", IncidentObservableBody.fields,
         { _ = try JSONDecoder().decode(IncidentObservableBody.self, from: $0) }),
        ("POST /api/v1/organizations/{org}/incidents/{incident}/share-preview", IncidentShareBody.fields,
         { _ = try JSONDecoder().decode(IncidentShareBody.self, from: $0) }),
        ("POST /api/v1/organizations/{org}/incidents/{incident}/shares", IncidentShareBody.fields,
         { _ = try JSONDecoder().decode(IncidentShareBody.self, from: $0) }),
        ("POST /api/v1/organizations/{org}/incidents/{incident}/shares/{share}/evidence", IncidentShareEvidenceBody.fields,
         { _ = try JSONDecoder().decode(IncidentShareEvidenceBody.self, from: $0) }),
        ("POST /api/v1/organizations/{org}/incident-readiness/certificates", CertificateBody.fields,
         { _ = try JSONDecoder().decode(CertificateBody.self, from: $0) }),
        ("PUT /api/v1/organizations/{org}/incident-readiness/certificates/{certificate}", CertificateBody.fields,
         { _ = try JSONDecoder().decode(CertificateBody.self, from: $0) }),
        ("PUT /api/v1/organizations/{org}/incident-readiness/plan", PlanBody.fields,
         { _ = try JSONDecoder().decode(PlanBody.self, from: $0) }),
        ("POST /api/v1/organizations/{org}/incident-readiness/contacts", ContactBody.fields,
         { _ = try JSONDecoder().decode(ContactBody.self, from: $0) }),
        ("PUT /api/v1/organizations/{org}/incident-readiness/contacts/{contact}", ContactBody.fields,
         { _ = try JSONDecoder().decode(ContactBody.self, from: $0) }),
        ("PUT /api/v1/organizations/{org}/incident-readiness/channels", ChannelsBody.fields,
         { _ = try JSONDecoder().decode(ChannelsBody.self, from: $0) }),
        ("POST /api/v1/organizations/{org}/evidence-library", EvidenceItemBody.fields,
         { _ = try JSONDecoder().decode(EvidenceItemBody.self, from: $0) }),
        ("PUT /api/v1/organizations/{org}/evidence-library/{item}", EvidenceItemBody.fields,
         { _ = try JSONDecoder().decode(EvidenceItemBody.self, from: $0) }),
        ("POST /api/v1/organizations/{org}/evidence-library/{item}/attachments", EvidenceAttachmentBody.fields,
         { _ = try JSONDecoder().decode(EvidenceAttachmentBody.self, from: $0) }),
        ("POST /api/v1/organizations/{org}/cloud-services", CloudServiceBody.fields,
         { _ = try JSONDecoder().decode(CloudServiceBody.self, from: $0) }),
        ("PUT /api/v1/organizations/{org}/cloud-services/{service}", CloudServiceBody.fields,
         { _ = try JSONDecoder().decode(CloudServiceBody.self, from: $0) }),
        ("POST /api/v1/organizations/{org}/cloud-services/{service}/evaluations", CloudEvaluationBody.fields,
         { _ = try JSONDecoder().decode(CloudEvaluationBody.self, from: $0) }),
        ("PUT /api/v1/organizations/{org}/cloud-services/{service}/commitments", CloudCommitmentsBody.fields,
         { _ = try JSONDecoder().decode(CloudCommitmentsBody.self, from: $0) }),
        ("POST /api/v1/cloud/ismap", ISMAPBody.fields, { _ = try JSONDecoder().decode(ISMAPBody.self, from: $0) }),
        ("PUT /api/v1/cloud/ismap/{number}", ISMAPBody.fields, { _ = try JSONDecoder().decode(ISMAPBody.self, from: $0) }),
        ("POST /api/v1/organizations/{org}/assessments/{assessment}/requirements/{requirement}/inheritance", InheritanceConfirmBody.fields,
         { _ = try JSONDecoder().decode(InheritanceConfirmBody.self, from: $0) }),
    ]

    @Test("Each JSON request body lists exactly the StrictBody fields, refuses others, and requires what Swift requires")
    func requestBodiesMatchStrictBodies() async throws {
        let (_, document, _) = try await Self.servedDocument()
        let schemas = try #require((document["components"] as? [String: Any])?["schemas"] as? [String: Any])
        let paths = try #require(document["paths"] as? [String: Any])
        func resolve(_ schema: [String: Any]) throws -> [String: Any] {
            guard let ref = schema["$ref"] as? String else { return schema }
            let name = String(try #require(ref.split(separator: "/").last))
            return try resolve(try #require(schemas[name] as? [String: Any], "\(ref) does not resolve"))
        }
        /// A value the schema accepts (the first enum value that is not null, its example, or a value of the first non-null type).
        func sample(_ raw: [String: Any]) throws -> Any {
            let schema = try resolve(raw)
            if let values = schema["enum"] as? [Any], let first = values.first(where: { !($0 is NSNull) }) { return first }
            if let example = schema["example"] { return example }
            let types = (schema["type"] as? [String]) ?? [(schema["type"] as? String) ?? "string"]
            switch types.first(where: { $0 != "null" }) ?? "string" {
            case "integer": return 1
            case "number": return 1.5
            case "boolean": return true
            case "array":
                return [try sample((schema["items"] as? [String: Any]) ?? [:])]
            case "object":
                var object: [String: Any] = [:]
                for name in (schema["required"] as? [String]) ?? [] {
                    object[name] = try sample(((schema["properties"] as? [String: Any])?[name] as? [String: Any]) ?? [:])
                }
                return object
            default:
                return schema["format"] as? String == "date" ? "2026-11-27" : "x"
            }
        }
        var checked: Set<String> = []
        for (path, item) in paths {
            for (method, operation) in (item as? [String: Any]) ?? [:] where Self.methods.contains(method) {
                let route = "\(method.uppercased()) \(path)"
                let content = ((operation as? [String: Any])?["requestBody"] as? [String: Any])?["content"] as? [String: Any]
                guard let json = content?["application/json"] as? [String: Any] else { continue }
                let body = try #require(Self.bodies.first { $0.route == route }, "\(route) takes JSON but the test does not know its type")
                checked.insert(route)
                let schema = try resolve(try #require(json["schema"] as? [String: Any]))
                #expect(schema["type"] as? String == "object", "\(route)")
                #expect(schema["additionalProperties"] as? Bool == false, "\(route) must refuse unknown members")
                let properties = try #require(schema["properties"] as? [String: Any], "\(route)")
                #expect(Set(properties.keys) == body.fields, "\(route): documented \(properties.keys.sorted()), Swift accepts \(body.fields.sorted())")
                let required = Set((schema["required"] as? [String]) ?? [])
                // Every member present: Swift decodes it. Each member removed in turn: Swift refuses exactly the required ones.
                var full: [String: Any] = [:]
                for (name, p) in properties { full[name] = try sample(try #require(p as? [String: Any])) }
                #expect(throws: Never.self, "\(route): a body with every member does not decode") {
                    try body.decode(try JSONSerialization.data(withJSONObject: full))
                }
                for name in properties.keys {
                    var partial = full
                    partial[name] = nil
                    let refused = (try? body.decode(try JSONSerialization.data(withJSONObject: partial))) == nil
                    #expect(refused == required.contains(name),
                            "\(route): '\(name)' is \(required.contains(name) ? "" : "not ")required in openapi.yaml, but Swift \(refused ? "requires" : "does not require") it")
                }
            }
        }
        #expect(checked == Set(Self.bodies.map(\.route)), "routes with a StrictBody that openapi.yaml does not give a JSON body")
    }

    @Test("openapi-spec-validator accepts the document",
          .enabled(if: TestEnvironment.runValidatorTests, "needs .venv-validators (scripts/validators.sh) and ../shared/data"))
    func validatorAccepts() async throws {
        let (raw, _, _) = try await Self.servedDocument()
        let dir = try TestEnvironment.temporaryDirectory("tekigo-openapi")
        let file = dir.appendingPathComponent("openapi.yaml")
        try raw.write(to: file)
        let result = try runProcess(try TestEnvironment.validator("openapi-spec-validator"), [file.path])
        #expect(result.status == 0, "openapi-spec-validator: \(result.stdout)\(result.stderr)")
    }
}
