import Foundation
import TekigoCore
import Yams
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// "Assessment as code": a folder with human-readable YAML files that live happily in git.
///
/// - `tekigo.yaml` — organization, system, assessment (catalog, date, kind, assessor)
/// - `findings.yaml` — per requirement: the implementation statement and scoring answers; per objective: status,
///   note, evidence (one entry per objective)
/// - `poam.yaml` — the plan of action and milestones (是正計画)
///
/// Every write replaces a file atomically, and every read-modify-write holds an exclusive lock on
/// `.tekigo.lock`, so a second `tekigo` process on the same folder waits instead of corrupting it.
public struct AssessmentWorkspace: Sendable {
    public static let configFile = "tekigo.yaml"
    public static let findingsFile = "findings.yaml"
    public static let poamFile = "poam.yaml"
    static let lockFile = ".tekigo.lock"

    public let directory: URL
    public let library: Library

    public init(directory: URL, library: Library) {
        self.directory = directory
        self.library = library
    }

    public var exists: Bool {
        FileManager.default.fileExists(atPath: url(Self.configFile).path)
    }

    func url(_ name: String) -> URL { directory.appendingPathComponent(name) }

    // MARK: create

    /// Writes a new workspace with every objective listed as not assessed (or as `assessment` answers it), with
    /// tekigo.yaml's `regime:` key when one is given. Refuses to overwrite one.
    public func create(_ assessment: Assessment, regime: ComplianceRegime? = nil) throws {
        guard !exists else {
            throw WorkspaceError(file: Self.configFile, line: nil,
                                 message: "a Tekigo workspace already exists in \(directory.path); edit it or choose another folder",
                                 ja: "\(directory.path) には既に Tekigo の評価フォルダーがあります。それを編集するか、別のフォルダーを選んでください")
        }
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        try withLock { try write(assessment, regime: regime) }
    }

    // MARK: read

    public func load() throws -> Assessment {
        guard exists else {
            throw WorkspaceError(file: Self.configFile, line: nil,
                                 message: "no Tekigo workspace in \(directory.path); run `tekigo init` there first (or pass --dir)",
                                 ja: "\(directory.path) に Tekigo の評価フォルダーがありません。先にそこで `tekigo init` を実行してください（又は --dir で指定）")
        }
        var a = try readConfig()
        let catalog = try library.catalog(a.catalog)
        let (findings, answers) = try readFindings(catalog: catalog)
        a.findings = findings
        a.answers = answers
        a.poam = try readPOAM(catalog: catalog)
        return a
    }

    /// Loads, lets `change` edit, and saves — all under the folder's lock.
    @discardableResult
    public func update<R>(_ change: (inout Assessment) throws -> R) throws -> R {
        try withLock {
            var a = try load()
            let r = try change(&a)
            try write(a)
            return r
        }
    }

    func text(_ name: String) throws -> String? {
        let u = url(name)
        guard FileManager.default.fileExists(atPath: u.path) else { return nil }
        do { return try String(contentsOf: u, encoding: .utf8) } catch {
            throw WorkspaceError(file: name, line: nil, message: "cannot read the file as UTF-8 text (\(error.localizedDescription))",
                                 ja: "ファイルを UTF-8 のテキストとして読めません（\(error.localizedDescription)）")
        }
    }

    /// The optional `regime:` key of tekigo.yaml (issue 17 item 3): the regime whose words `tekigo export` uses; nil
    /// when the key is absent. A value other than japanese, us or both is an error naming its line and the values.
    public func regime() throws -> ComplianceRegime? {
        guard let text = try text(Self.configFile) else { return nil }
        let r = YAMLReader(file: Self.configFile)
        let root = try r.mapping(try r.parse(text), "the file")
        return try r.enumValue(root["regime"], "regime", ComplianceRegime.self)
    }

