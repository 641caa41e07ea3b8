/// Keeping an assessment folder and a server's assessment in step (`tekigo pull` / `tekigo push`, issue 17 item 4).
///
/// What is synced per objective is its *answer*: the status, the note (rationale), the evidence references and
/// whether it still waits for review (carried over from a previous assessment). Who saved it and when are recorded by
/// whichever side saved it and are not compared.
///
/// The rule is three-way. For every objective the folder remembers its *base*: the server's version and a digest of
/// the answer as they were when the two sides last agreed. Then:
///
/// | folder vs base | server vs base | outcome                                                             |
/// |----------------|----------------|---------------------------------------------------------------------|
/// | same           | same           | in step (nothing to do)                                             |
/// | changed        | same           | push: the folder's answer goes to the server                        |
/// | same           | changed        | pull: the server's answer comes into the folder                     |
/// | changed        | changed        | both to the same answer: in step (the base moves); else a conflict  |
///
/// "Changed" compares answers (digests), not versions: a server save that left the answer as it was (or a version
/// bump alone) is no change, so it never makes a conflict. An objective never synced has the base "version 0, not
/// answered", which is what the server reports for an objective nobody answered.
public struct SyncedAnswer: Sendable, Hashable {
    public var status: FindingStatus
    public var rationale: String
    public var evidence: [EvidenceRef]
    public var needsReview: Bool

    public init(status: FindingStatus, rationale: String = "", evidence: [EvidenceRef] = [], needsReview: Bool = false) {
        self.status = status
        self.rationale = rationale
        self.evidence = evidence
        self.needsReview = needsReview
    }

    /// The answer a finding gives; no finding is the answer "not assessed, no note, no evidence".
    public init(_ finding: Finding?) {
        self.init(status: finding?.status ?? .notAssessed, rationale: finding?.rationale ?? "",
                  evidence: finding?.evidence ?? [], needsReview: finding?.needsReview ?? false)
    }

    /// Nobody answered: what a fresh folder holds and what the server lists at version 0.
    public static let unanswered = SyncedAnswer(status: .notAssessed)

    public var isUnanswered: Bool { self == .unanswered }

    /// One line per part, each part's fields separated by U+001F; the text a digest is taken of. Two answers have
    /// the same canonical text exactly when they are equal.
    public var canonical: String {
        var lines = ["status\u{1F}" + status.rawValue, "note\u{1F}" + Self.escaped(rationale),
                     "review\u{1F}" + (needsReview ? "1" : "0")]
        for e in evidence {
            lines.append(["evidence", Self.escaped(e.location), e.sha256 ?? "", e.size.map(String.init) ?? "",
                          e.date?.description ?? ""].joined(separator: "\u{1F}"))
        }
        return lines.joined(separator: "\n")
    }

    /// Newlines and the separator escaped, so a note cannot forge another line or field.
    static func escaped(_ s: String) -> String {
        s.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\n", with: "\\n")
            .replacingOccurrences(of: "\r", with: "\\r").replacingOccurrences(of: "\u{1F}", with: "\\u001F")
    }
}

/// The server's version of an objective's finding and a digest of its answer: the base an objective was last in step
/// at, or what a server reports now.
public struct SyncPoint: Sendable, Hashable, Codable {
    public var version: Int
    public var digest: String

    public init(version: Int, digest: String) {
        self.version = version
        self.digest = digest
    }
}

/// What to do with one objective.
public enum SyncAction: String, Sendable, Hashable {
    /// Nothing changed on either side.
    case inStep = "in-step"
    /// Only the folder changed: send its answer to the server.
    case push
    /// Only the server changed: bring its answer into the folder.
    case pull
    /// Both changed, to the same answer: nothing to send, only the base moves.
    case converged
    /// Both changed, to different answers: a person decides (`tekigo pull --prefer server|local`).
    case conflict
}

/// The three-way rule (see `SyncedAnswer`). Pure: digests in, an action out.
public enum FindingSyncRule {
    /// - Parameters:
    ///   - base: where the objective was last in step (`neverSynced` when it never was).
    ///   - local: the digest of the folder's answer now.
    ///   - server: the server's version and answer digest now.
    public static func decide(base: SyncPoint, local: String, server: SyncPoint) -> SyncAction {
        let localChanged = local != base.digest
        let serverChanged = server.digest != base.digest
        switch (localChanged, serverChanged) {
        case (false, false): return .inStep
        case (true, false): return .push
        case (false, true): return .pull
        case (true, true): return local == server.digest ? .converged : .conflict
        }
    }

    /// The base of an objective never synced: version 0 and the unanswered answer's digest.
    public static func neverSynced(unansweredDigest: String) -> SyncPoint {
        SyncPoint(version: 0, digest: unansweredDigest)
    }
}
