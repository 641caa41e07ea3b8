import Foundation
import Mustache
import NIOCore
import Testing
import TekigoCore
import TekigoStore
import TekigoTestSupport
@testable import TekigoServer

/// Every page string comes from the message catalogs, in both languages (issue: web application, item 3), and the
/// pure parts of the pages: language choice, form parsing, the editor's and the POA&M form's validation.
@Suite("Web messages and forms")
struct WebMessagesTests {
    static let webRoot = TestEnvironment.packageRoot.appendingPathComponent("Sources/TekigoServer/Resources/web")
    static let sourceRoot = TestEnvironment.packageRoot.appendingPathComponent("Sources/TekigoServer/Web")

    static func files(_ dir: URL, _ ext: String) throws -> [(String, String)] {
        try FileManager.default.contentsOfDirectory(atPath: dir.path).filter { $0.hasSuffix(ext) }.sorted()
            .map { ($0, try String(contentsOf: dir.appendingPathComponent($0), encoding: .utf8)) }
    }

    static func matches(_ pattern: String, in text: String) throws -> [String] {
        let re = try NSRegularExpression(pattern: pattern)
        return re.matches(in: text, range: NSRange(text.startIndex..., in: text)).compactMap {
            Range($0.range(at: 1), in: text).map { String(text[$0]) }
        }
    }

    /// The keys code builds from enum cases (`status_not_met`, `role_owner`, …): each must exist too.
    static var dynamicKeys: [String] {
        func snake(_ s: String) -> String { s.replacingOccurrences(of: "-", with: "_") }
        var keys: [String] = []
        keys += FindingStatus.allCases.map { "status_" + snake($0.rawValue) }
        keys += RequirementStatus.allCases.map { "status_" + snake($0.rawValue) }
        keys += AssessmentKind.allCases.map { "kind_" + snake($0.rawValue) }
        keys += POAMStatus.allCases.map { "poam_status_" + snake($0.rawValue) }
        keys += Role.allCases.map { "role_" + $0.rawValue }
        keys += ["mfa_unset"] + MFAImplementation.allCases.map { "mfa_" + snake($0.rawValue) }
        keys += ["encryption_unset"] + EncryptionImplementation.allCases.map { "encryption_" + snake($0.rawValue) }
        keys += ["exception_none"] + ScoringException.allCases.map { "exception_" + snake($0.rawValue) }
        keys += ExportDocument.allCases.flatMap { ["document_\($0.rawValue)", "document_\($0.rawValue)_hint"] }
        keys += ExportFormat.allCases.map { "format_" + $0.rawValue }
        keys += Language.allCases.map { "language_" + $0.rawValue }
        keys += ["scope_read", "scope_write", "job_export_bundle", "job_catalog_import"] + JobRecord.State.allCases.map { "job_state_" + $0.rawValue }
        keys += ["saved", "expired", "signed_out", "locked", "setup_done", "revoked"].map { "notice_" + $0 }
        // The error page: a title and a message for each failure PageErrorMiddleware shows.
        for e in ["csrf", "bad_form", "too_large", "forbidden", "not_found", "rate_limited", "conflict", "internal"] {
            keys += ["error_\(e)", "error_\(e)_title"]
        }
        return keys
    }

