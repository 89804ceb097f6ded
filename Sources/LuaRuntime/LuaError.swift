/// Why a script could not run to completion.
public enum LuaError: Error, Sendable, CustomStringConvertible {
    /// The script file is missing, unreadable or not a regular file (a usage error).
    case script(path: String, reason: String)
    /// The source does not compile; `message` is Lua's, with chunk name and line.
    case syntax(chunk: String, line: Int?, message: String)
    /// An error raised by the script and not caught.
    /// - `message`: `tostring` of the error value; `traceback`: where it was raised;
    /// - `value`: the error value when it can be copied (a string or a table such as `<namespace>.Error`).
    case runtime(message: String, traceback: String, value: LuaValue?)
    /// A Swift error raised by a host function and not caught by the script.
    case host(any Error, traceback: String)
    /// The memory cap (`--memory-limit`) was reached.
    case memory(limitBytes: Int, traceback: String)
    /// The deadline (`--timeout`) passed.
    case timeout(seconds: Double, traceback: String)
    /// The run was cancelled (Ctrl-C, SIGTERM, or by the host).
    case cancelled
    /// The script ended the run with `<namespace>.exit(code, message)`; not an error when `code` is 0.
    case exit(code: Int32, message: String?)

    public var description: String {
        switch self {
        case .script(let path, let reason): return "cannot run \(path): \(reason)"
        case .syntax(_, _, let message): return "syntax error: \(message)"
        case .runtime(let message, _, _): return message
        case .host(let error, _): return String(describing: error)
        case .memory(let limit, _): return "memory limit of \(LuaError.formatBytes(limit)) exceeded (raise it with --memory-limit MB)"
        case .timeout(let seconds, _): return "time limit of \(LuaError.formatSeconds(seconds)) exceeded (raise it with --timeout SECONDS)"
        case .cancelled: return "run cancelled"
        case .exit(let code, let message): return message ?? "the script exited with code \(code)"
        }
    }

    /// The Lua traceback, when the error was raised by running code.
    public var traceback: String? {
        switch self {
        case .runtime(_, let t, _), .host(_, let t), .memory(_, let t), .timeout(_, let t): return t.isEmpty ? nil : t
        default: return nil
        }
    }

    static func formatBytes(_ bytes: Int) -> String {
        bytes % (1 << 20) == 0 ? "\(bytes >> 20) MB" : "\(bytes) bytes"
    }

    static func formatSeconds(_ s: Double) -> String {
        s == s.rounded() ? "\(Int(s)) s" : "\(s) s"
    }
}

/// Thrown by a host function to raise a Lua error with the caller's position ("script.lua:3: message").
public struct LuaScriptError: Error, Sendable, CustomStringConvertible {
    public let message: String
    /// Prefix the message with the calling line, as `error(msg)` does (true by default).
    public let addsPosition: Bool
    public init(_ message: String, addsPosition: Bool = true) {
        self.message = message
        self.addsPosition = addsPosition
    }
    public var description: String { message }
}

/// Thrown by a host function for a bad argument; raised with Lua's stock format:
/// `bad argument #1 to 'encode' (table expected, got nil)`.
public struct LuaArgumentError: Error, Sendable, CustomStringConvertible {
    /// 1-based argument position.
    public let position: Int32
    public let message: String
    public init(_ position: Int32, _ message: String) {
        self.position = position
        self.message = message
    }
    public var description: String { "bad argument #\(position) (\(message))" }
}
