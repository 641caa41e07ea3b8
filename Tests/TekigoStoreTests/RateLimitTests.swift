import Foundation
import Testing
import TekigoStore
import TekigoTestSupport

/// Failed sign-ins per source address (SP 800-171 3.1.8): a window opens with the first failure and lasts its length,
/// wherever the clock's minutes fall, so a burst is never split in two by a boundary.
@Suite("Failed sign-ins per address")
struct RateLimitTests {
    @Test("A window opens with the first failure, counts every failure for its length, then starts again",
          arguments: TestDatabases.engines)
    func window(_ engine: TestDatabases.Engine) async throws {
        let db = try await TekigoDatabase.open(try await TestDatabases.fresh(engine))
        do {
            let accounts = AccountStore(db)
            // 09:59:50 UTC: the burst crosses 10:00, a 10-minute clock boundary.
            let start = Date(timeIntervalSince1970: 1_795_000_000 - 1_795_000_000.truncatingRemainder(dividingBy: 600) + 590)
            let window: TimeInterval = 600
            for i in 0..<5 {
                let n = try await accounts.recordFailureFrom(sourceIP: "203.0.113.7", window: window, now: start.addingTimeInterval(Double(i) * 5))
                #expect(n == i + 1)
            }
            #expect(try await accounts.failuresFrom(sourceIP: "203.0.113.7", window: window, now: start.addingTimeInterval(599)) == 5)
            #expect(try await accounts.failuresFrom(sourceIP: "198.51.100.1", window: window, now: start) == 0)
            // Once the window has passed, counting starts again.
            #expect(try await accounts.failuresFrom(sourceIP: "203.0.113.7", window: window, now: start.addingTimeInterval(600)) == 0)
            #expect(try await accounts.recordFailureFrom(sourceIP: "203.0.113.7", window: window, now: start.addingTimeInterval(601)) == 1)
        } catch {
            await db.close()
            throw error
        }
        await db.close()
    }
}
