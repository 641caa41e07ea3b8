import Foundation
import TekigoCore
import TekigoStore

/// Credentials this instance looked up in the last `lifetime` (default one second) — API tokens, sessions and
/// memberships, each in a cache of its own — so a client polling with one token or session does not pay database
/// statements for who it is on every request: on SQLite each statement (compiled anew, run on SQLite's threads and back)
/// cost as much as the rest of a small authenticated read (docs/PERFORMANCE.md).
///
/// What keeps it safe:
/// - An entry is used only while no transaction, and no write outside one, has ended in this process since it was
///   read (`TekigoDatabase.writeEpoch`). Revoking a token, signing out, passing the second factor, changing a role,
///   removing a member or resetting an authenticator is such a write, so on the instance that made the change the very
///   next request reads the database again.
/// - Another instance (several servers on one PostgreSQL, or the command line on the same file) may keep its entry for
///   at most `lifetime` after such a change; `--credential-cache-seconds 0` turns the caches off (docs/SECURITY.md).
/// - Only what was found is kept (a guessed token or cookie always reaches the database); expiry, idle time, the
///   read-only scope and the role's permissions are checked on every request from the entry; each cache holds at
///   most `capacity` entries.
final class RecentLookups<Value: Sendable>: @unchecked Sendable {
    struct Entry {
        let lookup: Value
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

    /// The lookup kept under `hash`, if read at `epoch` (no change has ended since) within `lifetime`.
    func lookup(hash: String, epoch: UInt64, now: ContinuousClock.Instant = .now) -> Value? {
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
    func keep(_ lookup: Value, hash: String, epoch: UInt64, now: ContinuousClock.Instant = .now) {
        guard enabled else { return }
        lock.withLock {
            if entries.count >= capacity { entries.removeAll(keepingCapacity: true) }
            entries[hash] = Entry(lookup: lookup, epoch: epoch, readAt: now)
        }
    }
}

typealias TokenLookupCache = RecentLookups<TokenLookup>

/// The caches of one instance (`ServerConfiguration.credentialCacheSeconds`).
struct CredentialCaches: Sendable {
    let tokens: RecentLookups<TokenLookup>
    let sessions: RecentLookups<SessionLookup>
    let memberships: RecentLookups<MembershipLookup>

    init(lifetime: TimeInterval) {
        tokens = RecentLookups(lifetime: lifetime)
        sessions = RecentLookups(lifetime: lifetime)
        memberships = RecentLookups(lifetime: lifetime)
    }
}

struct SessionLookup: Sendable {
    let session: SessionRecord
    let user: UserRecord
}

struct MembershipLookup: Sendable {
    let organization: OrganizationRecord
    let role: Role
}

extension Services {
    /// Reads through `cache`: the entry kept under `key` while it may be used, else `read()`'s answer (kept when found).
    private func cached<Value: Sendable>(_ cache: RecentLookups<Value>, _ key: String,
                                         _ read: () async throws -> Value?) async throws -> Value? {
        let epoch = db.writeEpoch  // taken before the read: a change ending during it makes the entry unusable at once
        if let hit = cache.lookup(hash: key, epoch: epoch) { return hit }
        guard let found = try await read() else { return nil }
        cache.keep(found, hash: key, epoch: epoch)
        return found
    }

    /// The API token with this hash and its user and membership.
    func tokenLookup(hash: String) async throws -> TokenLookup? {
        try await cached(credentials.tokens, hash) { try await accounts.apiTokenAndUser(hash: hash) }
    }

    /// The session with this hash and its user.
    func sessionLookup(idHash: String) async throws -> SessionLookup? {
        try await cached(credentials.sessions, idHash) {
            try await accounts.sessionAndUser(idHash: idHash).map { SessionLookup(session: $0.0, user: $0.1) }
        }
    }

    /// The user's organization and role there; nil when they are not a member.
    func membershipLookup(userID: String, organizationID: String) async throws -> MembershipLookup? {
        // Ids are UUIDs (no "|"): the key cannot be made by two different pairs.
        try await cached(credentials.memberships, userID + "|" + organizationID) {
            try await accounts.membership(userID: userID, organizationID: organizationID).map { MembershipLookup(organization: $0.0, role: $0.1) }
        }
    }
}
