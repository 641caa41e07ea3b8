import Foundation
import Hummingbird
import HummingbirdTesting
import Testing
import TekigoStore
import TekigoUseCases
import TekigoTestSupport
@testable import TekigoServer

/// The server over real HTTP on loopback, on SQLite and (when configured) PostgreSQL.
@Suite("Server: setup, MFA, assessments, tokens, tenancy", .serialized)
struct ServerFlowTests {
    @Test("First run: setup link → admin → MFA required, enrolled, then required at sign-in (SP 800-171 3.5.3)",
          arguments: TestDatabases.engines)
    func setupAndMFA(engine: TestDatabases.Engine) async throws {
        let (app, services) = try await TestServer.make(engine)
        try await app.test(.live) { client in
            let b = Browser(client)
            let link = try await services.setupLinkIfNeeded(baseURL: "http://test")!
            let token = String(link.split(separator: "=").last!)
            // A weak password is refused with the field named; the token stays usable.
            let weak = try await b.send(.post, "/api/v1/setup", json: [
                "token": token, "email": "admin@example.jp", "password": "password", "displayName": "A", "organization": "X"])
            #expect(weak.status == .badRequest)
            #expect((weak.json["error"] as? [String: Any])?["field"] as? String == "password")
            let ok = try await b.send(.post, "/api/v1/setup", json: [
                "token": token, "email": "admin@example.jp", "password": "correct horse battery staple 7",
                "displayName": "管理者", "organization": "株式会社プライム"])
            #expect(ok.status == .created)
            // The link works once.
            let again = try await b.send(.post, "/api/v1/setup", json: [
                "token": token, "email": "x@example.jp", "password": "correct horse battery staple 8", "displayName": "B", "organization": "Y"])
            #expect(again.status == .forbidden)
            #expect(try await services.setupLinkIfNeeded(baseURL: "http://test") == nil)

            let login = try await b.login("admin@example.jp", "correct horse battery staple 7")
            #expect(login.status == .ok)
            #expect(login.json["mfaEnrollmentRequired"] as? Bool == true)
            #expect(login.headers[.setCookie]?.contains("HttpOnly") == true)
            #expect(login.headers[.setCookie]?.contains("SameSite=Strict") == true)
            // An admin without MFA can do nothing but enrol.
            #expect(try await b.send(.get, "/api/v1/organizations").errorCode == "mfa_required")
            let enrol = try await b.send(.post, "/api/v1/me/mfa")
            let secret = try #require(enrol.json["secret"] as? String)
            #expect((enrol.json["otpauthURI"] as? String)?.hasPrefix("otpauth://totp/Tekigo:") == true)
            let bad = try await b.send(.post, "/api/v1/me/mfa/confirm", json: ["code": "000000"])
            #expect(bad.status == .badRequest)
            let confirm = try await b.send(.post, "/api/v1/me/mfa/confirm", json: ["code": currentTOTP(secret)])
            #expect(confirm.status == .ok)
            let recovery = try #require(confirm.json["recoveryCodes"] as? [String])
            #expect(recovery.count == 10)
            #expect(try await b.send(.get, "/api/v1/organizations").status == .ok)

            // Sign-out, then sign-in needs the second factor; a replayed code is refused.
            #expect(try await b.send(.delete, "/api/v1/session").status == .noContent)
            #expect(try await b.send(.get, "/api/v1/me").status == .unauthorized)
            let noCode = try await b.login("admin@example.jp", "correct horse battery staple 7")
            #expect(noCode.status == .badRequest)
            #expect((noCode.json["error"] as? [String: Any])?["field"] as? String == "code")
            let withRecovery = try await b.send(.post, "/api/v1/session", json: [
                "email": "admin@example.jp", "password": "correct horse battery staple 7", "recoveryCode": recovery[0]])
            #expect(withRecovery.status == .ok)
            let reused = try await Browser(client).send(.post, "/api/v1/session", json: [
                "email": "admin@example.jp", "password": "correct horse battery staple 7", "recoveryCode": recovery[0]])
            #expect(reused.status == .badRequest)
        }
        await services.db.close()
    }

