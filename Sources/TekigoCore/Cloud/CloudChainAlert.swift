import Foundation

/// How a provider's standing dropped in a registry re-import (issue 15 item 5): what every organization using it,
/// and every customer above them that sees it, is told.
public enum CloudStandingDrop: String, Sendable, Hashable, Codable, CaseIterable {
    /// Was "FedRAMP Authorized", now another status.
    case lostAuthorization = "lost-authorization"
    /// Still authorized, but its impact level fell below the Moderate baseline (Low, LI-SaaS, 20x Low, or unknown).
    case belowModerate = "below-moderate"
    /// Was authorized at Moderate or above and is no longer on the Marketplace at all.
    case delisted

    public var label: LocalizedText {
        switch self {
        case .lostAuthorization: return LocalizedText(en: "no longer FedRAMP Authorized", ja: "FedRAMP 認可が外れました")
        case .belowModerate: return LocalizedText(en: "now below the Moderate baseline", ja: "Moderate ベースラインを下回りました")
        case .delisted: return LocalizedText(en: "no longer listed on the FedRAMP Marketplace", ja: "FedRAMP Marketplace から削除されました")
        }
    }
}

/// One field of one product as a re-import changed it (the registry's `CloudProductChange`, as plain values).
public struct CloudFieldChange: Sendable, Hashable {
    public let packageID: String
    public let field: CloudProductField
    public let oldValue: String?
    public let newValue: String?

    public init(packageID: String, field: CloudProductField, oldValue: String?, newValue: String?) {
        self.packageID = packageID
        self.field = field
        self.oldValue = oldValue
        self.newValue = newValue
    }
}

/// A product's status and impact level as the Marketplace prints them.
public struct CloudMarketplaceStanding: Sendable, Hashable {
    public let status: String
    public let impactLevel: String

    public init(status: String, impactLevel: String) {
        self.status = status
        self.impactLevel = impactLevel
    }

    /// "FedRAMP Moderate authorized" as DFARS 252.204-7012(b)(2)(ii)(D) reads it
    /// (`FedRAMPProduct.isAuthorizedModerateOrAbove(status:impactLevel:)`).
    public var meetsModerate: Bool { FedRAMPProduct.isAuthorizedModerateOrAbove(status: status, impactLevel: impactLevel) }
}

/// The rule that decides who is alerted after a re-import: a product that met the Moderate baseline as authorized
/// before the import and does not after it. A product that was below Moderate already, or only changed assessor or
/// annual assessment, alerts nobody.
public enum CloudChainAlertRule {
    /// The drop for one product, from its standing before and after (nil after: no longer listed).
    public static func drop(before: CloudMarketplaceStanding, after: CloudMarketplaceStanding?) -> CloudStandingDrop? {
        guard before.meetsModerate else { return nil }
        guard let after else { return .delisted }
        if after.meetsModerate { return nil }
        return after.status != FedRAMPStatus.authorized.rawValue ? .lostAuthorization : .belowModerate
    }

    /// The drops among `changes`, by package id. `current` is each product's standing after the import (absent for a
    /// product no longer listed); a field the import did not change had the same value before. A product that left
    /// the Marketplace has only its `listed` change, so its standing before is not known from the changes alone:
    /// `before` gives it when known (the registry as it was); without it, leaving the Marketplace counts as `delisted`.
    public static func drops(changes: [CloudFieldChange], current: [String: CloudMarketplaceStanding],
                             before known: [String: CloudMarketplaceStanding] = [:]) -> [String: CloudStandingDrop] {
        var out: [String: CloudStandingDrop] = [:]
        for (id, fields) in Dictionary(grouping: changes, by: \.packageID) {
            let listed = fields.first { $0.field == .listed }
            let after = current[id]
            let before: CloudMarketplaceStanding?
            if let listed {
                // Appeared: nothing before. Left: judged on what was known of it, else counted as a drop (whoever relies
                // on it can no longer point to the Marketplace).
                guard listed.oldValue != nil else { continue }
                guard let b = known[id] else { out[id] = .delisted; continue }
                before = b
            } else if let after {
                let status = fields.first { $0.field == .status }.map(\.oldValue) ?? after.status
                let level = fields.first { $0.field == .impactLevel }.map(\.oldValue) ?? after.impactLevel
                before = CloudMarketplaceStanding(status: status ?? "", impactLevel: level ?? "")
            } else {
                before = nil
            }
            if let before, let d = drop(before: before, after: after) { out[id] = d }
        }
        return out
    }
}
