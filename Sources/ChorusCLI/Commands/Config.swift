import ArgumentParser
import ChorusAPI
import Foundation
import JSONValue

/// `chorus config`: shows the resolved settings or writes a configuration template.
struct Config: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Show the resolved configuration or create a configuration file.",
        discussion: """
            Examples:
              chorus config show --profile qualif
              chorus config init
            """,
        subcommands: [ConfigShow.self, ConfigInit.self],
        defaultSubcommand: ConfigShow.self)
}

/// `chorus config show`: every setting, its value (secrets redacted) and where it came from. It always
/// shows the configuration: a credential that cannot be found is marked, never a reason to fail.
struct ConfigShow: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show",
        abstract: "Print the settings in force, secrets redacted, with the source of each value.",
        discussion: """
            Precedence: flags > environment variables > profile > defaults (docs/configuration.md).

            Examples:
              chorus config show
              CHORUS_ENV=sandbox chorus config show --json
            """)

    @OptionGroup var global: GlobalOptions

    func run() async throws {
        try await global.run { () throws(ChorusError) in
            let settings = try global.resolveSettings()
            if global.json {
                var entries: [String: JSONValue] = [:]
                for entry in settings.entries {
                    entries[entry.key] = .object([
                        "value": entry.value == nil ? .null : .string(entry.displayValue),
                        "source": .string(entry.source),
                    ])
                }
                let document: JSONValue = .object([
                    "config_file": .string(settings.paths.configFile.path),
                    "config_file_found": .bool(settings.configFileFound),
                    "profile": settings.profileName.map(JSONValue.string) ?? .null,
                    "settings": .object(entries),
                    "warnings": .array(settings.warnings.map(JSONValue.string)),
                    "missing": .array(settings.missingCredentials.map(JSONValue.string)),
                ])
                print(document.serialized(JSONWriteOptions(pretty: standardOutputIsTerminal)))
                return
            }
            let found = settings.configFileFound ? "" : " (not found)"
            print("config file: \(settings.paths.configFile.path)\(found)  [\(settings.paths.configFileSource)]")
            print("profile:     \(settings.profileName ?? "(none)")\(settings.profileSource.map { "  [\($0)]" } ?? "")")
            print("token cache: \(settings.paths.cacheDirectory.path)")
            let width = settings.entries.map(\.key.count).max() ?? 0
            for entry in settings.entries {
                let key = entry.key.padding(toLength: width, withPad: " ", startingAt: 0)
                print("\(key) = \(entry.displayValue)  [\(entry.source)]")
            }
            for warning in settings.warnings { print("warning: \(warning)") }
            for line in settings.missingCredentials { print("missing: \(line)") }
        }
    }
}

/// `chorus config init`: writes a commented template, mode 0600.
struct ConfigInit: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "init",
        abstract: "Write a commented configuration template (mode 0600).",
        discussion: """
            Writes to --config, CHORUS_CONFIG or $XDG_CONFIG_HOME/chorus/config.toml; never overwrites an existing file unless --force is given.

            Examples:
              chorus config init
              chorus config init --config ./chorus.toml --force
            """)

    @OptionGroup var global: GlobalOptions

    @Flag(name: .long, help: "Replace an existing file.")
    var force = false

    func run() async throws {
        try await global.run { () throws(ChorusError) in
            let paths = ChorusPaths.resolve(environment: global.processEnvironment, configFlag: global.config)
            try ConfigTemplate.write(to: paths.configFile, force: force)
            if !global.quiet {
                print("wrote \(paths.configFile.path) (mode 0600); edit it, then run: chorus config show")
            }
        }
    }
}
