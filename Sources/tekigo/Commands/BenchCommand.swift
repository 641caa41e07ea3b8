import ArgumentParser
import Foundation
import SQLKit
import TekigoCore
import TekigoStore
import TekigoUseCases

/// In-process micro-benchmarks behind the numbers in docs/PERFORMANCE.md. Run on a release build:
/// `swift run -c release tekigo bench`. Not a test: it measures, it does not judge.
struct BenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench", abstract: say(ja: "Tekigo の負荷の高い処理の速度を測ります（docs/PERFORMANCE.md を参照）。", en: "Measure Tekigo's hot paths (see docs/PERFORMANCE.md)."), shouldDisplay: false,
        subcommands: [BenchSupplyChain.self])

    @Option(help: .say(ja: "1 つの測定の繰り返し回数。", en: "Repetitions per measurement.")) var iterations: Int = 50

    func run() async throws {
        let files = try loadResourceFiles()
        let load = measure(iterations) {
            _ = try? BuiltInLibrary.load(resource: { files[$0] })
        }
        print(report("built-in catalog load (decode all 5 files)", load))
        let library = try BuiltInLibrary.shared
        let refs = library.catalogs[.sp800171r2]!.entries.map(\.ref)
        let paths = measure(iterations) {
            for r in refs { _ = library.crosswalk.paths(from: r, to: .sp80053r5) }
        }
        print(report("map all 110 rev2 requirements to SP 800-53 rev5", paths))

        let catalog = try library.catalog(.sp800171r2)
        let assessments = (0..<100).map { syntheticAssessment(seed: UInt64($0), catalog: catalog) }
        let one = measure(iterations) {
            _ = try? AssessmentReport(assessments[0], library: library)
        }
        print(report("score + SSP/POA&M/CMMC report for one system", one))
        let many = measure(max(3, iterations / 10)) {
            for i in 0..<10_000 { _ = try? SPRSScoring.score(assessments[i % assessments.count], catalog: catalog) }
        }
        print(report("score 10,000 assessments (one core)", many))
    }

    /// A full 320-objective assessment with about one objective in eight not met, deterministic per seed.
    func syntheticAssessment(seed: UInt64, catalog: Catalog) -> Assessment {
        var state = seed &* 6364136223846793005 &+ 1442695040888963407
        func next() -> UInt64 {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return state >> 33
        }
        var findings: [String: Finding] = [:]
        for o in catalog.objectiveIDs {
            findings[o] = Finding(status: next() % 8 == 0 ? .notMet : (next() % 20 == 0 ? .notApplicable : .met))
        }
        for o in catalog["3.12.4"]!.objectives { findings[o] = Finding(status: .met) }
        return Assessment(organization: Organization(name: "Bench"), system: SystemProfile(name: "S"), date: Day("2026-11-27")!,
                          findings: findings)
    }

    /// The bundled JSON files, read into memory once so the benchmark measures decoding, not the disk.
    func loadResourceFiles() throws -> [String: Data] {
        var out: [String: Data] = [:]
        for name in ["sp800-171r2", "sp800-171r3", "sp800-53r5", "csf2", "crosswalks"] {
            guard let url = BuiltInLibrary.resourceURL(name) else { throw UserError(say(ja: "組み込みのリソース \(name) がありません（ビルドを確認してください）", en: "resource \(name) missing")) }
            out[name] = try Data(contentsOf: url)
        }
        return out
    }
}

/// Durations of `body`, one per iteration, after one warm-up run.
func measure(_ iterations: Int, _ body: () -> Void) -> [Duration] {
    body()
    let clock = ContinuousClock()
    return (0..<max(1, iterations)).map { _ in clock.measure(body) }
}

