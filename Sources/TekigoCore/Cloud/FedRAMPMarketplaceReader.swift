import Foundation

/// What a Marketplace file read into: its products, the date GSA stamped on it, and what was odd in it.
public struct FedRAMPMarketplaceFile: Sendable, Hashable {
    /// `meta.last_change` as written (an ISO 8601 instant), nil when the file has none.
    public let lastChange: String?
    public let products: [FedRAMPProduct]
    public let warnings: [FedRAMPReadWarning]

    /// `lastChange`'s date part (YYYY-MM-DD), when it has one.
    public var fileDate: String? {
        guard let t = lastChange, t.count >= 10, Day(String(t.prefix(10))) != nil else { return nil }
        return String(t.prefix(10))
    }

    /// Every link between two products, as (provider, built on it).
    public var links: [(provider: String, consumer: String)] {
        products.flatMap { p in p.builtOnThis.map { (p.packageID, $0) } }
    }
}

/// Something in a Marketplace file that Tekigo read around: a field missing, of another type, or unknown, or a value it
/// does not know. Named by the field and the product (its package id, or its position when it has none).
public struct FedRAMPReadWarning: Sendable, Hashable, Codable, CustomStringConvertible {
    public enum Kind: String, Sendable, Hashable, Codable {
        case missingField = "missing-field"
        case wrongType = "wrong-type"
        case unknownField = "unknown-field"
        case unknownValue = "unknown-value"
        case unknownLink = "unknown-link"
        /// A product's `leveraged_systems` names the product itself (seven rows of the 2026-04-28 file do).
        case selfLink = "self-link"
        case productSkipped = "product-skipped"
    }

    public let kind: Kind
    /// The package id, or `#N` (1-based position in `data.Products`) when the product has no id.
    public let product: String
    public let field: String
    public let value: String?

    public init(kind: Kind, product: String, field: String, value: String? = nil) {
        self.kind = kind
        self.product = product
        self.field = field
        self.value = value
    }

    public var description: String { message.en }

    public var message: LocalizedText {
        let v = value ?? ""
        switch kind {
        case .missingField:
            return LocalizedText(en: "\(product): field '\(field)' is missing; left empty.", ja: "\(product): 項目「\(field)」がありません。空として読みました。")
        case .wrongType:
            return LocalizedText(en: "\(product): field '\(field)' is not of the expected type; left empty.",
                                 ja: "\(product): 項目「\(field)」の型が想定と違います。空として読みました。")
        case .unknownField:
            return LocalizedText(en: "\(product): field '\(field)' is not known to Tekigo; ignored.", ja: "\(product): 項目「\(field)」は Tekigo の知らない項目です。無視しました。")
        case .unknownValue:
            return LocalizedText(en: "\(product): field '\(field)' has a value Tekigo does not know ('\(v)'); kept as written.",
                                 ja: "\(product): 項目「\(field)」の値「\(v)」は Tekigo の知らない値です。そのまま記録しました。")
        case .unknownLink:
            return LocalizedText(en: "\(product): '\(field)' names '\(v)', which is not a product of this file; that link is left out.",
                                 ja: "\(product): 「\(field)」が挙げる「\(v)」はこのファイルの製品にありません。そのリンクは取り込みません。")
        case .selfLink:
            return LocalizedText(en: "\(product): '\(field)' names the product itself; that link is left out.",
                                 ja: "\(product): 「\(field)」がこの製品自身を挙げています。そのリンクは取り込みません。")
        case .productSkipped:
            return LocalizedText(en: "\(product): no package id ('\(field)'); the product is left out.",
                                 ja: "\(product): パッケージ ID（「\(field)」）がないため、この製品は取り込みません。")
        }
    }
}

/// Why a Marketplace file cannot be imported at all, in both languages: nothing of it is stored.
public enum FedRAMPReadError: Error, Sendable, Hashable, CustomStringConvertible {
    /// Not JSON, or cut short (a truncated download).
    case notJSON(detail: String)
    /// JSON, but not the Marketplace's shape (`data.Products` as a list of objects); `path` says what was missing.
    case wrongShape(path: String)
    /// No product with a package id.
    case noProducts
    /// Package ids that occur more than once.
    case duplicatePackageIDs([String])

    public var description: String { message.en }

