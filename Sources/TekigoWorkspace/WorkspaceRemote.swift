import Crypto
import Foundation
import TekigoCore
import Yams
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Where a folder syncs with (`tekigo remote set`): the server's address, the organization and the assessment.
/// Stored in `.tekigo/remote.yaml`; it holds no secret — the API token is read at each run from `--token-file` or
/// `$TEKIGO_API_TOKEN` and never written into the folder.
public struct RemoteLink: Sendable, Hashable {
    public let server: URL
    public let organization: String
    public let assessment: String

    /// Checks the address (`validatedServer`) and the ids (not empty, no `/`).
    public init(server: String, organization: String, assessment: String) throws(RemoteError) {
        self.server = try Self.validatedServer(server)
        for (name, value) in [("--org", organization), ("--assessment", assessment)] where value.isEmpty
            || value.contains("/") || value.contains(where: { $0.isWhitespace || $0.isNewline }) {
            throw RemoteError.badLink(LocalizedText(
                en: "\(name) '\(value)' is not an id: copy it from the server's address bar or `GET /api/v1/organizations`",
                ja: "\(name) '\(value)' は ID ではありません。サーバーのアドレス欄か `GET /api/v1/organizations` から写してください"))
        }
        self.organization = organization
        self.assessment = assessment
    }

    /// An `https://` address, or `http://` only to this machine (127.0.0.0/8, ::1, localhost): an API token must never
    /// cross a network in clear. No user name, password, query or fragment; a trailing `/` is dropped.
    public static func validatedServer(_ text: String) throws(RemoteError) -> URL {
        func bad(_ en: String, _ ja: String) -> RemoteError {
            .badLink(LocalizedText(en: "server address '\(text)': \(en)", ja: "サーバーのアドレス '\(text)': \(ja)"))
        }
        let trimmed = text.hasSuffix("/") ? String(text.dropLast()) : text
        guard let components = URLComponents(string: trimmed), let scheme = components.scheme?.lowercased(),
              let host = components.host, !host.isEmpty else {
            throw bad("not a URL; write it like https://tekigo.example.co.jp", "URL ではありません。https://tekigo.example.co.jp のように書いてください")
        }
        guard components.user == nil, components.password == nil, components.query == nil, components.fragment == nil else {
            throw bad("give the address only, without a user name, password, `?` query or `#` fragment (the token goes in --token-file or $TEKIGO_API_TOKEN)",
                      "ユーザー名・パスワード・`?` 以降・`#` 以降を含めず、アドレスだけを指定してください（トークンは --token-file か $TEKIGO_API_TOKEN で渡します）")
        }
        switch scheme {
        case "https": break
        case "http":
            guard isLoopback(host) else {
                throw bad("plain http:// would send the API token in clear; use https:// (http:// is accepted only for this machine: 127.0.0.1, ::1, localhost)",
                          "http:// では API トークンが暗号化されずに送られます。https:// を使ってください（http:// はこのマシン 127.0.0.1・::1・localhost に限り使えます）")
            }
        default:
            throw bad("use https:// (or http:// to this machine)", "https://（このマシンなら http://）を使ってください")
        }
        guard let url = components.url else { throw bad("not a URL", "URL ではありません") }
        return url
    }

    static func isLoopback(_ host: String) -> Bool {
        let h = host.lowercased().trimmingCharacters(in: CharacterSet(charactersIn: "[]"))
        if h == "localhost" || h == "::1" { return true }
        let parts = h.split(separator: ".", omittingEmptySubsequences: false)
        return parts.count == 4 && parts[0] == "127" && parts.allSatisfy { UInt8($0) != nil }
    }

    /// `…/api/v1/organizations/{org}/assessments/{assessment}` and below.
    func url(_ path: String = "") -> URL {
        let assessmentURL = server.appendingPathComponent("api/v1/organizations").appendingPathComponent(organization)
            .appendingPathComponent("assessments").appendingPathComponent(assessment)
        return path.isEmpty ? assessmentURL : assessmentURL.appendingPathComponent(path)
    }
}

/// A failure talking to the server or reading the link, in both languages; `tekigo` prints `message[language]`.
public enum RemoteError: Error, Sendable, Equatable {
    /// `tekigo remote set` arguments, or `.tekigo/remote.yaml`, are wrong.
    case badLink(LocalizedText)
    /// No answer (refused, timed out, a name that does not resolve, TLS) or a redirect (never followed).
    case unreachable(LocalizedText)
    /// 401: the token is unknown, expired or revoked.
    case unauthenticated
    /// 403: a read-only token, a role that may not edit findings, or MFA not enrolled.
    case forbidden(serverMessage: String)
    /// 404: the organization or the assessment is not there (or not the token's organization).
    case notFound
    /// 412 on a PUT: the server's finding changed after it was read.
    case versionMismatch(current: Int?)
    /// One objective's answer the server cannot take (400, 413, 422; its evidence file missing or changed): that
    /// objective is not sent, the others are.
    case rejected(LocalizedText)
    /// Another status, or an answer that is not what the API documents.
    case unexpected(LocalizedText)

