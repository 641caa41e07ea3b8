import ArgumentParser
import Foundation
import Hummingbird
import Logging
import TekigoCore
import TekigoServer
import TekigoStore
import TekigoUseCases
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve", abstract: say(ja: "Tekigo サーバーを起動します（JSON API は /api/v1、OpenAPI 文書は /openapi.yaml）。", en: "Run the Tekigo server (JSON API under /api/v1, OpenAPI document at /openapi.yaml)."))

    @OptionGroup var global: GlobalOptions
    @Option(help: .say(ja: "待ち受けるアドレス。", en: "Address to listen on.")) var hostname: String = "127.0.0.1"
    @Option(help: .say(ja: "待ち受けるポート番号。", en: "Port to listen on.")) var port: Int = 8080
    @Flag(help: .say(ja: "Cookie に Secure を付け、Strict-Transport-Security を送ります（前段に TLS のプロキシを置くときに指定）。", en: "Mark cookies Secure and send Strict-Transport-Security (set this when a TLS proxy is in front)."))
    var secureCookies = false
    @Option(help: .say(ja: "リマインダー処理（期限、期限切れが近い証明書、Webhook）の間隔の秒数。0 で止めます。", en: "Seconds between reminder passes (due dates, expiring attestations, webhooks); 0 turns them off."))
    var reminderInterval: Int = 900
    @Option(help: .say(ja: "取り込み時期の来た TAXII フィードを探す間隔の秒数（各フィードはそれぞれの間隔で取り込み）。0 で定期取り込みを止めます。", en: "Seconds between looks for TAXII feeds due to be pulled (each on its own interval); 0 turns scheduled pulls off."))
    var taxiiFeedCheckInterval: Int = 60
    @Option(help: .say(
        ja: "X-Forwarded-For を信用するリバースプロキシ（アドレス又は CIDR の範囲）。複数なら繰り返し指定。",
        en: "A reverse proxy (address or CIDR range) whose X-Forwarded-For is believed; repeat for several.",
        discussionJa: "指定したプロキシからの接続に限って X-Forwarded-For を読み、そのうち指定したプロキシでない一番右のアドレスを"
            + "クライアントとします。監査ログにはそのアドレスを記録し、アドレスごとのサインイン回数の上限もそのアドレスで数えます。"
            + "このオプションがなければ TCP の接続元をクライアントとし、X-Forwarded-For は無視します。",
        discussionEn: "Only for a connection from a listed proxy is X-Forwarded-For read, and the client is its right-most "
            + "address that is not a listed proxy: that address is audited and counted by the per-address sign-in cap. "
            + "Without this option the TCP peer is the client and X-Forwarded-For is ignored.",
        valueName: "address-or-range"))
    var trustedProxy: [String] = []
    @Option(help: .say(
        ja: "Webhook の送り先として認めるプライベート又はリンクローカルの範囲（CIDR。例: 社内のチケットシステム）。複数なら繰り返し指定。",
        en: "A private or link-local range (CIDR) that webhooks may deliver to, e.g. an internal ticket system; repeat for several.",
        valueName: "range"))
    var webhookAllowNetwork: [String] = []
    @Option(help: .say(ja: "クライアントがリクエストのヘッダー行を送り終えるまでの秒数。最初のバイトから数えます（超えると 408 を返して切断）。", en: "Seconds a client may take to send a request's header lines, from its first byte (then 408 and close)."))
    var requestHeadTimeout: Double = 10
    @Option(help: .say(ja: "クライアントがヘッダー行のあとリクエストの本文を送り終えるまでの秒数（超えると 408 を返して切断）。", en: "Seconds a client may take to send a request's body, after its header lines (then 408 and close)."))
    var requestBodyTimeout: Double = 120
    @Option(help: .say(ja: "処理中のリクエストがないまま接続を開いておける秒数。", en: "Seconds a connection may stay open with no request in progress."))
    var idleTimeout: Double = 60
    @Option(help: .say(ja: "サインイン中のセッションが使われないまま終了するまでの分数（SP 800-171 3.1.11。最大 60）。", en: "Minutes a signed-in session may stay unused before it ends (SP 800-171 3.1.11; at most 60)."))
    var sessionIdleMinutes: Double = 15
    @Option(help: .say(
        ja: "このサーバーが API トークン・セッション・組織の所属の照会結果を使い回してよい秒数（0 で使い回しません）。",
        en: "Seconds this server may reuse a lookup of an API token, a session or a membership (0 turns it off).",
        discussionJa: "このサーバーで行った変更（失効、サインアウト、役割）は次のリクエストから反映されます。データベースを共有する"
            + "別のサーバーやコマンドラインで行った変更は、ここではこの秒数以内に反映されます。",
        discussionEn: "A change made through this server (revocation, sign-out, role) applies at the next request; one made on "
            + "another server sharing the database, or with the command line, applies here within this many seconds."))
    var credentialCacheSeconds: Double = 1
    @OptionGroup(title: say(ja: "招待メール", en: "Invitation e-mail")) var smtp: SMTPOptions

    func run() async throws {
        runConcurrencyOnEventLoops()
        try await reporting {
            // Whatever the server creates (database, WAL, key, temporary files) is for its own user alone; the
            // database and key files are also made 0600 explicitly (SQLiteFiles, EvidenceKey).
            umask(0o077)
            let storage = global.storage
            try storage.createDataDirectory()
            let location = storage.database
            guard reminderInterval >= 0 else {
                throw UserError(say(ja: "--reminder-interval には 0（止める）又は秒数を指定してください。",
                                    en: "--reminder-interval must be 0 (off) or a number of seconds."), exitCode: 2)
            }
            guard taxiiFeedCheckInterval >= 0 else {
                throw UserError(say(ja: "--taxii-feed-check-interval には 0（止める）又は秒数を指定してください。",
                                    en: "--taxii-feed-check-interval must be 0 (off) or a number of seconds."), exitCode: 2)
            }
            guard sessionIdleMinutes > 0, sessionIdleMinutes <= 60 else {
                throw UserError(say(ja: "--session-idle-minutes には 0 より大きく 60 以下の分数を指定してください（この時間使われないセッションは終了します。SP 800-171 3.1.11）。",
                                    en: "--session-idle-minutes must be more than 0 and at most 60 (a session unused this long ends, SP 800-171 3.1.11)."), exitCode: 2)
            }
            let timeouts = HTTPTimeouts(requestHead: try Self.duration(requestHeadTimeout, "--request-head-timeout"),
                                        idle: try Self.duration(idleTimeout, "--idle-timeout"),
                                        requestBody: try Self.duration(requestBodyTimeout, "--request-body-timeout"))
            let proxies: [IPNetwork], allowed: [IPNetwork]
            do {
                proxies = try IPNetwork.list(trustedProxy, option: "--trusted-proxy")
                allowed = try IPNetwork.list(webhookAllowNetwork, option: "--webhook-allow-network")
            } catch let e as InvalidNetwork {
                throw UserError(say(ja: "\(e.option): '\(e.value)' は IP アドレスでも範囲でもありません。192.0.2.10、10.0.0.0/8、2001:db8::/32 のように書いてください",
                                    en: e.description), exitCode: 2)
            }
            var config = ServerConfiguration(hostname: hostname, port: port, database: location, dataDirectory: storage.dataDirectory,
                                             secureCookies: secureCookies, idleTimeout: sessionIdleMinutes * 60,
                                             reminderInterval: TimeInterval(reminderInterval),
                                             httpTimeouts: timeouts, trustedProxies: proxies,
                                             webhookAddresses: WebhookAddressPolicy(allowedNetworks: allowed))
            config.smtp = try smtp.configuration()
            config.taxiiFeedCheckInterval = TimeInterval(taxiiFeedCheckInterval)
            guard credentialCacheSeconds >= 0, credentialCacheSeconds <= 60 else {
                throw UserError(say(ja: "--credential-cache-seconds には 0（使い回さない）から 60 までを指定してください。",
                                    en: "--credential-cache-seconds must be between 0 (off) and 60."), exitCode: 2)
            }
            config.credentialCacheSeconds = credentialCacheSeconds
            LoggingSystem.bootstrap { JSONLogHandler(label: $0) }
            let (app, services) = try await buildApplication(config)
            if let link = try await services.setupLinkIfNeeded(baseURL: "http://\(hostname):\(port)") {
                // Written straight to the file descriptor so it shows at once when output goes to a file or a pipe.
                let token = link.split(separator: "=").last.map(String.init) ?? ""
                if global.language == .ja {
                    say("""
                        管理者がまだいません。1時間以内にブラウザで次のリンクを開き、最初の管理者と組織を作成してください:
                          \(link)
                        （API で作成する場合の setup token: \(token) — POST /api/v1/setup）
                        """)
                } else {
                    say("""
                        Tekigo has no administrator yet. Within an hour, open this one-time link in a browser to create the
                        first administrator and the organization:
                          \(link)
                        (or with the API, setup token: \(token) — POST /api/v1/setup)
                        """)
                }
            }
            say("Tekigo listening on http://\(hostname):\(port) (database: \(location.displayName))")
            if let mail = config.smtp {
                say("Invitation e-mails go through \(mail.host):\(mail.port)\(mail.startTLS ? " (STARTTLS)" : "") from \(mail.from)")
            }
            try await app.runService()
            await services.db.close()
        }
    }
}

