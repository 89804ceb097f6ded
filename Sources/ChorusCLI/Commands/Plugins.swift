import ArgumentParser
import ChorusAPI
import Foundation
import HostCore
import JSONValue
import LuaRuntime

/// `chorus plugins list|info|new`: the plugins on the search path, one plugin's declarations, a new plugin.
struct Plugins: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plugins",
        abstract: "List, inspect and create plugins (folders of Lua with a plugin.toml).",
        discussion: """
            Plugins are looked for in the --plugin-dir folders, then CHORUS_PLUGIN_PATH (folders separated by ':'), ./plugins, $XDG_DATA_HOME/chorus/plugins and /usr/share/chorus/plugins; the first plugin of a name wins and the others are listed as shadowed. A plugin whose manifest is broken, whose API range excludes this chorus (plugin API \(HostAPI.levelText)), whose requirements are not met or whose load fails is listed as disabled with the reason. Run a plugin's command with chorus PLUGIN:COMMAND [ARGS...]. See docs/plugins.md.

            Examples:
              chorus plugins list
              chorus plugins info invoice-sync
              chorus plugins new my-plugin
              chorus --plugin-dir examples/plugins invoice-sync:status
            """,
        subcommands: [List.self, Info.self, New.self])

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List the plugins on the search path: enabled, disabled (with the reason) and shadowed.")

        @OptionGroup var plugins: PluginOptions
        @OptionGroup var global: GlobalOptions

        func run() async throws {
            let host = global.pluginHost(pluginDirs: plugins.pluginDirs)
            let catalog = await host.catalog()
            var rows: [JSONValue] = []
            var text = "Search path:\n"
            for folder in catalog.searchPath.folders { text += "  \(folder.path) (\(folder.source))\n" }
            text += catalog.records.isEmpty ? "\nNo plugins found.\n" : "\n"
            for record in catalog.records {
                var declared: PluginDeclarations?
                if record.isEnabled, case .success(let found) = await host.declarations(of: record.name) { declared = found }
                let (state, reason) = Plugins.describe(record.state)
                rows.append(Plugins.json(record, declared: declared))
                let version = record.manifest?.version.description ?? "-"
                text += "\(record.name) \(version)  \(state)" + (reason.map { ": \($0)" } ?? "") + "\n"
                if let description = record.manifest?.description, record.isEnabled { text += "  \(description)\n" }
                if let declared {
                    if !declared.commands.isEmpty {
                        text += "  commands: " + declared.commands.map { "\(record.name):\($0.name)" }.joined(separator: ", ") + "\n"
                    }
                    if !declared.workflows.isEmpty {
                        text += "  workflows: " + declared.workflows.map { "\($0.name) (\(Plugins.timing($0)))" }.joined(separator: ", ") + "\n"
                    }
                    if !declared.hooks.isEmpty { text += "  hooks: " + declared.hooks.joined(separator: ", ") + "\n" }
                }
            }
            if global.json {
                StandardOutput.write(JSONValue.array(rows).serialized() + "\n")
            } else {
                StandardOutput.write(text)
            }
        }
    }

    struct Info: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Show one plugin: its manifest, folder, state, commands (with their arguments), workflows and hooks.")

        @OptionGroup var plugins: PluginOptions
        @OptionGroup var global: GlobalOptions

        @Argument(help: ArgumentHelp("The plugin's name.", valueName: "NAME"))
        var name: String

        func run() async throws {
            let host = global.pluginHost(pluginDirs: plugins.pluginDirs)
            let catalog = await host.catalog()
            guard let record = catalog.record(named: name) else {
                StandardError.write("chorus: no plugin named '\(name)' on the search path (chorus plugins list shows them)\n")
                throw ExitCode(ExitStatus.usage)
            }
            var declared: PluginDeclarations?
            if record.isEnabled, case .success(let found) = await host.declarations(of: name) { declared = found }
            if global.json {
                StandardOutput.write(Plugins.json(record, declared: declared).serialized() + "\n")
                return
            }
            let (state, reason) = Plugins.describe(record.state)
            var text = "\(record.name) \(record.manifest?.version.description ?? "-")\n"
            if let manifest = record.manifest {
                text += "  \(manifest.description)\n"
                text += "  api: \(manifest.api) (this chorus: \(HostAPI.levelText))\n"
                text += "  entry: \(manifest.entry)\n"
                text += "  permissions: " + (manifest.permissions.isEmpty ? "none" : manifest.permissions.sorted().map(\.rawValue).joined(separator: ", ")) + "\n"
                if !manifest.requires.isEmpty {
                    text += "  requires: " + manifest.requires.map { "\($0.name) \($0.range)" }.joined(separator: ", ") + "\n"
                }
            }
            text += "  folder: \(record.folder.path)\n"
            text += "  state: \(state)" + (reason.map { ": \($0)" } ?? "") + "\n"
            for shadow in catalog.records where shadow.name == name && shadow.folder != record.folder {
                text += "  shadows: \(shadow.folder.path)\n"
            }
            if let declared {
                for command in declared.commands {
                    text += "\ncommand \(name):\(command.name)\n"
                    text += command.help(plugin: name).split(separator: "\n", omittingEmptySubsequences: false)
                        .map { $0.isEmpty ? "" : "  " + $0 }.joined(separator: "\n")
                }
                for workflow in declared.workflows {
                    text += "\nworkflow \(workflow.id): \(Plugins.timing(workflow)), time zone \(workflow.timeZone)\n"
                    if let description = declared.workflowDescriptions[workflow.name], !description.isEmpty { text += "  \(description)\n" }
                }
                if !declared.hooks.isEmpty { text += "\nhooks: " + declared.hooks.joined(separator: ", ") + "\n" }
            }
            StandardOutput.write(text)
        }
    }

    static func describe(_ state: PluginRecord.State) -> (String, String?) {
        switch state {
        case .enabled: return ("enabled", nil)
        case .disabled(let reason): return ("disabled", reason)
        case .shadowed(let by): return ("shadowed", "by \(by)")
        }
    }

    static func timing(_ workflow: WorkflowDeclaration) -> String {
        switch workflow.timing {
        case .cron(let expression): return "cron \(expression)"
        case .every(let seconds):
            if seconds % 86400 == 0 { return "every \(seconds / 86400)d" }
            if seconds % 3600 == 0 { return "every \(seconds / 3600)h" }
            if seconds % 60 == 0 { return "every \(seconds / 60)m" }
            return "every \(seconds)s"
        }
    }

    static func json(_ record: PluginRecord, declared: PluginDeclarations?) -> JSONValue {
        let (state, reason) = describe(record.state)
        var fields: [String: JSONValue] = [
            "name": .string(record.name), "folder": .string(record.folder.path), "state": .string(state),
        ]
        if let reason { fields["reason"] = .string(reason) }
        if let manifest = record.manifest {
            fields["version"] = .string(manifest.version.description)
            fields["description"] = .string(manifest.description)
            fields["api"] = .string(manifest.api.description)
            fields["entry"] = .string(manifest.entry)
            fields["permissions"] = .array(manifest.permissions.sorted().map { .string($0.rawValue) })
            fields["requires"] = .array(manifest.requires.map { .string("\($0.name) \($0.range)") })
        }
        if let declared {
            fields["commands"] = .array(declared.commands.map { command in
                .object([
                    "name": .string(command.name), "description": .string(command.description),
                    "args": .array(command.arguments.map { argument in
                        .object([
                            "name": .string(argument.name), "help": .string(argument.help), "type": .string(argument.kind.rawValue),
                            "option": .bool(argument.option), "required": .bool(argument.required),
                        ])
                    }),
                ])
            })
            fields["workflows"] = .array(declared.workflows.map { workflow in
                var item: [String: JSONValue] = ["name": .string(workflow.name), "time_zone": .string(workflow.timeZone)]
                switch workflow.timing {
                case .cron(let expression): item["cron"] = .string(expression)
                case .every(let seconds): item["every_seconds"] = .integer(Int64(seconds))
                }
                return .object(item)
            })
            fields["hooks"] = .array(declared.hooks.map { .string($0) })
        }
        return .object(fields)
    }
}

