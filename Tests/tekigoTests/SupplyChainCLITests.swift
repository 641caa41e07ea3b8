import Foundation
import Testing
import TekigoCore
import TekigoStore
import TekigoTestSupport

/// `tekigo demo`, `org list`, `rollup` and `attest export | verify`, run as an operator would run them, on a demo
/// chain whose shape the test knows from the same generator and seed.
@Suite("tekigo demo / org / rollup / attest (command line)")
struct SupplyChainCLITests {
    let binary: URL

    init() throws {
        binary = try TestEnvironment.tekigoBinary()
    }

    func tekigo(_ args: [String]) throws -> ProcessResult {
        try runProcess(binary, args, environment: ["LANG": "C.UTF-8", "LC_ALL": "", "TEKIGO_DATABASE_URL": ""])
    }

    struct Org: Decodable {
        let id: String
        let name: String
        let cageCodes: [String]
        let uei: String?
        let corporateNumber: String?
        let suppliers: Int
        let customers: Int
    }

    struct Rollup: Decodable {
        struct Prime: Decodable { let id: String; let name: String }
        struct Tier: Decodable {
            let tier: Int?
            let suppliers: Int
            let byStatus: [String: Int]
            let scoreHistogram: [String: Int]
            let unscored: Int
            let needingAction: Int
            let hiddenNeedingAction: Int
        }
        struct Family: Decodable { let family: String; let title: String; let suppliers: Int }
        struct Entry: Decodable { let organizationId: String; let name: String; let tier: Int; let status: String }
        struct NeedsAction: Decodable { let items: [Entry]; let total: Int; let hidden: Int }
        let prime: Prime
        let tiers: [Tier]
        let totals: Tier
        let failingFamilies: [Family]
        let needsAction: NeedsAction
    }

    struct Verification: Decodable {
        let valid: Bool
        let check: String?
        let field: String?
        let organizationId: String?
        let sprsScore: Int?
    }

    static let suppliers = 300
    static let seed: UInt64 = 4242

    /// The chain the CLI loads for this seed (its shape does not depend on the day).
    static let demo = DemoSupplyChain.generate(suppliers: suppliers, seed: seed, today: Day(Date()))

    func decode<T: Decodable>(_ type: T.Type, _ r: ProcessResult) throws -> T {
        try JSONDecoder().decode(T.self, from: Data(r.stdout.utf8))
    }

    /// Checks `org list` and both primes' roll-ups against the generated chain.
    func checkListsAndRollups(_ target: [String]) throws {
        let demo = Self.demo
        let graph = try SupplyGraph(demo.edges)

        let list = try tekigo(["org", "list", "--format", "json"] + target)
        try #require(list.status == 0, "org list: \(list.stderr)")
        let orgs = try decode([Org].self, list)
        #expect(orgs.count == Self.suppliers + 2)
        #expect(Set(orgs.map(\.id)) == Set(demo.companies.map(\.id)))
        #expect(orgs.map(\.suppliers).reduce(0, +) == demo.edges.count)
        #expect(orgs.map(\.customers).reduce(0, +) == demo.edges.count)
        for o in orgs {
            #expect(o.suppliers == graph.suppliers(of: o.id).count, "\(o.id) suppliers")
            #expect(o.customers == graph.customers(of: o.id).count, "\(o.id) customers")
        }
        let jp = try #require(orgs.first { $0.id == "demo-prime-jp" })
        #expect(jp.name == "大和重工業株式会社")
        #expect(jp.corporateNumber?.count == 13)
        #expect(jp.cageCodes == ["SJ7K2"])
        // Stable JSON: keys sorted, absent values written as null.
        #expect(list.stdout.contains("\"cageCodes\""))
        #expect(list.stdout.contains("null"))

        for prime in demo.primes {
            let r = try tekigo(["rollup", "--org", prime.id, "--format", "json"] + target)
            try #require(r.status == 0, "rollup \(prime.id): \(r.stderr)")
            let rollup = try decode(Rollup.self, r)
            let tiers = graph.tiers(from: prime.id).filter { $0.value > 0 }
            #expect(rollup.prime.id == prime.id)
            #expect(rollup.tiers.map(\.tier) == [1, 2, 3])
            for t in rollup.tiers {
                #expect(t.suppliers == tiers.values.filter { $0 == t.tier }.count, "\(prime.id) tier \(t.tier ?? 0)")
                #expect(t.byStatus.values.reduce(0, +) == t.suppliers)
            }
            #expect(rollup.totals.suppliers == tiers.count)
            #expect(rollup.totals.byStatus.values.reduce(0, +) == tiers.count)
            #expect(Set(rollup.totals.byStatus.keys) == ["current", "expiring", "expired", "below-minimum", "missing"])
            #expect(rollup.totals.scoreHistogram.values.reduce(0, +) + rollup.totals.unscored == tiers.count)
            #expect(rollup.needsAction.total + rollup.needsAction.hidden == rollup.totals.needingAction)
            #expect(rollup.needsAction.hidden == rollup.totals.hiddenNeedingAction)
            #expect(!rollup.failingFamilies.isEmpty)
            #expect(zip(rollup.failingFamilies, rollup.failingFamilies.dropFirst()).allSatisfy { $0.suppliers >= $1.suppliers })
            // Only suppliers the prime may see are named, and they are in its tree.
            let visibility = DetailVisibility(viewer: prime.id, grants: demo.consents)
            for e in rollup.needsAction.items {
                #expect(visibility.canSee(e.organizationId), "\(e.organizationId) listed without consent")
                #expect(tiers[e.organizationId] == e.tier)
            }
        }
    }

