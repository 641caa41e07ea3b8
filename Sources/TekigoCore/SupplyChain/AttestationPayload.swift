import Foundation

/// How much of the assessment an attestation discloses.
public enum DetailLevel: String, Sendable, Codable, CaseIterable {
    /// Score, statuses, dates and requirement totals only.
    case summary
    /// Also met / not met / N/A / not assessed per family.
    case families

    public var label: LocalizedText {
        switch self {
        case .summary: return LocalizedText(en: "Summary", ja: "概要のみ")
        case .families: return LocalizedText(en: "Per family", ja: "ファミリー別")
        }
    }
}

/// How many requirements have each status (32 CFR 170.24(b)).
public struct RequirementCounts: Sendable, Hashable, Codable {
    public var met: Int
    public var notMet: Int
    public var notApplicable: Int
    public var notAssessed: Int

    public init(met: Int = 0, notMet: Int = 0, notApplicable: Int = 0, notAssessed: Int = 0) {
        self.met = met
        self.notMet = notMet
        self.notApplicable = notApplicable
        self.notAssessed = notAssessed
    }

    public var total: Int { met + notMet + notApplicable + notAssessed }

    /// Every requirement met or N/A, none left unassessed (N/A counts as met: 32 CFR 170.24(b)(3)).
    public var allMet: Bool { notMet == 0 && notAssessed == 0 }

    mutating func count(_ status: RequirementStatus) {
        switch status {
        case .met: met += 1
        case .notMet: notMet += 1
        case .notApplicable: notApplicable += 1
        case .notAssessed: notAssessed += 1
        }
    }

    static func + (a: RequirementCounts, b: RequirementCounts) -> RequirementCounts {
        RequirementCounts(met: a.met + b.met, notMet: a.notMet + b.notMet, notApplicable: a.notApplicable + b.notApplicable,
                          notAssessed: a.notAssessed + b.notAssessed)
    }
}

/// One family's requirement counts, keyed by the catalog's family id (`3.1`, `03.01`).
public struct FamilySummary: Sendable, Hashable, Codable {
    public var family: String
    public var met: Int
    public var notMet: Int
    public var notApplicable: Int
    public var notAssessed: Int

    public init(family: String, met: Int = 0, notMet: Int = 0, notApplicable: Int = 0, notAssessed: Int = 0) {
        self.family = family
        self.met = met
        self.notMet = notMet
        self.notApplicable = notApplicable
        self.notAssessed = notAssessed
    }

    public var counts: RequirementCounts {
        RequirementCounts(met: met, notMet: notMet, notApplicable: notApplicable, notAssessed: notAssessed)
    }

    /// Some requirement of the family is not met, or not assessed (which scores as not implemented).
    public var isFailing: Bool { !counts.allMet }
}

/// The organization an attestation speaks for.
public struct AttestedOrganization: Sendable, Hashable, Codable {
    /// Tekigo's id for the organization (the one used in the supply graph).
    public var id: String
    public var name: String
    /// CAGE codes mapped to the assessed system's SSP (DoD Assessment Methodology Annex B).
    public var cageCodes: [String]
    /// SAM Unique Entity ID.
    public var uei: String?
    /// 法人番号.
    public var corporateNumber: String?

    public init(id: String, name: String, cageCodes: [String] = [], uei: String? = nil, corporateNumber: String? = nil) {
        self.id = id
        self.name = name
        self.cageCodes = cageCodes
        self.uei = uei
        self.corporateNumber = corporateNumber
    }

    /// Non-empty id and name, each CAGE code, the UEI and the 法人番号 well-formed.
    public func validate() throws(SupplyChainError) {
        guard !id.trimmed.isEmpty else { throw .emptyOrganizationID }
        guard !name.trimmed.isEmpty else { throw .emptyOrganizationName(id) }
        for code in cageCodes { try EntityIdentifiers.validateCAGE(code) }
        if let uei { try EntityIdentifiers.validateUEI(uei) }
        if let corporateNumber { try EntityIdentifiers.validateCorporateNumber(corporateNumber) }
    }
}

/// What a supplier signs and shares with its customers: the summary of one assessment. Signing happens elsewhere;
/// this is the data and its canonical bytes (`canonicalBytes()`), over which the signature is made.
public struct AttestationPayload: Sendable, Hashable, Codable {
    public static let currentFormatVersion = 1
    /// The CMMC status words, as `ScoreSummary` writes them.
    public static let cmmcStatuses: Set<String> = ["final", "conditional", "not-eligible"]
    /// DFARS 252.204-7019(b): an assessment is current when it is not more than 3 years old.
    public static let maximumValidityYears = 3
    /// An attestation within this many days of its expiry is `expiring`.
    public static let expiringWindowDays = 90

