import Foundation

/// Limits of the traffic the client sends to one environment.
public struct TrafficLimits: Sendable, Equatable {
    /// Requests started per second at most (nil: no limit). PISTE documents no quota; be a good citizen.
    public var requestsPerSecond: Double?
    /// Requests in flight at once at most.
    public var maxConcurrentRequests: Int

    /// Creates a value from its fields.
    public init(requestsPerSecond: Double? = nil, maxConcurrentRequests: Int = 8) {
        self.requestsPerSecond = requestsPerSecond
        self.maxConcurrentRequests = max(1, maxConcurrentRequests)
    }
}

/// Admits requests to one environment within its `TrafficLimits`: a counting semaphore for the
/// concurrency cap and evenly spaced start slots for the rate.
actor RequestGate {
    private let limits: TrafficLimits
    private let clock: any ChorusClock
    private var inFlight = 0
    private var waiters: [CheckedContinuation<Void, Never>] = []
    private var nextSlot: Date?

    init(limits: TrafficLimits, clock: any ChorusClock) {
        self.limits = limits
        self.clock = clock
    }

    /// Waits for a free slot; pair every successful call with `release()`.
    func acquire() async throws {
        if inFlight < limits.maxConcurrentRequests {
            inFlight += 1
        } else {
            // The slot is handed over by `release()`, which does not decrement in that case.
            await withCheckedContinuation { waiters.append($0) }
        }
        guard let rate = limits.requestsPerSecond, rate > 0 else { return }
        // Reserve the start time before sleeping so concurrent callers get distinct slots.
        let now = clock.now()
        let start = max(now, nextSlot ?? now)
        nextSlot = start.addingTimeInterval(1 / rate)
        let wait = start.timeIntervalSince(now)
        if wait > 0 {
            do { try await clock.sleep(seconds: wait) } catch {
                release()
                throw error
            }
        }
    }

    /// Frees the slot taken by `acquire()`.
    func release() {
        if waiters.isEmpty {
            inFlight -= 1
        } else {
            waiters.removeFirst().resume()
        }
    }

    /// Requests currently admitted (for tests).
    var admitted: Int { inFlight }
}