    @Test("demo → org list → rollup → attest export → verify → tampered file refused → second demo refused")
    func endToEnd() throws {
        let dir = try TestEnvironment.temporaryDirectory("tekigo-demo")
        let target = ["--data-dir", dir.path]
        let demo = Self.demo

        let loaded = try tekigo(["demo", "--suppliers", "\(Self.suppliers)", "--seed", "\(Self.seed)", "--lang", "en"] + target)
        try #require(loaded.status == 0, "demo: \(loaded.stderr)")
        #expect(loaded.stdout.contains("demo-prime-jp"))
        #expect(loaded.stdout.contains("大和重工業株式会社"))
        #expect(loaded.stdout.contains("demo-prime-us"))
        #expect(loaded.stdout.contains("tekigo serve --data-dir"))
        #expect(loaded.stdout.contains("tekigo admin create"))
        for tier in 1...3 {
            let n = demo.companies.filter { $0.tier == tier }.count
            #expect(loaded.stdout.contains("tier-\(tier) suppliers"), "tier \(tier) count missing")
            #expect(loaded.stdout.range(of: "tier-\(tier) suppliers +\(n)\\b", options: .regularExpression) != nil, "tier \(tier): \(n)")
        }

        try checkListsAndRollups(target)

        // The prime by its exact Japanese name; a near miss lists it as a close match (exit 2).
        let byName = try tekigo(["rollup", "--org", "大和重工業株式会社", "--format", "json"] + target)
        #expect(byName.status == 0, "\(byName.stderr)")
        #expect(try decode(Rollup.self, byName).prime.id == "demo-prime-jp")
        let near = try tekigo(["rollup", "--org", "大和重工業"] + target)
        #expect(near.status == 2)
        #expect(near.stderr.contains("demo-prime-jp"))
        // The table respects --lang.
        let ja = try tekigo(["rollup", "--org", "demo-prime-jp", "--lang", "ja"] + target)
        #expect(ja.status == 0)
        #expect(ja.stdout.contains("階層") && ja.stdout.contains("期限切れ") && ja.stdout.contains("未提出"))

        // Export a tier-2 supplier's attestation whose score stays in range when one digit changes.
        let exportDir = try TestEnvironment.temporaryDirectory("tekigo-attest")
        var exported: (file: URL, id: String, key: String, score: Int)?
        for c in demo.companies where c.tier == 2 && c.maturity != nil {
            let file = exportDir.appendingPathComponent("\(c.id).json")
            let r = try tekigo(["attest", "export", "--org", c.id, "--out", file.path] + target)
            try #require(r.status == 0, "export \(c.id): \(r.stderr)")
            let key = try #require(r.stdout.range(of: "--trusted-key ").map { String(r.stdout[$0.upperBound...].prefix { !$0.isWhitespace }) })
            let v = try tekigo(["attest", "verify", file.path, "--format", "json"])
            try #require(v.status == 0, "verify \(c.id): \(v.stdout)")
            let verified = try decode(Verification.self, v)
            #expect(verified.valid && verified.organizationId == c.id)
            if let s = verified.sprsScore, ![100, 110].contains(s) {
                exported = (file, c.id, key, s)
                break
            }
        }
        let (file, id, key, score) = try #require(exported)
        #expect(try FileManager.default.contentsOfDirectory(atPath: exportDir.path).allSatisfy { !$0.hasPrefix(".") }, "temp file left")

        let ok = try tekigo(["attest", "verify", file.path, "--trusted-key", key])
        #expect(ok.status == 0, "\(ok.stdout)")
        #expect(ok.stdout.contains("Valid attestation") && ok.stdout.contains(id) && ok.stdout.contains("trusted key"))
        let wrongKey = try tekigo(["attest", "verify", file.path, "--trusted-key", Data(repeating: 7, count: 32).base64EncodedString()])
        #expect(wrongKey.status == 1)
        #expect(wrongKey.stdout.contains("failed check: trust"))

        // Flip one byte inside a field value: the last digit of the score (kept within −203…110).
        var bytes = try Data(contentsOf: file)
        let marker = Data("\"sprsScore\":\(score)".utf8)
        let at = try #require(bytes.range(of: marker))
        bytes[at.upperBound - 1] ^= 1
        let tampered = exportDir.appendingPathComponent("tampered.json")
        try bytes.write(to: tampered)
        let bad = try tekigo(["attest", "verify", tampered.path, "--format", "json"])
        #expect(bad.status == 1)
        let failure = try decode(Verification.self, bad)
        #expect(!failure.valid)
        #expect(failure.check == "signature")
        #expect(failure.field == "signature")
        let badText = try tekigo(["attest", "verify", tampered.path])
        #expect(badText.status == 1)
        #expect(badText.stdout.contains("failed check: signature"))
        #expect(badText.stdout.contains("does not match the payload"))
        // A member added to the payload is named.
        let added = try String(contentsOf: file, encoding: .utf8).replacingOccurrences(of: "\"payload\": {", with: "\"payload\": {\"extra\":1,")
        try Data(added.utf8).write(to: tampered)
        let extra = try tekigo(["attest", "verify", tampered.path, "--format", "json"])
        #expect(extra.status == 1)
        #expect(try decode(Verification.self, extra).field == "payload.extra")

        // An organization without an attestation: a clear error, no file.
        let unassessed = try #require(demo.companies.first { $0.maturity == nil })
        let none = try tekigo(["attest", "export", "--org", unassessed.id, "--out", exportDir.appendingPathComponent("none.json").path] + target)
        #expect(none.status == 1)
        #expect(none.stderr.contains("no signed attestation"))
        #expect(!FileManager.default.fileExists(atPath: exportDir.appendingPathComponent("none.json").path))

        // A second demo into the same (now non-empty) data directory is refused and changes nothing.
        let again = try tekigo(["demo", "--suppliers", "10"] + target)
        #expect(again.status == 1)
        #expect(again.stderr.contains("already holds organizations"))
        #expect(again.stderr.contains("empty --data-dir"))
        let after = try tekigo(["org", "list", "--format", "json"] + target)
        #expect(try decode([Org].self, after).count == Self.suppliers + 2)

        // One audit entry for the whole load, and the chain is intact.
        let audit = try tekigo(["audit", "export"] + target)
        #expect(audit.stdout.components(separatedBy: "\"action\":\"demo.loaded\"").count == 2)
        #expect(try tekigo(["audit", "verify"] + target).status == 0)
    }

