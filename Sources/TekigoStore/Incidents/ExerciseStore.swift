import Foundation
import SQLKit
import TekigoCore

/// One organization's incident-response exercises (migration 12): plans, the entries recorded while they ran, the
/// evidence confirmed into assessments, and the frequency. Every query is scoped to `organizationID`; writes run in
/// the caller's transaction (`on:`), opened by `ExerciseUseCases`, which also appends the audit entries.
public struct ExerciseStore: Sendable {
    public let organizationID: String
    let db: TekigoDatabase

    public init(_ db: TekigoDatabase, organizationID: String) {
        self.db = db
        self.organizationID = organizationID
    }

    static let snake = SnakeCaseColumns.encoder
    static let fromSnake = SnakeCaseColumns.decoder

    func scoped(_ table: String, _ s: (any SQLDatabase)?) -> SQLSelectBuilder {
        (s ?? db.sql).select().columns("*").from(table).where("organization_id", .equal, organizationID)
    }

    // MARK: - Reads

    /// The organization's exercises, latest planned first.
    public func exercises(on s: (any SQLDatabase)? = nil) async throws -> [ExerciseRecord] {
        try await scoped("exercises", s).orderBy("planned_on", .descending).orderBy("created_at", .descending).orderBy("id").all()
            .map { try $0.decode(model: ExerciseRecord.self, with: Self.fromSnake) }
    }

    /// The exercise, or `NotFound` when this organization has none with that id.
    public func existing(id: String, on s: (any SQLDatabase)? = nil) async throws -> ExerciseRecord {
        guard let r = try await scoped("exercises", s).where("id", .equal, id).first()?
            .decode(model: ExerciseRecord.self, with: Self.fromSnake) else { throw NotFound(what: "Exercise \(id)") }
        return r
    }

    /// The completed exercise with the latest completion day (the schedule counts from it), nil when none.
    public func lastCompleted(on s: (any SQLDatabase)? = nil) async throws -> ExerciseRecord? {
        try await scoped("exercises", s).where("status", .equal, ExerciseStatus.completed.rawValue)
            .orderBy("completed_on", .descending).orderBy("completed_at", .descending).orderBy("id").first()?
            .decode(model: ExerciseRecord.self, with: Self.fromSnake)
    }

    public func entries(exerciseID: String, on s: (any SQLDatabase)? = nil) async throws -> [ExerciseEntryRecord] {
        try await scoped("exercise_entries", s).where("exercise_id", .equal, exerciseID).orderBy("at").orderBy("id").all()
            .map { try $0.decode(model: ExerciseEntryRecord.self, with: Self.fromSnake) }
    }

    public func evidence(exerciseID: String, on s: (any SQLDatabase)? = nil) async throws -> [ExerciseEvidenceRecord] {
        try await scoped("exercise_evidence", s).where("exercise_id", .equal, exerciseID).orderBy("added_at").orderBy("objective").all()
            .map { try $0.decode(model: ExerciseEvidenceRecord.self, with: Self.fromSnake) }
    }

    /// Months between exercises; nil: Tekigo's default (`ExerciseSchedule.defaultMonths`).
    public func frequencyMonths(on s: (any SQLDatabase)? = nil) async throws -> Int? {
        try await scoped("exercise_settings", s).first()?.decode(model: ExerciseSettingRecord.self, with: Self.fromSnake).frequencyMonths
    }

    // MARK: - Writes (caller's transaction)

    public func insert(_ r: ExerciseRecord, on s: any SQLDatabase) async throws {
        precondition(r.organizationId == organizationID)
        try await s.insert(into: "exercises").model(r, with: Self.snake).run()
    }

    /// Replaces the row while its stored version is `expectedVersion` (`VersionConflict` otherwise).
    public func update(_ r: ExerciseRecord, expectedVersion: Int, on s: any SQLDatabase) async throws {
        let updated = try await s.update("exercises").set(model: r, with: Self.snake)
            .where("id", .equal, r.id).where("organization_id", .equal, organizationID)
            .where("version", .equal, expectedVersion).returning("id").all()
        if updated.isEmpty {
            let current = try await existing(id: r.id, on: s)
            throw VersionConflict(current: current.version)
        }
    }

    public func addEntry(_ e: ExerciseEntryRecord, on s: any SQLDatabase) async throws {
        precondition(e.organizationId == organizationID)
        try await s.insert(into: "exercise_entries").model(e, with: Self.snake).run()
    }

    /// Names the POA&M item a finding became.
    public func setPOAM(entryID: String, assessmentID: String, requirement: String, on s: any SQLDatabase) async throws {
        try await s.update("exercise_entries").set("poam_assessment_id", to: assessmentID).set("poam_requirement", to: requirement)
            .where("id", .equal, entryID).where("organization_id", .equal, organizationID).run()
    }

    /// Records confirmed evidence; a row already there (the same objective of the same assessment) is replaced.
    public func addEvidence(_ r: ExerciseEvidenceRecord, on s: any SQLDatabase) async throws {
        precondition(r.organizationId == organizationID)
        try await s.delete(from: "exercise_evidence").where("exercise_id", .equal, r.exerciseId)
            .where("assessment_id", .equal, r.assessmentId).where("objective", .equal, r.objective).run()
        try await s.insert(into: "exercise_evidence").model(r, with: Self.snake).run()
    }

    /// Sets the months between exercises; nil goes back to the default.
    public func setFrequency(months: Int?, by actor: String, at: String, on s: any SQLDatabase) async throws {
        try await s.delete(from: "exercise_settings").where("organization_id", .equal, organizationID).run()
        if let months {
            try await s.insert(into: "exercise_settings")
                .model(ExerciseSettingRecord(organizationId: organizationID, frequencyMonths: months, updatedBy: actor, updatedAt: at),
                       with: Self.snake).run()
        }
    }
}
