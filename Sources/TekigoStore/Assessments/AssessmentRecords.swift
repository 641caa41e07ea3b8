import Foundation
import SQLKit
import SQLiteKit
import TekigoCore

// Rows of the server tables (migration 2), as Codable records read and written through SQLKit with snake_case
// column names. Booleans are stored as integers (0/1) and times as ISO 8601 text so one schema serves SQLite
// and PostgreSQL.

public struct SystemRecord: Codable, Sendable, Hashable {
    public var id: String
    public var organizationId: String
    public var name: String
    public var boundary: String
    public var environment: String
    public var informationTypes: String
    public var components: String
    public var userCount: Int
    public var createdAt: String
    public var version: Int

    public var informationTypeList: [String] { JSONText.decode([String].self, informationTypes) ?? [] }
}

public struct AssessmentRecord: Codable, Sendable, Hashable {
    public var id: String
    public var organizationId: String
    public var systemId: String
    public var catalog: String
    public var assessedOn: String
    public var kind: String
    public var assessor: String
    /// JSON object: requirement id → RequirementAnswer.
    public var answers: String
    public var createdAt: String
    public var version: Int
    /// The date the results were posted (YYYY-MM-DD; migration 6), or nil while not recorded (32 CFR 170.21(b)).
    public var resultsPostedOn: String? = nil
    /// The previous assessment this one was started from (migration 23, issue 17 item 4), or nil.
    public var startedFrom: String? = nil
}

public struct FindingRecord: Codable, Sendable, Hashable {
    public var assessmentId: String
    public var organizationId: String
    public var objective: String
    public var status: String
    public var rationale: String
    /// JSON array of EvidenceRef.
    public var evidence: String
    public var assessedBy: String?
    public var assessedOn: String?
    public var version: Int
    /// The assessment the answer was copied from while nobody has confirmed it (migration 23, issue 17 item 4).
    public var carriedOverFrom: String? = nil
}

extension FindingRecord {
    /// Reads a row column by column. An assessment lists hundreds of findings; the keyed `Decodable` path costs
    /// several times more per row (docs/PERFORMANCE.md).
    init(row: any SQLRow) throws {
        func text(_ c: String) throws -> String { try row.decode(column: c, as: String.self) }
        func optionalText(_ c: String) throws -> String? { try row.decodeNil(column: c) ? nil : text(c) }
        self.init(assessmentId: try text("assessment_id"), organizationId: try text("organization_id"),
                  objective: try text("objective"), status: try text("status"), rationale: try text("rationale"),
                  evidence: try text("evidence"), assessedBy: try optionalText("assessed_by"),
                  assessedOn: try optionalText("assessed_on"), version: try row.decode(column: "version", as: Int.self),
                  carriedOverFrom: try optionalText("carried_over_from"))
    }
}

extension FindingRecord {
    /// An assessment's findings on SQLite (`TekigoDatabase.sqliteRows`): the columns the record needs beyond the two
    /// the query names.
    static let listSQL = "SELECT objective, status, rationale, evidence, assessed_by, assessed_on, version, carried_over_from FROM findings "
        + "WHERE organization_id = ? AND assessment_id = ?"

    /// Reads a row of `listSQL` from the engine's own values (no `Decoder` per column). A value of the wrong kind is
    /// `StoreError.corruptRow`, as a failed decode would be.
    init(sqlite row: SQLiteRow, assessmentID: String, organizationID: String) throws {
        func text(_ c: String) throws -> String {
            guard case .text(let s)? = row.column(c) else { throw Self.corrupt(c, row) }
            return s
        }
        func optionalText(_ c: String) throws -> String? {
            switch row.column(c) {
            case .text(let s)?: return s
            case .null?: return nil
            default: throw Self.corrupt(c, row)
            }
        }
        guard case .integer(let version)? = row.column("version") else { throw Self.corrupt("version", row) }
        self.init(assessmentId: assessmentID, organizationId: organizationID, objective: try text("objective"),
                  status: try text("status"), rationale: try text("rationale"), evidence: try text("evidence"),
                  assessedBy: try optionalText("assessed_by"), assessedOn: try optionalText("assessed_on"), version: Int(version),
                  carriedOverFrom: try optionalText("carried_over_from"))
    }

    static func corrupt(_ column: String, _ row: SQLiteRow) -> StoreError {
        .corruptRow(table: "findings", key: row.column("objective")?.string ?? "?", reason: "\(column) is not of its stored type")
    }
}

public struct POAMItemRecord: Codable, Sendable, Hashable {
    public var id: String
    public var organizationId: String
    public var assessmentId: String
    public var requirement: String
    public var weakness: String
    public var milestones: String
    public var owner: String
    public var resources: String
    public var status: String
    public var scheduledCompletion: String?
    public var completedOn: String?
    public var version: Int
}
