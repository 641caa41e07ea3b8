import ArgumentParser
import Foundation
import TekigoCore
import TekigoServer
import TekigoStore
import TekigoUseCases

// TAXII feeds from the command line (issue 14 items 3 and 7): a local collection subscribed to a collection of an
// outside TAXII 2.1 server, one pull run now, and the organization's feeds with their status. JSON output; secrets are
// read from environment variables and never printed. On the server's database and its evidence key (the same data
// directory, or TEKIGO_EVIDENCE_KEY), which seals the feed's password or token.

struct TAXIICommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "taxii",
        abstract: say(ja: "外部の TAXII 2.1 コレクション（ISAC、CERT）を共有コミュニティのコレクションに取り込みます。", en: "Pull an outside TAXII 2.1 collection (an ISAC, a CERT) into a sharing community's collection."),
        discussion: say(ja: """
            例:
              TAXII_PASSWORD=… tekigo taxii subscribe --org 株式会社サンプル精機 --community dib-isac --collection indicators \\
                --url https://taxii.example.org/api1/collections/91a7b528-80eb-42ed-a74d-c6fbd5a26116/ --user sample --password-env TAXII_PASSWORD
              tekigo taxii pull <feed id>
              tekigo taxii feeds --org 株式会社サンプル精機
              tekigo taxii runs <feed id>
              tekigo taxii set <feed id> --disable | --enable | --interval 120
              tekigo taxii delete <feed id>
            フィードはサーバーが設定された間隔で取り込みます（tekigo serve --taxii-feed-check-interval）。URL は Webhook と同じ
            サーバーのアドレス規則を通ります: プライベート・リンクローカル・予約済みのアドレスは、--allow-network で指定した
            範囲のものだけ使えます（tekigo serve --webhook-allow-network と同じ）。
            """, en: """
            Example:
              TAXII_PASSWORD=… tekigo taxii subscribe --org 株式会社サンプル精機 --community dib-isac --collection indicators \\
                --url https://taxii.example.org/api1/collections/91a7b528-80eb-42ed-a74d-c6fbd5a26116/ --user sample --password-env TAXII_PASSWORD
              tekigo taxii pull <feed id>
              tekigo taxii feeds --org 株式会社サンプル精機
              tekigo taxii runs <feed id>
              tekigo taxii set <feed id> --disable | --enable | --interval 120
              tekigo taxii delete <feed id>
            Feeds are pulled on their interval by the server (tekigo serve --taxii-feed-check-interval). Their URLs pass the
            server's address rule for webhooks: private, link-local and reserved addresses only in a range given with
            --allow-network (as tekigo serve --webhook-allow-network).
            """),
        subcommands: [TAXIISubscribe.self, TAXIIPull.self, TAXIIFeeds.self, TAXIIRuns.self, TAXIISet.self, TAXIIDelete.self])
}

/// Private or link-local ranges a feed may reach from this command (`WebhookAddressPolicy`, as the server's
/// `--webhook-allow-network`).
struct TAXIIAddressOptions: ParsableArguments {
    @Option(help: .say(ja: "フィードが接続してよいプライベート又はリンクローカルの範囲（CIDR）。複数なら繰り返し指定。",
                      en: "A private or link-local range (CIDR) the feed may reach; repeat for several.", valueName: "range"))
    var allowNetwork: [String] = []

    func check() throws -> WebhookAddressCheck {
        let allowed: [IPNetwork]
        do {
            allowed = try IPNetwork.list(allowNetwork, option: "--allow-network")
        } catch let e as InvalidNetwork {
            throw UserError(e.description, exitCode: 2)
        }
        return WebhookAddressPolicy(allowedNetworks: allowed).feedCheck
    }
}

/// Runs a TAXII feed command: the use cases' refusals become their message (in the chosen language) and exit 1.
func taxiiFeedCommand(_ global: GlobalOptions, org: String?, writing: Bool,
                      _ body: (TekigoDatabase, TenantEnvironment, String?) async throws -> Void) async throws {
    try await reporting {
        let db = writing ? try await CommandDatabase(global).openForWriting() : try await CommandDatabase(global).openForReading()
        do {
            var orgID: String?
            if let org { orgID = try await resolveOrganization(org, db: db, lang: global.language).id }
            let key = writing
                ? try EvidenceKey.load(dataDirectory: global.storage.dataDirectory, environment: ProcessInfo.processInfo.environment)
                : try readOnlyEvidenceKey()
            let env = TenantEnvironment(db: db, evidenceKey: key, library: try BuiltInLibrary.shared, clock: SystemClock())
            try await body(db, env, orgID)
        } catch let e as TAXIIFeedError {
            throw UserError(e.text[global.language], exitCode: 1)
        } catch let e as ThreatIntelError {
            throw UserError(e.text[global.language], exitCode: 1)
        }
    }
}