    @Test("Lockout with backoff after five failures (SP 800-171 3.1.8); unknown users look the same", arguments: TestDatabases.engines)
    func lockout(engine: TestDatabases.Engine) async throws {
        let (app, services) = try await TestServer.make(engine)
        try await app.test(.live) { client in
            let b = Browser(client)
            _ = try await bootstrapAdmin(b, services: services)
            let other = Browser(client)
            for _ in 0..<4 {
                #expect(try await other.login("admin@example.jp", "wrong password 123456").status == .badRequest)
            }
            let fifth = try await other.login("admin@example.jp", "wrong password 123456")
            #expect(fifth.status == .tooManyRequests)
            #expect(fifth.errorCode == "account_locked")
            // Even the right password is refused while locked.
            let right = try await other.login("admin@example.jp", "correct horse battery staple 7", code: "123456")
            #expect(right.status == .tooManyRequests)
            let unknown = try await other.login("nobody@example.jp", "wrong password 123456")
            #expect(unknown.status == .badRequest)
            #expect(unknown.errorCode == "invalid")
        }
        await services.db.close()
    }

    @Test("Failed sign-ins from one address are capped across accounts (password spraying)", arguments: TestDatabases.engines)
    func addressCap(engine: TestDatabases.Engine) async throws {
        let (app, services) = try await TestServer.make(engine)
        try await app.test(.live) { client in
            let admin = Browser(client)
            let (secret, _) = try await bootstrapAdmin(admin, services: services)
            let sprayer = Browser(client)
            for i in 0..<AccountUseCases.maxFailuresPerAddress {
                let r = try await sprayer.login("user\(i)@example.jp", "Spring2026 password!")
                #expect(r.status == .badRequest)
            }
            let capped = try await sprayer.login("user-next@example.jp", "Spring2026 password!")
            #expect(capped.status == .tooManyRequests)
            #expect(capped.errorCode == "rate_limited")
            // The cap holds for correct credentials from the same address too, until the window ends.
            let right = try await Browser(client).login("admin@example.jp", "correct horse battery staple 7",
                                                         code: currentTOTP(secret, at: Date().addingTimeInterval(30)))
            #expect(right.status == .tooManyRequests)
        }
        await services.db.close()
    }

    @Test("Assessment over the API: findings with ETag / If-Match, score, export, audit chain intact", arguments: TestDatabases.engines)
    func assessmentFlow(engine: TestDatabases.Engine) async throws {
        let (app, services) = try await TestServer.make(engine)
        try await app.test(.live) { client in
            let b = Browser(client)
            let (_, org) = try await bootstrapAdmin(b, services: services)
            let sys = try await b.send(.post, "/api/v1/organizations/\(org)/systems", json: ["name": "本社工場", "userCount": 20])
            #expect(sys.status == .created)
            let systemID = try #require(sys.json["id"] as? String)
            let asm = try await b.send(.post, "/api/v1/organizations/\(org)/assessments",
                                       json: ["systemId": systemID, "date": "2026-11-27", "kind": "basic"])
            #expect(asm.status == .created)
            let aid = try #require(asm.json["id"] as? String)
            let base = "/api/v1/organizations/\(org)/assessments/\(aid)"
            let list = try await b.send(.get, "\(base)/findings")
            #expect(list.json["total"] as? Int == 320)

            let put = try await b.send(.put, "\(base)/findings/3.1.1[a]", json: ["status": "met", "rationale": "承認済みアカウントのみ"],
                                       headers: [.ifMatch: "\"0\""])
            #expect(put.status == .ok)
            #expect(put.headers[.eTag] == "\"1\"")
            // A stale write loses nothing: 412 and the current version.
            let stale = try await b.send(.put, "\(base)/findings/3.1.1[a]", json: ["status": "not-met"], headers: [.ifMatch: "\"0\""])
            #expect(stale.status == .preconditionFailed)
            #expect(stale.headers[.eTag] == "\"1\"")
            let unknownField = try await b.send(.put, "\(base)/findings/3.1.1[a]", json: ["status": "met", "statsu": "x"])
            #expect(unknownField.status == .badRequest)
            #expect((unknownField.json["error"] as? [String: Any])?["field"] as? String == "statsu")
            // RFC 3986 clients encode the brackets.
            let encoded = try await b.send(.put, "\(base)/findings/3.1.1%5Bd%5D", json: ["status": "met"])
            #expect(encoded.status == .ok)
            let badObjective = try await b.send(.put, "\(base)/findings/3.1.1[z]", json: ["status": "met"])
            #expect(badObjective.status == .notFound)
            let wrongType = try await b.send(.put, "\(base)/findings/3.1.1[b]", raw: Data("status=met".utf8),
                                             headers: [.contentType: "application/x-www-form-urlencoded"])
            #expect(wrongType.status == .unsupportedMediaType)

            let score = try await b.send(.get, "\(base)/score")
            #expect(score.status == .ok)
            #expect(score.json["answered"] as? Int == 2)
            let html = try await b.send(.get, "\(base)/export/ssp?format=html&lang=ja")
            #expect(html.status == .ok)
            #expect(html.headers[.contentDisposition]?.hasPrefix("attachment") == true)
            #expect(String(decoding: html.body, as: UTF8.self).contains("システムセキュリティ実装計画書"))

            // Evidence: encrypted upload, download as attachment, delete refused while a finding cites it.
            let up = try await b.send(.post, "/api/v1/organizations/\(org)/evidence?filename=../../etc/policy.pdf",
                                      raw: Data("policy text".utf8), headers: [.contentType: "application/pdf"])
            #expect(up.status == .created)
            #expect(up.json["filename"] as? String == "policy.pdf")
            let sha = try #require(up.json["sha256"] as? String)
            let down = try await b.send(.get, "/api/v1/organizations/\(org)/evidence/\(sha)")
            #expect(down.body == Data("policy text".utf8))
            #expect(down.headers[.xContentTypeOptions] == "nosniff")
            #expect(down.headers[.contentDisposition]?.hasPrefix("attachment") == true)
            let cite = try await b.send(.put, "\(base)/findings/3.1.1[b]", json: [
                "status": "met", "evidence": [["location": "policy.pdf", "sha256": sha]]])
            #expect(cite.status == .ok)
            let del = try await b.send(.delete, "/api/v1/organizations/\(org)/evidence/\(sha)")
            #expect(del.status == .conflict)
            // Citing a digest that was never uploaded to this organization is refused, naming the field.
            let dangling = try await b.send(.put, "\(base)/findings/3.1.1[c]", json: [
                "status": "met", "evidence": [["location": "x.pdf", "sha256": String(repeating: "ab", count: 32)]]])
            #expect(dangling.status == .badRequest)
            #expect((dangling.json["error"] as? [String: Any])?["field"] as? String == "evidence[0].sha256")

            let verify = try await AuditLog(services.db).verify()
            #expect(verify.isIntact)
            #expect(verify.entries >= 6)
        }
        await services.db.close()
    }