    public var message: LocalizedText {
        switch self {
        case .badLink(let t), .unreachable(let t), .unexpected(let t), .rejected(let t): return t
        case .unauthenticated:
            return LocalizedText(
                en: "the server refused the API token (unknown, expired or revoked). Create a new one on the server's API tokens page and pass it with --token-file or $TEKIGO_API_TOKEN.",
                ja: "サーバーが API トークンを受け付けませんでした（存在しない・期限切れ・失効）。サーバーの API トークンのページで新しいトークンを作成し、--token-file か $TEKIGO_API_TOKEN で渡してください。")
        case .forbidden(let serverMessage):
            let said = serverMessage.isEmpty ? "" : " (\(serverMessage))"
            return LocalizedText(
                en: "the server does not allow this\(said). Pushing needs a token with the write scope of a member whose role may edit findings (owner, admin, assessor, contributor); a read-only token or a viewer can only pull.",
                ja: "サーバーがこの操作を許可しませんでした\(said)。push には、所見を編集できる役割（所有者・管理者・評価者・寄稿者）のメンバーの書き込み（write）スコープのトークンが必要です。読み取り専用のトークンや閲覧者は pull だけができます。")
        case .notFound:
            return LocalizedText(
                en: "the server has no such organization or assessment (or the token belongs to another organization). Check the ids with `tekigo remote show` and fix them with `tekigo remote set`.",
                ja: "サーバーにその組織または評価がありません（またはトークンが別の組織のものです）。`tekigo remote show` で ID を確かめ、`tekigo remote set` で直してください。")
        case .versionMismatch:
            return LocalizedText(en: "changed on the server after it was read", ja: "読み取った後にサーバー側で変更されました")
        }
    }
}

/// Per objective, the base of the three-way rule (`FindingSyncRule`): the server version and answer digest last in
/// step. Stored in `.tekigo/sync.json` with the link it belongs to; a state of another link counts as never synced.
public struct SyncState: Sendable, Hashable, Codable {
    public var server: String
    public var organization: String
    public var assessment: String
    public var objectives: [String: SyncPoint]

    public init(link: RemoteLink, objectives: [String: SyncPoint] = [:]) {
        server = link.server.absoluteString
        organization = link.organization
        assessment = link.assessment
        self.objectives = objectives
    }

    func belongs(to link: RemoteLink) -> Bool {
        server == link.server.absoluteString && organization == link.organization && assessment == link.assessment
    }

    /// The base of `objective`: as recorded, else "never synced".
    public func base(_ objective: String) -> SyncPoint {
        objectives[objective] ?? FindingSyncRule.neverSynced(unansweredDigest: SyncedAnswer.unanswered.digest)
    }
}

extension SyncedAnswer {
    /// SHA-256 of the canonical text, in hex.
    public var digest: String { Self.sha256Hex(Data(canonical.utf8)) }

    static func sha256Hex(_ data: Data) -> String {
        SHA256.hash(data: data).map { String(format: "%02x", $0) }.joined()
    }
}

/// One objective as the server lists it.
public struct ServerFinding: Sendable, Hashable {
    public let objective: String
    public let answer: SyncedAnswer
    public let version: Int
    public let carriedOverFrom: String?
    public let assessedBy: String?
    public let assessedOn: Day?

    public init(objective: String, answer: SyncedAnswer, version: Int, carriedOverFrom: String? = nil,
                assessedBy: String? = nil, assessedOn: Day? = nil) {
        self.objective = objective
        self.answer = answer
        self.version = version
        self.carriedOverFrom = carriedOverFrom
        self.assessedBy = assessedBy
        self.assessedOn = assessedOn
    }

    public var point: SyncPoint { SyncPoint(version: version, digest: answer.digest) }

    /// The folder's finding for this answer (nil: not answered).
    var finding: Finding? {
        guard !answer.isUnanswered else { return nil }
        return Finding(status: answer.status, rationale: answer.rationale, evidence: answer.evidence, assessedBy: assessedBy,
                       assessedOn: assessedOn,
                       carriedOverFrom: answer.needsReview ? (carriedOverFrom.flatMap { $0.isEmpty ? nil : $0 } ?? "server") : nil)
    }
}

/// One objective's place in a sync.
public struct SyncItem: Sendable, Hashable {
    public let objective: String
    public let action: SyncAction
    public let local: SyncedAnswer
    public let server: ServerFinding
}