    @Test("ja.json and en.json have the same keys, no empty text, and the same {placeholders}")
    func catalogsMatch() throws {
        let messages = try Messages.load(from: Self.webRoot.appendingPathComponent("messages"))
        let ja = messages.table(.ja), en = messages.table(.en)
        #expect(ja.count > 250)
        #expect(Set(ja.keys).subtracting(en.keys).sorted() == [], "missing in en.json")
        #expect(Set(en.keys).subtracting(ja.keys).sorted() == [], "missing in ja.json")
        for (key, text) in ja {
            #expect(!text.trimmingCharacters(in: .whitespaces).isEmpty && !(en[key] ?? "").trimmingCharacters(in: .whitespaces).isEmpty,
                    "\(key) is empty")
            #expect(try Set(Self.matches(#"\{([a-z]+)\}"#, in: text)) == Set(Self.matches(#"\{([a-z]+)\}"#, in: en[key] ?? "")),
                    "\(key): the placeholders differ between ja and en")
        }
    }

    @Test("An area's file is merged into its language; a key defined twice is refused, naming the key and the file")
    func areaFilesMerge() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("tekigo-messages-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        func write(_ name: String, _ json: String) throws { try Data(json.utf8).write(to: dir.appendingPathComponent(name)) }
        try write("ja.json", #"{"a": "あ"}"#)
        try write("en.json", #"{"a": "A"}"#)
        try write("area.ja.json", #"{"b": "い"}"#)
        try write("area.en.json", #"{"b": "B"}"#)
        let merged = try Messages.load(from: dir)
        #expect(merged.table(.ja) == ["a": "あ", "b": "い"])
        #expect(merged.table(.en) == ["a": "A", "b": "B"])
        try write("other.en.json", #"{"a": "again"}"#)
        #expect(throws: Messages.DuplicateKey.self) { try Messages.load(from: dir) }
    }

    @Test("Every key a template or the page code uses exists in both catalogs")
    func everyUsedKeyExists() throws {
        let messages = try Messages.load(from: Self.webRoot.appendingPathComponent("messages"))
        var used: [(String, String)] = []
        for (name, text) in try Self.files(Self.webRoot.appendingPathComponent("templates"), ".mustache") {
            used += try Self.matches(#"\{\{[#^/]?t\.([a-z0-9_]+)\}\}"#, in: text).map { ($0, name) }
        }
        for (name, text) in try Self.files(Self.sourceRoot, ".swift") {
            used += try Self.matches(#"messages\.text\("([a-z0-9_]+)"[,)]"#, in: text).map { ($0, name) }
            used += try Self.matches(#"titleKey: "([a-z0-9_]+)""#, in: text).map { ($0, name) }
        }
        used += Self.dynamicKeys.map { ($0, "dynamic key") }
        #expect(used.count > 300)
        for lang in Language.allCases {
            let table = messages.table(lang)
            let missing = used.filter { table[$0.0] == nil }.map { "\($0.0) (\($0.1))" }
            #expect(missing.isEmpty, "missing in \(lang.rawValue).json: \(Set(missing).sorted())")
        }
    }

    @Test("Templates hold no words of their own: only tags, markup, values and punctuation")
    func noStringsInTemplates() throws {
        for (name, text) in try Self.files(Self.webRoot.appendingPathComponent("templates"), ".mustache") {
            var rest = text.replacingOccurrences(of: #"\{\{\{?[^}]*\}?\}\}"#, with: " ", options: .regularExpression)
            rest = rest.replacingOccurrences(of: #"<[^>]*>"#, with: " ", options: .regularExpression)
            rest = rest.replacingOccurrences(of: #"&[a-z]+;"#, with: " ", options: .regularExpression)
            let words = rest.unicodeScalars.filter { CharacterSet.letters.contains($0) }
            #expect(words.isEmpty, "\(name) has text outside the message catalogs: \(String(String.UnicodeScalarView(words)).prefix(80))")
        }
    }

    @Test("Every template parses, and the layout and partials they name exist")
    func templatesParse() async throws {
        MustacheContentTypes.register(PageHTMLEscaping(), named: PageHTMLEscaping.name)
        let library = try await MustacheLibrary(directory: Self.webRoot.appendingPathComponent("templates").path)
        for (name, text) in try Self.files(Self.webRoot.appendingPathComponent("templates"), ".mustache") {
            for ref in try Self.matches(#"\{\{[<>] ?([a-z-]+)\}\}"#, in: text) {
                #expect(library.getTemplate(named: ref) != nil, "\(name) names a missing template \(ref)")
            }
        }
    }

    @Test("Language: the saved setting, else the best of Accept-Language, else Japanese")
    func language() {
        #expect(WebLocale.preferred("en-US,en;q=0.9,ja;q=0.8") == .en)
        #expect(WebLocale.preferred("fr-FR,ja;q=0.5,en;q=0.4") == .ja)
        #expect(WebLocale.preferred("de-DE,fr;q=0.8") == nil)
        #expect(WebLocale.preferred("en;q=0, ja") == .ja)
        #expect(WebLocale.negotiate(settings: nil, acceptLanguage: "de").language == .ja)
        #expect(WebLocale.negotiate(settings: UserSettings(language: .ja, timeZone: "UTC"), acceptLanguage: "en").language == .ja)
        #expect(WebLocale.negotiate(settings: UserSettings(language: .en, timeZone: "America/New_York"), acceptLanguage: nil)
            .timeZone.identifier == "America/New_York")
        // Dates follow the language; times also the user's zone (09:00 UTC is 18:00 in Tokyo, 04:00 in New York).
        let tokyo = WebLocale(language: .ja, timeZone: TimeZone(identifier: "Asia/Tokyo")!)
        let ny = WebLocale(language: .en, timeZone: TimeZone(identifier: "America/New_York")!)
        #expect(tokyo.day(Day("2026-11-28")!).contains("2026年11月28日"))
        #expect(ny.day(Day("2026-11-28")!).contains("Nov 28, 2026"))
        #expect(tokyo.dateTime("2026-11-28T09:00:00.000Z").contains("18:00"))
        #expect(ny.dateTime("2026-11-28T09:00:00.000Z").contains("4:00"))
        #expect(ny.number(12345) == "12,345")
    }

    @Test("Forms: url-encoded (+ is a space, UTF-8 escapes) and multipart with a file")
    func formParsing() throws {
        let f = WebForm.urlEncoded("name=%E7%94%9F%E7%94%A3+%E7%AE%A1%E7%90%86&o0_keep=a&o0_keep=b&empty=")
        #expect(f["name"] == "生産 管理" && f.values("o0_keep") == ["a", "b"] && f.has("empty") && !f.has("other"))
        let body = "--XyZ\r\nContent-Disposition: form-data; name=\"note\"\r\n\r\n証跡\r\n"
            + "--XyZ\r\nContent-Disposition: form-data; name=\"o0_file\"; filename=\"規程.pdf\"\r\nContent-Type: application/pdf\r\n\r\n%PDF-1\r\n"
            + "--XyZ\r\nContent-Disposition: form-data; name=\"o1_file\"; filename=\"\"\r\nContent-Type: application/octet-stream\r\n\r\n\r\n"
            + "--XyZ--\r\n"
        let m = try WebForm.multipart(ByteBuffer(string: body), boundary: "XyZ")
        #expect(m["note"] == "証跡")
        #expect(m.files.count == 1, "an empty file input sends no file")
        #expect(m.files.first?.filename == "規程.pdf" && m.files.first?.contentType == "application/pdf")
        #expect(m.files.first?.data == Data("%PDF-1".utf8))
        // A body that is not what its boundary says yields no fields (so no CSRF token: the post is refused).
        #expect(try WebForm.multipart(ByteBuffer(string: "--XyZ\r\ngarbage"), boundary: "other").fields.isEmpty)
    }

    @Test("The editor's form: statuses, evidence kept, links checked, the exception's note required (Methodology §5)")
    func requirementDraft() throws {
        let entry = try #require(try BuiltInLibrary.shared.catalog(.sp800171r2)["3.5.3"])
        let keep = AssessmentPages.encode(EvidenceRef(location: "vpn.txt", sha256: String(repeating: "a", count: 64)))
        var fields: [String: [String]] = ["o0_status": ["met"], "o0_keep": [keep], "o1_status": ["not-met"], "o1_link": ["ftp://x"],
                                          "o0_version": ["3"], "mfa": ["remote-and-privileged-only"], "exception": ["enduring-exception"],
                                          "answer_version": ["7"], "not_permitted": ["1"]]
        var d = RequirementDraft(entry: entry, form: WebForm(fields: fields))
        #expect(d.objectives[0].finding.status == .met && d.objectives[0].version == 3)
        #expect(d.objectives[0].finding.evidence.map(\.location) == ["vpn.txt"])
        #expect(d.objectives[1].finding.status == .notMet && d.objectives.last?.finding.status == .notAssessed)
        #expect(d.answer.mfa == .remoteAndPrivilegedOnly && d.answerVersion == 7)
        #expect(!d.answer.notPermitted, "3.5.3 is not one of the requirements that may be answered 'not permitted'")
        #expect(d.validate() == ["o1": "error_link", "exception_note": "error_exception_note"])
        fields["o1_link"] = ["https://intranet.example.jp/vpn"]
        fields["exception_note"] = ["委託先の保守端末のみ"]
        fields["o2_status"] = ["maybe"]
        d = RequirementDraft(entry: entry, form: WebForm(fields: fields))
        #expect(d.validate() == ["o2": "error_choice"])
        let permitted = try #require(try BuiltInLibrary.shared.catalog(.sp800171r2)["3.1.12"])
        #expect(RequirementDraft(entry: permitted, form: WebForm(fields: ["not_permitted": ["1"]])).answer.notPermitted)
    }

    @Test("The POA&M form: weakness required, ISO dates, milestones complete, completed items dated")
    func poamForm() throws {
        let today = Day("2026-11-28")!
        var f = WebForm(fields: ["weakness": [" "], "status": ["open"], "scheduled": ["2027/03/31"],
                                 "m0_description": ["権限表の見直し"], "m0_due": [""], "m1_description": [""], "m1_due": ["2027-01-01"],
                                 "m2_description": [""], "m2_due": [""]])
        guard case .failure(let p) = POAMForm(form: f).item(requirement: "3.1.2", today: today) else { Issue.record("accepted"); return }
        #expect(p.errors == ["weakness": "error_required", "scheduled": "error_date", "m0": "error_milestone_date",
                             "m1": "error_milestone_description"])
        f = WebForm(fields: ["weakness": ["権限表がない"], "status": ["completed"], "m0_description": ["後の作業"], "m0_due": ["2027-02-01"],
                             "m1_description": ["先の作業"], "m1_due": ["2027-01-01"]])
        guard case .success(let item) = POAMForm(form: f).item(requirement: "3.1.2", today: today) else { Issue.record("refused"); return }
        #expect(item.completedOn == today && item.status == .completed)
        #expect(item.milestones.map(\.description) == ["先の作業", "後の作業"])
        #expect(item.plannedCompletion == Day("2027-02-01"))
    }
}

@Suite("Page HTML escaping")
struct PageEscapingTests {
    @Test("The pages' escaper gives exactly what swift-mustache's HTML escaping gives", arguments: [
        "", "plain", "a<b>c&d\"e'f", "保護すべき情報 <script>alert('x')</script>", "&amp; already", "👨‍👩‍👧 <", "e\u{301}<", "\"'\"'",
        String(repeating: "<漢字&>", count: 200),
    ])
    func sameAsLibrary(_ text: String) throws {
        let library = try MustacheTemplate(string: "{{x}}")
        #expect(PageHTMLEscaping().escapeText(text) == library.render(["x": text]))
    }

    @Test("Templates using the pragma escape values (a page value with markup is shown, never run)")
    func pragmaEscapes() async throws {
        MustacheContentTypes.register(PageHTMLEscaping(), named: PageHTMLEscaping.name)
        var library = MustacheLibrary()
        try library.register("{{% CONTENT_TYPE: TEKIGO_HTML}}\n<main>{{$main}}{{/main}}</main>", named: "layout")
        try library.register("{{<layout}}{{$main}}<p>{{v}}</p>{{/main}}{{/layout}}", named: "page")
        let out = try #require(library.render(["v": "<img src=x onerror=alert(1)>"], withTemplate: "page"))
        #expect(out.contains("&lt;img src=x onerror=alert(1)&gt;") && !out.contains("<img"))
    }
}
