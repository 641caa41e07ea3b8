import TekigoCore

/// Why an assessment or evidence operation was refused; each case says what to do.
public enum AssessmentError: Error, Equatable, Sendable, CustomStringConvertible {
    case missing(field: String, what: String)
    case negativeUserCount
    case unknownCatalog(String)
    case badDate(field: String)
    case badKind
    case unknownSystem(String)
    case unknownObjective(String, catalog: String)
    case badStatus
    case unknownEvidence(field: String, sha256: String)
    case emptyUpload
    case postingDate(LocalizedText)
    case evidenceInUse([String])
    /// Incidents (ids) whose timelines cite the evidence: never deleted.
    case evidenceInIncident([String])
    case evidenceNotFound(String)
    case requirementEdit([String: RequirementEditProblem])
    /// A system that assessments (their dates) or cloud services (their names) use cannot be deleted (issue 17 item 6).
    case systemInUse(name: String, assessments: [String], cloudServices: [String])
    /// The previous assessment to start from is not one of this organization's (issue 17 item 4).
    case unknownPreviousAssessment(String)
    /// A new assessment started from a previous one keeps its catalog: answers to one catalog's objectives are not
    /// answers to another's.
    case previousOfAnotherCatalog(previous: String, requested: String)
    /// A new assessment started from a previous one is of the same system.
    case previousOfAnotherSystem(previousSystem: String, requested: String)
    /// Neither a system nor a previous assessment to start from.
    case noSystemNorPrevious

    public var description: String {
        switch self {
        case .missing(_, let what): return what
        case .negativeUserCount: return "userCount cannot be negative."
        case .unknownCatalog(let id): return "Unknown catalog '\(id)'."
        case .badDate(let field):
            return field == "resultsPostedOn" ? "resultsPostedOn must be a date YYYY-MM-DD, or null to clear it."
                                              : "\(field) must be YYYY-MM-DD."
        case .badKind: return "kind must be one of \(AssessmentKind.allCases.map(\.rawValue).joined(separator: ", "))."
        case .unknownSystem(let id): return "No system \(id) in this organization."
        case .unknownObjective(let id, let catalog): return "Objective \(id) in \(catalog) was not found."
        case .badStatus: return "status must be one of \(FindingStatus.allCases.map(\.rawValue).joined(separator: ", "))."
        case .unknownEvidence(_, let sha):
            return "No uploaded evidence with SHA-256 \(sha) in this organization: upload it first (POST …/evidence)."
        case .emptyUpload: return "The body is empty: send the file's bytes."
        case .postingDate(let problem): return problem.en + "."
        case .evidenceInUse(let objectives):
            return "This evidence supports findings (\(objectives.joined(separator: ", "))); remove it from them first."
        case .evidenceInIncident(let ids):
            return "This evidence is part of the timeline of incident(s) \(ids.joined(separator: ", ")); an incident's record is kept whole (DFARS 252.204-7012(e)), so it cannot be deleted."
        case .evidenceNotFound(let sha): return "Evidence \(sha) was not found."
        case .systemInUse(let name, let assessments, let services):
            var uses: [String] = []
            if !assessments.isEmpty { uses.append("\(assessments.count) assessment(s) (\(assessments.joined(separator: ", ")))") }
            if !services.isEmpty { uses.append("the cloud service(s) \(services.joined(separator: ", "))") }
            return "The system '\(name)' is used by \(uses.joined(separator: " and ")), which refer to it, so it cannot be deleted. "
                + "Keep it (you can rename it), or remove it from the cloud services first."
        case .unknownPreviousAssessment(let id):
            return "No assessment \(id) in this organization to start from: choose one of its assessments (GET …/assessments), or start empty."
        case .previousOfAnotherCatalog(let previous, let requested):
            return "The previous assessment is against \(previous), not \(requested): its answers cannot be carried over to another catalog. "
                + "Leave catalog out (or send \(previous)), or start the \(requested) assessment empty."
        case .previousOfAnotherSystem(let previous, let requested):
            return "The previous assessment is of system \(previous), not \(requested): a new assessment started from it is of the same system. "
                + "Leave systemId out (or send \(previous)), or start the assessment of \(requested) empty."
        case .noSystemNorPrevious:
            return "Name the system to assess (systemId), or the previous assessment to start from (fromAssessment)."
        case .requirementEdit(let problems):
            return problems.sorted { $0.key < $1.key }.map { field, problem in
                switch problem {
                case .link: return "\(field): a link to evidence must be an http:// or https:// URL."
                case .exceptionNote: return "\(field): a scoring exception needs its note (what was decided, by whom)."
                }
            }.joined(separator: " ")
        }
    }

