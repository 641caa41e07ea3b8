import Foundation
import Hummingbird
import HTTPTypes
import Logging
import NIOCore
import TekigoCore
import TekigoStore
import TekigoUseCases

/// The signed-in person a page is for: a browser session with its second factor passed.
struct Viewer: Sendable {
    let user: UserRecord
    let session: SessionRecord
    let locale: WebLocale
    var language: Language { locale.language }
}

/// What every page handler gets: the request, its context and who is looking, in which language.
struct PageRequest: Sendable {
    let request: Request
    let context: AppContext
    let locale: WebLocale
}

/// The web application's shared parts: the server's services and the loaded templates and messages.
struct WebApp: Sendable {
    let services: Services
    let assets: WebAssets

    var messages: Messages { assets.messages }

    /// The form size limit: evidence files ride in forms, so it is the evidence limit plus room for fields.
    var formLimit: Int { services.evidence.maxSize + 64 * 1024 }

    // MARK: who is looking

    func locale(_ request: Request, context: AppContext) async throws -> WebLocale {
        var settings: UserSettings?
        if let identity = context.identity { settings = try await SettingsUseCases(services.accountEnvironment).current(userID: identity.user.id) }
        return WebLocale.negotiate(settings: settings, acceptLanguage: request.headers[.acceptLanguage])
    }

    /// How far into signing in a page may be seen.
    enum Stage { case secondFactorPending, enrolling, ready }

    /// The signed-in viewer, or the reason the page cannot be shown yet (sign in, second factor, enrolment).
    func viewer(_ request: Request, context: AppContext, stage: Stage = .ready) async throws -> Viewer {
        guard case .session(let user, let session)? = context.identity else {
            throw WebError.signInRequired(expired: request.cookies[Services.sessionCookie] != nil)
        }
        let locale = try await self.locale(request, context: context)
        if stage != .secondFactorPending, session.mfaPassed == 0 { throw WebError.secondFactorRequired }
        if stage == .ready, try await services.mustEnrolMFA(user) { throw WebError.enrolmentRequired }
        return Viewer(user: user, session: session, locale: locale)
    }

    /// For pages anyone may open (an invitation): the viewer when someone is signed in (all the way: a half-finished
    /// sign-in is sent on as `viewer` does), nobody otherwise; and the page's language either way.
    func viewerIfSignedIn(_ request: Request, context: AppContext) async throws -> (Viewer?, WebLocale) {
        guard context.identity != nil else { return (nil, try await locale(request, context: context)) }
        let viewer = try await self.viewer(request, context: context)
        return (viewer, viewer.locale)
    }

    /// A form post from a signed-in viewer: the CSRF field must equal the session's token before anything else
    /// of the form is looked at.
    func postedForm(_ request: Request, viewer: Viewer) async throws -> WebForm {
        let form = try await WebForm.read(request, limit: formLimit)
        guard SecureRandom.constantTimeEquals(form["csrf"], viewer.session.csrfToken) else { throw WebError.csrf }
        return form
    }

    // MARK: rendering (typed page models: `page(_:title:model:…)` in PageModel.swift)

    /// The page's HTML response: `tree` (the page's fields and the layout's) rendered with `template`.
    func render(_ template: String, _ tree: [String: Any], locale: WebLocale, status: HTTPResponse.Status,
                cookies: [Cookie]) -> Response {
        let html = assets.templates.render(tree, withTemplate: template) ?? "template \(template) missing"
        var response = Response(status: status, headers: [.contentType: "text/html; charset=utf-8", .contentLanguage: locale.language.rawValue],
                                body: .init(byteBuffer: ByteBuffer(string: html)))
        for c in cookies { response.setCookie(c) }
        return response
    }

    /// A full link to `path` on this server, for a person to copy (an invitation): the host the browser used.
    func absoluteURL(_ request: Request, _ path: String) -> String {
        let host = request.head.authority ?? "\(services.config.hostname):\(services.config.port)"
        return (services.config.secureCookies ? "https://" : "http://") + host + path
    }

    static func redirect(_ location: String) -> Response {
        Response(status: .seeOther, headers: [.location: location])
    }

    /// `?notice=saved` on a redirect shows the message of that key on the next page (post/redirect/get).
    func notice(_ request: Request, _ locale: WebLocale) -> String? {
        guard let key = request.uri.queryParameters["notice"].map(String.init),
              key.allSatisfy({ $0.isLetter || $0 == "_" }), let text = messages.table(locale.language)["notice_\(key)"] else { return nil }
        return text
    }
}