    @Test("The same demo loads into PostgreSQL and reads back the same", .enabled(if: TestDatabases.engines.contains(.postgres)))
    func postgres() async throws {
        guard case .postgres(let url) = try await TestDatabases.fresh(.postgres) else { return }
        let dir = try TestEnvironment.temporaryDirectory("tekigo-demo-pg")
        let target = ["--database-url", url, "--data-dir", dir.path]
        let loaded = try tekigo(["demo", "--suppliers", "\(Self.suppliers)", "--seed", "\(Self.seed)"] + target)
        try #require(loaded.status == 0, "demo: \(loaded.stderr)")
        #expect(loaded.stdout.contains("--database-url"))
        try checkListsAndRollups(target)

        let supplier = try #require(Self.demo.companies.first { $0.tier == 2 && $0.maturity != nil })
        let file = dir.appendingPathComponent("attestation.json")
        let exported = try tekigo(["attest", "export", "--org", supplier.id, "--out", file.path] + target)
        try #require(exported.status == 0, "export: \(exported.stderr)")
        #expect(try tekigo(["attest", "verify", file.path]).status == 0)

        let again = try tekigo(["demo", "--suppliers", "10"] + target)
        #expect(again.status == 1)
        #expect(again.stderr.contains("already holds organizations"))
    }
}