    func readConfig() throws -> Assessment {
        let r = YAMLReader(file: Self.configFile)
        let rootNode = try r.parse(try text(Self.configFile) ?? "")
        let root = try r.mapping(rootNode, "the file")
        try r.checkKeys(root, allowed: ["version", "organization", "system", "assessment", "regime"], in: "tekigo.yaml")
        try r.checkVersion(root, rootNode: rootNode)
        _ = try r.enumValue(root["regime"], "regime", ComplianceRegime.self)  // issue 17 item 3: checked here, read by `regime()`
        let orgNode = try r.mapping(root["organization"], "organization")
        try r.checkKeys(orgNode, allowed: ["name", "cageCodes", "uei", "corporateNumber"], in: "organization")
        guard let name = try r.string(orgNode["name"], "organization.name"), !name.isEmpty else {
            throw r.error(root["organization"], "organization.name is required", ja: "organization.name（組織名）は必須です")
        }
        if let cn = try r.string(orgNode["corporateNumber"], "organization.corporateNumber"), !cn.isEmpty,
           cn.count != 13 || !cn.allSatisfy(\.isNumber) {
            throw r.error(orgNode["corporateNumber"], "organization.corporateNumber (法人番号) must be 13 digits",
                          ja: "organization.corporateNumber（法人番号）は 13 桁の数字で書いてください")
        }
        let org = Organization(name: name, cageCodes: try r.strings(orgNode["cageCodes"], "organization.cageCodes"),
                               uei: try r.string(orgNode["uei"], "organization.uei"),
                               corporateNumber: try r.string(orgNode["corporateNumber"], "organization.corporateNumber"))
        for cage in org.cageCodes where cage.count != 5 || !cage.allSatisfy({ $0.isLetter || $0.isNumber }) {
            throw r.error(orgNode["cageCodes"], "CAGE code '\(cage)' must be 5 letters or digits",
                          ja: "CAGE コード「\(cage)」は英数字 5 文字で書いてください")
        }
        let sys = try r.mapping(root["system"], "system")
        try r.checkKeys(sys, allowed: ["name", "boundary", "environment", "informationTypes", "components", "userCount"],
                        in: "system")
        var components: [SystemComponent] = []
        for c in try r.list(sys["components"], "system.components") {
            let m = try r.mapping(c, "a component")
            try r.checkKeys(m, allowed: ["name", "type", "description"], in: "a component")
            components.append(SystemComponent(name: try r.string(m["name"], "component name") ?? "",
                                              type: try r.string(m["type"], "component type") ?? "",
                                              description: try r.string(m["description"], "component description") ?? ""))
        }
        let system = SystemProfile(
            name: try r.string(sys["name"], "system.name") ?? "", boundary: try r.string(sys["boundary"], "system.boundary") ?? "",
            environment: try r.string(sys["environment"], "system.environment") ?? "",
            informationTypes: try r.strings(sys["informationTypes"], "system.informationTypes"), components: components,
            userCount: try r.int(sys["userCount"], "system.userCount") ?? 0)
        let asm = try r.mapping(root["assessment"], "assessment")
        try r.checkKeys(asm, allowed: ["catalog", "date", "kind", "assessor", "resultsPostedOn"], in: "assessment")
        let catalogID = CatalogID(try r.string(asm["catalog"], "assessment.catalog") ?? CatalogID.sp800171r2.rawValue)
        guard library.catalogs[catalogID] != nil else {
            let known = library.orderedCatalogs.map(\.id.rawValue).joined(separator: ", ")
            throw r.error(asm["catalog"], "assessment.catalog '\(catalogID)' is not known; known: " + known,
                          ja: "assessment.catalog の「\(catalogID)」というカタログはありません。使えるカタログ: " + known)
        }
        guard let date = try r.day(asm["date"], "assessment.date") else { throw r.error(root["assessment"], "assessment.date is required", ja: "assessment.date（評価日）は必須です") }
        // 32 CFR 170.21(b): the CMMC POA&M closeout counts from the date the results are posted.
        let posted = try r.day(asm["resultsPostedOn"], "assessment.resultsPostedOn")
        // A folder may have been written where the calendar is up to a day ahead of UTC: read it with a day's slack.
        if let posted, let problem = CMMCRules.postingProblem(posted, assessed: date, today: Day(Date()).adding(days: 1)) {
            throw r.error(asm["resultsPostedOn"], "assessment.resultsPostedOn: " + problem.en, ja: "assessment.resultsPostedOn: " + problem.ja)
        }
        return Assessment(organization: org, system: system, catalog: catalogID, date: date,
                          kind: try r.enumValue(asm["kind"], "assessment.kind", AssessmentKind.self) ?? .basic,
                          assessor: try r.string(asm["assessor"], "assessment.assessor") ?? "", resultsPostedOn: posted)
    }

