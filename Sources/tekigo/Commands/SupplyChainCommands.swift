import ArgumentParser
import Foundation
import TekigoAttestation
import TekigoCore
import TekigoStore
import TekigoUseCases
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

// The supply chain from the command line: `tekigo demo` loads a demo chain; `org list`, `rollup` and `attest export`
// read the server's database; `attest verify` checks an exported attestation file offline.

// MARK: - Options and shared helpers

/// Output of the supply-chain commands: a table for people, or JSON (sorted keys) for scripts.
enum SupplyChainFormat: String, ExpressibleByArgument, CaseIterable {
    case table, json
}

/// What a reading supply-chain command adds when there is no database yet.
let demoDatabaseHint = LocalizedText(en: "(Or make a demo one with `tekigo demo --data-dir DIR`.)",
                                     ja: "（デモは tekigo demo --data-dir DIR で作れます。）")

/// Labels of the supply-chain commands in Japanese and English.
enum SCLabel {
    static let id = LocalizedText(en: "ID", ja: "ID")
    static let name = LocalizedText(en: "Name", ja: "名称")
    static let cage = LocalizedText(en: "CAGE", ja: "CAGE")
    static let uei = LocalizedText(en: "UEI", ja: "UEI")
    static let corporateNumber = LocalizedText(en: "Corporate no.", ja: "法人番号")
    static let suppliers = LocalizedText(en: "Suppliers", ja: "サプライヤー数")
    static let customers = LocalizedText(en: "Customers", ja: "顧客数")
    static let tier = LocalizedText(en: "Tier", ja: "階層")
    static let total = LocalizedText(en: "Total", ja: "合計")
    static let overdue = LocalizedText(en: "Overdue", ja: "期限超過")
    static let needsAction = LocalizedText(en: "Needs action", ja: "要対応")
    static let hidden = LocalizedText(en: "of which hidden", ja: "うち非開示")
    static let status = LocalizedText(en: "Status", ja: "状態")
    static let family = LocalizedText(en: "Family", ja: "ファミリー")
    static let failing = LocalizedText(en: "Suppliers failing", ja: "不適合のサプライヤー数")
    static let unscored = LocalizedText(en: "no score in force", ja: "有効なスコアなし")
    static let yes = LocalizedText(en: "yes", ja: "はい")
}

/// An organization named on the command line.
struct OrganizationRef: Sendable, Hashable {
    let id: String
    let name: String
}

/// Finds an organization by exact id, else by a unique exact name (Japanese or English, as stored); otherwise a
/// user error (exit 2) listing the organizations with that name, or close matches.
func resolveOrganization(_ query: String, db: TekigoDatabase, lang: Language) async throws -> OrganizationRef {
    let q = query.trimmingCharacters(in: .whitespacesAndNewlines)
    let ja = lang == .ja
    let directory = DirectoryQueries(db: db)
    func refs(_ rows: [(id: String, name: String)]) -> [OrganizationRef] { rows.map { OrganizationRef(id: $0.id, name: $0.name) } }
    if let byID = refs(try await directory.organizations(id: q)).first {
        return byID
    }
    let byName = refs(try await directory.organizations(named: q)).sorted { $0.id < $1.id }
    if byName.count == 1 { return byName[0] }
    if byName.count > 1 {
        let list = byName.prefix(10).map { "  \($0.id)  \($0.name)" }.joined(separator: "\n")
        throw UserError(ja ? "「\(q)」という名称の組織が \(byName.count) 件あります。ID で指定してください:\n\(list)"
                           : "\(byName.count) organizations are named '\(q)'; name one by its id:\n\(list)", exitCode: 2)
    }
    let all = refs(try await directory.allNames())
    let close = closeMatches(q, among: all)
    let hint = close.isEmpty
        ? (ja ? "一覧は tekigo org list で確認できます。" : "List them with `tekigo org list`.")
        : (ja ? "候補:\n" : "Did you mean:\n") + close.map { "  \($0.id)  \($0.name)" }.joined(separator: "\n")
    throw UserError(ja ? "ID または名称が「\(q)」の組織はありません。\(hint)"
                       : "no organization has the id or name '\(q)'. \(hint)", exitCode: 2)
}

/// Up to eight organizations whose id or name is close to `query`: equal or containing each other once case, width
/// and spaces are ignored, or within a small edit distance.
func closeMatches(_ query: String, among all: [OrganizationRef]) -> [OrganizationRef] {
    func norm(_ s: String) -> [Character] {
        Array(s.precomposedStringWithCompatibilityMapping.lowercased().filter { !$0.isWhitespace })
    }
    let q = norm(query)
    guard !q.isEmpty else { return [] }
    let limit = max(1, q.count / 4)
    var scored: [(Int, OrganizationRef)] = []
    for o in all {
        var best = Int.max
        for text in [o.id, o.name] {
            let t = norm(text)
            if t == q { best = 0; break }
            if q.count >= 2, String(t).contains(String(q)) || (t.count >= 2 && String(q).contains(String(t))) { best = min(best, 1) }
            if abs(t.count - q.count) <= limit, let d = editDistance(q, t, limit: limit) { best = min(best, 1 + d) }
        }
        if best != .max { scored.append((best, o)) }
    }
    return scored.sorted { ($0.0, $0.1.name, $0.1.id) < ($1.0, $1.1.name, $1.1.id) }.prefix(8).map(\.1)
}

