import Foundation
import TekigoCore

/// One entry point for a catalog file (issue #17 item 2): the format is told by content, never by the file's name —
/// an OSCAL catalog has a top-level `catalog` member, NIST's CPRT export a top-level `elements` list. The command
/// line, the catalogs page's upload and its job all read through here.
public enum CatalogFileImporter {
    public enum Format: Sendable, Equatable { case oscal, cprt }

    /// The file's format from its top-level members, found by one scan of the bytes (no parse: the reader parses
    /// once). A file with neither member goes to the OSCAL reader, which says what it is instead.
    public static func format(of data: Data) -> Format {
        var depth = 0
        var inString = false, escaped = false
        var key = [UInt8](), lastString = [UInt8]()
        var stringEnded = false
        for b in data {
            if inString {
                if escaped { escaped = false } else if b == UInt8(ascii: "\\") { escaped = true } else if b == UInt8(ascii: "\"") {
                    inString = false; lastString = key; stringEnded = true
                } else if depth == 1 { key.append(b) }
                continue
            }
            switch b {
            case UInt8(ascii: "\""): inString = true; key = []
            case UInt8(ascii: ":"):
                if depth == 1, stringEnded {
                    if lastString == Array("catalog".utf8) { return .oscal }
                    if lastString == Array("elements".utf8) { return .cprt }
                }
            case UInt8(ascii: "{"), UInt8(ascii: "["): depth += 1
            case UInt8(ascii: "}"), UInt8(ascii: "]"): depth -= 1
            case UInt8(ascii: " "), UInt8(ascii: "\n"), UInt8(ascii: "\r"), UInt8(ascii: "\t"): continue
            default: break
            }
            stringEnded = false
        }
        return .oscal
    }

    public static func read(_ data: Data, file: String, library: Library,
                            customID: CatalogID? = nil) throws(CatalogImportError) -> CatalogImportResult {
        switch format(of: data) {
        case .oscal:
            return try OSCALCatalogImporter.read(data, file: file, library: library, customID: customID)
        case .cprt:
            if customID != nil { throw .customIDForCPRT(file: file) }
            return try CPRTImporter.read(data, file: file, library: library)
        }
    }
}