    func readFindings(catalog: Catalog) throws -> ([String: Finding], [String: RequirementAnswer]) {
        guard let text = try text(Self.findingsFile) else { return ([:], [:]) }
        let r = YAMLReader(file: Self.findingsFile)
        let rootNode = try r.parse(text)
        let root = try r.mapping(rootNode, "the file")
        try r.checkKeys(root, allowed: ["version", "requirements"], in: "findings.yaml")
        try r.checkVersion(root, rootNode: rootNode)
        var findings: [String: Finding] = [:]
        var answers: [String: RequirementAnswer] = [:]
        guard let reqs = try r.optionalMapping(root["requirements"], "requirements") else { return ([:], [:]) }
        for (key, value) in reqs {
            let rid = key.string ?? ""
            guard let entry = catalog[rid] else {
                let suggestion = library.suggestions(for: rid, preferring: catalog.id).first
                let hint = suggestion.map { " Did you mean '\($0)'?" } ?? ""
                throw r.error(key, "'\(rid)' is not a requirement of \(catalog.id).\(hint)",
                              ja: "「\(rid)」は \(catalog.id) の要件ではありません。" + (suggestion.map { "「\($0)」のことですか?" } ?? ""))
            }
            guard let m = try r.optionalMapping(value, "requirement \(rid)") else { continue }
            try r.checkKeys(m, allowed: ["implementation", "mfa", "encryption", "notPermitted", "exception", "exceptionNote",
                                         "objectives"], in: "requirement \(rid)")
            let answer = RequirementAnswer(
                implementation: try r.string(m["implementation"], "implementation") ?? "",
                mfa: try r.enumValue(m["mfa"], "mfa", MFAImplementation.self),
                encryption: try r.enumValue(m["encryption"], "encryption", EncryptionImplementation.self),
                notPermitted: try r.bool(m["notPermitted"], "notPermitted") ?? false,
                exception: try r.enumValue(m["exception"], "exception", ScoringException.self),
                exceptionNote: try r.string(m["exceptionNote"], "exceptionNote"))
            try AnswerRules.problem(answer, for: entry).map { throw r.error(key, $0.en, ja: $0.ja) }
            if !answer.isEmpty { answers[rid] = answer }
            guard let objectives = try r.optionalMapping(m["objectives"], "objectives of \(rid)") else { continue }
            for (okey, ovalue) in objectives {
                let oid = okey.string ?? ""
                guard entry.assessmentObjectives.contains(oid) else {
                    let close = entry.assessmentObjectives.min { editDistance(oid, $0) < editDistance(oid, $1) }
                    throw r.error(okey, "'\(oid)' is not an objective of \(rid)" + (close.map { "; did you mean '\($0)'?" } ?? "")
                        + " (objectives: \(entry.assessmentObjectives.joined(separator: ", ")))",
                                  ja: "「\(oid)」は \(rid) の評価目標ではありません" + (close.map { "。「\($0)」のことですか?" } ?? "")
                                    + "（評価目標: \(entry.assessmentObjectives.joined(separator: ", "))）")
                }
                let fm = try r.mapping(ovalue, "objective \(oid)")
                try r.checkKeys(fm, allowed: ["status", "note", "evidence", "by", "on", "carriedOver"], in: "objective \(oid)",
                                hints: ["rationale": "note", "notes": "note", "comment": "note", "reason": "note",
                                        "assessor": "by", "assessedby": "by", "date": "on", "assessedon": "on",
                                        "evidences": "evidence", "proof": "evidence", "result": "status"])
                let status = try r.enumValue(fm["status"], "status", FindingStatus.self) ?? .notAssessed
                var evidence: [EvidenceRef] = []
                for ev in try r.list(fm["evidence"], "evidence of \(oid)") {
                    if case .scalar(let s) = ev { evidence.append(EvidenceRef(location: s.string)); continue }
                    let em = try r.mapping(ev, "an evidence entry")
                    try r.checkKeys(em, allowed: ["location", "sha256", "size", "date"], in: "an evidence entry")
                    guard let loc = try r.string(em["location"], "evidence location") else {
                        throw r.error(ev, "an evidence entry needs a location (a path or URL)", ja: "証跡には location（パスか URL）が必要です")
                    }
                    evidence.append(EvidenceRef(location: loc, sha256: try r.string(em["sha256"], "sha256"),
                                                size: try r.int(em["size"], "size"), date: try r.day(em["date"], "date")))
                }
                let finding = Finding(status: status, rationale: try r.string(fm["note"], "note") ?? "", evidence: evidence,
                                      assessedBy: try r.string(fm["by"], "by"), assessedOn: try r.day(fm["on"], "on"),
                                      carriedOverFrom: try r.string(fm["carriedOver"], "carriedOver").flatMap { $0.isEmpty ? nil : $0 })
                if status != .notAssessed || !finding.rationale.isEmpty || !evidence.isEmpty { findings[oid] = finding }
            }
        }
        return (findings, answers)
    }

