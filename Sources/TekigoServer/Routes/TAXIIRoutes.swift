import Foundation
import Hummingbird
import HTTPTypes
import NIOCore
import TekigoCore
import TekigoUseCases

/// The TAXII 2.1 server (issue 14 item 2) at `/taxii2/`: discovery, one API root per sharing community of the caller's
/// organization (`/taxii2/{community-slug}/`), its status resources and collections, each collection's manifest,
/// objects (GET, and POST answered 202 with a status), one object (GET, DELETE) and its versions. TAXII has its own
/// specification, so these routes are not in openapi.yaml (which says where they are). Thin: the filters are read by
/// `TAXIIFilter.parse`, every read and write is `ThreatIntelQueries` / `ThreatIntelUseCases`, the resources are written
/// by `TAXIIResources`; failures become TAXII's error resource (`TAXIIErrorMiddleware`).
///
/// Trailing slashes: TAXII's addresses end in one; the router matches with or without it (taxii2-client asks for a
/// status without one).
struct TAXIIRoutes {
    let services: Services

    static let prefix = "/taxii2"

    /// Mounted by `buildApplication` beside the JSON API (not through `registerRoutes`, whose routes openapi.yaml lists).
    func mount(on router: Router<AppContext>) {
        let base = router.group(RouterPath(Self.prefix))
            .add(middleware: TAXIIErrorMiddleware())
            .add(middleware: TAXIIAuthMiddleware(services: services))
            .group(context: TAXIIContext.self)
        base.get("/", use: discovery)
        base.get("/:root", use: apiRoot)
        base.get("/:root/status/:status", use: status)
        base.get("/:root/collections", use: collections)
        base.get("/:root/collections/:collection", use: collection)
        base.get("/:root/collections/:collection/manifest", use: manifest)
        base.get("/:root/collections/:collection/objects", use: objects)
        base.post("/:root/collections/:collection/objects", use: add)
        base.get("/:root/collections/:collection/objects/:object", use: object)
        base.delete("/:root/collections/:collection/objects/:object", use: delete)
        base.get("/:root/collections/:collection/objects/:object/versions", use: versions)
    }

    func queries(_ context: TAXIIContext) -> ThreatIntelQueries { ThreatIntelQueries(services.tenantEnvironment, context.caller) }
    func useCases(_ context: TAXIIContext) -> ThreatIntelUseCases { ThreatIntelUseCases(services.tenantEnvironment, context.caller) }

    static func parameters(_ request: Request) -> [(String, String)] {
        request.uri.queryParameters.map { (String($0.key), String($0.value)) }
    }

    func discovery(_ request: Request, context: TAXIIContext) async throws -> Response {
        _ = try TAXIIFilter.parse(Self.parameters(request), allowed: [])
        return TAXIIResources.discovery(try await queries(context).roots())
    }

    func apiRoot(_ request: Request, context: TAXIIContext) async throws -> Response {
        TAXIIResources.apiRoot(try await queries(context).root(try context.parameters.require("root")))
    }

    func status(_ request: Request, context: TAXIIContext) async throws -> Response {
        TAXIIResources.status(try await queries(context).status(root: try context.parameters.require("root"),
                                                                id: try context.parameters.require("status")))
    }

    func collections(_ request: Request, context: TAXIIContext) async throws -> Response {
        TAXIIResources.collections(try await queries(context).collections(root: try context.parameters.require("root")))
    }

    func collection(_ request: Request, context: TAXIIContext) async throws -> Response {
        TAXIIResources.collection(try await queries(context).collection(root: try context.parameters.require("root"),
                                                                        id: try context.parameters.require("collection")))
    }

    func manifest(_ request: Request, context: TAXIIContext) async throws -> Response {
        let filter = try TAXIIFilter.parse(Self.parameters(request))
        return TAXIIResources.manifest(try await queries(context).manifest(
            root: try context.parameters.require("root"), collection: try context.parameters.require("collection"), filter: filter))
    }

    func objects(_ request: Request, context: TAXIIContext) async throws -> Response {
        let filter = try TAXIIFilter.parse(Self.parameters(request))
        return TAXIIResources.envelope(try await queries(context).objects(
            root: try context.parameters.require("root"), collection: try context.parameters.require("collection"), filter: filter))
    }

    /// POST an envelope: `Content-Type` must be TAXII's (415), the body at most `max_content_length` (413); every object
    /// is checked before anything is stored, and one bad object refuses the whole request (400 naming it). 202 with
    /// the status, complete.
    func add(_ request: Request, context: TAXIIContext) async throws -> Response {
        guard TAXIIMedia.isTAXII(contentType: request.headers[.contentType]) else {
            throw TAXIIHTTPError.unsupportedMediaType(request.headers[.contentType])
        }
        if let length = request.headers[.contentLength].flatMap(Int.init), length > TAXIIMedia.maxContentLength {
            throw TAXIIHTTPError.tooLarge
        }
        _ = try TAXIIFilter.parse(Self.parameters(request), allowed: [])
        let root = try context.parameters.require("root"), collection = try context.parameters.require("collection")
        // The collection and the caller's right to write are checked before the body is read.
        try await useCases(context).checkWritable(root: root, collection: collection)
        let body: ByteBuffer
        do {
            body = try await request.body.collect(upTo: TAXIIMedia.maxContentLength)
        } catch let e as any HTTPResponseError where e.status == .contentTooLarge {
            throw TAXIIHTTPError.tooLarge
        }
        let status = try await useCases(context).add(root: root, collection: collection, envelope: Data(buffer: body))
        return TAXIIResources.status(status, httpStatus: .accepted)
    }

    func object(_ request: Request, context: TAXIIContext) async throws -> Response {
        let filter = try TAXIIFilter.parse(Self.parameters(request), allowed: ["version", "spec_version"])
        return TAXIIResources.envelope(try await queries(context).object(
            root: try context.parameters.require("root"), collection: try context.parameters.require("collection"),
            objectID: try context.parameters.require("object"), filter: filter))
    }

    /// DELETE one object: its versions the caller may see (all, or those `match[version]` / `match[spec_version]`
    /// name); 200 with no body.
    func delete(_ request: Request, context: TAXIIContext) async throws -> Response {
        var filter = try TAXIIFilter.parse(Self.parameters(request), allowed: ["version", "spec_version"])
        if !Self.parameters(request).contains(where: { $0.0 == "match[version]" }) { filter.versions = .all }
        _ = try await useCases(context).delete(root: try context.parameters.require("root"),
                                               collection: try context.parameters.require("collection"),
                                               objectID: try context.parameters.require("object"), filter: filter)
        return Response(status: .ok, headers: [.contentType: TAXIIMedia.taxii])
    }

    func versions(_ request: Request, context: TAXIIContext) async throws -> Response {
        let filter = try TAXIIFilter.parse(Self.parameters(request), allowed: ["spec_version"])
        return TAXIIResources.versions(try await queries(context).versions(
            root: try context.parameters.require("root"), collection: try context.parameters.require("collection"),
            objectID: try context.parameters.require("object"), filter: filter))
    }
}