extension ServeCommand {
    /// A timeout option: a positive number of seconds, at most a day.
    static func duration(_ seconds: Double, _ option: String) throws -> Duration {
        guard seconds.isFinite, seconds > 0, seconds <= 86_400 else {
            throw UserError(say(ja: "\(option) には 0 より大きく 86400 以下の秒数を指定してください（指定された値: \(seconds)）。",
                                en: "\(option) must be a number of seconds above 0 and at most 86400 (it is \(seconds))."), exitCode: 2)
        }
        return .milliseconds(Int64((seconds * 1000).rounded()))
    }
}

struct MigrateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "migrate", abstract: say(ja: "データベースのマイグレーションを適用して終了します。", en: "Apply database migrations and exit."))

    @OptionGroup var global: GlobalOptions

    func run() async throws {
        try await reporting {
            let location = global.storage.database
            _ = try await CommandDatabase(global).openForWriting()
            print(global.language == .ja
                  ? "\(location.displayName) のデータベースは最新のスキーマ（バージョン \(Migrations.latest)）になっています。"
                  : "Database at \(location.displayName) is at the current schema (version \(Migrations.latest)).")
        }
    }
}

struct AdminCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "admin", abstract: say(ja: "コマンドラインからの管理操作。", en: "Administration from the command line."),
        subcommands: [AdminCreate.self, AdminGrant.self, AdminInvite.self, AdminResetMFA.self, AdminPlatformAdmin.self])
}

