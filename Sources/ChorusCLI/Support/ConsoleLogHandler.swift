import Logging
import LuaRuntime

/// Log lines on stderr: `info: message key=value`. Messages never go to stdout, which belongs to
/// the script's `print`.
struct ConsoleLogHandler: LogHandler {
    var logLevel: Logger.Level
    var metadata: Logger.Metadata = [:]

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        // One event, one line: control characters from anywhere (a script, a server's answer, a
        // file name) are escaped, so nothing can forge a line or recolour the terminal.
        var line = "\(Self.name(event.level)): \(LogText.escape(event.message.description))"
        let merged = metadata.merging(event.metadata ?? [:]) { _, new in new }
        for key in merged.keys.sorted() { line += " \(LogText.escape(key))=\(LogText.escape(merged[key]!.description))" }
        StandardOutput.writeError(line + "\n")
    }

    static func name(_ level: Logger.Level) -> String {
        switch level {
        case .trace: return "trace"
        case .debug: return "debug"
        case .info: return "info"
        case .notice: return "notice"
        case .warning: return "warning"
        case .error: return "error"
        case .critical: return "critical"
        }
    }

    /// The level for the verbosity flags: -v shows debug, -vv trace, -q warnings and errors only.
    static func level(verbose: Int, quiet: Bool) -> Logger.Level {
        if quiet { return .warning }
        switch verbose {
        case 0: return .info
        case 1: return .debug
        default: return .trace
        }
    }
}
