import Foundation

/// A fictitious but realistic defense supply chain for `tekigo demo`: two primes (one Japanese, one American),
/// suppliers in three tiers, Japanese and English company names, valid-looking identifiers, contracts with
/// flow-down minimums, assessments of varied maturity and age, and consent that sometimes stops partway up.
/// Deterministic: the same seed gives the same chain, so demos and benchmarks can be repeated.
public struct DemoSupplyChain: Sendable {
    public struct Company: Sendable, Hashable {
        public let id: String
        public let nameJa: String
        public let nameEn: String
        /// "JP" or "US".
        public let country: String
        /// 0 for a prime.
        public let tier: Int
        public let cageCode: String?
        public let uei: String?
        public let corporateNumber: String?
        /// Share of assessment objectives met (0…1); nil for a supplier that has not assessed yet.
        public let maturity: Double?
        public let assessedOn: Day?

        /// The name to show: Japanese for Japanese companies, English for others.
        public var displayName: String { country == "JP" ? nameJa : nameEn }
    }

    public let companies: [Company]
    public let edges: [SupplyEdge]
    public let contracts: [SupplyEdge: Contract]
    public let requirements: [FlowDownRequirement]
    public let consents: [ConsentGrant]

    public var primes: [Company] { companies.filter { $0.tier == 0 } }

    /// `suppliers` companies below two primes: about 6 % in tier 1, 26 % in tier 2, the rest in tier 3. One in
    /// twenty lower-tier suppliers also serves a second customer (often under the other prime), so some tier-2
    /// suppliers share one attestation with both primes.
    public static func generate(suppliers: Int, seed: UInt64 = 20261127, today: Day) -> DemoSupplyChain {
        var rng = SeededGenerator(seed: seed)
        var names = CompanyNames(rng: &rng)
        var companies: [Company] = [
            Company(id: "demo-prime-jp", nameJa: "大和重工業株式会社", nameEn: "Yamato Heavy Industries, Ltd.", country: "JP", tier: 0,
                    cageCode: "SJ7K2", uei: nil, corporateNumber: corporateNumber(&rng), maturity: 0.97,
                    assessedOn: today.adding(days: -120)),
            Company(id: "demo-prime-us", nameJa: "コロンビア・エアロスペース・システムズ", nameEn: "Columbia Aerospace Systems, Inc.",
                    country: "US", tier: 0, cageCode: "1CAS7", uei: "CAS7Q2LMN4X1", corporateNumber: nil, maturity: 1.0,
                    assessedOn: today.adding(days: -300)),
        ]
        let tier1 = max(2, suppliers * 6 / 100)
        let tier2 = max(1, suppliers * 26 / 100)
        var byTier: [[Int]] = [[0, 1], [], [], []]
        for i in 0..<max(0, suppliers) {
            let tier = i < tier1 ? 1 : (i < tier1 + tier2 ? 2 : 3)
            let japanese = rng.unit() < 0.7
            let name = names.next(japanese: japanese, rng: &rng)
            // Maturity falls with the tier; one in twenty has no assessment yet.
            let floor = [0.0, 0.9, 0.84, 0.75][tier]
            let maturity: Double? = rng.unit() < 0.05 ? nil : min(1.0, floor + (1.0 - floor) * rng.unit() * 1.1)
            // Assessed within the last three and a half years: some are past the 3-year limit, some close to it.
            let assessedOn: Day? = maturity == nil ? nil : today.adding(days: -Int(rng.unit() * 1280))
            byTier[tier].append(companies.count)
            companies.append(Company(
                id: String(format: "demo-%05d", i + 1), nameJa: name.ja, nameEn: name.en, country: japanese ? "JP" : "US",
                tier: tier, cageCode: japanese && rng.unit() < 0.7 ? nil : cage(&rng), uei: japanese ? nil : uei(&rng),
                corporateNumber: japanese ? corporateNumber(&rng) : nil, maturity: maturity, assessedOn: assessedOn))
        }

        var edges: [SupplyEdge] = []
        var seen = Set<SupplyEdge>()
        func link(_ customer: Int, _ supplier: Int) {
            let e = SupplyEdge(customer: companies[customer].id, supplier: companies[supplier].id)
            if seen.insert(e).inserted { edges.append(e) }
        }
        for tier in 1...3 {
            let customers = byTier[tier - 1]
            guard !customers.isEmpty else { continue }
            for (n, s) in byTier[tier].enumerated() {
                link(customers[tier == 1 ? n % customers.count : rng.index(customers.count)], s)
                if tier > 1, rng.unit() < 0.05 { link(customers[rng.index(customers.count)], s) }
            }
        }

        var contracts: [SupplyEdge: Contract] = [:]
        var requirements: [FlowDownRequirement] = []
        var consents: [ConsentGrant] = []
        for (n, e) in edges.enumerated() {
            let japaneseCustomer = companies.first { $0.id == e.customer }?.country == "JP"
            let contract = japaneseCustomer
                ? try? Contract(number: "ATLA-\(2024 + n % 3)-\(String(format: "%05d", n))", designation: .protectedInformation,
                                clauses: [.japaneseStandard])
                : try? Contract(number: "FA8650-\(24 + n % 3)-C-\(String(format: "%04d", n % 10000))", designation: .cui,
                                clauses: [.dfars7012, .dfars7019, .dfars7020, .cmmc], cmmcLevel: 2)
            contracts[e] = contract
            let roll = rng.unit()
            let minimum: FlowDownRequirement.Minimum = roll < 0.6 ? .sprsAtLeast(CMMCRules.minimumConditionalScore) : (roll < 0.8 ? .cmmcLevel2 : .allMet)
            if let r = try? FlowDownRequirement(edge: e, contract: contract?.number, minimum: minimum,
                                                due: today.adding(days: Int(rng.unit() * 240) - 60), mustFlowDown: true) {
                requirements.append(r)
            }
            // Most suppliers let their customer see and pass on their attestation; some only to the customer; a few
            // share nothing yet.
            let c = rng.unit()
            if c < 0.75 { consents.append(ConsentGrant(supplier: e.supplier, viewer: e.customer, onward: true)) }
            else if c < 0.93 { consents.append(ConsentGrant(supplier: e.supplier, viewer: e.customer, onward: false)) }
        }
        // A few tier-2 suppliers share directly with both primes.
        for s in byTier[2].prefix(max(1, byTier[2].count / 50)) {
            for p in byTier[0] { consents.append(ConsentGrant(supplier: companies[s].id, viewer: companies[p].id, onward: false)) }
        }
        return DemoSupplyChain(companies: companies, edges: edges, contracts: contracts, requirements: requirements,
                               consents: Array(Set(consents)).sorted { ($0.supplier, $0.viewer) < ($1.supplier, $1.viewer) })
    }