extension Plugins {
    struct New: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Create a working plugin (a command, a workflow, a module, the store) with a test script.",
            discussion: """
                Creates DIR/NAME with plugin.toml, main.lua, lua/greeting.lua and test.sh; ./test.sh runs the plugin through chorus and checks what it prints.

                Examples:
                  chorus plugins new my-plugin
                  chorus plugins new my-plugin --dir ~/.local/share/chorus/plugins
                """)

        @Option(name: .long, help: ArgumentHelp("The folder to create the plugin in.", valueName: "DIR"))
        var dir: String = "plugins"

        @Argument(help: ArgumentHelp("The plugin's name: lowercase letters, digits, '-' and '_', starting with a letter.", valueName: "NAME"))
        var name: String

        func run() throws {
            let directory = URL(fileURLWithPath: dir)
            do throws(PluginScaffold.Refusal) {
                let files = try PluginScaffold.create(name: name, in: directory)
                let folder = directory.appendingPathComponent(name).relativePath
                StandardOutput.write(
                    "Created \(folder): " + files.joined(separator: ", ") + "\n"
                        + "Try it: chorus --plugin-dir \(dir) \(name):hello --shout\n"
                        + "Test it: \(folder)/test.sh\n")
            } catch {
                StandardError.write("chorus: \(error)\n")
                throw ExitCode(ExitStatus.usage)
            }
        }
    }
}
