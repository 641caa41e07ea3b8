import Foundation

// Incident notices up the supply chain (issue 13 item 4; DFARS 252.204-7012(m)(2), 48 CFR 204.7302(b)): a supplier
// that has reported a cyber incident to DoD gives the report number to its customer, and each tier passes it on until
// the prime. Tekigo carries it as a signed notice: the supplier signs what it sends with its Ed25519 organization key,
// and each tier above wraps the notice it received in its own signed notice, so the prime can check the whole chain
// of custody offline (TekigoAttestation's `IncidentNoticeVerifier`).
//
// The rules, in one place (the use cases apply them: TekigoUseCases' `IncidentNoticeUseCases`):
// - **Who is told.** The reporting supplier tells every customer with which it holds an affected contract (the
//   contracts it named on the incident), each about that customer's contracts only.
// - **What is told.** The report number, its kind (and the initial number a follow-on cites), when the incident was
//   discovered and when the report was submitted, and the affected contract numbers of that customer. Nothing else
//   unless the supplier ticks it (`IncidentNoticeField`); the default is that minimum. What a supplier sends travels
//   up the chain unchanged (it is signed), so the page says so before it is sent.
// - **Who passes it on, and to whom.** A tier that receives a notice forwards it to each of its own customers on the
//   contracts on which it is the supplier and that carry DFARS 252.204-7012 — all of them: Tekigo does not know which
//   of its customers' programmes the sub-tier contract serves, and (m) flows down on every contract carrying the
//   clause, so the conservative reading is every 7012 contract above. Customers on contracts without the clause hear
//   nothing. A tier with no such contract is the top of this chain (the prime).
// - **Names.** The signed notice names organizations by id only, never by name: a tier above learns who reported only
//   as the consent rule allows (`DetailVisibility`), and each recipient knows its direct supplier, who sent it.
// - **Automatic, unless a tier says otherwise.** A received notice is passed on in the transaction it arrives in,
//   signed with the receiving tier's key (the server holds it, as for attestations): 204.7302(b) obliges every tier to
//   pass the number on, and a notice waiting for a click is how a prime learns late. A tier that wants to read first
//   turns automatic forwarding off and passes each notice on with one click.
// - **Acknowledgement.** A recipient acknowledges the notice it received; the acknowledgement is recorded on that
//   notice and on every notice below it in the chain, so each sender down to the reporting supplier sees that it
//   arrived — counted in tiers above its own customer, never naming the organizations above that customer.
// - **Refusal.** A notice that does not verify (any layer's signature, key id, canonical form, chain rule, or a key
//   its signer does not publish) is refused and changes nothing.

/// A field of the incident a supplier may choose to include in its notice. The default is none of them.
public enum IncidentNoticeField: String, Sendable, Codable, CaseIterable, Comparable {
    case title
    case phase
    case compromiseType = "compromise-type"
    case outcome
    case information
    case technique
    case narrative

    public static func < (a: Self, b: Self) -> Bool { allCases.firstIndex(of: a)! < allCases.firstIndex(of: b)! }

    public var label: LocalizedText {
        switch self {
        case .title: return LocalizedText(en: "Incident title", ja: "件名")
        case .phase: return LocalizedText(en: "Handling phase (detected … closed)", ja: "対応段階（検知〜終結）")
        case .compromiseType: return LocalizedText(en: "Type of compromise", ja: "侵害の種類")
        case .outcome: return LocalizedText(en: "Outcome", ja: "結果（侵害成立・未遂）")
        case .information: return LocalizedText(en: "Information involved (CUI category / 情報セキュリティ指定書)", ja: "関係する情報（CUI 区分・情報セキュリティ指定書）")
        case .technique: return LocalizedText(en: "Technique or method", ja: "攻撃の手口")
        case .narrative: return LocalizedText(en: "Narrative", ja: "経緯")
        }
    }
}

/// What the reporting supplier tells its customers about one DoD report: the minimum the rule asks for, and the
/// fields it chose to include (absent otherwise — never null).
public struct IncidentNoticeReport: Sendable, Hashable, Codable {
    /// The number DoD gave the report.
    public var reportNumber: String
    /// `SubmissionKind` raw value of a DoD report: `dod-initial`, `dod-follow-on` or `dod-voluntary`.
    public var reportKind: String
    /// For a follow-on report, the initial report's number it cites.
    public var cites: String?
    /// When the incident was discovered, ISO 8601 UTC (`2027-01-07T17:13:00Z`).
    public var discoveredAt: String
    /// When the report was submitted to DoD, ISO 8601 UTC.
    public var submittedAt: String
    public var title: String?
    /// `IncidentPhase` raw value.
    public var phase: String?
    /// `CompromiseType` raw value.
    public var compromiseType: String?
    /// `IncidentOutcome` raw value.
    public var outcome: String?
    /// `cui:<category>`, `protected-information:<指定書>` or `none-known`.
    public var information: String?
    public var technique: String?
    public var narrative: String?

