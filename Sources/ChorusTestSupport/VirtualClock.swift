import ChorusAPI
import Foundation

/// A clock that stands still until the test moves it: each `sleep` waits until `advance` passes its
/// deadline (unlike `ManualClock`, whose sleeps return at once). For code that runs several tasks
/// against time (the scheduler): the test waits until they sleep, then moves time.
public final class VirtualClock: ChorusClock, @unchecked Sendable {
    private let lock = NSLock()
    private var instant: Date
    private var sleepers: [(id: Int, deadline: Date, continuation: CheckedContinuation<Void, any Error>)] = []
    private var nextID = 0

    public init(start: Date) { instant = start }

    public func now() -> Date { lock.withLock { instant } }

    public func sleep(seconds: Double) async throws {
        try Task.checkCancellation()
        guard seconds > 0 else { return }
        let id: Int = lock.withLock {
            nextID += 1
            return nextID
        }
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                let immediate: Bool = lock.withLock {
                    if Task.isCancelled { return true }
                    sleepers.append((id, instant.addingTimeInterval(seconds), continuation))
                    return false
                }
                if immediate { continuation.resume(throwing: CancellationError()) }
            }
        } onCancel: {
            let removed: CheckedContinuation<Void, any Error>? = lock.withLock {
                guard let index = sleepers.firstIndex(where: { $0.id == id }) else { return nil }
                return sleepers.remove(at: index).continuation
            }
            removed?.resume(throwing: CancellationError())
        }
    }

    /// How many sleeps are waiting.
    public var sleeping: Int { lock.withLock { sleepers.count } }

    /// The earliest deadline among the waiting sleeps.
    public var nextDeadline: Date? { lock.withLock { sleepers.map(\.deadline).min() } }

    /// Moves time forward by `seconds`, waking every sleep whose deadline has come.
    public func advance(by seconds: Double) { advance(to: now().addingTimeInterval(seconds)) }

    /// Moves time to `date` (never backwards), waking every sleep whose deadline has come.
    public func advance(to date: Date) {
        let woken: [CheckedContinuation<Void, any Error>] = lock.withLock {
            if date > instant { instant = date }
            let due = sleepers.filter { $0.deadline <= instant }
            sleepers.removeAll { $0.deadline <= instant }
            return due.map(\.continuation)
        }
        for continuation in woken { continuation.resume() }
    }

    /// Waits (in real time, up to `timeout` seconds) until at least `count` sleeps are waiting.
    /// False on timeout: the code under test never went to sleep.
    public func untilSleeping(_ count: Int = 1, timeout: Double = 60) async -> Bool {
        await Self.eventually(timeout: timeout) { self.sleeping >= count }
    }

    /// Polls `condition` in real time until it holds (true) or `timeout` seconds pass (false).
    public static func eventually(timeout: Double = 60, _ condition: () -> Bool) async -> Bool {
        let end = Date().addingTimeInterval(timeout)
        while Date() < end {
            if condition() { return true }
            try? await Task.sleep(nanoseconds: 2_000_000)
        }
        return condition()
    }
}
