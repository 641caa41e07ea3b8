import TekigoCore
import TekigoUseCases

/// The use cases' refusals that already carry their wording in both languages (`text` / `message`: LocalizedText),
/// declared bilingual so `ErrorMiddleware` answers a Japanese request in Japanese (issue 17 item 6). English
/// answers keep the API error's own message.
extension IncidentNoticeError: BilingualError { public func message(in language: Language) -> String { text[language] } }
extension ExerciseError: BilingualError { public func message(in language: Language) -> String { text[language] } }
extension IncidentReportFieldsError: BilingualError { public func message(in language: Language) -> String { text[language] } }
extension IncidentError: BilingualError { public func message(in language: Language) -> String { text[language] } }
extension ReadinessError: BilingualError { public func message(in language: Language) -> String { text[language] } }
extension IncidentUseCaseError: BilingualError { public func message(in language: Language) -> String { text[language] } }
extension IncidentNoticeRefusal: BilingualError { public func message(in language: Language) -> String { text[language] } }
extension ThreatIntelError: BilingualError { public func message(in language: Language) -> String { text[language] } }
extension CommunityError: BilingualError { public func message(in language: Language) -> String { text[language] } }
extension SharingWorkspaceError: BilingualError { public func message(in language: Language) -> String { text[language] } }
extension IncidentShareError: BilingualError { public func message(in language: Language) -> String { text[language] } }
extension EvidenceLibraryError: BilingualError { public func message(in language: Language) -> String { text[language] } }
extension CloudServiceError: BilingualError { public func message(in language: Language) -> String { text[language] } }
extension CloudRegistryError: BilingualError { public func message(in language: Language) -> String { text[language] } }
extension ResponsibilityError: BilingualError { public func message(in language: Language) -> String { text[language] } }
extension UnknownRegime: BilingualError { public func message(in language: Language) -> String { message[language] } }