/// What a pull did.
public struct PullResult: Sendable {
    /// Objectives whose server answer came into the folder (conflicts resolved for the server included).
    public var pulled: [String] = []
    /// Conflicts left as they were: the folder keeps its answer, the server keeps its.
    public var conflicts: [SyncItem] = []
    /// Conflicts resolved by `--prefer local`: the folder's answer stays and goes with the next push.
    public var keptLocal: [String] = []
    /// Objectives changed only in the folder: `tekigo push` sends them.
    public var toPush: [String] = []
}

/// What a push did (or, with `dryRun`, would do).
public struct PushResult: Sendable {
    public var pushed: [String] = []
    /// Changed on both sides to different answers (both shown).
    public var conflicts: [SyncItem] = []
    /// Saved on the server between the push's read and its write (412): not sent; `tekigo pull` shows both answers.
    public var changedMeanwhile: [String] = []
    /// Changed only on the server: `tekigo pull` brings them.
    public var toPull: [String] = []
    /// Carried over from a previous assessment and not reviewed in the folder: not sent (a push would mark it
    /// reviewed on the server).
    public var needsReview: [String] = []
    /// Refused by the server or not sendable (its evidence file missing or changed): objective and why.
    public var rejected: [(objective: String, reason: LocalizedText)] = []
}

/// A push stopped by an error that is not one objective's (401, 403, 404, the server gone): the objectives sent
/// before it are recorded as in step; `error` says why it stopped.
public struct PushInterrupted: Error, Sendable {
    public let pushed: [String]
    public let error: RemoteError
}

extension AssessmentWorkspace {
    public static let remoteDirectory = ".tekigo"
    public static let remoteFile = ".tekigo/remote.yaml"
    public static let syncFile = ".tekigo/sync.json"

    static let remoteHeader = """
        # Where `tekigo pull` and `tekigo push` sync this folder (set with `tekigo remote set`).
        #   server        the Tekigo server: https://…, or http:// only to this machine (127.0.0.1, ::1, localhost)
        #   organization  the organization's id on that server
        #   assessment    the assessment's id on that server
        # The API token is never kept here: pass it with --token-file PATH or $TEKIGO_API_TOKEN.
        # .tekigo/sync.json records, per objective, the server version and a digest of the answer last in step.

        """

    /// The link, or nil when the folder has none.
    public func remoteLink() throws -> RemoteLink? {
        guard let text = try text(Self.remoteFile) else { return nil }
        let r = YAMLReader(file: Self.remoteFile)
        let root = try r.mapping(try r.parse(text), "the file")
        try r.checkKeys(root, allowed: ["server", "organization", "assessment"], in: Self.remoteFile)
        do {
            return try RemoteLink(server: try r.string(root["server"], "server") ?? "",
                                  organization: try r.string(root["organization"], "organization") ?? "",
                                  assessment: try r.string(root["assessment"], "assessment") ?? "")
        } catch let error as RemoteError {
            throw WorkspaceError(file: Self.remoteFile, line: nil, message: error.message.en + " (fix it with `tekigo remote set`)",
                                 ja: error.message.ja + "（`tekigo remote set` で直してください）")
        }
    }

    /// Links the folder to a server assessment. The sync state of another link stays in the file but counts as never
    /// synced. A folder that is not a workspace yet (or does not exist) gets the link alone: the first `tekigo pull`
    /// makes it one from the server's assessment (`createFromServer`).
    public func setRemote(_ link: RemoteLink) throws {
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        try withLock {
            try FileManager.default.createDirectory(at: url(Self.remoteDirectory), withIntermediateDirectories: true)
            typealias W = YAMLWriter
            try atomicWrite(Self.remoteFile, try W.render(W.map([("server", W.s(link.server.absoluteString)),
                                                                ("organization", W.s(link.organization)),
                                                                ("assessment", W.s(link.assessment))]),
                                                         header: Self.remoteHeader))
        }
    }

    /// The recorded sync state for `link` (empty when none, or when it belongs to another link).
    public func syncState(for link: RemoteLink) throws -> SyncState {
        guard let text = try text(Self.syncFile) else { return SyncState(link: link) }
        let state: SyncState
        do { state = try JSONDecoder().decode(SyncState.self, from: Data(text.utf8)) } catch {
            throw WorkspaceError(file: Self.syncFile, line: nil,
                                 message: "cannot read the sync state (\(error.localizedDescription)); delete the file to start over (the next pull compares every objective afresh)",
                                 ja: "同期の状態を読めません（\(error.localizedDescription)）。このファイルを消すとやり直せます（次の pull ですべての評価目標を比べ直します）")
        }
        return state.belongs(to: link) ? state : SyncState(link: link)
    }