/// The CLI twin of the first-run link: prints a new one-time setup link (no password is ever set from here).
struct AdminCreate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "create",
        abstract: say(ja: "アカウントとその新しい組織を作る 1 回限りのセットアップリンクを表示します（1 時間で失効）。", en: "Print a one-time setup link that creates an account and its new organization (expires in an hour)."),
        discussion: say(ja: """
            このアカウントは自分が作る組織の所有者になります。--platform-admin のときだけプラットフォームを管理します
            （組織をさらに作る、組み込みカタログに NIST の公式文言を取り込む）。同僚は招待によって既存の組織に参加します
            （メンバーの画面、又は POST /api/v1/organizations/{org}/member-invitations）。
            """, en: """
            The account owns the organization it creates. It administers the platform (creates further organizations and
            imports NIST's official wording for the built-in catalogs) only with --platform-admin. Colleagues join an
            existing organization by invitation (members page, or POST /api/v1/organizations/{org}/member-invitations).
            """))

    @OptionGroup var global: GlobalOptions
    @Option(help: .say(ja: "サーバーの公開ベース URL。", en: "The server's public base URL.")) var baseURL: String = "http://127.0.0.1:8080"
    @Flag(help: .say(ja: "このリンクで作るアカウントをプラットフォーム管理者にします。", en: "The account created with the link is a platform administrator.")) var platformAdmin = false

    func run() async throws {
        try await reporting {
            let db = try await CommandDatabase(global).openForWriting()
            let token = try await SetupLinkUseCases(AccountEnvironment(db: db))
                .issue(platformAdmin: platformAdmin, by: Actor(id: "cli", sourceIP: "local"))
            let ja = global.language == .ja
            print(ja ? "ブラウザで開いてください（1 時間以内に 1 回だけ有効）: \(baseURL)/setup?token=\(token)"
                     : "open in a browser (valid for one hour, once): \(baseURL)/setup?token=\(token)")
            print(ja ? "セットアップトークン（1 時間以内に 1 回だけ有効）: \(token)" : "setup token (valid for one hour, once): \(token)")
            print((ja ? "又は API で: " : "or with the API: ") + "curl -X POST \(baseURL)/api/v1/setup -H 'Content-Type: application/json' -d '{\"token\":\"\(token)\",\"email\":\"…\",\"password\":\"…\",\"displayName\":\"…\",\"organization\":\"…\"}'")
        }
    }
}

