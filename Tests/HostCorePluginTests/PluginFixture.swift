import ChorusAPI
import ChorusLua
import Foundation
import HostCore
import LuaRuntime

/// A temporary plugin folder for a test: plugins written from strings, and a host over them whose
/// runs reach no network (a client is refused) unless the test gives one.
final class PluginFixture: @unchecked Sendable {
    let root: URL
    let plugins: URL

    init() {
        root = FileManager.default.temporaryDirectory.appendingPathComponent("plugins-\(UUID().uuidString)")
        plugins = root.appendingPathComponent("plugins")
        try! FileManager.default.createDirectory(at: plugins, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(at: root) }

    /// A manifest with the given lines (name, version, description and api filled in unless given).
    static func manifest(_ name: String, _ extra: String = "") -> String {
        "name = \"\(name)\"\nversion = \"1.0.0\"\ndescription = \"Test plugin.\"\napi = \">=1.0 <2.0\"\n" + extra
    }

    /// Writes a plugin folder under `directory` (default: the fixture's plugins folder).
    @discardableResult
    func write(_ folder: String, manifest: String?, files: [String: String] = ["main.lua": ""], in directory: URL? = nil) -> URL {
        let url = (directory ?? plugins).appendingPathComponent(folder)
        try! FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        if let manifest { try! manifest.write(to: url.appendingPathComponent("plugin.toml"), atomically: true, encoding: .utf8) }
        for (path, text) in files {
            let file = url.appendingPathComponent(path)
            try! FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
            try! text.write(to: file, atomically: true, encoding: .utf8)
        }
        return url
    }

    /// A plugin named `name` with these permissions and this main.lua.
    @discardableResult
    func plugin(_ name: String, permissions: [String] = [], main: String, files: [String: String] = [:]) -> URL {
        let list = permissions.map { "\"\($0)\"" }.joined(separator: ", ")
        var all = files
        all["main.lua"] = main
        return write(name, manifest: Self.manifest(name, "permissions = [\(list)]\n"), files: all)
    }

    var searchPath: PluginSearchPath {
        PluginSearchPath(folders: [.init(path: plugins.path, source: "--plugin-dir")])
    }

    var storePath: String { root.appendingPathComponent("state/plugins.sqlite").path }

    /// A host over the fixture's plugins.
    func host(
        clients: ClientProvider? = nil, loadBudget: Double = 2, timeout: Double? = 60
    ) -> PluginHost {
        let root = self.root.path
        let provider = clients ?? ClientProvider { () async throws(ChorusError) -> ChorusClient in
            throw ChorusError(code: .config, message: "no client in this test")
        }
        var options = PluginHost.Options(
            context: { _ in ChorusLuaContext(clients: provider, files: FilePolicy(roots: [root])) }, storePath: storePath)
        options.loadBudget = loadBudget
        options.timeout = timeout
        return PluginHost(catalog: PluginCatalog(searchPath: searchPath), options: options)
    }
}

/// Collects what a run prints.
final class Lines: @unchecked Sendable {
    private let lock = NSLock()
    private var items: [String] = []
    var all: [String] { lock.withLock { items } }
    var text: String { all.joined() }
    func append(_ line: String) { lock.withLock { items.append(line) } }
}

extension PluginHost {
    /// Runs a command and returns what it printed, or the error's text.
    func command(_ plugin: String, _ command: String, _ arguments: LuaValue = .object([:])) async -> (output: String, error: String?) {
        let lines = Lines()
        let result = await runCommand(plugin: plugin, command: command, arguments: arguments, output: { lines.append($0) })
        if case .failure(let error) = result { return (lines.text, error.description) }
        return (lines.text, nil)
    }
}
