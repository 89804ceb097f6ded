import Foundation

/// When and how long to wait before repeating a read.
///
/// Writes (deposits, submissions, status changes) are never repeated: a timeout after the server
/// received a deposit would otherwise create a second flux.
public struct RetryPolicy: Sendable, Equatable {
    /// Total attempts for a read, the first included (1 disables retries).
    public var maxAttempts: Int
    /// Delay before the first retry, in seconds; doubled for each further retry.
    public var baseDelay: Double
    /// Upper bound of one delay (also of a server's Retry-After), in seconds.
    public var maxDelay: Double

    /// Creates a value from its fields.
    public init(maxAttempts: Int = 3, baseDelay: Double = 0.5, maxDelay: Double = 30) {
        self.maxAttempts = maxAttempts
        self.baseDelay = baseDelay
        self.maxDelay = maxDelay
    }

    /// Attempts and delay for a failure of `kind`: a refused connection (nothing listens) gets at most
    /// one quick retry, since waiting longer rarely helps and a user is waiting for the answer.
    public func limits(for kind: TransportFailure.Kind?) -> (maxAttempts: Int, delayCap: Double) {
        guard kind == .connectionRefused else { return (maxAttempts, maxDelay) }
        return (min(maxAttempts, 2), min(maxDelay, 0.2))
    }

    /// No retry at all.
    public static let none = RetryPolicy(maxAttempts: 1)

    /// The delay before retry number `retry` (1-based): exponential with full jitter in its upper half,
    /// so concurrent clients do not retry in lockstep.
    public func backoff(retry: Int, jitter: Double) -> Double {
        let exponential = min(maxDelay, baseDelay * pow(2, Double(retry - 1)))
        return exponential / 2 + exponential / 2 * jitter
    }

    /// The delay a `Retry-After` header asks for (seconds or an HTTP date), capped by `maxDelay`.
    public func retryAfter(_ header: String?, now: Date) -> Double? {
        guard let header = header?.trimmingCharacters(in: .whitespaces), !header.isEmpty else { return nil }
        if let seconds = Double(header) { return min(maxDelay, max(0, seconds)) }
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss zzz"
        guard let date = formatter.date(from: header) else { return nil }
        return min(maxDelay, max(0, date.timeIntervalSince(now)))
    }
}
