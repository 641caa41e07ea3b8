import Foundation
import Hummingbird
import HTTPTypes
import NIOCore
import TekigoCore
import TekigoStore
import TekigoUseCases

/// TAXII 2.1's media types.
enum TAXIIMedia {
    static let taxii = "application/taxii+json;version=2.1"
    static let stix = "application/stix+json;version=2.1"
    /// The largest request body the server reads (announced as the API roots' `max_content_length`).
    static let maxContentLength = 50 * 1024 * 1024

    /// Whether an `Accept` header allows TAXII 2.1's media type: `application/taxii+json` with `version=2.1` or without
    /// a version (any quality but 0). A missing header or only wildcards do not: a TAXII client names the type.
    static func acceptable(_ accept: String?) -> Bool {
        guard let accept else { return false }
        return accept.split(separator: ",").contains { range in
            taxiiType(String(range), allowMissingVersion: true, checkQuality: true)
        }
    }

    /// Whether a `Content-Type` is TAXII 2.1's (`version=2.1` or no version).
    static func isTAXII(contentType: String?) -> Bool {
        guard let contentType else { return false }
        return taxiiType(contentType, allowMissingVersion: true, checkQuality: false)
    }

    private static func taxiiType(_ text: String, allowMissingVersion: Bool, checkQuality: Bool) -> Bool {
        let parts = text.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
        guard parts.first == "application/taxii+json" else { return false }
        var version: String?
        for p in parts.dropFirst() {
            let kv = p.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            guard kv.count == 2 else { continue }
            if kv[0] == "version" { version = kv[1].trimmingCharacters(in: CharacterSet(charactersIn: "\"")) }
            if checkQuality, kv[0] == "q", let q = Double(kv[1]), q == 0 { return false }
        }
        return version == "2.1" || (version == nil && allowMissingVersion)
    }
}

/// A failure of the TAXII layer itself (credentials, media types, body size, an unknown address), answered with
/// TAXII's error resource like `ThreatIntelError`.
enum TAXIIHTTPError: Error {
    case unauthenticated(String)
    case notAcceptable(String?)
    case unsupportedMediaType(String?)
    case tooLarge
    case mfaRequired

    var status: HTTPResponse.Status {
        switch self {
        case .unauthenticated: return .unauthorized
        case .notAcceptable: return .notAcceptable
        case .unsupportedMediaType: return .unsupportedMediaType
        case .tooLarge: return .contentTooLarge
        case .mfaRequired: return .forbidden
        }
    }

    var title: String {
        switch self {
        case .unauthenticated: return "Authentication required"
        case .notAcceptable: return "Not acceptable"
        case .unsupportedMediaType: return "Unsupported media type"
        case .tooLarge: return "Request too large"
        case .mfaRequired: return "Authenticator required"
        }
    }

    var description: String {
        switch self {
        case .unauthenticated(let why): return why
        case .notAcceptable(let sent):
            return "Send 'Accept: \(TAXIIMedia.taxii)'" + (sent.map { " (the request accepted '\($0)')" } ?? " (the request had no Accept header)") + "."
        case .unsupportedMediaType(let sent):
            return "Send the envelope with 'Content-Type: \(TAXIIMedia.taxii)'" + (sent.map { " (not '\($0)')" } ?? "") + "."
        case .tooLarge: return "The request body is larger than \(TAXIIMedia.maxContentLength) bytes (the API root's max_content_length); send the objects in several requests. Nothing was stored."
        case .mfaRequired: return "The token's owner has a role that needs an enrolled authenticator; enrol one in Tekigo, then use the token again."
        }
    }
}

/// Authenticates every TAXII request itself (the server's `AuthMiddleware` leaves `/taxii2/` alone): an API token as
/// `Authorization: Bearer <token>`, or HTTP Basic with the token as the password — TAXII 2.1's mandatory minimum. The
/// Basic user name is ignored: the token alone names the person and the organization (many TAXII clients insist on
/// a user name, and asking for the right e-mail would add nothing the token does not prove). Session cookies are not
/// read: TAXII is for machines. Missing or wrong credentials are 401 with `WWW-Authenticate: Basic realm="Tekigo
/// TAXII"`. Then the `Accept` header must name TAXII 2.1's media type (406 otherwise).
struct TAXIIAuthMiddleware: RouterMiddleware {
    typealias Context = AppContext
    let services: Services