/// Levenshtein distance, or nil when it is more than `limit`.
func editDistance(_ a: [Character], _ b: [Character], limit: Int) -> Int? {
    var previous = Array(0...b.count)
    for (i, x) in a.enumerated() {
        var current = [i + 1] + [Int](repeating: 0, count: b.count)
        var rowMin = current[0]
        for (j, y) in b.enumerated() {
            current[j + 1] = min(previous[j + 1] + 1, current[j] + 1, previous[j] + (x == y ? 0 : 1))
            rowMin = min(rowMin, current[j + 1])
        }
        if rowMin > limit { return nil }
        previous = current
    }
    return previous[b.count] <= limit ? previous[b.count] : nil
}

/// A key that seals nothing: the attestation and key reads need an evidence key, but reading published
/// data (attestations, public keys) never unseals a private key, and loading the real one would create
/// `evidence.key` as a side effect of a read.
func readOnlyEvidenceKey() throws -> EvidenceKey {
    try EvidenceKey(rawBytes: [UInt8](repeating: 0, count: 32))
}

/// What the supply-chain use cases work with on the command line: the database, the system's clock, the built-in
/// catalogs, and a vault whose key seals nothing (nothing these commands do opens a sealed key; see `readOnlyEvidenceKey`).
func supplyChainEnvironment(_ db: TekigoDatabase) throws -> TenantEnvironment {
    TenantEnvironment(db: db, evidenceKey: try readOnlyEvidenceKey(), library: try BuiltInLibrary.shared, clock: SystemClock())
}

/// Writes `data` beside `path` and renames it into place, so a failed write never leaves half a file.
func writeAtomically(_ data: Data, to path: String, lang: Language) throws {
    let target = URL(fileURLWithPath: path)
    let temp = target.deletingLastPathComponent()
        .appendingPathComponent(".\(target.lastPathComponent).\(UUID().uuidString.prefix(8)).tmp")
    do {
        try data.write(to: temp)
        guard rename(temp.path, target.path) == 0 else {
            throw UserError(String(cString: strerror(errno)))
        }
    } catch {
        try? FileManager.default.removeItem(at: temp)
        throw UserError(lang == .ja ? "\(target.path) に書き込めません: \(error)" : "cannot write \(target.path): \(error)")
    }
}

/// Progress on standard error for long loads: a line per phase change and about every tenth of a phase.
final class ProgressPrinter: @unchecked Sendable {
    private let lock = NSLock()
    private let lang: Language
    private let start = ContinuousClock.now
    private var lastPhase: DemoLoadPhase?
    private var lastTenth = -1

    init(lang: Language) { self.lang = lang }

    func note(_ text: String) {
        lock.withLock { FileHandle.standardError.write(Data("\(elapsed()) \(text)\n".utf8)) }
    }

    func report(_ phase: DemoLoadPhase, _ done: Int, _ total: Int) {
        lock.withLock {
            let tenth = total == 0 ? 10 : done * 10 / total
            guard phase != lastPhase || tenth != lastTenth else { return }
            lastPhase = phase
            lastTenth = tenth
            let ja = lang == .ja
            let what: String
            switch phase {
            case .signing: what = ja ? "証明書の作成と署名" : "building and signing attestations"
            case .writing: what = ja ? "書き込み（1 トランザクション）" : "writing rows (one transaction)"
            case .rollup: what = ja ? "元請の集計を構築" : "building the primes' roll-ups"
            }
            FileHandle.standardError.write(Data("\(elapsed()) \(what): \(done)/\(total)\n".utf8))
        }
    }

    private func elapsed() -> String {
        let d = ContinuousClock.now - start
        return String(format: "[%6.1fs]", Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18)
    }
}

// MARK: - tekigo demo

