import Foundation
import Hummingbird
import HTTPTypes
import TekigoCore
import TekigoReports
import TekigoStore

/// The two pages the server core has: the landing page and sign-in (form post, no JavaScript). The full web
/// application (templates, every workflow) builds on these.
struct PageRoutes {
    let services: Services
    static let csrfCookie = "tekigo_form_csrf"

    func register(_ router: Router<AppContext>) {
        router.get("/", use: home)
        router.get("/login", use: loginPage)
        router.post("/login", use: loginForm)
    }

    func page(_ title: String, _ body: String, status: HTTPResponse.Status = .ok, cookies: [Cookie] = []) -> Response {
        let html = """
            <!doctype html>
            <html lang="ja"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
            <title>\(Markup.escape(title)) — Tekigo</title></head>
            <body><header><p><strong>Tekigo（適合）</strong></p></header><main>
            \(body)
            </main></body></html>
            """
        var r = Response(status: status, headers: [.contentType: "text/html; charset=utf-8"],
                         body: .init(byteBuffer: ByteBuffer(string: html)))
        for c in cookies { r.setCookie(c) }
        return r
    }

    func home(_ request: Request, context: AppContext) async throws -> Response {
        guard let identity = context.identity else {
            return page("Tekigo", """
                <h1>防衛産業サイバーセキュリティ基準・NIST SP 800-171 への適合を、低コストで証明し維持する</h1>
                <p lang="en">Meet NIST SP 800-171 / CMMC Level 2 and Japan's Defense Industry Cybersecurity Standard, prove it, keep it.</p>
                <p><a href="/login">サインイン / Sign in</a> · <a href="/openapi.yaml">API (OpenAPI)</a></p>
                """)
        }
        let orgs = try await services.accounts.organizations(of: identity.user.id)
        let list = orgs.map { "<li>\(Markup.escape($0.0.name)) — \(Markup.escape($0.1.label.ja)) / \(Markup.escape($0.1.label.en))</li>" }
            .joined()
        return page("Tekigo", """
            <h1>\(Markup.escape(identity.user.displayName)) さん</h1>
            <p>所属組織 / Organizations:</p><ul>\(list.isEmpty ? "<li>—</li>" : list)</ul>
            <p><a href="/openapi.yaml">API (OpenAPI)</a></p>
            """)
    }

    func loginPage(_ request: Request, context: AppContext) async throws -> Response {
        try form(error: nil, email: "")
    }

    func form(error: String?, email: String, status: HTTPResponse.Status = .ok) throws -> Response {
        // Double-submit CSRF token: a SameSite=Strict cookie and the same value in the form.
        let token = SecureRandom.token(bytes: 24)
        let cookie = try Cookie.validated(name: Self.csrfCookie, value: token, maxAge: 3600, path: "/login",
                                          secure: services.config.secureCookies, httpOnly: true, sameSite: .strict)
        let err = error.map { "<p role=\"alert\"><strong>\(Markup.escape($0))</strong></p>" } ?? ""
        return page("サインイン / Sign in", """
            <h1>サインイン <span lang="en">Sign in</span></h1>
            \(err)
            <form method="post" action="/login">
              <input type="hidden" name="csrf" value="\(token)">
              <p><label for="email">メールアドレス / E-mail</label><br>
                 <input id="email" name="email" type="email" autocomplete="username" required value="\(Markup.escape(email))"></p>
              <p><label for="password">パスワード / Password</label><br>
                 <input id="password" name="password" type="password" autocomplete="current-password" required></p>
              <p><label for="code">認証コード（6桁）/ Authenticator code</label><br>
                 <input id="code" name="code" inputmode="numeric" autocomplete="one-time-code" pattern="[0-9 ]*"></p>
              <p><button type="submit">サインイン / Sign in</button></p>
            </form>
            """, status: status, cookies: [cookie])
    }

    /// The form post: the same checks as `POST /api/v1/session`, then a redirect home.
    func loginForm(_ request: Request, context: AppContext) async throws -> Response {
        guard (request.headers[.contentType] ?? "").hasPrefix("application/x-www-form-urlencoded") else {
            throw APIError.unsupportedMediaType("application/x-www-form-urlencoded")
        }
        let buffer = try await request.body.collect(upTo: 16 * 1024)
        var fields: [String: String] = [:]
        for pair in String(buffer: buffer).split(separator: "&") {
            let kv = pair.split(separator: "=", maxSplits: 1).map {
                String($0).replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? ""
            }
            if kv.count == 2 { fields[kv[0]] = kv[1] }
        }
        // NUL never belongs in a form field (and PostgreSQL text cannot hold it): refuse the whole form.
        if fields.values.contains(where: { $0.unicodeScalars.contains("\u{0}") }) {
            return try form(error: "入力に使用できない文字が含まれています。/ The form contains a character that is not allowed.",
                            email: "", status: .badRequest)
        }
        let email = fields["email"] ?? ""
        guard let cookie = request.cookies[Self.csrfCookie]?.value, let sent = fields["csrf"],
              SecureRandom.constantTimeEquals(cookie, sent) else {
            return try form(error: "フォームの有効期限が切れました。もう一度お試しください。/ The form expired; please try again.",
                            email: email, status: .forbidden)
        }
        let code = fields["code"].flatMap { $0.trimmed.isEmpty ? nil : $0 }
        let body = LoginBody(email: email, password: fields["password"] ?? "", code: code, recoveryCode: nil)
        do {
            var response = try await AccountRoutes(services: services).signIn(body, request: request, context: context)
            response.status = .seeOther
            response.headers[.location] = "/"
            response.body = .init()
            return response
        } catch let e as APIError {
            let status: HTTPResponse.Status = e.status == .tooManyRequests ? .tooManyRequests : .badRequest
            let message: String
            switch e {
            case .locked(let until): message = "ログイン失敗が続いたため一時的にロックされています（\(until) まで）。/ Locked until \(until)."
            case .invalid(field: "code", _): message = "認証コードを入力してください。/ Enter the code from your authenticator."
            default: message = "メールアドレス、パスワード、または認証コードが違います。/ The e-mail, password or code is wrong."
            }
            return try form(error: message, email: email, status: status)
        }
    }
}