    public var message: LocalizedText {
        switch self {
        case .notJSON(let d):
            return LocalizedText(en: "The file is not complete JSON (\(d)); it may be truncated: download the FedRAMP Marketplace data.json again. Nothing was imported.",
                                 ja: "ファイルが完全な JSON ではありません（\(d)）。途中で切れている可能性があります。FedRAMP Marketplace の data.json を取得し直してください。何も取り込んでいません。")
        case .wrongShape(let p):
            return LocalizedText(en: "The file is not the FedRAMP Marketplace data.json: '\(p)' is missing or not of the expected kind. Nothing was imported.",
                                 ja: "ファイルは FedRAMP Marketplace の data.json ではありません。「\(p)」がないか、想定と違う形です。何も取り込んでいません。")
        case .noProducts:
            return LocalizedText(en: "The file lists no product with a package id; the registry was left as it was.",
                                 ja: "ファイルにパッケージ ID を持つ製品が 1 件もありません。レジストリは変更していません。")
        case .duplicatePackageIDs(let ids):
            let list = ids.prefix(20).joined(separator: ", ")
            return LocalizedText(en: "Package ids occur more than once: \(list). Nothing was imported.",
                                 ja: "同じパッケージ ID が複数回現れます: \(list)。何も取り込んでいません。")
        }
    }
}

/// Reads GSA's FedRAMP Marketplace `data.json` (standards-facts §9.3): `data.Products[]`, each with `id`, `csp`, `cso`,
/// `status`, `impact_level`, `auth_type`, `auth_date`, `annual_assessment`, `independent_assessor`, `service_model[]`,
/// `leveraged_systems[]` (the products built on this one) and the agency authorizations. Pure: bytes in, products out.
///
/// The schema drifts, so a missing or unknown field, a value of another type or a status / impact level Tekigo does not
/// know is a warning naming the field and the product, never a failure. A file that is not JSON (a truncated download),
/// of another shape, with no product, or with a package id twice is refused whole.
public enum FedRAMPMarketplaceReader {
    /// The product fields of the 2026-04-28 file (44 of them): anything else is an unknown field.
    public static let knownFields: Set<String> = [
        "id", "name", "csp", "cso", "logo", "service_offering", "status", "authorization", "reuse", "ready_status", "ready_date",
        "ip_jab_status", "ip_jab_date", "ip_prog_status", "ip_prog_date", "ip_prog_date2", "ip_agency_status", "ip_agency_date",
        "ip_pmo_status", "ip_pmo_date", "auth_date", "auth_type", "fedramp_ready", "partnering_agency", "fedramp_auth",
        "annual_assessment", "independent_assessor", "service_model", "deployment_model", "impact_level", "impact_level_number",
        "leveraged_systems", "agency_authorizations", "agency_reuse", "service_desc", "fedramp_msg", "sales_email",
        "security_email", "website", "uei", "small_business", "business_function", "service_last_90", "all_others",
        "filter_classes",
    ]

    /// Fields whose absence is worth a warning: those Tekigo stores.
    static let requiredFields = ["csp", "cso", "status", "impact_level", "auth_type", "auth_date", "annual_assessment",
                                 "independent_assessor", "service_model", "leveraged_systems", "agency_authorizations"]

    public static func read(_ data: Data) throws(FedRAMPReadError) -> FedRAMPMarketplaceFile {
        let root: Any
        do {
            root = try JSONSerialization.jsonObject(with: data, options: [])
        } catch {
            let ns = error as NSError
            let detail = (ns.userInfo[NSDebugDescriptionErrorKey] as? String) ?? "\(data.count) bytes"
            throw .notJSON(detail: detail)
        }
        guard let top = root as? [String: Any] else { throw .wrongShape(path: "(top level object)") }
        guard let dataObject = top["data"] as? [String: Any] else { throw .wrongShape(path: "data") }
        guard let list = dataObject["Products"] as? [Any] else { throw .wrongShape(path: "data.Products") }
        let lastChange = (top["meta"] as? [String: Any])?["last_change"] as? String

        var warnings: [FedRAMPReadWarning] = []
        var products: [FedRAMPProduct] = []
        products.reserveCapacity(list.count)
        var seen: [String: Int] = [:]
        for (index, element) in list.enumerated() {
            let position = "#\(index + 1)"
            guard let object = element as? [String: Any] else {
                warnings.append(FedRAMPReadWarning(kind: .productSkipped, product: position, field: "id"))
                continue
            }
            guard let rawID = object["id"] as? String, case let id = rawID.trimmingCharacters(in: .whitespacesAndNewlines), !id.isEmpty else {
                warnings.append(FedRAMPReadWarning(kind: .productSkipped, product: position, field: "id"))
                continue
            }
            seen[id, default: 0] += 1
            products.append(readProduct(object, id: id, warnings: &warnings))
        }
        let duplicates = seen.filter { $0.value > 1 }.map(\.key).sorted()
        guard duplicates.isEmpty else { throw .duplicatePackageIDs(duplicates) }
        guard !products.isEmpty else {
            if list.isEmpty { throw .noProducts }
            throw .wrongShape(path: "data.Products[].id")
        }

        // Links naming a product absent from this file are left out (and said).
        let ids = Set(products.map(\.packageID))
        for i in products.indices {
            var kept: [String] = []
            var seenLinks: Set<String> = []
            for target in products[i].builtOnThis where seenLinks.insert(target).inserted {
                if target == products[i].packageID {
                    warnings.append(FedRAMPReadWarning(kind: .selfLink, product: target, field: "leveraged_systems", value: target))
                } else if ids.contains(target) {
                    kept.append(target)
                } else {
                    warnings.append(FedRAMPReadWarning(kind: .unknownLink, product: products[i].packageID, field: "leveraged_systems", value: target))
                }
            }
            products[i].builtOnThis = kept
        }
        return FedRAMPMarketplaceFile(lastChange: lastChange, products: products, warnings: warnings)
    }