struct DemoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: say(ja: "架空の防衛サプライチェーン（元請 2 社、3 階層のサプライヤー、署名付き証明書）を空のデータベースに読み込みます。", en: "Load a fictitious defense supply chain (two primes, three tiers of suppliers, signed attestations) into an empty database."),
        discussion: say(ja: """
            既に組織が入っているデータベースは拒否します。デモデータが実データと混ざることはありません。
            すべてを 1 つのトランザクションで書き込みます。例: tekigo demo --suppliers 300 --data-dir /tmp/tekigo-demo
            """, en: """
            Refuses a database that already holds organizations, so demo data never mixes with real data. \
            Everything is written in one transaction. Example: tekigo demo --suppliers 300 --data-dir /tmp/tekigo-demo
            """))

    @OptionGroup var global: GlobalOptions
    @Option(help: .say(ja: "2 社の元請の下に置くサプライヤーの数（1〜100000）。", en: "How many suppliers below the two primes (1–100000).")) var suppliers: Int = 300
    @Option(help: .say(ja: "生成のシード値: 同じシードなら同じサプライチェーンになります。", en: "Seed of the generator: the same seed gives the same chain.")) var seed: UInt64 = 20_261_127

    func run() async throws {
        try await reporting {
            let lang = global.language
            let ja = lang == .ja
            guard (1...100_000).contains(suppliers) else {
                throw UserError(ja ? "--suppliers は 1〜100000 で指定してください（\(suppliers) が指定されました）。"
                                   : "--suppliers must be between 1 and 100000 (got \(suppliers)).")
            }
            let clock = ContinuousClock()
            let started = clock.now
            let progress = suppliers >= 2_000 ? ProgressPrinter(lang: lang) : nil
            let storage = global.storage
            let location = storage.database
            let db = try await CommandDatabase(global).openForWriting()
            let existing = try await DemoUseCases(db: db, evidenceKey: readOnlyEvidenceKey()).organizationCount()
            guard existing == 0 else { throw notEmpty(existing, location) }
            // The key the server seals signing keys with: the same data directory (or TEKIGO_EVIDENCE_KEY).
            let evidenceKey = try EvidenceKey.load(dataDirectory: storage.dataDirectory,
                                                   environment: ProcessInfo.processInfo.environment)
            // The demo's organizations keep the default time zone, so their today is that calendar's (OrganizationCalendar).
            let today = OrganizationCalendar(identifier: OrganizationCalendar.defaultTimeZone).today(SystemClock())
            progress?.note(ja ? "サプライチェーンを生成しています（サプライヤー \(suppliers) 社）" : "generating the chain (\(suppliers) suppliers)")
            let demo = DemoSupplyChain.generate(suppliers: suppliers, seed: seed, today: today)
            let catalog = try BuiltInLibrary.shared.catalog(.sp800171r2)
            var report: (@Sendable (DemoLoadPhase, Int, Int) -> Void)?
            if let progress {
                report = { phase, done, total in progress.report(phase, done, total) }
            }
            let summary: DemoLoadSummary
            do {
                summary = try await DemoUseCases(db: db, evidenceKey: evidenceKey)
                    .load(demo, catalog: catalog, today: today, now: Date(), by: Actor(id: AuditEvent.systemActor, sourceIP: "127.0.0.1"),
                          progress: report)
            } catch let error as DemoLoadError {
                if case .notEmpty(let n, _) = error { throw notEmpty(n, location) }
                throw error
            }
            let seconds = (clock.now - started).components
            let elapsed = Double(seconds.seconds) + Double(seconds.attoseconds) / 1e18
            print(render(summary, location: location, seconds: elapsed, lang: lang))
        }
    }

    func notEmpty(_ n: Int, _ location: DatabaseLocation) -> UserError {
        global.language == .ja
            ? UserError("データベースにはすでに組織があります（\(location.displayName) に \(n) 件）。デモは空のデータベースにだけ読み込みます。"
                        + "空の --data-dir（PostgreSQL なら空のデータベース）を指定してください。")
            : UserError("the database already holds organizations (\(n) at \(location.displayName)); use an empty --data-dir "
                        + "(or an empty PostgreSQL database), so demo data never mixes with real data.")
    }

    func render(_ s: DemoLoadSummary, location: DatabaseLocation, seconds: Double, lang: Language) -> String {
        let ja = lang == .ja
        var out: [String] = []
        out.append(ja ? String(format: "デモのサプライチェーンを読み込みました（シード %llu、%@ 時点、%.1f 秒）: %@", seed, s.asOf.description, seconds, location.displayName)
                      : String(format: "Loaded the demo supply chain (seed %llu, as of %@) in %.1f s into %@", seed, s.asOf.description, seconds, location.displayName))
        var t = TextTable([ja ? "項目" : "What", ja ? "件数" : "Count"])
        t.add([ja ? "組織" : "organizations", "\(s.organizations)"])
        t.add([ja ? "元請" : "primes", "\(s.primes.count)"])
        for tier in s.suppliersByTier.keys.sorted() {
            t.add([ja ? "第\(tier)階層のサプライヤー" : "tier-\(tier) suppliers", "\(s.suppliersByTier[tier]!)"])
        }
        t.add([ja ? "取引関係" : "supplier links", "\(s.links)"])
        t.add([ja ? "契約" : "contracts", "\(s.contracts)"])
        t.add([ja ? "フローダウン要件" : "flow-down requirements", "\(s.requirements)"])
        t.add([ja ? "署名鍵" : "signing keys", "\(s.signingKeys)"])
        t.add([ja ? "署名付き証明" : "signed attestations", "\(s.attestations)"])
        t.add([ja ? "開示の同意" : "consent grants", "\(s.consents)"])
        out.append(t.render())
        out.append("")
        out.append(ja ? "元請（それぞれの配下のサプライヤー数）:" : "Primes (suppliers in each one's tree):")
        var p = TextTable([SCLabel.id[lang], SCLabel.name[lang]] + (1...3).map { ja ? "第\($0)階層" : "tier \($0)" } + [SCLabel.total[lang]])
        for prime in s.primes {
            p.add([prime.id, prime.name] + (1...3).map { "\(prime.suppliersByTier[$0] ?? 0)" } + ["\(prime.suppliers)"])
        }
        out.append(p.render())
        out.append("")
        let target: String
        // With PostgreSQL the data directory still matters: its evidence.key sealed the demo's signing keys.
        let dataDir = global.storage.dataDirectory
        if case .postgres = location {
            target = "--database-url '\(location.displayName)' --data-dir \(shellQuoted(dataDir))"
        } else {
            target = "--data-dir \(shellQuoted(dataDir))"
        }
        let firstPrime = s.primes.first?.id ?? "demo-prime-jp"
        out.append(ja ? "次の手順:" : "Next:")
        out.append(ja ? "  tekigo serve \(target)" : "  tekigo serve \(target)")
        out.append(ja ? "      サーバーを起動します。アカウントがまだないので、初回は一度だけ使えるセットアップ用リンクを表示します。ブラウザで開いて自分のアカウントを作ります。"
                      : "      starts the server; with no user yet, it prints a one-time setup link: open it in a browser to create your account.")
        out.append("  tekigo admin create \(target)")
        out.append(ja ? "      管理者を作るセットアップ用リンクをもう一度発行します（1 時間有効）。"
                      : "      prints another setup link (valid for an hour) that creates an administrator.")
        out.append("  tekigo admin grant --email you@example.jp --org \(firstPrime) --role owner \(target)")
        out.append(ja ? "      セットアップで作った自分のアカウントを、デモの元請（プライム）の所有者にします。ブラウザでその組織を開くと、元請の評価（ダッシュボード、要件ごとの回答、是正計画、出力）を見て、続きを回答できます。"
                      : "      makes the account you created with the setup link an owner of the demo prime; in the browser you then see the prime's assessment (dashboard, answers, POA&M, exports) and can go on answering it.")
        out.append("  tekigo rollup --org \(firstPrime) \(target)")
        out.append("  tekigo org list \(target)")
        return out.joined(separator: "\n")
    }
}

