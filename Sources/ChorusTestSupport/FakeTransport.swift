import ChorusAPI
import Foundation
import JSONValue
import Logging

/// A transport that records every request and answers from a script, for tests that assert the exact
/// requests the client sends. Never touches the network.
public final class FakeTransport: HTTPTransport, @unchecked Sendable {
    /// Decides the answer to one request: a response, or a transport failure.
    public typealias Handler = @Sendable (HTTPRequest) async -> Result<HTTPResponse, TransportFailure>

    private let lock = NSLock()
    private var recorded: [HTTPRequest] = []
    private let handler: Handler

    public init(handler: @escaping Handler) {
        self.handler = handler
    }

    /// Answers token requests with a fresh token (`token-1`, `token-2`...) and API requests with `api`.
    public static func piste(
        expiresIn: Int = 3600, api: @escaping @Sendable (HTTPRequest) async -> Result<HTTPResponse, TransportFailure>
    ) -> FakeTransport {
        let counter = Counter()
        return FakeTransport { request in
            if request.url.path.hasSuffix("/oauth/token") {
                let n = counter.next()
                return .success(
                    .json(
                        200,
                        #"{"access_token":"token-\#(n)","token_type":"Bearer","expires_in":\#(expiresIn),"scope":"openid"}"#
                    ))
            }
            return await api(request)
        }
    }

    public func send(_ request: HTTPRequest, timeout: Double) async throws(TransportFailure) -> HTTPResponse {
        lock.withLock { recorded.append(request) }
        switch await handler(request) {
        case .success(let response): return response
        case .failure(let failure): throw failure
        }
    }

    /// Every request sent so far, in order.
    public var requests: [HTTPRequest] { lock.withLock { recorded } }
    /// Requests sent to the token endpoint.
    public var tokenRequests: [HTTPRequest] { requests.filter { $0.url.path.hasSuffix("/oauth/token") } }
    /// Requests sent to the API.
    public var apiRequests: [HTTPRequest] { requests.filter { $0.url.path.hasPrefix("/cpro/") } }
}

/// A thread-safe counter starting at 1.
public final class Counter: @unchecked Sendable {
    private let lock = NSLock()
    private var value = 0
    public init() {}
    /// The next number.
    public func next() -> Int {
        lock.withLock {
            value += 1
            return value
        }
    }
    /// The last number handed out.
    public var current: Int { lock.withLock { value } }
}

/// A virtual clock: `sleep` returns at once and moves time forward, recording each delay.
public final class ManualClock: ChorusClock, @unchecked Sendable {
    private let lock = NSLock()
    private var instant: Date
    private var slept: [Double] = []

    public init(start: Date = Date(timeIntervalSince1970: 1_800_000_000)) { instant = start }

    public func now() -> Date { lock.withLock { instant } }
    public func sleep(seconds: Double) async throws {
        try Task.checkCancellation()
        lock.withLock {
            slept.append(seconds)
            instant = instant.addingTimeInterval(seconds)
        }
    }
    /// Moves time forward without a sleep.
    public func advance(by seconds: Double) { lock.withLock { instant = instant.addingTimeInterval(seconds) } }
    /// Every delay slept, in order.
    public var sleeps: [Double] { lock.withLock { slept } }
}

/// Jitter that always returns the same number, for reproducible backoff.
public struct FixedJitter: JitterSource {
    public let value: Double
    public init(_ value: Double = 0.5) { self.value = value }
    public func next() -> Double { value }
}

/// A log handler that keeps every line (`level: message key=value`) in memory, for tests.
public final class CapturingLogHandler: LogHandler, @unchecked Sendable {
    /// Shared store so copies of the handler (loggers are values) write to one place.
    public final class Store: @unchecked Sendable {
        private let lock = NSLock()
        private var lines: [String] = []
        public init() {}
        func append(_ line: String) { lock.withLock { lines.append(line) } }
        /// Every captured line.
        public var all: [String] { lock.withLock { lines } }
        /// Everything captured as one text.
        public var text: String { all.joined(separator: "\n") }
    }

    public var metadata: Logger.Metadata = [:]
    public var logLevel: Logger.Level
    let store: Store

    public init(store: Store, level: Logger.Level = .trace) {
        self.store = store
        self.logLevel = level
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        let merged = metadata.merging(event.metadata ?? [:]) { $1 }
        var line = "\(event.level): \(event.message)"
        for key in merged.keys.sorted() { line += " \(key)=\(merged[key]!)" }
        store.append(line)
    }

    /// A logger writing into `store`.
    public static func logger(_ store: Store, level: Logger.Level = .trace) -> Logger {
        var logger = Logger(label: "test") { _ in CapturingLogHandler(store: store, level: level) }
        logger.logLevel = level
        return logger
    }
}
