import Foundation
import Hummingbird
import HTTPTypes
import NIOCore

/// A JSON request body whose members are all known: unknown members are refused (a typo never silently drops
/// data), as are other content types and oversized bodies.
protocol StrictBody: Decodable, Sendable {
    static var fields: Set<String> { get }
}

extension Request {
    func decodeStrict<T: StrictBody>(_ type: T.Type, context: AppContext, limit: Int = 1024 * 1024) async throws -> T {
        let contentType = headers[.contentType]?.lowercased() ?? ""
        guard contentType.hasPrefix("application/json") else { throw APIError.unsupportedMediaType("application/json") }
        let buffer: ByteBuffer
        do { buffer = try await body.collect(upTo: limit) } catch { throw APIError.tooLarge(limit: limit) }
        let data = Data(buffer: buffer)
        guard let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else {
            throw APIError.invalid(field: nil, message: "The body must be a JSON object.").ja("本文は JSON のオブジェクトにしてください。")
        }
        if let unknown = object.keys.sorted().first(where: { !T.fields.contains($0) }) {
            throw APIError.invalid(field: unknown, message: "Unknown field '\(unknown)'. Allowed: \(T.fields.sorted().joined(separator: ", ")).").ja("「\(unknown)」という項目はありません。使える項目: \(T.fields.sorted().joined(separator: ", "))。")
        }
        // U+0000 cannot be stored (PostgreSQL text refuses it; the audit log refuses it) and is never meaningful in
        // our text, so it is refused here, naming the member, rather than failing later as a server error.
        if let path = Self.nulPath(object) {
            throw APIError.invalid(field: path, message: "Text may not contain the NUL character (U+0000).").ja("文字列に NUL 文字（U+0000）は使えません。")
        }
        return try JSONDecoder().decode(T.self, from: data)
    }

    /// The dotted path (`evidence.[0].location`, as decoding errors name members) of the first string, or key,
    /// holding U+0000; nil if there is none.
    static func nulPath(_ value: Any, _ path: String? = nil) -> String? {
        func join(_ p: String?, _ next: String) -> String { p.map { "\($0).\(next)" } ?? next }
        switch value {
        case let s as String:
            return s.unicodeScalars.contains("\u{0}") ? (path ?? "") : nil
        case let object as [String: Any]:
            for key in object.keys.sorted() {
                if key.unicodeScalars.contains("\u{0}") { return join(path, key) }
                if let found = nulPath(object[key]!, join(path, key)) { return found }
            }
            return nil
        case let array as [Any]:
            for (i, element) in array.enumerated() {
                if let found = nulPath(element, join(path, "[\(i)]")) { return found }
            }
            return nil
        default:
            return nil
        }
    }
}

/// JSON responses with a status and extra headers.
struct JSONResponse<T: Encodable & Sendable>: ResponseGenerator {
    let value: T
    var status: HTTPResponse.Status = .ok
    var headers: HTTPFields = [:]

    func response(from request: Request, context: some RequestContext) throws -> Response {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        var h = headers
        h[.contentType] = "application/json; charset=utf-8"
        return Response(status: status, headers: h, body: .init(byteBuffer: ByteBuffer(bytes: try encoder.encode(value))))
    }
}

/// A page of a list: `?limit=` (1–500, default 100) and `?offset=`.
struct Page<T: Sendable>: Sendable {
    let items: [T]
    let total: Int
    let limit: Int
    let offset: Int

    init(items: [T], total: Int, limit: Int, offset: Int) {
        self.items = items
        self.total = total
        self.limit = limit
        self.offset = offset
    }

    init(_ all: [T], request: Request, defaultLimit: Int = 100) throws {
        let q = request.uri.queryParameters
        let limit = try Page.int(q["limit"].map(String.init), "limit", default: defaultLimit, range: 1...500)
        let offset = try Page.int(q["offset"].map(String.init), "offset", default: 0, range: 0...Int.max)
        self.items = Array(all.dropFirst(offset).prefix(limit))
        self.total = all.count
        self.limit = limit
        self.offset = offset
    }

    static func int(_ s: String?, _ name: String, default d: Int, range: ClosedRange<Int>) throws -> Int {
        guard let s else { return d }
        guard let v = Int(s), range.contains(v) else {
            throw APIError.invalid(field: name, message: "'\(name)' must be a whole number in \(range.lowerBound)…\(range.upperBound).").ja("\(name) は \(range.lowerBound)〜\(range.upperBound) の整数にしてください。")
        }
        return v
    }
}

extension Page: Encodable where T: Encodable {}