func shellQuoted(_ s: String) -> String {
    s.allSatisfy { $0.isLetter || $0.isNumber || "/._-+:@".contains($0) } ? s : "'" + s.replacingOccurrences(of: "'", with: "'\\''") + "'"
}

// MARK: - tekigo org list

struct OrgCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "org", abstract: say(ja: "サーバーのデータベースにある組織。", en: "Organizations in the server's database."), subcommands: [OrgList.self, OrgRegime.self])
}

/// One organization as `org list` shows it. JSON writes every key, absent values as null.
struct OrganizationListing: Encodable {
    let id: String
    let name: String
    let cageCodes: [String]
    let uei: String?
    let corporateNumber: String?
    let suppliers: Int
    let customers: Int

    enum CodingKeys: String, CodingKey { case id, name, cageCodes, uei, corporateNumber, suppliers, customers }

    func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(id, forKey: .id)
        try c.encode(name, forKey: .name)
        try c.encode(cageCodes, forKey: .cageCodes)
        try c.encode(uei, forKey: .uei)
        try c.encode(corporateNumber, forKey: .corporateNumber)
        try c.encode(suppliers, forKey: .suppliers)
        try c.encode(customers, forKey: .customers)
    }
}

struct OrgList: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list",
        abstract: say(ja: "組織を CAGE コード、UEI、法人番号と、それぞれのサプライヤー数・顧客数とともに一覧にします。", en: "List organizations with their CAGE code, UEI and 法人番号, and how many suppliers and customers each has."),
        discussion: say(ja: "例: tekigo org list --format json --data-dir /tmp/tekigo-demo", en: "Example: tekigo org list --format json --data-dir /tmp/tekigo-demo"))

    @OptionGroup var global: GlobalOptions
    @Option(help: .say(ja: "table 又は json。", en: "table or json.")) var format: SupplyChainFormat = .table

    func run() async throws {
        try await reporting {
            let lang = global.language
            let db = try await CommandDatabase(global).openForReading(missingHint: demoDatabaseHint)
            let list = try await Self.organizations(db)
            switch format {
            case .json:
                print(try encodeJSON(list))
            case .table:
                guard !list.isEmpty else {
                    print(lang == .ja ? "組織はまだありません。" : "No organization yet.")
                    return
                }
                var t = TextTable([SCLabel.id[lang], SCLabel.name[lang], SCLabel.cage[lang], SCLabel.uei[lang],
                                   SCLabel.corporateNumber[lang], SCLabel.suppliers[lang], SCLabel.customers[lang]])
                for o in list {
                    t.add([o.id, o.name, o.cageCodes.joined(separator: " "), o.uei ?? "", o.corporateNumber ?? "",
                           "\(o.suppliers)", "\(o.customers)"])
                }
                print(t.render())
                print(lang == .ja ? "\n\(list.count) 組織" : "\n\(list.count) organizations")
            }
        }
    }

    /// Every organization with its link counts, by name then id (`DirectoryQueries`).
    static func organizations(_ db: TekigoDatabase) async throws -> [OrganizationListing] {
        try await DirectoryQueries(db: db).summaries().map {
            OrganizationListing(id: $0.id, name: $0.name, cageCodes: $0.cageCodes, uei: $0.uei, corporateNumber: $0.corporateNumber,
                                suppliers: $0.suppliers, customers: $0.customers)
        }
    }
}

