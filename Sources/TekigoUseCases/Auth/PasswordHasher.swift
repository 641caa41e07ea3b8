import HummingbirdBcrypt
import NIOPosix

/// Password storage with bcrypt (SP 800-171 3.5.10; SP 800-63B 5.1.1.2: salted, with a costly one-way function).
///
/// bcrypt is deliberately slow (about a quarter of a second at cost 12), so every call runs on
/// `NIOThreadPool.singleton`, never on an event loop or the cooperative task pool.
/// Passwords are NFKC-normalised first (see `PasswordPolicy.normalize`), so full-width and half-width
/// input verify alike.
public enum PasswordHasher {
    /// log2 of the bcrypt rounds.
    public static let cost: UInt8 = 12

    public enum HashError: Error, Sendable, Equatable {
        /// The password contains U+0000, which the C implementation would treat as its end.
        case containsNUL
    }

    /// A bcrypt hash (`$2b$12$…`, salt included) of the normalised password.
    public static func hash(_ password: String) async throws -> String {
        let normalized = PasswordPolicy.normalize(password)
        guard !normalized.utf8.contains(0) else { throw HashError.containsNUL }
        return try await NIOThreadPool.singleton.runIfActive {
            Bcrypt.hash(normalized, cost: cost)
        }
    }

    /// True when `password` matches `hash`. False on any failure (including a stopped thread pool).
    public static func verify(_ password: String, hash: String) async -> Bool {
        let normalized = PasswordPolicy.normalize(password)
        // A NUL would make bcrypt compare only the part before it; such a password was never stored.
        // Still spend the same time, so the answer does not come back early.
        let nul = normalized.utf8.contains(0)
        let candidate = nul ? "" : normalized
        let matched = (try? await NIOThreadPool.singleton.runIfActive {
            Bcrypt.verify(candidate, hash: hash)
        }) ?? false
        return matched && !nul
    }

    /// Spends as long as `verify` does for a real account, and always returns false.
    ///
    /// Call it when the e-mail address is unknown (or the account is disabled), so that the response time
    /// does not tell an attacker which addresses have accounts.
    @discardableResult
    public static func dummyVerify(_ password: String) async -> Bool {
        _ = await verify(password, hash: dummyHash)
        return false
    }

    /// bcrypt, cost 12, of a random 32-byte token that was thrown away when this hash was made: no password
    /// matches it in practice, and `dummyVerify` ignores the result anyway. Same cost as real hashes, so
    /// verifying against it takes as long.
    static let dummyHash = "$2b$12$.jVRtHUXzwaES7CGeW0q8uRTGXk/OFvpe5ObE7NxMQAFL.G3CKv8u"
}
