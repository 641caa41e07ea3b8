import Foundation
import Hummingbird
import HTTPTypes
import Logging
import NIOCore
import NIOPosix
import TekigoCore
import TekigoStore
import TekigoUseCases

/// Everything `tekigo serve` needs to know.
public struct ServerConfiguration: Sendable {
    public var hostname: String
    public var port: Int
    public var database: DatabaseLocation
    /// Holds the SQLite file (by default) and the evidence key file.
    public var dataDirectory: String
    /// Set cookies with `Secure` (behind TLS termination).
    public var secureCookies: Bool
    /// SP 800-171 3.1.11: a session ends after this long without activity.
    public var idleTimeout: TimeInterval
    /// SP 800-171 3.1.11: and after this long in any case.
    public var absoluteTimeout: TimeInterval
    public var setupTokenLifetime: TimeInterval
    public var environment: [String: String]
    public var logLevel: Logger.Level
    /// Seconds between passes of the supply-chain reminder scheduler (`ReminderScheduler`); 0 disables it.
    public var reminderInterval: TimeInterval
    /// How long a client may take to send a request head and body, and keep a connection idle (`HTTPTimeouts`).
    public var httpTimeouts: HTTPTimeouts
    /// Reverse proxies whose `X-Forwarded-For` is believed (`ClientAddress`); empty: the TCP peer is the client.
    public var trustedProxies: [IPNetwork]
    /// Where webhooks may deliver (`WebhookAddressPolicy`).
    public var webhookAddresses: WebhookAddressPolicy
    /// Poll intervals and leases of the job runner and the reminder scheduler (`BackgroundTiming`).
    public var background: BackgroundTiming
    /// Where "now" comes from for every decision the server makes (sessions, tokens, jobs, reminders, "today" of an
    /// organization); tests pass a `SettableClock` to move time. Log timestamps keep the system's time.
    public var clock: any WallClock
    /// The mail server invitations are also sent through (`--smtp-host` …); nil: the link is only shown, to copy.
    public var smtp: SMTPConfiguration? = nil
    /// How long a lookup of an API token, a session or a membership may be reused by this instance when no change has
    /// been made here since (`RecentLookups`): the longest a change made on another instance takes to reach requests
    /// here. 0: never.
    public var credentialCacheSeconds: TimeInterval = 1
    /// Seconds between the TAXII feed scheduler's looks for feeds due (`TAXIIFeedScheduler`); 0 turns scheduled pulls
    /// off (`tekigo serve --taxii-feed-check-interval`, as `reminderInterval` is for reminders).
    public var taxiiFeedCheckInterval: TimeInterval = 60

    public init(hostname: String = "127.0.0.1", port: Int = 8080, database: DatabaseLocation, dataDirectory: String,
                secureCookies: Bool = false, idleTimeout: TimeInterval = 15 * 60, absoluteTimeout: TimeInterval = 8 * 3600,
                setupTokenLifetime: TimeInterval = 3600, environment: [String: String] = ProcessInfo.processInfo.environment,
                logLevel: Logger.Level = .info, reminderInterval: TimeInterval = 900, httpTimeouts: HTTPTimeouts = HTTPTimeouts(),
                trustedProxies: [IPNetwork] = [], webhookAddresses: WebhookAddressPolicy = WebhookAddressPolicy(),
                background: BackgroundTiming = BackgroundTiming(), clock: any WallClock = SystemClock()) {
        self.hostname = hostname
        self.port = port
        self.database = database
        self.dataDirectory = dataDirectory
        self.secureCookies = secureCookies
        self.idleTimeout = idleTimeout
        self.absoluteTimeout = absoluteTimeout
        self.setupTokenLifetime = setupTokenLifetime
        self.environment = environment
        self.logLevel = logLevel
        self.reminderInterval = reminderInterval
        self.httpTimeouts = httpTimeouts
        self.trustedProxies = trustedProxies
        self.webhookAddresses = webhookAddresses
        self.background = background
        self.clock = clock
    }
}

