import Foundation
import TekigoCore

// Rows of the incident registers (migration 10; DFARS 252.204-7012 (d)–(g)), snake_case columns like the incident
// records, instants as `Timestamp` text. A sample's sealed bytes are not part of its record: they are read only by
// `RegisterStore.sampleBytes` (for the encrypted archive) and never listed.

/// A malware sample (7012(d)) as listed: its identity, never its bytes.
public struct MalwareSampleRecord: Codable, Sendable, Hashable {
    public var id: String
    public var incidentId: String
    public var organizationId: String
    /// SHA-256 of the sample's bytes, lowercase hex: how the sample is named everywhere.
    public var sha256: String
    public var size: Int
    /// The name it was uploaded under (a label only, `EvidenceVault.sanitizedFilename`).
    public var filename: String
    public var description: String
    public var addedBy: String
    public var addedAt: String
    public var updatedAt: String
    /// Set when a manager disposed of it after the preservation hold (the sealed bytes are then gone).
    public var disposedAt: String?
    public var disposedBy: String?

    public var isDisposed: Bool { disposedAt != nil }
    public init(id: String, incidentId: String, organizationId: String, sha256: String, size: Int, filename: String, description: String, addedBy: String, addedAt: String, updatedAt: String, disposedAt: String? = nil, disposedBy: String? = nil) {
        self.id = id
        self.incidentId = incidentId
        self.organizationId = organizationId
        self.sha256 = sha256
        self.size = size
        self.filename = filename
        self.description = description
        self.addedBy = addedBy
        self.addedAt = addedAt
        self.updatedAt = updatedAt
        self.disposedAt = disposedAt
        self.disposedBy = disposedBy
    }
}

/// One hand-over of a sample to DC3 (7012(d)): when, how, by whom, and DC3's reference.
public struct MalwareTransferRecord: Codable, Sendable, Hashable {
    public var id: String
    public var incidentId: String
    public var organizationId: String
    public var sampleSha256: String
    public var sentAt: String
    /// How it was sent (the DC3 portal, an encrypted archive by courier…): the user's words.
    public var method: String
    public var sentBy: String
    public var dc3Reference: String
    public var note: String
    public var recordedBy: String
    public var recordedAt: String
    public init(id: String, incidentId: String, organizationId: String, sampleSha256: String, sentAt: String, method: String, sentBy: String, dc3Reference: String, note: String, recordedBy: String, recordedAt: String) {
        self.id = id
        self.incidentId = incidentId
        self.organizationId = organizationId
        self.sampleSha256 = sampleSha256
        self.sentAt = sentAt
        self.method = method
        self.sentBy = sentBy
        self.dc3Reference = dc3Reference
        self.note = note
        self.recordedBy = recordedBy
        self.recordedAt = recordedAt
    }
}

/// What a media entry (7012(e)) is.
public enum PreservedMediaKind: String, Codable, Sendable, CaseIterable {
    /// An image of an affected information system (7012(c)(1)(i)).
    case image
    case packetCapture = "packet-capture"
    /// Other monitoring data (logs, EDR telemetry).
    case monitoring

    public var label: LocalizedText {
        switch self {
        case .image: return LocalizedText(en: "System image", ja: "システムのイメージ")
        case .packetCapture: return LocalizedText(en: "Packet capture", ja: "パケットキャプチャ")
        case .monitoring: return LocalizedText(en: "Monitoring data", ja: "監視データ")
        }
    }
}

/// An image or capture kept for DoD (7012(e)): Tekigo records it; the bytes stay with whoever holds them.
public struct PreservedMediaRecord: Codable, Sendable, Hashable {
    public var id: String
    public var incidentId: String
    public var organizationId: String
    /// `PreservedMediaKind` raw value.
    public var kind: String
    public var description: String
    /// Where it is kept (a vault shelf, a storage path, a drive's label).
    public var location: String
    /// SHA-256 as the holder computed it ('' when not yet computed).
    public var sha256: String
    public var size: Int?
    /// Who holds it now (a person or a party).
    public var holder: String
    public var addedBy: String
    public var addedAt: String
    public var updatedAt: String
    /// Counts replacements (location, hash, size): `expectedVersion`.
    public var version: Int
    public var disposedAt: String?
    public var disposedBy: String?

    public var isDisposed: Bool { disposedAt != nil }
    public init(id: String, incidentId: String, organizationId: String, kind: String, description: String, location: String, sha256: String, size: Int? = nil, holder: String, addedBy: String, addedAt: String, updatedAt: String, version: Int, disposedAt: String? = nil, disposedBy: String? = nil) {
        self.id = id
        self.incidentId = incidentId
        self.organizationId = organizationId
        self.kind = kind
        self.description = description
        self.location = location
        self.sha256 = sha256
        self.size = size
        self.holder = holder
        self.addedBy = addedBy
        self.addedAt = addedAt
        self.updatedAt = updatedAt
        self.version = version
        self.disposedAt = disposedAt
        self.disposedBy = disposedBy
    }
}

/// Which register a chain-of-custody entry is about.
public enum CustodyItemKind: String, Codable, Sendable, CaseIterable {
    case media
    case malware
}

