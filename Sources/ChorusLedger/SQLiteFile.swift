import ChorusAPI
import Foundation
import GRDB

/// Opens chorus's SQLite files (the ledger, the scheduler's run records, the plugin store) one way:
/// the folder created with mode 0700, WAL journal so several processes read and write at once, a
/// 30 s wait on a busy file, and the schema brought up to date.
public enum SQLiteFile {
    /// How much a committed transaction must survive: `full` survives a power cut (the ledger's
    /// reservations), `normal` only a crash of the process.
    public enum Durability: String, Sendable {
        case full = "FULL"
        case normal = "NORMAL"
    }

    /// Opens (creating if needed) the file at `path` and runs `migrator` on it.
    /// - Parameters:
    ///   - label: GRDB's label for the queue, seen in its logs.
    ///   - what: how the error names the file ("the deposit ledger").
    ///   - remediation: how to choose another file (the flag or variable).
    /// - Throws: a `CONFIG` `ChorusError` naming the file when it cannot be opened.
    public static func open(
        path: String, label: String, durability: Durability, migrator: DatabaseMigrator, what: String,
        remediation: String
    ) throws(ChorusError) -> DatabaseQueue {
        do {
            try FileManager.default.createDirectory(
                at: URL(fileURLWithPath: path).deletingLastPathComponent(), withIntermediateDirectories: true,
                attributes: [.posixPermissions: 0o700])
            var configuration = Configuration()
            configuration.busyMode = .timeout(30)
            configuration.label = label
            configuration.prepareDatabase { db in
                try db.execute(sql: "PRAGMA journal_mode = WAL")
                try db.execute(sql: "PRAGMA synchronous = \(durability.rawValue)")
            }
            return try openRetrying(path, configuration, migrator)
        } catch {
            throw ChorusError(
                code: .config, message: "cannot open \(what) \(path): \(error)",
                remediation: "Check that the folder is writable, or \(remediation).")
        }
    }

    /// Another process opening the same new file at that moment can make a first try fail (the switch
    /// to WAL, or a migration both processes found to apply: each is one transaction, so the loser
    /// leaves no trace); a few tries a moment apart settle it.
    private static func openRetrying(
        _ path: String, _ configuration: Configuration, _ migrator: DatabaseMigrator
    ) throws -> DatabaseQueue {
        var attempt = 1
        while true {
            do {
                let queue = try DatabaseQueue(path: path, configuration: configuration)
                try migrator.migrate(queue)
                return queue
            } catch where attempt < 5 {
                usleep(useconds_t(50_000 * attempt))
                attempt += 1
            }
        }
    }
}
