import ArgumentParser
import ChorusAPI
import ChorusLedger
import ChorusLua
import Dispatch
import Foundation
import JSONValue
import Logging
import LuaRuntime

/// `chorus run SCRIPT [ARGS...]`: runs a Lua script with the `chorus` module.
struct Run: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run a Lua script.",
        discussion: """
            The script gets its arguments in `arg` (arg[0] is the script) and as `...`, as with the standalone `lua`. `print` writes to stdout; `chorus.log.*` writes to stderr. Options go before SCRIPT; everything after it is passed to the script.

            Exit codes: 0 success, 1 script error (including --timeout and --memory-limit), 2 usage error (missing script, bad option), 130 interrupted (Ctrl-C); an uncaught chorus.Error exits with the code of its class (3 network ... 8 business, see docs/errors.md); chorus.exit(code, message) ends the run with the script's own code.

            An uncaught error prints its message and the traceback of the script's own frames (-v: every frame, chorus's Lua included); with --json, one JSON object on stderr ({"error": {code, message, exit_code, traceback...}}).

            Examples:
              chorus run examples/hello.lua
              chorus run --timeout 30 report.lua 2024-01-01 --csv
              chorus run --memory-limit 512 --strict batch.lua
              chorus run --env sandbox --profile qualif examples/onboarding-check.lua
            """
    )

    @Option(name: .long, help: ArgumentHelp("Stop the run after this many seconds.", valueName: "SECONDS"))
    var timeout: Double?

    @Option(name: .long, help: ArgumentHelp("Memory cap for the script, in MB (0 for none).", valueName: "MB"))
    var memoryLimit: Int = Run.defaultMemoryLimitMB

    @Flag(name: .long, help: "Strict globals: reading an undefined global, or creating one inside a function, is an error.")
    var strict = false

    @Option(name: .long, help: ArgumentHelp("Most I/O operations in flight at once.", valueName: "N"))
    var maxInflight: Int = Run.defaultMaxInflight

    @Option(name: .long, help: ArgumentHelp("Also let chorus.fs read and write this folder (repeatable; `--allow-path .` for the working directory, which is otherwise read only).", valueName: "PATH"))
    var allowPath: [String] = []

    @OptionGroup var global: GlobalOptions

    @Argument(help: ArgumentHelp("The Lua script to run.", valueName: "SCRIPT"))
    var script: String

    @Argument(parsing: .captureForPassthrough, help: ArgumentHelp("Arguments for the script.", valueName: "ARGS"))
    var arguments: [String] = []

    static let defaultMemoryLimitMB = LuaRunOptions.defaultMemoryLimit >> 20
    static let defaultMaxInflight = 8

    /// 1 TB: larger values would overflow the byte count.
    static let maximumMemoryMB = 1 << 20

    func validate() throws {
        if let timeout, !(timeout > 0 && timeout <= LuaRunOptions.maximumSeconds) {
            throw ValidationError("--timeout must be a number of seconds greater than 0 and at most \(Int(LuaRunOptions.maximumSeconds)) (about 31 years), got \(timeout)")
        }
        if memoryLimit < 0 || memoryLimit > Run.maximumMemoryMB {
            throw ValidationError("--memory-limit must be 0 (no cap) or a number of MB up to \(Run.maximumMemoryMB), got \(memoryLimit)")
        }
        if maxInflight < 1 { throw ValidationError("--max-inflight must be at least 1") }
    }

    func run() async throws {
        let level = ConsoleLogHandler.level(verbose: global.verbose, quiet: global.quiet)
        var logger = Logger(label: "chorus") { _ in ConsoleLogHandler(logLevel: level) }
        logger.logLevel = level
        let options = LuaRunOptions(
            namespace: ChorusModule.namespace,
            memoryLimit: memoryLimit == 0 ? nil : memoryLimit << 20,
            timeout: timeout,
            strictGlobals: strict,
            maxInFlight: maxInflight,
            moduleRoot: URL(fileURLWithPath: script).deletingLastPathComponent().relativePath,
            logger: logger
        )
        let scriptFolder = URL(fileURLWithPath: script).deletingLastPathComponent().path
        let context = global.luaContext(roots: [scriptFolder] + allowPath)
        let status = await ScriptExecution.run(
            script: script, arguments: arguments, options: options, libraries: ChorusModule.libraries(context),
            report: .init(json: global.json, fullTraceback: global.verbose > 0))
        if status != ExitStatus.success { throw ExitCode(status) }
    }
}

/// Runs a script file and reports its failure on stderr; shared by commands that run scripts.
enum ScriptExecution {
    /// How an uncaught error is shown.
    struct Report {
        /// One JSON object on stderr (`--json`), the fields of `chorus call --json`'s.
        var json = false
        /// Every frame of the traceback (`-v`), the Lua chorus ships included.
        var fullTraceback = false
    }