    @Test("API tokens: shown once, scoped, revocable; CSRF required for cookie writes", arguments: TestDatabases.engines)
    func tokensAndCSRF(engine: TestDatabases.Engine) async throws {
        let (app, services) = try await TestServer.make(engine)
        try await app.test(.live) { client in
            let b = Browser(client)
            let (_, org) = try await bootstrapAdmin(b, services: services)
            let csrf = b.csrf
            b.csrf = nil
            let noCSRF = try await b.send(.post, "/api/v1/organizations/\(org)/systems", json: ["name": "X"])
            #expect(noCSRF.status == .forbidden)
            b.csrf = csrf
            let read = try await b.send(.post, "/api/v1/organizations/\(org)/tokens", json: ["name": "ci", "scope": "read", "expiresInDays": 30])
            #expect(read.status == .created)
            let token = try #require(read.json["token"] as? String)
            let tokenID = try #require(read.json["id"] as? String)
            // The last owner cannot demote themselves out of the organization.
            let demote = try await b.send(.put, "/api/v1/organizations/\(org)/members", json: ["email": "admin@example.jp", "role": "viewer"])
            #expect(demote.status == .conflict)
            let listed = try await b.send(.get, "/api/v1/organizations/\(org)/tokens")
            #expect(!String(decoding: listed.body, as: UTF8.self).contains(token))

            let machine = Browser(client)
            machine.bearer = token
            #expect(try await machine.send(.get, "/api/v1/organizations/\(org)/systems").status == .ok)
            #expect(try await machine.send(.post, "/api/v1/organizations/\(org)/systems", json: ["name": "Y"]).status == .forbidden)
            #expect(try await b.send(.delete, "/api/v1/organizations/\(org)/tokens/\(tokenID)").status == .noContent)
            #expect(try await machine.send(.get, "/api/v1/organizations/\(org)/systems").status == .unauthorized)
            let garbage = Browser(client)
            garbage.bearer = "tkg_not-a-token"
            #expect(try await garbage.send(.get, "/api/v1/me").status == .unauthorized)
        }
        await services.db.close()
    }
}
