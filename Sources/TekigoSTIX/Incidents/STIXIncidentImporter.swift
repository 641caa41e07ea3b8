import Foundation
import TekigoCore

/// Something in imported STIX content that Tekigo did not keep, or read in a way worth knowing, named by the object
/// and property it is about.
public struct STIXImportWarning: Sendable, Hashable, CustomStringConvertible {
    /// The object's id (or the bundle's, for the content as a whole).
    public let objectID: String
    /// The property, as a dotted path under the object (`extensions.extension-definition--….events`); nil for the
    /// object as a whole.
    public let property: String?
    public let text: LocalizedText

    public init(objectID: String, property: String?, text: LocalizedText) {
        self.objectID = objectID
        self.property = property
        self.text = text
    }

    public var description: String { "\(objectID)\(property.map { " \($0)" } ?? ""): \(text.en)" }
}

/// What Tekigo models of a STIX incident. Optional fields were absent from the content (or held only values Tekigo has
/// no equivalent for, which a warning names); the caller decides what an incident record takes for them.
public struct ImportedIncident: Sendable, Hashable {
    public let id: STIXIdentifier
    public let created: STIXTimestamp
    public let modified: STIXTimestamp
    /// `name`.
    public let title: String
    /// `description`: the narrative.
    public let description: String?
    /// `start_time` of the incident's discovery task (the earliest, if several).
    public let discoveredAt: Date?
    /// The first `detection_methods` value Tekigo knows.
    public let detectionMethod: DetectionMethod?
    /// From `incident_types`: unauthorized access or release.
    public let compromiseType: CompromiseType?
    /// From `determination`.
    public let outcome: IncidentOutcome?
    /// From `investigation_status`: new → detected, open → analysing, closed → closed.
    public let phase: IncidentPhase?
    /// The label `exercise` (Tekigo's exports of exercises carry it).
    public let exercise: Bool
    /// `created_by_ref`, and the identity's `name` when the content carries that identity.
    public let createdBy: STIXIdentifier?
    public let reporterName: String?
    /// `object_marking_refs`, all of them.
    public let markings: [STIXIdentifier]
    /// The most restrictive TLP level among `markings` (TLP 2.0 or 1.0 ids); nil when none is TLP.
    public let tlp: TLPMarking?
}

/// The incidents read from some STIX content and everything worth telling about what was not kept.
public struct STIXIncidentImport: Sendable, Hashable {
    public let incidents: [ImportedIncident]
    public let warnings: [STIXImportWarning]
}

/// Reads incidents from STIX 2.1 content: a bundle, a single incident object, or a list of objects. The Incident
/// Core extension is read in both of its designs — the current one (`event_refs` / `task_refs`) and the earlier one
/// (`events` / `tasks` lists of `{event_ref | task_ref, next_steps}`) — and whatever Tekigo does not model becomes a
/// warning naming it, never a failure. Content that breaks STIX's rules (a malformed id or timestamp, a missing
/// required property, a determination outside its enumeration) fails with `STIXError.invalidObject` naming the object.
public enum STIXIncidentImporter {
    public static func read(_ data: Data) throws(STIXError) -> STIXIncidentImport {
        try read(try STIXContent.read(data))
    }

