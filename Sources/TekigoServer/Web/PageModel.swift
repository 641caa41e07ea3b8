import Foundation
import Hummingbird
import HTTPTypes
import TekigoCore
import TekigoStore

/// A page's typed model: a `Sendable` struct built by one function from what the use cases return (the page's
/// query), rendered by `WebApp.page(_:title:model:…)` inside the layout. Its stored properties are its template
/// keys: `camelCase` in Swift, `snake_case` in the template (`resultURL` → `result_url`, `stateID` → `state_id`), so
/// a key is checked by the compiler on the Swift side and `PageModelTests` checks every template against its model.
///
/// The model reaches swift-mustache as a tree of dictionaries, arrays and leaves (`TemplateTree`): an absent
/// optional is left out of the tree (a closed section, no "nil" text), a present one is its value.
protocol PageModel: Encodable, Sendable {}

/// The layout's own fields, common to every page: language, the message table `t`, the page title, the viewer with
/// the CSRF token and account links, the organization with its navigation, and a notice (post/redirect/get).
struct LayoutModel: PageModel {
    struct ViewerModel: Encodable, Sendable { let name: String; let email: String }
    struct OrgModel: Encodable, Sendable { let id: String; let name: String }
    struct NavItem: Encodable, Sendable { let url: String; let label: String; let current: Bool }

    let lang: String
    let otherLang: String
    /// The message table of the page's language (`{{t.key}}`), put into the tree as it is.
    let t: [String: String]
    let pageTitle: String
    var viewer: ViewerModel?
    var csrf: String?
    var settingsURL: String?
    var logoutURL: String?
    var org: OrgModel?
    var nav: [NavItem]?
    var notice: String?
}

extension WebApp {
    /// The layout's fields for a page in `locale`, seen by `viewer`, in `organization` (with `section` marked current).
    func layout(title: String, locale: WebLocale, viewer: Viewer?, organization: OrganizationRecord?, section: String?,
                notice: String? = nil) -> LayoutModel {
        let t = messages.table(locale.language)
        var layout = LayoutModel(lang: locale.language.rawValue, otherLang: locale.language == .ja ? "en" : "ja", t: t,
                                 pageTitle: title, notice: notice)
        if let viewer {
            layout.viewer = .init(name: viewer.user.displayName, email: viewer.user.email)
            layout.csrf = viewer.session.csrfToken
            layout.settingsURL = PageRoute.settings.path
            layout.logoutURL = PageRoute.logout.path
        }
        if let organization {
            let o = organization.id
            layout.org = .init(id: o, name: organization.name)
            layout.nav = [("dashboard", PageRoute.organization(org: o), "nav_dashboard"), ("systems", .systems(org: o), "nav_systems"),
                          ("assessments", .assessments(org: o), "nav_assessments"), (EvidenceLibraryPages.section, .evidenceLibrary(org: o), "nav_evidence_library"),
                          ("members", .members(org: o), "nav_members"),
                          ("tokens", .tokens(org: o), "nav_tokens"), ("audit", .audit(org: o), "nav_audit"),
                          ("jobs", .jobs(org: o), "nav_jobs"), ("catalogs", .catalogs(org: o), "nav_catalogs"),
                          (SupplyChainPages.section, .supplyChain(org: o), "supply_nav"),
                          (IncidentPages.section, .incidents(org: o), "nav_incidents"),
                          (ExercisePages.section, .exercises(org: o), "nav_exercises"),
                          (SharingPages.section, .sharing(org: o), "nav_sharing"),
                          (CloudServicePages.section, .cloudServices(org: o), "nav_cloud"),
                          (CloudRegistryPages.section, .cloudRegistry(org: o), "nav_cloud_registry"),
                          ("customers", .customers(org: o), "nav_customers")]
                .map { LayoutModel.NavItem(url: $0.1.path, label: t[$0.2] ?? $0.2, current: $0.0 == section) }
        }
        return layout
    }

    /// Renders `template` inside the layout with the page's typed `model`. The layout's fields win over a page field
    /// of the same name (as they always have).
    func page(_ template: String, title: String, model: some PageModel, locale: WebLocale, viewer: Viewer?,
              organization: OrganizationRecord? = nil, section: String? = nil, notice: String? = nil,
              status: HTTPResponse.Status = .ok, cookies: [Cookie] = []) -> Response {
        let layout = self.layout(title: title, locale: locale, viewer: viewer, organization: organization, section: section,
                                 notice: notice)
        return render(template, TemplateTree.merged(model, layout), locale: locale, status: status, cookies: cookies)
    }

