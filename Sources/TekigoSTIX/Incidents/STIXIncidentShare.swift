import Foundation
import TekigoCore

/// What a share from an incident carries besides the chosen observables (issue 14 item 5). Everything that could name
/// the organization, a customer, a contract or a report stays out unless asked for.
public struct STIXIncidentShareOptions: Sendable, Hashable {
    /// The TLP 2.0 marking and the exporter's three choices (narrative, contracts, report numbers).
    public var export: STIXIncidentExportOptions
    /// The organization's name on its identity and the incident's own title. Off: the identity is "an organization
    /// (name withheld)" and the incident is named by its discovery day, so an unlisted member of a community is not
    /// named to the others by what it shares.
    public var includeNames: Bool
    /// Mark every object CUI with the STIX CUI marking extension (the organization as the designator): the
    /// publishing rules then let it reach only organizations authorized for CUI.
    public var markCUI: Bool
    /// When the share is made (the preview's instant; publishing recomputes with the same instant). Every object with
    /// a `modified` gets this as its new version, so sharing again makes new versions of the same objects.
    public var sharedAt: Date

    public init(export: STIXIncidentExportOptions, includeNames: Bool = false, markCUI: Bool = false, sharedAt: Date) {
        self.export = export
        self.includeNames = includeNames
        self.markCUI = markCUI
        self.sharedAt = sharedAt
    }
}

/// A share's bundle and, for the preview, a line per object that would leave.
public struct STIXIncidentShare: Sendable, Hashable {
    public struct Line: Sendable, Hashable {
        public let type: String
        public let id: String
        /// What the object says, in a phrase ("Indicator: [ipv4-addr:value = '198.51.100.7']").
        public let summary: LocalizedText
    }

    public let bundle: STIXBundle
    /// The bundle as JSON (sorted keys): exactly what leaves.
    public let json: Data
    public let lines: [Line]
}

/// Builds the bundle shared from an incident: the incident as `STIXIncidentExporter` makes it (identity, incident with
/// the Incident Core extension, discovery task, the TLP marking), and for each chosen observable its cyber-observable
/// (ipv4-addr, ipv6-addr, domain-name, url, email-addr, file with the hash) and an `indicator` whose pattern is parsed
/// by `STIXPattern` before it is written, or for a CVE a `vulnerability`; each tied to the incident by a `related-to`
/// relationship. Every object carries the chosen TLP (and the CUI marking when chosen).
///
/// Deterministic: the same dossier, observables and options give the same bytes. Ids are name-based: domain objects
/// from the organization, the incident and the value (Tekigo's namespace), cyber-observables as STIX 2.1 §2.9 says
/// (UUIDv5 in the observables' namespace over their identifying property), so sharing again makes new versions of the
/// same objects, never new objects.
public enum STIXIncidentShareBuilder {
    /// The name the identity carries when names are withheld.
    public static let withheldName = "Organization (name withheld)"

