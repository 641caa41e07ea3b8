import Foundation
import Hummingbird
import HTTPTypes
import HummingbirdTesting
import Testing
import TekigoCore
import TekigoStore
import TekigoTestSupport
@testable import TekigoServer

/// Issue: defects, item 12 — evidence moved between objectives, or was lost, when a requirement was saved again in
/// the web editor: each kept item's checkbox was named by the item's own position instead of its objective's.
@Suite("Editor: evidence stays with its objective across saves", .serialized)
struct EditorEvidenceTests {
    /// What a browser submits for the editor form as shown: hidden fields, checked radios and checkboxes, textareas,
    /// selected options, and the "save" button.
    static func submittedFields(_ html: String) -> [(String, String)] {
        var fields: [(String, String)] = []
        let form = html.components(separatedBy: "id=\"editor-form\"").dropFirst().first?.components(separatedBy: "</form>").first ?? ""
        for input in matches(#"<input [^>]*>"#, in: form) {
            guard let name = attribute("name", in: input) else { continue }
            let type = attribute("type", in: input) ?? "text"
            let value = attribute("value", in: input) ?? ""
            switch type {
            case "hidden", "text", "url": fields.append((name, value))
            case "radio", "checkbox": if input.contains(" checked") { fields.append((name, value)) }
            default: break
            }
        }
        for area in matches(#"<textarea [^>]*>[^<]*</textarea>"#, in: form) {
            guard let name = attribute("name", in: area) else { continue }
            let content = area.drop { $0 != ">" }.dropFirst().prefix { $0 != "<" }
            fields.append((name, unescape(String(content))))
        }
        for select in matches(#"<select [^>]*>.*?</select>"#, in: form) {
            guard let name = attribute("name", in: select) else { continue }
            let selected = matches(#"<option [^>]*selected[^>]*>"#, in: select).first.flatMap { attribute("value", in: $0) } ?? ""
            fields.append((name, selected))
        }
        fields.append(("go", "stay"))
        return fields
    }

    static func matches(_ pattern: String, in text: String) -> [String] {
        let regex = try! NSRegularExpression(pattern: pattern, options: [.dotMatchesLineSeparators])
        return regex.matches(in: text, range: NSRange(text.startIndex..., in: text)).compactMap { Range($0.range, in: text).map { String(text[$0]) } }
    }

    static func attribute(_ name: String, in tag: String) -> String? {
        guard let m = matches(" \(name)=\"[^\"]*\"", in: tag).first else { return nil }
        return unescape(String(m.dropFirst(name.count + 3).dropLast()))
    }

    static func unescape(_ s: String) -> String {
        var out = s
        for (entity, char) in [("&quot;", "\""), ("&#34;", "\""), ("&#39;", "'"), ("&lt;", "<"), ("&gt;", ">"), ("&#x2F;", "/"),
                               ("&#47;", "/"), ("&#x3D;", "="), ("&#61;", "="), ("&#x60;", "`"), ("&#96;", "`")] {
            out = out.replacingOccurrences(of: entity, with: char)
        }
        return out.replacingOccurrences(of: "&amp;", with: "&")
    }

    static func multipart(_ fields: [(String, String)]) -> (ByteBuffer, String) {
        let boundary = "----tekigo-editor-boundary"
        var body = ""
        for (k, v) in fields { body += "--\(boundary)\r\nContent-Disposition: form-data; name=\"\(k)\"\r\n\r\n\(v)\r\n" }
        body += "--\(boundary)--\r\n"
        return (ByteBuffer(string: body), "multipart/form-data; boundary=\(boundary)")
    }

    @Test("Saving a requirement with two objectives of two evidence items each, three times, moves and loses nothing",
          arguments: TestDatabases.engines)
    func evidenceStaysPut(engine: TestDatabases.Engine) async throws {
        try await WebPageTests.withServer(engine) { client, services in
            let admin = Browser(client)
            let (_, orgID) = try await bootstrapAdmin(admin, services: services)
            let (store, a) = try await WebPageTests.assessment(services, orgID)
            let actor = Actor(id: "test", sourceIP: "127.0.0.1")
            let expected: [String: [EvidenceRef]] = [
                "3.1.1[a]": [EvidenceRef(location: "https://wiki.example.jp/accounts"), EvidenceRef(location: "https://wiki.example.jp/ad")],
                "3.1.1[b]": [EvidenceRef(location: "https://wiki.example.jp/services"), EvidenceRef(location: "https://wiki.example.jp/svc")],
            ]
            for (objective, evidence) in expected {
                _ = try await store.putFinding(assessmentID: a.id, objective: objective,
                                               Finding(status: .met, rationale: "確認済み", evidence: evidence), ifVersion: nil, by: actor)
            }
            let path = "/o/\(orgID)/assessments/\(a.id)/requirements/3.1.1"
            for round in 1...3 {
                let page = try await WebPageTests.page(admin, .get, path)
                try #require(page.status == .ok)
                let (body, type) = Self.multipart(Self.submittedFields(page.html))
                let saved = try await client.execute(uri: path, method: .post,
                                                     headers: [.cookie: "tekigo_session=\(admin.cookie!)", .contentType: type], body: body)
                #expect(saved.status == .seeOther, "save \(round): \(saved.status) \(String(buffer: saved.body).prefix(300))")
                let loaded = try await store.load(assessmentID: a.id, organization: Organization(name: "x"))
                for (objective, evidence) in expected {
                    #expect(loaded.findings[objective]?.evidence == evidence, "save \(round), \(objective)")
                }
                #expect(loaded.findings["3.1.1[c]"]?.evidence.isEmpty ?? true, "save \(round): nothing appears elsewhere")
            }
        }
    }
}
