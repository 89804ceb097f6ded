import Foundation

/// `chorus plugins new NAME`: a working plugin (a command, a workflow, a module, the store) and a
/// test script that runs it through chorus.
public enum PluginScaffold {
    /// Why the plugin cannot be created.
    public struct Refusal: Error, Sendable, CustomStringConvertible {
        public let description: String
    }

    /// Creates `directory/name` and returns the files written, relative to it.
    public static func create(name: String, in directory: URL) throws(Refusal) -> [String] {
        guard PluginManifest.isValidName(name) else { throw Refusal(description: ManifestError.invalidName(name).description) }
        let folder = directory.appendingPathComponent(name)
        guard !FileManager.default.fileExists(atPath: folder.path) else {
            throw Refusal(description: "\(folder.path) already exists; choose another name or folder (--dir)")
        }
        let files: [(String, String, Bool)] = [
            ("plugin.toml", manifest(name), false),
            ("main.lua", String(decoding: PackageResources.template_main_lua, as: UTF8.self).replacingOccurrences(of: "PLUGIN_NAME", with: name), false),
            ("lua/greeting.lua", String(decoding: PackageResources.template_greeting_lua, as: UTF8.self), false),
            ("test.sh", testScript(name), true),
        ]
        do {
            for (path, text, executable) in files {
                let file = folder.appendingPathComponent(path)
                try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
                try text.write(to: file, atomically: true, encoding: .utf8)
                if executable { try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: file.path) }
            }
        } catch {
            throw Refusal(description: "cannot write \(folder.path): \(error.localizedDescription)")
        }
        return files.map(\.0)
    }

    static func manifest(_ name: String) -> String {
        """
        # A chorus plugin: docs/plugins.md describes every key.
        name = "\(name)"
        version = "0.1.0"
        description = "Greets, and counts the greetings."
        # The plugin API levels this plugin works with (this chorus offers \(HostAPI.levelText)).
        api = ">=\(HostAPI.levelText) <\(HostAPI.level.major + 1).0"
        entry = "main.lua"
        # chorus.read, chorus.write, fs.read, fs.write, store: only what the plugin needs.
        permissions = ["store"]
        requires = []

        """
    }

    static func testScript(_ name: String) -> String {
        """
        #!/bin/sh
        # Tests the plugin through chorus, with a store of its own. CHORUS names the chorus binary
        # (default: chorus on the PATH). Run it from anywhere: ./test.sh
        set -eu
        here=$(cd "$(dirname "$0")" && pwd)
        chorus=${CHORUS:-chorus}
        state=$(mktemp -d)
        trap 'rm -rf "$state"' EXIT
        run() { XDG_STATE_HOME="$state" CHORUS_PLUGIN_STORE="$state/plugins.sqlite" "$chorus" --plugin-dir "$(dirname "$here")" "$@"; }
        check() { if [ "$1" != "$2" ]; then echo "FAIL: expected '$2', got '$1'" >&2; exit 1; fi; }
        check "$(run \(name):hello)" "hello, world (greeting #1)"
        check "$(run \(name):hello chorus --shout)" "HELLO, CHORUS (greeting #2)"
        echo "ok: \(name) passes its tests"

        """
    }
}
