import Foundation
import Mustache
import Testing
import TekigoCore
import TekigoTestSupport
@testable import TekigoServer

/// The typed page models (issue #16 item 2): each converted template rendered with a sample of its model, every
/// optional present. Every name a template (or the layout) reads must be a key of the model or the layout, every
/// `{{t.key}}` a message, and every key of a page model must be read by some template — a misspelled key on either
/// side fails here. Absent optionals leave no "nil" text.
@Suite("Page models")
struct PageModelTests {
    static let templateDir = WebMessagesTests.webRoot.appendingPathComponent("templates")

    static func layout(_ t: [String: String]) -> LayoutModel {
        LayoutModel(lang: "en", otherLang: "ja", t: t, pageTitle: "Title", viewer: .init(name: "Ann", email: "ann@example.com"),
                    csrf: "csrf-token", settingsURL: "/settings", logoutURL: "/logout", org: .init(id: "o1", name: "Org"),
                    nav: [.init(url: "/o/o1", label: "Dashboard", current: true)], notice: "Saved")
    }

    static let jobRow = JobRow(url: "/o/o1/jobs/j1", kind: "Export", state: "Finished", stateID: "finished", percent: 100, done: 3,
                               total: 3, created: "Nov 28, 2026", failed: true, message: "done", hasResult: true, summary: true,
                               resultURL: "/o/o1/jobs/j1/result", resultName: "export.zip")

    /// A sample of every converted page's model, every optional present.
    static let samples: [(String, any PageModel)] = [
        ("jobs", JobsPage([jobRow])),
        ("job", JobPage(job: jobRow, refresh: true, jobsURL: "/o/o1/jobs")),
        ("catalogs", CatalogsPage(imports: [.init(id: "nist", title: "800-171", version: "3", file: "c.json", imported: "today",
                                                  entries: "1,000", warnings: 2)],
                                  canImport: true, action: "/o/o1/catalogs", error: "Bad file")),
    ]

    /// The names a template reads: `{{name}}`, `{{#name}}`, `{{^name}}`, `{{{name}}}`, `{{&name}}`, dotted paths.
    static func names(_ template: String) throws -> [String] {
        try WebMessagesTests.matches(#"\{\{\{?\s*[#^&]?\s*([A-Za-z_][A-Za-z0-9_.]*)\s*\}"#, in: template)
    }

    static func source(_ name: String) throws -> String {
        try String(contentsOf: templateDir.appendingPathComponent("\(name).mustache"), encoding: .utf8)
    }

    /// Every dictionary key in the tree (the message table's excepted).
    static func keys(_ tree: Any?) -> Set<String> {
        switch tree {
        case let d as [String: Any]:
            return d.reduce(into: Set(d.keys)) { all, kv in if kv.key != "t" { all.formUnion(keys(kv.value)) } }
        case let l as [Any]: return l.reduce(into: []) { $0.formUnion(keys($1)) }
        default: return []
        }
    }

    @Test func everyTemplateNameIsAModelKeyAndEveryModelKeyIsRead() async throws {
        let assets = try await WebAssets.load()
        let t = assets.messages.table(.en)
        let layoutNames = try Self.names(Self.source("layout"))
        var allNames: Set<String> = []
        for file in try FileManager.default.contentsOfDirectory(atPath: Self.templateDir.path) where file.hasSuffix(".mustache") {
            for name in try Self.names(String(contentsOf: Self.templateDir.appendingPathComponent(file), encoding: .utf8)) {
                allNames.formUnion(name.split(separator: ".").map(String.init))
            }
        }
        for (template, model) in Self.samples {
            let tree = TemplateTree.merged(model, Self.layout(t))
            let known = Self.keys(tree)
            for name in try Self.names(Self.source(template)) + layoutNames {
                let parts = name.split(separator: ".").map(String.init)
                if parts[0] == "t" {
                    #expect(parts.count == 2 && t[parts[1]] != nil, "\(template): no message \(name)")
                } else {
                    #expect(known.contains(parts[0]), "\(template): \(name) is not a key of its model or the layout")
                }
            }
            for key in Self.keys(TemplateTree.tree(model)) {
                #expect(allNames.contains(key), "\(template): the model's key \(key) is read by no template")
            }
            let html = try #require(assets.templates.render(tree, withTemplate: template))
            #expect(try Self.nilText(html).isEmpty, "\(template) prints nil")
        }
    }

    static func nilText(_ html: String) throws -> [String] { try WebMessagesTests.matches(#"(\bnil\b|Optional\()"#, in: html) }

    /// Absent optionals are left out of the tree: sections stay closed and nothing prints "nil".
    @Test func absentOptionalsAreLeftOut() async throws {
        let assets = try await WebAssets.load()
        let t = assets.messages.table(.ja)
        let bare = LayoutModel(lang: "ja", otherLang: "en", t: t, pageTitle: "T")
        let model = CatalogsPage(imports: [], canImport: true, action: "/a", error: nil)
        let tree = TemplateTree.merged(model, bare)
        #expect(tree["error"] == nil && tree["viewer"] == nil && tree["notice"] == nil && tree["nav"] == nil)
        #expect(tree["empty"] as? Bool == true && tree["can_import"] as? Bool == true)
        let html = try #require(assets.templates.render(tree, withTemplate: "catalogs"))
        #expect(try Self.nilText(html).isEmpty)
        #expect(!html.contains("role=\"alert\"") && !html.contains("class=\"notice\""))
    }

    @Test func keysAreSnakeCase() {
        #expect(TemplateTree.snakeCase("resultURL") == "result_url")
        #expect(TemplateTree.snakeCase("stateID") == "state_id")
        #expect(TemplateTree.snakeCase("hasResult") == "has_result")
        #expect(TemplateTree.snakeCase("t") == "t")
        #expect(TemplateTree.snakeCase("csvURLForAll") == "csv_url_for_all")
        #expect(TemplateTree.snakeCase("sprs2") == "sprs2")
    }
}
