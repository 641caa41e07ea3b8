import Foundation
import Testing
import TekigoStore
@testable import TekigoServer

/// The hand-written JSON writer must produce what `JSONEncoder` (sorted keys, unescaped slashes) produces.
@Suite("JSON writing")
struct JSONWritingTests {
    /// The same fields as `FindingView`, encoded the standard way, for comparison.
    struct Reference: Encodable {
        let objective: String
        let requirement: String
        let status: String
        let rationale: String
        let evidence: [[String: String]]
        let assessedBy: String?
        let assessedOn: String?
        let version: Int
        let carriedOverFrom: String?
        let needsReview: Bool
    }

    static let awkward = [
        "", "plain", "引用符 \" と \\ バックスラッシュ", "line\nbreak\r\ttab", "bell \u{7} nul \u{0} unit \u{1F}",
        "https://example.jp/a/b?c=d", "絵文字 🔒 と結合文字 e\u{301}", "\u{8}\u{C}",
    ]

    func encodeReference(_ r: Reference) throws -> [UInt8] {
        let e = JSONEncoder()
        e.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return Array(try e.encode(r))
    }

    @Test("Strings with quotes, backslashes, control characters and non-ASCII text round-trip", arguments: awkward)
    func stringsRoundTrip(_ text: String) throws {
        var out = JSONBytes()
        out.string(text)
        let decoded = try JSONDecoder().decode(String.self, from: Data(out.bytes))
        #expect(decoded == text)
    }

    @Test("A finding is written exactly as JSONEncoder writes it, with and without the optional members",
          arguments: [(String?.none, String?.none), ("山田 太郎", "2026-11-27"), (nil, "2026-01-02"), ("A \"B\"", nil)])
    func findingMatchesEncoder(_ by: String?, _ on: String?) throws {
        for text in Self.awkward {
            let evidence = [["location": "https://example.jp/evidence/1", "sha256": "ab"]]
            let evidenceJSON = String(decoding: try encodeObject(evidence), as: UTF8.self)
            // Carried over from a previous assessment (issue 17 item 4) in the cases with a date, not in the others.
            let carried = on.map { _ in "a-previous" }
            let view = FindingView(objective: "3.1.1[a]", requirement: "3.1.1", status: "met", rationale: text,
                                   evidenceJSON: evidenceJSON, assessedBy: by, assessedOn: on, version: 7, carriedOverFrom: carried)
            let reference = Reference(objective: "3.1.1[a]", requirement: "3.1.1", status: "met", rationale: text,
                                      evidence: evidence, assessedBy: by, assessedOn: on, version: 7, carriedOverFrom: carried,
                                      needsReview: carried != nil)
            // Byte-equal where JSONEncoder's escaping agrees with RFC 8259's minimum; always equal as values.
            let ours = try JSONSerialization.jsonObject(with: Data(view.jsonBytes)) as? NSDictionary
            let theirs = try JSONSerialization.jsonObject(with: Data(try encodeReference(reference))) as? NSDictionary
            #expect(ours == theirs)
            if !text.unicodeScalars.contains(where: { $0.value < 0x20 }) {
                #expect(view.jsonBytes == (try encodeReference(reference)))
            }
        }
    }

    @Test("A system is written exactly as JSONEncoder (sorted keys) writes it, with awkward text, no or several information types")
    func systemMatchesEncoder() throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        for (i, text) in Self.awkward.enumerated() {
            for types in [[], ["CUI//SP-CTI", text], [text]] {
                let stored: [String: Any] = ["id": "s-\(i)", "organizationId": "o", "name": text, "boundary": "工場 \(i)", "environment": text,
                                             "informationTypes": String(decoding: try JSONEncoder().encode(types), as: UTF8.self),
                                             "components": "[]", "userCount": i * 7, "createdAt": "2026-12-06T00:00:00.000Z", "version": i + 1]
                let record = try JSONDecoder().decode(SystemRecord.self, from: try JSONSerialization.data(withJSONObject: stored))
                let view = SystemView(record)
                let ours = try JSONSerialization.jsonObject(with: Data(view.jsonBytes)) as? NSDictionary
                let theirs = try JSONSerialization.jsonObject(with: try encoder.encode(view)) as? NSDictionary
                #expect(ours == theirs)
                if !text.unicodeScalars.contains(where: { $0.value < 0x20 }) {
                    #expect(view.jsonBytes == Array(try encoder.encode(view)))
                }
            }
        }
    }

    @Test("A page lists its items with limit, offset and total")
    func pageShape() throws {
        let views = (0..<3).map {
            FindingView(objective: "o\($0)", requirement: "r", status: "not-assessed", rationale: "", evidenceJSON: "[]",
                        assessedBy: nil, assessedOn: nil, version: 0)
        }
        var out = JSONBytes()
        Page(items: views, total: 10, limit: 3, offset: 4).writeJSON(to: &out)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(out.bytes)) as? [String: Any])
        #expect((object["items"] as? [[String: Any]])?.map { $0["objective"] as? String } == ["o0", "o1", "o2"])
        #expect(object["total"] as? Int == 10)
        #expect(object["limit"] as? Int == 3)
        #expect(object["offset"] as? Int == 4)
    }

    func encodeObject<T: Encodable>(_ v: T) throws -> Data {
        let e = JSONEncoder()
        e.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return try e.encode(v)
    }
}
