import Foundation
import SQLKit
import TekigoCore

/// TOTP secrets at rest (SP 800-171 3.13.16, 3.5.3): `users.totp_secret` and `users.totp_pending_secret` hold
/// `sealed:v1:` and the base64 of the secret sealed with the evidence key (AES-256-GCM, `EvidenceKey.seal`), bound to
/// the user's id, like webhook secrets and organization signing keys. Active and pending secrets share one binding, so
/// confirming enrolment moves the sealed text from one column to the other unchanged.
///
/// `AccountStore` seals every secret it writes and opens every secret it reads, so callers see the base32 secret as
/// before. Text without the prefix is a secret stored in clear by an earlier Tekigo: it is read as it is, and
/// `sealStoredTOTPSecrets()` (run by the server at start) seals it in place.
extension AccountStore {
    static let sealedTOTPPrefix = "sealed:v1:"

    static func totpBinding(userID: String) -> Data {
        EvidenceKey.binding("tekigo.totp-secret.v1", [userID])
    }

    /// Whether stored text is a sealed secret (rather than one kept in clear by an earlier Tekigo).
    public static func isSealedTOTPSecret(_ stored: String) -> Bool { stored.hasPrefix(sealedTOTPPrefix) }

    /// The text to store for `secret`. Without the evidence key nothing is stored in clear: it is an error.
    public func sealTOTPSecret(_ secret: String, userID: String) throws -> String {
        guard let secretKey else { throw TOTPSecretError.noKey }
        guard let sealed = try secretKey.seal(Data(secret.utf8), binding: Self.totpBinding(userID: userID)) else {
            throw TOTPSecretError.cannotSeal
        }
        return Self.sealedTOTPPrefix + sealed.base64EncodedString()
    }

    /// The secret in stored text: opened when sealed, as it is when stored in clear by an earlier Tekigo. A sealed
    /// secret that does not open (another evidence key, or an altered row) is an error naming the user; without a key
    /// (commands that never use the secret) the stored text is passed through.
    public func openTOTPSecret(_ stored: String?, userID: String) throws -> String? {
        guard let stored, Self.isSealedTOTPSecret(stored), let secretKey else { return stored }
        guard let bytes = Data(base64Encoded: String(stored.dropFirst(Self.sealedTOTPPrefix.count))),
              let plain = secretKey.unseal(bytes, binding: Self.totpBinding(userID: userID)) else {
            throw StoreError.corruptRow(
                table: "users", key: userID,
                reason: "the TOTP secret does not open with this server's evidence key (\(EvidenceKey.environmentVariable) "
                    + "or \(EvidenceKey.fileName)): it was sealed with another key, or the row was altered. Start the server "
                    + "with the key it was sealed with, or have the user enrol the authenticator again")
        }
        return String(decoding: plain, as: UTF8.self)
    }

    /// The user with its TOTP secrets opened.
    func opened(_ user: UserRecord) throws -> UserRecord {
        guard secretKey != nil, user.totpSecret != nil || user.totpPendingSecret != nil else { return user }
        var u = user
        u.totpSecret = try openTOTPSecret(user.totpSecret, userID: user.id)
        u.totpPendingSecret = try openTOTPSecret(user.totpPendingSecret, userID: user.id)
        return u
    }

    /// Seals every TOTP secret still stored in clear (written by a Tekigo before secrets were sealed); returns how
    /// many were sealed. Each row is rewritten only if it still holds the text that was read, so instances starting
    /// together, or an enrolment in between, lose nothing.
    @discardableResult
    public func sealStoredTOTPSecrets() async throws -> Int {
        guard secretKey != nil else { throw TOTPSecretError.noKey }
        let like = Self.sealedTOTPPrefix + "%"
        var sealed = 0
        for column in ["totp_secret", "totp_pending_secret"] {
            let rows = try await db.sql.select().columns("id", column).from("users")
                .where(SQLIdentifier(column), .isNot, SQLLiteral.null)
                .where(SQLIdentifier(column), .notLike, SQLBind(like)).all()
            for row in rows {
                let id = try row.decode(column: "id", as: String.self)
                let clear = try row.decode(column: column, as: String.self)
                let updated = try await db.sql.update("users").set(SQLIdentifier(column), to: SQLBind(try sealTOTPSecret(clear, userID: id)))
                    .where("id", .equal, id).where(SQLIdentifier(column), .equal, SQLBind(clear)).returning("id").all()
                sealed += updated.count
            }
        }
        return sealed
    }
}

/// Why a TOTP secret cannot be stored.
public enum TOTPSecretError: Error, CustomStringConvertible {
    case noKey
    case cannotSeal

    public var description: String {
        switch self {
        case .noKey:
            return "TOTP secrets are stored sealed with the evidence key, and this store was opened without it "
                + "(give AccountStore the key from EvidenceKey.load)"
        case .cannotSeal:
            return "AES-GCM gave no sealed form for the TOTP secret"
        }
    }
}