    public static func share(_ dossier: IncidentDossier, observables: [STIXShareObservable],
                             options: STIXIncidentShareOptions) throws(STIXPatternError) -> STIXIncidentShare {
        let org = dossier.organization.id
        let base = STIXIncidentExporter.bundle(dossier, options: options.export)
        let at = STIXTimestamp(options.sharedAt)
        let identity = STIXIncidentExporter.identityID(organizationID: org)
        let incident = STIXIncidentExporter.incidentID(organizationID: org, incidentID: dossier.id)
        let tlpID = options.export.marking.markingID
        var markingRefs: [JSONValue] = [.string(tlpID.rawValue)]
        var cuiDefinition: STIXObject?
        if options.markCUI {
            let id = STIXIdentifier.nameBased(type: "marking-definition", namespace: STIXIdentifier.tekigoNamespace,
                                              name: "tekigo/cui-marking/\(org)")
            cuiDefinition = STIXObject(made: id, [
                "created": .string(STIXIncidentExporter.identityCreated.description),
                "name": "CUI",
                "created_by_ref": .string(identity.rawValue),
                "extensions": [CUIMarking.extensionID.rawValue: [
                    "extension_type": "property-extension", "control": "CUI", "designator_ref": .string(identity.rawValue),
                ]],
            ])
            markingRefs.append(.string(id.rawValue))
        }

        // The exporter's objects, versioned at the share's instant, names withheld unless chosen, CUI-marked when chosen.
        var objects: [STIXObject] = []
        for o in base.objects {
            guard o.type != "marking-definition" else { objects.append(o); continue }
            var p = o.properties
            if let created = o.created { p["modified"] = .string(max(created, at).description) }
            p["object_marking_refs"] = .array(markingRefs)
            if !options.includeNames {
                if o.id == identity { p["name"] = .string(withheldName) }
                if o.id == incident {
                    let day = String(STIXTimestamp(dossier.facts.discoveredAt).description.prefix(10))
                    p["name"] = .string("Cyber incident discovered \(day)")
                }
            }
            objects.append(STIXObject(made: o.id, p))
        }
        if let cuiDefinition { objects.insert(cuiDefinition, at: 1) }

        var lines: [STIXIncidentShare.Line] = []
        func line(_ o: STIXObject, _ en: String, _ ja: String) {
            lines.append(.init(type: o.type, id: o.id.rawValue, summary: LocalizedText(en: en, ja: ja)))
        }
        for o in objects {
            switch o.type {
            case "marking-definition":
                let name = o["name"]?.stringValue ?? o.id.rawValue
                line(o, "Marking: \(name)", "マーキング：\(name)")
            case "identity":
                let name = o["name"]?.stringValue ?? ""
                line(o, "Your organization as the source: \(name)", "情報源としての自組織：\(name)")
            case "incident":
                var en = "Incident: \(o["name"]?.stringValue ?? "")", ja = "インシデント：\(o["name"]?.stringValue ?? "")"
                if o["description"] != nil { en += "; with the narrative"; ja += "（経緯の記述を含む）" }
                if let refs = o["external_references"]?.arrayValue, !refs.isEmpty {
                    let ids = refs.compactMap { $0.objectValue?["external_id"]?.stringValue }.joined(separator: ", ")
                    en += "; references: \(ids)"; ja += "（参照：\(ids)）"
                }
                line(o, en, ja)
            case "task":
                line(o, "Discovery task (the discovery time)", "発見タスク（発見日時）")
            default:
                break
            }
        }

        let unique = Dictionary(observables.map { ($0.kind.rawValue + "|" + $0.value, $0) }, uniquingKeysWith: { a, b in a.recordedAt <= b.recordedAt ? a : b })
        for key in unique.keys.sorted() {
            let obs = unique[key]!
            let created = STIXTimestamp(obs.recordedAt)
            let modified = max(created, at)
            func sdoID(_ type: String) -> STIXIdentifier {
                .nameBased(type: type, namespace: STIXIdentifier.tekigoNamespace,
                           name: "tekigo/incident-share/\(org)/\(dossier.id)/\(type)/\(obs.kind.rawValue)/\(obs.value)")
            }
            let target: STIXObject
            if obs.kind == .cve {
                target = STIXObject(made: sdoID("vulnerability"), [
                    "created": .string(created.description), "modified": .string(modified.description),
                    "created_by_ref": .string(identity.rawValue), "name": .string(obs.value),
                    "external_references": [["source_name": "cve", "external_id": .string(obs.value)]],
                    "object_marking_refs": .array(markingRefs),
                ])
                objects.append(target)
                line(target, "Vulnerability: \(obs.value)", "脆弱性：\(obs.value)")
            } else {
                let sco = observableObject(obs, markingRefs: markingRefs)
                objects.append(sco)
                line(sco, "Observable (\(obs.kind.label.en)): \(obs.value)", "観測値（\(obs.kind.label.ja)）：\(obs.value)")
                let pattern = try STIXPattern.equality(try path(obs.kind), obs.value)
                // Parsed once more from its text, as a receiver will.
                _ = try STIXPattern.parse(pattern.text)
                target = STIXObject(made: sdoID("indicator"), [
                    "created": .string(created.description), "modified": .string(modified.description),
                    "created_by_ref": .string(identity.rawValue),
                    "name": .string("\(obs.kind.label.en): \(obs.value)"),
                    "indicator_types": ["malicious-activity"],
                    "pattern": .string(pattern.text), "pattern_type": "stix", "valid_from": .string(created.description),
                    "object_marking_refs": .array(markingRefs),
                ])
                objects.append(target)
                line(target, "Indicator: \(pattern.text)", "インディケータ：\(pattern.text)")
                let based = STIXObject(made: .nameBased(type: "relationship", namespace: STIXIdentifier.tekigoNamespace,
                                                        name: "tekigo/incident-share/\(org)/\(dossier.id)/based-on/\(obs.kind.rawValue)/\(obs.value)"), [
                    "created": .string(created.description), "modified": .string(modified.description),
                    "created_by_ref": .string(identity.rawValue), "relationship_type": "based-on",
                    "source_ref": .string(target.id.rawValue), "target_ref": .string(sco.id.rawValue),
                    "object_marking_refs": .array(markingRefs),
                ])
                objects.append(based)
                line(based, "Relationship: the indicator is based on the observable", "関係：インディケータはこの観測値に基づく")
            }
            let related = STIXObject(made: sdoID("relationship"), [
                "created": .string(created.description), "modified": .string(modified.description),
                "created_by_ref": .string(identity.rawValue), "relationship_type": "related-to",
                "source_ref": .string(target.id.rawValue), "target_ref": .string(incident.rawValue),
                "object_marking_refs": .array(markingRefs),
            ])
            objects.append(related)
            line(related, "Relationship: \(obs.value) is related to the incident", "関係：\(obs.value) はインシデントに関連")
        }

        let flags = [options.export.includeNarrative, options.export.includeContracts, options.export.includeReportNumbers,
                     options.includeNames, options.markCUI].map { $0 ? "1" : "0" }.joined()
        let bundleID = STIXIdentifier.nameBased(type: "bundle", namespace: STIXIdentifier.tekigoNamespace,
                                                name: "tekigo/incident-share/\(incident.rawValue)/\(at)/\(options.export.marking.rawValue)/\(flags)/"
                                                    + unique.keys.sorted().joined(separator: ","))
        let bundle = STIXBundle(id: bundleID, objects: objects)
        let json: Data
        do { json = try bundle.jsonData() } catch { preconditionFailure("Tekigo's share bundle does not encode: \(error)") }
        return STIXIncidentShare(bundle: bundle, json: json, lines: lines)
    }

