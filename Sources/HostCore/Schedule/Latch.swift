import ChorusAPI
import Foundation

/// A one-shot event: the scheduler's "stop taking new runs", and the end of each run. Once triggered,
/// waits end at once and sleeps are cut short.
final class Latch: @unchecked Sendable {
    private let lock = NSLock()
    private var triggered = false
    private var waiters: [Int: CheckedContinuation<Void, Never>] = [:]
    private var nextID = 0

    var isTriggered: Bool { lock.withLock { triggered } }

    func trigger() {
        let resumed: [CheckedContinuation<Void, Never>] = lock.withLock {
            guard !triggered else { return [] }
            triggered = true
            defer { waiters = [:] }
            return Array(waiters.values)
        }
        for waiter in resumed { waiter.resume() }
    }

    /// Returns once triggered, or when the task is cancelled.
    func wait() async {
        let id: Int = lock.withLock {
            nextID += 1
            return nextID
        }
        await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                let resumeNow = lock.withLock {
                    if triggered || Task.isCancelled { return true }
                    waiters[id] = continuation
                    return false
                }
                if resumeNow { continuation.resume() }
            }
        } onCancel: {
            let waiter = lock.withLock { waiters.removeValue(forKey: id) }
            waiter?.resume()
        }
    }

    /// Sleeps `seconds` on `clock`; false when shutdown (or cancellation) cut it short.
    func sleep(_ seconds: Double, on clock: any ChorusClock) async -> Bool {
        if isTriggered { return false }
        return await withTaskGroup(of: Bool.self) { group in
            group.addTask {
                do {
                    try await clock.sleep(seconds: max(seconds, 0))
                    return !Task.isCancelled
                } catch {
                    return false
                }
            }
            group.addTask {
                await self.wait()
                return false
            }
            let first = await group.next() ?? false
            group.cancelAll()
            return first && !isTriggered
        }
    }
}

extension Latch {
    /// Returns once triggered, whether or not the task is cancelled (the caller decides what a
    /// cancellation means, and still waits for the end).
    func waitIgnoringCancellation() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            Task.detached { [self] in
                await self.wait()
                continuation.resume()
            }
        }
    }

    /// Runs `body` unless `seconds` pass on `clock` first; true when `body` finished first.
    static func race(_ seconds: Double, on clock: any ChorusClock, _ body: @escaping @Sendable () async -> Void) async -> Bool {
        await withTaskGroup(of: Bool.self) { group in
            group.addTask {
                await body()
                return true
            }
            group.addTask {
                try? await clock.sleep(seconds: max(seconds, 0))
                return false
            }
            let first = await group.next() ?? false
            group.cancelAll()
            return first
        }
    }
}
