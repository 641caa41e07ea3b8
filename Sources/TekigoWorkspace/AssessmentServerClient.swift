import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import TekigoCore

/// The few calls of a Tekigo server's API that `tekigo pull` / `tekigo push` make, with an API token:
/// `GET …/assessments/{id}` (its catalog), `GET …/findings` (every objective with its version) and
/// `PUT …/findings/{objective}` with `If-Match`. An ephemeral URLSession that keeps no cookies or cache and never
/// follows a redirect (the token goes to the linked address only); the token is sent as `Authorization: Bearer` and
/// appears in no error or message.
public struct AssessmentServerClient: Sendable {
    public let link: RemoteLink
    let token: String
    let language: Language
    let session: URLSession

    public static let requestTimeout: TimeInterval = 60

    /// `language`: sent as `Accept-Language`, for the server's own error messages.
    public init(link: RemoteLink, token: String, language: Language = .en) {
        self.link = link
        self.token = token
        self.language = language
        let configuration = URLSessionConfiguration.ephemeral
        configuration.timeoutIntervalForRequest = Self.requestTimeout
        configuration.timeoutIntervalForResource = Self.requestTimeout * 5
        configuration.httpShouldSetCookies = false
        configuration.httpCookieAcceptPolicy = .never
        configuration.urlCache = nil
        configuration.requestCachePolicy = .reloadIgnoringLocalCacheData
        session = URLSession(configuration: configuration, delegate: RefuseRedirects(), delegateQueue: nil)
    }