    public var formatVersion: Int
    /// Unique id of this attestation.
    public var id: String
    /// ISO 8601 date and time of issue (`2026-11-27T09:30:00Z`).
    public var issuedAt: String
    public var organization: AttestedOrganization
    /// The system (SSP) the assessment covers.
    public var systemScope: String
    public var assessmentKind: AssessmentKind
    public var assessmentDate: Day
    public var catalog: CatalogID
    /// SPRS score (−203…110); nil without an SSP or for catalogs without SPRS values.
    public var sprsScore: Int?
    /// `final`, `conditional` or `not-eligible` (32 CFR 170.21); nil for catalogs without SPRS values.
    public var cmmcStatus: String?
    /// The date by which a Conditional Level 2 POA&M must be closed out (32 CFR 170.21(b)).
    public var cmmcCloseoutDue: Day?
    /// The date a score of 110 is expected (DoD Assessment Methodology Annex B); nil when not yet planned.
    public var poamCompletionDate: Day?
    /// Requirement counts over the whole catalog; always present.
    public var totals: RequirementCounts
    public var detailLevel: DetailLevel
    /// Per family, in catalog order; present exactly when `detailLevel` is `families`.
    public var families: [FamilySummary]?
    /// The last day the attestation is current.
    public var expiresAt: Day
    /// The id of the attestation this one replaces.
    public var supersedes: String?
    /// The cloud services holding the organization's CUI (issue 15: a FedRAMP package id or an ISMAP registration
    /// number, `CloudServiceRef`). Absent when none is named: it is then left out of the signed bytes, so attestations
    /// made before the field existed keep their exact bytes and still verify.
    public var cloudServices: [CloudServiceRef]?

    public init(formatVersion: Int = AttestationPayload.currentFormatVersion, id: String, issuedAt: String,
                organization: AttestedOrganization, systemScope: String, assessmentKind: AssessmentKind,
                assessmentDate: Day, catalog: CatalogID, sprsScore: Int?, cmmcStatus: String?, cmmcCloseoutDue: Day? = nil,
                poamCompletionDate: Day?, totals: RequirementCounts, detailLevel: DetailLevel,
                families: [FamilySummary]? = nil, expiresAt: Day? = nil, supersedes: String? = nil,
                cloudServices: [CloudServiceRef]? = nil) {
        self.formatVersion = formatVersion
        self.id = id
        self.issuedAt = issuedAt
        self.organization = organization
        self.systemScope = systemScope
        self.assessmentKind = assessmentKind
        self.assessmentDate = assessmentDate
        self.catalog = catalog
        self.sprsScore = sprsScore
        self.cmmcStatus = cmmcStatus
        self.cmmcCloseoutDue = cmmcCloseoutDue
        self.poamCompletionDate = poamCompletionDate
        self.totals = totals
        self.detailLevel = detailLevel
        self.families = families
        self.expiresAt = expiresAt ?? AttestationPayload.latestExpiry(assessedOn: assessmentDate)
        self.supersedes = supersedes
        self.cloudServices = cloudServices
    }

    /// The last day an assessment made on `date` is current: 3 years later (DFARS 252.204-7019(b): "not more than
    /// 3 years old"). 29 February rolls back to 28 February.
    public static func latestExpiry(assessedOn date: Day) -> Day {
        Day(Day.calendar.date(byAdding: .year, value: maximumValidityYears, to: date.date)!)
    }

    /// `issuedAt` as an instant; nil when it is not ISO 8601.
    public var issuedInstant: Date? { try? Date.ISO8601FormatStyle().parse(issuedAt) }

