import Foundation
import TekigoCore
import TekigoStore

/// Granting or revoking platform administration (the registry's importers and ISMAP editors, the catalogs' importers,
/// who create organizations over the API): only the operator at the server (`tekigo admin platform-admin EMAIL
/// [--revoke]`), one transaction with its audit entry (`account.platform-admin-changed`, the account as object and
/// the new standing as the after-digest).
public struct PlatformAdminUseCases: Sendable {
    public let db: TekigoDatabase

    public init(db: TekigoDatabase) { self.db = db }

    public enum Failure: Error, Sendable, Equatable, CustomStringConvertible {
        case unknownUser(String)

        public var description: String { text.en }
        public var text: LocalizedText {
            switch self {
            case .unknownUser(let email):
                return LocalizedText(en: "No account has the e-mail address \(email); create it first (tekigo admin create, then the setup link).",
                                     ja: "メールアドレス \(email) のアカウントはありません。先に作成してください（tekigo admin create のあとセットアップリンク）。")
            }
        }
    }

    /// Sets the account's platform administration; returns whether it changed. Audited with actor `cli` when it did.
    @discardableResult
    public func set(email: String, _ on: Bool, actor: Actor = Actor(id: "cli", sourceIP: "local")) async throws -> Bool {
        let accounts = AccountStore(db)
        guard let user = try await accounts.user(email: email) else { throw Failure.unknownUser(email) }
        if user.isPlatformAdmin == on { return false }
        try await db.transaction { s in
            try await accounts.setPlatformAdmin(userID: user.id, on, on: s)
            _ = try await AuditLog(db).append(AuditEvent(actor: actor.id, sourceIP: actor.sourceIP, action: .platformAdminChanged,
                                                         object: "user/\(user.id)",
                                                         beforeDigest: AuditLog.digest(Data((user.isPlatformAdmin ? "platform-admin" : "none").utf8)),
                                                         afterDigest: AuditLog.digest(Data((on ? "platform-admin" : "none").utf8))), on: s)
        }
        return true
    }
}
