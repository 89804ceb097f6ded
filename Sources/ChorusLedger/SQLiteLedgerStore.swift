import ChorusAPI
import Foundation
import GRDB

/// The ledger in a SQLite file, through GRDB: WAL journal, `synchronous = FULL` so a committed
/// reservation survives a power cut (`NORMAL` for the records a lost write cannot make unsafe), and
/// every state change in an `IMMEDIATE` transaction so two processes cannot reserve the same invoice.
public final class SQLiteLedgerStore: LedgerStore {
    private let queue: DatabaseQueue
    /// The database file.
    public let path: String

    /// Opens (creating if needed, with its folder, mode 0700) the ledger at `path`.
    /// - Throws: a `CONFIG` `ChorusError` naming the file when it cannot be opened.
    public init(path: String) throws(ChorusError) {
        self.path = path
        queue = try SQLiteFile.open(
            path: path, label: "chorus.ledger", durability: .full, migrator: Self.migrator, what: "the deposit ledger",
            remediation: "choose another file with --ledger / CHORUS_LEDGER")
    }

    /// The ledger file of the settings in force: `--ledger`, else `CHORUS_LEDGER`, else
    /// `$XDG_STATE_HOME/chorus/ledger.sqlite`.
    public static func defaultPath(flag: String?, environment: [String: String]) -> String {
        if let flag, !flag.isEmpty { return flag }
        if let variable = environment["CHORUS_LEDGER"], !variable.isEmpty { return variable }
        return ChorusPaths.resolve(environment: environment).stateDirectory
            .appendingPathComponent("ledger.sqlite").path
    }

    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1") { db in
            try db.create(table: "ledgerEntry") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("environment", .text).notNull()
                t.column("envName", .text).notNull()
                t.column("apiURL", .text).notNull()
                t.column("account", .text).notNull()
                t.column("invoiceNumber", .text).notNull()
                t.column("supplierSiret", .text).notNull()
                t.column("recipientSiret", .text)
                t.column("contentHash", .text).notNull()
                t.column("fileName", .text).notNull()
                t.column("syntax", .text).notNull()
                t.column("state", .text).notNull()
                t.column("fluxNumber", .text)
                t.column("depositDate", .text)
                t.column("flowState", .text)
                t.column("report", .text)
                t.column("createdAt", .datetime).notNull()
                t.column("updatedAt", .datetime).notNull()
                t.column("attempts", .jsonText).notNull()
                t.uniqueKey(["environment", "supplierSiret", "invoiceNumber"])
            }
            try db.create(index: "ledgerEntry_state", on: "ledgerEntry", columns: ["state"])
        }
        // Lots: the rows of the invoices deposited in one archive name it.
        migrator.registerMigration("v2-lot") { db in
            try db.alter(table: "ledgerEntry") { t in t.add(column: "lot", .text) }
        }
        return migrator
    }

    public func entry(environment: String, supplier: String, number: String) throws -> LedgerEntry? {
        try queue.read { db in try Self.find(db, environment, supplier, number) }
    }

    public func update(
        environment: String, keys: [LedgerKey], durable: Bool, _ change: ([LedgerEntry?]) throws -> [LedgerEntry]?
    ) throws -> [LedgerEntry?] {
        try queue.writeWithoutTransaction { db in
            // FULL syncs the WAL at each commit; NORMAL leaves it to the next checkpoint (still atomic).
            try db.execute(sql: durable ? "PRAGMA synchronous = FULL" : "PRAGMA synchronous = NORMAL")
            defer { if !durable { try? db.execute(sql: "PRAGMA synchronous = FULL") } }
            var result: [LedgerEntry?] = []
            try db.inTransaction(.immediate) {
                let current = try keys.map { try Self.find(db, environment, $0.supplier, $0.number) }
                guard let changed = try change(current) else {
                    result = current
                    return .rollback
                }
                precondition(changed.count == keys.count, "one row per key")
                result = []
                for (row, existing) in zip(changed, current) {
                    var row = row
                    if let id = existing?.id {
                        row.id = id
                        try row.update(db)
                    } else {
                        row.id = nil
                        try row.insert(db)
                        row.id = db.lastInsertedRowID
                    }
                    result.append(row)
                }
                return .commit
            }
            return result
        }
    }

    public func entries(environment: String?, states: Set<LedgerState>?) throws -> [LedgerEntry] {
        try queue.read { db in
            var request = LedgerEntry.all()
            if let environment { request = request.filter(Column("environment") == environment) }
            if let states { request = request.filter(states.map(\.rawValue).contains(Column("state"))) }
            return try request.order(Column("id")).fetchAll(db)
        }
    }

    private static func find(_ db: Database, _ environment: String, _ supplier: String, _ number: String) throws
        -> LedgerEntry?
    {
        // A statement prepared once per connection: building and compiling the query at each lookup
        // took half of the lookup's time (two lookups per deposit).
        let statement = try db.cachedStatement(sql: findSQL)
        return try LedgerEntry.fetchOne(statement, arguments: [environment, supplier, number])
    }

    private static let findSQL =
        "SELECT * FROM ledgerEntry WHERE environment = ? AND supplierSiret = ? AND invoiceNumber = ?"
}

extension LedgerEntry: FetchableRecord, PersistableRecord {
    public static let databaseTableName = "ledgerEntry"
}