    /// Checks everything a reader relies on; every failure names the field and how to fix it.
    public func validate() throws(SupplyChainError) {
        guard formatVersion == Self.currentFormatVersion else { throw .unsupportedFormatVersion(formatVersion) }
        guard !id.trimmed.isEmpty else { throw .emptyAttestationID }
        guard let issued = issuedInstant else { throw .invalidIssuedAt(issuedAt) }
        // The assessment date is a local calendar day: it began at the earliest at 00:00 UTC+14.
        guard issued >= assessmentDate.date.addingTimeInterval(-14 * 3600) else {
            throw .issuedBeforeAssessment(issued: issuedAt, assessed: assessmentDate)
        }
        try organization.validate()
        guard !systemScope.trimmed.isEmpty else { throw .emptySystemScope }
        if let s = sprsScore, !(SPRSResult.minimum...SPRSResult.maximum).contains(s) { throw .scoreOutOfRange(s) }
        if let s = cmmcStatus, !Self.cmmcStatuses.contains(s) { throw .unknownCMMCStatus(s) }
        guard (cmmcStatus == "conditional") == (cmmcCloseoutDue != nil) else { throw .cmmcCloseoutMismatch(status: cmmcStatus) }
        guard expiresAt >= assessmentDate else { throw .expiryBeforeAssessment(expiresAt: expiresAt, assessed: assessmentDate) }
        let limit = Self.latestExpiry(assessedOn: assessmentDate)
        guard expiresAt <= limit else { throw .expiryBeyondThreeYears(expiresAt: expiresAt, limit: limit) }
        if let s = supersedes, s == id { throw .supersedesItself(id) }
        guard (detailLevel == .families) == (families != nil) else { throw .detailLevelMismatch(detailLevel) }
        for (name, n) in [("met", totals.met), ("notMet", totals.notMet), ("notApplicable", totals.notApplicable),
                          ("notAssessed", totals.notAssessed)] where n < 0 {
            throw .negativeCount("totals.\(name)")
        }
        if let families {
            for f in families {
                for (name, n) in [("met", f.met), ("notMet", f.notMet), ("notApplicable", f.notApplicable),
                                  ("notAssessed", f.notAssessed)] where n < 0 {
                    throw .negativeCount("family \(f.family) \(name)")
                }
            }
            let sum = families.reduce(RequirementCounts()) { $0 + $1.counts }
            guard sum == totals else { throw .familyTotalsMismatch }
        }
    }

    /// The bytes a signature covers: JSON with keys sorted by UTF-16 code unit at every level, no white space,
    /// no escaped slashes, only the escapes JSON requires (RFC 8785 style), CAGE codes sorted and families in
    /// natural id order. The same payload gives the same bytes on every platform, however its JSON was ordered.
    /// Refuses an invalid payload, so nothing invalid is ever signed.
    public func canonicalBytes() throws(SupplyChainError) -> Data {
        try validate()
        var c = self
        c.organization.cageCodes.sort()
        c.families = families?.sorted { RequirementOrder.precedes($0.family, $1.family) }
        c.cloudServices = cloudServices?.sorted { $0.description < $1.description }
        do { return try CanonicalJSON.encode(c) } catch {
            throw .undecodableAttestation(String(describing: error))
        }
    }

    /// Decodes and validates an attestation someone shared (JSON bytes: `Data`, `[UInt8]`, a string's `utf8`).
    public static func decode(_ json: some Collection<UInt8>) throws(SupplyChainError) -> AttestationPayload {
        let p: AttestationPayload
        do { p = try CanonicalJSON.decode(AttestationPayload.self, from: json) } catch {
            throw .undecodableAttestation(String(describing: error))
        }
        try p.validate()
        return p
    }
}

/// Whether an attestation can be relied on at a given date.
public enum AttestationValidity: String, Sendable, Codable, CaseIterable {
    case current
    /// Within `AttestationPayload.expiringWindowDays` (90) days of its expiry, still current.
    case expiring
    /// Past its last day (DFARS 252.204-7019(b): more than 3 years old, or a shorter term ran out).
    case expired
    /// A later attestation of the same organization replaces it.
    case superseded

    public var label: LocalizedText {
        switch self {
        case .current: return LocalizedText(en: "Current", ja: "有効")
        case .expiring: return LocalizedText(en: "Expiring soon", ja: "期限間近")
        case .expired: return LocalizedText(en: "Expired", ja: "期限切れ")
        case .superseded: return LocalizedText(en: "Superseded", ja: "更新済み（旧版）")
        }
    }

    /// Still usable as evidence (current or expiring).
    public var isInForce: Bool { self == .current || self == .expiring }
}

extension AttestationPayload {
    /// Days from `date` to the last valid day: 0 on the expiry day itself, negative once expired.
    public func daysUntilExpiry(at date: Day) -> Int { date.days(until: expiresAt) }

    /// Validity at `date`. Precedence: superseded (some attestation in `others` of the same organization, issued
    /// on or before `date`, names this one in `supersedes`), then expired (`date` after `expiresAt`), then
    /// expiring (0…90 days left), else current. On `expiresAt` itself the attestation is still in force.
    public func validity(at date: Day, among others: [AttestationPayload] = []) -> AttestationValidity {
        let replaced = others.contains { o in
            o.supersedes == id && o.id != id && o.organization.id == organization.id
                && (o.issuedInstant.map { Day($0) <= date } ?? false)
        }
        if replaced { return .superseded }
        let left = daysUntilExpiry(at: date)
        if left < 0 { return .expired }
        if left <= Self.expiringWindowDays { return .expiring }
        return .current
    }
}