    public init(reportNumber: String, reportKind: SubmissionKind, cites: String? = nil, discoveredAt: Date, submittedAt: Date) {
        self.reportNumber = reportNumber
        self.reportKind = reportKind.rawValue
        self.cites = cites
        self.discoveredAt = IncidentNoticePayload.instant(discoveredAt)
        self.submittedAt = IncidentNoticePayload.instant(submittedAt)
    }

    /// The report of `submission` with the facts the supplier chose to include.
    public init(facts: IncidentFacts, phase: IncidentPhase, submission: IncidentSubmission,
                include: Set<IncidentNoticeField>) throws(IncidentNoticeError) {
        guard submission.kind.carriesDoDReportNumber, let number = submission.reportNumber else {
            throw .notADoDReport(submission.kind.rawValue)
        }
        self.init(reportNumber: number, reportKind: submission.kind, cites: submission.kind == .dodFollowOn ? submission.cites : nil,
                  discoveredAt: facts.discoveredAt, submittedAt: submission.submittedAt)
        if include.contains(.title) { title = facts.title }
        if include.contains(.phase) { self.phase = phase.rawValue }
        if include.contains(.compromiseType) { compromiseType = facts.compromiseType.rawValue }
        if include.contains(.outcome) { outcome = facts.outcome.rawValue }
        if include.contains(.information) {
            switch facts.information {
            case .cui(let c): information = "cui:\(c)"
            case .protectedInformation(let r): information = "protected-information:\(r)"
            case .noneKnown: information = "none-known"
            }
        }
        if include.contains(.technique), !facts.technique.isEmpty { technique = facts.technique }
        if include.contains(.narrative), !facts.narrative.isEmpty { narrative = facts.narrative }
    }

    public var kind: SubmissionKind? { SubmissionKind(rawValue: reportKind) }
    public var discoveredDate: Date? { IncidentNoticePayload.date(discoveredAt) }
    public var submittedDate: Date? { IncidentNoticePayload.date(submittedAt) }

    /// The optional fields present, in order.
    public var included: [IncidentNoticeField] {
        var out: [IncidentNoticeField] = []
        if title != nil { out.append(.title) }
        if phase != nil { out.append(.phase) }
        if compromiseType != nil { out.append(.compromiseType) }
        if outcome != nil { out.append(.outcome) }
        if information != nil { out.append(.information) }
        if technique != nil { out.append(.technique) }
        if narrative != nil { out.append(.narrative) }
        return out
    }

    /// The DFARS 252.204-7012 clocks this report lets a recipient follow: the 72-hour report (met by this report's
    /// submission when it is the initial one) and the 90-day preservation from the initial report. Worked out from
    /// what was sent only.
    public func deadlines(now: Date, table: ReportingRegimeTable = .builtIn) -> [IncidentDeadline] {
        guard let discovered = discoveredDate, let submitted = submittedDate else { return [] }
        let facts = kind == .dodInitial ? [SubmissionFact(kind: .dodInitial, submittedAt: submitted)] : []
        return IncidentClock.deadlines(table: table, clauses: [.dfars7012], discoveredAt: discovered, submissions: facts, now: now)
            .filter { $0.rule.id != "dfars-7012.tell-customer" }
    }

    func validate(path: String) throws(IncidentNoticeError) {
        func text(_ value: String?, _ name: String, _ limit: Int) throws(IncidentNoticeError) {
            guard let value else { return }
            guard !value.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else { throw .invalid(field: "\(path).\(name)", "empty") }
            guard value.count <= limit else { throw .invalid(field: "\(path).\(name)", "longer than \(limit) characters") }
        }
        try text(reportNumber, "reportNumber", 100)
        guard let kind, kind.carriesDoDReportNumber else { throw .invalid(field: "\(path).reportKind", "'\(reportKind)' is not a DoD report") }
        try text(cites, "cites", 100)
        if cites != nil, kind != .dodFollowOn { throw .invalid(field: "\(path).cites", "only a follow-on report cites another") }
        guard let d = IncidentNoticePayload.date(discoveredAt) else { throw .invalid(field: "\(path).discoveredAt", "not YYYY-MM-DDThh:mm:ssZ") }
        guard let s = IncidentNoticePayload.date(submittedAt) else { throw .invalid(field: "\(path).submittedAt", "not YYYY-MM-DDThh:mm:ssZ") }
        guard d <= s else { throw .invalid(field: "\(path).submittedAt", "before the discovery") }
        try text(title, "title", 200)
        if let phase, IncidentPhase(rawValue: phase) == nil { throw .invalid(field: "\(path).phase", "unknown phase '\(phase)'") }
        if let compromiseType, CompromiseType(rawValue: compromiseType) == nil {
            throw .invalid(field: "\(path).compromiseType", "unknown value '\(compromiseType)'")
        }
        if let outcome, IncidentOutcome(rawValue: outcome) == nil { throw .invalid(field: "\(path).outcome", "unknown value '\(outcome)'") }
        try text(information, "information", 500)
        try text(technique, "technique", 4000)
        try text(narrative, "narrative", 20000)
    }
}

