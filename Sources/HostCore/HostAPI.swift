/// The plugin API this host offers. A plugin's manifest names the range of levels it works with
/// (`api = ">=1.0 <2.0"`); the host loads it only when its own level falls in that range. The major
/// part changes when a registration function or a permission changes meaning; the minor part when
/// functions are added.
public enum HostAPI {
    /// The host's API level, `major.minor`.
    public static let level = (major: 1, minor: 0)
}

extension HostAPI {
    /// The level as a version, for range checks (`1.0` is `1.0.0`).
    public static var version: SemanticVersion { SemanticVersion(level.major, level.minor) }
    /// `1.0`.
    public static var levelText: String { "\(level.major).\(level.minor)" }
}
