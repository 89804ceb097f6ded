/// Why a plugin's `plugin.toml` cannot be used. Each case is one named mistake, with a message that
/// says what to write instead (docs/plugins.md lists them).
public enum ManifestError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The folder has no `plugin.toml`.
    case missing
    /// `plugin.toml` exists but cannot be read.
    case unreadable
    /// `plugin.toml` is larger than `PluginManifest.maximumBytes`.
    case tooLarge(bytes: Int)
    /// Not TOML (with its line and column), or TOML a manifest does not use (tables, dotted keys,
    /// inline tables), or a key given twice.
    case invalidTOML(line: Int, column: Int, reason: String)
    /// A required key is absent.
    case missingKey(String)
    /// A key holds the wrong kind of value.
    case wrongType(key: String, expected: String)
    /// A key the manifest does not know (with the closest known one).
    case unknownKey(String, suggestion: String?)
    /// `name` is not lowercase letters, digits, `-` and `_`, starting with a letter.
    case invalidName(String)
    /// `name` differs from the folder's name.
    case nameMismatch(name: String, folder: String)
    /// `version` is not a semantic version.
    case invalidVersion(String)
    /// `description` is empty.
    case emptyDescription
    /// `api` is not a version range.
    case invalidAPIRange(String, reason: String)
    /// `entry` is not a relative `.lua` path inside the plugin's folder.
    case invalidEntry(String)
    /// The entry file does not exist.
    case missingEntry(String)
    /// A permission the host does not know (with the closest known one).
    case unknownPermission(String, suggestion: String?)
    /// A `requires` item is not `NAME RANGE`.
    case invalidRequirement(String, reason: String)
    /// The plugin requires itself.
    case requiresItself

    public var description: String {
        switch self {
        case .missing:
            return "no plugin.toml in the folder (a plugin is a folder with plugin.toml and its entry file; `chorus plugins new NAME` makes one)"
        case .unreadable:
            return "plugin.toml cannot be read (check its permissions)"
        case .tooLarge(let bytes):
            return "plugin.toml is \(bytes) bytes, more than the \(PluginManifest.maximumBytes) a manifest may have"
        case .invalidTOML(let line, let column, let reason):
            return "plugin.toml, line \(line), column \(column): \(reason)"
        case .missingKey(let key):
            return "plugin.toml has no '\(key)' (required: name, version, description, api)"
        case .wrongType(let key, let expected):
            return "'\(key)' in plugin.toml must be \(expected)"
        case .unknownKey(let key, let suggestion):
            return "unknown key '\(key)' in plugin.toml"
                + (suggestion.map { "; did you mean '\($0)'?" } ?? " (known: \(PluginManifest.keys.joined(separator: ", ")))")
        case .invalidName(let name):
            return "name '\(name)' is not a plugin name: use 1 to 64 lowercase letters, digits, '-' and '_', starting with a letter"
        case .nameMismatch(let name, let folder):
            return "plugin.toml names the plugin '\(name)' but its folder is '\(folder)': rename one so they match"
        case .invalidVersion(let text):
            return "version '\(text)' is not a semantic version (MAJOR.MINOR.PATCH, e.g. 1.0.0)"
        case .emptyDescription:
            return "description in plugin.toml is empty: say in one line what the plugin does"
        case .invalidAPIRange(let text, let reason):
            return "api '\(text)' is not a version range: \(reason)"
        case .invalidEntry(let entry):
            return "entry '\(entry)' must be a relative path to a .lua file inside the plugin's folder (default main.lua)"
        case .missingEntry(let entry):
            return "the entry file '\(entry)' does not exist in the plugin's folder"
        case .unknownPermission(let name, let suggestion):
            return "unknown permission '\(name)'"
                + (suggestion.map { "; did you mean '\($0)'?" } ?? "")
                + " (permissions: \(PluginPermission.allCases.map(\.rawValue).joined(separator: ", ")))"
        case .invalidRequirement(let text, let reason):
            return "requires item '\(text)' is not 'NAME RANGE' (e.g. \"csv-tools >=1.2 <2.0\"): \(reason)"
        case .requiresItself:
            return "the plugin requires itself"
        }
    }
}
