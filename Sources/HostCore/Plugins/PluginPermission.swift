/// What a plugin may do, as its manifest grants it (`permissions = ["chorus.read", "store"]`).
/// A run's `chorus` table holds only the functions its permissions allow (docs/plugins.md).
public enum PluginPermission: String, Sendable, CaseIterable, Hashable, Comparable {
    /// Read operations of Chorus Pro (searches, consultations, flow reports) and `chorus.call` of a read.
    case chorusRead = "chorus.read"
    /// Write operations: deposits (through the ledger), submissions, status changes, `chorus.call` of a write.
    case chorusWrite = "chorus.write"
    /// `chorus.fs.read`, `exists`, `list` in the working directory and the plugin's folder.
    case fsRead = "fs.read"
    /// `chorus.fs.write` in the working directory (and reading it).
    case fsWrite = "fs.write"
    /// `chorus.store`, the plugin's key/value store.
    case store

    public static func < (a: PluginPermission, b: PluginPermission) -> Bool {
        allCases.firstIndex(of: a)! < allCases.firstIndex(of: b)!
    }
}
