import Foundation
import GRDB

/// The `--state` file: a SQLite database (through GRDB) with one row per token, flux, invoice and
/// attachment (JSON), the file contents in their own table, and the small rest (applications, accounts,
/// structures, settings, faults, the next id, the clock offset) in `meta`.
///
/// Each change writes only the rows it touched, in one transaction, before the request is answered:
/// the WAL journal makes a committed change survive `kill -9` (`synchronous = NORMAL`: a power cut may
/// lose the last changes, never corrupt the file). File contents are read back on demand, so they do not
/// stay in memory. A JSON state file of an earlier version is converted on open (see `convertLegacy`).
final class StateDatabase: FileSource, @unchecked Sendable {
    /// The database file.
    let path: String
    private let queue: DatabaseQueue
    /// The file's device and inode when opened: a file removed or replaced since is a failed save, not a
    /// silent write into an unlinked file.
    private let identity: (device: UInt64, inode: UInt64)
    private let encoder: JSONEncoder
    /// The small part of the state as last saved (only written again when it changes). Touched under the
    /// store's lock only.
    private(set) var savedMeta: Meta?

    /// Why a save failed although SQLite did not say so.
    struct Gone: Error, CustomStringConvertible {
        var path: String
        var description: String { "the state file \(path) was removed or replaced" }
    }

    /// The small part of the state, written as one row.
    struct Meta: Codable, Equatable {
        var applications: [PisteApplication]
        var technicalAccounts: [TechnicalAccountRecord]
        var structures: [Structure]
        var engagements: [Engagement]
        var settings: SimulatorState.Settings
        var faults: [Fault]
        var nextId: Int64
        var clockOffset: TimeInterval

        init(_ state: SimulatorState) {
            applications = state.applications
            technicalAccounts = state.technicalAccounts
            structures = state.structures
            engagements = state.engagements
            settings = state.settings
            faults = state.faults
            nextId = state.nextId
            clockOffset = state.clockOffset
        }

        func apply(to state: inout SimulatorState) {
            state.applications = applications
            state.technicalAccounts = technicalAccounts
            state.structures = structures
            state.engagements = engagements
            state.settings = settings
            state.faults = faults
            state.nextId = nextId
            state.clockOffset = clockOffset
        }
    }