// MARK: - tekigo rollup

/// The roll-up as `tekigo rollup --format json` writes it (the API's shape, plus names the prime may see).
struct RollupOutput: Encodable {
    struct Prime: Encodable {
        let id: String
        let name: String
    }

    typealias Tier = TierSummary

    struct FailingFamily: Encodable {
        let family: String
        let title: String
        let suppliers: Int
    }

    struct Entry: Encodable {
        let organizationId: String
        let name: String
        let tier: Int
        let status: String
        let overdue: Bool
    }

    struct NeedsAction: Encodable {
        /// Suppliers the prime may see (consent), most urgent first; at most `--limit`.
        let items: [Entry]
        /// Visible suppliers needing action in all.
        let total: Int
        /// Suppliers needing action that the prime may not see: counted only.
        let hidden: Int
    }

    let prime: Prime
    let asOf: String
    let version: Int
    let updatedAt: String
    let tiers: [Tier]
    let totals: Tier
    /// Families failed by the most suppliers, most first.
    let failingFamilies: [FailingFamily]
    let needsAction: NeedsAction
}

struct RollupCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rollup",
        abstract: say(ja: "元請のサプライチェーンを階層ごとに: サプライヤー数、状況の合計、スコアの分布、不適合の多いファミリー。", en: "A prime's supply chain by tier: supplier counts, status totals, score distribution, the families failing most."),
        discussion: say(ja: """
            元請から見た画面です: サプライヤーの名前は同意がある場合だけ示し、ほかは数だけを数えます。
            例: tekigo rollup --org demo-prime-jp --data-dir /tmp/tekigo-demo
            """, en: """
            The prime's view: suppliers are named only where consent allows; the others are counted. \
            Example: tekigo rollup --org demo-prime-jp --data-dir /tmp/tekigo-demo
            """))

    @OptionGroup var global: GlobalOptions
    @Option(help: .say(ja: "元請: その ID、又は正確な名前。", en: "The prime: its id, or its exact name.")) var org: String
    @Option(help: .say(ja: "table 又は json。", en: "table or json.")) var format: SupplyChainFormat = .table
    @Option(help: .say(ja: "対応が必要なサプライヤー（見られるもの）を何社まで表示するか。", en: "How many visible suppliers needing action to list.")) var limit: Int = 20
    @Option(help: .say(ja: "不適合の多いファミリーをいくつまで表示するか。", en: "How many of the families failing most to show.")) var families: Int = 5

    func run() async throws {
        try await reporting {
            let lang = global.language
            let ja = lang == .ja
            let db = try await CommandDatabase(global).openForReading(missingHint: demoDatabaseHint)
            let prime = try await resolveOrganization(org, db: db, lang: lang)
            guard let record = try await AccountUseCases(AccountEnvironment(db: db)).organization(id: prime.id) else {
                throw UserError(ja ? "組織 \(prime.id) が見つかりません。" : "organization \(prime.id) was not found.", exitCode: 2)
            }
            // As the API does on first use (the same use case): the organization becomes a prime, its roll-up built once,
            // at its own today, and then kept current.
            let rollups = RollupUseCases(try supplyChainEnvironment(db), organization: record)
            let (view, built) = try await rollups.view()
            if built {
                printError(ja ? "\(prime.name) の集計はまだなかったため、いま作成しました。" : "\(prime.name) had no roll-up yet; built it now.")
            }
            let page = try await rollups.needsAction(view, limit: max(0, limit), offset: 0)
            let output = RollupOutput(
                prime: .init(id: prime.id, name: prime.name), asOf: view.asOf.description, version: view.version,
                updatedAt: view.updatedAt, tiers: view.tierNumbers.map { RollupOutput.Tier(tier: $0, view.tiers[$0]!) },
                totals: RollupOutput.Tier(tier: nil, view.totals),
                failingFamilies: Self.topFamilies(view.totals, count: max(0, families), lang: lang),
                needsAction: .init(items: page.entries.map {
                    RollupOutput.Entry(organizationId: $0.organization, name: $0.name ?? "", tier: $0.tier, status: $0.status.rawValue,
                                       overdue: $0.overdue)
                }, total: page.visibleTotal, hidden: page.hiddenCount))
            switch format {
            case .json: print(try encodeJSON(output))
            case .table: print(Self.render(output, lang: lang))
            }
        }
    }

    /// The families failed by the most suppliers, with the catalog's title (SP 800-171 rev2, else rev3).
    static func topFamilies(_ totals: TierRollup, count: Int, lang: Language) -> [RollupOutput.FailingFamily] {
        let library = try? BuiltInLibrary.shared
        let titles = [CatalogID.sp800171r2, .sp800171r3].compactMap { library?.catalogs[$0] }.flatMap(\.families)
        return totals.familiesFailingMost(limit: count).map { f in
            RollupOutput.FailingFamily(family: f.family, title: titles.first { $0.id == f.family }?.title[lang] ?? "", suppliers: f.suppliers)
        }
    }

    static func render(_ o: RollupOutput, lang: Language) -> String {
        let ja = lang == .ja
        var out: [String] = []
        out.append(ja ? "\(o.prime.name)（\(o.prime.id)）のサプライチェーン集計 — \(o.asOf) 時点"
                      : "Supply chain of \(o.prime.name) (\(o.prime.id)) — as of \(o.asOf)")
        out.append("")
        let statuses: [SupplierStatusKind] = [.current, .expiring, .expired, .belowMinimum, .missing]
        var t = TextTable([SCLabel.tier[lang], SCLabel.suppliers[lang]] + statuses.map { $0.label[lang] }
                          + [SCLabel.overdue[lang], SCLabel.needsAction[lang], SCLabel.hidden[lang]])
        func row(_ label: String, _ x: RollupOutput.Tier) -> [String] {
            [label, "\(x.suppliers)"] + statuses.map { "\(x.byStatus[$0.rawValue] ?? 0)" }
                + ["\(x.overdue)", "\(x.needingAction)", "\(x.hiddenNeedingAction)"]
        }
        for tier in o.tiers { t.add(row("\(tier.tier ?? 0)", tier)) }
        t.add(row(SCLabel.total[lang], o.totals))
        out.append(t.render())

        out.append("")
        out.append(ja ? "SPRS スコアの分布（有効な証明のみ）:" : "SPRS score distribution (attestations in force):")
        var h = TextTable([ja ? "スコア" : "Score", SCLabel.suppliers[lang]])
        for b in ScoreBucket.allCases { h.add([b.label[lang], "\(o.totals.scoreHistogram[b.rawValue] ?? 0)"]) }
        h.add([SCLabel.unscored[lang], "\(o.totals.unscored)"])
        out.append(h.render())

        out.append("")
        if o.failingFamilies.isEmpty {
            out.append(ja ? "ファミリー別の不適合: ファミリー別の証明がありません。" : "Families failing: no per-family attestation in force.")
        } else {
            out.append(ja ? "不適合の多いファミリー:" : "Families failing most:")
            var f = TextTable([SCLabel.family[lang], SCLabel.name[lang], SCLabel.failing[lang]])
            for x in o.failingFamilies { f.add([x.family, x.title, "\(x.suppliers)"]) }
            out.append(f.render())
        }

        out.append("")
        let n = o.needsAction
        out.append(ja ? "要対応のサプライヤー（開示に同意したもの \(n.total) 社のうち \(n.items.count) 社を表示。ほかに非開示 \(n.hidden) 社）:"
                      : "Suppliers needing action (\(n.items.count) shown of \(n.total) visible to you; \(n.hidden) more not disclosed to you):")
        if !n.items.isEmpty {
            var a = TextTable([SCLabel.tier[lang], SCLabel.status[lang], SCLabel.overdue[lang], SCLabel.id[lang], SCLabel.name[lang]])
            for e in n.items {
                a.add(["\(e.tier)", SupplierStatusKind(rawValue: e.status)?.label[lang] ?? e.status, e.overdue ? SCLabel.yes[lang] : "",
                       e.organizationId, e.name])
            }
            out.append(a.render())
        }
        return out.joined(separator: "\n")
    }
}

