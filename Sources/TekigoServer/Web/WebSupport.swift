import Foundation
import Hummingbird
import HTTPTypes
import Mustache
import NIOCore
import TekigoCore
import TekigoStore

/// Every user-facing string of the web pages, in Japanese and English, from `Resources/web/messages/{ja,en}.json`
/// and one file per area beside them (`supply-chain.ja.json`, …), merged (flat `snake_case` keys; a key in two
/// files of one language is an error, not a silent override). Templates read them as `{{t.key}}`; code formats the
/// few that take values (`{name}` placeholders) with `text(_:_:_:)`. No page string lives in a template or in Swift code.
struct Messages: Sendable {
    let tables: [Language: [String: String]]

    struct DuplicateKey: Error, CustomStringConvertible {
        let key: String
        let file: String
        var description: String { "message key \(key) in \(file) is already defined in another file of the same language" }
    }

    /// The files of one language in `directory`: `ja.json` first, then `<area>.ja.json` in name order.
    static func files(_ lang: Language, in directory: URL) throws -> [URL] {
        let names = try FileManager.default.contentsOfDirectory(atPath: directory.path)
        let areas = names.filter { $0.hasSuffix(".\(lang.rawValue).json") }.sorted()
        return (["\(lang.rawValue).json"] + areas).map { directory.appendingPathComponent($0) }
    }

    static func load(from directory: URL) throws -> Messages {
        var tables: [Language: [String: String]] = [:]
        for lang in Language.allCases {
            var table: [String: String] = [:]
            for url in try files(lang, in: directory) {
                for (key, text) in try JSONDecoder().decode([String: String].self, from: Data(contentsOf: url)) {
                    guard table.updateValue(text, forKey: key) == nil else { throw DuplicateKey(key: key, file: url.lastPathComponent) }
                }
            }
            tables[lang] = table
        }
        return Messages(tables: tables)
    }

    func table(_ lang: Language) -> [String: String] { tables[lang] ?? [:] }

    /// The message for `key`, with `{name}` placeholders filled. A missing key shows as the key itself (the
    /// message-catalog test fails on any such key, so this is never seen in a release).
    func text(_ key: String, _ lang: Language, _ values: [String: String] = [:]) -> String {
        var s = tables[lang]?[key] ?? key
        for (k, v) in values { s = s.replacingOccurrences(of: "{\(k)}", with: v) }
        return s
    }
}

/// The language and time zone a page is shown in, and the formatting that follows from them.
struct WebLocale: Sendable {
    let language: Language
    let timeZone: TimeZone

    static let defaultTimeZone = TimeZone(identifier: "Asia/Tokyo")!

    /// The user's saved setting first, then the browser's Accept-Language (by q value), then Japanese.
    static func negotiate(settings: UserSettings?, acceptLanguage: String?) -> WebLocale {
        let zone = settings.flatMap { TimeZone(identifier: $0.timeZone) } ?? defaultTimeZone
        if let lang = settings?.language { return WebLocale(language: lang, timeZone: zone) }
        return WebLocale(language: preferred(acceptLanguage) ?? .ja, timeZone: zone)
    }

    /// `en-US,en;q=0.9,ja;q=0.8` → .en. Languages other than ja/en are skipped.
    static func preferred(_ header: String?) -> Language? {
        guard let header else { return nil }
        var best: (Language, Double)?
        for part in header.split(separator: ",") {
            let pieces = part.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }
            guard let tag = pieces.first?.lowercased() else { continue }
            let q = pieces.dropFirst().first { $0.hasPrefix("q=") }.flatMap { Double($0.dropFirst(2)) } ?? 1
            let lang: Language? = tag.hasPrefix("ja") ? .ja : tag.hasPrefix("en") ? .en : nil
            if let lang, q > 0, q > (best?.1 ?? -1) { best = (lang, q) }
        }
        return best?.0
    }

    var localeIdentifier: String { language == .ja ? "ja_JP" : "en_US" }

    /// An ISO 8601 timestamp from the database, in the user's time zone: `2026年11月28日 11:02` / `Nov 28, 2026, 11:02`.
    func dateTime(_ timestamp: String) -> String {
        guard let date = Timestamp.date(timestamp) else { return timestamp }
        return date.formatted(Date.FormatStyle(date: .abbreviated, time: .shortened, locale: Locale(identifier: localeIdentifier),
                                               timeZone: timeZone))
    }

    /// A calendar day (no time zone): `2026年11月28日` / `Nov 28, 2026`.
    func day(_ d: Day) -> String {
        var utc = Date.FormatStyle(date: .abbreviated, time: .omitted, locale: Locale(identifier: localeIdentifier))
        utc.timeZone = TimeZone(identifier: "UTC")!
        return d.date.formatted(utc)
    }

    func number(_ n: Int) -> String { n.formatted(.number.locale(Locale(identifier: localeIdentifier))) }
}