    public var field: String? {
        switch self {
        case .missing(let f, _), .badDate(let f), .unknownEvidence(let f, _): return f
        case .negativeUserCount: return "userCount"
        case .unknownCatalog: return "catalog"
        case .badKind: return "kind"
        case .unknownSystem, .previousOfAnotherSystem, .noSystemNorPrevious: return "systemId"
        case .unknownPreviousAssessment: return "fromAssessment"
        case .previousOfAnotherCatalog: return "catalog"
        case .badStatus: return "status"
        case .postingDate: return "resultsPostedOn"
        case .requirementEdit(let problems): return problems.keys.sorted().first
        default: return nil
        }
    }
}

extension AssessmentError: BilingualError {
    /// The refusal in `language` (issue 17 item 6: the API answers a Japanese request in Japanese); English is
    /// `description`.
    public func message(in language: Language) -> String {
        guard language == .ja else { return description }
        switch self {
        case .missing(let field, _): return "必須の項目 \(field) が入力されていません。"
        case .negativeUserCount: return "userCount（利用者数）に負の数は指定できません。"
        case .unknownCatalog(let id): return "カタログ '\(id)' はありません。"
        case .badDate(let field):
            return field == "resultsPostedOn" ? "resultsPostedOn は YYYY-MM-DD 形式の日付か、消す場合は null にしてください。"
                                              : "\(field) は YYYY-MM-DD 形式の日付で指定してください。"
        case .badKind: return "kind は \(AssessmentKind.allCases.map(\.rawValue).joined(separator: "、")) のいずれかにしてください。"
        case .unknownSystem(let id): return "この組織にシステム \(id) はありません。"
        case .unknownObjective(let id, let catalog): return "\(catalog) に評価目標 \(id) はありません。"
        case .badStatus: return "status は \(FindingStatus.allCases.map(\.rawValue).joined(separator: "、")) のいずれかにしてください。"
        case .unknownEvidence(_, let sha):
            return "この組織に SHA-256 が \(sha) の証跡ファイルはありません。先にアップロードしてください（POST …/evidence）。"
        case .emptyUpload: return "本文が空です。ファイルの中身を送ってください。"
        case .postingDate(let problem): return problem.ja + "。"
        case .evidenceInUse(let objectives):
            return "この証跡は評価目標（\(objectives.joined(separator: "、"))）の根拠になっています。先にそれらから外してください。"
        case .evidenceInIncident(let ids):
            return "この証跡はインシデント（\(ids.joined(separator: "、"))）の経過記録の一部です。インシデントの記録は欠けなく保存する"
                + "（DFARS 252.204-7012(e)）ため、削除できません。"
        case .evidenceNotFound(let sha): return "証跡 \(sha) が見つかりません。"
        case .systemInUse(let name, let assessments, let services):
            var uses: [String] = []
            if !assessments.isEmpty { uses.append("\(assessments.count) 件の評価（\(assessments.joined(separator: "、"))）") }
            if !services.isEmpty { uses.append("クラウドサービス（\(services.joined(separator: "、"))）") }
            return "システム「\(name)」は\(uses.joined(separator: "と"))が参照しているため削除できません。"
                + "残しておく（名前は変えられます）か、先にクラウドサービスから外してください。"
        case .unknownPreviousAssessment(let id):
            return "引き継ぎ元の評価 \(id) はこの組織にありません。この組織の評価（GET …/assessments）から選ぶか、空の評価から始めてください。"
        case .previousOfAnotherCatalog(let previous, let requested):
            return "前回の評価は \(previous) に対するもので、\(requested) ではありません。別のカタログには回答を引き継げません。"
                + "catalog を省く（または \(previous) を指定する）か、\(requested) の評価を空から始めてください。"
        case .previousOfAnotherSystem(let previous, let requested):
            return "前回の評価はシステム \(previous) のもので、\(requested) ではありません。引き継いだ評価は同じシステムが対象です。"
                + "systemId を省く（または \(previous) を指定する）か、\(requested) の評価を空から始めてください。"
        case .noSystemNorPrevious:
            return "評価するシステム（systemId）か、引き継ぎ元の前回の評価（fromAssessment）を指定してください。"
        case .requirementEdit(let problems):
            return problems.sorted { $0.key < $1.key }.map { field, problem in
                switch problem {
                case .link: return "\(field): 証跡へのリンクは http:// か https:// の URL にしてください。"
                case .exceptionNote: return "\(field): 採点上の例外には、その説明（何を、誰が決めたか）が必要です。"
                }
            }.joined(separator: " ")
        }
    }
}