/// What a notice carries besides its addressing: the supplier's report (a notice from the reporting supplier), or
/// the signed notice a tier received and passes on.
public indirect enum IncidentNoticeBody: Sendable, Hashable, Codable {
    case report(IncidentNoticeReport)
    case forwarded(IncidentNoticeEnvelope)

    enum CodingKeys: String, CodingKey { case report, forwarded }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let keys = c.allKeys
        guard keys.count == 1 else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath,
                                                    debugDescription: "a notice body has exactly one of report, forwarded"))
        }
        if keys[0] == .report {
            self = .report(try c.decode(IncidentNoticeReport.self, forKey: .report))
        } else {
            self = .forwarded(try c.decode(IncidentNoticeEnvelope.self, forKey: .forwarded))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        switch self {
        case .report(let r): try c.encode(r, forKey: .report)
        case .forwarded(let e): try c.encode(e, forKey: .forwarded)
        }
    }
}

/// One signed notice from one organization to one customer: the payload whose canonical bytes are signed.
public struct IncidentNoticePayload: Sendable, Hashable, Codable {
    public static let currentFormatVersion = 1
    /// A chain longer than this is refused (deeper supply chains are a data error; it also keeps the nested JSON within
    /// the strict reader's 32 levels).
    public static let maximumTier = 8

    public var formatVersion: Int
    /// The notice's own id.
    public var id: String
    /// ISO 8601 UTC.
    public var issuedAt: String
    /// The organization that signs (by id).
    public var sender: String
    /// The customer it is addressed to (by id).
    public var recipient: String
    /// Numbers of the contracts on which `recipient` is the customer and `sender` the supplier that this notice is
    /// about, sorted.
    public var contracts: [String]
    /// How many tiers below the recipient the reporting supplier is: 1 when the reporting supplier sends it, one more
    /// for every tier that passed it on.
    public var tier: Int
    public var body: IncidentNoticeBody

    /// The notice of the reporting supplier.
    public init(id: String, issuedAt: Date, sender: String, recipient: String, contracts: [String], report: IncidentNoticeReport) {
        self.formatVersion = Self.currentFormatVersion
        self.id = id
        self.issuedAt = Self.instant(issuedAt)
        self.sender = sender
        self.recipient = recipient
        self.contracts = Array(Set(contracts)).sorted()
        self.tier = 1
        self.body = .report(report)
    }

    /// A tier passing on the signed notice it received.
    public init(id: String, issuedAt: Date, sender: String, recipient: String, contracts: [String], forwarding received: IncidentNoticeEnvelope) {
        self.formatVersion = Self.currentFormatVersion
        self.id = id
        self.issuedAt = Self.instant(issuedAt)
        self.sender = sender
        self.recipient = recipient
        self.contracts = Array(Set(contracts)).sorted()
        self.tier = received.payload.tier + 1
        self.body = .forwarded(received)
    }

    /// The reporting supplier's report, however deep it is wrapped.
    public var report: IncidentNoticeReport {
        switch body {
        case .report(let r): return r
        case .forwarded(let e): return e.payload.report
        }
    }

    /// The organization that reported (the sender of the innermost notice).
    public var origin: String {
        switch body {
        case .report: return sender
        case .forwarded(let e): return e.payload.origin
        }
    }

    /// The received notice this one passes on, if it is a forward.
    public var inner: IncidentNoticeEnvelope? {
        if case .forwarded(let e) = body { return e }
        return nil
    }

    /// The chain from the reporting supplier's notice (first) to this one (last).
    public var chain: [IncidentNoticePayload] { (inner.map { $0.payload.chain } ?? []) + [self] }