    public static func read(_ content: STIXContent) throws(STIXError) -> STIXIncidentImport {
        var warnings: [STIXImportWarning] = []
        let contentName: String
        switch content.form {
        case .bundle(let id): contentName = id.rawValue
        case .singleObject: contentName = content.objects.first?.id.rawValue ?? "content"
        case .list:
            contentName = "content"
            warnings.append(STIXImportWarning(objectID: contentName, property: nil, text: LocalizedText(
                en: "the top level is a list of objects, not a bundle; read as if it were one",
                ja: "最上位がバンドルではなくオブジェクトのリストです。バンドルとして読みました")))
        }
        let byID = Dictionary(content.objects.map { ($0.id, $0) }, uniquingKeysWith: { a, b in
            (b.modified ?? b.created ?? STIXTimestamp(seconds: 0, nanoseconds: 0)) > (a.modified ?? a.created ?? STIXTimestamp(seconds: 0, nanoseconds: 0)) ? b : a
        })
        var newest: [STIXIdentifier: STIXObject] = [:]
        var order: [STIXIdentifier] = []
        for object in content.objects where object.type == "incident" {
            if newest[object.id] == nil { order.append(object.id) }
            newest[object.id] = byID[object.id]
        }
        guard !order.isEmpty else { throw .noIncident(objectCount: content.objects.count) }

        var used: Set<STIXIdentifier> = Set(order)
        var incidents: [ImportedIncident] = []
        for id in order {
            let versions = content.objects.filter { $0.id == id }.count
            if versions > 1 {
                warnings.append(STIXImportWarning(objectID: id.rawValue, property: nil, text: LocalizedText(
                    en: "\(versions) versions in the content; the newest (latest 'modified') was read, the others not kept",
                    ja: "\(versions) 個の版があります。最新（modified が最も新しいもの）を読み、他は取り込んでいません")))
            }
            do {
                var reader = IncidentReader(incident: newest[id]!, objects: byID)
                incidents.append(try reader.read())
                warnings += reader.warnings
                used.formUnion(reader.used)
            } catch {
                throw .invalidObject(id: id.rawValue, problem: error)
            }
        }

        // Everything else in the content, by type.
        var notKept: [String: [String]] = [:]
        for object in content.objects where !used.contains(object.id) {
            notKept[object.type, default: []].append(object.id.rawValue)
        }
        for type in notKept.keys.sorted() {
            // A bundle may hold one object twice (several versions, or a plain duplicate): count objects, not copies.
            var unique: [String] = []
            for i in notKept[type]! where !unique.contains(i) { unique.append(i) }
            warnings.append(STIXImportWarning(objectID: contentName, property: nil, text: LocalizedText(
                en: "\(unique.count) '\(type)' object(s) not kept (Tekigo keeps the incident, its reporter, its discovery time and its markings): \(unique.joined(separator: ", "))",
                ja: "'\(type)' オブジェクト \(unique.count) 件は取り込んでいません（取り込むのはインシデント、報告者、発見日時、マーキングです）：\(unique.joined(separator: ", "))")))
        }
        return STIXIncidentImport(incidents: incidents, warnings: warnings)
    }
}

/// Reads one incident object; collects its warnings and the ids of the other objects it drew on.
private struct IncidentReader {
    let incident: STIXObject
    let objects: [STIXIdentifier: STIXObject]
    var warnings: [STIXImportWarning] = []
    var used: Set<STIXIdentifier> = []

    init(incident: STIXObject, objects: [STIXIdentifier: STIXObject]) {
        self.incident = incident
        self.objects = objects
    }

    /// Top-level properties read into `ImportedIncident` (or that every object has).
    static let keptProperties: Set<String> = ["type", "id", "spec_version", "created", "modified", "created_by_ref", "name",
                                              "description", "object_marking_refs", "labels", "extensions"]
    /// Incident Core properties read.
    static let keptCore: Set<String> = ["extension_type", "determination", "investigation_status", "incident_types",
                                        "detection_methods"]

    mutating func warn(_ property: String?, en: String, ja: String) {
        warnings.append(STIXImportWarning(objectID: incident.id.rawValue, property: property, text: LocalizedText(en: en, ja: ja)))
    }

