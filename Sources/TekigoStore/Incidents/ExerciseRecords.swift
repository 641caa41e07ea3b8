import Foundation
import SQLKit
import TekigoCore

// Rows of the exercise tables (migration 12), snake_case columns like the other records: days as YYYY-MM-DD text,
// instants as ISO 8601 UTC text (`Timestamp`), lists as JSON array text.

/// A participant of an exercise: a member (with their user id) or a person named in the plan.
public struct ExerciseParticipant: Codable, Sendable, Hashable {
    public var name: String
    public var userId: String?

    public init(name: String, userId: String? = nil) {
        self.name = name
        self.userId = userId
    }
}

/// One exercise as stored.
public struct ExerciseRecord: Codable, Sendable, Hashable {
    public var id: String
    public var organizationId: String
    public var scenarioId: String
    /// `ExerciseKind` raw value.
    public var kind: String
    public var title: String
    /// YYYY-MM-DD.
    public var plannedOn: String
    public var facilitator: String
    /// JSON array of `ExerciseParticipant`.
    public var participants: String
    /// `ExerciseStatus` raw value.
    public var status: String
    /// The exercise incident it opened when it ran.
    public var incidentId: String?
    public var startedAt: String?
    public var completedAt: String?
    /// The organization's day it was completed on (the schedule counts from it).
    public var completedOn: String?
    public var summary: String
    public var createdBy: String
    public var createdAt: String
    public var updatedAt: String
    public var version: Int

    public init(id: String, organizationId: String, scenarioId: String, kind: String, title: String, plannedOn: String,
                facilitator: String, participants: [ExerciseParticipant], status: ExerciseStatus, createdBy: String, at: String) {
        self.id = id
        self.organizationId = organizationId
        self.scenarioId = scenarioId
        self.kind = kind
        self.title = title
        self.plannedOn = plannedOn
        self.facilitator = facilitator
        self.participants = JSONText.encode(participants)
        self.status = status.rawValue
        self.incidentId = nil
        self.startedAt = nil
        self.completedAt = nil
        self.completedOn = nil
        self.summary = ""
        self.createdBy = createdBy
        self.createdAt = at
        self.updatedAt = at
        self.version = 1
    }

    public var participantList: [ExerciseParticipant] { JSONText.decode([ExerciseParticipant].self, participants) ?? [] }
    public var exerciseStatus: ExerciseStatus? { ExerciseStatus(rawValue: status) }
    public var exerciseKind: ExerciseKind? { ExerciseKind(rawValue: kind) }
    public var completedDay: Day? { completedOn.flatMap(Day.init) }
}

/// A decision, finding or note recorded while an exercise ran.
public struct ExerciseEntryRecord: Codable, Sendable, Hashable {
    public var id: String
    public var exerciseId: String
    public var organizationId: String
    /// `ExerciseEntryKind` raw value.
    public var kind: String
    public var injectId: String?
    public var text: String
    public var at: String
    public var author: String
    /// The POA&M item a finding became: its assessment and requirement.
    public var poamAssessmentId: String?
    public var poamRequirement: String?

    public init(id: String, exerciseId: String, organizationId: String, kind: ExerciseEntryKind, injectId: String?, text: String,
                at: String, author: String) {
        self.id = id
        self.exerciseId = exerciseId
        self.organizationId = organizationId
        self.kind = kind.rawValue
        self.injectId = injectId
        self.text = text
        self.at = at
        self.author = author
        self.poamAssessmentId = nil
        self.poamRequirement = nil
    }

    public var entryKind: ExerciseEntryKind? { ExerciseEntryKind(rawValue: kind) }
}

/// Evidence the user confirmed: the text that went into one objective's finding of one assessment.
public struct ExerciseEvidenceRecord: Codable, Sendable, Hashable {
    public var exerciseId: String
    public var organizationId: String
    public var assessmentId: String
    public var objective: String
    public var location: String
    public var addedBy: String
    public var addedAt: String

    public init(exerciseId: String, organizationId: String, assessmentId: String, objective: String, location: String,
                addedBy: String, addedAt: String) {
        self.exerciseId = exerciseId
        self.organizationId = organizationId
        self.assessmentId = assessmentId
        self.objective = objective
        self.location = location
        self.addedBy = addedBy
        self.addedAt = addedAt
    }
}

struct ExerciseSettingRecord: Codable, Sendable, Hashable {
    var organizationId: String
    var frequencyMonths: Int
    var updatedBy: String
    var updatedAt: String
}