    func readPOAM(catalog: Catalog) throws -> [POAMItem] {
        guard let text = try text(Self.poamFile) else { return [] }
        let r = YAMLReader(file: Self.poamFile)
        let rootNode = try r.parse(text)
        let root = try r.mapping(rootNode, "the file")
        try r.checkKeys(root, allowed: ["version", "items"], in: "poam.yaml")
        try r.checkVersion(root, rootNode: rootNode)
        var items: [POAMItem] = []
        // One item per requirement: the planner, the score and every export read the first one only.
        var firstLine: [String: Int?] = [:]
        for itemNode in try r.list(root["items"], "items") {
            let m = try r.mapping(itemNode, "a POA&M item")
            try r.checkKeys(m, allowed: Self.poamItemKeys, in: "a POA&M item", hints: Self.poamItemHints)
            guard let rid = try r.string(m["requirement"], "requirement"), catalog[rid] != nil else {
                throw r.error(itemNode, "a POA&M item needs the id of a requirement of \(catalog.id)",
                              ja: "是正計画の項目には \(catalog.id) の要件 ID（requirement）が必要です")
            }
            if let first = firstLine[rid] {
                throw r.error(itemNode, "a second POA&M item for \(rid)" + (first.map { " (the first is on line \($0))" } ?? "")
                    + ": one item per requirement; merge the two (put every milestone in one item)",
                              ja: "\(rid) の是正計画の項目が 2 つあります" + (first.map { "（1 つ目は \($0) 行目）" } ?? "")
                                + "。項目は要件ごとに 1 つです。2 つをまとめてください（マイルストーンはすべて 1 つの項目に）")
            }
            firstLine[rid] = itemNode.mark?.line
            var milestones: [Milestone] = []
            for mn in try r.list(m["milestones"], "milestones of the POA&M item for \(rid)") {
                let mm = try r.mapping(mn, "a milestone")
                try r.checkKeys(mm, allowed: ["description", "due", "done"], in: "a milestone", hints: Self.milestoneHints)
                guard let due = try r.day(mm["due"], "milestone due") else { throw r.error(mn, "a milestone needs a due date", ja: "マイルストーンには期日（due）が必要です") }
                milestones.append(Milestone(description: try r.string(mm["description"], "description") ?? "", due: due,
                                            done: try r.bool(mm["done"], "done") ?? false))
            }
            items.append(POAMItem(
                requirement: rid, weakness: try r.string(m["weakness"], "weakness") ?? "", milestones: milestones,
                owner: try r.string(m["owner"], "owner") ?? "", resources: try r.string(m["resources"], "resources") ?? "",
                status: try r.enumValue(m["status"], "status", POAMStatus.self) ?? .open,
                scheduledCompletion: try r.day(m["scheduledCompletion"], "scheduledCompletion"),
                completedOn: try r.day(m["completedOn"], "completedOn")))
        }
        return items
    }

