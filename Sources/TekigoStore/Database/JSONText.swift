import Foundation

/// JSON text in a column (lists and objects stored as one value): sorted keys, so equal values are equal text.
enum JSONText {
    static func encode<T: Encodable>(_ v: T) -> String {
        let e = JSONEncoder()
        e.outputFormatting = [.sortedKeys]
        return String(decoding: (try? e.encode(v)) ?? Data("null".utf8), as: UTF8.self)
    }

    static func decode<T: Decodable>(_ type: T.Type, _ s: String) -> T? {
        try? JSONDecoder().decode(T.self, from: Data(s.utf8))
    }
}