    mutating func read() throws(STIXProblem) -> ImportedIncident {
        guard let created = try incident.timestamp("created") else { throw .missingProperty("created") }
        guard let modified = try incident.timestamp("modified") else { throw .missingProperty("modified") }
        guard let name = try incident.string("name") else { throw .missingProperty("name") }
        let title = name.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !title.isEmpty else { throw .emptyText(property: "name") }
        let description = try incident.string("description")
        let createdBy = try incident.identifier("created_by_ref", ofType: "identity")
        var reporterName: String?
        if let createdBy, let identity = objects[createdBy] {
            reporterName = try? identity.string("name")
            used.insert(createdBy)
        }
        let markings = try incident.identifiers("object_marking_refs", ofType: "marking-definition") ?? []
        for m in markings where objects[m] != nil { used.insert(m) }
        let tlp = markings.compactMap { TLPMarking(markingID: $0) }.max()

        var exercise = false
        if let labels = try incident.strings("labels") {
            exercise = labels.contains("exercise")
            let others = labels.filter { $0 != "exercise" }
            if !others.isEmpty {
                warn("labels", en: "labels not kept: \(others.joined(separator: ", "))", ja: "ラベルは取り込んでいません：\(others.joined(separator: ", "))")
            }
        }
        for key in incident.properties.keys.sorted() where !Self.keptProperties.contains(key) {
            warn(key, en: "property not kept: Tekigo's incident record has no place for it",
                 ja: "このプロパティは取り込んでいません（Tekigo のインシデント記録に対応する項目がありません）")
        }

        var core: Core?
        if let extensionsValue = incident["extensions"] {
            guard let extensions = extensionsValue.objectValue else {
                throw .wrongKind(property: "extensions", expected: "an object", found: extensionsValue.kind)
            }
            for key in extensions.keys.sorted() where key != IncidentCoreExtension.id.rawValue {
                warn("extensions.\(key)", en: "extension not kept: Tekigo reads only the Incident Core extension",
                     ja: "この拡張は取り込んでいません（Tekigo が読むのは Incident Core 拡張だけです）")
            }
            if let value = extensions[IncidentCoreExtension.id.rawValue] {
                core = try readCore(value)
            }
        }
        if core == nil {
            warn("extensions", en: "no Incident Core extension: outcome, phase, types and detection methods are unknown",
                 ja: "Incident Core 拡張がないため、結果・段階・種別・検知方法は不明です")
        }
        return ImportedIncident(
            id: incident.id, created: created, modified: modified, title: title, description: description,
            discoveredAt: core?.discoveredAt, detectionMethod: core?.detectionMethod, compromiseType: core?.compromiseType,
            outcome: core?.outcome, phase: core?.phase, exercise: exercise, createdBy: createdBy, reporterName: reporterName,
            markings: markings, tlp: tlp)
    }

    struct Core {
        var outcome: IncidentOutcome?
        var phase: IncidentPhase?
        var compromiseType: CompromiseType?
        var detectionMethod: DetectionMethod?
        var discoveredAt: Date?
    }