/// The page templates (`Resources/web/templates`, swift-mustache, HTML-escaped by default), the message
/// catalogs and the static files, loaded once at start-up.
struct WebAssets: Sendable {
    let templates: MustacheLibrary
    let messages: Messages
    /// `/static/<name>` → bytes and content type.
    let statics: [String: (Data, String)]

    static func load() async throws -> WebAssets {
        guard let root = Bundle.module.url(forResource: "web", withExtension: nil) else {
            throw WebAssetError.missing("Resources/web")
        }
        // Registered before the templates are parsed: their CONTENT_TYPE pragma names it.
        MustacheContentTypes.register(PageHTMLEscaping(), named: PageHTMLEscaping.name)
        let templates = try await MustacheLibrary(directory: root.appendingPathComponent("templates").path)
        let messages = try Messages.load(from: root.appendingPathComponent("messages"))
        var statics: [String: (Data, String)] = [:]
        let dir = root.appendingPathComponent("static")
        for name in try FileManager.default.contentsOfDirectory(atPath: dir.path) {
            let type = name.hasSuffix(".css") ? "text/css; charset=utf-8"
                : name.hasSuffix(".js") ? "text/javascript; charset=utf-8" : "application/octet-stream"
            statics[name] = (try Data(contentsOf: dir.appendingPathComponent(name)), type)
        }
        return WebAssets(templates: templates, messages: messages, statics: statics)
    }
}

enum WebAssetError: Error, CustomStringConvertible {
    case missing(String)
    case noTemplate(String)
    var description: String {
        switch self {
        case .missing(let p): return "The web application's files are missing from the build (\(p)); rebuild Tekigo."
        case .noTemplate(let n): return "No page template named '\(n)'."
        }
    }
}

/// The pages' HTML escaping: the same five characters as swift-mustache's own HTML content type (`& < > " '`), done
/// on UTF-8 bytes with a fast path for text that needs none. The library's escaper walks grapheme clusters with a
/// dictionary lookup per character, which profiling showed as an eighth of the assessment overview's time
/// (docs/PERFORMANCE.md). Selected in every template with `{{% CONTENT_TYPE: TEKIGO_HTML}}`; a test checks it
/// escapes exactly as the library does.
struct PageHTMLEscaping: MustacheContentType {
    static let name = "TEKIGO_HTML"

    func escapeText(_ text: String) -> String {
        // Every byte of a multi-byte UTF-8 sequence is ≥ 0x80, so replacing these ASCII bytes never splits a character.
        guard text.utf8.contains(where: { $0 == 0x26 || $0 == 0x3C || $0 == 0x3E || $0 == 0x22 || $0 == 0x27 }) else { return text }
        var out: [UInt8] = []
        out.reserveCapacity(text.utf8.count + 32)
        for b in text.utf8 {
            switch b {
            case 0x26: out.append(contentsOf: "&amp;".utf8)
            case 0x3C: out.append(contentsOf: "&lt;".utf8)
            case 0x3E: out.append(contentsOf: "&gt;".utf8)
            case 0x22: out.append(contentsOf: "&quot;".utf8)
            case 0x27: out.append(contentsOf: "&#39;".utf8)
            default: out.append(b)
            }
        }
        return String(decoding: out, as: UTF8.self)
    }
}
