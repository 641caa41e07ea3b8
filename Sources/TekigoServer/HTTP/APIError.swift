import Foundation
import Hummingbird
import HTTPTypes
import NIOCore
import TekigoCore
import TekigoStore

/// Every failure the API reports, with its HTTP status and a stable machine code. The body is always
/// `{"error": {"code": …, "message": …, "field": …}}` (see openapi.yaml, `Error`). The message is for a person: in
/// Japanese when the request's Accept-Language prefers it (issue 17 item 6), else English; the code never changes.
public enum APIError: Error, Sendable {
    case unauthenticated
    case mfaRequired
    case forbidden(String)
    case notFound(String)
    case invalid(field: String?, message: String)
    case conflict(String)
    case preconditionFailed(current: Int)
    case locked(until: String)
    case tooLarge(limit: Int)
    case unsupportedMediaType(String)
    case rateLimited
    /// One of the others with its message in Japanese too: `.forbidden("…").ja("…")`.
    indirect case bilingual(APIError, ja: String)

    /// The same refusal, said in Japanese too.
    func ja(_ text: String) -> APIError { .bilingual(self, ja: text) }

    /// The refusal itself, without the Japanese wording.
    var base: APIError {
        if case .bilingual(let inner, _) = self { return inner.base }
        return self
    }

    var status: HTTPResponse.Status {
        switch self {
        case .bilingual(let inner, _): return inner.status
        case .unauthenticated: return .unauthorized
        case .mfaRequired, .forbidden: return .forbidden
        case .notFound: return .notFound
        case .invalid: return .badRequest
        case .conflict: return .conflict
        case .preconditionFailed: return .preconditionFailed
        case .locked, .rateLimited: return .tooManyRequests
        case .tooLarge: return .contentTooLarge
        case .unsupportedMediaType: return .unsupportedMediaType
        }
    }

    var code: String {
        switch self {
        case .bilingual(let inner, _): return inner.code
        case .unauthenticated: return "unauthenticated"
        case .mfaRequired: return "mfa_required"
        case .forbidden: return "forbidden"
        case .notFound: return "not_found"
        case .invalid: return "invalid"
        case .conflict: return "conflict"
        case .preconditionFailed: return "version_mismatch"
        case .locked: return "account_locked"
        case .tooLarge: return "too_large"
        case .unsupportedMediaType: return "unsupported_media_type"
        case .rateLimited: return "rate_limited"
        }
    }

    var message: String { message(in: .en) }

    /// The message in `language`. The fixed refusals are worded here in both; a free-form one (`forbidden`, `invalid`,
    /// `conflict`, `notFound`'s subject) is Japanese only when it was given with `.ja(…)`, else it stays English.
    func message(in language: Language) -> String {
        if language == .ja {
            switch self {
            case .bilingual(_, let ja): return ja
            case .unauthenticated: return "サインインするか、API トークンを 'Authorization: Bearer …' ヘッダーで送ってください。"
            case .mfaRequired: return "このアカウントは先に多要素認証を設定する必要があります（POST /api/v1/me/mfa）。"
            case .preconditionFailed(let v):
                return "読み込んだ後に他の人が変更しました（現在のバージョン \(v)）。読み込み直してから、変更をもう一度行ってください。"
            case .locked(let until): return "サインインの失敗が続いたため、ロックしています。\(until) 以降にもう一度お試しください。"
            case .tooLarge(let limit): return "リクエストの本文が \(limit) バイトを超えています。"
            case .unsupportedMediaType(let expected): return "本文は \(expected) で送ってください。"
            case .rateLimited: return "リクエストが多すぎます。間隔をあけてお試しください。"
            case .notFound(let what): return "\(Self.japaneseSubject(what))が見つかりません。"
            case .forbidden, .invalid, .conflict: break
            }
        }
        switch self {
        case .bilingual(let inner, _): return inner.message(in: .en)
        case .unauthenticated: return "Sign in, or send an API token as 'Authorization: Bearer …'."
        case .mfaRequired: return "This account must complete multifactor authentication first (POST /api/v1/me/mfa)."
        case .forbidden(let why): return why
        case .notFound(let what): return "\(what) was not found."
        case .invalid(_, let m): return m
        case .conflict(let m): return m
        case .preconditionFailed(let v):
            return "The resource changed since you read it (current version \(v)). Read it again and reapply your change."
        case .locked(let until): return "Too many failed sign-ins. Try again after \(until)."
        case .tooLarge(let limit): return "The request body is larger than \(limit) bytes."
        case .unsupportedMediaType(let expected): return "Send the body as \(expected)."
        case .rateLimited: return "Too many requests; slow down."
        }
    }