/// The shared parts every handler uses. Holds no per-user state: sessions, lockouts and tokens live in the
/// database, so several instances can serve one PostgreSQL database behind a load balancer.
public struct Services: Sendable {
    public let config: ServerConfiguration
    public let db: TekigoDatabase
    public let accounts: AccountStore
    public let evidence: EvidenceVault
    /// The built-in catalogs and the custom ones imported (`CatalogLibrary`; reloaded after an import).
    public var library: Library { catalogLibrary.current }
    let catalogLibrary: CatalogLibrary
    /// Wakes this instance's job runner when a page queues a job.
    public let jobs: JobQueue
    /// This process's name in leases and logs (`ServerInstance`).
    public let instance: String
    /// Sends invitations by e-mail when a mail server is configured (`ServerConfiguration.smtp`).
    let mailer: InvitationMailer

    /// How many membership lookups this server has made (`Services.membership(of:in:sourceIP:)`); tests read it.
    let membershipLookups = LookupCounter()
    /// Tokens, sessions and memberships looked up lately (`RecentLookups`, `ServerConfiguration.credentialCacheSeconds`).
    let credentials: CredentialCaches

    /// The one clock (`ServerConfiguration.clock`).
    public var clock: any WallClock { config.clock }

    static let sessionCookie = "tekigo_session"
    static let csrfHeader = HTTPField.Name("X-CSRF-Token")!
}

/// Builds the whole server: the composition root. `tekigo serve` calls it with the real configuration; tests
/// call it with a temporary one.
public func buildApplication(_ config: ServerConfiguration, logger: Logger? = nil) async throws -> (some ApplicationProtocol, Services) {
    var log = logger ?? Logger(label: "tekigo")
    if logger == nil { log.logLevel = config.logLevel }
    let db = try await TekigoDatabase.open(config.database, maxConnections: 8)
    let key = try EvidenceKey.load(dataDirectory: config.dataDirectory, environment: config.environment)
    let assets = try await WebAssets.load()
    let services = Services(config: config, db: db, accounts: AccountStore(db, secretKey: key),
                            evidence: EvidenceVault(db: db, key: key), catalogLibrary: CatalogLibrary(try await CatalogLibrary.load(db)),
                            jobs: JobQueue(), instance: ServerInstance.newName(),
                            mailer: InvitationMailer(smtp: config.smtp, messages: assets.messages, logger: log),
                            credentials: CredentialCaches(lifetime: config.credentialCacheSeconds))
    // TOTP secrets an earlier Tekigo stored in clear are sealed now (TOTPSecretSealing.swift).
    let sealed = try await services.accounts.sealStoredTOTPSecrets()
    if sealed > 0 { log.notice("sealed TOTP secrets stored in clear", metadata: ["count": "\(sealed)"]) }
    ServerMetrics.bootstrap()
    let router = Router(context: AppContext.self)
    // Outermost first: the client address (behind --trusted-proxy) before anything logs or audits it; request log
    // and metrics see every response; security headers go on every response, error bodies included.
    router.add(middleware: ClientAddressMiddleware(trustedProxies: config.trustedProxies))
    router.add(middleware: RequestLogMiddleware())
    router.add(middleware: MetricsMiddleware())
    router.add(middleware: SecurityHeadersMiddleware(hsts: config.secureCookies))
    let web = WebApp(services: services, assets: assets)
    // An address no route has, under the pages, gets the not-found page in the user's language (not JSON).
    router.add(middleware: ErrorMiddleware(pages: PageErrorMiddleware(web: web)))
    router.add(middleware: AuthMiddleware(services: services))
    registerRoutes(on: router, services: services)
    // TAXII 2.1 (issue 14) has its own specification, authentication and error shape: not in openapi.yaml.
    TAXIIRoutes(services: services).mount(on: router)
    registerPages(on: router, web: web)
    let app = Application(
        router: router,
        server: TimedHTTP1Channel.builder(config.httpTimeouts),
        configuration: .init(address: .hostname(config.hostname, port: config.port), serverName: "tekigo"),
        // Background work runs beside the HTTP server in its service group: started with it, and stopped after it
        // on graceful shutdown (a running job is handed back, the scheduler's lease released).
        services: [JobRunner(services: services, logger: log)]
            + (config.reminderInterval > 0 ? [ReminderScheduler(services: services, logger: log)] : [])
            + (config.taxiiFeedCheckInterval > 0 ? [TAXIIFeedScheduler(services: services, logger: log)] : []),
        logger: log)
    return (app, services)
}