/// Gives an existing user a role in an existing organization, e.g. to take over a demo prime. Someone with access to
/// the database is an operator already; the change is audited like the API's `PUT …/members`.
struct AdminGrant: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "grant", abstract: say(ja: "既存の利用者に組織での役割を与えます（例: デモの元請）。", en: "Give an existing user a role in an organization (e.g. a demo prime)."))

    @OptionGroup var global: GlobalOptions
    @Option(help: .say(ja: "利用者のメールアドレス（アカウントが必要です。先にセットアップリンクで作ってください）。", en: "The user's e-mail address (the account must exist: create it with the setup link first).")) var email: String
    @Option(help: .say(ja: "組織: その ID、又は正確な名前。", en: "The organization: its id, or its exact name.")) var org: String
    @Option(help: .say(ja: "owner（所有者）, admin（管理者）, assessor（評価者）, contributor（協力者）, viewer（閲覧者）又は auditor（監査者）。", en: "owner, admin, assessor, contributor, viewer or auditor.")) var role: String = "owner"

    func run() async throws {
        try await reporting {
            let lang = global.language
            guard let role = Role(rawValue: role) else { throw UserError(AdminErrorText.unknownRole(role, lang), exitCode: 2) }
            let db = try await CommandDatabase(global).openForWriting()
            let env = AccountEnvironment(db: db)
            guard let user = try await AccountUseCases(env).user(email: email) else {
                throw UserError(lang == .ja
                                ? "メールアドレスが \(email) の利用者はいません。先にアカウントを作ってください（`tekigo admin create` のあと、セットアップリンクで作成）。"
                                : "no user has the e-mail address \(email); create the account first (`tekigo admin create`, then the setup link).",
                                exitCode: 2)
            }
            let organization = try await resolveOrganization(org, db: db, lang: global.language)
            // The same rule as the API and the pages: the organization keeps an owner.
            do {
                try await MembershipUseCases(env)
                    .grantAsOperator(organizationID: organization.id, userID: user.id, role: role)
            } catch let e as MembershipRuleError {
                throw UserError(e.message(in: lang) + AdminErrorText.nothingChanged(lang), exitCode: 1)
            }
            print(lang == .ja ? "\(user.email) を \(organization.name)（\(organization.id)）の\(role.label.ja)にしました。"
                              : "\(user.email) is now \(role.rawValue) of \(organization.name) (\(organization.id)).")
        }
    }
}

/// Unbuffered output for a long-running command.
func say(_ text: String) {
    FileHandle.standardOutput.write(Data((text + "\n").utf8))
}
