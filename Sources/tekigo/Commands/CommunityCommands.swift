import ArgumentParser
import Foundation
import TekigoCore
import TekigoStore
import TekigoUseCases

// Sharing communities on the server (issue 14 item 4), administered by the operator: a community and its TAXII API
// root, member organizations with their standing, collections and who may read and write each. JSON output; every
// change audited (actor `cli`). Refusals print their message and exit 1.

struct CommunityCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "community",
        abstract: "Sharing communities (an ISAC, a supply chain): members, TAXII collections and access.",
        discussion: """
            Example (an ISAC with one collection every member reads and the first member writes):
              tekigo community create --slug dib-isac --name "防衛産業 ISAC" --kind isac
              tekigo community add-member --community dib-isac --org 株式会社サンプル精機 --role administrator --listed
              tekigo community add-collection --community dib-isac --title "Indicators" --alias indicators
              tekigo community grant --community dib-isac --collection indicators --org 株式会社サンプル精機 --read --write
            Members then reach /taxii2/dib-isac/ with an API token (Bearer, or HTTP Basic with the token as the password).
            A supply-chain community is made by the prime in the browser (or POST /api/v1/organizations/{org}/sharing/communities),
            and each invited organization accepts or declines there itself; `invitations` lists where they stand.
            """,
        subcommands: [CommunityCreate.self, CommunityAddMember.self, CommunityAddCollection.self, CommunityGrant.self,
                      CommunityList.self, CommunityShow.self, CommunityInvitations.self])
}

extension SharingCommunityKind: ExpressibleByArgument {}
extension CommunityRole: ExpressibleByArgument {}

/// Runs a community command on the server's database: the use cases' refusals become their message and exit 1.
func communityCommand(_ global: GlobalOptions, writing: Bool = true,
                      _ body: (CommunityAdminUseCases, TekigoDatabase) async throws -> Void) async throws {
    try await reporting {
        let db = writing ? try await CommandDatabase(global).openForWriting() : try await CommandDatabase(global).openForReading()
        do {
            try await body(CommunityAdminUseCases(try supplyChainEnvironment(db)), db)
        } catch let e as CommunityAdminError {
            throw UserError(e.text[global.language], exitCode: 1)
        } catch let e as ThreatIntelStoreError {
            throw UserError(e.description, exitCode: 1)
        }
    }
}

struct CommunityView: Encodable {
    let id: String
    let slug: String
    let name: String
    let kind: String
    let taxiiAPIRoot: String
    init(_ c: SharingCommunity) {
        id = c.id.rawValue; slug = c.slug; name = c.name; kind = c.kind.rawValue; taxiiAPIRoot = "/taxii2/\(c.slug)/"
    }
}

struct CommunityCreate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "create", abstract: "Create a sharing community (its slug is the TAXII API root).")
    @OptionGroup var global: GlobalOptions
    @Option(help: "3–63 of a–z, 0–9 and '-', starting with a letter: /taxii2/<slug>/.") var slug: String
    @Option(help: "The community's name.") var name: String
    @Option(help: "isac or supply_chain.") var kind: SharingCommunityKind = .isac

    func run() async throws {
        try await communityCommand(global) { cases, _ in
            print(try encodeJSON(CommunityView(try await cases.create(slug: slug, name: name, kind: kind))))
        }
    }
}

struct CommunityAddMember: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "add-member",
                                                    abstract: "Add an organization to a community, or change its standing.")
    @OptionGroup var global: GlobalOptions
    @Option(help: "The community's slug.") var community: String
    @Option(help: "The organization: its id, or its exact name.") var org: String
    @Option(help: "administrator or member.") var role: CommunityRole = .member
    @Flag(help: "Listed: other members may see that it belongs.") var listed = false
    @Flag(help: "Authorized to receive CUI-marked objects in this community.") var cuiAuthorized = false

    struct View: Encodable {
        let community: String, organizationId: String, organizationName: String, role: String, listed: Bool, cuiAuthorized: Bool
    }

    func run() async throws {
        try await communityCommand(global) { cases, db in
            let o = try await resolveOrganization(org, db: db, lang: global.language)
            let m = try await cases.setMember(community: community, organizationID: o.id, role: role, listed: listed, cuiAuthorized: cuiAuthorized)
            print(try encodeJSON(View(community: community, organizationId: m.organizationID, organizationName: m.organizationName,
                                      role: m.role.rawValue, listed: m.listed, cuiAuthorized: m.cuiAuthorized)))
        }
    }
}