    /// The pattern's object path for a kind (not for a CVE, which has no pattern).
    static func path(_ kind: STIXObservableKind) throws(STIXPatternError) -> STIXObjectPath {
        switch kind {
        case .ipv4: return STIXObjectPath(objectType: "ipv4-addr", property: "value")
        case .ipv6: return STIXObjectPath(objectType: "ipv6-addr", property: "value")
        case .domain: return STIXObjectPath(objectType: "domain-name", property: "value")
        case .url: return STIXObjectPath(objectType: "url", property: "value")
        case .email: return STIXObjectPath(objectType: "email-addr", property: "value")
        case .md5: return try STIXObjectPath.parse("file:hashes.MD5")
        case .sha1: return try STIXObjectPath.parse("file:hashes.'SHA-1'")
        case .sha256: return try STIXObjectPath.parse("file:hashes.'SHA-256'")
        case .cve: throw STIXPatternError(position: 0, reason: "a CVE id is shared as a vulnerability, not as a pattern")
        }
    }

    /// The cyber-observable for a value, its id as STIX 2.1 §2.9 makes it: UUIDv5 in the observables' namespace over
    /// the canonical JSON of its identifying property (`value`, or `hashes` for a file).
    static func observableObject(_ obs: STIXShareObservable, markingRefs: [JSONValue]) -> STIXObject {
        let type: String
        var contributing: [String: JSONValue]
        switch obs.kind {
        case .ipv4: type = "ipv4-addr"; contributing = ["value": .string(obs.value)]
        case .ipv6: type = "ipv6-addr"; contributing = ["value": .string(obs.value)]
        case .domain: type = "domain-name"; contributing = ["value": .string(obs.value)]
        case .url: type = "url"; contributing = ["value": .string(obs.value)]
        case .email: type = "email-addr"; contributing = ["value": .string(obs.value)]
        case .md5: type = "file"; contributing = ["hashes": ["MD5": .string(obs.value)]]
        case .sha1: type = "file"; contributing = ["hashes": ["SHA-1": .string(obs.value)]]
        case .sha256, .cve: type = "file"; contributing = ["hashes": ["SHA-256": .string(obs.value)]]
        }
        let id = STIXIdentifier.nameBased(type: type, namespace: STIXIdentifier.observableNamespace, name: canonical(.object(contributing)))
        var p = contributing
        p["object_marking_refs"] = .array(markingRefs)
        return STIXObject(made: id, p)
    }

    /// RFC 8785 canonical JSON for the strings and objects an identifying property holds (keys sorted, strings escaped
    /// as JSON requires and nothing more).
    static func canonical(_ v: JSONValue) -> String {
        switch v {
        case .string(let s):
            var out = "\""
            for u in s.unicodeScalars {
                switch u {
                case "\"": out += "\\\""
                case "\\": out += "\\\\"
                case "\n": out += "\\n"
                case "\r": out += "\\r"
                case "\t": out += "\\t"
                case "\u{08}": out += "\\b"
                case "\u{0C}": out += "\\f"
                default:
                    if u.value < 0x20 { out += String(format: "\\u%04x", u.value) } else { out.unicodeScalars.append(u) }
                }
            }
            return out + "\""
        case .object(let o):
            return "{" + o.keys.sorted { Array($0.utf16).lexicographicallyPrecedes(Array($1.utf16)) }
                .map { canonical(.string($0)) + ":" + canonical(o[$0]!) }.joined(separator: ",") + "}"
        case .array(let a):
            return "[" + a.map(canonical).joined(separator: ",") + "]"
        default:
            return String(decoding: (try? v.encoded(pretty: false)) ?? Data(), as: UTF8.self)
        }
    }
}
