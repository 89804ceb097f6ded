import Foundation

/// Where plugins are looked for, in order; the first plugin found under a name wins and the others
/// are listed as shadowed: `--plugin-dir` folders (as given), `CHORUS_PLUGIN_PATH` (folders separated
/// by `:`), `./plugins`, `$XDG_DATA_HOME/chorus/plugins` (`~/.local/share/chorus/plugins`),
/// `/usr/share/chorus/plugins`.
public struct PluginSearchPath: Sendable, Equatable {
    /// One folder of the path and where it comes from (shown by `chorus plugins list`).
    public struct Folder: Sendable, Equatable {
        public var path: String
        /// `--plugin-dir`, `CHORUS_PLUGIN_PATH`, `./plugins`, `XDG_DATA_HOME` or `system`.
        public var source: String

        public init(path: String, source: String) {
            self.path = path
            self.source = source
        }
    }

    public var folders: [Folder]

    public init(folders: [Folder]) {
        self.folders = folders
    }

    /// The standard path for these flags and this environment, relative folders resolved against `workingDirectory`.
    public static func standard(
        flags: [String], environment: [String: String], workingDirectory: String = FileManager.default.currentDirectoryPath
    ) -> PluginSearchPath {
        func absolute(_ path: String) -> String {
            let expanded = path == "~" || path.hasPrefix("~/")
                ? (environment["HOME"] ?? NSHomeDirectory()) + path.dropFirst() : path
            let url = expanded.hasPrefix("/")
                ? URL(fileURLWithPath: expanded) : URL(fileURLWithPath: workingDirectory).appendingPathComponent(expanded)
            return url.standardizedFileURL.path
        }
        var folders = flags.map { Folder(path: absolute($0), source: "--plugin-dir") }
        if let list = environment["CHORUS_PLUGIN_PATH"] {
            folders += list.split(separator: ":").map { Folder(path: absolute(String($0)), source: "CHORUS_PLUGIN_PATH") }
        }
        folders.append(Folder(path: absolute("plugins"), source: "./plugins"))
        let dataHome = environment["XDG_DATA_HOME"].flatMap { $0.hasPrefix("/") ? $0 : nil }
            ?? (environment["HOME"] ?? NSHomeDirectory()) + "/.local/share"
        folders.append(Folder(path: absolute(dataHome + "/chorus/plugins"), source: "XDG_DATA_HOME"))
        folders.append(Folder(path: "/usr/share/chorus/plugins", source: "system"))
        // A folder named twice is searched once, where it first appears.
        var seen = Set<String>()
        return PluginSearchPath(folders: folders.filter { seen.insert($0.path).inserted })
    }
}
