import Foundation
import SQLKit
import TekigoCore

/// A person's own choices for the web pages: language and time zone (set on the settings page).
public struct UserSettings: Sendable, Hashable, Codable {
    public var language: Language
    /// An IANA time zone identifier (`Asia/Tokyo`); dates and times are shown in it.
    public var timeZone: String

    public init(language: Language, timeZone: String) {
        self.language = language
        self.timeZone = timeZone
    }
}

extension AccountStore {
    /// Nil until the user saves the settings page: the pages then follow the browser's Accept-Language.
    public func settings(userID: String) async throws -> UserSettings? {
        guard let row = try await db.sql.select().columns("language", "time_zone").from("user_settings")
            .where("user_id", .equal, userID).first() else { return nil }
        let lang = Language(rawValue: try row.decode(column: "language", as: String.self)) ?? .ja
        return UserSettings(language: lang, timeZone: try row.decode(column: "time_zone", as: String.self))
    }

    public func saveSettings(userID: String, _ settings: UserSettings) async throws {
        try await db.transaction { s in try await saveSettings(userID: userID, settings, at: Timestamp.now(), on: s) }
    }

    /// The same inside the caller's transaction (`SettingsUseCases.save` writes its audit entry beside it).
    public func saveSettings(userID: String, _ settings: UserSettings, at updatedAt: String, on s: any SQLDatabase) async throws {
        try await s.delete(from: "user_settings").where("user_id", .equal, userID).run()
        try await s.insert(into: "user_settings").columns("user_id", "language", "time_zone", "updated_at")
            .values(SQLBind(userID), SQLBind(settings.language.rawValue), SQLBind(settings.timeZone), SQLBind(updatedAt))
            .run()
    }
}
