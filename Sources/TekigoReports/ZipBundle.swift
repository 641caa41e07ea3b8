import Foundation
import ZIPFoundation

/// An in-memory ZIP archive of named files (deflated, fixed timestamps so the same input gives the same bytes):
/// the .xlsx container and the web application's "every document" export bundle.
public enum ZipBundle {
    public struct Failure: Error, CustomStringConvertible {
        public let description: String
    }

    public static func data(_ entries: [(path: String, data: Data)]) throws -> Data {
        let archive: Archive
        do { archive = try Archive(data: Data(), accessMode: .create) } catch { throw Failure(description: "cannot create a ZIP archive: \(error)") }
        for entry in entries {
            let bytes = entry.data
            do {
                try archive.addEntry(with: entry.path, type: .file, uncompressedSize: Int64(bytes.count),
                                     modificationDate: fixedDate, compressionMethod: .deflate) { position, size in
                    let start = Int(position)
                    return bytes.subdata(in: start..<min(start + size, bytes.count))
                }
            } catch {
                throw Failure(description: "\(entry.path): \(error)")
            }
        }
        guard let data = archive.data else { throw Failure(description: "the in-memory archive has no data") }
        return data
    }

    /// 2000-01-01 00:00 UTC: ZIP timestamps are local DOS times, and a fixed one keeps the output reproducible.
    static let fixedDate = Date(timeIntervalSince1970: 946_684_800)
}