/// Turns every failure on a page into a page in the user's language — never a stack trace, never the API's
/// JSON: sign-in and second-factor needs become redirects; CSRF, permission, not-found and server errors get a
/// page that says what happened and what to do.
struct PageErrorMiddleware: RouterMiddleware {
    typealias Context = AppContext
    let web: WebApp

    func handle(_ request: Request, context: AppContext, next: (Request, AppContext) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let e as WebError {
            switch e {
            case .signInRequired(let expired):
                // Back to the page after signing in again (issue 17 item 6): for a form posted after the idle
                // timeout, its page — where app.js puts back what was typed (a GET of the same path).
                var query = expired ? ["notice=expired"] : []
                if let back = PageRoute.returnPath(request.uri.path),
                   let encoded = back.addingPercentEncoding(withAllowedCharacters: .alphanumerics) {
                    query.append("next=" + encoded)
                }
                return WebApp.redirect(PageRoute.login.path + (query.isEmpty ? "" : "?" + query.joined(separator: "&")))
            case .secondFactorRequired: return WebApp.redirect(PageRoute.loginSecondFactor.path)
            case .enrolmentRequired: return WebApp.redirect(PageRoute.enrolMFA.path)
            case .csrf: return try await errorPage(request, context, .forbidden, "error_csrf")
            case .badForm: return try await errorPage(request, context, .badRequest, "error_bad_form")
            case .tooLarge(let limit):
                return try await errorPage(request, context, .contentTooLarge, "error_too_large", ["size": "\(limit / 1024 / 1024)"])
            }
        } catch let e as APIError {
            return try await page(for: e, request, context)
        } catch let e as any APIErrorConvertible where e.apiError != nil {
            // A use case's refusal that the page did not word itself: the same page as for the API's error.
            return try await page(for: e.apiError!, request, context)
        } catch is VersionConflict {
            return try await errorPage(request, context, .conflict, "error_conflict")
        } catch is NotFound {
            return try await errorPage(request, context, .notFound, "error_not_found")
        } catch let e as HTTPError where e.status.code < 500 {
            return try await errorPage(request, context, e.status, e.status == .notFound ? "error_not_found" : "error_bad_form")
        } catch {
            context.logger.error("page error", metadata: ["request_id": "\(context.requestID)", "error": "\(error)"])
            return try await errorPage(request, context, .internalServerError, "error_internal", ["request": context.requestID])
        }
    }

    func page(for e: APIError, _ request: Request, _ context: AppContext) async throws -> Response {
        switch e.base {
        case .bilingual: fatalError("APIError.base never returns .bilingual")
        case .unauthenticated: return WebApp.redirect(PageRoute.login.path)
        case .mfaRequired: return WebApp.redirect(PageRoute.enrolMFA.path)
        case .forbidden: return try await errorPage(request, context, .forbidden, "error_forbidden")
        case .notFound: return try await errorPage(request, context, .notFound, "error_not_found")
        case .tooLarge(let limit):
            return try await errorPage(request, context, .contentTooLarge, "error_too_large", ["size": "\(limit / 1024 / 1024)"])
        case .rateLimited, .locked: return try await errorPage(request, context, .tooManyRequests, "error_rate_limited")
        case .preconditionFailed: return try await errorPage(request, context, .conflict, "error_conflict")
        case .invalid, .conflict, .unsupportedMediaType: return try await errorPage(request, context, .badRequest, "error_bad_form")
        }
    }

    func errorPage(_ request: Request, _ context: AppContext, _ status: HTTPResponse.Status, _ key: String,
                   _ values: [String: String] = [:]) async throws -> Response {
        let locale = (try? await web.locale(request, context: context))
            ?? WebLocale.negotiate(settings: nil, acceptLanguage: request.headers[.acceptLanguage])
        let lang = locale.language
        let model = ErrorPage(message: web.messages.text(key, lang, values), status: Int(status.code), requestID: context.requestID,
                              homeURL: PageRoute.home.path)
        return web.page("error", title: web.messages.text("\(key)_title", lang), model: model, locale: locale, viewer: nil, status: status)
    }
}

/// `error`: what happened, the status, the request's id (to quote to an administrator) and the way home.
struct ErrorPage: PageModel {
    let message: String
    let status: Int
    let requestID: String
    let homeURL: String
}