    func writeSyncState(_ state: SyncState) throws {
        try FileManager.default.createDirectory(at: url(Self.remoteDirectory), withIntermediateDirectories: true)
        let enc = JSONEncoder()
        enc.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        try atomicWrite(Self.syncFile, String(decoding: try enc.encode(state), as: UTF8.self) + "\n")
    }

    /// Each objective of the assessment's catalog with the rule's action. Objectives the server does not list are
    /// left out (a catalog mismatch is refused before this).
    static func plan(_ a: Assessment, catalog: Catalog, state: SyncState, server: [String: ServerFinding]) -> [SyncItem] {
        catalog.entries.flatMap(\.assessmentObjectives).compactMap { o in
            guard let s = server[o] else { return nil }
            let local = SyncedAnswer(a.findings[o])
            return SyncItem(objective: o, action: FindingSyncRule.decide(base: state.base(o), local: local.digest, server: s.point),
                            local: local, server: s)
        }
    }

    /// Brings the server's changes into findings.yaml (one atomic write, then the sync state), leaving conflicts as
    /// they are unless `prefer` says which side wins. Holds the folder's lock throughout.
    public func pull(_ link: RemoteLink, server: [ServerFinding], prefer: SyncSide?) throws -> PullResult {
        let byObjective = Dictionary(server.map { ($0.objective, $0) }, uniquingKeysWith: { a, _ in a })
        return try withLock {
            var a = try load()
            let catalog = try library.catalog(a.catalog)
            var state = try syncState(for: link)
            var result = PullResult()
            var changed = false
            for item in Self.plan(a, catalog: catalog, state: state, server: byObjective) {
                let o = item.objective
                switch (item.action, prefer) {
                case (.inStep, _), (.converged, _):
                    state.objectives[o] = item.server.point
                case (.pull, _), (.conflict, .server?):
                    a.findings[o] = item.server.finding
                    state.objectives[o] = item.server.point
                    result.pulled.append(o)
                    changed = true
                case (.conflict, .local?):
                    // The server's answer becomes the base: the folder's counts as changed and the next push sends it.
                    state.objectives[o] = item.server.point
                    result.keptLocal.append(o)
                case (.conflict, nil):
                    result.conflicts.append(item)
                case (.push, _):
                    result.toPush.append(o)
                }
            }
            if changed { try write(a) }
            try writeSyncState(state)
            return result
        }
    }

    /// Sends each objective changed only in the folder with `send` (a PUT with If-Match), records what went through
    /// as in step, and reports conflicts per objective. A 412 is that objective's conflict; any other error stops
    /// the push after recording what went before (`PushInterrupted`). With `dryRun` nothing is sent or written.
    public func push(_ link: RemoteLink, server: [ServerFinding], dryRun: Bool,
                     send: @Sendable (_ objective: String, _ answer: SyncedAnswer, _ ifVersion: Int) async throws(RemoteError) -> ServerFinding)
        async throws -> PushResult {
        let byObjective = Dictionary(server.map { ($0.objective, $0) }, uniquingKeysWith: { a, _ in a })
        return try await withLockAsync {
            let a = try load()
            let catalog = try library.catalog(a.catalog)
            var state = try syncState(for: link)
            var result = PushResult()
            for item in Self.plan(a, catalog: catalog, state: state, server: byObjective) {
                let o = item.objective
                switch item.action {
                case .inStep, .converged:
                    state.objectives[o] = item.server.point
                case .pull:
                    result.toPull.append(o)
                case .conflict:
                    result.conflicts.append(item)
                case .push where item.local.needsReview:
                    result.needsReview.append(o)
                case .push where dryRun:
                    result.pushed.append(o)
                case .push:
                    do throws(RemoteError) {
                        // The server's answer equals the base (else the rule says pull or conflict): its version now is the
                        // one to overwrite; a save between the read and this write gets 412.
                        let stored = try await send(o, item.local, item.server.version)
                        state.objectives[o] = SyncPoint(version: stored.version, digest: item.local.digest)
                        result.pushed.append(o)
                    } catch .versionMismatch {
                        result.changedMeanwhile.append(o)
                    } catch .rejected(let reason) {
                        result.rejected.append((o, reason))
                    } catch {
                        try writeSyncState(state)
                        throw PushInterrupted(pushed: result.pushed, error: error)
                    }
                }
            }
            if !dryRun { try writeSyncState(state) }
            return result
        }
    }

    /// `withLock` for a body that awaits (the push's requests run while the folder is locked, so no local edit lands
    /// between reading the folder and recording what was sent).
    func withLockAsync<R>(_ body: () async throws -> R) async throws -> R {
        let fd = try lockFolder()
        defer { unlockFolder(fd) }
        return try await body()
    }
}

/// Which side wins a conflict in `tekigo pull --prefer`.
public enum SyncSide: String, Sendable, CaseIterable {
    case server, local
}