func report(_ name: String, _ samples: [Duration]) -> String {
    let ms = samples.map { Double($0.components.seconds) * 1000 + Double($0.components.attoseconds) / 1e15 }.sorted()
    func pct(_ p: Double) -> Double { ms[min(ms.count - 1, Int(Double(ms.count - 1) * p))] }
    return String(format: "%-52@ median %8.3f ms   p95 %8.3f ms   (n=%d)", name as NSString, pct(0.5), pct(0.95), ms.count)
}

// MARK: - Supply chain

/// `tekigo bench supply-chain`: loads the demo chain (10,000 suppliers by default) into a new SQLite data directory
/// and, with `--database-url`, into a new PostgreSQL database (dropped afterwards), then measures the load, the
/// largest prime's `rollup` and `needsAction` reads, and one supplier's new attestation with its incremental
/// roll-up refresh. Prints the numbers; judges nothing.
struct BenchSupplyChain: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "supply-chain", abstract: say(ja: "デモデータの投入、集計の読み出し、差分の証明書発行を測ります。", en: "Measure the demo load, roll-up reads and an incremental attestation."))

    @Option(help: .say(ja: "デモのサプライチェーンのサプライヤー数。", en: "Suppliers in the demo chain.")) var suppliers: Int = 10_000
    @Option(help: .say(ja: "デモデータ生成のシード値。", en: "Seed of the demo generator.")) var seed: UInt64 = 20_261_127
    @Option(help: .say(ja: "読み出し測定 1 つあたりの実行回数。", en: "Runs per read measurement.")) var runs: Int = 200
    @Option(help: .say(ja: "差分の測定で発行する証明書の数。", en: "Attestations issued for the incremental measurement.")) var issues: Int = 20
    @Option(help: .say(ja: "作業用データベースを作って同じ測定も行う PostgreSQL サーバー（postgres://user:password@host:port/database）。", en: "A PostgreSQL server (postgres://user:password@host:port/database) on which to create a scratch database and measure too."))
    var databaseURL: String?

    func run() async throws {
        try await reporting {
            let catalog = try BuiltInLibrary.shared.catalog(.sp800171r2)
            let today = Day(Date())
            let clock = ContinuousClock()
            var demo: DemoSupplyChain?
            let generate = clock.measure { demo = DemoSupplyChain.generate(suppliers: suppliers, seed: seed, today: today) }
            guard let demo else { return }
            print(String(format: "demo chain: %d suppliers, %d links (generated in %.2f s)", suppliers, demo.edges.count, seconds(generate)))

            let dir = FileManager.default.temporaryDirectory.appendingPathComponent("tekigo-bench-\(UUID().uuidString.prefix(8))")
            defer { try? FileManager.default.removeItem(at: dir) }
            try await measure(on: try DatabaseLocation.dataDirectory(dir.path), label: "SQLite", demo: demo, catalog: catalog, today: today)

            if let databaseURL {
                let admin = try await TekigoDatabase.open(.postgres(url: databaseURL), migrate: false, maxConnections: 2)
                let name = "tekigo_bench_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").prefix(12).lowercased()
                try await admin.sql.raw("CREATE DATABASE \(ident: name)").run()
                guard var c = URLComponents(string: databaseURL) else { throw UserError(say(ja: "PostgreSQL の URL ではありません: \(databaseURL)", en: "not a PostgreSQL URL: \(databaseURL)")) }
                c.path = "/" + name
                do {
                    try await measure(on: .postgres(url: c.string!), label: "PostgreSQL", demo: demo, catalog: catalog, today: today)
                } catch {
                    try? await admin.sql.raw("DROP DATABASE IF EXISTS \(ident: name)").run()
                    await admin.close()
                    throw error
                }
                try await admin.sql.raw("DROP DATABASE IF EXISTS \(ident: name)").run()
                await admin.close()
            }
        }
    }

    func measure(on location: DatabaseLocation, label: String, demo: DemoSupplyChain, catalog: Catalog, today: Day) async throws {
        let db = try await TekigoDatabase.open(location)
        do {
            try await measure(db, label: label, demo: demo, catalog: catalog, today: today)
        } catch {
            await db.close()
            throw error
        }
        await db.close()
    }

    func measure(_ db: TekigoDatabase, label: String, demo: DemoSupplyChain, catalog: Catalog, today: Day) async throws {
        var rng = SystemRandomNumberGenerator()
        let key = try EvidenceKey(rawBytes: (0..<32).map { _ in UInt8.random(in: 0...255, using: &rng) })
        let clock = ContinuousClock()
        let start = clock.now
        let summary = try await DemoLoader(db, evidenceKey: key).load(demo, catalog: catalog, today: today)
        let load = clock.now - start
        print(String(format: "%@: load %d organizations, %d attestations, %d links in one transaction: %.2f s",
                     label, summary.organizations, summary.attestations, summary.links, seconds(load)))

        // The prime with the larger tree; a tier-2 supplier in it with an assessment.
        let prime = summary.primes.max { $0.suppliers < $1.suppliers }!
        let rollups = RollupStore(db)
        let reads = try await timed(runs) { _ = try await rollups.rollup(prime: prime.id) }
        print(line("\(label): rollup(prime) [\(prime.id), \(prime.suppliers) suppliers]", reads))
        let pages = try await timed(runs) { _ = try await rollups.needsAction(prime: prime.id, limit: 50) }
        print(line("\(label): needsAction(prime, limit 50)", pages))

        let tiers = try SupplyGraph(demo.edges).tiers(from: prime.id)
        guard let supplier = demo.companies.first(where: { tiers[$0.id] == 2 && $0.maturity != nil }) else { return }
        let actor = Actor(id: "bench", sourceIP: "127.0.0.1")
        let tenant = TenantStore(db, organizationID: supplier.id)
        let system = try await tenant.createSystem(SystemProfile(name: "Bench network"), by: actor)
        let assessment = try await tenant.createAssessment(systemID: system.id, catalog: catalog.id, date: today, kind: .basic,
                                                           assessor: "bench", by: actor)
        for objective in catalog["3.12.4"]?.objectives ?? [] {
            _ = try await tenant.putFinding(assessmentID: assessment.id, objective: objective, Finding(status: .met),
                                            ifVersion: nil, by: actor)
        }
        // Issuing as the API does it: the supply-chain use case (rule, one transaction, audit entries).
        guard let organization = try await AccountStore(db).organization(id: supplier.id) else { return }
        let attestations = AttestationUseCases(
            TenantEnvironment(db: db, evidence: EvidenceVault(db: db, key: key), library: try BuiltInLibrary.shared),
            TenantScope(organization: organization, role: .owner, actor: actor, store: tenant))
        let issue = try await timed(issues) {
            _ = try await attestations.issue(assessmentID: assessment.id, detail: nil, systemScope: nil)
        }
        print(line("\(label): issue attestation + refresh [\(supplier.id), tier 2]", issue))
        let refresh = try await timed(issues) { try await rollups.refresh(supplier: supplier.id, at: today) }
        print(line("\(label): refresh(supplier) alone", refresh))
    }

    /// Durations of `body`, one per run, after one warm-up run.
    func timed(_ runs: Int, _ body: () async throws -> Void) async throws -> [Duration] {
        try await body()
        let clock = ContinuousClock()
        var out: [Duration] = []
        for _ in 0..<max(1, runs) {
            let start = clock.now
            try await body()
            out.append(clock.now - start)
        }
        return out
    }

    func seconds(_ d: Duration) -> Double { Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18 }

    func line(_ name: String, _ samples: [Duration]) -> String {
        let ms = samples.map { seconds($0) * 1000 }.sorted()
        func pct(_ p: Double) -> Double { ms[min(ms.count - 1, Int((Double(ms.count - 1) * p).rounded(.up)))] }
        return String(format: "%-64@ p50 %8.3f ms   p99 %8.3f ms   (n=%d)", name as NSString, pct(0.5), pct(0.99), ms.count)
    }
}