    /// Checks the rules of the format (the innermost notice first): its version, ids, the instant, contracts, the tier
    /// and, for a forward, that the notice it wraps was addressed to this notice's sender and is one tier lower.
    /// Signatures are TekigoAttestation's `IncidentNoticeVerifier`'s.
    public func validate(path: String = "payload") throws(IncidentNoticeError) {
        guard formatVersion == Self.currentFormatVersion else {
            throw .invalid(field: "\(path).formatVersion", "version \(formatVersion) is not supported (this Tekigo reads \(Self.currentFormatVersion))")
        }
        for (name, value) in [("id", id), ("sender", sender), ("recipient", recipient)] {
            guard !value.isEmpty, value.count <= 100, !value.utf8.contains(0) else { throw .invalid(field: "\(path).\(name)", "empty or too long") }
        }
        guard sender != recipient else { throw .invalid(field: "\(path).recipient", "a notice is sent to another organization") }
        guard Self.date(issuedAt) != nil else { throw .invalid(field: "\(path).issuedAt", "not YYYY-MM-DDThh:mm:ssZ") }
        guard !contracts.isEmpty else { throw .invalid(field: "\(path).contracts", "names no contract") }
        guard contracts.count <= 1000, contracts == Array(Set(contracts)).sorted(),
              contracts.allSatisfy({ !$0.isEmpty && $0.count <= 100 }) else {
            throw .invalid(field: "\(path).contracts", "contract numbers are 1–100 characters, unique and sorted")
        }
        guard (1...Self.maximumTier).contains(tier) else { throw .invalid(field: "\(path).tier", "must be 1–\(Self.maximumTier)") }
        switch body {
        case .report(let r):
            guard tier == 1 else { throw .invalid(field: "\(path).tier", "the reporting supplier's own notice is tier 1") }
            try r.validate(path: "\(path).body.report")
        case .forwarded(let e):
            let inner = "\(path).body.forwarded"
            try e.payload.validate(path: "\(inner).payload")
            guard e.payload.recipient == sender else {
                throw .invalid(field: "\(inner).payload.recipient", "the notice passed on was addressed to '\(e.payload.recipient)', not to the sender '\(sender)'")
            }
            guard tier == e.payload.tier + 1 else { throw .invalid(field: "\(path).tier", "must be one more than the notice passed on") }
            guard e.payload.chain.allSatisfy({ $0.sender != recipient }) else {
                throw .invalid(field: "\(path).recipient", "the chain would return to an organization it came from")
            }
        }
    }

    /// The bytes that are signed: the canonical JSON (sorted keys, no white space) of the payload after `validate()`.
    public func canonicalBytes() throws(IncidentNoticeError) -> Data {
        try validate()
        do { return try CanonicalJSON.encode(self) } catch { throw .invalid(field: "payload", String(describing: error)) }
    }

    // MARK: instants

    /// `2027-01-07T17:13:00Z`: whole seconds, UTC.
    public static func instant(_ date: Date) -> String {
        OffsetInstant.format(Date(timeIntervalSince1970: date.timeIntervalSince1970.rounded(.down)), in: TimeZone(identifier: "UTC")!)
    }

    /// The instant of a string in exactly the form `instant(_:)` writes, else nil.
    public static func date(_ text: String) -> Date? {
        guard text.count == 20, text.hasSuffix("Z"), let i = try? OffsetInstant.parse(text), instant(i.date) == text else { return nil }
        return i.date
    }
}

/// A signed notice as exchanged: `tekigo-incident-notice/1`, the same six members as a signed attestation
/// (`format`, `algorithm`, `keyId`, `publicKey`, `payload`, `signature`), the signature over the payload's canonical
/// bytes. Inside a forward, the received notice appears as this object, canonical like the rest.
public struct IncidentNoticeEnvelope: Sendable, Hashable, Codable {
    public static let format = "tekigo-incident-notice/1"
    public static let algorithm = "Ed25519"

    public var format: String
    public var algorithm: String
    /// The first 16 hexadecimal digits of the SHA-256 of the raw public key (as for attestations).
    public var keyId: String
    /// The raw 32-byte Ed25519 public key, base64.
    public var publicKey: String
    public var payload: IncidentNoticePayload
    /// The 64-byte Ed25519 signature over `payload.canonicalBytes()`, base64.
    public var signature: String

    public init(keyId: String, publicKey: String, payload: IncidentNoticePayload, signature: String) {
        self.format = Self.format
        self.algorithm = Self.algorithm
        self.keyId = keyId
        self.publicKey = publicKey
        self.payload = payload
        self.signature = signature
    }

    /// The file: the six members one per line, the payload as its canonical (signed) bytes, a final newline.
    public func encoded() throws(IncidentNoticeError) -> Data {
        var out = Data("{\n".utf8)
        func member(_ name: String, _ value: String) { out.append(contentsOf: "  \"\(name)\": \"\(value)\",\n".utf8) }
        guard [keyId, publicKey, signature].allSatisfy({ $0.allSatisfy { $0.isASCII && $0 != "\"" && $0 != "\\" } }) else {
            throw .invalid(field: "keyId", "not hexadecimal or base64")
        }
        member("format", format)
        member("algorithm", algorithm)
        member("keyId", keyId)
        member("publicKey", publicKey)
        out.append(contentsOf: "  \"payload\": ".utf8)
        out.append(try payload.canonicalBytes())
        out.append(contentsOf: ",\n  \"signature\": \"\(signature)\"\n}\n".utf8)
        return out
    }
}
