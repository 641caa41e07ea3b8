import ArgumentParser
import Foundation
import Hummingbird
import Logging
import TekigoCore
import TekigoServer
import TekigoStore

/// Where the server keeps its data: PostgreSQL when a URL is given, else SQLite in the data directory.
struct DatabaseOptions: ParsableArguments {
    @Option(help: "PostgreSQL URL (postgres://user:password@host:port/db). Default: $TEKIGO_DATABASE_URL, else SQLite in --data-dir.")
    var databaseURL: String?

    func location(_ global: GlobalOptions) throws -> DatabaseLocation {
        let env = ProcessInfo.processInfo.environment["TEKIGO_DATABASE_URL"]
        if let url = databaseURL ?? (env?.isEmpty == false ? env : nil) { return .postgres(url: url) }
        return try DatabaseLocation.dataDirectory(global.resolvedDataDir)
    }
}

struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve", abstract: "Run the Tekigo server (JSON API under /api/v1, OpenAPI document at /openapi.yaml).")

    @OptionGroup var global: GlobalOptions
    @OptionGroup var database: DatabaseOptions
    @Option(help: "Address to listen on.") var hostname: String = "127.0.0.1"
    @Option(help: "Port to listen on.") var port: Int = 8080
    @Flag(help: "Mark cookies Secure (set this when a TLS proxy is in front).") var secureCookies = false
    @Option(help: "Seconds between reminder passes (due dates, expiring attestations, webhooks); 0 turns them off.")
    var reminderInterval: Int = 900

    func run() async throws {
        runConcurrencyOnEventLoops()
        try await reporting {
            let location = try database.location(global)
            try FileManager.default.createDirectory(atPath: global.resolvedDataDir, withIntermediateDirectories: true,
                                                    attributes: [.posixPermissions: 0o700])
            guard reminderInterval >= 0 else {
                throw UserError("--reminder-interval must be 0 (off) or a number of seconds.", exitCode: 2)
            }
            let config = ServerConfiguration(hostname: hostname, port: port, database: location, dataDirectory: global.resolvedDataDir,
                                             secureCookies: secureCookies, reminderInterval: TimeInterval(reminderInterval))
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
            try await app.runService()
            await services.db.close()
        }
    }
}

struct MigrateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "migrate", abstract: "Apply database migrations and exit.")

    @OptionGroup var global: GlobalOptions
    @OptionGroup var database: DatabaseOptions

    func run() async throws {
        try await reporting {
            let location = try database.location(global)
            let db = try await TekigoDatabase.open(location)
            await OpenDatabases.shared.add(db)
            print("Database at \(location.displayName) is at the current schema.")
        }
    }
}

struct AdminCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "admin", abstract: "Administration from the command line.", subcommands: [AdminCreate.self, AdminGrant.self])
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
    @OptionGroup var database: DatabaseOptions
    @Option(help: "The server's public base URL.") var baseURL: String = "http://127.0.0.1:8080"
    @Flag(help: "The account created with the link is a platform administrator.") var platformAdmin = false

    func run() async throws {
        try await reporting {
            let location = try database.location(global)
            let db = try await TekigoDatabase.open(location)
            await OpenDatabases.shared.add(db)
            let token = SecureRandom.token()
            try await AccountStore(db).createSetupToken(hash: SecureRandom.sha256Hex(token),
                                                        expiresAt: Timestamp.string(Date().addingTimeInterval(3600)),
                                                        platformAdmin: platformAdmin)
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
    @OptionGroup var database: DatabaseOptions
    @Option(help: "The user's e-mail address (the account must exist: create it with the setup link first).") var email: String
    @Option(help: "The organization: its id, or its exact name.") var org: String
    @Option(help: "owner, admin, assessor, contributor, viewer or auditor.") var role: String = "owner"

    func run() async throws {
        try await reporting {
            guard let role = Role(rawValue: role) else {
                throw UserError("unknown role '\(role)'; use one of \(Role.allCases.map(\.rawValue).joined(separator: ", ")).", exitCode: 2)
            }
            let db = try await TekigoDatabase.open(try database.location(global))
            await OpenDatabases.shared.add(db)
            let accounts = AccountStore(db)
            guard let user = try await accounts.user(email: email) else {
                throw UserError("no user has the e-mail address \(email); create the account first (`tekigo admin create`, then the setup link).",
                                exitCode: 2)
            }
            let organization = try await resolveOrganization(org, db: db, lang: global.language)
            // The same rule as the API and the pages: the organization keeps an owner.
            do {
                try await MembershipStore(db, organizationID: organization.id).grant(userID: user.id, role: role,
                                                                                     actor: Actor(id: "cli", sourceIP: "local"))
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
