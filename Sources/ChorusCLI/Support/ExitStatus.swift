import ArgumentParser
import ChorusAPI
import ChorusLua
import LuaRuntime

/// Exit codes shared by every command (docs/errors.md).
enum ExitStatus {
    static let success: Int32 = 0
    static let scriptError: Int32 = 1
    static let usage: Int32 = 2
    /// Interrupted by Ctrl-C or SIGTERM (128 + SIGINT, the shell convention).
    static let interrupted: Int32 = 130

    /// The exit code for a run that ended with `error`.
    static func code(for error: LuaError) -> Int32 {
        switch error {
        case .script: return usage
        case .cancelled: return interrupted
        case .exit(let code, _): return code
        case .runtime(_, _, let value):
            // An uncaught chorus.Error exits with the code of its class (docs/errors.md).
            if let code = value?["code"]?.stringValue, let exit = ChorusError.Code.exitCode(forLuaCode: code) { return exit }
            return scriptError
        case .host(let error as ChorusError, _): return error.exitCode
        case .syntax, .host, .memory, .timeout: return scriptError
        }
    }
}
