import Foundation
import TekigoCore
import TekigoStore

public enum TokenError: Error, Equatable, Sendable, CustomStringConvertible {
    case scope
    case lifetime
    case missingName
    case notFound(String)
    case sessionOnly

    public var description: String {
        switch self {
        case .scope: return "scope must be read or write."
        case .lifetime: return "expiresInDays must be 1…365."
        case .missingName: return "Name the token."
        case .notFound(let id): return "Token \(id) was not found."
        case .sessionOnly: return "Create API tokens from a signed-in session."
        }
    }

    public var field: String? {
        switch self {
        case .scope: return "scope"
        case .lifetime: return "expiresInDays"
        case .missingName: return "name"
        default: return nil
        }
    }
}

/// Machine credentials (SP 800-171 3.5.x): random, shown once, stored as a SHA-256 digest, bound to one organization
/// and a scope, expiring within a year, revocable; created and revoked in one transaction with their audit entry.
public struct TokenUseCases: Sendable {
    public let env: AccountEnvironment

    public init(_ env: AccountEnvironment) { self.env = env }

    public static let lifetimeDays = 1...365

    /// Everything wrong with a new token's fields, so a form can show each beside its field.
    public static func problems(name: String, scope: String, days: Int) -> [TokenError] {
        var found: [TokenError] = []
        if !["read", "write"].contains(scope) { found.append(.scope) }
        if !lifetimeDays.contains(days) { found.append(.lifetime) }
        if name.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty { found.append(.missingName) }
        return found
    }

    public func create(organizationID: String, user: UserRecord, name: String, scope: String, days: Int,
                       actor: Actor) async throws -> (record: APITokenRecord, token: String) {
        if let problem = Self.problems(name: name, scope: scope, days: days).first { throw problem }
        let name = name.trimmingCharacters(in: .whitespacesAndNewlines)
        let token = "tkg_" + SecureRandom.token()
        let now = env.clock.now()
        let record = APITokenRecord(id: UUID().uuidString.lowercased(), organizationId: organizationID, userId: user.id, name: name,
                                    tokenHash: SecureRandom.sha256Hex(token), scope: scope,
                                    expiresAt: Timestamp.string(now.addingTimeInterval(Double(days) * 86400)), revokedAt: nil,
                                    createdAt: Timestamp.string(now))
        let accounts = env.accounts, audit = env.audit
        try await env.db.transaction { s in
            try await accounts.insertAPIToken(record, on: s)
            _ = try await audit.append(AuditEvent(actor: actor.id, organizationID: organizationID, sourceIP: actor.sourceIP,
                                                  action: .tokenCreated, object: "token/\(record.id)",
                                                  afterDigest: AuditLog.digest(Data(record.scope.utf8))), on: s)
        }
        return (record, token)
    }

    public func revoke(organizationID: String, id: String, actor: Actor) async throws {
        let accounts = env.accounts, audit = env.audit, at = Timestamp.string(env.clock.now())
        try await env.db.transaction { s in
            guard try await accounts.revokeAPIToken(id: id, organizationID: organizationID, at: at, on: s) else { throw TokenError.notFound(id) }
            _ = try await audit.append(AuditEvent(actor: actor.id, organizationID: organizationID, sourceIP: actor.sourceIP,
                                                  action: .tokenRevoked, object: "token/\(id)"), on: s)
        }
    }
}

extension TokenError: BilingualError {
    /// The refusal in `language` (issue 17 item 6); English is `description`.
    public func message(in language: Language) -> String {
        guard language == .ja else { return description }
        switch self {
        case .scope: return "scope は read か write にしてください。"
        case .lifetime: return "expiresInDays は 1〜365 にしてください。"
        case .missingName: return "トークンの名前を付けてください。"
        case .notFound(let id): return "トークン \(id) が見つかりません。"
        case .sessionOnly: return "API トークンは、サインインしたセッションから作成してください。"
        }
    }
}