    /// An organization's page with its typed model: the navigation with `section` current and the `?notice=` message.
    func orgView(_ template: String, _ page: OrgPage, titleKey: String, section: String, model: some PageModel,
                 request: Request, status: HTTPResponse.Status = .ok, title: String? = nil) -> Response {
        self.page(template, title: title ?? messages.text(titleKey, page.language), model: model, locale: page.viewer.locale,
                  viewer: page.viewer, organization: page.member.organization, section: section,
                  notice: notice(request, page.viewer.locale), status: status)
    }
}

/// A page model as swift-mustache reads it: `[String: Any]` for a struct (keys in `snake_case`, absent optionals left
/// out), `[Any]` for an array, and the value itself for a string, number or Boolean. A `[String: String]` (the message
/// table) is kept as it is, keys unchanged.
enum TemplateTree {
    static func tree<T: Encodable>(_ value: T) -> Any? {
        if let leaf = TreeNode.leaf(value) { return leaf }
        let encoder = TreeEncoder()
        // The encoder itself never throws; a model's own `encode(to:)` would have to.
        guard (try? value.encode(to: encoder)) != nil else { return nil }
        return encoder.node.result
    }

    static func dictionary<T: Encodable>(_ value: T) -> [String: Any] { tree(value) as? [String: Any] ?? [:] }

    /// The page's tree with the layout's fields laid over it.
    static func merged(_ model: some PageModel, _ layout: LayoutModel) -> [String: Any] {
        var all = dictionary(model)
        for (k, v) in dictionary(layout) { all[k] = v }
        return all
    }

    /// `resultURL` → `result_url`, `stateID` → `state_id`, `hasResult` → `has_result`, `t` → `t`.
    static func snakeCase(_ key: String) -> String {
        guard key.utf8.contains(where: { $0 >= 0x41 && $0 <= 0x5A }) else { return key }
        let chars = Array(key)
        var out = ""
        out.reserveCapacity(chars.count + 4)
        for (i, c) in chars.enumerated() {
            if c.isUppercase, i > 0 {
                let previous = chars[i - 1]
                let nextIsLower = i + 1 < chars.count && chars[i + 1].isLowercase
                if previous.isLowercase || previous.isNumber || (previous.isUppercase && nextIsLower) { out.append("_") }
            }
            out.append(contentsOf: c.lowercased())
        }
        return out
    }
}

final class TreeNode {
    enum Kind { case none, keyed, unkeyed, leaf }
    var kind = Kind.none
    var dictionary: [String: Any] = [:]
    var list: [Any] = []
    var value: Any?

    var result: Any? {
        switch kind {
        case .none: return nil
        case .keyed: return dictionary
        case .unkeyed: return list
        case .leaf: return value
        }
    }

    /// The values stored as they are: strings, numbers, Booleans and the message table.
    static func leaf<T>(_ value: T) -> Any? {
        switch value {
        case let v as String: return v
        case let v as Int: return v
        case let v as Bool: return v
        case let v as Double: return v
        case let v as [String: String]: return v
        default: return nil
        }
    }

    func encoded<T: Encodable>(_ value: T) -> Any? { TemplateTree.tree(value) }
}

struct TreeEncoder: Encoder {
    let node = TreeNode()
    var codingPath: [any CodingKey] = []
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
        node.kind = .keyed
        return KeyedEncodingContainer(KeyedTree<Key>(node: node))
    }

    func unkeyedContainer() -> any UnkeyedEncodingContainer {
        node.kind = .unkeyed
        return UnkeyedTree(node: node)
    }

    func singleValueContainer() -> any SingleValueEncodingContainer { SingleTree(node: node) }
}

struct KeyedTree<Key: CodingKey>: KeyedEncodingContainerProtocol {
    let node: TreeNode
    var codingPath: [any CodingKey] { [] }

    private func put(_ value: Any?, _ key: Key) {
        if let value { node.dictionary[TemplateTree.snakeCase(key.stringValue)] = value }
    }

