import Foundation
import Logging
import LuaRuntime
import Synchronization

/// What a script run in a test produced: its `print` output, its log lines, and its outcome.
public struct LuaTestRun: Sendable {
    public let output: String
    public let logs: [String]
    public let result: Result<[LuaValue], LuaError>

    /// The error the run ended with, or nil when it succeeded.
    public var error: LuaError? {
        if case .failure(let e) = result { return e }
        return nil
    }

    /// The run's error message (LuaError.description), or "" on success.
    public var errorMessage: String { error.map { String(describing: $0) } ?? "" }

    /// Runs `source` in a fresh VM with captured output and logs.
    public static func run(
        _ source: String,
        chunkName: String = "test.lua",
        options: (inout LuaRunOptions) -> Void = { _ in },
        libraries: [LuaLibrary] = []
    ) async -> LuaTestRun {
        let capture = Capture()
        var runOptions = LuaRunOptions(output: { capture.append(output: $0) })
        runOptions.logger = Logger(label: "test") { _ in LuaRunLogHandler(capture: capture) }
        runOptions.logger.logLevel = .debug
        options(&runOptions)
        let result: Result<[LuaValue], LuaError>
        do {
            let runner = try ScriptRunner(options: runOptions, libraries: libraries)
            result = .success(try await runner.run(source: Array(source.utf8), chunkName: chunkName))
        } catch {
            result = .failure(error)
        }
        return LuaTestRun(output: capture.output, logs: capture.logs, result: result)
    }
}

/// Collects output and log lines from any thread.
public final class Capture: Sendable {
    private let state = Mutex<(output: String, logs: [String])>(("", []))
    public init() {}
    public func append(output: String) { state.withLock { $0.output += output } }
    public func append(log: String) { state.withLock { $0.logs.append(log) } }
    public var output: String { state.withLock { $0.output } }
    public var logs: [String] { state.withLock { $0.logs } }
}

/// A log handler that records `level: message key=value` lines.
public struct LuaRunLogHandler: LogHandler {
    let capture: Capture
    public var logLevel: Logger.Level = .trace
    public var metadata: Logger.Metadata = [:]

    public init(capture: Capture) { self.capture = capture }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        var line = "\(event.level): \(event.message)"
        let merged = metadata.merging(event.metadata ?? [:]) { _, new in new }
        for key in merged.keys.sorted() { line += " \(key)=\(merged[key]!)" }
        capture.append(log: line)
    }
}
