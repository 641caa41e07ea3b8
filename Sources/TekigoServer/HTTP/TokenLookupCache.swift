import Foundation
import TekigoStore

/// API tokens this instance looked up in the last `lifetime` (default one second), so a client polling with one token
/// does not pay a database statement for its credentials on every request — on SQLite, that statement (compiled anew,
/// run on SQLite's threads and back) was half of an authenticated read's cost (docs/PERFORMANCE.md).
///
/// What keeps it safe:
/// - An entry is used only while no transaction has ended in this process since it was read
///   (`TekigoDatabase.writeEpoch`). Revoking a token, changing a role, removing a member or resetting an authenticator
///   is a transaction, so on the instance that made the change the very next request reads the database again.
/// - Another instance (several servers on one PostgreSQL, or the command line on the same file) may keep its entry for
///   at most `lifetime` after such a change; `--token-cache-seconds 0` turns the cache off (docs/SECURITY.md).
/// - Only tokens that were found are kept (a guessed token always reaches the database), expiry and the read-only
///   scope are checked on every request from the entry, and the cache holds at most `capacity` tokens.
final class TokenLookupCache: @unchecked Sendable {
    struct Entry {
        let lookup: TokenLookup
        let epoch: UInt64
        let readAt: ContinuousClock.Instant
    }

    let lifetime: Duration
    let capacity: Int
    private let lock = NSLock()
    private var entries: [String: Entry] = [:]

    init(lifetime: TimeInterval, capacity: Int = 10_000) {
        self.lifetime = .milliseconds(Int64(max(lifetime, 0) * 1000))
        self.capacity = capacity
    }

    var enabled: Bool { lifetime > .zero }

    /// The lookup of the token with this hash, if read at `epoch` (no transaction has ended since) within `lifetime`.
    func lookup(hash: String, epoch: UInt64, now: ContinuousClock.Instant = .now) -> TokenLookup? {
        lock.withLock {
            guard let e = entries[hash] else { return nil }
            guard e.epoch == epoch, now - e.readAt < lifetime else {
                entries[hash] = nil
                return nil
            }
            return e.lookup
        }
    }

    /// Keeps `lookup`, read from the database after `epoch` was taken (taken before the read, so a change that ends
    /// during the read makes the entry unusable at once).
    func keep(_ lookup: TokenLookup, hash: String, epoch: UInt64, now: ContinuousClock.Instant = .now) {
        guard enabled else { return }
        lock.withLock {
            if entries.count >= capacity { entries.removeAll(keepingCapacity: true) }
            entries[hash] = Entry(lookup: lookup, epoch: epoch, readAt: now)
        }
    }
}

extension Services {
    /// The API token with this hash and its user and membership: from this instance's cache while it may be used
    /// (`TokenLookupCache`), from the database otherwise.
    func tokenLookup(hash: String) async throws -> TokenLookup? {
        let epoch = db.writeEpoch
        if let cached = tokenCache.lookup(hash: hash, epoch: epoch) { return cached }
        guard let found = try await accounts.apiTokenAndUser(hash: hash) else { return nil }
        tokenCache.keep(found, hash: hash, epoch: epoch)
        return found
    }
}