struct TAXIISubscribe: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "subscribe",
        abstract: say(ja: "コレクションに外部の TAXII 2.1 コレクションを購読させ、フィードを JSON で表示します（秘密情報は表示しません）。", en: "Subscribe a collection to an outside TAXII 2.1 collection; prints the feed as JSON (never its secret)."))

    @OptionGroup var global: GlobalOptions
    @OptionGroup var target: STIXTarget
    @Option(help: .say(ja: "外部コレクションの完全な URL: https://…/{api-root}/collections/{id}/（http はこのマシン宛てのときだけ）。", en: "The outside collection's full URL: https://…/{api-root}/collections/{id}/ (http only to this machine).")) var url: String
    @Option(help: .say(ja: "HTTP Basic 認証: アカウント名（--password-env と一緒に指定）。", en: "HTTP Basic: the user name (with --password-env).")) var user: String?
    @Option(help: .say(ja: "HTTP Basic 認証: パスワードを入れた環境変数。", en: "HTTP Basic: the environment variable holding the password.")) var passwordEnv: String?
    @Option(help: .say(ja: "Bearer 認証: トークンを入れた環境変数。", en: "Bearer: the environment variable holding the token.")) var tokenEnv: String?
    @Option(help: .say(ja: "定期取り込みの間隔の分数（5〜10080）。", en: "Minutes between scheduled pulls (5–10080).")) var interval: Int = 60
    @OptionGroup var address: TAXIIAddressOptions

    func run() async throws {
        try await taxiiFeedCommand(global, org: target.org, writing: true) { _, env, org in
            let ja = global.language == .ja
            func secret(_ variable: String) throws -> String {
                guard let v = ProcessInfo.processInfo.environment[variable], !v.isEmpty else {
                    throw UserError(ja ? "環境変数 \(variable) が設定されていません。" : "the environment variable \(variable) is not set.", exitCode: 1)
                }
                return v
            }
            let auth: TAXIIFeedAuth
            var secretValue: String?
            if let tokenEnv {
                guard user == nil, passwordEnv == nil else {
                    throw UserError(ja ? "--token-env と --user / --password-env は同時に指定できません。"
                                       : "give --token-env, or --user with --password-env, not both.", exitCode: 1)
                }
                auth = .bearer
                secretValue = try secret(tokenEnv)
            } else if user != nil || passwordEnv != nil {
                guard user != nil, let passwordEnv else {
                    throw UserError(ja ? "HTTP Basic には --user と --password-env の両方が必要です。"
                                       : "HTTP Basic needs both --user and --password-env.", exitCode: 1)
                }
                auth = .basic
                secretValue = try secret(passwordEnv)
            } else {
                auth = .none
            }
            let cases = TAXIIFeedUseCases(env, .commandLine(organizationID: org ?? ""), addressCheck: try address.check())
            let feed = try await cases.subscribe(root: target.community, collection: target.collection, url: url, auth: auth,
                                                 username: user, secret: secretValue, intervalMinutes: interval)
            print(try encodeJSON(feed))
        }
    }
}

struct TAXIIPull: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pull",
        abstract: say(ja: "フィードを今すぐ 1 回取り込み、結果を JSON で表示します（エラーで終わったら終了コード 1）。", en: "Run one pull of a feed now; prints the run's result as JSON (exit 1 when it ended in an error)."),
        discussion: say(ja: "保存済みの最後のページの続きから取り込みます（フィードの最後の X-TAXII-Date-Added-Last）。例: tekigo taxii pull 3f2c…", en: "Resumes after the last page stored (the feed's last X-TAXII-Date-Added-Last). Example: tekigo taxii pull 3f2c…"))

    @OptionGroup var global: GlobalOptions
    @Argument(help: .say(ja: "フィードの ID（tekigo taxii feeds で一覧表示）。", en: "The feed's id (tekigo taxii feeds lists them).")) var feed: String
    @OptionGroup var address: TAXIIAddressOptions

    func run() async throws {
        try await taxiiFeedCommand(global, org: nil, writing: true) { _, env, _ in
            let org = try await TAXIIFeedUseCases.organization(ofFeed: feed, env)
            let run = try await TAXIIFeedUseCases(env, .commandLine(organizationID: org), addressCheck: try address.check()).pull(feedID: feed)
            print(try encodeJSON(run))
            if run.error != nil { throw ExitCode(1) }
        }
    }
}