/// One hand-over in a held item's chain of custody: who handed what to whom, when. Never changed or removed.
public struct CustodyEntryRecord: Codable, Sendable, Hashable {
    public var id: String
    public var incidentId: String
    public var organizationId: String
    /// `CustodyItemKind` raw value.
    public var itemKind: String
    public var itemId: String
    public var at: String
    public var fromParty: String
    public var toParty: String
    public var purpose: String
    public var recordedBy: String
    public var recordedAt: String
    public init(id: String, incidentId: String, organizationId: String, itemKind: String, itemId: String, at: String, fromParty: String, toParty: String, purpose: String, recordedBy: String, recordedAt: String) {
        self.id = id
        self.incidentId = incidentId
        self.organizationId = organizationId
        self.itemKind = itemKind
        self.itemId = itemId
        self.at = at
        self.fromParty = fromParty
        self.toParty = toParty
        self.purpose = purpose
        self.recordedBy = recordedBy
        self.recordedAt = recordedAt
    }
}

/// What DoD asked for: forensic access (7012(f)) or damage-assessment information (7012(g)).
public enum DoDRequestKind: String, Codable, Sendable, CaseIterable {
    case forensicAccess = "forensic-access"
    case damageAssessment = "damage-assessment"

    public var label: LocalizedText {
        switch self {
        case .forensicAccess: return LocalizedText(en: "Forensic access request (7012(f))", ja: "フォレンジック調査のためのアクセス要請（7012(f)）")
        case .damageAssessment: return LocalizedText(en: "Damage assessment request (7012(g))", ja: "被害評価のための情報提供要請（7012(g)）")
        }
    }
}

public struct DoDRequestRecord: Codable, Sendable, Hashable {
    public var id: String
    public var incidentId: String
    public var organizationId: String
    /// `DoDRequestKind` raw value.
    public var kind: String
    public var receivedAt: String
    /// Who at DoD asked (the contracting officer, DC3…).
    public var requestedBy: String
    /// DoD's reference for the request ('' when none).
    public var reference: String
    public var asked: String
    public var dueAt: String?
    public var recordedBy: String
    public var recordedAt: String
    public init(id: String, incidentId: String, organizationId: String, kind: String, receivedAt: String, requestedBy: String, reference: String, asked: String, dueAt: String? = nil, recordedBy: String, recordedAt: String) {
        self.id = id
        self.incidentId = incidentId
        self.organizationId = organizationId
        self.kind = kind
        self.receivedAt = receivedAt
        self.requestedBy = requestedBy
        self.reference = reference
        self.asked = asked
        self.dueAt = dueAt
        self.recordedBy = recordedBy
        self.recordedAt = recordedAt
    }
}

public struct DoDResponseRecord: Codable, Sendable, Hashable {
    public var id: String
    public var requestId: String
    public var incidentId: String
    public var organizationId: String
    public var respondedAt: String
    /// Who answered (a person of the organization).
    public var respondedBy: String
    public var text: String
    public var recordedBy: String
    public var recordedAt: String
    public init(id: String, requestId: String, incidentId: String, organizationId: String, respondedAt: String, respondedBy: String, text: String, recordedBy: String, recordedAt: String) {
        self.id = id
        self.requestId = requestId
        self.incidentId = incidentId
        self.organizationId = organizationId
        self.respondedAt = respondedAt
        self.respondedBy = respondedBy
        self.text = text
        self.recordedBy = recordedBy
        self.recordedAt = recordedAt
    }
}

/// The DFARS 252.204-7012(e) preservation hold of one incident's samples and media, at an instant.
public enum PreservationHold: Sendable, Hashable {
    /// No DoD initial report yet: held, the end not known (90 days after the report).
    case awaitingReport
    /// Held until this instant (the first DoD initial report's submission + the rule's hours).
    case heldUntil(Date)
    /// The hold ended at this instant: disposal is allowed.
    case ended(Date)

    public var isHeld: Bool { if case .ended = self { return false } else { return true } }

    /// The end of the hold when known.
    public var until: Date? {
        switch self {
        case .awaitingReport: return nil
        case .heldUntil(let d), .ended(let d): return d
        }
    }

    /// The rule that starts and sizes the hold (`reporting-regimes.json`): 2160 hours from the first DoD initial report.
    public static let ruleID = "dfars-7012.preserve"

    /// The hold at `now` given the first DoD initial report's submission (nil: none yet). Its length is the table's,
    /// never a number here: a table without the rule holds with no end (the safe side), as before any report.
    public static func at(_ now: Date, firstInitialReport: Date?, table: ReportingRegimeTable = .builtIn) -> PreservationHold {
        guard let first = firstInitialReport, let rule = table.rule(ruleID) else { return .awaitingReport }
        let end = first.addingTimeInterval(TimeInterval(rule.hours) * 3600)
        return now < end ? .heldUntil(end) : .ended(end)
    }

    /// Throws `IncidentError.heldItem(until:)` while held.
    public func check() throws(IncidentError) {
        if isHeld { throw IncidentError.heldItem(until: until) }
    }
}

public enum RegisterStoreError: Error, CustomStringConvertible, Equatable {
    /// A sealed sample that does not open under this organization, incident and hash (altered, or another key).
    case sampleIntegrity(String)
    /// The sample was disposed of; its bytes are gone.
    case sampleDisposed(String)

    public var description: String {
        switch self {
        case .sampleIntegrity(let sha):
            return "The stored malware sample \(sha) failed its integrity check (altered in the database or sealed with another evidence key); restore the evidence key or the database from backup."
        case .sampleDisposed(let sha):
            return "The malware sample \(sha) was disposed of after its preservation hold; its bytes are no longer kept."
        }
    }
}
