import Foundation
import Testing
import TekigoCore
import TekigoSTIX
import TekigoTestSupport

/// The bundle shared from an incident (issue 14 item 5): nothing named unless chosen, the chosen TLP on every object,
/// each observable as its cyber-observable and an indicator whose pattern our parser reads (a vulnerability for a CVE),
/// tied to the incident; the same choices give the same bytes and sharing again gives new versions of the same ids;
/// stix2-validator accepts it.
@Suite("Sharing from an incident: the sanitized bundle")
struct STIXIncidentShareTests {
    static let sharedAt = try! OffsetInstant.parse("2026-12-07T09:00:00+09:00").date
    static let observables: [STIXShareObservable] = [
        ("198.51.100.7", Fixtures.created), ("evil.example", Fixtures.created), ("https://evil.example/drop/a.zip", Fixtures.created),
        ("attacker@evil.example", Fixtures.created), ("2001:db8::7", Fixtures.created),
        ("d41d8cd98f00b204e9800998ecf8427e", Fixtures.created),
        ("E3B0C44298FC1C149AFBF4C8996FB92427AE41E4649B934CA495991B7852B855", Fixtures.created),
        ("da39a3ee5e6b4b0d3255bfef95601890afd80709", Fixtures.created), ("cve-2024-3400", Fixtures.created),
    ].map { v, at in
        let (kind, value) = STIXObservableKind.detect(v)!
        return STIXShareObservable(kind: kind, value: value, recordedAt: at)
    }

    static func share(_ tlp: TLPMarking = .amber, names: Bool = false, narrative: Bool = false, contracts: Bool = false,
                      reports: Bool = false, cui: Bool = false, at: Date = sharedAt,
                      observables: [STIXShareObservable] = observables) throws -> STIXIncidentShare {
        try STIXIncidentShareBuilder.share(try Fixtures.dossier(), observables: observables, options: STIXIncidentShareOptions(
            export: STIXIncidentExportOptions(marking: tlp, includeNarrative: narrative, includeContracts: contracts, includeReportNumbers: reports),
            includeNames: names, markCUI: cui, sharedAt: at))
    }

    static func objects(_ s: STIXIncidentShare) throws -> [[String: Any]] {
        try #require((try JSONSerialization.jsonObject(with: s.json) as? [String: Any])?["objects"] as? [[String: Any]])
    }