/// Every route collection of the server, in one place: `buildApplication` and the OpenAPI document test use it.
func registerRoutes(on router: Router<AppContext>, services: Services) {
    OperationsRoutes(services: services).register(router)
    AccountRoutes(services: services).register(router)
    TenantRoutes(services: services).register(router)
    SupplierRoutes(services: services).register(router)
    AttestationRoutes(services: services).register(router)
    ReminderRoutes(services: services).register(router)
    ReadinessRoutes(services: services).register(router)
    CloudServiceRoutes(services: services).register(router)
    EvidenceLibraryRoutes(services: services).register(router)
    IncidentNoticeRoutes(services: services).register(router)
    IncidentRegisterRoutes(services: services).register(router)
    IncidentRoutes(services: services).register(router)
    ExerciseRoutes(services: services).register(router)
    SharingRoutes(services: services).register(router)
    IncidentShareRoutes(services: services).register(router)
    FeedRoutes(services: services).register(router)
    CommunityRoutes(services: services).register(router)
    CloudChainRoutes(services: services).register(router)
    CloudRegistryRoutes(services: services).register(router)
    AssessmentWorkbookRoutes(services: services).register(router)
    ItemTableRoutes(services: services).register(router)
    OfficialWordingRoutes(services: services).register(router)
}

/// The web application's pages (HTML, forms; not part of the API document). Failures on them become pages in the
/// user's language (`PageErrorMiddleware`).
func registerPages(on router: some RouterMethods<AppContext>, web: WebApp) {
    let pages = router.group().add(middleware: PageErrorMiddleware(web: web))
    AuthPages(web: web).register(pages)
    AssessmentPages(web: web).register(pages)
    POAMPages(web: web).register(pages)
    ExportPages(web: web).register(pages)
    AssessmentWorkbookPages(web: web).register(pages)
    JobPages(web: web).register(pages)
    CatalogPages(web: web).register(pages)
    RegimePages(web: web).register(pages)
    AdminPages(web: web).register(pages)
    CustomerPages(web: web).register(pages)
    SupplyChainPages(web: web).register(pages)
    ReadinessPages(web: web).register(pages)
    IncidentRegisterPages(web: web).register(pages)
    IncidentNoticePages(web: web).register(pages)
    IncidentPages(web: web).register(pages)
    ExercisePages(web: web).register(pages)
    SharingPages(web: web).register(pages)
    FeedPages(web: web).register(pages)
    IncidentSharePages(web: web).register(pages)
    CommunityPages(web: web).register(pages)
    CloudServicePages(web: web).register(pages)
    EvidenceLibraryPages(web: web).register(pages)
    CloudChainPages(web: web).register(pages)
    CloudRegistryPages(web: web).register(pages)
}

extension Services {
    /// On an empty database, a one-time setup URL to create the first administrator (no default password exists).
    public func setupLinkIfNeeded(baseURL: String) async throws -> String? {
        // The first account administers the platform (the only one made so without `tekigo admin create --platform-admin`).
        guard let token = try await SetupLinkUseCases(accountEnvironment).firstRun(lifetime: config.setupTokenLifetime) else { return nil }
        return "\(baseURL)/setup?token=\(token)"
    }
}

/// Runs Swift Concurrency's jobs on the server's NIO event loops instead of a separate thread pool, so an `await`
/// on a database result does not cross threads twice. Measured on this 2-core machine it is the largest single
/// gain for small authenticated reads (docs/PERFORMANCE.md). Blocking work never runs on these threads: bcrypt
/// and SQLite have thread pools of their own. Call once, first thing in `tekigo serve`.
@discardableResult
public func runConcurrencyOnEventLoops() -> Bool {
    NIOSingletons.unsafeTryInstallSingletonPosixEventLoopGroupAsConcurrencyGlobalExecutor()
}
