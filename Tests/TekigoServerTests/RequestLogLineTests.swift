import Foundation
import Logging
import Testing
@testable import TekigoServer

/// The request log line is written without `String(format:)` and without a dictionary per event
/// (docs/PERFORMANCE.md): the same text as before.
@Suite("JSONWriting: the request log line")
struct RequestLogLineTests {
    @Test("durations read as String(format: \"%.2f\") wrote them")
    func durations() {
        for ms in [0, 0.004, 0.005001, 0.1, 0.99, 0.994, 0.996, 1, 1.5, 9.999, 12.345678, 100.01, 2_500.5, 123_456.789] {
            #expect(RequestLogMiddleware.milliseconds(ms) == String(format: "%.2f", ms), "\(ms)")
        }
        for _ in 0..<2_000 {
            let ms = Double.random(in: 0..<5_000)
            let tie = (ms * 100).truncatingRemainder(dividingBy: 1)
            guard abs(tie - 0.5) > 1e-6 else { continue }  // an exact half may round the other way (documented)
            #expect(RequestLogMiddleware.milliseconds(ms) == String(format: "%.2f", ms), "\(ms)")
        }
    }
}
