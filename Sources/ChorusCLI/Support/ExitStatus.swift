import ArgumentParser
import LuaRuntime

/// Exit codes shared by every command (DESIGN.md §2).
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
        case .syntax, .runtime, .host, .memory, .timeout: return scriptError
        }
    }
}
