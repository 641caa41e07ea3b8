import Foundation
import Testing
@testable import TekigoCore

/// The one key of a cloud service across the registry, an organization's services, responsibility matrices and
/// attestations (issue 15): FedRAMP package id, ISMAP registration number, or a name.
@Suite("Cloud service reference")
struct CloudServiceRefTests {
    @Test("Issue 15: each kind reads back to itself, package id and registration number kept as written")
    func roundTrip() throws {
        for text in ["fedramp:FR1704369518", "ismap:C23-0001-2", "other:社内ファイルサーバ (NAS)"] {
            #expect(try CloudServiceRef(parsing: text).description == text)
        }
        #expect(try CloudServiceRef(parsing: "FedRAMP: F1302201919 ") == .fedramp(packageID: "F1302201919"))
    }

    @Test("Issue 15: an unknown kind, no value, a space inside a package id or a control character is refused with how to write it")
    func refused() {
        for text in ["FR1704369518", "aws:FR1", "fedramp:", "fedramp:FR 17", "other:a\u{7}b", "ismap:" + String(repeating: "9", count: 201)] {
            #expect(throws: CloudServiceRef.Invalid.self) { try CloudServiceRef(parsing: text) }
        }
        let e = CloudServiceRef.Invalid(text: "aws:x")
        #expect(e.message.en.contains("fedramp:<package id>") && e.message.ja.contains("ismap:<登録番号>"))
    }

    @Test("Issue 15: JSON carries the reference as its text form")
    func json() throws {
        let data = try JSONEncoder().encode([CloudServiceRef.ismap(registrationNumber: "C23-0001-2")])
        #expect(String(decoding: data, as: UTF8.self) == #"["ismap:C23-0001-2"]"#)
        #expect(try JSONDecoder().decode([CloudServiceRef].self, from: data) == [.ismap(registrationNumber: "C23-0001-2")])
        #expect(throws: DecodingError.self) { try JSONDecoder().decode([CloudServiceRef].self, from: Data(#"["x"]"#.utf8)) }
    }
}
