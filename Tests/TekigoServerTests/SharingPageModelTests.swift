import Foundation
import Testing
import TekigoCore
import TekigoTestSupport
@testable import TekigoServer

/// The sharing workspace's typed models against their templates (issue 14 item 6), as `PageModelTests` checks the
/// others: a sample of each model with every optional present; every name a template reads is a key of its model or
/// the layout, every `{{t.key}}` a message (in both languages), every model key read, no "nil".
@Suite("Sharing page models")
struct SharingPageModelTests {
    static let row = SharingObjectRow(url: "/o/o1/sharing/collections/c1/objects/indicator--1", type: "indicator", summary: "[ipv4-addr:value = '198.51.100.7']",
                                      tlp: "TLP:AMBER", tlpID: "amber", cui: true, added: "now", collection: "Indicators",
                                      publisher: "another member", cves: "CVE-2021-44228")
    static let samples: [(String, any PageModel)] = [
        ("sharing-hub", SharingHubPage(
            communities: [.init(name: "DIB ISAC", kind: "ISAC", standing: "member")], hasCommunities: true,
            collections: [.init(title: "Indicators", community: "DIB ISAC", url: "/c", access: "read")], hasCollections: true,
            newest: [row], hasNewest: true, searchAction: "/s", communitiesURL: "/cm", feedsURL: "/f")),
        ("sharing-collection", SharingCollectionPage(
            title: "Indicators", community: "DIB ISAC", description: "Shared", filters: [.init(label: "All", url: "/c", current: true)],
            objects: [row], hasObjects: true, olderURL: "/c?before=s1", csvURL: "/e?format=csv", stixURL: "/e?format=stix", hubURL: "/h",
            searchAction: "/s")),
        ("sharing-search", SharingSearchPage(
            query: "198.51.100.7", understood: "IPv4 address 198.51.100.7", error: "Not understood", objects: [row], hasObjects: true,
            searched: true, truncated: true, csvURL: "/e?format=csv", stixURL: "/e?format=stix", searchAction: "/s", hubURL: "/h")),
        ("sharing-object", SharingObjectPage(
            objectID: "indicator--1", type: "indicator", summary: "C2", collection: "Indicators", collectionURL: "/c",
            versions: [.init(version: "2026-01-01T00:00:00.000000Z", added: "now", tlp: "TLP:AMBER", tlpID: "amber", cui: true,
                             publisher: "your organization", json: "{}", newest: true)],
            pointing: [row], hasPointing: true, canSight: true, sightRefusal: "No write access", sightAction: "/x",
            tlpOptions: [SelectOption(value: "amber", label: "TLP:AMBER", selected: true)], count: "1", firstSeen: "2026-10-01",
            lastSeen: "2026-10-02", nameOrganization: true, organizationName: "Org", sightError: "Bad")),
        ("sharing-refused", SharingRefusedPage(message: "No", hubURL: "/h", homeURL: "/o/o1")),
    ]

    @Test("Issue 14 item 6: every sharing template reads only its model's keys and messages that exist in ja and en; every key is read")
    func everyTemplateNameIsAModelKeyAndEveryModelKeyIsRead() async throws {
        let assets = try await WebAssets.load()
        let layoutNames = try PageModelTests.names(PageModelTests.source("layout"))
        for lang in [Language.ja, .en] {
            let t = assets.messages.table(lang)
            for (template, model) in Self.samples {
                let tree = TemplateTree.merged(model, PageModelTests.layout(t))
                let keys = PageModelTests.keys(tree)
                // The object table's head and row are partials, read in the including template's context.
                let names = try PageModelTests.names(SupplyChainPageTests.sourceWithPartials(template)) + layoutNames
                for name in names {
                    let parts = name.split(separator: ".").map(String.init)
                    if parts[0] == "t" {
                        #expect(parts.count == 2 && t[parts[1]] != nil, "\(template): no message \(name) in \(lang)")
                    } else {
                        #expect(keys.contains(parts[0]), "\(template): \(name) is not a key of its model or the layout")
                    }
                }
                let read = Set(names.flatMap { $0.split(separator: ".").map(String.init) })
                for key in PageModelTests.keys(TemplateTree.tree(model)) {
                    #expect(read.contains(key), "\(template): the model's key \(key) is read by no template")
                }
                let html = try #require(assets.templates.render(tree, withTemplate: template))
                #expect(try PageModelTests.nilText(html).isEmpty, "\(template) prints nil")
            }
        }
    }
}