    mutating func encodeNil(forKey key: Key) {}
    mutating func encode(_ value: Bool, forKey key: Key) { put(value, key) }
    mutating func encode(_ value: String, forKey key: Key) { put(value, key) }
    mutating func encode(_ value: Double, forKey key: Key) { put(value, key) }
    mutating func encode(_ value: Float, forKey key: Key) { put(value, key) }
    mutating func encode(_ value: Int, forKey key: Key) { put(value, key) }
    mutating func encode(_ value: Int8, forKey key: Key) { put(value, key) }
    mutating func encode(_ value: Int16, forKey key: Key) { put(value, key) }
    mutating func encode(_ value: Int32, forKey key: Key) { put(value, key) }
    mutating func encode(_ value: Int64, forKey key: Key) { put(value, key) }
    mutating func encode(_ value: UInt, forKey key: Key) { put(value, key) }
    mutating func encode(_ value: UInt8, forKey key: Key) { put(value, key) }
    mutating func encode(_ value: UInt16, forKey key: Key) { put(value, key) }
    mutating func encode(_ value: UInt32, forKey key: Key) { put(value, key) }
    mutating func encode(_ value: UInt64, forKey key: Key) { put(value, key) }
    mutating func encode<T: Encodable>(_ value: T, forKey key: Key) { put(node.encoded(value), key) }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type, forKey key: Key)
        -> KeyedEncodingContainer<NestedKey> {
        preconditionFailure("page models encode nested values as their own types")
    }
    mutating func nestedUnkeyedContainer(forKey key: Key) -> any UnkeyedEncodingContainer {
        preconditionFailure("page models encode nested values as their own types")
    }
    mutating func superEncoder() -> any Encoder { preconditionFailure("page models have no superclass") }
    mutating func superEncoder(forKey key: Key) -> any Encoder { preconditionFailure("page models have no superclass") }
}

struct UnkeyedTree: UnkeyedEncodingContainer {
    let node: TreeNode
    var codingPath: [any CodingKey] { [] }
    var count: Int { node.list.count }

    private func put(_ value: Any?) { if let value { node.list.append(value) } }

    mutating func encodeNil() {}
    mutating func encode(_ value: Bool) { put(value) }
    mutating func encode(_ value: String) { put(value) }
    mutating func encode(_ value: Double) { put(value) }
    mutating func encode(_ value: Float) { put(value) }
    mutating func encode(_ value: Int) { put(value) }
    mutating func encode(_ value: Int8) { put(value) }
    mutating func encode(_ value: Int16) { put(value) }
    mutating func encode(_ value: Int32) { put(value) }
    mutating func encode(_ value: Int64) { put(value) }
    mutating func encode(_ value: UInt) { put(value) }
    mutating func encode(_ value: UInt8) { put(value) }
    mutating func encode(_ value: UInt16) { put(value) }
    mutating func encode(_ value: UInt32) { put(value) }
    mutating func encode(_ value: UInt64) { put(value) }
    mutating func encode<T: Encodable>(_ value: T) { put(node.encoded(value)) }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type) -> KeyedEncodingContainer<NestedKey> {
        preconditionFailure("page models encode nested values as their own types")
    }
    mutating func nestedUnkeyedContainer() -> any UnkeyedEncodingContainer {
        preconditionFailure("page models encode nested values as their own types")
    }
    mutating func superEncoder() -> any Encoder { preconditionFailure("page models have no superclass") }
}

struct SingleTree: SingleValueEncodingContainer {
    let node: TreeNode
    var codingPath: [any CodingKey] { [] }

    private func put(_ value: Any?) {
        node.kind = .leaf
        node.value = value
    }

    mutating func encodeNil() { node.kind = .none }
    mutating func encode(_ value: Bool) { put(value) }
    mutating func encode(_ value: String) { put(value) }
    mutating func encode(_ value: Double) { put(value) }
    mutating func encode(_ value: Float) { put(value) }
    mutating func encode(_ value: Int) { put(value) }
    mutating func encode(_ value: Int8) { put(value) }
    mutating func encode(_ value: Int16) { put(value) }
    mutating func encode(_ value: Int32) { put(value) }
    mutating func encode(_ value: Int64) { put(value) }
    mutating func encode(_ value: UInt) { put(value) }
    mutating func encode(_ value: UInt8) { put(value) }
    mutating func encode(_ value: UInt16) { put(value) }
    mutating func encode(_ value: UInt32) { put(value) }
    mutating func encode(_ value: UInt64) { put(value) }
    mutating func encode<T: Encodable>(_ value: T) {
        let tree = node.encoded(value)
        if tree == nil { node.kind = .none } else { put(tree) }
    }
}