// MARK: - tekigo attest export | verify

struct AttestCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "attest", abstract: say(ja: "署名付き証明書（tekigo-attestation/1）をエクスポート・検証します。", en: "Export and verify signed attestations (tekigo-attestation/1)."),
        subcommands: [AttestExport.self, AttestVerify.self])
}

struct AttestExport: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: say(ja: "組織の現在の署名付き証明書をファイルに書き出します。", en: "Write an organization's current signed attestation to a file."),
        discussion: say(ja: "例: tekigo attest export --org demo-00042 --out attestation.json --data-dir /tmp/tekigo-demo", en: "Example: tekigo attest export --org demo-00042 --out attestation.json --data-dir /tmp/tekigo-demo"))

    @OptionGroup var global: GlobalOptions
    @Option(help: .say(ja: "組織: その ID、又は正確な名前。", en: "The organization: its id, or its exact name.")) var org: String
    @Option(help: .say(ja: "書き出すファイル。", en: "The file to write.")) var out: String

    func run() async throws {
        try await reporting {
            let lang = global.language
            let ja = lang == .ja
            let db = try await CommandDatabase(global).openForReading(missingHint: demoDatabaseHint)
            let o = try await resolveOrganization(org, db: db, lang: lang)
            guard let record = try await AccountUseCases(AccountEnvironment(db: db)).organization(id: o.id) else {
                throw UserError(ja ? "組織 \(o.id) が見つかりません。" : "organization \(o.id) was not found.", exitCode: 2)
            }
            let attestations = AttestationUseCases(try supplyChainEnvironment(db), .commandLine(record, db: db))
            let current: AttestationRecord
            do { current = try await attestations.current() } catch SupplyChainRuleError.noCurrentAttestation {
                throw UserError(ja ? "\(o.name)（\(o.id)）には署名付きの証明がまだありません。評価から証明を発行してください（API: POST /api/v1/organizations/\(o.id)/attestations）。"
                                   : "\(o.name) (\(o.id)) has no signed attestation yet; issue one from an assessment first "
                                     + "(API: POST /api/v1/organizations/\(o.id)/attestations).")
            }
            let data = try await attestations.export(id: current.id)
            try writeAtomically(data, to: out, lang: lang)
            let key = try await attestations.publicKeys().first { $0.keyID == current.keyId }
            let score = current.sprsScore.map(String.init) ?? (ja ? "なし" : "none")
            print(ja ? "\(out) に書き出しました: \(o.name)（\(o.id)）、SPRS \(score)、\(current.expiresAt) まで有効、鍵 \(current.keyId)"
                     : "Wrote \(out): \(o.name) (\(o.id)), SPRS \(score), valid through \(current.expiresAt), key \(current.keyId)")
            if let key {
                print(ja ? "確認: tekigo attest verify \(shellQuoted(out)) --trusted-key \(key.publicKey)"
                         : "Verify: tekigo attest verify \(shellQuoted(out)) --trusted-key \(key.publicKey)")
            }
        }
    }
}

