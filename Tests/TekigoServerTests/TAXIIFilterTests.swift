import Foundation
import Testing
@testable import TekigoServer
@testable import TekigoUseCases


/// TAXII 2.1's filters and times as the server reads them (issue 14 item 2 and "Bad input": paging parameters out of
/// range are refused), without HTTP.
@Suite("TAXII 2.1 filters and times")
struct TAXIIFilterTests {
    @Test("TAXII 2.1 filters: comma lists, match[version] words and times, limit 1–1000 with 100 by default; unknown, repeated or out-of-range parameters refused")
    func filters() throws {
        let f = try TAXIIFilter.parse([("match[id]", "indicator--a,indicator--b"), ("match[type]", "indicator"), ("limit", "1000"),
                                       ("match[spec_version]", "2.1"), ("added_after", "2026-12-06T09:00:00.5+09:00"), ("next", "abc")])
        #expect(f.ids == ["indicator--a", "indicator--b"] && f.types == ["indicator"] && f.limit == 1000 && f.specVersions == ["2.1"])
        #expect(f.next == "abc" && f.versions == .last)
        #expect(f.addedAfter.map(TAXIITime.format) == "2026-12-06T00:00:00.500000Z")
        #expect(try TAXIIFilter.parse([]).limit == 100)
        #expect(try TAXIIFilter.parse([("match[version]", "first")]).versions == .first)
        #expect(try TAXIIFilter.parse([("match[version]", "first,all")]).versions == .all)
        #expect(try TAXIIFilter.parse([("match[version]", "first,last")]).versions == .combined(["first", "last"]))
        #expect(try TAXIIFilter.parse([("match[version]", "2026-01-01T00:00:00Z")]).versions == .specific(["2026-01-01T00:00:00.000000Z"]))
        for bad: [(String, String)] in [[("limit", "0")], [("limit", "1001")], [("limit", "-1")], [("limit", "x")], [("added_after", "2026-12-06")],
                                        [("match[colour]", "red")], [("colour", "red")], [("limit", "5"), ("limit", "6")],
                                        [("match[version]", "latest")], [("match[id]", ",")], [("next", "")]] {
            #expect(throws: ThreatIntelError.self, "\(bad)") { try TAXIIFilter.parse(bad) }
        }
        #expect(throws: ThreatIntelError.self) { try TAXIIFilter.parse([("match[id]", "x")], allowed: ["version", "spec_version"]) }
    }

    @Test("TAXII times: RFC 3339 read with any fraction and offset, written in UTC with six digits so text order is time order; microsecond neighbours stay apart")
    func times() throws {
        let a = try #require(TAXIITime.parse("2026-12-06T17:31:48.123456Z"))
        let b = try #require(TAXIITime.parse("2026-12-06T17:31:48.123457Z"))
        #expect(TAXIITime.format(a) == "2026-12-06T17:31:48.123456Z")
        #expect(TAXIITime.format(b) == "2026-12-06T17:31:48.123457Z")
        #expect(TAXIITime.format(a) < TAXIITime.format(b))
        #expect(TAXIITime.format(try #require(TAXIITime.parse("2026-12-06T17:31:48Z"))) == "2026-12-06T17:31:48.000000Z")
        #expect(TAXIITime.format(try #require(TAXIITime.parse("2026-12-07T02:31:48.1234567+09:00"))) == "2026-12-06T17:31:48.123456Z")
        for bad in ["2026-12-06", "2026-12-06T17:31:48", "2026-02-30T00:00:00Z", "2026-12-06T25:00:00Z", "2026-12-06T17:31:48.Z", "yesterday"] {
            #expect(TAXIITime.parse(bad) == nil, "\(bad)")
        }
    }

    @Test("TAXII Accept and Content-Type: application/taxii+json with version 2.1 or none; anything else is not TAXII 2.1")
    func mediaTypes() {
        #expect(TAXIIMedia.acceptable("application/taxii+json;version=2.1"))
        #expect(TAXIIMedia.acceptable("application/json, application/taxii+json; version=2.1"))
        #expect(TAXIIMedia.acceptable("application/taxii+json"))
        #expect(!TAXIIMedia.acceptable("application/taxii+json;version=2.0"))
        #expect(!TAXIIMedia.acceptable("application/taxii+json;version=2.1;q=0"))
        #expect(!TAXIIMedia.acceptable("*/*"))
        #expect(!TAXIIMedia.acceptable(nil))
    }
}