struct CommunityAddCollection: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "add-collection", abstract: "Create a TAXII collection in a community.")
    @OptionGroup var global: GlobalOptions
    @Option(help: "The community's slug.") var community: String
    @Option(help: "The collection's title.") var title: String
    @Option(help: "A description.") var description: String = ""
    @Option(help: "A short alias (a–z, 0–9, '-') to name it by instead of its id.") var alias: String?

    struct View: Encodable { let id: String, title: String, alias: String?, url: String }

    func run() async throws {
        try await communityCommand(global) { cases, _ in
            let c = try await cases.createCollection(community: community, title: title, description: description, alias: alias)
            print(try encodeJSON(View(id: c.id.rawValue, title: c.title, alias: c.alias, url: "/taxii2/\(community)/collections/\(c.id.rawValue)/")))
        }
    }
}

struct CommunityGrant: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "grant",
                                                    abstract: "Set what a member organization may do in a collection (no flags: nothing).")
    @OptionGroup var global: GlobalOptions
    @Option(help: "The community's slug.") var community: String
    @Option(help: "The collection: its id or alias.") var collection: String
    @Option(help: "The organization: its id, or its exact name.") var org: String
    @Flag(help: "May read the collection.") var read = false
    @Flag(help: "May add objects to the collection.") var write = false

    struct View: Encodable { let community: String, collection: String, organizationId: String, canRead: Bool, canWrite: Bool }

    func run() async throws {
        try await communityCommand(global) { cases, db in
            let o = try await resolveOrganization(org, db: db, lang: global.language)
            try await cases.setAccess(community: community, collection: collection, organizationID: o.id, canRead: read, canWrite: write)
            print(try encodeJSON(View(community: community, collection: collection, organizationId: o.id, canRead: read, canWrite: write)))
        }
    }
}

struct CommunityList: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "List the sharing communities.")
    @OptionGroup var global: GlobalOptions

    func run() async throws {
        try await communityCommand(global, writing: false) { cases, _ in
            print(try encodeJSON(try await cases.list().map(CommunityView.init)))
        }
    }
}

struct CommunityShow: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "show",
                                                    abstract: "A community with every member (listed or not) and its collections with their access.")
    @OptionGroup var global: GlobalOptions
    @Option(help: "The community's slug.") var community: String

    struct View: Encodable {
        struct Member: Encodable { let organizationId: String, name: String, role: String, listed: Bool, cuiAuthorized: Bool }
        struct Access: Encodable { let organizationId: String, canRead: Bool, canWrite: Bool }
        struct Collection: Encodable { let id: String, title: String, alias: String?, access: [Access] }
        let community: CommunityView
        let members: [Member]
        let collections: [Collection]
    }

    func run() async throws {
        try await communityCommand(global, writing: false) { cases, _ in
            let o = try await cases.overview(community)
            print(try encodeJSON(View(
                community: CommunityView(o.community),
                members: o.members.map { .init(organizationId: $0.organizationID, name: $0.organizationName, role: $0.role.rawValue,
                                               listed: $0.listed, cuiAuthorized: $0.cuiAuthorized) },
                collections: o.collections.map { c in
                    .init(id: c.collection.id.rawValue, title: c.collection.title, alias: c.collection.alias,
                          access: c.access.map { .init(organizationId: $0.organizationID, canRead: $0.canRead, canWrite: $0.canWrite) })
                })))
        }
    }
}

struct CommunityInvitations: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "invitations",
        abstract: "The community's invitations, newest first, and where each stands (pending, accepted, declined, withdrawn).",
        discussion: "An invited organization answers itself, on its communities page or with POST /api/v1/organizations/{org}/sharing/invitations/{id}/accept | decline.")
    @OptionGroup var global: GlobalOptions
    @Option(help: "The community's slug.") var community: String

    struct View: Encodable {
        let id: String
        let organizationId: String
        let organization: String
        let invitedBy: String
        let invitedAt: String
        let status: String
        let decidedAt: String?
        let listed: Bool?
    }

    func run() async throws {
        try await communityCommand(global, writing: false) { cases, _ in
            print(try encodeJSON(try await cases.invitations(community: community).map {
                View(id: $0.id, organizationId: $0.organizationID, organization: $0.organizationName, invitedBy: $0.invitedByOrganizationName,
                     invitedAt: $0.invitedAt, status: $0.status.rawValue, decidedAt: $0.decidedAt, listed: $0.listed)
            }))
        }
    }
}