    /// The keys of a POA&M item in poam.yaml (documented in the file's header, `poamHeader`).
    static let poamItemKeys: Set<String> = ["requirement", "weakness", "milestones", "owner", "resources", "status",
                                            "scheduledCompletion", "completedOn"]
    /// Words people write for a POA&M item's keys (lower case, letters and digits only) and the key they mean.
    static let poamItemHints: [String: String] = [
        "due": "scheduledCompletion", "duedate": "scheduledCompletion", "dueon": "scheduledCompletion",
        "deadline": "scheduledCompletion", "scheduled": "scheduledCompletion", "plannedcompletion": "scheduledCompletion",
        "completion": "scheduledCompletion", "completiondate": "scheduledCompletion", "targetdate": "scheduledCompletion",
        "date": "scheduledCompletion", "completed": "completedOn", "closed": "completedOn", "closedon": "completedOn",
        "donedate": "completedOn", "description": "weakness", "finding": "weakness", "gap": "weakness",
        "issue": "weakness", "milestone": "milestones", "assignee": "owner", "responsible": "owner", "person": "owner",
        "cost": "resources", "budget": "resources", "req": "requirement", "id": "requirement", "control": "requirement",
        "state": "status",
    ]
    static let milestoneHints: [String: String] = [
        "date": "due", "duedate": "due", "deadline": "due", "dueon": "due", "text": "description", "title": "description",
        "name": "description", "milestone": "description", "completed": "done", "status": "done",
    ]

    /// poam.yaml's header: every key, what it holds and its values, so the file documents itself.
    public static let poamHeader = """
        # Plan of action and milestones (是正計画): one item per requirement that is not met yet.
        # Edit here or with `tekigo poam set REQ --due YYYY-MM-DD --owner NAME --milestone YYYY-MM-DD:TEXT`.
        # Keys of an item (dates are YYYY-MM-DD):
        #   requirement          the requirement id, e.g. 3.1.8 (required; one item per requirement)
        #   weakness             what is missing (required)
        #   status               open | in-progress | completed
        #   scheduledCompletion  the date the item is planned to be done (`--due`); SPRS and CMMC read it
        #   completedOn          the date it was done (only for status completed)
        #   owner                who is responsible
        #   resources            people, money or tools it needs
        #   milestones           a list; each: description (what will be done), due (its date), done (true | false)

        """

    // MARK: write

    /// The regime is the folder's setting, not the assessment's: kept as it is when the file is written again.
    func write(_ a: Assessment) throws { try write(a, regime: try regime()) }