    func handle(_ request: Request, context: AppContext, next: (Request, AppContext) async throws -> Response) async throws -> Response {
        var context = context
        guard let token = Self.credential(request.headers[.authorization]) else {
            throw TAXIIHTTPError.unauthenticated("Send an API token as 'Authorization: Bearer <token>', or with HTTP Basic as the password (any user name).")
        }
        let now = services.clock.now()
        guard let found = try await services.tokenLookup(hash: SecureRandom.sha256Hex(token)), case let t = found.token,
              t.revokedAt == nil, t.expiresAt > Timestamp.string(now) else {
            throw TAXIIHTTPError.unauthenticated("The API token is unknown, revoked or expired; create a token in Tekigo (Administration → API tokens).")
        }
        guard let (_, role) = found.membership else {
            throw TAXIIHTTPError.unauthenticated("The token's owner is no longer a member of the token's organization; create a new token.")
        }
        // SP 800-171 3.5.3, as for the API: a role that needs an authenticator acts only with one enrolled.
        if role.requiresMFA, !found.user.hasMFA { throw TAXIIHTTPError.mfaRequired }
        context.identity = .token(user: found.user, token: t, membership: found.membership)
        guard TAXIIMedia.acceptable(request.headers[.accept]) else { throw TAXIIHTTPError.notAcceptable(request.headers[.accept]) }
        return try await next(request, context)
    }

    /// The token from `Bearer <token>` or `Basic base64(user:token)`; nil when there is none.
    static func credential(_ header: String?) -> String? {
        guard let header else { return nil }
        let lower = header.lowercased()
        if lower.hasPrefix("bearer ") {
            let t = String(header.dropFirst(7)).trimmingCharacters(in: .whitespaces)
            return t.isEmpty ? nil : t
        }
        if lower.hasPrefix("basic ") {
            let encoded = String(header.dropFirst(6)).trimmingCharacters(in: .whitespaces)
            guard let bytes = Data(base64Encoded: encoded), let text = String(data: bytes, encoding: .utf8),
                  let colon = text.firstIndex(of: ":") else { return nil }
            let password = String(text[text.index(after: colon)...])
            return password.isEmpty ? nil : password
        }
        return nil
    }
}

/// Answers every failure under `/taxii2/` with TAXII's error resource (`title`, `description`, `http_status`) in
/// `application/taxii+json;version=2.1`, 401s with the Basic challenge; 5xx are logged and say nothing more.
struct TAXIIErrorMiddleware: RouterMiddleware {
    typealias Context = AppContext

    func handle(_ request: Request, context: AppContext, next: (Request, AppContext) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let e as TAXIIHTTPError {
            var extra: HTTPFields = [:]
            if case .unauthenticated = e { extra[.wwwAuthenticate] = "Basic realm=\"Tekigo TAXII\"" }
            return Self.response(e.status, title: e.title, description: e.description, extra: extra)
        } catch let e as ThreatIntelError {
            return Self.response(HTTPResponse.Status(code: e.httpStatus), title: e.title, description: e.description)
        } catch let e as any HTTPResponseError where e.status.code < 500 {
            if e.status == .contentTooLarge {
                return Self.response(.contentTooLarge, title: TAXIIHTTPError.tooLarge.title, description: TAXIIHTTPError.tooLarge.description)
            }
            return Self.response(e.status, title: e.status.reasonPhrase, description: "The request was refused (\(e.status.code)).")
        } catch {
            context.logger.error("internal error", metadata: ["request_id": "\(context.requestID)", "error": "\(error)"])
            return Self.response(.internalServerError, title: "Internal error",
                                 description: "Something went wrong on the server (request \(context.requestID)).")
        }
    }

    static func response(_ status: HTTPResponse.Status, title: String, description: String, extra: HTTPFields = [:]) -> Response {
        var out = JSONBytes(capacity: 256)
        out.raw("{")
        out.member("description", first: true) { $0.string(description) }
        out.member("http_status") { $0.string(String(status.code)) }
        out.member("title") { $0.string(title) }
        out.raw("}")
        var headers: HTTPFields = [.contentType: TAXIIMedia.taxii]
        headers.append(contentsOf: extra)
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: out.bytes)))
    }
}

/// A TAXII request: authenticated by `TAXIIAuthMiddleware` (an API token: the caller is its organization and its
/// person), with the `Accept` header checked. The routes of `TAXIIRoutes` take it and hand `caller` to the use cases.
struct TAXIIContext: ChildRequestContext, AppChildContext {
    typealias ParentContext = AppContext
    private(set) var app: AppContext
    /// The token's organization, person, role and scope.
    let caller: TAXIICaller

    init(context: AppContext) throws {
        // Only a group registered below `TAXIIAuthMiddleware` is made of this context, which sets a token identity.
        guard case .token(let user, let token, let membership)? = context.identity, let (_, role) = membership else {
            throw TAXIIHTTPError.unauthenticated("Send an API token as 'Authorization: Bearer <token>', or with HTTP Basic as the password.")
        }
        self.app = context
        self.caller = TAXIICaller(organizationID: token.organizationId, personID: user.id, role: role,
                                  readOnly: token.scope == "read", actor: Actor(id: "token:\(token.id)", sourceIP: context.sourceIP))
    }

    var coreContext: CoreRequestContextStorage {
        get { app.coreContext }
        set { app.coreContext = newValue }
    }
}