    /// The company's assessment on `catalog`: each requirement met with probability `maturity` (an unmet one fails one
    /// objective), decided by a generator seeded from the company id, so it is the same every time.
    public func assessment(of company: Company, catalog: Catalog) -> Assessment? {
        guard let maturity = company.maturity, let date = company.assessedOn else { return nil }
        var rng = SeededGenerator(seed: company.id.utf8.reduce(14_695_981_039_346_656_037) { ($0 ^ UInt64($1)) &* 1_099_511_628_211 })
        var findings: [String: Finding] = [:]
        for entry in catalog.entries {
            // `maturity` is the share of requirements met; an unmet requirement fails one of its objectives. A company
            // that has self-assessed has a system security plan (3.12.4 / 03.15.02): without one there is no score.
            let met = entry.id == "3.12.4" || entry.id == "03.15.02" || rng.unit() < maturity
            let failing = met ? -1 : rng.index(max(1, entry.objectives.count))
            for (i, objective) in entry.objectives.enumerated() {
                findings[objective] = Finding(status: i == failing ? .notMet : .met, rationale: "")
            }
        }
        return Assessment(organization: Organization(name: company.displayName, cageCodes: company.cageCode.map { [$0] } ?? [],
                                                     uei: company.uei, corporateNumber: company.corporateNumber),
                          system: SystemProfile(name: company.country == "JP" ? "社内ネットワーク" : "Enterprise network",
                                                informationTypes: [company.country == "JP" ? "保護すべき情報" : "CUI"]),
                          catalog: catalog.id, date: date, kind: .basic, assessor: "Demo", findings: findings)
    }

    // MARK: identifiers

    private static let alphanumerics = Array("ABCDEFGHJKLMNPQRSTUVWXYZ0123456789")

    static func cage(_ rng: inout SeededGenerator) -> String {
        String((0..<5).map { _ in alphanumerics[rng.index(alphanumerics.count)] })
    }

    static func uei(_ rng: inout SeededGenerator) -> String {
        String((0..<12).map { _ in alphanumerics[rng.index(alphanumerics.count)] })
    }

    /// 13 digits whose first is the check digit of the other twelve, like a real 法人番号.
    static func corporateNumber(_ rng: inout SeededGenerator) -> String {
        let base = String((0..<12).map { _ in Character(String(rng.index(10))) })
        return "\(EntityIdentifiers.corporateNumberCheckDigit(base: base)!)\(base)"
    }
}

