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
        commandName: "serve", abstract: "Run the Tekigo server (JSON API under /api/v1, OpenAPI document at /openapi.yaml).")

    @OptionGroup var global: GlobalOptions
    @Option(help: "Address to listen on.") var hostname: String = "127.0.0.1"
    @Option(help: "Port to listen on.") var port: Int = 8080
    @Flag(help: "Mark cookies Secure and send Strict-Transport-Security (set this when a TLS proxy is in front).")
    var secureCookies = false
    @Option(help: "Seconds between reminder passes (due dates, expiring attestations, webhooks); 0 turns them off.")
    var reminderInterval: Int = 900
    @Option(help: "Seconds between looks for TAXII feeds due to be pulled (each on its own interval); 0 turns scheduled pulls off.")
    var taxiiFeedCheckInterval: Int = 60
    @Option(help: ArgumentHelp(
        "A reverse proxy (address or CIDR range) whose X-Forwarded-For is believed; repeat for several.",
        discussion: "Only for a connection from a listed proxy is X-Forwarded-For read, and the client is its right-most "
            + "address that is not a listed proxy: that address is audited and counted by the per-address sign-in cap. "
            + "Without this option the TCP peer is the client and X-Forwarded-For is ignored.",
        valueName: "address-or-range"))
    var trustedProxy: [String] = []
    @Option(help: ArgumentHelp(
        "A private or link-local range (CIDR) that webhooks may deliver to, e.g. an internal ticket system; repeat for several.",
        valueName: "range"))
    var webhookAllowNetwork: [String] = []
    @Option(help: "Seconds a client may take to send a request's header lines, from its first byte (then 408 and close).")
    var requestHeadTimeout: Double = 10
    @Option(help: "Seconds a client may take to send a request's body, after its header lines (then 408 and close).")
    var requestBodyTimeout: Double = 120
    @Option(help: "Seconds a connection may stay open with no request in progress.")
    var idleTimeout: Double = 60
    @Option(help: "Minutes a signed-in session may stay unused before it ends (SP 800-171 3.1.11; at most 60).")
    var sessionIdleMinutes: Double = 15
    @Option(help: ArgumentHelp(
        "Seconds this server may reuse a lookup of an API token, a session or a membership (0 turns it off).",
        discussion: "A change made through this server (revocation, sign-out, role) applies at the next request; one made on "
            + "another server sharing the database, or with the command line, applies here within this many seconds."))
    var credentialCacheSeconds: Double = 1
    @OptionGroup(title: "Invitation e-mail") var smtp: SMTPOptions

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
                throw UserError("--reminder-interval must be 0 (off) or a number of seconds.", exitCode: 2)
            }
            guard taxiiFeedCheckInterval >= 0 else {
                throw UserError("--taxii-feed-check-interval must be 0 (off) or a number of seconds.", exitCode: 2)
            }
            guard sessionIdleMinutes > 0, sessionIdleMinutes <= 60 else {
                throw UserError("--session-idle-minutes must be more than 0 and at most 60 (a session unused this long ends, SP 800-171 3.1.11).", exitCode: 2)
            }
            let timeouts = HTTPTimeouts(requestHead: try Self.duration(requestHeadTimeout, "--request-head-timeout"),
                                        idle: try Self.duration(idleTimeout, "--idle-timeout"),
                                        requestBody: try Self.duration(requestBodyTimeout, "--request-body-timeout"))
            let proxies: [IPNetwork], allowed: [IPNetwork]
            do {
                proxies = try IPNetwork.list(trustedProxy, option: "--trusted-proxy")
                allowed = try IPNetwork.list(webhookAllowNetwork, option: "--webhook-allow-network")
            } catch let e as InvalidNetwork {
                throw UserError(e.description, exitCode: 2)
            }
            var config = ServerConfiguration(hostname: hostname, port: port, database: location, dataDirectory: storage.dataDirectory,
                                             secureCookies: secureCookies, idleTimeout: sessionIdleMinutes * 60,
                                             reminderInterval: TimeInterval(reminderInterval),
                                             httpTimeouts: timeouts, trustedProxies: proxies,
                                             webhookAddresses: WebhookAddressPolicy(allowedNetworks: allowed))
            config.smtp = try smtp.configuration()
            config.taxiiFeedCheckInterval = TimeInterval(taxiiFeedCheckInterval)
            guard credentialCacheSeconds >= 0, credentialCacheSeconds <= 60 else {
                throw UserError("--credential-cache-seconds must be between 0 (off) and 60.", exitCode: 2)
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
            throw UserError("\(option) must be a number of seconds above 0 and at most 86400 (it is \(seconds)).", exitCode: 2)
        }
        return .milliseconds(Int64((seconds * 1000).rounded()))
    }
}

