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
        abstract: say(ja: "共有コミュニティ（ISAC、サプライチェーン）: メンバー、TAXII コレクション、アクセス権。", en: "Sharing communities (an ISAC, a supply chain): members, TAXII collections and access."),
        discussion: say(ja: """
            例（全メンバーが読み、最初のメンバーが書き込むコレクションが 1 つある ISAC）:
              tekigo community create --slug dib-isac --name "防衛産業 ISAC" --kind isac
              tekigo community add-member --community dib-isac --org 株式会社サンプル精機 --role administrator --listed
              tekigo community add-collection --community dib-isac --title "Indicators" --alias indicators
              tekigo community grant --community dib-isac --collection indicators --org 株式会社サンプル精機 --read --write
            メンバーは API トークン（Bearer、又はトークンをパスワードにした HTTP Basic 認証）で /taxii2/dib-isac/ に接続します。
            サプライチェーンのコミュニティは元請がブラウザで作り（又は POST /api/v1/organizations/{org}/sharing/communities）、
            招待された各組織がそこで自分で承諾又は辞退します。状況は `invitations` で一覧にできます。
            """, en: """
            Example (an ISAC with one collection every member reads and the first member writes):
              tekigo community create --slug dib-isac --name "防衛産業 ISAC" --kind isac
              tekigo community add-member --community dib-isac --org 株式会社サンプル精機 --role administrator --listed
              tekigo community add-collection --community dib-isac --title "Indicators" --alias indicators
              tekigo community grant --community dib-isac --collection indicators --org 株式会社サンプル精機 --read --write
            Members then reach /taxii2/dib-isac/ with an API token (Bearer, or HTTP Basic with the token as the password).
            A supply-chain community is made by the prime in the browser (or POST /api/v1/organizations/{org}/sharing/communities),
            and each invited organization accepts or declines there itself; `invitations` lists where they stand.
            """),
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
    static let configuration = CommandConfiguration(commandName: "create", abstract: say(ja: "共有コミュニティを作ります（スラッグが TAXII の API ルートになります）。", en: "Create a sharing community (its slug is the TAXII API root)."))
    @OptionGroup var global: GlobalOptions
    @Option(help: .say(ja: "a–z, 0–9, '-' の 3〜63 文字で、英字で始まるもの: /taxii2/<slug>/。", en: "3–63 of a–z, 0–9 and '-', starting with a letter: /taxii2/<slug>/.")) var slug: String
    @Option(help: .say(ja: "コミュニティの名前。", en: "The community's name.")) var name: String
    @Option(help: .say(ja: "isac 又は supply_chain。", en: "isac or supply_chain.")) var kind: SharingCommunityKind = .isac

    func run() async throws {
        try await communityCommand(global) { cases, _ in
            print(try encodeJSON(CommunityView(try await cases.create(slug: slug, name: name, kind: kind))))
        }
    }
}

struct CommunityAddMember: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "add-member",
                                                    abstract: say(ja: "組織をコミュニティに加えるか、その立場を変えます。", en: "Add an organization to a community, or change its standing."))
    @OptionGroup var global: GlobalOptions
    @Option(help: .say(ja: "コミュニティのスラッグ。", en: "The community's slug.")) var community: String
    @Option(help: .say(ja: "組織: その ID、又は正確な名前。", en: "The organization: its id, or its exact name.")) var org: String
    @Option(help: .say(ja: "administrator（管理者）又は member（メンバー）。", en: "administrator or member.")) var role: CommunityRole = .member
    @Flag(help: .say(ja: "公開: ほかのメンバーが所属を見られます。", en: "Listed: other members may see that it belongs.")) var listed = false
    @Flag(help: .say(ja: "このコミュニティで CUI と表示されたオブジェクトを受け取ることを認められています。", en: "Authorized to receive CUI-marked objects in this community.")) var cuiAuthorized = false

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
    static let configuration = CommandConfiguration(commandName: "add-collection", abstract: say(ja: "コミュニティに TAXII コレクションを作ります。", en: "Create a TAXII collection in a community."))
    @OptionGroup var global: GlobalOptions
    @Option(help: .say(ja: "コミュニティのスラッグ。", en: "The community's slug.")) var community: String
    @Option(help: .say(ja: "コレクションのタイトル。", en: "The collection's title.")) var title: String
    @Option(help: .say(ja: "説明。", en: "A description.")) var description: String = ""
    @Option(help: .say(ja: "ID の代わりに使う短い別名（a–z, 0–9, '-'）。", en: "A short alias (a–z, 0–9, '-') to name it by instead of its id.")) var alias: String?

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
                                                    abstract: say(ja: "メンバー組織がコレクションでできることを設定します（フラグなし: 何もできない）。", en: "Set what a member organization may do in a collection (no flags: nothing)."))
    @OptionGroup var global: GlobalOptions
    @Option(help: .say(ja: "コミュニティのスラッグ。", en: "The community's slug.")) var community: String
    @Option(help: .say(ja: "コレクション: その ID 又は別名。", en: "The collection: its id or alias.")) var collection: String
    @Option(help: .say(ja: "組織: その ID、又は正確な名前。", en: "The organization: its id, or its exact name.")) var org: String
    @Flag(help: .say(ja: "コレクションを読めます。", en: "May read the collection.")) var read = false
    @Flag(help: .say(ja: "コレクションにオブジェクトを追加できます。", en: "May add objects to the collection.")) var write = false

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
    static let configuration = CommandConfiguration(commandName: "list", abstract: say(ja: "共有コミュニティを一覧にします。", en: "List the sharing communities."))
    @OptionGroup var global: GlobalOptions

    func run() async throws {
        try await communityCommand(global, writing: false) { cases, _ in
            print(try encodeJSON(try await cases.list().map(CommunityView.init)))
        }
    }
}

struct CommunityShow: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "show",
                                                    abstract: say(ja: "コミュニティの全メンバー（公開・非公開とも）と、コレクションとそのアクセス権を表示します。", en: "A community with every member (listed or not) and its collections with their access."))
    @OptionGroup var global: GlobalOptions
    @Option(help: .say(ja: "コミュニティのスラッグ。", en: "The community's slug.")) var community: String

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
        abstract: say(ja: "コミュニティの招待を新しい順に、それぞれの状態（回答待ち、承諾、辞退、取消し）とともに表示します。", en: "The community's invitations, newest first, and where each stands (pending, accepted, declined, withdrawn)."),
        discussion: say(ja: "招待された組織が自分で回答します。コミュニティの画面か、POST /api/v1/organizations/{org}/sharing/invitations/{id}/accept | decline で行います。", en: "An invited organization answers itself, on its communities page or with POST /api/v1/organizations/{org}/sharing/invitations/{id}/accept | decline."))
    @OptionGroup var global: GlobalOptions
    @Option(help: .say(ja: "コミュニティのスラッグ。", en: "The community's slug.")) var community: String

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