    /// The assessment's catalog id.
    public func catalog() async throws(RemoteError) -> String {
        let (data, _) = try await send("GET", link.url())
        guard let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any], let catalog = object["catalog"] as? String else {
            throw Self.malformed("the assessment")
        }
        return catalog
    }

    /// Every objective of the assessment, page by page (500 at a time).
    public func findings() async throws(RemoteError) -> [ServerFinding] {
        var all: [ServerFinding] = []
        for item in try await everyItem(link.url("findings"), "the findings") { all.append(try Self.finding(item)) }
        return all
    }

    /// The assessment as a new folder holds it (`tekigo pull` into a folder that has only the link): the
    /// organization's name and identifiers, the system's description and the assessment's catalog, date, kind and
    /// assessor, with the organization's regime. The answers come after, through the sync rule.
    public func assessmentForNewFolder() async throws(RemoteError) -> (assessment: Assessment, regime: ComplianceRegime?) {
        let (assessmentData, _) = try await send("GET", link.url())
        guard let a = try? JSONSerialization.jsonObject(with: assessmentData) as? [String: Any],
              let systemID = a["systemId"] as? String, let catalog = a["catalog"] as? String,
              let date = (a["date"] as? String).flatMap(Day.init), let kind = (a["kind"] as? String).flatMap(AssessmentKind.init) else {
            throw Self.malformed("the assessment")
        }
        let organizationURL = link.server.appendingPathComponent("api/v1/organizations").appendingPathComponent(link.organization)
        let (organizationData, _) = try await send("GET", organizationURL)
        guard let o = try? JSONSerialization.jsonObject(with: organizationData) as? [String: Any], let name = o["name"] as? String else {
            throw Self.malformed("the organization")
        }
        let systems = try await everyItem(organizationURL.appendingPathComponent("systems"), "the systems")
        guard let s = systems.first(where: { $0["id"] as? String == systemID }), let systemName = s["name"] as? String else {
            throw Self.malformed("the assessment's system")
        }
        let organization = Organization(name: name, cageCodes: o["cageCodes"] as? [String] ?? [], uei: o["uei"] as? String,
                                        corporateNumber: o["corporateNumber"] as? String)
        let system = SystemProfile(name: systemName, boundary: s["boundary"] as? String ?? "", environment: s["environment"] as? String ?? "",
                                   informationTypes: s["informationTypes"] as? [String] ?? [], userCount: s["userCount"] as? Int ?? 0)
        let assessment = Assessment(organization: organization, system: system, catalog: CatalogID(catalog), date: date, kind: kind,
                                    assessor: a["assessor"] as? String ?? "",
                                    resultsPostedOn: (a["resultsPostedOn"] as? String).flatMap(Day.init))
        return (assessment, (o["regime"] as? String).flatMap(ComplianceRegime.init))
    }

    /// Every item of a paged list (`Page<…>`: items, total), 500 at a time.
    func everyItem(_ url: URL, _ what: String) async throws(RemoteError) -> [[String: Any]] {
        var all: [[String: Any]] = []
        while true {
            var components = URLComponents(url: url, resolvingAgainstBaseURL: false)!
            components.queryItems = [URLQueryItem(name: "limit", value: "500"), URLQueryItem(name: "offset", value: String(all.count))]
            let (data, _) = try await send("GET", components.url!)
            guard let page = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
                  let items = page["items"] as? [[String: Any]], let total = page["total"] as? Int else {
                throw Self.malformed(what)
            }
            all += items
            if items.isEmpty || all.count >= total { return all }
        }
    }

    /// Saves one objective's answer if the server's finding is still at `ifVersion`; 412 is `.versionMismatch`.
    public func put(_ objective: String, _ answer: SyncedAnswer, ifVersion: Int) async throws(RemoteError) -> ServerFinding {
        var evidence: [[String: Any]] = []
        for e in answer.evidence {
            var m: [String: Any] = ["location": e.location]
            if let s = e.sha256, !s.isEmpty { m["sha256"] = s }
            if let s = e.size { m["size"] = s }
            if let d = e.date { m["date"] = d.description }
            evidence.append(m)
        }
        let body: [String: Any] = ["status": answer.status.rawValue, "rationale": answer.rationale, "evidence": evidence]
        let encoded = objective.addingPercentEncoding(withAllowedCharacters: .alphanumerics.union(CharacterSet(charactersIn: ".-_~"))) ?? objective
        // appendingPathComponent would encode the % again: build the path by hand from the link's URL.
        let url = URL(string: link.url("findings").absoluteString + "/" + encoded)!
        let (data, _) = try await send("PUT", url, body: try? JSONSerialization.data(withJSONObject: body), ifMatch: ifVersion)
        guard let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else { throw Self.malformed("the saved finding") }
        return try Self.finding(object)
    }

    /// Uploads the files an answer pins by SHA-256 (`tekigo assess set --evidence FILE` records the hash), so the
    /// server accepts the references: it takes a pinned reference only to a file uploaded to the organization. A
    /// reference already on the server (`evidence/<sha256>`) or without a hash (a URL) needs nothing. The file is read
    /// relative to `folder` and must still have the recorded hash.
    public func uploadPinnedEvidence(_ refs: [EvidenceRef], folder: URL) async throws(RemoteError) {
        for ref in refs {
            guard let sha = ref.sha256, !sha.isEmpty, !ref.location.hasPrefix("evidence/") else { continue }
            let file = ref.location.hasPrefix("/") ? URL(fileURLWithPath: ref.location) : folder.appendingPathComponent(ref.location)
            guard let data = FileManager.default.contents(atPath: file.path) else {
                throw .rejected(LocalizedText(
                    en: "its evidence file \(ref.location) is not there to upload; put it back or record the evidence again (`tekigo assess set … --evidence FILE`)",
                    ja: "証拠ファイル \(ref.location) が見つからずアップロードできません。ファイルを戻すか、証拠を記録し直してください（`tekigo assess set … --evidence FILE`）"))
            }
            guard SyncedAnswer.sha256Hex(data) == sha.lowercased() else {
                throw .rejected(LocalizedText(
                    en: "its evidence file \(ref.location) changed since it was recorded (the SHA-256 differs); record it again with `tekigo assess set … --evidence FILE`",
                    ja: "証拠ファイル \(ref.location) は記録後に変更されています（SHA-256 が違います）。`tekigo assess set … --evidence FILE` で記録し直してください"))
            }
            var components = URLComponents(url: link.server.appendingPathComponent("api/v1/organizations").appendingPathComponent(link.organization)
                .appendingPathComponent("evidence"), resolvingAgainstBaseURL: false)!
            components.queryItems = [URLQueryItem(name: "filename", value: file.lastPathComponent)]
            _ = try await send("POST", components.url!, body: data, contentType: "application/octet-stream")
        }
    }

    static func finding(_ item: [String: Any]) throws(RemoteError) -> ServerFinding {
        guard let objective = item["objective"] as? String, let statusText = item["status"] as? String,
              let status = FindingStatus(rawValue: statusText), let version = item["version"] as? Int else {
            throw malformed("a finding")
        }
        let evidence = (item["evidence"] as? [[String: Any]] ?? []).compactMap { e -> EvidenceRef? in
            guard let location = e["location"] as? String else { return nil }
            return EvidenceRef(location: location, sha256: e["sha256"] as? String, size: e["size"] as? Int,
                               date: (e["date"] as? String).flatMap(Day.init))
        }
        let answer = SyncedAnswer(status: status, rationale: item["rationale"] as? String ?? "", evidence: evidence,
                                  needsReview: item["needsReview"] as? Bool ?? false)
        return ServerFinding(objective: objective, answer: answer, version: version,
                             carriedOverFrom: item["carriedOverFrom"] as? String, assessedBy: item["assessedBy"] as? String,
                             assessedOn: (item["assessedOn"] as? String).flatMap(Day.init))
    }

    static func malformed(_ what: String) -> RemoteError {
        .unexpected(LocalizedText(en: "the server's answer for \(what) is not what the Tekigo API documents; is the address a Tekigo server of the same version?",
                                  ja: "サーバーの\(what == "the findings" ? "所見一覧" : "応答")が Tekigo API の仕様どおりではありません。アドレスが同じ版の Tekigo サーバーか確かめてください。"))
    }

    func send(_ method: String, _ url: URL, body: Data? = nil, contentType: String = "application/json",
              ifMatch: Int? = nil) async throws(RemoteError) -> (Data, HTTPURLResponse) {
        var request = URLRequest(url: url)
        request.httpMethod = method
        request.setValue("Bearer " + token, forHTTPHeaderField: "Authorization")
        request.setValue("application/json", forHTTPHeaderField: "Accept")
        request.setValue(language.rawValue, forHTTPHeaderField: "Accept-Language")
        if let body {
            request.httpBody = body
            request.setValue(contentType, forHTTPHeaderField: "Content-Type")
        }
        if let ifMatch { request.setValue("\"\(ifMatch)\"", forHTTPHeaderField: "If-Match") }
        let data: Data
        let response: URLResponse
        do { (data, response) = try await session.data(for: request) } catch {
            let server = link.server.absoluteString
            throw .unreachable(LocalizedText(
                en: "cannot reach the server at \(server) (\(error.localizedDescription)). Check the address (`tekigo remote show`) and that the server is running and reachable from here.",
                ja: "\(server) のサーバーに接続できません（\(error.localizedDescription)）。アドレス（`tekigo remote show`）と、サーバーが動いていてここから届くことを確かめてください。"))
        }
        guard let http = response as? HTTPURLResponse else { throw Self.malformed("the request") }
        switch http.statusCode {
        case 200..<300: return (data, http)
        case 300..<400:
            throw .unreachable(LocalizedText(
                en: "the server answered with a redirect (\(http.statusCode)) to \(http.value(forHTTPHeaderField: "Location") ?? "elsewhere"); the token is never sent on: link the final address with `tekigo remote set`.",
                ja: "サーバーが別のアドレス（\(http.value(forHTTPHeaderField: "Location") ?? "不明")）へのリダイレクト（\(http.statusCode)）を返しました。トークンは転送しません。`tekigo remote set` で最終的なアドレスを指定してください。"))
        case 401: throw .unauthenticated
        case 403: throw .forbidden(serverMessage: Self.errorMessage(data))
        case 404: throw .notFound
        case 400, 413, 422:
            let said = Self.errorMessage(data)
            throw .rejected(LocalizedText(en: "the server refused it (\(http.statusCode)): \(said)", ja: "サーバーが受け付けませんでした（\(http.statusCode)）：\(said)"))
        case 412:
            let etag = http.value(forHTTPHeaderField: "ETag")?.trimmingCharacters(in: CharacterSet(charactersIn: "W/\""))
            throw .versionMismatch(current: etag.flatMap { Int($0) })
        default:
            let said = Self.errorMessage(data)
            throw .unexpected(LocalizedText(en: "the server answered \(http.statusCode)\(said.isEmpty ? "" : ": " + said)",
                                            ja: "サーバーが \(http.statusCode) を返しました\(said.isEmpty ? "" : "：" + said)"))
        }
    }

    /// The `error.message` of the API's error body, if any.
    static func errorMessage(_ data: Data) -> String {
        guard let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
              let error = object["error"] as? [String: Any] else { return "" }
        return error["message"] as? String ?? ""
    }
}

/// A redirect is never followed: the request ends with the 3xx answer.
final class RefuseRedirects: NSObject, URLSessionTaskDelegate, @unchecked Sendable {
    func urlSession(_ session: URLSession, task: URLSessionTask, willPerformHTTPRedirection response: HTTPURLResponse,
                    newRequest request: URLRequest, completionHandler: @escaping @Sendable (URLRequest?) -> Void) {
        completionHandler(nil)
    }
}