    static func readProduct(_ o: [String: Any], id: String, warnings: inout [FedRAMPReadWarning]) -> FedRAMPProduct {
        for key in o.keys where !knownFields.contains(key) {
            warnings.append(FedRAMPReadWarning(kind: .unknownField, product: id, field: key))
        }
        for key in requiredFields where o[key] == nil || o[key] is NSNull {
            // `agency_authorizations` may be stood in for by `authorization` (a count).
            if key == "agency_authorizations", o["authorization"] != nil { continue }
            warnings.append(FedRAMPReadWarning(kind: .missingField, product: id, field: key))
        }
        func text(_ key: String) -> String? {
            guard let v = o[key], !(v is NSNull) else { return nil }
            if let s = v as? String {
                let t = s.trimmingCharacters(in: .whitespacesAndNewlines)
                return t.isEmpty ? nil : t
            }
            warnings.append(FedRAMPReadWarning(kind: .wrongType, product: id, field: key))
            return nil
        }
        func texts(_ key: String) -> [String] {
            guard let v = o[key], !(v is NSNull) else { return [] }
            if let list = v as? [Any] {
                return list.compactMap { ($0 as? String)?.trimmingCharacters(in: .whitespacesAndNewlines) }.filter { !$0.isEmpty }
            }
            warnings.append(FedRAMPReadWarning(kind: .wrongType, product: id, field: key))
            return []
        }
        func count(_ key: String) -> Int? {
            guard let v = o[key], !(v is NSNull) else { return nil }
            if let n = v as? Int { return max(0, n) }
            if let n = v as? Double, n.isFinite { return max(0, Int(n)) }
            if let s = v as? String, let n = Int(s) { return max(0, n) }
            warnings.append(FedRAMPReadWarning(kind: .wrongType, product: id, field: key))
            return nil
        }

        let status = text("status") ?? ""
        if !status.isEmpty, FedRAMPStatus(rawValue: status) == nil {
            warnings.append(FedRAMPReadWarning(kind: .unknownValue, product: id, field: "status", value: status))
        }
        let impact = text("impact_level") ?? ""
        if !impact.isEmpty, FedRAMPImpactLevel(rawValue: impact) == nil {
            warnings.append(FedRAMPReadWarning(kind: .unknownValue, product: id, field: "impact_level", value: impact))
        }

        var links: [String] = []
        if let v = o["leveraged_systems"], !(v is NSNull) {
            if let list = v as? [Any] {
                for item in list {
                    if let entry = item as? [String: Any], let target = entry["id"] as? String {
                        let t = target.trimmingCharacters(in: .whitespacesAndNewlines)
                        if !t.isEmpty { links.append(t) }
                    } else if let target = item as? String, !target.isEmpty {
                        links.append(target)
                    } else {
                        warnings.append(FedRAMPReadWarning(kind: .wrongType, product: id, field: "leveraged_systems[].id"))
                    }
                }
            } else {
                warnings.append(FedRAMPReadWarning(kind: .wrongType, product: id, field: "leveraged_systems"))
            }
        }

        let agencies: Int
        if let v = o["agency_authorizations"], !(v is NSNull) {
            if let list = v as? [Any] {
                agencies = list.compactMap { $0 as? String }.filter { !$0.trimmingCharacters(in: .whitespaces).isEmpty }.count
            } else {
                warnings.append(FedRAMPReadWarning(kind: .wrongType, product: id, field: "agency_authorizations"))
                agencies = count("authorization") ?? 0
            }
        } else {
            agencies = count("authorization") ?? 0
        }

        return FedRAMPProduct(packageID: id, csp: text("csp") ?? "", cso: text("cso") ?? text("service_offering") ?? "",
                              status: status, impactLevel: impact, authType: text("auth_type"), authDate: day(text("auth_date")),
                              annualAssessment: text("annual_assessment"), independentAssessor: text("independent_assessor"),
                              serviceModels: texts("service_model"), deploymentModel: text("deployment_model"),
                              agencyAuthorizations: agencies, reuse: count("reuse") ?? 0, description: text("service_desc"),
                              website: text("website"), builtOnThis: links)
    }

    /// The date part of an ISO 8601 instant ("2017-02-02T20:00:00.000Z" → "2017-02-02"); nil for "Not Active" and
    /// anything else that is not a date.
    static func day(_ text: String?) -> String? {
        guard let t = text, t.count >= 10 else { return nil }
        let d = String(t.prefix(10))
        return Day(d) != nil ? d : nil
    }
}
