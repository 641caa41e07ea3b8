import Foundation
import TekigoCore
import TekigoStore

/// Why a person's display settings were refused.
public enum SettingsError: Error, Equatable, Sendable, CustomStringConvertible {
    case unknownLanguage(String)
    case unknownTimeZone(String)

    public var description: String {
        switch self {
        case .unknownLanguage(let value):
            return "Unknown language '\(value)': choose one of \(Language.allCases.map(\.rawValue).joined(separator: ", "))."
        case .unknownTimeZone(let value): return "Unknown time zone '\(value)': give an IANA name such as Asia/Tokyo."
        }
    }

    public var field: String {
        switch self {
        case .unknownLanguage: return "language"
        case .unknownTimeZone: return "time_zone"
        }
    }
}

/// A person's own display settings (language; the time zone times are shown in — "today" for an organization's
/// work is the organization's zone, not this one). Saved with its audit entry in one transaction.
public struct SettingsUseCases: Sendable {
    public let env: AccountEnvironment

    public init(_ env: AccountEnvironment) { self.env = env }

    public func save(user: UserRecord, language: String, timeZone: String, by actor: Actor) async throws -> UserSettings {
        guard let language = Language(rawValue: language) else { throw SettingsError.unknownLanguage(language) }
        guard TimeZone(identifier: timeZone) != nil else { throw SettingsError.unknownTimeZone(timeZone) }
        let settings = UserSettings(language: language, timeZone: timeZone)
        let accounts = env.accounts, audit = env.audit, now = Timestamp.string(env.clock.now())
        try await env.db.transaction { s in
            try await accounts.saveSettings(userID: user.id, settings, at: now, on: s)
            _ = try await audit.append(AuditEvent(actor: actor.id, organizationID: nil, sourceIP: actor.sourceIP, action: .settingsChanged,
                                                  object: "user/\(user.id)"), on: s)
        }
        return settings
    }
}