    mutating func readCore(_ value: JSONValue) throws(STIXProblem) -> Core {
        let base = "extensions.\(IncidentCoreExtension.id.rawValue)"
        guard let ext = value.objectValue else { throw .wrongKind(property: base, expected: "an object", found: value.kind) }
        func path(_ p: String) -> String { "\(base).\(p)" }
        var core = Core()

        guard let extensionType = try STIXObject.string(ext["extension_type"], path("extension_type")) else {
            throw .missingProperty(path("extension_type"))
        }
        guard extensionType == "property-extension" else {
            throw .valueNotAllowed(property: path("extension_type"), value: extensionType, allowed: ["property-extension"])
        }

        guard let determination = try STIXObject.string(ext["determination"], path("determination")) else {
            throw .missingProperty(path("determination"))
        }
        switch determination {
        case "confirmed": core.outcome = .successfulCompromise
        case "failed-attempt": core.outcome = .failedAttempt
        case "suspected": core.outcome = .unknown
        case "blocked":
            core.outcome = .failedAttempt
            warn(path("determination"), en: "'blocked' read as a failed attempt: Tekigo's outcome does not tell the two apart",
                 ja: "「blocked」を未遂として読みました（Tekigo の結果は両者を区別しません）")
        case "false-positive":
            core.outcome = .unknown
            warn(path("determination"), en: "'false-positive' read as unknown: Tekigo's outcome has no value for a false positive",
                 ja: "「false-positive」を不明として読みました（Tekigo の結果に誤検知はありません）")
        default:
            throw .valueNotAllowed(property: path("determination"), value: determination, allowed: IncidentCoreExtension.determinations)
        }

        guard let status = try STIXObject.string(ext["investigation_status"], path("investigation_status")) else {
            throw .missingProperty(path("investigation_status"))
        }
        switch status {
        case "new": core.phase = .detected
        case "open": core.phase = .analysing
        case "closed": core.phase = .closed
        default:
            warn(path("investigation_status"), en: "'\(status)' is not in incident-investigation-ov (new, open, closed); phase not kept",
                 ja: "「\(status)」は incident-investigation-ov（new, open, closed）にないため、段階は取り込んでいません")
        }

        if let types = try STIXObject.strings(ext["incident_types"], path("incident_types")) {
            let known = types.compactMap { CompromiseType(rawValue: $0) }
            core.compromiseType = known.first
            let notKept = types.filter { CompromiseType(rawValue: $0) == nil || CompromiseType(rawValue: $0) != known.first }
            if !notKept.isEmpty {
                warn(path("incident_types"),
                     en: "not kept: \(notKept.joined(separator: ", ")) (Tekigo's type of compromise is one of unauthorized-access, unauthorized-release)",
                     ja: "取り込んでいません：\(notKept.joined(separator: ", "))（Tekigo の侵害の種類は unauthorized-access 又は unauthorized-release）")
            }
        }

        if let methods = try STIXObject.strings(ext["detection_methods"], path("detection_methods")) {
            let known = methods.compactMap { DetectionMethod(rawValue: $0) }
            core.detectionMethod = known.first
            let notKept = methods.filter { DetectionMethod(rawValue: $0) != known.first }
            if !notKept.isEmpty {
                warn(path("detection_methods"),
                     en: "not kept: \(notKept.joined(separator: ", ")) (Tekigo records one detection method\(known.isEmpty ? "; none was one it knows" : ", the first it knows"))",
                     ja: "取り込んでいません：\(notKept.joined(separator: ", "))（Tekigo が記録する検知方法は一つです）")
            }
        }

        // The discovery time: a discovery task named by task_refs (current design) or tasks[].task_ref (earlier).
        var taskIDs: [STIXIdentifier] = []
        if let refs = try STIXObject.strings(ext["task_refs"], path("task_refs")) {
            for r in refs {
                guard let id = STIXIdentifier(r) else { throw .malformedIdentifier(property: path("task_refs"), value: r) }
                taskIDs.append(id)
            }
        }
        if let tasks = ext["tasks"]?.arrayValue {
            taskIDs += tasks.compactMap { $0.objectValue?["task_ref"]?.stringValue.flatMap(STIXIdentifier.init) }
        }
        var discovered: (STIXTimestamp, STIXIdentifier)?
        for id in taskIDs {
            guard let task = objects[id], task.type == "task",
                  let types = try? task.strings("task_types"), types.contains(IncidentCoreExtension.discoveryTaskType) else { continue }
            guard let start = try Self.taskStart(task) else { continue }
            if discovered == nil || start < discovered!.0 { discovered = (start, id) }
        }
        if let discovered {
            core.discoveredAt = discovered.0.date
            used.insert(discovered.1)
        }

        for key in ext.keys.sorted() where !Self.keptCore.contains(key) {
            let note: (en: String, ja: String)
            switch key {
            case "task_refs", "tasks":
                note = discovered.map { d in
                    (en: "not kept (Tekigo has no tasks); the start_time of the discovery task \(d.1) was read as the discovery time",
                     ja: "取り込んでいません（Tekigo にタスクはありません）。発見タスク \(d.1) の start_time を発見日時として読みました")
                } ?? (en: "not kept: Tekigo has no tasks", ja: "取り込んでいません（Tekigo にタスクはありません）")
            case "event_refs", "events":
                note = (en: "not kept: Tekigo has no events (record what matters in the timeline)",
                        ja: "取り込んでいません（Tekigo にイベントはありません。必要なことは経過記録に書いてください）")
            default:
                note = (en: "not kept: Tekigo's incident record has no place for it",
                        ja: "取り込んでいません（Tekigo のインシデント記録に対応する項目がありません）")
            }
            warn(path(key), en: note.en, ja: note.ja)
        }
        return core
    }

    /// A task's `start_time`; a malformed one is an error naming the task (it is the incident's discovery time).
    static func taskStart(_ task: STIXObject) throws(STIXProblem) -> STIXTimestamp? {
        do {
            return try task.timestamp("start_time")
        } catch {
            throw .malformedTimestamp(property: "\(task.id.rawValue).start_time", value: task["start_time"]?.stringValue ?? "")
        }
    }
}