/// Company names from parts: place + name + trade (Japanese with its romanization), or American-style names.
struct CompanyNames {
    static let places: [(String, String)] = [
        ("浜松", "Hamamatsu"), ("豊橋", "Toyohashi"), ("刈谷", "Kariya"), ("諏訪", "Suwa"), ("燕", "Tsubame"),
        ("東大阪", "Higashi-Osaka"), ("大田", "Ota"), ("川口", "Kawaguchi"), ("岡谷", "Okaya"), ("北九州", "Kitakyushu"),
        ("長岡", "Nagaoka"), ("日立", "Hitachi-shi"), ("呉", "Kure"), ("舞鶴", "Maizuru"), ("各務原", "Kakamigahara"),
        ("小牧", "Komaki"), ("相模原", "Sagamihara"), ("厚木", "Atsugi"), ("佐世保", "Sasebo"), ("室蘭", "Muroran"),
    ]
    static let stems: [(String, String)] = [
        ("富士", "Fuji"), ("大和", "Yamato"), ("旭", "Asahi"), ("昭和", "Showa"), ("日進", "Nisshin"), ("丸善", "Maruzen"),
        ("三光", "Sanko"), ("東洋", "Toyo"), ("中央", "Chuo"), ("高千穂", "Takachiho"), ("協和", "Kyowa"), ("明星", "Myojo"),
        ("平和", "Heiwa"), ("新興", "Shinko"), ("光和", "Kowa"), ("大成", "Taisei"), ("北斗", "Hokuto"), ("若葉", "Wakaba"),
    ]
    static let trades: [(String, String)] = [
        ("精機", "Seiki"), ("工業", "Kogyo"), ("製作所", "Seisakusho"), ("電子", "Denshi"), ("金属", "Kinzoku"),
        ("技研", "Giken"), ("化成", "Kasei"), ("光学", "Kogaku"), ("機械", "Kikai"), ("鍛造", "Tanzo"), ("電機", "Denki"),
        ("熱処理", "Netsushori"), ("プレス", "Press"), ("ソフト", "Soft"),
    ]
    static let usFirst = ["Apex", "Summit", "Liberty", "Granite", "Pioneer", "Keystone", "Harbor", "Ridge", "Cascade", "Frontier",
                          "Patriot", "Sierra", "Falcon", "Prairie", "Beacon", "Ironwood", "Bluewater", "Redstone"]
    static let usTrade = ["Precision Machining", "Composites", "Avionics", "Castings", "Microelectronics", "Fasteners",
                          "Optics", "Coatings", "Harness Assembly", "Tool & Die", "Forge", "Software"]
    static let usSuffix = ["LLC", "Inc.", "Corp.", "Co."]

    var used = Set<String>()

    init(rng: inout SeededGenerator) {}

    /// A name not given before: parts drawn at random; when a combination is taken, a place (Japanese) or a state
    /// (American) is added, then a number, until it is unique.
    mutating func next(japanese: Bool, rng: inout SeededGenerator) -> (ja: String, en: String) {
        var round = 0
        while true {
            let candidate: (ja: String, en: String)
            if japanese {
                let p = Self.places[rng.index(Self.places.count)], s = Self.stems[rng.index(Self.stems.count)]
                let t = Self.trades[rng.index(Self.trades.count)]
                let branch = round < 3 ? ("", "") : ("第\(round - 1)", " No. \(round - 1)")
                candidate = ("\(branch.0)\(p.0)\(s.0)\(t.0)株式会社", "\(p.1) \(s.1) \(t.1)\(branch.1) Co., Ltd.")
            } else {
                let f = Self.usFirst[rng.index(Self.usFirst.count)], t = Self.usTrade[rng.index(Self.usTrade.count)]
                let s = Self.usSuffix[rng.index(Self.usSuffix.count)]
                let where_ = round < 3 ? "" : " of \(Self.states[rng.index(Self.states.count)])\(round < 6 ? "" : " \(round)")"
                let en = "\(f) \(t)\(where_) \(s)"
                candidate = (en, en)
            }
            if used.insert(japanese ? candidate.ja : candidate.en).inserted { return candidate }
            round += 1
        }
    }

    static let states = ["Ohio", "Texas", "Utah", "Maine", "Idaho", "Kansas", "Oregon", "Alabama", "Arizona", "Georgia",
                         "Virginia", "Michigan", "Colorado", "Kentucky", "Nebraska", "Vermont"]
}

/// SplitMix64: a small, fast, seedable generator for reproducible demo data (not for secrets).
public struct SeededGenerator: RandomNumberGenerator, Sendable {
    private var state: UInt64

    public init(seed: UInt64) { state = seed }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A number in 0..<1.
    public mutating func unit() -> Double { Double(next() >> 11) / Double(1 << 53) }

    /// An index in 0..<count.
    public mutating func index(_ count: Int) -> Int { Int(next() % UInt64(max(1, count))) }
}
