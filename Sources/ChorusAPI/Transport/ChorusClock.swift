import Foundation

/// Time as the client sees it: token expiry, backoff and rate limiting all go through this, so tests
/// drive a virtual clock and never wait in real time.
public protocol ChorusClock: Sendable {
    /// The current time.
    func now() -> Date
    /// Waits `seconds`; throws `CancellationError` when the task is cancelled.
    func sleep(seconds: Double) async throws
}

/// The real clock.
public struct SystemClock: ChorusClock {
    public init() {}
    public func now() -> Date { Date() }
    public func sleep(seconds: Double) async throws {
        guard seconds > 0 else { return }
        try await Task.sleep(nanoseconds: UInt64(seconds * 1_000_000_000))
    }
}

/// Random numbers for jitter, injectable so backoff delays are reproducible in tests.
public protocol JitterSource: Sendable {
    /// A number in `0..<1`.
    func next() -> Double
}

/// Jitter from the system generator.
public struct SystemJitter: JitterSource {
    public init() {}
    public func next() -> Double { Double.random(in: 0..<1) }
}
