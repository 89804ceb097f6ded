import ArgumentParser
import ChorusAPI
import ChorusLua
import Foundation
import Logging
import LuaRuntime

/// `chorus repl`: an interactive Lua session with the `chorus` module (docs/repl.md).
struct Repl: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Explore Chorus Pro interactively in Lua.",
        discussion: """
            One Lua state for the whole session, with the sandbox, the chorus module and the limits of `chorus run`; --timeout and --memory-limit apply to each entered chunk. An expression prints its values (the first is kept in `_`); a chunk that is not finished continues on a `>>` line. Each chunk runs as a coroutine, so chorus.invoices.get(42) and chorus.all{...} just work.

            Keys: Tab completes globals, fields after . and :, operation ids in chorus.call(" and catalog values inside strings; Ctrl-C stops the running chunk (and its requests) or drops the line being edited; Ctrl-D exits. History: $XDG_STATE_HOME/chorus/repl_history.

            Meta commands: .help, .env, .doc NAME, .ops [FILTER], .save FILE, .exit.

            In prod the prompt says so in red and every write operation asks for confirmation; when stdin is not a terminal, writes are refused unless --yes. With stdin not a terminal (chorus repl < session.lua), lines are read plainly, with no prompt and no colour; the exit code is that of the last failed chunk (0 if none failed).

            Examples:
              chorus repl
              chorus repl --env sandbox --profile qualif
              chorus repl -e 'chorus.structures.find("12345678200028")'
              chorus repl < session.lua
              chorus repl --env prod --yes < fix-statuses.lua
            """
    )

    @Option(name: .long, help: ArgumentHelp("Stop each entered chunk after this many seconds.", valueName: "SECONDS"))
    var timeout: Double?

    @Option(name: .long, help: ArgumentHelp("Memory cap for the session's Lua, in MB (0 for none).", valueName: "MB"))
    var memoryLimit: Int = LuaRunOptions.defaultMemoryLimit >> 20

    @Flag(name: .long, help: "Strict globals: reading an undefined global is an error.")
    var strict = false

    @Option(name: .long, help: ArgumentHelp("Most I/O operations in flight at once.", valueName: "N"))
    var maxInflight: Int = 8

    @Option(
        name: .long,
        help: ArgumentHelp(
            "Also let chorus.fs read and write this folder (repeatable; the working directory is otherwise read only).",
            valueName: "PATH"))
    var allowPath: [String] = []

    @Option(
        name: .customShort("e"),
        help: ArgumentHelp("Run this chunk and print its values, then exit (repeatable).", valueName: "CODE"))
    var execute: [String] = []

    @Flag(
        name: .long, help: "Confirm every write in prod without asking (needed to write when stdin is not a terminal).")
    var yes = false

    @Flag(name: .long, help: "Do not read or write the history file.")
    var noHistory = false

    @OptionGroup var global: GlobalOptions

    func validate() throws {
        if let timeout, !(timeout > 0 && timeout <= LuaRunOptions.maximumSeconds) {
            throw ValidationError(
                "--timeout must be a number of seconds greater than 0 and at most \(Int(LuaRunOptions.maximumSeconds)) (about 31 years), got \(timeout)"
            )
        }
        if memoryLimit < 0 || memoryLimit > Run.maximumMemoryMB {
            throw ValidationError(
                "--memory-limit must be 0 (no cap) or a number of MB up to \(Run.maximumMemoryMB), got \(memoryLimit)")
        }
        if maxInflight < 1 { throw ValidationError("--max-inflight must be at least 1") }
    }

    func run() async throws {
        let settings: ResolvedSettings
        let configuration: ClientConfiguration
        do {
            settings = try global.resolveSettings()
            configuration = try await settings.clientConfiguration(simulator: ProcessSimulator.launcher)
        } catch {
            printError("chorus: " + error.report.replacingOccurrences(of: "\n", with: "\n       "))
            throw ExitCode(error.exitCode)
        }
        let interactive = isatty(STDIN_FILENO) != 0
        let confirmation = WriteConfirmation(interactive: interactive, assumeYes: yes)
        let level = ConsoleLogHandler.level(verbose: global.verbose, quiet: global.quiet)
        var logger = Logger(label: "chorus") { _ in ConsoleLogHandler(logLevel: level) }
        logger.logLevel = level
        let options = LuaRunOptions(
            namespace: ChorusModule.namespace, memoryLimit: memoryLimit == 0 ? nil : memoryLimit << 20,
            timeout: timeout, strictGlobals: strict, maxInFlight: maxInflight, moduleRoot: ".", logger: logger)
        // The banner already names the environment: the client does not announce it again mid-session.
        var quietClient = global
        if global.verbose == 0 { quietClient.quiet = true }
        let context = quietClient.luaContext(roots: allowPath, confirmWrite: { await confirmation.ask($0) })
        let session: ReplSession
        do {
            session = try ReplSession(
                options: options, libraries: ChorusModule.libraries(context), environment: configuration.environment,
                allowWrites: settings.allowWrites, verbose: global.verbose > 0,
                history: noHistory ? nil : historyFile(settings))
        } catch {
            printError("chorus: \(error)")
            throw ExitCode(ExitStatus.scriptError)
        }
        if let limit = options.memoryLimit, limit > 0 {
            Watchdog().limitMemory(
                to: Watchdog.memoryCeiling(forLimit: limit),
                message: "chorus: \(LuaError.memory(limitBytes: limit, traceback: ""))\n",
                exitCode: ExitStatus.scriptError)
        }
        let status = execute.isEmpty ? await session.run() : await session.run(chunks: execute)
        if status != ExitStatus.success { throw ExitCode(status) }
    }

    /// `$XDG_STATE_HOME/chorus/repl_history` (default `~/.local/state`).
    private func historyFile(_ settings: ResolvedSettings) -> URL {
        let environment = global.processEnvironment
        let state =
            environment["XDG_STATE_HOME"].flatMap { $0.hasPrefix("/") ? $0 : nil }
            ?? (environment["HOME"] ?? NSHomeDirectory()) + "/.local/state"
        return URL(fileURLWithPath: state).appendingPathComponent("chorus/repl_history")
    }
}
