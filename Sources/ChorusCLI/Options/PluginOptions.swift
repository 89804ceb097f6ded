import ArgumentParser

/// `--plugin-dir`: the folders searched for plugins before the standard ones (docs/plugins.md), one
/// declaration for every command that finds plugins: `chorus plugins list|info`, `chorus schedule ...`
/// and `chorus [OPTIONS] PLUGIN:COMMAND` (whose hand parser, `PluginRun.valueOptions`, knows it takes
/// a value: `PluginRunOptionsTests` fails when the two disagree).
struct PluginOptions: ParsableArguments {
    @Option(
        name: .customLong("plugin-dir"),
        help: ArgumentHelp(
            "Look for plugins in this folder first, before CHORUS_PLUGIN_PATH and ./plugins "
                + "(repeatable; e.g. --plugin-dir examples/plugins).",
            valueName: "dir"))
    var pluginDirs: [String] = []
}