    /// What a not-found names (`Assessment 123`, `The invitation`) in Japanese: the kind translated, the id kept.
    /// A kind not in the table is shown as written, in brackets.
    static func japaneseSubject(_ what: String) -> String {
        let kinds: [(String, String)] = [
            ("A responsibility matrix for ", "の責任分担表"), ("Job result ", "ジョブの結果 "), ("Malware sample ", "マルウェア検体 "),
            ("Assessment ", "評価 "), ("Organization ", "組織 "), ("Requirement ", "要件 "), ("Objective ", "評価目標 "),
            ("Evidence ", "証跡 "), ("Contract ", "契約 "), ("Supplier ", "サプライヤー "), ("Invitation ", "招待 "), ("Reminder ", "リマインダー "),
            ("Token ", "トークン "), ("Job ", "ジョブ "), ("File ", "ファイル "), ("System ", "システム "), ("Incident ", "インシデント "),
        ]
        let whole: [String: String] = ["The invitation": "招待", "Export document": "出力する文書", "The API document": "API の説明文書"]
        if let w = whole[what] { return w }
        for (en, ja) in kinds where what.hasPrefix(en) {
            let rest = String(what.dropFirst(en.count))
            // "A responsibility matrix for X" → "X の責任分担表"; the others put the kind first.
            return ja.hasPrefix("の") ? "\(rest) \(ja)" : ja + rest + " "
        }
        return "「\(what)」"
    }

    var field: String? {
        if case .invalid(let f, _) = base { return f }
        return nil
    }
}

/// Written with its keys in sorted order (`code`, `field`, `message`; `field` only when there is one), so the same
/// failure always gives the same bytes — the same output as `JSONEncoder` with `.sortedKeys` and
/// `.withoutEscapingSlashes`, the encoding of every other API response (`Bodies.swift`).
struct ErrorBody: Codable, JSONWritable {
    struct Detail: Codable, Sendable {
        let code: String
        let message: String
        let field: String?
    }
    let error: Detail

    func writeJSON(to out: inout JSONBytes) {
        out.raw("{")
        out.member("error", first: true) { out in
            out.raw("{")
            out.member("code", first: true) { $0.string(error.code) }
            if let field = error.field { out.member("field") { $0.string(field) } }
            out.member("message") { $0.string(error.message) }
            out.raw("}")
        }
        out.raw("}")
    }
}

/// Turns every error into the API's error body; 5xx are logged with the request id and never leak details.
struct ErrorMiddleware: RouterMiddleware {
    typealias Context = AppContext
    /// Renders "no such page" for unmatched addresses under the web pages; nil: JSON everywhere.
    var pages: PageErrorMiddleware? = nil

    func handle(_ request: Request, context: AppContext, next: (Request, AppContext) async throws -> Response) async throws -> Response {
        let language = Self.language(request)
        do {
            return try await next(request, context)
        } catch let e as APIError {
            return Self.response(e.status, code: e.code, message: e.message(in: language), field: e.field, context: context,
                                 extra: e.status == .preconditionFailed ? etagHeader(e) : [:])
        } catch let e as any APIErrorConvertible {
            guard let a = e.apiError else { return Self.internalError(e, context: context, language: language) }
            // A use case's refusal worded in both languages says it in Japanese when asked; English answers keep the
            // API error's own message.
            let message = language == .ja ? ((e as? any BilingualError)?.message(in: .ja) ?? a.message(in: .ja)) : a.message
            return Self.response(a.status, code: a.code, message: message, field: a.field, context: context)
        } catch let e as VersionConflict {
            return Self.response(.preconditionFailed, code: "version_mismatch",
                                 message: APIError.preconditionFailed(current: e.current).message(in: language), field: nil,
                                 context: context, extra: [.eTag: "\"\(e.current)\""])
        } catch let e as NotFound {
            return Self.response(.notFound, code: "not_found", message: APIError.notFound(e.what).message(in: language), field: nil,
                                 context: context)
        } catch let e as HTTPError {
            // An address no TAXII route has, under /taxii2/: TAXII's error resource, not the JSON API's.
            if [.notFound, .methodNotAllowed].contains(e.status), request.uri.path.hasPrefix(TAXIIRoutes.prefix + "/") {
                return TAXIIErrorMiddleware.response(e.status, title: e.status.reasonPhrase,
                                                     description: "There is no TAXII resource at \(request.uri.path) for \(request.method.rawValue); start from GET /taxii2/.")
            }
            if e.status == .notFound, let pages, PageRoute.isPage(request.uri.path) {
                return try await pages.errorPage(request, context, .notFound, "error_not_found")
            }
            let noRoute = language == .ja ? "この URL とメソッドの API はありません。" : "No such route."
            let message = e.body ?? (e.status == .notFound ? noRoute : e.status.reasonPhrase)
            return Self.response(e.status, code: e.status == .notFound ? "not_found" : "http_\(e.status.code)",
                                 message: message, field: nil, context: context)
        } catch let e as any HTTPResponseError where e.status.code < 500 {
            // Other client errors Hummingbird and NIO raise keep their status: above all `NIOTooManyBytesError`
            // from `request.body.collect(upTo:)` (413), which would otherwise be reported as a server error.
            let tooLarge = e.status == .contentTooLarge
            let tooLargeText = language == .ja ? "リクエストの本文が大きすぎます。" : "The request body is too large."
            return Self.response(e.status, code: tooLarge ? "too_large" : "http_\(e.status.code)",
                                 message: tooLarge ? tooLargeText : e.status.reasonPhrase,
                                 field: nil, context: context)
        } catch let e as DecodingError {
            let (path, problem) = describe(e, in: language)
            let message = language == .ja ? "JSON の本文が正しくありません: \(problem)" : "The JSON body is not valid: \(problem)"
            return Self.response(.badRequest, code: "invalid", message: message, field: path, context: context)
        } catch {
            return Self.internalError(error, context: context, language: language)
        }
    }