struct TAXIIFeeds: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "feeds", abstract: say(ja: "組織の TAXII フィードを状況（最後の実行、結果、追加したオブジェクト）とともに JSON で表示します。", en: "The organization's TAXII feeds with their status (last run, result, objects added) as JSON."))

    @OptionGroup var global: GlobalOptions
    @Option(help: .say(ja: "組織: その ID、又は正確な名前。", en: "The organization: its id, or its exact name.")) var org: String

    func run() async throws {
        try await taxiiFeedCommand(global, org: org, writing: false) { _, env, org in
            print(try encodeJSON(try await TAXIIFeedUseCases(env, .commandLine(organizationID: org ?? ""), addressCheck: { _ in }).feeds()))
        }
    }
}

/// The feed's use cases for the operator, by the feed's id (reading and changing reach no outside address: no check).
func taxiiFeedByID(_ env: TenantEnvironment, _ feed: String) async throws -> TAXIIFeedUseCases {
    let org = try await TAXIIFeedUseCases.organization(ofFeed: feed, env)
    return TAXIIFeedUseCases(env, .commandLine(organizationID: org), addressCheck: { _ in })
}

struct TAXIIRuns: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "runs", abstract: say(ja: "フィードの実行履歴を新しい順に（最新 100 件）JSON で表示します: 日時、実行者、成否と理由、ページ数、追加したオブジェクト。", en: "A feed's runs, newest first (the last 100), as JSON: when, by whom, ok or why not, pages, objects added."))

    @OptionGroup var global: GlobalOptions
    @Argument(help: .say(ja: "フィードの ID（tekigo taxii feeds で一覧表示）。", en: "The feed's id (tekigo taxii feeds lists them).")) var feed: String
    @Option(help: .say(ja: "表示する件数（1〜100）。", en: "How many runs (1–100).")) var limit: Int = 100

    func run() async throws {
        try await taxiiFeedCommand(global, org: nil, writing: false) { _, env, _ in
            print(try encodeJSON(try await taxiiFeedByID(env, feed).runs(feedID: feed, limit: limit)))
        }
    }
}

struct TAXIISet: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "set", abstract: say(ja: "フィードの定期取り込みを有効・無効にするか、間隔を変えます。フィードを JSON で表示します。", en: "Turn a feed's scheduled pulls on or off, or change its interval; prints the feed as JSON."),
        discussion: say(ja: "例: tekigo taxii set 3f2c… --disable;  tekigo taxii set 3f2c… --enable --interval 240", en: "Example: tekigo taxii set 3f2c… --disable;  tekigo taxii set 3f2c… --enable --interval 240"))

    @OptionGroup var global: GlobalOptions
    @Argument(help: .say(ja: "フィードの ID（tekigo taxii feeds で一覧表示）。", en: "The feed's id (tekigo taxii feeds lists them).")) var feed: String
    @Flag(name: .customLong("enable"), help: .say(ja: "設定した間隔でフィードを取り込みます。", en: "Pull the feed on its interval.")) var enable = false
    @Flag(name: .customLong("disable"), help: .say(ja: "定期取り込みを止めます（tekigo taxii pull で 1 回ずつは実行できます）。", en: "Stop scheduled pulls (tekigo taxii pull still runs one).")) var disable = false
    @Option(help: .say(ja: "定期取り込みの間隔の分数（5〜10080）。", en: "Minutes between scheduled pulls (5–10080).")) var interval: Int?

    func validate() throws {
        guard !(enable && disable) else { throw ValidationError(say(ja: "--enable と --disable はどちらか一方だけを指定してください。", en: "give --enable or --disable, not both.")) }
        guard enable || disable || interval != nil else { throw ValidationError(say(ja: "--enable、--disable 又は --interval を指定してください。", en: "give --enable, --disable or --interval.")) }
    }

    func run() async throws {
        try await taxiiFeedCommand(global, org: nil, writing: true) { _, env, _ in
            let cases = try await taxiiFeedByID(env, feed)
            print(try encodeJSON(try await cases.update(feedID: feed, enabled: enable || disable ? enable : nil, intervalMinutes: interval)))
        }
    }
}

struct TAXIIDelete: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "delete", abstract: say(ja: "フィードと、暗号化して保管した秘密情報、実行履歴を削除します（取り込んだオブジェクトは残ります）。", en: "Delete a feed, its sealed secret and its run history (the objects it brought stay)."))

    @OptionGroup var global: GlobalOptions
    @Argument(help: .say(ja: "フィードの ID（tekigo taxii feeds で一覧表示）。", en: "The feed's id (tekigo taxii feeds lists them).")) var feed: String

    func run() async throws {
        try await taxiiFeedCommand(global, org: nil, writing: true) { _, env, _ in
            try await taxiiFeedByID(env, feed).delete(feedID: feed)
            print(global.language == .ja ? "フィード \(feed) を削除しました。" : "Feed \(feed) deleted.")
        }
    }
}
