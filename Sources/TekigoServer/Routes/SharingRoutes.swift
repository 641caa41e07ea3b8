import Foundation
import Hummingbird
import HTTPTypes
import NIOCore
import TekigoCore
import TekigoSTIX
import TekigoStore
import TekigoUseCases

// MARK: - views

public struct SharingTextView: Encodable, Sendable {
    let en: String
    let ja: String
    init(_ t: LocalizedText) { en = t.en; ja = t.ja }
}

/// One stored object version. `publishedBy` is `your-organization` or `another-member`: which organization published
/// it is never said otherwise (community membership is private).
public struct SharingObjectAPIView: Encodable, Sendable {
    let collectionId: String
    let collectionTitle: String
    let id: String
    let type: String
    let version: String
    let dateAdded: String
    /// `clear`, `green`, `amber`, `amber+strict`, `red`, or `none` without a TLP marking.
    let tlp: String
    let cui: Bool
    let summary: String
    let cves: [String]
    let publishedBy: String
    /// The object as stored.
    let object: JSONValue?

    public init(_ o: SharingObjectView) {
        collectionId = o.collectionID
        collectionTitle = o.collectionTitle
        id = o.objectID
        type = o.type
        version = o.version
        dateAdded = o.dateAdded
        tlp = o.tlp.rawValue
        cui = o.cui
        summary = o.summary
        cves = o.cves
        publishedBy = o.publisher.rawValue
        object = try? JSONDecoder().decode(JSONValue.self, from: Data(o.json.utf8))
    }
}

/// What a search found. Public: `tekigo stix search --json` prints the same shape.
public struct SharingSearchAPIView: Encodable, Sendable {
    struct Understood: Encodable, Sendable {
        let kind: String
        let value: String
        let label: SharingTextView
    }
    let understood: Understood
    let objects: [SharingObjectAPIView]
    let truncated: Bool

    public init(_ r: SharingSearchResult) {
        understood = Understood(kind: r.understood.kind.rawValue, value: r.understood.value, label: SharingTextView(r.understood.kind.label))
        objects = r.objects.map(SharingObjectAPIView.init)
        truncated = r.truncated
    }
}

struct SharingObjectHistoryAPIView: Encodable, Sendable {
    let collectionId: String
    let collectionTitle: String
    let id: String
    let type: String
    /// Oldest to newest.
    let versions: [SharingObjectAPIView]
    /// Relationships and sightings in any collection the organization may read that point at the object.
    let pointing: [SharingObjectAPIView]
}

struct SharingSightingAPIView: Encodable, Sendable {
    let sightingId: String
    let statusId: String
}

// MARK: - bodies

/// "We saw this too": `tlp` clear / green / amber / amber+strict / red, never less restrictive than the object's;
/// `nameOrganization` names the caller's organization as where it was sighted (default false).
struct SharingSightingBody: StrictBody {
    static let fields: Set<String> = ["count", "firstSeen", "lastSeen", "nameOrganization", "tlp"]
    let count: Int?
    let firstSeen: String?
    let lastSeen: String?
    let nameOrganization: Bool?
    let tlp: String
}

/// The sharing workspace over the JSON API (issue 14 item 6): search by value, one object's history, a sighting, and
/// exports of a collection or a search as CSV or a STIX bundle. Thin over `SharingWorkspace`, which applies the
/// audience filter (TLP:RED, CUI, can_read) and refuses an external auditor.
struct SharingRoutes {
    let services: Services

    func register(_ router: Router<AppContext>) {
        let org = router.group("/api/v1/organizations/:org", context: SignedInContext.self)
            .add(middleware: TenantMiddleware(services: services))
            .group(context: TenantContext.self)
        org.get("/sharing/search", use: search)
        org.get("/sharing/search/export", use: searchExport)
        org.get("/sharing/collections/:collection/objects/:object", use: object)
        org.post("/sharing/collections/:collection/objects/:object/sightings", use: sight)
        org.get("/sharing/collections/:collection/export", use: collectionExport)
    }

    func workspace(_ context: TenantContext) throws -> SharingWorkspace {
        let m = try context.membership(for: .read)
        var readOnly = false
        if case .token(_, let t, _) = context.identity, t.scope == "read" { readOnly = true }
        return SharingWorkspace(services.tenantEnvironment, m.scope, personID: context.identity.user.id, readOnly: readOnly)
    }

    static func parameter(_ request: Request, _ name: String) -> String {
        request.uri.queryParameters[Substring(name)].map(String.init) ?? ""
    }

