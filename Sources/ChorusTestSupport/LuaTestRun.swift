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
        let logs = CapturingLogHandler.Store()
        var runOptions = LuaRunOptions(namespace: "chorus", output: { capture.append(output: $0) }, rawOutput: nil)
        runOptions.logger = CapturingLogHandler.logger(logs, level: .debug)
        options(&runOptions)
        let result: Result<[LuaValue], LuaError>
        do {
            let runner = try ScriptRunner(options: runOptions, libraries: libraries)
            result = .success(try await runner.run(source: Array(source.utf8), chunkName: chunkName))
        } catch {
            result = .failure(error)
        }
        return LuaTestRun(output: capture.output, logs: logs.all, result: result)
    }
}

/// Collects a run's `print` output from any thread.
final class Capture: Sendable {
    private let text = Mutex("")
    func append(output: String) { text.withLock { $0 += output } }
    var output: String { text.withLock { $0 } }
}
