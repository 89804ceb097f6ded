import ArgumentParser
import ChorusAPI
import ChorusLua
import Foundation
import HostCore
import LuaRuntime

/// `chorus [OPTIONS] PLUGIN:COMMAND [ARGS...]`: runs a plugin's command, as git runs its external
/// commands. The options before the command word are chorus's; everything after belongs to the
/// command, whose `args` declaration gives it `--help` and argument checking.
enum PluginRun {
    /// chorus's options that take a value, so their value is not taken for the command word.
    static let valueOptions: Set<String> = ["--profile", "--env", "--config", "--plugin-dir", "--timeout", "--allow-path"]

    /// The index of the `PLUGIN:COMMAND` word in `arguments` (without the program name), when the
    /// first word that is neither an option nor an option's value is one.
    static func commandIndex(_ arguments: [String]) -> Int? {
        var index = 0
        while index < arguments.count {
            let word = arguments[index]
            if word.hasPrefix("-") {
                index += valueOptions.contains(word) ? 2 : 1
                continue
            }
            return isCommandWord(word) ? index : nil
        }
        return nil
    }

    static func isCommandWord(_ word: String) -> Bool {
        let parts = word.split(separator: ":", omittingEmptySubsequences: false)
        return parts.count == 2 && PluginManifest.isValidName(String(parts[0])) && PluginManifest.isValidName(String(parts[1]))
    }

    /// chorus's own options in front of a plugin command.
    struct Options: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "chorus")

        @OptionGroup var plugins: PluginOptions

        @Option(name: .long, help: ArgumentHelp("Stop the run after this many seconds.", valueName: "SECONDS"))
        var timeout: Double = 600

        @Option(name: .long, help: ArgumentHelp("Also let the plugin's chorus.fs use this folder (repeatable).", valueName: "PATH"))
        var allowPath: [String] = []

        @OptionGroup var global: GlobalOptions
    }

    /// The chunks chorus ships, left out of tracebacks (as `chorus run` does).
    static var shippedChunks: Set<String> {
        let context = ChorusLuaContext(
            clients: ClientProvider { () async throws(ChorusError) -> ChorusClient in throw ChorusError(code: .config, message: "") },
            files: FilePolicy(roots: []))
        return Traceback.shippedChunks(namespace: ChorusModule.namespace, libraries: ChorusModule.libraries(context))
            .union(["chorus/plugin.lua", "chorus/store.lua", "(plugin host)"])
    }

    /// Runs the command and returns the process's exit code.
    static func main(_ arguments: [String], at index: Int) async -> Int32 {
        let options: Options
        do {
            options = try Options.parse(Array(arguments[..<index]))
        } catch {
            StandardError.write(Options.fullMessage(for: error) + "\n")
            return ExitStatus.usage
        }
        guard options.timeout > 0, options.timeout <= LuaRunOptions.maximumSeconds else {
            StandardError.write("chorus: --timeout must be a number of seconds greater than 0\n")
            return ExitStatus.usage
        }
        let parts = arguments[index].split(separator: ":").map(String.init)
        let (plugin, name) = (parts[0], parts[1])
        let host = options.global.pluginHost(
            pluginDirs: options.plugins.pluginDirs, allowPaths: options.allowPath, timeout: options.timeout)
        let declared: PluginDeclarations
        switch await host.declarations(of: plugin) {
        case .success(let found): declared = found
        case .failure(let failure):
            StandardError.write("chorus: \(failure)\n")
            return ExitStatus.usage
        }
        guard let command = declared.commands.first(where: { $0.name == name }) else {
            let names = declared.commands.map(\.name)
            StandardError.write(
                "chorus: plugin '\(plugin)' has no command '\(name)'"
                    + (names.isEmpty ? " (it declares none)" : " (its commands: \(names.joined(separator: ", ")))") + "\n")
            return ExitStatus.usage
        }
        let parsed: LuaValue
        do throws(PluginUsageError) {
            guard let value = try command.parse(Array(arguments[(index + 1)...]), plugin: plugin) else {
                StandardOutput.write(command.help(plugin: plugin))
                return ExitStatus.success
            }
            parsed = value
        } catch {
            StandardError.write("chorus: \(error)\n")
            return ExitStatus.usage
        }
        // Ctrl-C and SIGTERM cancel the run; a second one exits at once.
        let work = Task { await host.runCommand(plugin: plugin, command: name, arguments: parsed, output: { StandardOutput.write($0) }) }
        let signals = TerminationSignals {
            StandardOutput.writeError("\nchorus: interrupted, stopping the run (press Ctrl-C again to exit at once)\n")
            work.cancel()
        }
        defer { signals.stop() }
        switch await work.value {
        case .success:
            return ExitStatus.success
        case .failure(let error):
            if case .exit(_, let message) = error {
                if let message { StandardOutput.writeError(message + "\n") }
                return ExitStatus.code(for: error)
            }
            ScriptExecution.report(
                error, style: .init(json: options.global.json, fullTraceback: options.global.verbose > 0), shipped: shippedChunks)
            return ExitStatus.code(for: error)
        }
    }
}
