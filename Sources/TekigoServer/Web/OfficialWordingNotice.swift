import TekigoCore
import TekigoStore
import TekigoUseCases

/// The web's first-run notice (issue #17 item 2), the same as the command line's (`OfficialWordingSources`): while no
/// official NIST wording is imported for SP 800-171 (rev2 or rev3), the catalogs page (and any page that includes the
/// `official-wording-notice` partial) says where NIST publishes it, the one command that imports it and, for a
/// platform administrator, where to upload it.
struct OfficialWordingNoticeModel: Encodable, Sendable {
    struct Link: Encodable, Sendable {
        let label: String
        let url: String
    }
    let links: [Link]
    let command: String
    /// The catalogs page's upload, for those who may import (platform administrators); nil for everyone else.
    let uploadURL: String?

    /// The notice when neither SP 800-171 catalog has official wording imported; nil once one has.
    static func load(_ web: WebApp, _ page: OrgPage, imports: [CatalogImportRecord]? = nil) async throws -> OfficialWordingNoticeModel? {
        let records: [CatalogImportRecord]
        if let imports { records = imports } else { records = try await CatalogUseCases(db: web.services.db).imports() }
        guard !records.contains(where: { OfficialWordingSources.covers($0.catalogID) }) else { return nil }
        let lang = page.language
        let s = OfficialWordingSources.self
        return OfficialWordingNoticeModel(
            links: [.init(label: web.messages.text("official_notice_r3", lang), url: s.sp800171r3),
                    .init(label: web.messages.text("official_notice_r2", lang), url: s.sp800171r2),
                    .init(label: web.messages.text("official_notice_171a", lang), url: s.sp800171a),
                    .init(label: web.messages.text("official_notice_cprt", lang), url: s.cprt),
                    .init(label: web.messages.text("official_notice_oscal", lang), url: s.oscalContent)],
            command: s.importCommand,
            uploadURL: JobUseCases.mayImportCatalogs(page.viewer.user) ? PageRoute.catalogs(org: page.org).path + "#import" : nil)
    }
}
