import SQLKit

/// Maps Swift property names (`organizationId`) to column names (`organization_id`) for every record.
///
/// SQLKit's built-in `convertFromSnakeCase` / `convertToSnakeCase` strategies do the same with full Unicode case
/// tests on every key of every row; profiling the 320-finding list showed them as the largest single cost. Our
/// property names are ASCII camelCase, so a byte-level conversion gives the same column names far more cheaply.
enum SnakeCaseColumns {
    static let encoder = SQLQueryEncoder(keyEncodingStrategy: .custom { path in column(path) }, nilEncodingStrategy: .asNil)
    static let decoder = SQLRowDecoder(keyDecodingStrategy: .custom { path in column(path) })

    /// For joins whose columns of one table are aliased with a prefix (`u_email`).
    static func decoder(prefix: String) -> SQLRowDecoder {
        SQLRowDecoder(prefix: prefix, keyDecodingStrategy: .custom { path in column(path) })
    }

    static func column(_ path: [any CodingKey]) -> any CodingKey {
        ColumnKey(stringValue: snakeCased(path.last?.stringValue ?? ""))
    }

    /// `organizationId` → `organization_id`, `sourceIp` → `source_ip`.
    static func snakeCased(_ name: String) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(name.utf8.count + 4)
        for b in name.utf8 {
            if b >= 0x41, b <= 0x5A {
                if !out.isEmpty { out.append(0x5F) }
                out.append(b + 0x20)
            } else {
                out.append(b)
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    struct ColumnKey: CodingKey {
        let stringValue: String
        init(stringValue: String) { self.stringValue = stringValue }
        var intValue: Int? { nil }
        init?(intValue: Int) { nil }
    }
}
