import Foundation
import Hummingbird
import HTTPTypes
import MultipartKit
import NIOCore
import TekigoStore

/// A file sent with a form (`multipart/form-data`).
struct UploadedFile: Sendable {
    let field: String
    let filename: String
    let contentType: String
    let data: Data
}

/// The fields of a posted form, url-encoded or multipart, read only after its CSRF token has been checked.
struct WebForm: Sendable {
    private(set) var fields: [String: [String]] = [:]
    private(set) var files: [UploadedFile] = []

    init(fields: [String: [String]] = [:], files: [UploadedFile] = []) {
        self.fields = fields
        self.files = files
    }

    /// The first value of a field ("" when absent).
    subscript(_ name: String) -> String { fields[name]?.first ?? "" }
    func values(_ name: String) -> [String] { fields[name] ?? [] }
    func has(_ name: String) -> Bool { fields[name] != nil }

    /// `a=1&b=x+y` → fields. `+` is a space and `%XX` are UTF-8 bytes (HTML's form encoding).
    static func urlEncoded(_ body: String) -> WebForm {
        var form = WebForm()
        for pair in body.split(separator: "&", omittingEmptySubsequences: true) {
            let kv = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false).map {
                String($0).replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? ""
            }
            form.fields[kv[0], default: []].append(kv.count == 2 ? kv[1] : "")
        }
        return form
    }

    /// Parsed with MultipartKit's streaming parser; file parts (those with a filename) become `files`.
    static func multipart(_ buffer: ByteBuffer, boundary: String) throws -> WebForm {
        var form = WebForm()
        let parser = MultipartParser(boundary: boundary)
        var headers: [String: String] = [:]
        var body = ByteBuffer()
        parser.onHeader = { name, value in headers[name.lowercased()] = value }
        parser.onBody = { chunk in body.writeBuffer(&chunk) }
        parser.onPartComplete = {
            let disposition = headers["content-disposition"] ?? ""
            let name = Self.parameter("name", in: disposition) ?? ""
            if let filename = Self.parameter("filename", in: disposition) {
                if !filename.isEmpty || body.readableBytes > 0 {
                    form.files.append(UploadedFile(field: name, filename: filename,
                                                   contentType: headers["content-type"] ?? "application/octet-stream",
                                                   data: Data(buffer: body)))
                }
            } else {
                form.fields[name, default: []].append(String(buffer: body))
            }
            headers = [:]
            body = ByteBuffer()
        }
        try parser.execute(buffer)
        return form
    }

    /// `form-data; name="evidence"; filename="a b.pdf"` → the quoted value of `key`.
    static func parameter(_ key: String, in header: String) -> String? {
        for part in header.split(separator: ";") {
            let p = part.trimmingCharacters(in: .whitespaces)
            guard p.lowercased().hasPrefix("\(key)=") else { continue }
            var v = String(p.dropFirst(key.count + 1))
            if v.hasPrefix("\""), v.hasSuffix("\""), v.count >= 2 { v = String(v.dropFirst().dropLast()) }
            return v
        }
        return nil
    }

    /// Reads the request's form (at most `limit` bytes). NUL never belongs in a form field (and PostgreSQL text
    /// cannot hold it): such a form is refused whole.
    static func read(_ request: Request, limit: Int) async throws -> WebForm {
        let type = request.headers[.contentType] ?? ""
        let buffer: ByteBuffer
        do { buffer = try await request.body.collect(upTo: limit) } catch { throw WebError.tooLarge(limit: limit) }
        let form: WebForm
        if type.hasPrefix("application/x-www-form-urlencoded") {
            form = urlEncoded(String(buffer: buffer))
        } else if type.hasPrefix("multipart/form-data"), let boundary = parameter("boundary", in: type) {
            do { form = try multipart(buffer, boundary: boundary) } catch { throw WebError.badForm }
        } else {
            throw WebError.badForm
        }
        if form.fields.values.joined().contains(where: { $0.unicodeScalars.contains("\u{0}") }) { throw WebError.badForm }
        return form
    }
}

/// Failures that only pages have; each is shown as a page in the user's language (`PageErrorMiddleware`).
enum WebError: Error, Sendable {
    /// The form's CSRF token is missing or does not match the session's.
    case csrf
    /// The body is not a form, or holds a character no field may contain.
    case badForm
    case tooLarge(limit: Int)
    /// The page needs a signed-in session (redirects to sign-in).
    case signInRequired(expired: Bool)
    /// The second factor is still to be given in this session.
    case secondFactorRequired
    /// The account must enrol an authenticator before anything else (SP 800-171 3.5.3).
    case enrolmentRequired
}