    func search(_ request: Request, context: TenantContext) async throws -> JSONResponse<SharingSearchAPIView> {
        let q = Self.parameter(request, "q")
        guard !q.isEmpty else { throw APIError.invalid(field: "q", message: "Give the value to search for as q.").ja("検索する値を q で指定してください。") }
        return JSONResponse(value: SharingSearchAPIView(try await workspace(context).search(q)))
    }

    func object(_ request: Request, context: TenantContext) async throws -> JSONResponse<SharingObjectHistoryAPIView> {
        let h = try await workspace(context).object(collection: try context.parameters.require("collection"),
                                                    objectID: try context.parameters.require("object"))
        return JSONResponse(value: SharingObjectHistoryAPIView(collectionId: h.collection.id, collectionTitle: h.collection.title,
                                                               id: h.objectID, type: h.type, versions: h.versions.map(SharingObjectAPIView.init),
                                                               pointing: h.pointing.map(SharingObjectAPIView.init)))
    }

    func sight(_ request: Request, context: TenantContext) async throws -> JSONResponse<SharingSightingAPIView> {
        let ws = try workspace(context)
        let b = try await request.decodeStrict(SharingSightingBody.self, context: context)
        guard let tlp = TLPMarking(rawValue: b.tlp) else {
            throw APIError.invalid(field: "tlp", message: "tlp must be clear, green, amber, amber+strict or red.").ja("tlp は clear・green・amber・amber+strict・red のいずれかにしてください。")
        }
        func time(_ text: String?, _ field: String) throws -> Date? {
            guard let text else { return nil }
            guard let d = TAXIITime.parse(text) else { throw APIError.invalid(field: field, message: "\(field) must be an RFC 3339 time.").ja("\(field) は RFC 3339 形式の日時にしてください。") }
            return d
        }
        let draft = SharingSightingDraft(count: b.count, firstSeen: try time(b.firstSeen, "firstSeen"), lastSeen: try time(b.lastSeen, "lastSeen"),
                                         nameOrganization: b.nameOrganization ?? false, tlp: tlp)
        let r = try await ws.sight(collection: try context.parameters.require("collection"), objectID: try context.parameters.require("object"), draft)
        return JSONResponse(value: SharingSightingAPIView(sightingId: r.sightingID, statusId: r.status.id), status: .created)
    }

    static func format(_ request: Request) throws -> SharingWorkspace.ExportFormat {
        let f = parameter(request, "format")
        if f.isEmpty { return .csv }
        guard let format = SharingWorkspace.ExportFormat(rawValue: f) else {
            throw APIError.invalid(field: "format", message: "format must be csv or stix.").ja("format は csv か stix にしてください。")
        }
        return format
    }

    static func download(_ file: SharingExportFile) -> Response {
        Response(status: .ok, headers: [.contentType: file.contentType, .contentDisposition: "attachment; filename=\"\(file.fileName)\"",
                                        .cacheControl: "no-store"],
                 body: .init(byteBuffer: ByteBuffer(bytes: file.data)))
    }

    func collectionExport(_ request: Request, context: TenantContext) async throws -> Response {
        let format = try Self.format(request)
        return Self.download(try await workspace(context).export(collection: try context.parameters.require("collection"), as: format))
    }

    func searchExport(_ request: Request, context: TenantContext) async throws -> Response {
        let format = try Self.format(request)
        let q = Self.parameter(request, "q")
        guard !q.isEmpty else { throw APIError.invalid(field: "q", message: "Give the value to search for as q.").ja("検索する値を q で指定してください。") }
        return Self.download(try await workspace(context).export(search: q, as: format))
    }
}

extension ThreatIntelError: APIErrorConvertible {
    var apiError: APIError? {
        switch httpStatus {
        case 404: return .notFound(text.en)
        case 403: return .forbidden(text.en)
        case 413: return .tooLarge(limit: ThreatIntelUseCases.maxObjects)
        default: return .invalid(field: nil, message: text.en)
        }
    }
}

extension SharingWorkspaceError: APIErrorConvertible {
    var apiError: APIError? {
        switch self {
        case .notUnderstood: return .invalid(field: "q", message: text.en)
        case .sightingTLPTooLow: return .invalid(field: "tlp", message: text.en)
        case .badSighting: return .invalid(field: nil, message: text.en)
        case .badCursor: return .invalid(field: "before", message: text.en)
        }
    }
}