    static func run(
        script: String, arguments: [String], options: LuaRunOptions, libraries: [LuaLibrary] = [],
        report style: Report = Report()
    ) async -> Int32 {
        let shipped = Traceback.shippedChunks(namespace: options.namespace, libraries: libraries)
        let report = { (error: LuaError) in Self.report(error, style: style, shipped: shipped) }
        let runner: ScriptRunner
        do {
            runner = try ScriptRunner(options: options, libraries: libraries)
        } catch {
            report(error)
            return ExitStatus.code(for: error)
        }
        // The run ends by its deadline whatever the script does: past it (plus a grace for the
        // polite path), the watchdog ends the process with the same message and exit code.
        let watchdog = Watchdog()
        if let timeout = options.timeout {
            let message = "chorus: \(LuaError.timeout(seconds: timeout, traceback: ""))\n"
            watchdog.arm(after: timeout + Watchdog.grace, message: message, exitCode: ExitStatus.code(for: .timeout(seconds: timeout, traceback: "")))
        }
        if let limit = options.memoryLimit, limit > 0 {
            let message = "chorus: \(LuaError.memory(limitBytes: limit, traceback: ""))\n"
            watchdog.limitMemory(to: Watchdog.memoryCeiling(forLimit: limit), message: message, exitCode: ExitStatus.scriptError)
        }
        // Ctrl-C and SIGTERM cancel the run cleanly; a second one exits at once, and so does the
        // watchdog if the run has not stopped within its grace (code the hook cannot reach).
        let canceller = runner.canceller
        let signals = TerminationSignals {
            StandardOutput.writeError("\nchorus: interrupted, stopping the run (press Ctrl-C again to exit at once)\n")
            watchdog.arm(after: Watchdog.grace, message: "chorus: \(LuaError.cancelled)\n", exitCode: ExitStatus.interrupted)
            canceller.cancel()
        }
        defer { signals.stop() }
        do {
            _ = try await runner.runFile(script, arguments: arguments, command: ["chorus", "run"])
            return ExitStatus.success
        } catch {
            let status = ExitStatus.code(for: error)
            // chorus.exit: the script chose its code and its words; nothing else is printed.
            if case .exit(_, let message) = error {
                if let message { StandardOutput.writeError(message + "\n") }
                return status
            }
            report(error)
            // The error is reported; closing the state (which runs the script's __gc) must not
            // hold the process past a short grace, nor print the message twice.
            if case .timeout = error { watchdog.rearm(after: Watchdog.grace, message: "", exitCode: status) }
            if case .cancelled = error { watchdog.rearm(after: Watchdog.grace, message: "", exitCode: status) }
            return status
        }
    }

    static func report(_ error: LuaError, style: Report, shipped: Set<String>) {
        var traceback = error.traceback
        if !style.fullTraceback, let full = traceback { traceback = Traceback.userFrames(full, shipped: shipped) }
        if style.json {
            StandardOutput.writeError(errorJSON(error, traceback: traceback) + "\n")
            return
        }
        var text = "chorus: \(error)\n"
        if case .runtime(_, _, let value) = error, let remediation = value?["remediation"]?.stringValue {
            text += "  fix: \(remediation)\n"
        }
        if let traceback { text += traceback + "\n" }
        StandardOutput.writeError(text)
    }

    /// `{"error": {...}}`: a chorus.Error with its fields (as `chorus call --json`), any other error
    /// with `code` SCRIPT; both with `exit_code`, and `where` and `traceback` when known.
    static func errorJSON(_ error: LuaError, traceback: String?) -> String {
        var members: [String: JSONValue] = [:]
        if case .runtime(_, _, let value) = error, case .object(let fields)? = value, fields["code"]?.stringValue != nil {
            for (key, field) in fields {
                if let json = try? field.toJSON(namespace: ChorusModule.namespace) { members[key] = json }
            }
        } else if case .host(let chorus as ChorusError, _) = error {
            members = chorus.luaFields.compactMapValues { try? $0.toJSON(namespace: ChorusModule.namespace) }
        } else {
            // A misuse (a string in Lua's "bad argument" wording) is told apart, as chorus.errors.is does.
            let misuse = error.description.range(of: #"bad argument #\d+ to '"#, options: .regularExpression) != nil
            members["code"] = .string(misuse ? "MISUSE" : "SCRIPT")
            members["message"] = .string(error.description)
        }
        members["exit_code"] = .integer(Int64(ExitStatus.code(for: error)))
        if let traceback { members["traceback"] = .string(traceback) }
        return JSONValue.object(["error": .object(members)]).serialized()
    }
}
