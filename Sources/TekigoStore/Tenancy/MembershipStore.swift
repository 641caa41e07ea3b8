import Foundation
import SQLKit
import TekigoCore

/// A pending invitation into an organization (migration 5). The token itself is shown once; only its SHA-256 is kept.
public struct MembershipInvitationRecord: Codable, Sendable, Hashable {
    public var id: String
    public var tokenHash: String
    public var organizationId: String
    public var email: String
    public var role: String
    public var invitedBy: String
    public var createdAt: String
    public var expiresAt: String
    public var acceptedAt: String?
    public var acceptedBy: String?
    public var revokedAt: String?

    public var roleValue: Role? { Role(rawValue: role) }
}

public enum InvitationError: Error, Equatable, Sendable, CustomStringConvertible {
    case notValid
    case otherAddress(String)
    case alreadyMember(String)
    /// An open invitation for this address exists already: send it again (a new link) or withdraw it first.
    case alreadyInvited(String)
    case accountExists
    case lifetime
    case notFound(String)

    public var description: String {
        switch self {
        case .alreadyMember(let email): return "\(email) is a member already; change the role instead."
        case .alreadyInvited(let email):
            return "\(email) has an open invitation already; send it again (a new link) or withdraw it, then invite again."
        case .accountExists: return "An account with the invited address exists already: sign in with it, then accept the invitation."
        case .lifetime: return "An invitation is valid for 1 to 30 days."
        case .notFound(let id): return "Invitation \(id) was not found."
        case .notValid:
            return "This invitation is not valid: it was used or withdrawn already, or it has expired. Ask for a new one."
        case .otherAddress(let email):
            return "This invitation is for \(email); sign in with that account (or sign out and create it) to accept it."
        }
    }
}

/// Memberships and invitations of one organization. Every change checks `MembershipRules` and writes its audit
/// entry in the same transaction, so the last-owner rule holds however two changes interleave.
public struct MembershipStore: Sendable {
    let db: TekigoDatabase
    public let organizationID: String

    public init(_ db: TekigoDatabase, organizationID: String) {
        self.db = db
        self.organizationID = organizationID
    }

    static let snake = SnakeCaseColumns.encoder
    static let fromSnake = SnakeCaseColumns.decoder

    /// Changes an existing member's role, or removes the member (`role` nil). `actorRole` nil: the operator.
    public func change(userID: String, to role: Role?, actorRole: Role?, actor: Actor) async throws {
        let org = organizationID
        try await db.transaction { s in
            let before = try await Self.role(userID: userID, organizationID: org, on: s)
            guard before != nil else { throw MembershipRuleError.notAMember }
            try MembershipRules.check(actor: actorRole, before: before, after: role, owners: try await Self.owners(org, on: s))
            try await Self.write(userID: userID, organizationID: org, role: role, on: s)
            try await Self.audit(actor, org, userID, before: before, after: role, on: s, db: db)
        }
    }

    /// The operator's grant (`tekigo admin grant`): adds the user or changes the role, keeping an owner.
    public func grant(userID: String, role: Role, actor: Actor) async throws {
        let org = organizationID
        try await db.transaction { s in
            let before = try await Self.role(userID: userID, organizationID: org, on: s)
            try MembershipRules.check(actor: nil, before: before, after: role, owners: try await Self.owners(org, on: s))
            try await Self.write(userID: userID, organizationID: org, role: role, on: s)
            try await Self.audit(actor, org, userID, before: before, after: role, on: s, db: db)
        }
    }

    // MARK: invitations

