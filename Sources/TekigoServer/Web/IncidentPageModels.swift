import Foundation

// Typed page models of the cyber-incident pages (`IncidentPages`).

/// A field's message in a form's error summary: the field's id (the summary links to it) and what to do.
struct IncidentFieldError: Encodable, Sendable {
    let field: String
    let message: String
}

/// A checkbox of a group (affected systems, affected contracts).
struct IncidentCheck: Encodable, Sendable {
    let value: String
    let label: String
    let checked: Bool
}

/// `incident-list`: the organization's incidents with where each stands and its next deadline.
struct IncidentListPage: PageModel {
    struct Row: Encodable, Sendable {
        let title: String
        let url: String
        let phase: String
        let phaseID: String
        let discovered: String
        /// "DFARS … 72 h: 70 h 12 min left" / "… overdue by 3 h 05 min"; nil when nothing is pending.
        let next: String?
        let overdue: Bool
        let exercise: Bool
    }
    let incidents: [Row]
    let hasIncidents: Bool
    let canManage: Bool
    let newURL: String
    /// Owners and administrators: the settings page (hours, the incident team).
    let settingsURL: String?
    /// Reporting readiness, and the incidents suppliers reported up the chain.
    let readinessURL: String
    let noticesURL: String
}

/// `incident-forbidden`: a member without the need-to-know grant — why, and who can give it.
struct IncidentForbiddenPage: PageModel {
    let message: String
    let homeURL: String
}

/// `incident-form`: a new incident, or editing one at `version`; bad input comes back with every field as typed.
struct IncidentFormPage: PageModel {
    let heading: String
    let action: String
    let cancelURL: String
    let version: Int?
    let title: String
    let discoveredAt: String
    let zones: [SelectOption]
    let discoveredBy: String
    let methods: [SelectOption]
    let compromises: [SelectOption]
    let outcomes: [SelectOption]
    let informationKinds: [SelectOption]
    let informationReference: String
    let technique: String
    let narrative: String
    let systems: [IncidentCheck]
    let hasSystems: Bool
    let contracts: [IncidentCheck]
    let hasContracts: Bool
    let exercise: Bool
    /// Editing: the exercise flag is fixed when an incident is opened.
    let exerciseFixed: Bool
    /// Errors by field (`{{errors.title}}`) and the same as the summary's list.
    let errors: [String: String]
    let errorList: [IncidentFieldError]
    let hasErrors: Bool
}

/// `incident-detail`: the facts, the clocks, the phase, the timeline, the submissions and the report drafts.
struct IncidentDetailPage: PageModel {
    struct Fact: Encodable, Sendable {
        let label: String
        let value: String
    }
    struct Clock: Encodable, Sendable {
        let regime: String
        let what: String
        /// The due instant in the viewer's zone and in the organization's (nil until the clock has started).
        let dueViewer: String?
        let dueOrganization: String?
        let state: String
        /// notStarted, open, overdue, met, late, holding, elapsed (a class for its colour).
        let stateID: String
        let source: String
        let setting: Bool
    }
    struct File: Encodable, Sendable {
        let name: String
        let url: String
    }
    struct Entry: Encodable, Sendable {
        let at: String
        let author: String
        let text: String
        let phase: String?
        let files: [File]
    }
    struct Submission: Encodable, Sendable {
        let kind: String
        let submittedAt: String
        let channel: String
        let by: String
        let reportNumber: String?
        let cites: String?
    }
    struct Export: Encodable, Sendable {
        let label: String
        let html: String
        let markdown: String
        let json: String
    }
    let title: String
    let phase: String
    let phaseID: String
    let exercise: Bool
    let listURL: String
    let editURL: String
    let settingsURL: String
    /// The registers of this incident (malware, media, custody, DoD requests), and sending its report numbers to the
    /// customers above (those who may manage it, never for an exercise).
    let registersURL: String
    let noticeSendURL: String?
    /// The report fields' form (managers only) and the STIX bundle's download (its choices are a GET form).
    let reportFieldsURL: String?
    let stixURL: String
    let tlpOptions: [SelectOption]
    let canManage: Bool
    let facts: [Fact]
    let clocks: [Clock]
    let hasClocks: Bool
    let viewerZone: String
    let organizationZone: String
    let phaseAction: String
    let phases: [SelectOption]
    let hasPhases: Bool
    let phaseError: String?
    let timeline: [Entry]
    let hasTimeline: Bool
    let timelineAction: String
    let timelineText: String
    let timelineError: String?
    let submissions: [Submission]
    let hasSubmissions: Bool
    let submissionAction: String
    let kinds: [SelectOption]
    let submittedAt: String
    let zones: [SelectOption]
    let channel: String
    let reportNumber: String
    let cites: String
    let submissionErrors: [String: String]
    let submissionErrorList: [IncidentFieldError]
    let hasSubmissionErrors: Bool
    let exports: [Export]
    /// Its observables and the share button (IncidentSharePages, issue 14 item 5).
    var sharing: IncidentShareSection? = nil
}

/// `incident-settings`: the hours of the rules marked as a setting and the incident team.
struct IncidentSettingsPage: PageModel {
    struct Hours: Encodable, Sendable {
        let ruleID: String
        let regime: String
        let what: String
        let value: String
        let defaultHours: Int
        let source: String
        let error: String?
    }
    struct Member: Encodable, Sendable {
        let name: String
        let email: String
        let role: String
        let granted: String
        let revokeURL: String
    }
    let listURL: String
    let hoursAction: String
    let hours: [Hours]
    let teamAction: String
    let team: [Member]
    let hasTeam: Bool
    let candidates: [SelectOption]
    let hasCandidates: Bool
    let teamError: String?
}
