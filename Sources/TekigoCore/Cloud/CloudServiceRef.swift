import Foundation

/// Which cloud service a record is about (issue 15): a FedRAMP Marketplace product by its package id, an ISMAP or
/// ISMAP-LIU registration by its number, or a service in neither list by the name the organization gives it. One key
/// shared by the registry, the services an organization uses, the responsibility matrices imported for them and the
/// attestations that name them, written as `fedramp:FR1704369518`, `ismap:C23-0001-2` or `other:<name>`.
public enum CloudServiceRef: Sendable, Hashable, Codable, CustomStringConvertible {
    case fedramp(packageID: String)
    case ismap(registrationNumber: String)
    case other(name: String)

    /// Why a reference cannot be read, in both languages.
    public struct Invalid: Error, Sendable, Hashable, CustomStringConvertible {
        public let text: String
        public var description: String { message.en }
        public var message: LocalizedText {
            LocalizedText(en: "'\(text)' does not name a cloud service: write fedramp:<package id> (e.g. fedramp:FR1704369518), ismap:<registration number> or other:<name>.",
                          ja: "「\(text)」はクラウドサービスの指定として読めません。fedramp:<パッケージ ID>（例 fedramp:FR1704369518）、ismap:<登録番号>、other:<名称> のいずれかで書いてください。")
        }
    }

    public var kind: String {
        switch self {
        case .fedramp: return "fedramp"
        case .ismap: return "ismap"
        case .other: return "other"
        }
    }

    /// The id within its kind: the package id, the registration number or the name.
    public var value: String {
        switch self {
        case .fedramp(let v), .ismap(let v), .other(let v): return v
        }
    }

    public var description: String { "\(kind):\(value)" }

    /// Reads `kind:value`. The value is trimmed; it must be 1–200 characters without control characters. A package id
    /// or registration number is kept as written (both lists print them in upper case).
    public init(parsing text: String) throws(Invalid) {
        guard let colon = text.firstIndex(of: ":") else { throw Invalid(text: text) }
        let kind = text[..<colon].lowercased()
        let value = text[text.index(after: colon)...].trimmingCharacters(in: .whitespacesAndNewlines)
        guard (1...200).contains(value.count), !value.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) else {
            throw Invalid(text: text)
        }
        switch kind {
        case "fedramp":
            guard !value.contains(where: \.isWhitespace) else { throw Invalid(text: text) }
            self = .fedramp(packageID: value)
        case "ismap":
            guard !value.contains(where: \.isWhitespace) else { throw Invalid(text: text) }
            self = .ismap(registrationNumber: value)
        case "other": self = .other(name: value)
        default: throw Invalid(text: text)
        }
    }

    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        do {
            self = try CloudServiceRef(parsing: text)
        } catch {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: error.description))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(description)
    }
}