/// `attest verify --format json`: the outcome, every key present.
struct VerificationOutput: Encodable {
    let valid: Bool
    let trusted: Bool
    let check: String?
    let field: String?
    let reason: String?
    let organizationId: String?
    let organizationName: String?
    let sprsScore: Int?
    let cmmcStatus: String?
    let assessmentDate: String?
    let issuedAt: String?
    let expiresAt: String?
    let keyId: String?

    enum CodingKeys: String, CodingKey {
        case valid, trusted, check, field, reason, organizationId, organizationName, sprsScore, cmmcStatus, assessmentDate
        case issuedAt, expiresAt, keyId
    }

    func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(valid, forKey: .valid)
        try c.encode(trusted, forKey: .trusted)
        try c.encode(check, forKey: .check)
        try c.encode(field, forKey: .field)
        try c.encode(reason, forKey: .reason)
        try c.encode(organizationId, forKey: .organizationId)
        try c.encode(organizationName, forKey: .organizationName)
        try c.encode(sprsScore, forKey: .sprsScore)
        try c.encode(cmmcStatus, forKey: .cmmcStatus)
        try c.encode(assessmentDate, forKey: .assessmentDate)
        try c.encode(issuedAt, forKey: .issuedAt)
        try c.encode(expiresAt, forKey: .expiresAt)
        try c.encode(keyId, forKey: .keyId)
    }
}

