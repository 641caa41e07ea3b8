import Foundation
import TekigoCore
import TekigoStore

/// An item as the library shows it: the row, its state on the organization's today, who owns it and how often it is used.
public struct EvidenceItemSummary: Sendable, Hashable {
    public let item: EvidenceItemRecord
    public let expiry: EvidenceExpiry
    /// The member's name (or e-mail) when the owner is a member, else the name as typed.
    public let owner: String
    public let useCount: Int
}

/// Which items a list shows.
public enum EvidenceLibraryFilter: String, Sendable, CaseIterable {
    case all
    case expired
    /// Expiring within `EvidenceExpiry.soonDays` (not yet expired).
    case expiringSoon = "expiring-soon"
}

/// Reading the evidence library (issue 17 item 5) for every member of the organization: the list with filters, one
/// item with where it is used, and the objectives of an assessment that rely on expired evidence. "Today" is the
/// organization's, by the injected clock.
public struct EvidenceLibraryQueries: Sendable {
    public let env: TenantEnvironment
    public let scope: TenantScope

    public init(_ env: TenantEnvironment, _ scope: TenantScope) {
        self.env = env
        self.scope = scope
    }

    var store: EvidenceLibraryStore { EvidenceLibraryStore(env.db, organizationID: scope.organizationID) }
    public var today: Day { scope.calendar.today(env.clock) }

    func ownerNames() async throws -> [String: String] {
        Dictionary(try await AccountStore(env.db).members(organizationID: scope.organizationID)
            .map { ($0.0.id, $0.0.displayName.isEmpty ? $0.0.email : $0.0.displayName) }, uniquingKeysWith: { x, _ in x })
    }

    func summary(_ r: EvidenceItemRecord, owners: [String: String], uses: Int) -> EvidenceItemSummary {
        EvidenceItemSummary(item: r, expiry: r.expiry(on: today),
                            owner: r.ownerUserId.map { owners[$0] ?? $0 } ?? r.ownerName, useCount: uses)
    }

    /// The organization's members as owners to choose from: (user id, name).
    public func members() async throws -> [(id: String, name: String)] {
        try await ownerNames().map { (id: $0.key, name: $0.value) }.sorted { ($0.name, $0.id) < ($1.name, $1.id) }
    }

    public func list(_ filter: EvidenceLibraryFilter = .all) async throws -> [EvidenceItemSummary] {
        let owners = try await ownerNames(), counts = try await store.useCounts()
        return try await store.items().map { summary($0, owners: owners, uses: counts[$0.id] ?? 0) }.filter {
            switch filter {
            case .all: return true
            case .expired: return $0.expiry == .expired
            case .expiringSoon: return $0.expiry == .expiringSoon
            }
        }
    }

    /// One item with where it is used; `notFound` for an id this organization does not have.
    public func item(_ id: EvidenceItemID) async throws -> (summary: EvidenceItemSummary, uses: [EvidenceUse]) {
        let r: EvidenceItemRecord
        do { r = try await store.item(id) } catch is NotFound { throw EvidenceLibraryError.notFound(id.rawValue) }
        let uses = try await store.uses(of: id)
        return (summary(r, owners: try await ownerNames(), uses: uses.count), uses)
    }

    /// The items attached to each objective of an assessment, with their state today: objective → items.
    public func attached(assessmentID: String) async throws -> [String: [EvidenceItemSummary]] {
        let owners = try await ownerNames()
        return try await store.attached(assessmentID: assessmentID).mapValues { $0.map { summary($0, owners: owners, uses: 0) } }
    }

    /// The objectives of an assessment relying on expired evidence: objective → the expired items' titles.
    public func expiredObjectives(assessmentID: String) async throws -> [String: [String]] {
        try await attached(assessmentID: assessmentID).compactMapValues { items in
            let expired = items.filter { $0.expiry == .expired }.map(\.item.title)
            return expired.isEmpty ? nil : expired
        }
    }
}
