import Foundation
import SQLKit
import TekigoCore

extension AccountStore {
    /// Clears the account's authenticator — active and pending secret, last time step, recovery codes — and ends
    /// every session it has, in `s`: the person signs in with the password and must enrol again (SP 800-171 3.5.3,
    /// `AccountUseCases.mustEnrol`). Returns the account as it was before, nil when there is none. The caller checks
    /// who may and writes the audit entry in `s` (`SecondFactorUseCases.reset`).
    public func clearSecondFactor(userID: String, on s: any SQLDatabase) async throws -> UserRecord? {
        guard !userID.utf8.contains(0),
              let before = try await s.select().columns("*").from("users").where("id", .equal, userID).first()?
                .decode(model: UserRecord.self, with: Self.fromSnake) else { return nil }
        try await s.update("users").set("totp_secret", to: String?.none).set("totp_pending_secret", to: String?.none)
            .set("totp_enabled", to: 0).set("totp_last_step", to: 0).set("recovery_codes", to: JSONText.encode([String]()))
            .where("id", .equal, userID).run()
        try await s.delete(from: "sessions").where("user_id", .equal, userID).run()
        return before
    }

    /// How many organizations the user belongs to, read inside the caller's transaction.
    public func membershipCount(userID: String, on s: any SQLDatabase) async throws -> Int {
        try await s.select().column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n").from("memberships")
            .where("user_id", .equal, userID).first()?.decode(column: "n", as: Int.self) ?? 0
    }
}