struct AttestVerify: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: say(ja: "証明書ファイルをオフラインで検証します。有効なら終了コード 0、無効なら失敗した検査と項目を示して 1。", en: "Check an attestation file offline: exit 0 when valid, 1 naming the check and field that failed."),
        discussion: say(ja: """
            --trusted-key がなければ、ファイルに入っている公開鍵（誰でも作れるもの）で確かめるだけです。
            誰が署名したかを確かめるには、発行者が公開している鍵を渡してください。
            例: tekigo attest verify attestation.json --trusted-key BASE64
            """, en: """
            Without --trusted-key the file is only checked against the public key it carries, which anyone can make; \
            pass the key the issuer publishes to check who signed it. \
            Example: tekigo attest verify attestation.json --trusted-key BASE64
            """))

    @OptionGroup var global: GlobalOptions
    @Argument(help: .say(ja: "証明書ファイル（tekigo-attestation/1）。", en: "The attestation file (tekigo-attestation/1).")) var file: String
    @Option(name: .customLong("trusted-key"), help: .say(ja: "信頼する Ed25519 公開鍵（公開されているとおりの Base64）。複数なら繰り返し指定。", en: "A trusted Ed25519 public key (base64, as published); repeat for several."))
    var trustedKeys: [String] = []
    @Option(help: .say(ja: "table 又は json。", en: "table or json.")) var format: SupplyChainFormat = .table

    func run() async throws {
        try await reporting {
            let lang = global.language
            let ja = lang == .ja
            guard let handle = FileHandle(forReadingAtPath: file) else {
                throw UserError(ja ? "\(file) を読めません（存在しないか、読み取り権限がありません）。" : "cannot read \(file) (missing, or no permission).")
            }
            let data = (try? handle.read(upToCount: AttestationVerifier.maximumSize + 1)) ?? Data()
            try? handle.close()
            let trusted = trustedKeys.isEmpty ? nil : trustedKeys
            switch AttestationVerifier.verify(data: data, trustedKeys: trusted) {
            case .verified(let v):
                let p = v.payload
                if format == .json {
                    print(try encodeJSON(VerificationOutput(
                        valid: true, trusted: trusted != nil, check: nil, field: nil, reason: nil, organizationId: p.organization.id,
                        organizationName: p.organization.name, sprsScore: p.sprsScore, cmmcStatus: p.cmmcStatus,
                        assessmentDate: p.assessmentDate.description, issuedAt: p.issuedAt, expiresAt: p.expiresAt.description,
                        keyId: v.keyID)))
                    return
                }
                let today = Day(Date())
                let expiry = p.expiresAt < today ? (ja ? "（期限切れ）" : " (expired)") : ""
                let ids = ([p.organization.cageCodes.isEmpty ? nil : "CAGE " + p.organization.cageCodes.joined(separator: " ")]
                           + [p.organization.uei.map { "UEI \($0)" }, p.organization.corporateNumber.map { (ja ? "法人番号 " : "corporate no. ") + $0 }])
                    .compactMap { $0 }.joined(separator: ", ")
                let score = p.sprsScore.map(String.init) ?? (ja ? "なし" : "none")
                print(ja ? "有効な証明です（署名を確認しました）。" : "Valid attestation (signature verified).")
                print((ja ? "  組織:     " : "  Organization: ") + "\(p.organization.name) (\(p.organization.id))" + (ids.isEmpty ? "" : " — \(ids)"))
                print((ja ? "  SPRS:     " : "  SPRS score:   ") + score + (p.cmmcStatus.map { "  CMMC: \($0)" } ?? ""))
                print((ja ? "  評価日:   " : "  Assessed on:  ") + p.assessmentDate.description + "  (\(p.catalog.rawValue), \(p.systemScope))")
                print((ja ? "  発行:     " : "  Issued at:    ") + p.issuedAt)
                print((ja ? "  有効期限: " : "  Expires on:   ") + p.expiresAt.description + expiry)
                print((ja ? "  鍵 ID:    " : "  Key id:       ") + v.keyID)
                if trusted == nil {
                    print(ja ? "注意: --trusted-key を指定していないため、署名した鍵が発行元の公開鍵かは確認していません。"
                             : "Note: no --trusted-key was given, so whose key signed it was not checked; pass the key the issuer publishes.")
                } else {
                    print(ja ? "  信頼する鍵で署名されています。" : "  Signed with a trusted key.")
                }
            case .failed(let f):
                if format == .json {
                    print(try encodeJSON(VerificationOutput(
                        valid: false, trusted: false, check: f.check.rawValue, field: f.field, reason: f.text(lang),
                        organizationId: nil, organizationName: nil, sprsScore: nil, cmmcStatus: nil, assessmentDate: nil,
                        issuedAt: nil, expiresAt: nil, keyId: nil)))
                } else {
                    print(ja ? "無効な証明です — 失敗した検査: \(f.check.rawValue)、項目: \(f.field ?? "（ファイル全体）")"
                             : "NOT a valid attestation — failed check: \(f.check.rawValue), field: \(f.field ?? "(whole file)")")
                    print("  " + f.text(lang))
                }
                throw ExitCode(1)
            }
        }
    }
}