    func write(_ a: Assessment, regime: ComplianceRegime?) throws {
        let catalog = try library.catalog(a.catalog)
        typealias W = YAMLWriter
        let config = W.map([
            ("version", W.s(YAMLReader.version)),
            ("regime", regime.map { W.s($0.rawValue) }),
            ("organization", W.map([("name", W.s(a.organization.name)),
                                    ("cageCodes", W.seq(a.organization.cageCodes.map(W.s))),
                                    ("uei", W.s(a.organization.uei ?? "")),
                                    ("corporateNumber", W.s(a.organization.corporateNumber ?? ""))])),
            ("system", W.map([("name", W.s(a.system.name)), ("boundary", W.s(a.system.boundary)),
                              ("environment", W.s(a.system.environment)),
                              ("informationTypes", W.seq(a.system.informationTypes.map(W.s))),
                              ("components", W.seq(a.system.components.map {
                                  W.map([("name", W.s($0.name)), ("type", W.s($0.type)), ("description", W.text($0.description))])
                              })),
                              ("userCount", W.s(String(a.system.userCount)))])),
            ("assessment", W.map([("catalog", W.s(a.catalog.rawValue)), ("date", W.s(a.date.description)),
                                  ("kind", W.s(a.kind.rawValue)), ("assessor", W.s(a.assessor)),
                                  ("resultsPostedOn", a.resultsPostedOn.map { W.s($0.description) })])),
        ])
        let findings = W.map([
            ("version", W.s(YAMLReader.version)),
            ("requirements", W.map(catalog.entries.map { e in
                let ans = a.answer(for: e.id)
                return (e.id, W.map([
                    ("implementation", W.s(ans.implementation)),
                    ("mfa", ans.mfa.map { W.s($0.rawValue) }), ("encryption", ans.encryption.map { W.s($0.rawValue) }),
                    ("notPermitted", ans.notPermitted ? W.s("true") : nil), ("exception", ans.exception.map { W.s($0.rawValue) }),
                    ("exceptionNote", W.text(ans.exceptionNote)),
                    ("objectives", W.map(e.assessmentObjectives.map { o in
                        let f = a.findings[o]
                        return (o, W.map([
                            ("status", W.s((f?.status ?? .notAssessed).rawValue)), ("note", W.text(f?.rationale)),
                            ("evidence", f.flatMap { $0.evidence.isEmpty ? nil : W.seq($0.evidence.map { ev in
                                W.map([("location", W.s(ev.location)), ("sha256", W.text(ev.sha256)),
                                       ("size", ev.size.map { W.s(String($0)) }), ("date", ev.date.map { W.s($0.description) })])
                            }) }),
                            ("by", W.text(f?.assessedBy)), ("on", f?.assessedOn.map { W.s($0.description) }),
                            ("carriedOver", W.text(f?.carriedOverFrom)),
                        ]))
                    })),
                ]))
            })),
        ])
        let poam = W.map([
            ("version", W.s(YAMLReader.version)),
            ("items", W.seq(POAMPlanner.ordered(a.poam, catalog: catalog).map { i in
                W.map([("requirement", W.s(i.requirement)), ("weakness", W.s(i.weakness)),
                       ("milestones", W.seq(i.milestones.map {
                           W.map([("description", W.s($0.description)), ("due", W.s($0.due.description)),
                                  ("done", W.s($0.done ? "true" : "false"))])
                       })),
                       ("owner", W.s(i.owner)), ("resources", W.s(i.resources)), ("status", W.s(i.status.rawValue)),
                       ("scheduledCompletion", i.scheduledCompletion.map { W.s($0.description) }),
                       ("completedOn", i.completedOn.map { W.s($0.description) })])
            })),
        ])
        try atomicWrite(Self.configFile, try W.render(config, header: """
            # Tekigo assessment workspace. Edit freely; `tekigo status` checks this folder.
            # assessment.kind: basic | medium | high | cmmc-l2-self
            # assessment.resultsPostedOn: the date the results were posted in SPRS (YYYY-MM-DD; `tekigo assess posted`);
            # the CMMC POA&M closeout is due 180 days after it (32 CFR 170.21(b)), an estimate from the date until then.
            # regime (optional): japanese | us | both — the terms `tekigo export` writes (default us). japanese: the
            # システムセキュリティ実装計画書 about 保護すべき情報, no SPRS score or CMMC status; both: the two together.

            """))
        try atomicWrite(Self.findingsFile, try W.render(findings, header: """
            # One entry per assessment objective. status: met | not-met | not-applicable | not-assessed
            # Requirement answers used by SPRS scoring: mfa (3.5.3): none | remote-and-privileged-only | all-users;
            # encryption (3.13.11): none | not-fips-validated | fips-validated; notPermitted: true (3.1.12, 3.1.13,
            # 3.1.16, 3.1.17, 3.1.18); exception: temporary-deficiency | enduring-exception | cio-adjudicated
            # carriedOver: copied from a previous assessment (`tekigo assess new --from`) and not reviewed yet; it still
            # counts for the score. `tekigo assess set` or `tekigo assess confirm` removes it (`tekigo assess review` lists them).

            """))
        try atomicWrite(Self.poamFile, try W.render(poam, header: Self.poamHeader))
    }