extension Day {
    /// Whole days from `self` to `other` (negative when `other` is earlier).
    func days(until other: Day) -> Int {
        Day.calendar.dateComponents([.day], from: date, to: other.date).day!
    }
}

/// The canonical JSON writer behind `AttestationPayload.canonicalBytes()`. Encodes with `JSONEncoder`, reads the
/// result back as plain JSON values, and writes those itself, so neither key order nor escaping depends on the
/// platform's encoder. Integers, strings, booleans, null, arrays and objects only (the payload has no fractions).
enum CanonicalJSON {
    indirect enum Value: Decodable, Equatable {
        case null
        case bool(Bool)
        case int(Int)
        case string(String)
        case array([Value])
        case object([String: Value])

        private struct Key: CodingKey {
            var stringValue: String
            var intValue: Int? { nil }
            init(stringValue: String) { self.stringValue = stringValue }
            init?(intValue: Int) { nil }
        }

        init(from decoder: any Decoder) throws {
            if let c = try? decoder.container(keyedBy: Key.self) {
                var out: [String: Value] = [:]
                for k in c.allKeys { out[k.stringValue] = try c.decode(Value.self, forKey: k) }
                self = .object(out)
            } else if var c = try? decoder.unkeyedContainer() {
                var out: [Value] = []
                while !c.isAtEnd { out.append(try c.decode(Value.self)) }
                self = .array(out)
            } else {
                let c = try decoder.singleValueContainer()
                if c.decodeNil() { self = .null }
                else if let i = try? c.decode(Int.self) { self = .int(i) }
                else if let b = try? c.decode(Bool.self) { self = .bool(b) }
                else if let s = try? c.decode(String.self) { self = .string(s) }
                else {
                    throw DecodingError.dataCorruptedError(in: c, debugDescription: "canonical JSON holds integers only, no fractions")
                }
            }
        }
    }

    /// Any JSON (not only canonical) into `T`.
    static func decode<T: Decodable>(_ type: T.Type, from json: some Collection<UInt8>) throws -> T {
        try JSONDecoder().decode(type, from: Data(json))
    }

    static func encode<T: Encodable>(_ value: T) throws -> Data {
        let data = try JSONEncoder().encode(value)
        var out: [UInt8] = []
        write(try JSONDecoder().decode(Value.self, from: data), to: &out)
        return Data(out)
    }

    static func write(_ v: Value, to out: inout [UInt8]) {
        switch v {
        case .null: out += Array("null".utf8)
        case .bool(let b): out += Array((b ? "true" : "false").utf8)
        case .int(let i): out += Array(String(i).utf8)
        case .string(let s): writeString(s, to: &out)
        case .array(let items):
            out.append(UInt8(ascii: "["))
            for (i, item) in items.enumerated() {
                if i > 0 { out.append(UInt8(ascii: ",")) }
                write(item, to: &out)
            }
            out.append(UInt8(ascii: "]"))
        case .object(let members):
            out.append(UInt8(ascii: "{"))
            let keys = members.keys.sorted { $0.utf16.lexicographicallyPrecedes($1.utf16) }
            for (i, k) in keys.enumerated() {
                if i > 0 { out.append(UInt8(ascii: ",")) }
                writeString(k, to: &out)
                out.append(UInt8(ascii: ":"))
                write(members[k]!, to: &out)
            }
            out.append(UInt8(ascii: "}"))
        }
    }

    /// Escapes `"`, `\` and control characters (short forms where JSON has them, else `\u00xx`); everything else,
    /// `/` and non-ASCII included, is written as UTF-8.
    static func writeString(_ s: String, to out: inout [UInt8]) {
        let hex = Array("0123456789abcdef".utf8)
        out.append(UInt8(ascii: "\""))
        for b in s.utf8 {
            switch b {
            case UInt8(ascii: "\""): out += [UInt8(ascii: "\\"), UInt8(ascii: "\"")]
            case UInt8(ascii: "\\"): out += [UInt8(ascii: "\\"), UInt8(ascii: "\\")]
            case 0x08: out += [UInt8(ascii: "\\"), UInt8(ascii: "b")]
            case 0x0C: out += [UInt8(ascii: "\\"), UInt8(ascii: "f")]
            case 0x0A: out += [UInt8(ascii: "\\"), UInt8(ascii: "n")]
            case 0x0D: out += [UInt8(ascii: "\\"), UInt8(ascii: "r")]
            case 0x09: out += [UInt8(ascii: "\\"), UInt8(ascii: "t")]
            case 0x00..<0x20: out += Array("\\u00".utf8) + [hex[Int(b >> 4)], hex[Int(b & 0xF)]]
            default: out.append(b)
            }
        }
        out.append(UInt8(ascii: "\""))
    }
}
