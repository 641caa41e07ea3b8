import Foundation

/// Where "now" comes from. Everything that needs the time takes a clock, so tests can move time (lockouts, session
/// and invitation expiry, reporting deadlines) without waiting for it.
public protocol WallClock: Sendable {
    func now() -> Date
}

/// The system's clock.
public struct SystemClock: WallClock {
    public init() {}
    public func now() -> Date { Date() }
}

/// A clock that says what a test tells it.
public final class SettableClock: WallClock, @unchecked Sendable {
    private let lock = NSLock()
    private var current: Date

    public init(_ start: Date) { current = start }

    public func now() -> Date { lock.withLock { current } }

    public func set(_ date: Date) { lock.withLock { current = date } }

    public func advance(by seconds: TimeInterval) { lock.withLock { current = current.addingTimeInterval(seconds) } }
}

/// A clock stopped at one instant: work run "as of" a given time (a reminder pass for a chosen day) reads that instant
/// however long it takes.
public struct StoppedClock: WallClock {
    public let instant: Date
    public init(instant: Date) { self.instant = instant }
    public func now() -> Date { instant }
}
