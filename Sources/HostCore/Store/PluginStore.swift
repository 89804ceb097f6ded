import ChorusAPI
import ChorusLedger
import Foundation
import GRDB
import JSONValue

/// `chorus.store`: each plugin's key/value store, in one SQLite file shared by every plugin
/// (`$XDG_STATE_HOME/chorus/plugins.sqlite`), rows keyed by plugin and key. Values are JSON. Each row
/// carries a version, raised by every write (a delete leaves a tombstone), so `update` can
/// compare-and-swap: it reads the value and its version, computes the new value in Lua, and writes
/// only if the version has not moved meanwhile, else tries again. Every write is one `IMMEDIATE`
/// transaction, so concurrent runs, in one process or several, never lose an update.
public final class PluginStore: Sendable {
    private let queue: DatabaseQueue
    /// The database file.
    public let path: String

    /// Longest key, in bytes.
    public static let maximumKeyBytes = 256
    /// Largest value, as JSON text.
    public static let maximumValueBytes = 1 << 20
    /// Most keys a plugin may hold.
    public static let maximumKeys = 100_000

    /// Opens (creating it, and its folder with mode 0700) the store at `path`.
    public init(path: String) throws(ChorusError) {
        self.path = path
        queue = try SQLiteFile.open(
            path: path, label: "chorus.plugin-store", durability: .normal, migrator: Self.migrator,
            what: "the plugin store", remediation: "choose another file with CHORUS_PLUGIN_STORE")
    }

    /// `CHORUS_PLUGIN_STORE`, else `$XDG_STATE_HOME/chorus/plugins.sqlite`.
    public static func defaultPath(environment: [String: String]) -> String {
        if let path = environment["CHORUS_PLUGIN_STORE"], !path.isEmpty { return path }
        return ChorusPaths.resolve(environment: environment).stateDirectory.appendingPathComponent("plugins.sqlite").path
    }

    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1") { db in
            try db.create(table: "entry") { t in
                t.column("plugin", .text).notNull()
                t.column("key", .text).notNull()
                // NULL: deleted (the row stays, so its version keeps rising).
                t.column("value", .text)
                t.column("version", .integer).notNull()
                t.primaryKey(["plugin", "key"])
            }
        }
        return migrator
    }

    /// A value and the version it was read at (0 for a key never written).
    public struct Versioned: Sendable, Equatable {
        public var value: JSONValue?
        public var version: Int64
    }

    /// Why a store call is refused.
    public struct Refusal: Error, Sendable, CustomStringConvertible {
        public let description: String
    }

    static func check(key: String) throws(Refusal) {
        guard !key.isEmpty, key.utf8.count <= maximumKeyBytes else {
            throw Refusal(description: "a key must be a string of 1 to \(maximumKeyBytes) bytes")
        }
    }

    /// The value of `key` and its version.
    public func get(plugin: String, key: String) throws -> Versioned {
        try Self.check(key: key)
        return try queue.read { db in
            guard let row = try Row.fetchOne(db, sql: "SELECT value, version FROM entry WHERE plugin = ? AND key = ?", arguments: [plugin, key]) else {
                return Versioned(value: nil, version: 0)
            }
            let text: String? = row["value"]
            return Versioned(value: try text.map { try JSONValue.parse(Array($0.utf8)) }, version: row["version"])
        }
    }

    /// Writes `value` (nil: deletes) when the key is still at `expectedVersion` (nil: whatever its
    /// version); false when it moved.
    @discardableResult
    public func put(plugin: String, key: String, value: JSONValue?, expectedVersion: Int64? = nil) throws -> Bool {
        try Self.check(key: key)
        let text = value.map { $0.serialized() }
        if let text, text.utf8.count > Self.maximumValueBytes {
            throw Refusal(description: "the value for '\(key)' is \(text.utf8.count) bytes as JSON, more than the \(Self.maximumValueBytes) a value may have")
        }
        var written = false
        try queue.inTransaction(.immediate) { db in
            let current = try Int64.fetchOne(db, sql: "SELECT version FROM entry WHERE plugin = ? AND key = ?", arguments: [plugin, key])
            if let expectedVersion, expectedVersion != (current ?? 0) { return .rollback }
            if current == nil {
                let count = try Int.fetchOne(db, sql: "SELECT count(*) FROM entry WHERE plugin = ?", arguments: [plugin]) ?? 0
                if count >= Self.maximumKeys {
                    throw Refusal(description: "plugin '\(plugin)' already holds \(Self.maximumKeys) keys, the most a store may have")
                }
            }
            try db.execute(
                sql: """
                    INSERT INTO entry (plugin, key, value, version) VALUES (?, ?, ?, 1)
                    ON CONFLICT(plugin, key) DO UPDATE SET value = excluded.value, version = version + 1
                    """, arguments: [plugin, key, text])
            written = true
            return .commit
        }
        return written
    }

    /// The keys holding a value, sorted, those starting with `prefix` when given.
    public func keys(plugin: String, prefix: String? = nil) throws -> [String] {
        try queue.read { db in
            let all = try String.fetchAll(
                db, sql: "SELECT key FROM entry WHERE plugin = ? AND value IS NOT NULL ORDER BY key", arguments: [plugin])
            guard let prefix else { return all }
            return all.filter { $0.hasPrefix(prefix) }
        }
    }
}