    /// Writes a temporary file next to the target and renames it over the target: readers see the old or the
    /// new file, never half of one.
    func atomicWrite(_ name: String, _ text: String) throws {
        try Data(text.utf8).write(to: url(name), options: .atomic)
    }

    /// Holds an exclusive advisory lock on the folder for the duration of `body` (flock(2); released on exit
    /// even if the process dies).
    func withLock<R>(_ body: () throws -> R) throws -> R {
        let fd = try lockFolder()
        defer { unlockFolder(fd) }
        return try body()
    }

    /// Takes the folder's lock (`withLock`, `withLockAsync`): the lock file's descriptor, to give to `unlockFolder`.
    func lockFolder() throws -> Int32 {
        let fd = open(url(Self.lockFile).path, O_CREAT | O_RDWR, 0o644)
        guard fd >= 0 else {
            throw WorkspaceError(file: Self.lockFile, line: nil, message: "cannot create the lock file (errno \(errno)); check folder permissions",
                                 ja: "ロックファイルを作れません（errno \(errno)）。フォルダーの権限を確かめてください")
        }
        guard flock(fd, LOCK_EX) == 0 else {
            let failure = errno
            close(fd)
            throw WorkspaceError(file: Self.lockFile, line: nil, message: "cannot lock the folder (errno \(failure))", ja: "フォルダーをロックできません（errno \(failure)）")
        }
        return fd
    }

    func unlockFolder(_ fd: Int32) {
        flock(fd, LOCK_UN)
        close(fd)
    }
}

/// Which requirement answers the methodology allows where (DoD Assessment Methodology §5, Annex A).
public enum AnswerRules {
    /// A message, in both languages, when `answer` uses an input that does not apply to `entry`.
    public static func problem(_ answer: RequirementAnswer, for entry: CatalogEntry) -> LocalizedText? {
        let sprs = entry.sprs
        if answer.mfa != nil, sprs?.partialInput != .mfa {
            return LocalizedText(en: "mfa applies only to the multifactor authentication requirement (3.5.3 in SP 800-171 rev2)",
                                 ja: "mfa は多要素認証の要件（SP 800-171 第2版の 3.5.3）にだけ使えます")
        }
        if answer.encryption != nil, sprs?.partialInput != .encryption {
            return LocalizedText(en: "encryption applies only to the FIPS-validated cryptography requirement (3.13.11 in SP 800-171 rev2)",
                                 ja: "encryption は FIPS 認証済み暗号の要件（SP 800-171 第2版の 3.13.11）にだけ使えます")
        }
        if answer.notPermitted, sprs?.rule != .notPermittedAllowed {
            return LocalizedText(en: "notPermitted applies only to remote access, wireless and mobile device requirements (3.1.12, 3.1.13, 3.1.16, 3.1.17, 3.1.18)",
                                 ja: "notPermitted はリモートアクセス・無線・モバイル機器の要件（3.1.12、3.1.13、3.1.16、3.1.17、3.1.18）にだけ使えます")
        }
        return nil
    }
}