struct MigrateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "migrate", abstract: "Apply database migrations and exit.")

    @OptionGroup var global: GlobalOptions

    func run() async throws {
        try await reporting {
            let location = global.storage.database
            _ = try await CommandDatabase(global).openForWriting()
            print("Database at \(location.displayName) is at the current schema (version \(Migrations.latest)).")
        }
    }
}

struct AdminCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "admin", abstract: "Administration from the command line.",
        subcommands: [AdminCreate.self, AdminGrant.self, AdminInvite.self, AdminResetMFA.self, AdminPlatformAdmin.self])
}

/// The CLI twin of the first-run link: prints a new one-time setup link (no password is ever set from here).
struct AdminCreate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "create",
        abstract: "Print a one-time setup link that creates an account and its new organization (expires in an hour).",
        discussion: """
            The account owns the organization it creates. It administers the platform (creates further organizations and
            imports NIST's official wording for the built-in catalogs) only with --platform-admin. Colleagues join an
            existing organization by invitation (members page, or POST /api/v1/organizations/{org}/member-invitations).
            """)

    @OptionGroup var global: GlobalOptions
    @Option(help: "The server's public base URL.") var baseURL: String = "http://127.0.0.1:8080"
    @Flag(help: "The account created with the link is a platform administrator.") var platformAdmin = false

    func run() async throws {
        try await reporting {
            let db = try await CommandDatabase(global).openForWriting()
            let token = try await SetupLinkUseCases(AccountEnvironment(db: db))
                .issue(platformAdmin: platformAdmin, by: Actor(id: "cli", sourceIP: "local"))
            print("open in a browser (valid for one hour, once): \(baseURL)/setup?token=\(token)")
            print("setup token (valid for one hour, once): \(token)")
            print("or with the API: curl -X POST \(baseURL)/api/v1/setup -H 'Content-Type: application/json' -d '{\"token\":\"\(token)\",\"email\":\"…\",\"password\":\"…\",\"displayName\":\"…\",\"organization\":\"…\"}'")
        }
    }
}

/// Gives an existing user a role in an existing organization, e.g. to take over a demo prime. Someone with access to
/// the database is an operator already; the change is audited like the API's `PUT …/members`.
struct AdminGrant: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "grant", abstract: "Give an existing user a role in an organization (e.g. a demo prime).")

    @OptionGroup var global: GlobalOptions
    @Option(help: "The user's e-mail address (the account must exist: create it with the setup link first).") var email: String
    @Option(help: "The organization: its id, or its exact name.") var org: String
    @Option(help: "owner, admin, assessor, contributor, viewer or auditor.") var role: String = "owner"

    func run() async throws {
        try await reporting {
            guard let role = Role(rawValue: role) else {
                throw UserError("unknown role '\(role)'; use one of \(Role.allCases.map(\.rawValue).joined(separator: ", ")).", exitCode: 2)
            }
            let db = try await CommandDatabase(global).openForWriting()
            let env = AccountEnvironment(db: db)
            guard let user = try await AccountUseCases(env).user(email: email) else {
                throw UserError("no user has the e-mail address \(email); create the account first (`tekigo admin create`, then the setup link).",
                                exitCode: 2)
            }
            let organization = try await resolveOrganization(org, db: db, lang: global.language)
            // The same rule as the API and the pages: the organization keeps an owner.
            do {
                try await MembershipUseCases(env)
                    .grantAsOperator(organizationID: organization.id, userID: user.id, role: role)
            } catch let e as MembershipRuleError {
                throw UserError("\(e.description) (nothing was changed)", exitCode: 1)
            }
            print("\(user.email) is now \(role.rawValue) of \(organization.name) (\(organization.id)).")
        }
    }
}

/// Unbuffered output for a long-running command.
func say(_ text: String) {
    FileHandle.standardOutput.write(Data((text + "\n").utf8))
}
