import ArgumentParser
import ChorusAPI
import Foundation
import Logging

/// The global options (docs/configuration.md), included by every command as an `@OptionGroup`.
struct GlobalOptions: ParsableArguments {
    @Option(
        name: .long,
        help: ArgumentHelp(
            "Profile of the configuration file (default: CHORUS_PROFILE, then default_profile).",
            valueName: "name"))
    var profile: String?

    @Option(
        name: .long,
        help: ArgumentHelp(
            "Environment: sim, sandbox, prod or custom (default: CHORUS_ENV, then the profile).",
            valueName: "env"))
    var env: String?

    @Option(
        name: .long,
        help: ArgumentHelp(
            "Configuration file (default: CHORUS_CONFIG, then $XDG_CONFIG_HOME/chorus/config.toml).",
            valueName: "path"))
    var config: String?

    @Flag(name: .long, help: "Machine-readable JSON output.")
    var json = false

    @Flag(name: .shortAndLong, help: "More logs on stderr: -v one line per request, -vv debug, -vvv redacted bodies.")
    var verbose: Int

    @Flag(name: .shortAndLong, help: "Only errors on stderr.")
    var quiet = false

    /// The process environment; every path and setting derives from it (tests pass their own).
    var processEnvironment: [String: String] { ProcessInfo.processInfo.environment }

    /// Log level chosen by -v / -q.
    var logLevel: Logger.Level {
        if quiet { return .error }
        switch verbose {
        case 0: return .warning
        case 1: return .info
        case 2: return .debug
        default: return .trace
        }
    }

    /// A logger to stderr at the chosen level (no global bootstrap, so commands stay independent).
    func logger(_ label: String = "chorus") -> Logger {
        var logger = Logger(label: label) { StreamLogHandler.standardError(label: $0) }
        logger.logLevel = logLevel
        return logger
    }
}