    /// The language of the messages: the request's Accept-Language when it prefers Japanese or English (by q value),
    /// else English — the API's callers are mostly scripts, whose logs are read in English unless they ask.
    static func language(_ request: Request) -> Language {
        WebLocale.preferred(request.headers[.acceptLanguage]) ?? .en
    }

    static func internalError(_ error: any Error, context: AppContext, language: Language = .en) -> Response {
        context.logger.error("internal error", metadata: ["request_id": "\(context.requestID)", "error": "\(error)"])
        let message = language == .ja ? "サーバー側で問題が起きました（リクエスト \(context.requestID)）。管理者にこの番号を伝えてください。"
                                      : "Something went wrong on the server (request \(context.requestID))."
        return response(.internalServerError, code: "internal", message: message, field: nil, context: context)
    }

    func etagHeader(_ e: APIError) -> [HTTPField.Name: String] {
        if case .preconditionFailed(let v) = e.base { return [.eTag: "\"\(v)\""] }
        return [:]
    }

    static func response(_ status: HTTPResponse.Status, code: String, message: String, field: String?, context: AppContext,
                         extra: [HTTPField.Name: String] = [:]) -> Response {
        let data = ErrorBody(error: .init(code: code, message: message, field: field)).jsonBytes
        var headers: HTTPFields = [.contentType: "application/json; charset=utf-8"]
        for (k, v) in extra { headers[k] = v }
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }

    func describe(_ e: DecodingError, in language: Language) -> (String?, String) {
        func path(_ keys: [any CodingKey]) -> String? {
            let p = keys.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }.joined(separator: ".")
            return p.isEmpty ? nil : p
        }
        if language == .ja {
            switch e {
            case .keyNotFound(let k, let ctx): return (path(ctx.codingPath + [k]), "必須の項目 '\(k.stringValue)' がありません")
            case .typeMismatch(_, let ctx): return (path(ctx.codingPath), "値の型が違います")
            case .valueNotFound(_, let ctx): return (path(ctx.codingPath), "必須の値が null です")
            case .dataCorrupted(let ctx): return (path(ctx.codingPath), "本文が JSON として読めません")
            @unknown default: return (nil, "本文を読み取れません")
            }
        }
        switch e {
        case .keyNotFound(let k, let ctx): return (path(ctx.codingPath + [k]), "required field '\(k.stringValue)' is missing")
        case .typeMismatch(_, let ctx): return (path(ctx.codingPath), "a value has the wrong type")
        case .valueNotFound(_, let ctx): return (path(ctx.codingPath), "a required value is null")
        case .dataCorrupted(let ctx): return (path(ctx.codingPath), "the body is not valid JSON")
        @unknown default: return (nil, "the body cannot be read")
        }
    }
}

/// Headers every response carries (SP 800-171 3.13.x; OWASP secure headers).
struct SecurityHeadersMiddleware: RouterMiddleware {
    typealias Context = AppContext
    /// `Strict-Transport-Security` too: the server runs behind TLS (`--secure-cookies`), so browsers must never
    /// reach it over plain HTTP (SP 800-171 3.13.8). One year; subdomains are the operator's to decide.
    var hsts = false

    func handle(_ request: Request, context: AppContext, next: (Request, AppContext) async throws -> Response) async throws -> Response {
        var response = try await next(request, context)
        response.headers[.contentSecurityPolicy] = "default-src 'none'; style-src 'self'; img-src 'self' data:; script-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
        response.headers[.xContentTypeOptions] = "nosniff"
        response.headers[HTTPField.Name("Referrer-Policy")!] = "no-referrer"
        response.headers[HTTPField.Name("X-Frame-Options")!] = "DENY"
        response.headers[HTTPField.Name("X-Request-Id")!] = context.requestID
        if response.headers[.cacheControl] == nil { response.headers[.cacheControl] = "no-store" }
        if hsts { response.headers[HTTPField.Name("Strict-Transport-Security")!] = "max-age=31536000" }
        return response
    }
}