    /// A new invitation for `email` with `role`, valid for `days`. The caller shows `token` once.
    public func invite(email: String, role: Role, days: Int, actorRole: Role, actor: Actor,
                       now: Date = Date()) async throws -> (invitation: MembershipInvitationRecord, token: String) {
        if role == .owner, actorRole != .owner { throw MembershipRuleError.onlyOwnerMakesOwner }
        let token = RelationshipStore.newToken()
        let record = MembershipInvitationRecord(
            id: UUID().uuidString.lowercased(), tokenHash: RelationshipStore.tokenHash(token), organizationId: organizationID,
            email: email.lowercased(), role: role.rawValue, invitedBy: actor.id, createdAt: Timestamp.string(now),
            expiresAt: Timestamp.string(now.addingTimeInterval(TimeInterval(days) * 86_400)), acceptedAt: nil, acceptedBy: nil,
            revokedAt: nil)
        try await db.transaction { s in
            // One open invitation per address: the organization's row is locked first (SQLite's BEGIN IMMEDIATE already
            // serializes), so two invitations of the same person at once cannot both pass the check.
            try await SupplyChainLocks.organization(record.organizationId, on: s)
            if try await Self.openInvitation(email: record.email, organizationID: record.organizationId, now: now, on: s) != nil {
                throw InvitationError.alreadyInvited(record.email)
            }
            try await s.insert(into: "membership_invitations").model(record, with: Self.snake).run()
            _ = try await AuditLog(db).append(AuditEvent(actor: actor.id, organizationID: record.organizationId, sourceIP: actor.sourceIP,
                                                         action: .membershipInvited, object: "organization/\(record.organizationId)/invitation/\(record.id)",
                                                         afterDigest: AuditLog.digest(Data("\(record.email) \(role.rawValue)".utf8))), on: s)
        }
        return (record, token)
    }

    /// Pending invitations (not accepted, withdrawn or expired), newest first.
    public func pendingInvitations(now: Date = Date()) async throws -> [MembershipInvitationRecord] {
        try await db.sql.select().columns("*").from("membership_invitations").where("organization_id", .equal, organizationID)
            .where("accepted_at", .is, SQLLiteral.null).where("revoked_at", .is, SQLLiteral.null)
            .where("expires_at", .greaterThan, Timestamp.string(now)).orderBy("created_at", .descending).all()
            .map { try $0.decode(model: MembershipInvitationRecord.self, with: Self.fromSnake) }
    }

    /// Withdraws a pending invitation; false when there is none with this id.
    public func revokeInvitation(id: String, actor: Actor, now: Date = Date()) async throws -> Bool {
        let org = organizationID
        return try await db.transaction { s in
            let rows = try await s.update("membership_invitations").set("revoked_at", to: Timestamp.string(now)).where("id", .equal, id)
                .where("organization_id", .equal, org).where("accepted_at", .is, SQLLiteral.null)
                .where("revoked_at", .is, SQLLiteral.null).returning("id").all()
            guard !rows.isEmpty else { return false }
            _ = try await AuditLog(db).append(AuditEvent(actor: actor.id, organizationID: org, sourceIP: actor.sourceIP,
                                                         action: .membershipInvitationRevoked,
                                                         object: "organization/\(org)/invitation/\(id)"), on: s)
            return true
        }
    }

    // MARK: accepting (not scoped to one organization: the token names it)

    /// The invitation a token stands for, if it can still be accepted.
    public static func openInvitation(_ db: TekigoDatabase, token: String, now: Date = Date()) async throws -> MembershipInvitationRecord? {
        try await db.sql.select().columns("*").from("membership_invitations").where("token_hash", .equal, RelationshipStore.tokenHash(token))
            .where("accepted_at", .is, SQLLiteral.null).where("revoked_at", .is, SQLLiteral.null)
            .where("expires_at", .greaterThan, Timestamp.string(now)).first()?
            .decode(model: MembershipInvitationRecord.self, with: fromSnake)
    }

