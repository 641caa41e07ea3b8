/// Every page path, built in one place: templates and redirects never spell a path by hand.
enum WebPath {
    static let home = "/"
    static let login = "/login"
    static let loginSecondFactor = "/login/mfa"
    static let logout = "/logout"
    static let settings = "/account/settings"
    static let enrolMFA = "/account/mfa"
    static let setup = "/setup"
    static let acceptInvitation = "/account/invitation"

    static func org(_ o: String) -> String { "/o/\(o)" }
    static func systems(_ o: String) -> String { "/o/\(o)/systems" }
    static func assessments(_ o: String) -> String { "/o/\(o)/assessments" }
    static func assessment(_ o: String, _ a: String) -> String { "/o/\(o)/assessments/\(a)" }
    static func requirement(_ o: String, _ a: String, _ r: String) -> String { "/o/\(o)/assessments/\(a)/requirements/\(r)" }
    static func poam(_ o: String, _ a: String) -> String { "/o/\(o)/assessments/\(a)/poam" }
    static func poamItem(_ o: String, _ a: String, _ r: String) -> String { "/o/\(o)/assessments/\(a)/poam/\(r)" }
    static func exports(_ o: String, _ a: String) -> String { "/o/\(o)/assessments/\(a)/exports" }
    /// Downloads are the API's own GET routes (a signed-in browser's session cookie is enough for a GET).
    static func apiExport(_ o: String, _ a: String, _ doc: String, _ format: String, _ lang: String) -> String {
        "/api/v1/organizations/\(o)/assessments/\(a)/export/\(doc)?format=\(format)&lang=\(lang)"
    }
    static func apiEvidence(_ o: String, _ sha: String) -> String { "/api/v1/organizations/\(o)/evidence/\(sha)" }
    static func members(_ o: String) -> String { "/o/\(o)/members" }
    static func removeMember(_ o: String, _ u: String) -> String { "/o/\(o)/members/\(u)/remove" }
    static func revokeInvitation(_ o: String, _ i: String) -> String { "/o/\(o)/invitations/\(i)/revoke" }
    static func tokens(_ o: String) -> String { "/o/\(o)/tokens" }
    static func audit(_ o: String) -> String { "/o/\(o)/audit" }
    static func jobs(_ o: String) -> String { "/o/\(o)/jobs" }
    static func job(_ o: String, _ j: String) -> String { "/o/\(o)/jobs/\(j)" }
    static func jobResult(_ o: String, _ j: String) -> String { "/o/\(o)/jobs/\(j)/result" }
    static func catalogs(_ o: String) -> String { "/o/\(o)/catalogs" }

    /// Whether a path belongs to the web pages (forms with a CSRF field) rather than the API.
    static func isPage(_ path: String) -> Bool {
        path == home || path.hasPrefix("/o/") || path.hasPrefix("/account/") || path == logout || path.hasPrefix("/login") || path == setup
    }
}
