import Hummingbird
import HTTPTypes
import NIOCore

/// JSON written straight into bytes, for the large lists the API serves often (an assessment's 320 findings).
///
/// Hand-written because Foundation's `JSONEncoder` first builds a tree of boxed values and, with sorted keys,
/// sorts every object's keys again for each element; for the findings list that was a fifth of the request's CPU
/// time (docs/PERFORMANCE.md). Types written here spell their keys in sorted order themselves, so the output is the
/// same as `JSONEncoder` with `.sortedKeys` and `.withoutEscapingSlashes`.
struct JSONBytes {
    private(set) var bytes: [UInt8] = []

    init(capacity: Int = 1024) { bytes.reserveCapacity(capacity) }

    mutating func raw(_ s: StaticString) {
        s.withUTF8Buffer { bytes.append(contentsOf: $0) }
    }

    /// Text already known to be JSON (produced by our own encoder), copied as it is.
    mutating func json(_ s: String) { bytes.append(contentsOf: s.utf8) }

    mutating func int(_ v: Int) { bytes.append(contentsOf: String(v).utf8) }

    mutating func bool(_ v: Bool) { v ? raw("true") : raw("false") }

    /// A quoted string with the escapes RFC 8259 requires (quote, backslash, control characters).
    mutating func string(_ s: String) {
        bytes.append(0x22)
        for b in s.utf8 {
            switch b {
            case 0x22: raw("\\\"")
            case 0x5C: raw("\\\\")
            case 0x0A: raw("\\n")
            case 0x0D: raw("\\r")
            case 0x09: raw("\\t")
            case 0x08: raw("\\b")
            case 0x0C: raw("\\f")
            case 0x00..<0x20:
                raw("\\u00")
                bytes.append(Self.hex[Int(b >> 4)])
                bytes.append(Self.hex[Int(b & 0x0F)])
            default: bytes.append(b)
            }
        }
        bytes.append(0x22)
    }

    /// `"key":`, then the value by `body`; a comma before every member but the first of an object.
    mutating func member(_ key: StaticString, first: Bool = false, _ body: (inout JSONBytes) -> Void) {
        if !first { bytes.append(0x2C) }
        bytes.append(0x22)
        raw(key)
        raw("\":")
        body(&self)
    }

    mutating func array<S: Sequence>(_ elements: S) where S.Element: JSONWritable {
        bytes.append(0x5B)
        var first = true
        for e in elements {
            if !first { bytes.append(0x2C) }
            first = false
            e.writeJSON(to: &self)
        }
        bytes.append(0x5D)
    }

    private static let hex: [UInt8] = Array("0123456789abcdef".utf8)
}

/// A value that writes itself as JSON (keys in sorted order).
protocol JSONWritable: Sendable {
    func writeJSON(to out: inout JSONBytes)
}

extension JSONWritable {
    var jsonBytes: [UInt8] {
        var out = JSONBytes()
        writeJSON(to: &out)
        return out.bytes
    }
}

extension Page: JSONWritable where T: JSONWritable {
    func writeJSON(to out: inout JSONBytes) {
        out.raw("{")
        out.member("items", first: true) { $0.array(items) }
        out.member("limit") { $0.int(limit) }
        out.member("offset") { $0.int(offset) }
        out.member("total") { $0.int(total) }
        out.raw("}")
    }
}

/// A JSON response from a `JSONWritable` value.
struct WrittenJSONResponse<T: JSONWritable>: ResponseGenerator {
    let value: T
    var status: HTTPResponse.Status = .ok
    var headers: HTTPFields = [:]

    func response(from request: Request, context: some RequestContext) throws -> Response {
        var h = headers
        h[.contentType] = "application/json; charset=utf-8"
        return Response(status: status, headers: h, body: .init(byteBuffer: ByteBuffer(bytes: value.jsonBytes)))
    }
}