    /// Rows keep dates as Foundation's own number, so a restarted simulator has exactly the dates it had.
    static func jsonEncoder() -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .deferredToDate
        return encoder
    }

    static func jsonDecoder() -> JSONDecoder {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .deferredToDate
        return decoder
    }

    /// Opens (creating it if needed) the database at `path`; `journal: false` for a file being built.
    init(path: String, journal: Bool = true) throws {
        self.path = path
        var configuration = Configuration()
        configuration.label = "chorus.sim.state"
        configuration.busyMode = .timeout(10)
        if journal {
            configuration.prepareDatabase { db in
                try db.execute(sql: "PRAGMA journal_mode = WAL")
                try db.execute(sql: "PRAGMA synchronous = NORMAL")
            }
        }
        queue = try DatabaseQueue(path: path, configuration: configuration)
        try Self.migrator.migrate(queue)
        guard let identity = Self.identity(of: path) else { throw Gone(path: path) }
        self.identity = identity
        encoder = Self.jsonEncoder()
    }

    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1") { db in
            try db.execute(
                sql: """
                    CREATE TABLE meta (key TEXT PRIMARY KEY, value BLOB NOT NULL);
                    CREATE TABLE token (key TEXT PRIMARY KEY, value BLOB NOT NULL);
                    CREATE TABLE flux (key TEXT PRIMARY KEY, value BLOB NOT NULL);
                    CREATE TABLE invoice (key INTEGER PRIMARY KEY, value BLOB NOT NULL);
                    CREATE TABLE attachment (key INTEGER PRIMARY KEY, value BLOB NOT NULL);
                    CREATE TABLE file (key TEXT PRIMARY KEY, content BLOB NOT NULL);
                    """)
        }
        return migrator
    }

    private static func identity(of path: String) -> (device: UInt64, inode: UInt64)? {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        return (UInt64(info.st_dev), UInt64(info.st_ino))
    }

    /// The state saved in the file, or nil when it holds none yet.
    func load() throws -> SimulatorState? {
        let decoder = Self.jsonDecoder()
        let loaded: SimulatorState? = try queue.read { db in
            guard let meta = try Data.fetchOne(db, sql: "SELECT value FROM meta WHERE key = 'state'") else {
                return nil
            }
            var state = SimulatorState()
            try decoder.decode(Meta.self, from: meta).apply(to: &state)
            state.tokens = try Self.table(db, "token", decoder)
            state.flux = try Self.table(db, "flux", decoder)
            state.invoices = try Self.table(db, "invoice", decoder)
            state.attachments = try Self.table(db, "attachment", decoder)
            return state
        }
        guard var state = loaded else { return nil }
        state.files.source = self
        savedMeta = Meta(state)
        return state
    }

    /// Every row of `table`; a row that is not what this version wrote is an error, not a crash.
    private static func table<Key: DatabaseValueConvertible & Hashable, Value: Decodable>(
        _ db: Database, _ table: String, _ decoder: JSONDecoder
    ) throws -> RecordTable<Key, Value> {
        var records: [Key: Value] = [:]
        let rows = try Row.fetchCursor(db, sql: "SELECT key, value FROM \(table)")
        while let row = try rows.next() {
            let keyValue: DatabaseValue = row[0]
            let blob: DatabaseValue = row[1]
            guard let key = Key.fromDatabaseValue(keyValue), let data = Data.fromDatabaseValue(blob) else {
                throw Unreadable(table: table)
            }
            records[key] = try decoder.decode(Value.self, from: data)
        }
        return RecordTable(records)
    }

    /// A row the simulator cannot read.
    struct Unreadable: Error, CustomStringConvertible {
        var table: String
        var description: String { "a row of table \(table) is not readable" }
    }

    func content(of key: String) -> [UInt8]? {
        let data = try? queue.read { db in
            try Data.fetchOne(db, sql: "SELECT content FROM file WHERE key = ?", arguments: [key])
        }
        return data.map { [UInt8]($0) }
    }

    /// Writes what changed in `state` since its last commit (everything with `full`, replacing what the
    /// file held), in one transaction. Throws, having written nothing, when it cannot.
    func save(_ state: SimulatorState, full: Bool) throws {
        let meta = Meta(state)
        try queue.write { db in
            if full {
                for table in ["meta", "token", "flux", "invoice", "attachment", "file"] {
                    try db.execute(sql: "DELETE FROM \(table)")
                }
            }
            try writeRows(db, "token", full ? state.tokens.all : state.tokens.changed)
            try writeRows(db, "flux", full ? state.flux.all : state.flux.changed)
            try writeRows(db, "invoice", full ? state.invoices.all : state.invoices.changed)
            try writeRows(db, "attachment", full ? state.attachments.all : state.attachments.changed)
            let files = full ? state.files.memory.all : state.files.changed
            for (key, content) in files {
                if let content {
                    try db.cachedStatement(sql: "INSERT OR REPLACE INTO file (key, content) VALUES (?, ?)")
                        .execute(arguments: [key, Data(content)])
                } else {
                    try db.cachedStatement(sql: "DELETE FROM file WHERE key = ?").execute(arguments: [key])
                }
            }
            if full || meta != savedMeta {
                try db.cachedStatement(sql: "INSERT OR REPLACE INTO meta (key, value) VALUES ('state', ?)")
                    .execute(arguments: [try encoder.encode(meta)])
            }
            // Checked last, inside the transaction: a removed file fails the save and nothing is kept.
            guard let now = Self.identity(of: path), now == identity else { throw Gone(path: path) }
        }
        savedMeta = meta
    }

    /// Whether `state` holds changes not saved yet.
    func hasChanges(in state: SimulatorState) -> Bool {
        state.tokens.hasChanges || state.flux.hasChanges || state.invoices.hasChanges || state.attachments.hasChanges
            || state.files.hasChanges || Meta(state) != savedMeta
    }

    private func writeRows<Key: DatabaseValueConvertible, Value: Encodable>(
        _ db: Database, _ table: String, _ rows: [(key: Key, value: Value?)]
    ) throws {
        guard !rows.isEmpty else { return }
        let upsert = try db.cachedStatement(sql: "INSERT OR REPLACE INTO \(table) (key, value) VALUES (?, ?)")
        let delete = try db.cachedStatement(sql: "DELETE FROM \(table) WHERE key = ?")
        for (key, value) in rows {
            if let value {
                try upsert.execute(arguments: [key, try encoder.encode(value)])
            } else {
                try delete.execute(arguments: [key])
            }
        }
    }

    /// Closes the file (a file being built, before it is moved into place).
    func close() throws { try queue.close() }
}
