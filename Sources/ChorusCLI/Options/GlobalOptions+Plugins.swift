import ChorusAPI
import ChorusLua
import Foundation
import HostCore
import Logging

extension GlobalOptions {
    /// The plugin host of this invocation: the plugins on the search path (`--plugin-dir` folders first),
    /// each run with the `chorus` module as `chorus run` builds it, and files limited to the working
    /// directory (read and write with `fs.write`, read only otherwise), the plugin's own folder (read
    /// only), the `allowPaths` folders and those of `CHORUS_PLUGIN_ALLOW_PATH` (separated by `:`; how
    /// a scheduler run by systemd gives its plugins an inbox). Shared by `chorus plugins`,
    /// `chorus NAME:COMMAND`, `chorus deposit` (hooks) and the scheduler.
    func pluginHost(pluginDirs: [String], allowPaths flagged: [String] = [], timeout: Double? = 600) -> PluginHost {
        let environment = processEnvironment
        let allowPaths = flagged + (environment["CHORUS_PLUGIN_ALLOW_PATH"] ?? "").split(separator: ":").map(String.init)
        let searchPath = PluginSearchPath.standard(flags: pluginDirs, environment: environment)
        let workingDirectory = FileManager.default.currentDirectoryPath
        let global = self
        var options = PluginHost.Options(
            context: { record in
                let writes = record.manifest?.permissions.contains(.fsWrite) ?? false
                return global.luaContext(
                    roots: writes ? [workingDirectory] + allowPaths : [],
                    readOnlyRoots: [workingDirectory, record.folder.path] + (writes ? [] : allowPaths))
            },
            storePath: PluginStore.defaultPath(environment: environment),
            logger: logger("chorus.plugins"))
        options.timeout = timeout
        // Workflow logs mask the configured secrets too (the client already masks what it reports).
        let secrets = (try? resolveSettings())?.entries.filter(\.isSecret).compactMap(\.value) ?? []
        options.redactor = Redactor(secrets: secrets)
        return PluginHost(catalog: PluginCatalog(searchPath: searchPath), options: options)
    }
}