    /// Accepts an invitation as `user` (whose e-mail address must be the invited one), in `s`: the invitation is used
    /// once, the user becomes a member with the invited role (a member already keeps the higher of the two roles).
    public static func accept(_ db: TekigoDatabase, token: String, user: UserRecord, sourceIP: String, now: Date = Date(),
                              on s: any SQLDatabase) async throws -> (OrganizationRecord, Role) {
        guard let row = try await s.update("membership_invitations").set("accepted_at", to: Timestamp.string(now))
            .set("accepted_by", to: user.id).where("token_hash", .equal, RelationshipStore.tokenHash(token))
            .where("accepted_at", .is, SQLLiteral.null).where("revoked_at", .is, SQLLiteral.null)
            .where("expires_at", .greaterThan, Timestamp.string(now)).where("email", .equal, user.email.lowercased())
            .returning("organization_id", "role", "id").first() else {
            if let open = try await openInvitation(db, token: token, now: now), open.email != user.email.lowercased() {
                throw InvitationError.otherAddress(open.email)
            }
            throw InvitationError.notValid
        }
        let org = try row.decode(column: "organization_id", as: String.self)
        let invitationID = try row.decode(column: "id", as: String.self)
        guard let invited = Role(rawValue: try row.decode(column: "role", as: String.self)),
              let organization = try await s.select().columns("*").from("organizations").where("id", .equal, org).first()?
                .decode(model: OrganizationRecord.self, with: fromSnake) else { throw InvitationError.notValid }
        let before = try await role(userID: user.id, organizationID: org, on: s)
        let after = max(before ?? invited, invited)
        try await write(userID: user.id, organizationID: org, role: after, on: s)
        _ = try await AuditLog(db).append(AuditEvent(actor: user.id, organizationID: org, sourceIP: sourceIP,
                                                     action: .membershipInvitationAccepted,
                                                     object: "organization/\(org)/invitation/\(invitationID)",
                                                     beforeDigest: before.map { AuditLog.digest(Data($0.rawValue.utf8)) },
                                                     afterDigest: AuditLog.digest(Data(after.rawValue.utf8))), on: s)
        return (organization, after)
    }

    // MARK: rows

    static func role(userID: String, organizationID: String, on s: any SQLDatabase) async throws -> Role? {
        try await s.select().column("role").from("memberships").where("user_id", .equal, userID)
            .where("organization_id", .equal, organizationID).first()
            .flatMap { Role(rawValue: try $0.decode(column: "role", as: String.self)) }
    }

    static func owners(_ organizationID: String, on s: any SQLDatabase) async throws -> Int {
        try await s.select().column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n").from("memberships")
            .where("organization_id", .equal, organizationID).where("role", .equal, Role.owner.rawValue).first()?
            .decode(column: "n", as: Int.self) ?? 0
    }

    static func write(userID: String, organizationID: String, role: Role?, on s: any SQLDatabase) async throws {
        try await s.delete(from: "memberships").where("user_id", .equal, userID).where("organization_id", .equal, organizationID).run()
        guard let role else {
            // A member who leaves leaves the incident team too: re-added later, they start without need-to-know.
            try await s.delete(from: "incident_team").where("user_id", .equal, userID).where("organization_id", .equal, organizationID).run()
            return
        }
        try await s.insert(into: "memberships").model(
            MembershipRecord(userId: userID, organizationId: organizationID, role: role.rawValue, createdAt: Timestamp.now()),
            with: snake).run()
    }

    static func audit(_ actor: Actor, _ org: String, _ userID: String, before: Role?, after: Role?, on s: any SQLDatabase,
                      db: TekigoDatabase) async throws {
        _ = try await AuditLog(db).append(AuditEvent(actor: actor.id, organizationID: org, sourceIP: actor.sourceIP,
                                                     action: after == nil ? .membershipRemoved : .membershipRoleChanged,
                                                     object: "organization/\(org)/member/\(userID)",
                                                     beforeDigest: before.map { AuditLog.digest(Data($0.rawValue.utf8)) },
                                                     afterDigest: after.map { AuditLog.digest(Data($0.rawValue.utf8)) }), on: s)
    }
}

extension InvitationError: BilingualError {
    /// The refusal in `language` (issue 17 item 6: the API and the command line say it in Japanese too).
    public func message(in language: Language) -> String {
        guard language == .ja else { return description }
        switch self {
        case .alreadyMember(let email): return "\(email) は既にメンバーです。招待ではなく役割を変更してください。"
        case .alreadyInvited(let email):
            return "\(email) には回答待ちの招待があります。招待を送り直す（新しいリンク）か取り消してから、招待し直してください。"
        case .accountExists: return "招待したアドレスのアカウントは既にあります。そのアカウントでサインインしてから招待を承諾してください。"
        case .lifetime: return "招待の有効日数は 1〜30 日です。"
        case .notFound(let id): return "招待 \(id) が見つかりません。"
        case .notValid: return "この招待は無効です（使用済み、取消し済み又は期限切れ）。新しい招待を依頼してください。"
        case .otherAddress(let email):
            return "この招待は \(email) 宛てです。そのアカウントでサインインして（又はサインアウトして作成して）承諾してください。"
        }
    }
}
