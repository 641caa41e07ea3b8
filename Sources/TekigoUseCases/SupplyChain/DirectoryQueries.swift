import Foundation
import TekigoCore
import TekigoStore

/// The organizations an operator can name on the command line (`tekigo org list`, `--org` by id or exact name):
/// read only, across tenants — the operator has the database in hand (see `TenantScope.commandLine`).
public struct DirectoryQueries: Sendable {
    let directory: SupplyChainDirectory

    public init(db: TekigoDatabase) { directory = SupplyChainDirectory(db) }

    public func organizations(id: String) async throws -> [(id: String, name: String)] { try await directory.organizations(id: id) }

    public func organizations(named name: String) async throws -> [(id: String, name: String)] {
        try await directory.organizations(named: name)
    }

    public func allNames() async throws -> [(id: String, name: String)] { try await directory.allNames() }

    /// Every organization with its link counts, by name then id.
    public func summaries() async throws -> [OrganizationSummary] { try await directory.summaries() }
}
