import ArgumentParser
import ChorusAPI
import Foundation

@main
struct Chorus: AsyncParsableCommand {
    /// Parses and runs the command; usage errors exit with 2 (docs/errors.md) instead of
    /// ArgumentParser's 64.
    static func main() async {
        MemoryTuning.returnLargeBuffersToTheSystem()
        SignalMask.unblockTerminationSignals()
        // `chorus [OPTIONS] PLUGIN:COMMAND ...` runs a plugin's command (as git runs external commands).
        let words = Array(CommandLine.arguments.dropFirst())
        if let index = PluginRun.commandIndex(words) { Foundation.exit(await PluginRun.main(words, at: index)) }
        do {
            // `chorus run` without ArgumentParser's costly root parse when the line is plain (Run+FastPath).
            if let run = Run.fastPath(words) { return try await run.run() }
            var command = try parseAsRoot()
            if var asyncCommand = command as? AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch {
            if exitCode(for: error) == .validationFailure {
                StandardError.write(fullMessage(for: error) + "\n")
                Foundation.exit(ExitStatus.usage)
            }
            exit(withError: error)
        }
    }

    static let configuration = CommandConfiguration(
        commandName: "chorus",
        abstract: "Lua scripting for Chorus Pro (French public e-invoicing) through the PISTE gateway.",
        discussion: """
            Run Lua scripts, and call any Chorus Pro operation, with PISTE authentication handled for you. Configuration: docs/configuration.md; errors and exit codes: docs/errors.md.

            Examples:
              chorus run examples/hello.lua
              chorus run --timeout 60 script.lua arg1 arg2
              chorus repl
              chorus doctor --env sim
              chorus config init
              chorus token --env sandbox
              chorus sim --port 8080
              chorus call --env sandbox rechercherStructure @search.json
              chorus plugins list
              chorus --env sim invoice-sync:status
              chorus --generate-completion-script bash > /etc/bash_completion.d/chorus
            """,
        version: ChorusVersion.current,
        subcommands: [Run.self, Repl.self, DoctorCommand.self, Sim.self, Token.self, Call.self, Check.self, Explain.self, Deposit.self, LedgerCommand.self, Watch.self, Config.self, Stubs.self, Plugins.self, Schedule.self]
    )
}

/// The version printed by `chorus --version`.
enum ChorusVersion {
    static let current = "0.1.0"
}
