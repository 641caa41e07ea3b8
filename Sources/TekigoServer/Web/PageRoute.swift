import Foundation
import Hummingbird

/// Every web page, once: a case per page with its parameters, giving both the link (`path`) and the route the page is
/// registered under (`pattern`) from the same list of segments, so a link cannot point at a route that does not exist
/// (`PageRouteTests` checks every case against the registered routes). Templates and redirects never spell a path by
/// hand; the page registrations never spell a pattern by hand.
///
/// To register a page, build its case with `.key` for every parameter: `PageRoute.members(org: .key).pattern` is
/// `/o/:org/members`; to link to it, build it with the values: `PageRoute.members(org: id).path` is `/o/<id>/members`.
enum PageRoute: Hashable, Sendable {
    case home
    case login
    case loginSecondFactor
    case logout
    case settings
    case enrolMFA
    case setup
    case acceptInvitation

    case organization(org: String)
    case systems(org: String)
    case assessments(org: String)
    case assessment(org: String, assessment: String)
    case requirement(org: String, assessment: String, requirement: String)
    case resultsPosted(org: String, assessment: String)
    case poam(org: String, assessment: String)
    case poamItem(org: String, assessment: String, requirement: String)
    case exports(org: String, assessment: String)
    case members(org: String)
    /// The organization's time zone (its calendar's "today"), set from the members page.
    case organizationTimeZone(org: String)
    case removeMember(org: String, user: String)
    case revokeInvitation(org: String, invitation: String)
    case tokens(org: String)
    case revokeToken(org: String, token: String)
    case audit(org: String)
    case jobs(org: String)
    case job(org: String, job: String)
    case jobResult(org: String, job: String)
    case catalogs(org: String)

    /// One piece of a page's path: fixed text, or a named parameter (`:name` in the pattern, its value in the link).
    enum Segment: Hashable, Sendable, ExpressibleByStringLiteral {
        case literal(String)
        case parameter(String, value: String)

        init(stringLiteral value: String) { self = .literal(value) }
    }

    /// The one definition of every page's path.
    var segments: [Segment] {
        switch self {
        case .home: []
        case .login: ["login"]
        case .loginSecondFactor: Self.login.segments + ["mfa"]
        case .logout: ["logout"]
        case .settings: ["account", "settings"]
        case .enrolMFA: ["account", "mfa"]
        case .setup: ["setup"]
        case .acceptInvitation: ["account", "invitation"]

        case .organization(let o): ["o", .parameter("org", value: o)]
        case .systems(let o): Self.organization(org: o).segments + ["systems"]
        case .assessments(let o): Self.organization(org: o).segments + ["assessments"]
        case .assessment(let o, let a): Self.assessments(org: o).segments + [.parameter("assessment", value: a)]
        case .requirement(let o, let a, let r):
            Self.assessment(org: o, assessment: a).segments + ["requirements", .parameter("requirement", value: r)]
        case .resultsPosted(let o, let a): Self.assessment(org: o, assessment: a).segments + ["results-posted"]
        case .poam(let o, let a): Self.assessment(org: o, assessment: a).segments + ["poam"]
        case .poamItem(let o, let a, let r): Self.poam(org: o, assessment: a).segments + [.parameter("requirement", value: r)]
        case .exports(let o, let a): Self.assessment(org: o, assessment: a).segments + ["exports"]
        case .members(let o): Self.organization(org: o).segments + ["members"]
        case .organizationTimeZone(let o): Self.organization(org: o).segments + ["time-zone"]
        case .removeMember(let o, let u): Self.members(org: o).segments + [.parameter("user", value: u), "remove"]
        case .revokeInvitation(let o, let i):
            Self.organization(org: o).segments + ["invitations", .parameter("invitation", value: i), "revoke"]
        case .tokens(let o): Self.organization(org: o).segments + ["tokens"]
        case .revokeToken(let o, let t): Self.tokens(org: o).segments + [.parameter("token", value: t), "revoke"]
        case .audit(let o): Self.organization(org: o).segments + ["audit"]
        case .jobs(let o): Self.organization(org: o).segments + ["jobs"]
        case .job(let o, let j): Self.jobs(org: o).segments + [.parameter("job", value: j)]
        case .jobResult(let o, let j): Self.job(org: o, job: j).segments + ["result"]
        case .catalogs(let o): Self.organization(org: o).segments + ["catalogs"]
        }
    }

    /// Characters a parameter's value keeps as they are in a path segment (RFC 3986 `pchar` without `/`); the rest
    /// are percent-encoded. Identifiers (lower-case UUIDs, requirement numbers such as `3.1.1`) need none.
    private static let segmentAllowed: CharacterSet = {
        var allowed = CharacterSet.urlPathAllowed
        allowed.remove(charactersIn: "/;")
        return allowed
    }()

    /// The link to this page, with the parameters' values percent-encoded where needed.
    var path: String {
        "/" + segments.map { segment in
            switch segment {
            case .literal(let text): text
            case .parameter(_, let value): value.addingPercentEncoding(withAllowedCharacters: Self.segmentAllowed) ?? value
            }
        }.joined(separator: "/")
    }

    /// The route the page is registered under, with `:name` for each parameter (the values are ignored).
    var pattern: RouterPath {
        RouterPath("/" + segments.map { segment in
            switch segment {
            case .literal(let text): text
            case .parameter(let name, _): ":" + name
            }
        }.joined(separator: "/"))
    }

    /// Whether a path belongs to the web pages (forms with a CSRF field) rather than the API.
    static func isPage(_ path: String) -> Bool {
        path == home.path || path.hasPrefix("/o/") || path.hasPrefix("/account/") || path == logout.path
            || path.hasPrefix(login.path) || path == setup.path
    }
}

extension String {
    /// Stands for a parameter's value when a `PageRoute` is built only for its `pattern`
    /// (`PageRoute.members(org: .key).pattern`).
    static let key = ""
}

/// Links from the pages into the API's own GET routes (a signed-in browser's session cookie is enough for a GET).
/// The API registers these routes itself (`TenantRoutes`); they are not pages.
enum APILink {
    static func export(_ o: String, _ a: String, _ doc: String, _ format: String, _ lang: String) -> String {
        "/api/v1/organizations/\(o)/assessments/\(a)/export/\(doc)?format=\(format)&lang=\(lang)"
    }
    static func evidence(_ o: String, _ sha: String) -> String { "/api/v1/organizations/\(o)/evidence/\(sha)" }
}
