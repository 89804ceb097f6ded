import Foundation

/// Where chorus keeps its files (docs/configuration.md, "Files"), from the XDG variables of a given environment.
///
/// Everything is computed from the `environment` dictionary passed in, never from the process, so
/// tests point every path at a temporary folder and never read the real home.
public struct ChorusPaths: Sendable, Equatable {
    /// The configuration file: `--config`, else `CHORUS_CONFIG`, else `$XDG_CONFIG_HOME/chorus/config.toml`.
    public var configFile: URL
    /// How `configFile` was chosen, for `chorus config show`.
    public var configFileSource: String
    /// Token cache: `$XDG_CACHE_HOME/chorus`.
    public var cacheDirectory: URL
    /// State (kept between runs): `$XDG_STATE_HOME/chorus`.
    public var stateDirectory: URL
    /// Plugins: `$XDG_DATA_HOME/chorus`.
    public var dataDirectory: URL

    /// Resolves the paths.
    /// - Parameters:
    ///   - environment: the environment variables to read (`ProcessInfo.processInfo.environment` in the CLI).
    ///   - configFlag: the `--config` option, if given.
    public static func resolve(environment: [String: String], configFlag: String? = nil) -> ChorusPaths {
        let home = environment["HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? NSTemporaryDirectory()
        func xdg(_ variable: String, _ fallback: String) -> URL {
            if let value = environment[variable], value.hasPrefix("/") { return URL(fileURLWithPath: value) }
            return URL(fileURLWithPath: home).appendingPathComponent(fallback)
        }
        let configHome = xdg("XDG_CONFIG_HOME", ".config")
        let configFile: URL
        let source: String
        if let flag = configFlag, !flag.isEmpty {
            (configFile, source) = (URL(fileURLWithPath: expand(flag, home: home)), "flag --config")
        } else if let variable = environment["CHORUS_CONFIG"], !variable.isEmpty {
            (configFile, source) = (URL(fileURLWithPath: expand(variable, home: home)), "env CHORUS_CONFIG")
        } else {
            let base = environment["XDG_CONFIG_HOME"].map { _ in "$XDG_CONFIG_HOME" } ?? "~/.config"
            (configFile, source) = (
                configHome.appendingPathComponent("chorus/config.toml"), "default \(base)/chorus/config.toml"
            )
        }
        return ChorusPaths(
            configFile: configFile, configFileSource: source,
            cacheDirectory: xdg("XDG_CACHE_HOME", ".cache").appendingPathComponent("chorus"),
            stateDirectory: xdg("XDG_STATE_HOME", ".local/state").appendingPathComponent("chorus"),
            dataDirectory: xdg("XDG_DATA_HOME", ".local/share").appendingPathComponent("chorus"))
    }

    /// `~/x` → `$HOME/x`.
    static func expand(_ path: String, home: String) -> String {
        if path == "~" { return home }
        if path.hasPrefix("~/") { return home + path.dropFirst(1) }
        return path
    }
}
