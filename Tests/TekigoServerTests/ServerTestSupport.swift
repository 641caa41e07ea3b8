import Foundation
import Hummingbird
import HTTPTypes
import HummingbirdOTP
import HummingbirdTesting
import NIOCore
import TekigoCore
import TekigoTestSupport
@testable import TekigoServer
import TekigoStore
@testable import TekigoUseCases

/// A running test server on one engine, and a small client that keeps cookies and the CSRF token like a browser.
struct TestServer {
    let services: Services
    let app: any ApplicationProtocol

    /// `clock`: the server's one clock (`ServerConfiguration.clock`); a `SettableClock` lets a test move time.
    static func make(_ engine: TestDatabases.Engine, clock: any WallClock = SystemClock()) async throws -> (some ApplicationProtocol, Services) {
        let location = try await TestDatabases.fresh(engine)
        let dir = try TestEnvironment.temporaryDirectory("tekigo-server")
        let config = ServerConfiguration(hostname: "127.0.0.1", port: 0, database: location, dataDirectory: dir.path,
                                         environment: [:], logLevel: .warning, clock: clock)
        return try await buildApplication(config)
    }
}

/// The code an authenticator app would show now.
func currentTOTP(_ secret: String, at date: Date = Date()) -> String {
    let key = TOTPAuthenticator.hmacKey(fromBase32: secret)!
    let code = TOTP(secret: key, length: 6, timeStep: 30, hashFunction: .sha1).compute(date: date)
    return TOTPAuthenticator.zeroPadded(code)
}

final class Browser: @unchecked Sendable {
    let client: any TestClientProtocol
    var cookie: String?
    var csrf: String?
    var bearer: String?

    init(_ client: any TestClientProtocol) { self.client = client }

    struct Reply {
        let status: HTTPResponse.Status
        let headers: HTTPFields
        let body: Data
        var json: [String: Any] { (try? JSONSerialization.jsonObject(with: body) as? [String: Any]) ?? [:] }
        var errorCode: String? { (json["error"] as? [String: Any])?["code"] as? String }
    }

    @discardableResult
    func send(_ method: HTTPRequest.Method, _ uri: String, json: Any? = nil, raw: Data? = nil, headers extra: HTTPFields = [:]) async throws -> Reply {
        var headers = extra
        if let cookie { headers[.cookie] = "tekigo_session=\(cookie)" }
        if let csrf { headers[HTTPField.Name("X-CSRF-Token")!] = csrf }
        if let bearer { headers[.authorization] = "Bearer \(bearer)" }
        var body: ByteBuffer?
        if let json {
            headers[.contentType] = headers[.contentType] ?? "application/json"
            body = ByteBuffer(bytes: try JSONSerialization.data(withJSONObject: json))
        } else if let raw {
            body = ByteBuffer(bytes: raw)
        }
        let r = try await client.execute(uri: uri, method: method, headers: headers, body: body)
        for field in r.headers where field.name == .setCookie {
            let value = field.value
            if value.hasPrefix("tekigo_session=") {
                let v = String(value.dropFirst("tekigo_session=".count).prefix { $0 != ";" })
                cookie = v.isEmpty ? nil : v
            }
        }
        return Reply(status: r.status, headers: r.headers, body: Data(buffer: r.body))
    }

    /// Signs in; returns the reply (the CSRF token is kept).
    @discardableResult
    func login(_ email: String, _ password: String, code: String? = nil) async throws -> Reply {
        var body: [String: Any] = ["email": email, "password": password]
        if let code { body["code"] = code }
        csrf = nil
        let r = try await send(.post, "/api/v1/session", json: body)
        if r.status == .ok { csrf = r.json["csrfToken"] as? String }
        return r
    }
}

/// Creates the first administrator through the setup link and enrols MFA; returns the secret. The code is the one
/// the authenticator shows at the server's clock.
func bootstrapAdmin(_ browser: Browser, services: Services, email: String = "admin@example.jp",
                    password: String = "correct horse battery staple 7") async throws -> (secret: String, orgID: String) {
    let link = try await services.setupLinkIfNeeded(baseURL: "http://test")!
    let token = String(link.split(separator: "=").last!)
    let setup = try await browser.send(.post, "/api/v1/setup", json: [
        "token": token, "email": email, "password": password, "displayName": "管理者 一郎", "organization": "株式会社プライム",
    ])
    precondition(setup.status == .created, "setup failed: \(String(decoding: setup.body, as: UTF8.self))")
    try await browser.login(email, password)
    let enrol = try await browser.send(.post, "/api/v1/me/mfa")
    let secret = enrol.json["secret"] as! String
    let confirm = try await browser.send(.post, "/api/v1/me/mfa/confirm", json: ["code": currentTOTP(secret, at: services.clock.now())])
    precondition(confirm.status == .ok, "mfa confirm failed: \(String(decoding: confirm.body, as: UTF8.self))")
    let orgs = try await browser.send(.get, "/api/v1/organizations")
    let orgID = ((orgs.json["items"] as! [[String: Any]])[0]["id"] as! String)
    return (secret, orgID)
}