    @Test("Each value's kind is recognised; what is none of them is refused")
    func kinds() {
        let cases: [(String, STIXObservableKind?)] = [
            ("198.51.100.7", .ipv4), ("10.0.0.0/8", .ipv4), ("256.1.1.1", nil), ("2001:db8::7", .ipv6), ("::ffff:192.0.2.1", .ipv6),
            ("evil.example", .domain), ("EVIL.Example", .domain), ("https://evil.example/x?y=1", .url), ("mailto:x", nil),
            ("a.b@evil.example", .email), ("d41d8cd98f00b204e9800998ecf8427e", .md5), ("da39a3ee5e6b4b0d3255bfef95601890afd80709", .sha1),
            (String(repeating: "ab", count: 32), .sha256), ("CVE-2024-3400", .cve), ("cve-24-1", nil), ("hello", nil), ("two words", nil),
        ]
        for (v, kind) in cases { #expect(STIXObservableKind.detect(v)?.kind == kind, "\(v)") }
        #expect(STIXObservableKind.detect("EVIL.Example")?.value == "evil.example")
        #expect(STIXObservableKind.detect("cve-2024-3400")?.value == "CVE-2024-3400")
    }

    @Test("A value is kept in the sharing hub's normal form (STIXSearchValues.understand), so the hub's search finds what was shared")
    func keptAsTheHubSearches() {
        let cases: [(String, STIXObservableKind, String)] = [
            ("198.51.100[.]7", .ipv4, "198.51.100.7"), ("010.000.000.001", .ipv4, "10.0.0.1"), ("198.51.100.7/32", .ipv4, "198.51.100.7"),
            ("2001:DB8:0:0:0:0:0:7", .ipv6, "2001:db8::7"), ("hxxps://EVIL.example/Drop", .url, "https://evil.example/Drop"),
            ("Attacker@Evil.Example", .email, "attacker@evil.example"), ("evil.example.", .domain, "evil.example"),
        ]
        for (typed, kind, kept) in cases {
            let detected = STIXObservableKind.detect(typed)
            #expect(detected?.kind == kind && detected?.value == kept, "\(typed)")
            #expect(STIXSearchValues.understand(typed)?.value == kept, "\(typed): the search reads it as the share keeps it")
        }
        // Narrower than the search on purpose: a hash the share cannot name as MD5, SHA-1 or SHA-256, and a URL with no host
        // on a network scheme, are refused.
        for refused in [String(repeating: "ab", count: 64), "mailto:attacker@evil.example", "urn:isbn:0451450523"] {
            #expect(STIXSearchValues.understand(refused) != nil && STIXObservableKind.detect(refused) == nil, "\(refused)")
        }
    }

    @Test("Issue 14 item 5: no names, narrative, contracts, report numbers or CUI unless chosen; each chosen one appears")
    func nothingNamedUnlessChosen() throws {
        let bare = String(decoding: try Self.share().json, as: UTF8.self)
        for secret in ["株式会社 山田精機", "CAD サーバのランサムウェア感染", "ransom note", "FA8650-26-C-1234", "Prime Aerospace", "ICF-2026-00042",
                       "山田 太郎", "Phishing", "Design LAN", CUIMarking.extensionID.rawValue] {
            #expect(!bare.contains(secret), "'\(secret)' left without being chosen")
        }
        #expect(bare.contains(STIXIncidentShareBuilder.withheldName))
        let named = String(decoding: try Self.share(names: true).json, as: UTF8.self)
        #expect(named.contains("株式会社 山田精機") && named.contains("CAD サーバのランサムウェア感染") && !named.contains("ransom note"))
        let all = String(decoding: try Self.share(names: true, narrative: true, contracts: true, reports: true, cui: true).json, as: UTF8.self)
        for chosen in ["ransom note", "FA8650-26-C-1234", "ICF-2026-00042", CUIMarking.extensionID.rawValue] {
            #expect(all.contains(chosen), "'\(chosen)' chosen but missing")
        }
        // Never, whatever is chosen: who discovered it, the technique, the systems, the timeline.
        for never in ["山田 太郎", "Phishing", "Design LAN", "Server isolated"] { #expect(!all.contains(never)) }
    }

    @Test("TLP 2.0: every object carries the chosen level's marking, with its definition in the bundle", arguments: TLPMarking.allCases)
    func everyObjectMarked(_ tlp: TLPMarking) throws {
        let objects = try Self.objects(try Self.share(tlp))
        #expect(objects.contains { $0["id"] as? String == tlp.markingID.rawValue })
        for o in objects where o["type"] as? String != "marking-definition" {
            #expect((o["object_marking_refs"] as? [String]) == [tlp.markingID.rawValue], "\(o["id"] ?? "")")
        }
        for other in TLPMarking.allCases where other != tlp {
            #expect(!String(decoding: try Self.share(tlp).json, as: UTF8.self).contains(other.markingID.rawValue))
        }
    }

    @Test("Each observable: its SCO, an indicator with a parsed pattern based on it and related to the incident; a CVE as a vulnerability")
    func observablesBecomeIndicators() throws {
        let objects = try Self.objects(try Self.share())
        let incident = try #require(objects.first { $0["type"] as? String == "incident" })["id"] as! String
        let indicators = objects.filter { $0["type"] as? String == "indicator" }
        #expect(indicators.count == 8)
        for i in indicators {
            let pattern = try #require(i["pattern"] as? String)
            _ = try STIXPattern.parse(pattern)
            #expect(i["pattern_type"] as? String == "stix")
        }
        let patterns = Set(indicators.compactMap { $0["pattern"] as? String })
        #expect(patterns.contains("[ipv4-addr:value = '198.51.100.7']") && patterns.contains("[file:hashes.'SHA-256' = '"
                + "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855']"))
        let vulnerability = try #require(objects.first { $0["type"] as? String == "vulnerability" })
        #expect(vulnerability["name"] as? String == "CVE-2024-3400")
        let related = objects.filter { $0["relationship_type"] as? String == "related-to" }
        #expect(related.count == 9 && related.allSatisfy { $0["target_ref"] as? String == incident })
        #expect(objects.filter { $0["relationship_type"] as? String == "based-on" }.count == 8)
        // The SCO ids are STIX 2.1's deterministic ones (UUIDv5 over the identifying property).
        #expect(objects.contains { $0["id"] as? String == "ipv4-addr--" + STIXIdentifier.nameBased(
            type: "ipv4-addr", namespace: STIXIdentifier.observableNamespace, name: #"{"value":"198.51.100.7"}"#).uuid.uuidString.lowercased() })
    }

    @Test("Deterministic: the same choices give the same bytes; sharing again later gives new versions of the same ids")
    func deterministic() throws {
        let a = try Self.share(), b = try Self.share()
        #expect(a.json == b.json)
        let later = try Self.share(at: Self.sharedAt.addingTimeInterval(3600))
        let ids = { (s: STIXIncidentShare) in try Self.objects(s).map { $0["id"] as! String } }
        #expect(try Set(ids(a)) == Set(ids(later)))
        let incident = { (s: STIXIncidentShare) in try Self.objects(s).first { $0["type"] as? String == "incident" }!["modified"] as! String }
        #expect(try incident(a) < incident(later))
        #expect(a.lines.count == a.bundle.objects.count, "every object that would leave has its line in the preview")
    }

    @Test("stix2-validator accepts the shared bundle (every TLP, with and without every choice)",
          .enabled(if: STIXTools.run, "needs stix2-validator (scripts/validators.sh)"))
    func validatorAccepts() throws {
        for s in [try Self.share(), try Self.share(.red, names: true, narrative: true, contracts: true, reports: true, cui: true),
                  try Self.share(.amberStrict), try Self.share(.clear, observables: [])] {
            let result = try STIXTools.validate(s.json)
            #expect(result.status == 0 && result.stdout.contains("[+] STIX JSON: Valid"), "\(result.stdout)\(result.stderr)")
        }
    }
}
